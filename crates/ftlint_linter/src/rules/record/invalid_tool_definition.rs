//! FT227 `invalid-tool-definition`: an entry of `tools` (or legacy `functions`) that does not define
//! a function the way the training schema requires.

use std::fmt::Display;

use crate::model::json::{type_name, Object, Value};

use crate::context::RecordContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT227 invalid-tool-definition

## What it does
Checks the tool definitions of a record: `tools` must be an array of `{"type": "function",
"function": {"name": …, "description"?, "parameters"?}}`, and the legacy `functions` an array of
`{"name": …, "description"?, "parameters"?}`. A function `name` must be 1 to 64 characters from
`a-z`, `A-Z`, `0-9`, `_` and `-`; `parameters`, when present, must be an object (a JSON Schema).

## Why it matters
The definitions are part of the training prompt and the service validates them against the same
schema as the chat API's; a name with spaces or dots, or a schema given as a string, fails the file.

## Example
```json
{"messages": [...], "tools": [{"type": "function", "function": {"name": "get weather", "parameters": "{\"type\": \"object\"}"}}]}
```

## How to fix
Use names such as `get_weather`, and give `parameters` as a JSON Schema object:
`{"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}`.
"#;

pub const FIX: &str = "define tools as {\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"parameters\": {…}}}";

/// Checks the `keys` (`tools`, `functions`) of `container` (the record, or a DPO `input`) found at
/// `base`. In RFT only `tools` is reserved; any other key belongs to the graders.
pub fn check(ctx: &mut RecordContext<'_>, container: &Object<'_>, base: &str, keys: &[&str]) {
    if !ctx.enabled(Rule::InvalidToolDefinition) {
        return;
    }
    for &key in keys {
        let Some(value) = container.get(key) else {
            continue;
        };
        // Pointers are rendered only for a finding: these run for every tool of every record. The
        // keys are constants with nothing to escape.
        let pointer = format_args!("{base}/{key}");
        let Some(items) = value.as_array() else {
            let problem =
                format!("`{key}` is {}, but must be an array of function definitions", type_name(value));
            report(ctx, &pointer.to_string(), &problem);
            continue;
        };
        for (index, item) in items.iter().enumerate() {
            let item_pointer = format_args!("{base}/{key}/{index}");
            let n = index + 1;
            let Some(item) = item.as_object() else {
                report(
                    ctx,
                    &item_pointer.to_string(),
                    &format!("`{key}` entry {n} is {}, but must be an object", type_name(item)),
                );
                continue;
            };
            if key == "functions" {
                check_function(ctx, item, &item_pointer, &format_args!("`functions` entry {n}"));
                continue;
            }
            match item.get("type") {
                Some(Value::String(s)) if *s == "function" => {}
                None => report(
                    ctx,
                    &item_pointer.to_string(),
                    &format!("tool {n} has no `type`; it must be \"function\""),
                ),
                Some(other) => {
                    let shown =
                        other.as_str().map_or_else(|| type_name(other).to_owned(), |s| format!("\"{s}\""));
                    report(
                        ctx,
                        &format!("{item_pointer}/type"),
                        &format!("tool {n}: `type` is {shown}, but must be \"function\""),
                    );
                }
            }
            match item.get("function") {
                Some(Value::Object(function)) => {
                    check_function(
                        ctx,
                        function,
                        &format_args!("{item_pointer}/function"),
                        &format_args!("tool {n}"),
                    );
                }
                None => {
                    report(ctx, &item_pointer.to_string(), &format!("tool {n} has no `function` definition"))
                }
                Some(other) => report(
                    ctx,
                    &format!("{item_pointer}/function"),
                    &format!("tool {n}: `function` is {}, but must be an object", type_name(other)),
                ),
            }
        }
    }
}

fn check_function(
    ctx: &mut RecordContext<'_>,
    function: &Object<'_>,
    pointer: &dyn Display,
    what: &dyn Display,
) {
    match function.get("name") {
        Some(Value::String(name)) => {
            if let Some(problem) = name_problem(name) {
                report(ctx, &format!("{pointer}/name"), &format!("{what}: function name `{name}` {problem}"));
            }
        }
        None => report(ctx, &pointer.to_string(), &format!("{what}: the function has no `name`")),
        Some(other) => report(
            ctx,
            &format!("{pointer}/name"),
            &format!("{what}: the function `name` is {}, but must be a string", type_name(other)),
        ),
    }
    if let Some(parameters) = function.get("parameters") {
        if !parameters.is_object() {
            let problem = format!(
                "{what}: `parameters` is {}, but must be a JSON Schema object",
                type_name(parameters)
            );
            report(ctx, &format!("{pointer}/parameters"), &problem);
        }
    }
}

/// What is wrong with a function name, per `^[a-zA-Z0-9_-]{1,64}$`; `None` when it is fine.
pub fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".to_owned());
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-')) {
        return Some(format!("has `{bad}`; names may only use a-z, A-Z, 0-9, `_` and `-`"));
    }
    // Only ASCII is left, so bytes are characters.
    (name.len() > 64).then(|| format!("is {} characters long; the limit is 64", name.len()))
}

fn report(ctx: &mut RecordContext<'_>, pointer: &str, problem: &str) {
    ctx.report(Rule::InvalidToolDefinition, pointer).message(problem);
}

#[cfg(test)]
mod tests {
    use super::name_problem;

    #[test]
    fn function_names_follow_the_schema_pattern() {
        for good in ["get_weather", "a", "A-9_z", &"x".repeat(64)] {
            assert_eq!(name_problem(good), None, "{good}");
        }
        for bad in ["", "get weather", "get.weather", "café", &"x".repeat(65)] {
            assert!(name_problem(bad).is_some(), "{bad}");
        }
    }
}
