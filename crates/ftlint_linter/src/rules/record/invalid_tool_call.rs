//! FT224 `invalid-tool-call`: a `tool_calls` entry (or legacy `function_call`) that does not have the
//! shape the training schema requires.

use std::fmt::Display;

use crate::json::{Object, Value};

use super::conversation::Message;
use super::invalid_role::Role;
use super::invalid_tool_arguments;
use crate::record::{type_name, RecordContext};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT224 invalid-tool-call

## What it does
Reports `tool_calls` on a message that is not from the assistant, a `tool_calls` that is not an
array, and each entry that is not `{"id": string, "type": "function", "function": {"name": string,
"arguments": string}}`. The legacy `function_call` is checked the same way: an object with a string
`name` and string `arguments`.

## Why it matters
Every member of a tool call is required by the training schema, and `arguments` is JSON *text*, a
string, not an object: the model learns to write that string. The service rejects a file whose tool
calls do not fit.

## Example
```json
{"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]}
```

## How to fix
Give each call an `id`, `"type": "function"` and a `function` with `name` and `arguments`, and
serialise the arguments: `"arguments": "{\"city\": \"Paris\"}"`.
"#;

pub const FIX: &str =
    "write each call as {\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"…\", \"arguments\": \"{…}\"}}";

pub fn check(ctx: &mut RecordContext<'_>, message: &Message<'_>) {
    for key in ["tool_calls", "function_call"] {
        let Some(value) = message.object.get(key) else {
            continue;
        };
        if message.role != Role::Assistant {
            let problem = format!(
                "only assistant messages make `{key}`, and this is a {} message",
                message.role.as_str()
            );
            report(ctx, message, &message.member(key), &problem);
            continue;
        }
        match (key, value) {
            (_, Value::Null) => {}
            ("tool_calls", Value::Array(calls)) => {
                for (index, call) in calls.iter().enumerate() {
                    // `key` is a constant with nothing to escape.
                    check_call(ctx, message, call, &format_args!("{}/{key}/{index}", message.pointer), index);
                }
            }
            ("function_call", Value::Object(function)) => {
                check_function(ctx, message, function, &message.member(key), &"`function_call`");
            }
            _ => {
                let shape = if key == "tool_calls" {
                    "an array of tool calls"
                } else {
                    "an object with `name` and `arguments`"
                };
                let problem = format!("`{key}` is {}, but must be {shape}", type_name(value));
                report(ctx, message, &message.member(key), &problem);
            }
        }
    }
}

fn check_call(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    call: &Value<'_>,
    pointer: &dyn Display,
    index: usize,
) {
    let n = index + 1;
    let Some(call) = call.as_object() else {
        let problem = format!("tool call {n} is {}, but must be an object", type_name(call));
        report(ctx, message, &pointer.to_string(), &problem);
        return;
    };
    match call.get("id") {
        Some(Value::String(_)) => {}
        None => report(
            ctx,
            message,
            &pointer.to_string(),
            &format!("tool call {n} has no `id`; tool messages answer it by this id"),
        ),
        Some(other) => report(
            ctx,
            message,
            &format!("{pointer}/id"),
            &format!("tool call {n}: `id` is {}, but must be a string", type_name(other)),
        ),
    }
    match call.get("type") {
        Some(Value::String(s)) if *s == "function" => {}
        None => report(
            ctx,
            message,
            &pointer.to_string(),
            &format!("tool call {n} has no `type`; it must be \"function\""),
        ),
        Some(other) => {
            let shown = other.as_str().map_or_else(|| type_name(other).to_owned(), |s| format!("\"{s}\""));
            report(
                ctx,
                message,
                &format!("{pointer}/type"),
                &format!("tool call {n}: `type` is {shown}, but must be \"function\""),
            );
        }
    }
    match call.get("function") {
        Some(Value::Object(function)) => {
            check_function(
                ctx,
                message,
                function,
                &format_args!("{pointer}/function"),
                &format_args!("tool call {n}"),
            );
        }
        None => report(
            ctx,
            message,
            &pointer.to_string(),
            &format!("tool call {n} has no `function` with `name` and `arguments`"),
        ),
        Some(other) => report(
            ctx,
            message,
            &format!("{pointer}/function"),
            &format!(
                "tool call {n}: `function` is {}, but must be an object with `name` and `arguments`",
                type_name(other)
            ),
        ),
    }
}

/// The `{name, arguments}` object of a tool call or of a legacy `function_call`.
fn check_function(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    function: &Object<'_>,
    pointer: &dyn Display,
    what: &dyn Display,
) {
    match function.get("name") {
        Some(Value::String(name)) if !name.is_empty() => {}
        Some(Value::String(_)) => {
            report(ctx, message, &format!("{pointer}/name"), &format!("{what}: the function `name` is empty"))
        }
        None => report(ctx, message, &pointer.to_string(), &format!("{what}: the function has no `name`")),
        Some(other) => report(
            ctx,
            message,
            &format!("{pointer}/name"),
            &format!("{what}: the function `name` is {}, but must be a string", type_name(other)),
        ),
    }
    match function.get("arguments") {
        Some(Value::String(arguments)) => {
            invalid_tool_arguments::check(
                ctx,
                message,
                arguments,
                &format_args!("{pointer}/arguments"),
                what,
            );
        }
        None => report(
            ctx,
            message,
            &pointer.to_string(),
            &format!("{what}: the function has no `arguments` (use \"{{}}\" for none)"),
        ),
        Some(other) => {
            let pointer = format!("{pointer}/arguments");
            let problem =
                format!("{what}: `arguments` is {}, but must be a string of JSON text", type_name(other));
            let help = other.is_object().then(|| {
                format!(
                    "serialise the arguments into a string: \"arguments\": {}",
                    serde_json::to_string(&other.to_string()).unwrap_or_default()
                )
            });
            report_with_help(ctx, message, &pointer, &problem, help);
        }
    }
}

fn report(ctx: &mut RecordContext<'_>, message: &Message<'_>, pointer: &str, problem: &str) {
    report_with_help(ctx, message, pointer, problem, None);
}

fn report_with_help(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    pointer: &str,
    problem: &str,
    help: Option<String>,
) {
    let example = ctx.example_number();
    let text = format!("Example {example}, message {}: {problem}", message.number());
    if let Some(d) = ctx.report(Rule::InvalidToolCall, pointer, text) {
        d.help = help.or(d.help.take());
    }
}
