//! FT235 `invalid-tool-schema`: a tool's `parameters` that is an object but not a JSON Schema.

use crate::context::RecordContext;
use crate::rules::Rule;
use crate::tool_schemas::ToolSet;

pub const DOCS: &str = r#"# FT235 invalid-tool-schema

## What it does
Checks the `parameters` of every function in `tools` (and the legacy `functions`) against the
JSON Schema meta-schema (the draft its `$schema` names, 2020-12 when it names none) and reports the
first place where it is not a schema: a `type` that is not a type name, `required` that is not a
list of names, `properties` that is not an object of schemas, and so on. (`parameters` that is not
an object at all is FT227's finding.)

## Why it matters
`parameters` is a JSON Schema object: the chat API's `FunctionParameters`, which the training
format shares (docs/service-rules.md §2, §9). The model is trained on the definitions as the prompt
shows them, and at inference time the same definitions are sent with requests, where a schema that
is not one is rejected. Mistral's fine-tuning validator rejects `{"type": 32}`; OpenAI's and
Azure's may reject the file or train on a tool the model can never be given. Either way it is an
error.

## Example
```json
{"tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": 32}}}], "messages": [...]}
```

## How to fix
Write `parameters` as a JSON Schema: `{"type": "object", "properties": {"city": {"type":
"string"}}, "required": ["city"]}`.
"#;

pub const FIX: &str = "write `parameters` as a JSON Schema, e.g. {\"type\": \"object\", \"properties\": {…}}";

/// Reports each function of `tools` (defined at `base`: the record, or a DPO `/input`) whose
/// `parameters` breaks the meta-schema. Found only with the `tool-schemas` feature.
pub fn check(ctx: &mut RecordContext<'_>, tools: &ToolSet, base: &str) {
    if !ctx.enabled(Rule::InvalidToolSchema) {
        return;
    }
    for function in &tools.functions {
        let Some(error) = &function.schema_error else { continue };
        let name =
            function.name.as_deref().map_or_else(|| "the function".to_owned(), |n| format!("function `{n}`"));
        let place = if error.path.is_empty() { String::new() } else { format!(" at `{}`", error.path) };
        ctx.report(Rule::InvalidToolSchema, &format!("{base}{}/parameters{}", function.pointer, error.path))
            .message(format!(
                "`parameters` of {name} is not a valid JSON Schema{place}: {}; the tool cannot be sent to the model as defined",
                error.message
            ))
            .label("not a JSON Schema");
    }
}
