//! The grader of a reinforcement fine-tuning (RFT) job, read from its JSON and checked as
//! configuration, and the record fields its templates read.
//!
//! RFT scores every sampled answer with a grader: `string_check`, `text_similarity`,
//! `score_model`, `label_model`, `python`, or `multi`, which combines named graders with a
//! `calculate_output` formula. Graders read the example through templates: `{{item.<path>}}` is a
//! field of the record (any top-level key besides `messages` and `tools`), `{{sample.output_text}}`
//! the model's answer, and `{{sample.output_json.<path>}}` a field of that answer when the job sets
//! a `response_format` with a JSON schema. A record without a field the grader reads, or a schema
//! without the path, fails the job after upload (`docs/service-rules.md` §5).
//!
//! This module only reads JSON text it is given: the command line reads the file. A grader that is
//! not valid is a [`GraderError`] naming the field (as a dotted path from the grader's root), what is
//! wrong and what is allowed; the command line reports it as a configuration error, since a grader is
//! not data. The templates found are kept as [`ItemRef`]s for the record rule FT407.
//!
//! The file may hold the grader itself, the job's `reinforcement` method (`{"grader": …,
//! "response_format": …, "hyperparameters": …}`), or the whole `method` (`{"type":
//! "reinforcement", "reinforcement": {…}}`); only the last two can say what `response_format` is.

use std::fmt;

use serde_json::{Map, Value};

/// The grader types OpenAI's graders guide and API reference document.
pub const TYPES: [&str; 6] =
    ["string_check", "text_similarity", "score_model", "label_model", "python", "multi"];

/// `string_check` operations.
pub const OPERATIONS: [&str; 4] = ["eq", "ne", "like", "ilike"];

/// `text_similarity` metrics (OpenAI's API reference; `cosine` is the newest, Azure's page lists the
/// others).
pub const METRICS: [&str; 11] = [
    "cosine",
    "fuzzy_match",
    "bleu",
    "gleu",
    "meteor",
    "rouge_1",
    "rouge_2",
    "rouge_3",
    "rouge_4",
    "rouge_5",
    "rouge_l",
];

/// What `calculate_output` may call besides the operators `+ - * / ^` and parentheses.
pub const FUNCTIONS: [&str; 8] = ["min", "max", "abs", "floor", "ceil", "exp", "sqrt", "log"];

/// The roles of a model grader's `input` messages.
const ROLES: [&str; 4] = ["user", "assistant", "system", "developer"];

/// Azure's limit on a Python grader's source (`docs/service-rules.md` §5): under 256 kB.
pub const PYTHON_SOURCE_LIMIT: usize = 256 * 1024;

/// A grader that is not valid: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraderError {
    /// The field, as a dotted path from the grader (`graders.exact.operation`); empty for the
    /// whole document.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for GraderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "field `{}`: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for GraderError {}

/// One `{{item.…}}` template: the record path it reads and the grader field it is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRef {
    /// The path below `item`, one segment per `.` (`["reference_answer"]`).
    pub path: Vec<String>,
    /// The template as written, braces included.
    pub template: String,
    /// The grader field that holds it (`graders.exact.reference`).
    pub field: String,
}

/// A checked grader: what the records must hold for it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grader {
    /// The grader's type (`multi`, `string_check`, …).
    pub kind: String,
    /// Every distinct record path the grader reads, with the first field that reads it, in the
    /// order of the grader's fields (the named graders of a `multi` by name).
    pub item_refs: Vec<ItemRef>,
}

type Result<T> = std::result::Result<T, GraderError>;

fn error(field: &str, message: impl Into<String>) -> GraderError {
    GraderError { field: field.to_owned(), message: message.into() }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|item| format!("`{item}`")).collect::<Vec<_>>().join(", ")
}

