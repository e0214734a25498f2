//! FT236 `unsupported-strict-schema`: a function with `strict: true` whose `parameters` break the
//! rules of OpenAI's structured outputs.

use serde_json::Value;

use crate::context::RecordContext;
use crate::locate::escape_token;
use crate::rules::Rule;
use crate::tool_schemas::{SchemaError, ToolSet};

pub const DOCS: &str = r#"# FT236 unsupported-strict-schema

## What it does
For each function defined with `"strict": true`, checks its `parameters` against the subset of
JSON Schema that OpenAI's structured outputs support (docs/service-rules.md §9): the root is an
object schema (not `anyOf`); every object schema sets `"additionalProperties": false` and lists
every one of its `properties` in `required`; and no keyword outside the subset is used
(`allOf`, `not`, `if`/`then`/`else`, `dependentRequired`, `dependentSchemas`,
`patternProperties`, `unevaluatedProperties`, `propertyNames`, `minProperties`, `maxProperties`,
`unevaluatedItems`, `contains`, `minContains`, `maxContains`, `uniqueItems`). Each break is one
finding, at most ten per function.

## Why it matters
With `strict: true` the model's calls are constrained to match the schema exactly, and the API
rejects a strict schema outside the subset when the tool is used. A model fine-tuned on such a
definition learns a tool it cannot be given in strict mode, and the file may be rejected.

## Example
```json
{"type": "function", "function": {"name": "get_weather", "strict": true, "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}, "required": ["city"]}}}
```
`additionalProperties: false` is missing, and `unit` is not in `required`.

## How to fix
Add `"additionalProperties": false` to every object schema and list every property in
`required`; make a property optional by allowing `null` (`"type": ["string", "null"]`). Remove
the unsupported keywords, or set `strict` to `false`.
"#;

pub const FIX: &str =
    "set additionalProperties: false on every object, require every property, or drop `strict`";

/// Keywords outside the structured-outputs subset.
const UNSUPPORTED: &[&str] = &[
    "allOf",
    "not",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
    "unevaluatedProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "uniqueItems",
];

/// Findings per function at most: a schema written without strict mode in mind breaks the rules
/// at every object, and the first few say what to do.
const MAX_PER_FUNCTION: usize = 10;

/// Reports the strict functions of `tools` (defined at `base`) whose schema leaves the subset. A
/// schema that is not a JSON Schema at all is FT235's finding, not this one's.
pub fn check(ctx: &mut RecordContext<'_>, tools: &ToolSet, base: &str) {
    if !ctx.enabled(Rule::UnsupportedStrictSchema) {
        return;
    }
    for function in tools.functions.iter().filter(|f| f.strict && f.schema_error.is_none()) {
        let Some(parameters) = &function.parameters else { continue };
        let problems = function.strict_problems.get_or_init(|| problems_of(parameters));
        let name =
            function.name.as_deref().map_or_else(|| "the function".to_owned(), |n| format!("function `{n}`"));
        for problem in problems {
            ctx.report(
                Rule::UnsupportedStrictSchema,
                &format!("{base}{}/parameters{}", function.pointer, problem.path),
            )
            .message(format!(
                "{name} has `strict: true`, but {}; strict mode supports only a subset of JSON Schema",
                problem.message
            ))
            .label("outside the strict subset");
        }
    }
}

/// The ways `schema` leaves the subset, in document order, at most [`MAX_PER_FUNCTION`].
pub fn problems_of(schema: &Value) -> Vec<SchemaError> {
    let mut problems = Vec::new();
    let is_object_root = schema.get("type").and_then(Value::as_str) == Some("object");
    if !is_object_root {
        problems.push(SchemaError {
            path: String::new(),
            message: "the root schema is not `\"type\": \"object\"`".to_owned(),
        });
    }
    walk(schema, "", &mut problems);
    problems.truncate(MAX_PER_FUNCTION);
    problems
}

