//! FT234 `double-encoded-tool-arguments`: tool-call `arguments` that decode to a JSON string
//! holding the JSON text, instead of to the JSON text itself.

use crate::context::RecordContext;
use crate::diagnostic::{Edit, Fix, Span};
use crate::model::json::{Object, Value};
use crate::model::message::Message;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT234 double-encoded-tool-arguments

## What it does
Reports a tool call (or legacy `function_call`) whose `arguments` string, once parsed as JSON, is
itself a string: the arguments object was serialised twice.

## Why it matters
`arguments` is the JSON text the model learns to write when it calls a tool
(docs/service-rules.md §2). Encoded twice, the text the model is trained to write is a quoted
string (`"{\"city\": \"Paris\"}"`) instead of an object (`{"city": "Paris"}`), and an application
that parses the call gets a string where it expects the arguments. The text parses, so FT225 is
silent, and the service accepts it: this is a warning. OpenAI's cookbook `drone_training.jsonl`
has such calls (docs/service-rules.md §9).

## Example
```json
{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "\"{\\\"city\\\": \\\"Paris\\\"}\""}}
```
Use instead:
```json
{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}
```

## How to fix
Serialise the arguments once: `"arguments": "{\"city\": \"Paris\"}"`. `ftlint fix --unsafe-fixes`
does it.
"#;

pub const FIX: &str = "serialise the arguments object once: \"{\\\"city\\\": \\\"Paris\\\"}\"";

/// Checks the `arguments` of `function`: the function of tool call `index` of `message`, or its
/// legacy `function_call` when `index` is `None`.
pub fn check(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    function: &Object<'_>,
    index: Option<usize>,
) {
    let Some(Value::String(arguments)) = function.get("arguments") else {
        return;
    };
    // Cheap first: only text that starts as a JSON string can decode to one.
    if !arguments.trim_start().starts_with('"') || !ctx.enabled(Rule::DoubleEncodedToolArguments) {
        return;
    }
    let Ok(inner) = serde_json::from_str::<String>(arguments) else {
        return;
    };
    let (pointer, what) = match index {
        Some(index) => (
            format!("{}/tool_calls/{index}/function/arguments", message.pointer),
            format!("tool call {}", index + 1),
        ),
        None => (format!("{}/function_call/arguments", message.pointer), "`function_call`".to_owned()),
    };
    let decodes_to = match serde_json::from_str::<serde::de::IgnoredAny>(&inner) {
        Ok(_) => "JSON text encoded a second time",
        Err(_) => "a string, not JSON arguments",
    };
    // Replacing the literal with the inner text, encoded once, is the fix: mechanical, but it
    // changes what the record says, so it is unsafe.
    let fix = crate::locate::locate(ctx.text(), &pointer).and_then(|range| {
        let literal = serde_json::to_string(&inner).ok()?;
        let span = Span::new(ctx.line_start() + range.start as u64, (range.end - range.start) as u64);
        Some(Fix::unsafe_edit("encode the arguments once", vec![Edit::replace(span, literal)]))
    });
    ctx.report(Rule::DoubleEncodedToolArguments, &pointer)
        .message(format!(
            "message {}, {what}: `arguments` decodes to a JSON string ({decodes_to}) rather than an object; the model learns to write a quoted string instead of the arguments",
            message.number()
        ))
        .label("encoded twice")
        .fix_if(fix);
}