impl Grader {
    /// Reads and checks a grader from the JSON text of a file.
    pub fn parse(text: &str) -> Result<Grader> {
        let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| error("", format!("not valid JSON: {e}")))?;
        Grader::from_value(&value)
    }

    /// Checks a grader given as JSON: the grader itself, the `reinforcement` method holding it, or
    /// the `method` holding that.
    pub fn from_value(value: &Value) -> Result<Grader> {
        let Value::Object(root) = value else {
            return Err(error("", "a grader is a JSON object with a `type`"));
        };
        // `{"type": "reinforcement", "reinforcement": {...}}`: the job's `method`.
        let (method, prefix) =
            match (root.get("type").and_then(Value::as_str), root.get("reinforcement")) {
                (Some("reinforcement"), Some(Value::Object(inner))) => (inner, "reinforcement."),
                (Some("reinforcement"), _) => return Err(error(
                    "reinforcement",
                    "a `method` of type `reinforcement` needs a `reinforcement` object holding the `grader`",
                )),
                _ => (root, ""),
            };
        let (grader, schema, prefix) = match method.get("grader") {
            Some(grader) => {
                let schema =
                    response_schema(method.get("response_format"), &format!("{prefix}response_format"))?;
                (grader, schema, format!("{prefix}grader"))
            }
            None => (value, None, String::new()),
        };
        let mut checked = Grader::default();
        let mut templates = Vec::new();
        checked.kind = check_grader(grader, &prefix, &mut templates)?;
        for (field, text) in templates {
            let found = templates_in(&text).map_err(|unclosed| {
                error(
                    &field,
                    format!(
                        "`{unclosed}` opens a template with `{{{{` that is never closed; end it with `}}}}`, as in `{{{{item.<field>}}}}`"
                    ),
                )
            })?;
            for template in found {
                checked.add_template(&field, template, schema)?;
            }
        }
        Ok(checked)
    }

    fn add_template(&mut self, field: &str, template: &str, schema: Option<&Value>) -> Result<()> {
        let inner = template.trim_start_matches("{{").trim_end_matches("}}").trim();
        let (namespace, rest) = inner.split_once('.').unwrap_or((inner, ""));
        match namespace {
            "item" => {
                let path: Vec<String> = rest.split('.').map(str::to_owned).collect();
                if rest.is_empty() || path.iter().any(String::is_empty) {
                    return Err(error(field, format!("`{template}` names no field of the item; write `{{{{item.<field>}}}}`")));
                }
                if !self.item_refs.iter().any(|known| known.path == path) {
                    self.item_refs.push(ItemRef { path, template: template.to_owned(), field: field.to_owned() });
                }
                Ok(())
            }
            "sample" => {
                let (what, path) = rest.split_once('.').unwrap_or((rest, ""));
                // Other sample fields (`output_text`, `output_tools`, and whatever the service adds)
                // are the service's to fill; only paths into the JSON answer can be checked here.
                match what {
                    "output_json" => check_output_json(field, template, path, schema),
                    "" => Err(error(field, format!("`{template}` names no field of the sample, e.g. `{{{{sample.output_text}}}}`"))),
                    _ => Ok(()),
                }
            }
            _ => Err(error(
                field,
                format!("`{template}` reads neither `item` (a field of the record) nor `sample` (the model's answer)"),
            )),
        }
    }
}

/// The JSON schema of a `response_format` (`{"type": "json_schema", "json_schema": {"schema": …}}`
/// as in chat completions, or `{"type": "json_schema", "schema": …}` as in Azure's RFT page).
fn response_schema<'v>(format: Option<&'v Value>, field: &str) -> Result<Option<&'v Value>> {
    let Some(format) = format else { return Ok(None) };
    if format.is_null() {
        return Ok(None);
    }
    let object = format.as_object().ok_or_else(|| error(field, "must be an object such as `{\"type\": \"json_schema\", \"json_schema\": {\"name\": …, \"schema\": {…}}}`"))?;
    match object.get("type").and_then(Value::as_str) {
        Some("json_schema") => {}
        Some("text") => return Ok(None),
        other => {
            return Err(error(
                &join(field, "type"),
                format!(
                    "is {}; allowed: `json_schema`, `text`",
                    other.map_or("missing".to_owned(), |t| format!("`{t}`"))
                ),
            ))
        }
    }
    let schema = object
        .get("json_schema")
        .and_then(|inner| inner.get("schema"))
        .or_else(|| object.get("schema"))
        .ok_or_else(|| {
            error(
                &join(field, "json_schema.schema"),
                "is missing: a `json_schema` response format needs the schema",
            )
        })?;
    Ok(Some(schema))
}

