//! FT225 `invalid-tool-arguments`: a tool call's `arguments` string that is not valid JSON text.

use crate::context::RecordContext;
use crate::model::json::{Object, Value};
use crate::model::message::Message;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT225 invalid-tool-arguments

## What it does
Reports a tool call (or legacy `function_call`) whose `arguments` string does not parse as JSON.

## Why it matters
`arguments` is the JSON text the model learns to write when it calls a tool; at inference time the
application parses it. Training on broken JSON teaches the model to produce calls that cannot be
parsed. The schema only asks for a string, so the service accepts the file: this is a warning.

## Example
```json
{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{city: 'Paris'}"}}
```

## How to fix
Write the arguments as serialised JSON: `"arguments": "{\"city\": \"Paris\"}"`, or `"{}"` when
there are none.
"#;

pub const FIX: &str = "write `arguments` as serialised JSON, e.g. \"{\\\"city\\\": \\\"Paris\\\"}\"";

/// Checks the `arguments` string of `function`: the function of tool call `index` of `message`,
/// or its legacy `function_call` when `index` is `None`. Other `arguments` are FT224's.
pub fn check(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    function: &Object<'_>,
    index: Option<usize>,
) {
    let Some(Value::String(arguments)) = function.get("arguments") else {
        return;
    };
    if !ctx.enabled(Rule::InvalidToolArguments) {
        return;
    }
    // Parsing into `IgnoredAny` validates without building a value.
    let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(arguments) else {
        return;
    };
    let reason = if arguments.trim().is_empty() {
        "it is empty (use \"{}\" for no arguments)".to_owned()
    } else {
        format!("{error}")
    };
    let (pointer, what) = match index {
        Some(index) => (
            format!("{}/tool_calls/{index}/function/arguments", message.pointer),
            format!("tool call {}", index + 1),
        ),
        None => (format!("{}/function_call/arguments", message.pointer), "`function_call`".to_owned()),
    };
    ctx.report(Rule::InvalidToolArguments, &pointer).message(format!(
        "message {}, {what}: `arguments` is not valid JSON text: {reason}",
        message.number()
    ));
}
