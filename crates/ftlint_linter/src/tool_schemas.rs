//! The tool definitions of a record, read once per distinct `tools` array and kept per thread.
//!
//! Files that define tools usually repeat the same `tools` array on every line, and compiling a
//! JSON Schema costs far more than checking a record. So the definitions are hashed (the canonical
//! form the dataset rules use, [`crate::dataset::record_hash`]), and each thread keeps what it made
//! of each distinct array: the `parameters` schemas as `serde_json` values, the first meta-schema
//! violation of each (FT235) and a compiled validator for the arguments of the calls (FT237). The
//! rules that read them decide what to report; this module holds no wording.
//!
//! Meta-schema validation and argument validation use the `jsonschema` crate, behind the
//! `tool-schemas` feature (on by default, off for `wasm32-unknown-unknown` builds with
//! `--no-default-features`). Without it, [`ToolFunction::schema_error`] is always `None` and
//! [`ToolFunction::argument_errors`] always empty; the rest (names, `strict`, the schemas
//! themselves) is there either way.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::model::json::{Object, Value};

/// The functions a record (or a DPO `input`) defines, in the order its arrays list them.
pub struct ToolSet {
    pub functions: Vec<ToolFunction>,
}

/// One function definition.
pub struct ToolFunction {
    /// Where the function's definition is, from its owner: `/tools/2/function` or `/functions/0`.
    pub pointer: String,
    /// Its `name`, when it is a string.
    pub name: Option<String>,
    /// Whether `strict` is `true`.
    pub strict: bool,
    /// Its `parameters`, when that is an object (anything else is FT227's).
    pub parameters: Option<serde_json::Value>,
    /// The first way `parameters` breaks the JSON Schema meta-schema, if it does.
    pub schema_error: Option<SchemaError>,
    /// A rule's own reading of the schema, made on first use and kept with the compiled set (the
    /// strict-mode subset check of FT236).
    pub strict_problems: OnceCell<Vec<SchemaError>>,
    #[cfg(feature = "tool-schemas")]
    validator: Option<jsonschema::Validator>,
}

/// One problem at a place: `path` is a JSON pointer inside the value checked (the schema, or the
/// arguments), `""` for the whole of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    pub path: String,
    pub message: String,
}

/// Distinct tool sets a thread keeps before it starts over; a file rarely has more than a few.
const CACHE_LIMIT: usize = 1024;

thread_local! {
    static CACHE: RefCell<FxHashMap<u128, Rc<ToolSet>>> = RefCell::new(FxHashMap::default());
}

/// The functions `owner` defines in `tools` (and in the legacy `functions` when `legacy` is set:
/// in RFT that key belongs to the graders), or `None` when it defines none.
pub fn tool_set(owner: &Object<'_>, legacy: bool) -> Option<Rc<ToolSet>> {
    let tools = owner.get("tools").filter(|v| v.is_array());
    let functions = owner.get("functions").filter(|v| legacy && v.is_array());
    if tools.is_none() && functions.is_none() {
        return None;
    }
    let key = crate::dataset::record_hash(&Value::Array(&[
        tools.copied().unwrap_or(Value::Null),
        functions.copied().unwrap_or(Value::Null),
    ]));
    let cached = CACHE.with(|cache| cache.borrow().get(&key).cloned());
    if let Some(set) = cached {
        return Some(set);
    }
    let set = Rc::new(build(tools, functions));
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, Rc::clone(&set));
    });
    Some(set)
}

impl ToolSet {
    /// The function a call names; the first of that name, as a reader that looks it up would find.
    pub fn function(&self, name: &str) -> Option<&ToolFunction> {
        self.functions.iter().find(|f| f.name.as_deref() == Some(name))
    }
}

impl ToolFunction {
    /// Where `arguments` break the `parameters` schema, at most `limit` of them; empty when they
    /// match, or when the schema could not be compiled.
    pub fn argument_errors(&self, arguments: &serde_json::Value, limit: usize) -> Vec<SchemaError> {
        #[cfg(feature = "tool-schemas")]
        if let Some(validator) = &self.validator {
            // Most calls match; `is_valid` stops at the first failure and builds no errors.
            if validator.is_valid(arguments) {
                return Vec::new();
            }
            return validator
                .iter_errors(arguments)
                .take(limit)
                .map(|error| SchemaError {
                    path: error.instance_path.as_str().to_owned(),
                    message: error.to_string(),
                })
                .collect();
        }
        let _ = (arguments, limit);
        Vec::new()
    }
}