fn walk(schema: &Value, path: &str, problems: &mut Vec<SchemaError>) {
    let Some(object) = schema.as_object() else { return };
    if problems.len() >= MAX_PER_FUNCTION {
        return;
    }
    let here = if path.is_empty() { "the root".to_owned() } else { format!("`{path}`") };
    for key in object.keys() {
        if UNSUPPORTED.contains(&key.as_str()) {
            problems.push(SchemaError {
                path: format!("{path}/{}", escape_token(key)),
                message: format!("{here} uses `{key}`, which strict mode does not support"),
            });
        }
    }
    let is_object = match object.get("type") {
        Some(Value::String(kind)) => kind == "object",
        Some(Value::Array(kinds)) => kinds.iter().any(|k| k == "object"),
        _ => object.contains_key("properties"),
    };
    let at = if path.is_empty() { "the root object".to_owned() } else { format!("the object at `{path}`") };
    if is_object {
        if object.get("additionalProperties") != Some(&Value::Bool(false)) {
            problems.push(SchemaError {
                path: path.to_owned(),
                message: format!("{at} does not set `\"additionalProperties\": false`"),
            });
        }
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            let missing: Vec<&str> =
                properties.keys().map(String::as_str).filter(|name| !required.contains(name)).collect();
            if !missing.is_empty() {
                let names: Vec<String> = missing.iter().map(|n| format!("`{n}`")).collect();
                let place = if object.contains_key("required") {
                    format!("{path}/required")
                } else {
                    path.to_owned()
                };
                problems.push(SchemaError {
                    path: place,
                    message: format!(
                        "{at} does not list {} in `required` (every property must be; allow `null` to make one optional)",
                        names.join(", ")
                    ),
                });
            }
        }
    }
    // The subschemas, wherever the subset lets them be.
    for key in ["properties", "$defs", "definitions"] {
        if let Some(children) = object.get(key).and_then(Value::as_object) {
            for (name, child) in children {
                walk(child, &format!("{path}/{key}/{}", escape_token(name)), problems);
            }
        }
    }
    for key in ["anyOf", "items", "prefixItems"] {
        match object.get(key) {
            Some(Value::Array(children)) => {
                for (index, child) in children.iter().enumerate() {
                    walk(child, &format!("{path}/{key}/{index}"), problems);
                }
            }
            Some(child @ Value::Object(_)) => walk(child, &format!("{path}/{key}"), problems),
            _ => {}
        }
    }
    if let Some(child @ Value::Object(_)) = object.get("additionalProperties") {
        walk(child, &format!("{path}/additionalProperties"), problems);
    }
}

#[cfg(test)]
mod tests {
    use super::problems_of;
    use serde_json::json;

    fn paths(schema: serde_json::Value) -> Vec<String> {
        problems_of(&schema).into_iter().map(|p| p.path).collect()
    }

    #[test]
    fn a_schema_inside_the_subset_passes() {
        let schema = json!({"type": "object", "additionalProperties": false, "required": ["city", "unit", "days"],
            "properties": {"city": {"type": "string", "pattern": "^[A-Z]"}, "unit": {"type": ["string", "null"], "enum": ["c", "f", null]},
                "days": {"type": "array", "items": {"type": "object", "properties": {"d": {"type": "integer"}}, "required": ["d"], "additionalProperties": false}}},
            "$defs": {}});
        assert!(paths(schema).is_empty());
    }

    #[test]
    fn every_object_needs_additional_properties_false_and_every_property_required() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "string"},
            "b": {"type": "object", "properties": {"c": {}}, "required": ["c"], "additionalProperties": false},
            "list": {"type": "array", "items": {"properties": {"x": {}}, "additionalProperties": true}}},
            "required": ["a"]});
        assert_eq!(paths(schema), ["", "/required", "/properties/list/items", "/properties/list/items"]);
    }

    #[test]
    fn unsupported_keywords_and_a_non_object_root_are_found() {
        let problems = problems_of(&json!({"anyOf": [{"type": "object"}], "allOf": []}));
        assert_eq!(problems[0].path, "");
        assert!(problems[0].message.contains("root schema"), "{:?}", problems);
        assert_eq!(problems[1].path, "/allOf");
        assert!(problems[1].message.contains("the root uses `allOf`"), "{:?}", problems);
    }
}