/// Checks `{{sample.output_json.<path>}}` against the response format's schema.
fn check_output_json(field: &str, template: &str, path: &str, schema: Option<&Value>) -> Result<()> {
    if path.is_empty() {
        return Ok(());
    }
    let Some(mut node) = schema else {
        return Err(error(
            field,
            format!("`{template}` reads the answer as JSON, but no `response_format` with a JSON schema is given; pass the job's `reinforcement` method (`{{\"grader\": …, \"response_format\": …}}`) as the grader file"),
        ));
    };
    for segment in path.split('.') {
        let next = if segment.bytes().all(|b| b.is_ascii_digit()) && !segment.is_empty() {
            node.get("items")
        } else {
            node.get("properties").and_then(|properties| properties.get(segment))
        };
        node = next.ok_or_else(|| {
            error(
                field,
                format!(
                    "`{template}`: the `response_format` schema has no property `{segment}` on that path"
                ),
            )
        })?;
    }
    Ok(())
}

/// The `{{…}}` templates in a string, braces included.
///
/// A `{{` with no `}}` before the end or before the next `{{` is a template the service cannot
/// fill: it is returned as the error, from its `{{` up to where the next template starts (or the
/// end), so the message can quote it. Skipping it would accept a grader that reads nothing.
pub fn templates_in(text: &str) -> std::result::Result<Vec<&str>, &str> {
    let mut found = Vec::new();
    let mut offset = 0;
    while let Some(start) = text[offset..].find("{{").map(|at| offset + at) {
        let body = start + 2;
        let close = text[body..].find("}}").map(|at| body + at);
        let next_open = text[body..].find("{{").map(|at| body + at);
        match (close, next_open) {
            (Some(close), next) if next.is_none_or(|next| close < next) => {
                found.push(&text[start..close + 2]);
                offset = close + 2;
            }
            (_, Some(next)) => return Err(text[start..next].trim_end()),
            (_, None) => return Err(&text[start..]),
        }
    }
    Ok(found)
}

fn field_str<'v>(object: &'v Map<String, Value>, key: &str, at: &str) -> Result<&'v str> {
    match object.get(key) {
        Some(Value::String(text)) => Ok(text),
        Some(other) => Err(error(&join(at, key), format!("must be a string, not {}", type_name(other)))),
        None => Err(error(&join(at, key), "is missing")),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn one_of(object: &Map<String, Value>, key: &str, at: &str, allowed: &[&str]) -> Result<()> {
    let value = field_str(object, key, at).map_err(|e| GraderError {
        message: format!("{}; allowed: {}", e.message, quoted_list(allowed)),
        ..e
    })?;
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(error(&join(at, key), format!("`{value}` is not allowed; allowed: {}", quoted_list(allowed))))
    }
}

fn optional_number(object: &Map<String, Value>, key: &str, at: &str) -> Result<()> {
    match object.get(key) {
        None | Some(Value::Number(_)) => Ok(()),
        Some(other) => Err(error(&join(at, key), format!("must be a number, not {}", type_name(other)))),
    }
}

/// Checks one grader at `at` and collects its template-bearing strings as `(field, text)`.
/// Returns its type.
fn check_grader(value: &Value, at: &str, templates: &mut Vec<(String, String)>) -> Result<String> {
    let Value::Object(object) = value else {
        return Err(error(at, format!("a grader must be an object, not {}", type_name(value))));
    };
    one_of(object, "type", at, &TYPES)?;
    let kind = field_str(object, "type", at)?.to_owned();
    if let Some(name) = object.get("name") {
        if !name.is_string() {
            return Err(error(&join(at, "name"), format!("must be a string, not {}", type_name(name))));
        }
    } else if kind != "multi" {
        return Err(error(&join(at, "name"), "is missing: every grader has a `name`"));
    }
    let text_field = |key: &str, templates: &mut Vec<(String, String)>| -> Result<()> {
        let text = field_str(object, key, at)?;
        templates.push((join(at, key), text.to_owned()));
        Ok(())
    };
    match kind.as_str() {
        "string_check" => {
            text_field("input", templates)?;
            text_field("reference", templates)?;
            one_of(object, "operation", at, &OPERATIONS)?;
        }
        "text_similarity" => {
            text_field("input", templates)?;
            text_field("reference", templates)?;
            one_of(object, "evaluation_metric", at, &METRICS)?;
            optional_number(object, "pass_threshold", at)?;
        }
        "score_model" | "label_model" => {
            field_str(object, "model", at)?;
            check_model_input(object, at, templates)?;
            if kind == "score_model" {
                check_range(object, at)?;
                optional_number(object, "pass_threshold", at)?;
            } else {
                check_labels(object, at)?;
            }
        }
        "python" => {
            let source = field_str(object, "source", at)?;
            check_python(source, &join(at, "source"))?;
        }
        "multi" => check_multi(object, at, templates)?,
        _ => unreachable!("one_of checked the type"),
    }
    Ok(kind)
}