fn build(tools: Option<&Value<'_>>, functions: Option<&Value<'_>>) -> ToolSet {
    let mut defined = Vec::new();
    for (index, tool) in tools.and_then(Value::as_array).into_iter().flatten().enumerate() {
        if let Some(function) = tool.get("function").and_then(Value::as_object) {
            defined.push(function_of(function, format!("/tools/{index}/function")));
        }
    }
    for (index, function) in functions.and_then(Value::as_array).into_iter().flatten().enumerate() {
        if let Some(function) = function.as_object() {
            defined.push(function_of(function, format!("/functions/{index}")));
        }
    }
    ToolSet { functions: defined }
}

fn function_of(function: &Object<'_>, pointer: String) -> ToolFunction {
    let parameters =
        function.get("parameters").filter(|p| p.is_object()).and_then(|p| serde_json::to_value(p).ok());
    #[cfg(feature = "tool-schemas")]
    let (schema_error, validator) = match &parameters {
        Some(schema) => compile(schema),
        None => (None, None),
    };
    #[cfg(not(feature = "tool-schemas"))]
    let schema_error = None;
    ToolFunction {
        pointer,
        name: function.get("name").and_then(Value::as_str).map(str::to_owned),
        strict: function.get("strict").and_then(Value::as_bool) == Some(true),
        parameters,
        schema_error,
        strict_problems: OnceCell::new(),
        #[cfg(feature = "tool-schemas")]
        validator,
    }
}

/// Checks `schema` against its meta-schema (the draft its `$schema` names, 2020-12 by default) and
/// compiles it. A schema that passes the meta-schema but cannot be compiled (a `$ref` to a document
/// that cannot be fetched offline) gets no validator and no error: ftlint cannot tell.
#[cfg(feature = "tool-schemas")]
fn compile(schema: &serde_json::Value) -> (Option<SchemaError>, Option<jsonschema::Validator>) {
    match jsonschema::meta::try_validate(schema) {
        Ok(Err(error)) => {
            let found =
                SchemaError { path: error.instance_path.as_str().to_owned(), message: error.to_string() };
            return (Some(found), None);
        }
        Err(error) => {
            // `$schema` names a draft the validator does not know.
            let found = SchemaError { path: "/$schema".to_owned(), message: error.to_string() };
            return (Some(found), None);
        }
        Ok(Ok(())) => {}
    }
    (None, jsonschema::validator_for(schema).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set_of(record: serde_json::Value) -> Rc<ToolSet> {
        let arena = bumpalo::Bump::new();
        let value = Value::from_serde(&record, &arena);
        tool_set(value.as_object().unwrap(), true).unwrap()
    }

    #[test]
    fn the_same_tools_are_read_once_per_thread() {
        let record = json!({"tools": [{"type": "function", "function": {"name": "f", "strict": true,
            "parameters": {"type": "object", "properties": {"a": {"type": "string"}}}}}]});
        let first = set_of(record.clone());
        let again = set_of(record);
        assert!(Rc::ptr_eq(&first, &again));
        let f = first.function("f").unwrap();
        assert!(f.strict && f.parameters.is_some());
        assert_eq!(f.pointer, "/tools/0/function");
        let other = set_of(json!({"functions": [{"name": "f"}]}));
        assert!(!Rc::ptr_eq(&first, &other));
        assert_eq!(other.functions[0].pointer, "/functions/0");
        let arena = bumpalo::Bump::new();
        let legacy = Value::from_serde(&json!({"messages": [], "functions": [{"name": "f"}]}), &arena);
        assert!(tool_set(legacy.as_object().unwrap(), false).is_none());
    }

    #[cfg(feature = "tool-schemas")]
    #[test]
    fn schemas_are_checked_against_the_meta_schema_and_arguments_against_the_schema() {
        let set = set_of(json!({"tools": [
            {"type": "function", "function": {"name": "bad", "parameters": {"type": 32}}},
            {"type": "function", "function": {"name": "good", "parameters": {"type": "object",
                "properties": {"unit": {"enum": ["c", "f"]}}, "required": ["unit"]}}}]}));
        let bad = set.function("bad").unwrap();
        assert_eq!(bad.schema_error.as_ref().unwrap().path, "/type");
        assert!(bad.argument_errors(&json!({}), 5).is_empty());
        let good = set.function("good").unwrap();
        assert_eq!(good.schema_error, None);
        assert!(good.argument_errors(&json!({"unit": "c"}), 5).is_empty());
        let errors = good.argument_errors(&json!({"unit": "k"}), 5);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, "/unit");
    }
}
