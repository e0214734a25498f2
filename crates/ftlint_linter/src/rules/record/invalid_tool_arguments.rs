//! FT225 `invalid-tool-arguments`: a tool call's `arguments` string that is not valid JSON text.

use super::conversation::Message;
use crate::record::RecordContext;
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

/// `pointer` and `what` are rendered only when the arguments are broken: they are built for every
/// tool call of every record.
pub fn check(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    arguments: &str,
    pointer: &dyn std::fmt::Display,
    what: &dyn std::fmt::Display,
) {
    if !ctx.enabled(Rule::InvalidToolArguments) {
        return;
    }
    // Parsing into `IgnoredAny` validates without building a value.
    let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(arguments) else {
        return;
    };
    let example = ctx.example_number();
    let reason = if arguments.trim().is_empty() {
        "it is empty (use \"{}\" for no arguments)".to_owned()
    } else {
        format!("{error}")
    };
    ctx.report(
        Rule::InvalidToolArguments,
        &pointer.to_string(),
        format!(
            "Example {example}, message {}, {what}: `arguments` is not valid JSON text: {reason}",
            message.number()
        ),
    );
}