/// A model grader's `input`: chat messages whose text may hold templates.
fn check_model_input(
    object: &Map<String, Value>,
    at: &str,
    templates: &mut Vec<(String, String)>,
) -> Result<()> {
    let field = join(at, "input");
    let messages = match object.get("input") {
        Some(Value::Array(messages)) if !messages.is_empty() => messages,
        Some(Value::Array(_)) => {
            return Err(error(&field, "is empty: a model grader needs at least one message"))
        }
        Some(other) => {
            return Err(error(&field, format!("must be an array of messages, not {}", type_name(other))))
        }
        None => {
            return Err(error(&field, "is missing: a model grader needs its prompt as an array of messages"))
        }
    };
    for (index, message) in messages.iter().enumerate() {
        let at = format!("{field}.{index}");
        let Value::Object(message) = message else {
            return Err(error(&at, format!("a message must be an object, not {}", type_name(message))));
        };
        one_of(message, "role", &at, &ROLES)?;
        match message.get("content") {
            Some(Value::String(text)) => templates.push((join(&at, "content"), text.clone())),
            Some(Value::Object(part)) => collect_part(part, &join(&at, "content"), templates),
            Some(Value::Array(parts)) => {
                for (n, part) in parts.iter().enumerate() {
                    let part_at = format!("{at}.content.{n}");
                    match part {
                        Value::Object(part) => collect_part(part, &part_at, templates),
                        Value::String(text) => templates.push((part_at, text.clone())),
                        other => {
                            return Err(error(
                                &part_at,
                                format!("a content part must be an object, not {}", type_name(other)),
                            ))
                        }
                    }
                }
            }
            Some(other) => {
                return Err(error(
                    &join(&at, "content"),
                    format!("must be a string or content parts, not {}", type_name(other)),
                ))
            }
            None => return Err(error(&join(&at, "content"), "is missing")),
        }
    }
    Ok(())
}

/// The template-bearing strings of a content part (`text`, `image_url`, …).
fn collect_part(part: &Map<String, Value>, at: &str, templates: &mut Vec<(String, String)>) {
    for (key, value) in part {
        if let Value::String(text) = value {
            if key != "type" {
                templates.push((join(at, key), text.clone()));
            }
        }
    }
}

fn check_range(object: &Map<String, Value>, at: &str) -> Result<()> {
    let Some(range) = object.get("range") else { return Ok(()) };
    let field = join(at, "range");
    let bounds: Option<Vec<f64>> =
        range.as_array().map(|items| items.iter().filter_map(Value::as_f64).collect());
    match bounds.as_deref() {
        Some([low, high]) if low < high && range.as_array().is_some_and(|a| a.len() == 2) => Ok(()),
        _ => Err(error(&field, "must be two numbers, the lowest score first (e.g. `[0, 1]`)")),
    }
}

fn check_labels(object: &Map<String, Value>, at: &str) -> Result<()> {
    let strings = |key: &str| -> Result<Vec<&str>> {
        let field = join(at, key);
        let items = match object.get(key) {
            Some(Value::Array(items)) if !items.is_empty() => items,
            Some(_) => return Err(error(&field, "must be a non-empty array of strings")),
            None => {
                return Err(error(
                    &field,
                    "is missing: a label model grader needs `labels` and `passing_labels`",
                ))
            }
        };
        items
            .iter()
            .map(|item| item.as_str().ok_or_else(|| error(&field, "must be a non-empty array of strings")))
            .collect()
    };
    let labels = strings("labels")?;
    for passing in strings("passing_labels")? {
        if !labels.contains(&passing) {
            return Err(error(
                &join(at, "passing_labels"),
                format!("`{passing}` is not one of the `labels`; allowed: {}", quoted_list(&labels)),
            ));
        }
    }
    Ok(())
}

fn check_multi(object: &Map<String, Value>, at: &str, templates: &mut Vec<(String, String)>) -> Result<()> {
    let field = join(at, "graders");
    let graders = match object.get("graders") {
        Some(Value::Object(graders)) if !graders.is_empty() => graders,
        Some(_) => {
            return Err(error(
                &field,
                "must be an object of named graders, e.g. `{\"exact\": {\"type\": \"string_check\", …}}`",
            ))
        }
        None => return Err(error(&field, "is missing: a `multi` grader combines named graders")),
    };
    for (name, grader) in graders {
        check_grader(grader, &join(&field, name), templates)?;
    }
    let formula = field_str(object, "calculate_output", at)?;
    let names: Vec<&str> = graders.keys().map(String::as_str).collect();
    check_formula(formula, &names).map_err(|message| error(&join(at, "calculate_output"), message))
}

/// Checks a `calculate_output` formula: numbers, the graders' names, the allowed functions, the
/// operators `+ - * / ^`, commas and balanced parentheses.
fn check_formula(formula: &str, names: &[&str]) -> std::result::Result<(), String> {
    if formula.trim().is_empty() {
        return Err("is empty; write a formula over the graders' names, e.g. `0.5 * a + 0.5 * b`".to_owned());
    }
    let mut depth = 0i32;
    let mut chars = formula.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match c {
            ' ' | '\t' | '+' | '-' | '*' | '/' | '^' | ',' | '.' | '0'..='9' => {}
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("`{formula}` closes a parenthesis it never opened"));
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, next)) = chars.peek() {
                    if next.is_alphanumeric() || next == '_' {
                        end = i + next.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &formula[start..end];
                if !names.contains(&word) && !FUNCTIONS.contains(&word) {
                    return Err(format!(
                        "`{word}` is neither one of the `graders` ({}) nor a function ({})",
                        quoted_list(names),
                        quoted_list(&FUNCTIONS)
                    ));
                }
            }
            other => {
                return Err(format!(
                    "`{other}` is not allowed in a formula; allowed: numbers, the graders' names, `+ - * / ^`, parentheses and {}",
                    quoted_list(&FUNCTIONS)
                ))
            }
        }
    }
    if depth != 0 {
        return Err(format!("`{formula}` leaves a parenthesis open"));
    }
    Ok(())
}

/// Checks a Python grader's source as far as can be told without running it: under Azure's size
/// limit, brackets and string literals closed, and a top-level `def grade(sample, item)`.
fn check_python(source: &str, field: &str) -> Result<()> {
    if source.len() >= PYTHON_SOURCE_LIMIT {
        return Err(error(
            field,
            format!("is {} bytes; a Python grader's source must be under 256 kB", source.len()),
        ));
    }
    scan_python(source).map_err(|message| error(field, message))?;
    let defines_grade = source.lines().any(|line| {
        let Some(rest) = line.strip_prefix("def ") else { return false };
        let rest = rest.trim_start();
        let Some(params) = rest.strip_prefix("grade").map(str::trim_start).and_then(|r| r.strip_prefix('('))
        else {
            return false;
        };
        let params: Vec<&str> =
            params.split([',', ')']).map(|p| p.split([':', '=']).next().unwrap_or("").trim()).collect();
        params.len() >= 2 && params[0] == "sample" && params[1] == "item"
    });
    if !defines_grade {
        return Err(error(
            field,
            "defines no top-level `def grade(sample, item)`, the function the service calls for each answer",
        ));
    }
    Ok(())
}

/// A light Python tokenizer: string literals (with prefixes, triple quotes and escapes), comments
/// and brackets, enough to tell a truncated or mangled source (a lost line break in the JSON, a quote
/// escaped once too often) from one that may well parse.
fn scan_python(source: &str) -> std::result::Result<(), String> {
    let bytes = source.as_bytes();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => line += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                let triple = bytes.get(i..i + 3) == Some(&[b, b, b][..]);
                let start_line = line;
                i += if triple { 3 } else { 1 };
                loop {
                    let Some(&c) = bytes.get(i) else {
                        return Err(format!(
                            "line {start_line} of the source opens a string that is never closed"
                        ));
                    };
                    if c == b'\\' {
                        if bytes.get(i + 1) == Some(&b'\n') {
                            line += 1;
                        }
                        i += 2;
                        continue;
                    }
                    if c == b'\n' {
                        if !triple {
                            return Err(format!(
                                "line {start_line} of the source has a string that is not closed on its line"
                            ));
                        }
                        line += 1;
                    }
                    if c == b && (!triple || bytes.get(i..i + 3) == Some(&[b, b, b][..])) {
                        i += if triple { 3 } else { 1 };
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => stack.push((b, line)),
            b')' | b']' | b'}' => {
                let open = match b {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match stack.pop() {
                    Some((o, _)) if o == open => {}
                    _ => {
                        return Err(format!(
                            "line {line} of the source closes `{}` that is not open",
                            b as char
                        ))
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if let Some((open, at)) = stack.pop() {
        return Err(format!("line {at} of the source opens `{}` that is never closed", open as char));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(value: Value) -> Result<Grader> {
        Grader::from_value(&value)
    }

    #[test]
    fn every_documented_grader_type_is_accepted_and_its_item_paths_are_kept() {
        let multi = json!({
            "type": "multi", "name": "m",
            "graders": {
                "exact": {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "{{ item.reference_answer }}", "operation": "eq"},
                "close": {"type": "text_similarity", "name": "close", "input": "{{sample.output_text}}", "reference": "{{item.meta.answer}}", "evaluation_metric": "rouge_l"},
                "judge": {"type": "score_model", "name": "judge", "model": "o3-mini-2025-01-31", "range": [0, 1],
                          "input": [{"role": "user", "content": "Answer {{sample.output_text}} against {{item.reference_answer}}"}]},
                "label": {"type": "label_model", "name": "label", "model": "gpt-4o-2024-08-06", "labels": ["good", "bad"], "passing_labels": ["good"],
                          "input": [{"role": "developer", "content": [{"type": "input_text", "text": "{{item.rubric}}"}]}]},
                "code": {"type": "python", "name": "code", "source": "def grade(sample, item) -> float:\n    return 1.0 if sample['output_text'] == item['x'] else 0.0\n"}
            },
            "calculate_output": "0.4 * exact + 0.2 * max(close, judge) + 0.2 * label + 0.2 * code"
        });
        let grader = check(multi).unwrap();
        assert_eq!(grader.kind, "multi");
        let paths: Vec<_> = grader.item_refs.iter().map(|r| (r.path.join("."), r.field.as_str())).collect();
        assert_eq!(
            paths,
            // The named graders in the order of their names (serde_json's map is sorted).
            [
                ("meta.answer".to_owned(), "graders.close.reference"),
                ("reference_answer".to_owned(), "graders.exact.reference"),
                ("rubric".to_owned(), "graders.label.input.0.content.0.text"),
            ]
        );
    }

    #[test]
    fn a_bad_value_names_the_field_and_what_is_allowed() {
        let err = check(json!({"type": "string_check", "name": "s", "input": "a", "reference": "b", "operation": "equals"})).unwrap_err();
        assert_eq!(err.field, "operation");
        assert!(
            err.message.contains("`equals` is not allowed; allowed: `eq`, `ne`, `like`, `ilike`"),
            "{err}"
        );
        let err = check(json!({"type": "text_similarity", "name": "t", "input": "a", "reference": "b", "evaluation_metric": "rouge"})).unwrap_err();
        assert_eq!(err.field, "evaluation_metric");
        assert!(err.message.contains("`fuzzy_match`") && err.message.contains("`rouge_l`"), "{err}");
        let err = check(json!({"type": "string_compare", "name": "s"})).unwrap_err();
        assert_eq!(err.field, "type");
        assert!(err.message.contains("`python`, `multi`"), "{err}");
        let err = check(json!({"type": "string_check", "name": "s", "reference": "b", "operation": "eq"}))
            .unwrap_err();
        assert_eq!((err.field.as_str(), err.message.as_str()), ("input", "is missing"));
    }

    #[test]
    fn multi_formulas_may_use_only_the_graders_and_the_documented_functions() {
        let grader = |formula: &str| {
            check(json!({"type": "multi", "name": "m", "calculate_output": formula,
                "graders": {"a": {"type": "string_check", "name": "a", "input": "x", "reference": "y", "operation": "eq"}}}))
        };
        assert!(grader("min(1, a ^ 2) / 2").is_ok());
        let err = grader("a + b").unwrap_err();
        assert_eq!(err.field, "calculate_output");
        assert!(err.message.contains("`b` is neither"), "{err}");
        assert!(grader("(a + 1").unwrap_err().message.contains("open"));
        assert!(grader("a % 2").unwrap_err().message.contains("`%` is not allowed"));
    }

    #[test]
    fn python_sources_must_close_what_they_open_and_define_grade() {
        let python = |source: &str| check(json!({"type": "python", "name": "p", "source": source}));
        assert!(python("import json\n\ndef grade(sample, item):\n    s = '''a\n(b'''\n    return float(sample['x'] == item['y'])  # )\n").is_ok());
        let err =
            python("def grade(sample, item):\n    return float(sample['x'] == item['y']\n").unwrap_err();
        assert_eq!(err.field, "source");
        assert!(err.message.contains("line 2") && err.message.contains("never closed"), "{err}");
        assert!(python("def score(sample, item):\n    return 1\n")
            .unwrap_err()
            .message
            .contains("def grade(sample, item)"));
        assert!(python("def grade(item, sample):\n    return 1\n").is_err());
        assert!(python("x = 'unterminated\ndef grade(sample, item):\n    return 1\n")
            .unwrap_err()
            .message
            .contains("line 1"));
    }

    #[test]
    fn output_json_paths_need_a_response_format_schema_that_has_them() {
        let grader = json!({"type": "string_check", "name": "s", "input": "{{sample.output_json.clause_type}}", "reference": "{{item.clause_type}}", "operation": "eq"});
        let err = check(grader.clone()).unwrap_err();
        assert_eq!(err.field, "input");
        assert!(err.message.contains("no `response_format`"), "{err}");
        let schema = json!({"type": "object", "properties": {"clause_type": {"type": "string"}}, "required": ["clause_type"], "additionalProperties": false});
        let method = json!({"grader": grader, "response_format": {"type": "json_schema", "json_schema": {"name": "c", "schema": schema, "strict": true}}});
        assert_eq!(check(method.clone()).unwrap().item_refs.len(), 1);
        let wrapped = json!({"type": "reinforcement", "reinforcement": method});
        assert!(check(wrapped).is_ok());
        let other = json!({"grader": {"type": "string_check", "name": "s", "input": "{{sample.output_json.answer}}", "reference": "x", "operation": "eq"},
            "response_format": {"type": "json_schema", "name": "c", "schema": schema}});
        let err = check(other).unwrap_err();
        assert_eq!(err.field, "grader.input");
        assert!(err.message.contains("no property `answer`"), "{err}");
    }

    #[test]
    fn an_unclosed_template_is_an_error_quoting_it() {
        let err = check(json!({"type": "string_check", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.reference_answer", "operation": "eq"})).unwrap_err();
        assert_eq!(err.field, "reference");
        assert!(err.message.contains("`{{item.reference_answer` opens a template"), "{err}");
        assert!(err.message.contains("never closed"), "{err}");
        let err = check(json!({"type": "string_check", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.a and {{item.b}}", "operation": "eq"})).unwrap_err();
        assert!(err.message.contains("`{{item.a and`"), "{err}");
    }

    #[test]
    fn templates_outside_item_and_sample_are_errors() {
        let err = check(json!({"type": "string_check", "name": "s", "input": "{{output}}", "reference": "{{item.}}", "operation": "eq"})).unwrap_err();
        assert_eq!(err.field, "input");
        assert!(err.message.contains("neither `item`"), "{err}");
        assert_eq!(templates_in("a {{x}} b {{ y.z }}").unwrap(), ["{{x}}", "{{ y.z }}"]);
        assert_eq!(templates_in("a {{x}} b {{open"), Err("{{open"));
        assert_eq!(templates_in("{{item.a {{item.b}}"), Err("{{item.a"));
        let grader = |input: &str| {
            check(
                json!({"type": "string_check", "name": "s", "input": input, "reference": "r", "operation": "eq"}),
            )
        };
        assert!(grader("{{sample.output_tools}} {{sample.output_json}}").is_ok());
        assert!(grader("{{sample}}").unwrap_err().message.contains("names no field of the sample"));
    }
}
