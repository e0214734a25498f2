//! FT224 `invalid-tool-call`: a `tool_calls` entry (or legacy `function_call`) that does not have the
//! shape the training schema requires.

use std::fmt::Display;

use crate::context::RecordContext;
use crate::model::json::{type_name, Object, Value};
use crate::model::message::Message;
use crate::model::role::Role;
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

/// The members of a message that make calls, in the order they are checked.
pub const KEYS: [&str; 2] = ["tool_calls", "function_call"];

/// What a message's calling member holds, once its place and shape are right.
pub enum Calls<'v> {
    /// The member is absent, null, or already reported.
    None,
    /// `tool_calls`: each call is checked with [`check_tool_call`].
    Tool(&'v [Value<'v>]),
    /// The legacy `function_call`: checked with [`check_function_call`].
    Function(&'v Object<'v>),
}

/// Checks where the calling member `key` of `message` sits and what it is; returns its calls.
/// Inlined: it runs twice for every message of every record, and nearly always finds nothing.
#[inline]
pub fn check<'v>(ctx: &mut RecordContext<'_>, message: &Message<'v>, key: &str) -> Calls<'v> {
    let Some(value) = message.object.get(key) else {
        return Calls::None;
    };
    if message.role != Role::Assistant {
        let problem =
            format!("only assistant messages make `{key}`, and this is a {} message", message.role.as_str());
        report(ctx, message, &message.member(key), &problem, None);
        return Calls::None;
    }
    match (key, value) {
        (_, Value::Null) => Calls::None,
        ("tool_calls", Value::Array(calls)) => Calls::Tool(calls),
        ("function_call", Value::Object(function)) => Calls::Function(function),
        _ => {
            let shape = if key == "tool_calls" {
                "an array of tool calls"
            } else {
                "an object with `name` and `arguments`"
            };
            let problem = format!("`{key}` is {}, but must be {shape}", type_name(value));
            report(ctx, message, &message.member(key), &problem, None);
            Calls::None
        }
    }
}

/// Checks tool call `index` of `message`; returns its `function` object when it has one.
pub fn check_tool_call<'v>(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    call: &'v Value<'v>,
    index: usize,
) -> Option<&'v Object<'v>> {
    // Rendered only for a finding: this runs for every tool call of every record.
    let pointer = &format_args!("{}/tool_calls/{index}", message.pointer);
    let n = index + 1;
    let Some(call) = call.as_object() else {
        let problem = format!("tool call {n} is {}, but must be an object", type_name(call));
        report(ctx, message, &pointer.to_string(), &problem, None);
        return None;
    };
    match call.get("id") {
        Some(Value::String(_)) => {}
        None => report(
            ctx,
            message,
            &pointer.to_string(),
            &format!("tool call {n} has no `id`; tool messages answer it by this id"),
            None,
        ),
        Some(other) => report(
            ctx,
            message,
            &format!("{pointer}/id"),
            &format!("tool call {n}: `id` is {}, but must be a string", type_name(other)),
            None,
        ),
    }
    match call.get("type") {
        Some(Value::String(s)) if *s == "function" => {}
        None => report(
            ctx,
            message,
            &pointer.to_string(),
            &format!("tool call {n} has no `type`; it must be \"function\""),
            None,
        ),
        Some(other) => {
            let shown = other.as_str().map_or_else(|| type_name(other).to_owned(), |s| format!("\"{s}\""));
            report(
                ctx,
                message,
                &format!("{pointer}/type"),
                &format!("tool call {n}: `type` is {shown}, but must be \"function\""),
                None,
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
            Some(function)
        }
        None => {
            report(
                ctx,
                message,
                &pointer.to_string(),
                &format!("tool call {n} has no `function` with `name` and `arguments`"),
                None,
            );
            None
        }
        Some(other) => {
            report(
                ctx,
                message,
                &format!("{pointer}/function"),
                &format!(
                    "tool call {n}: `function` is {}, but must be an object with `name` and `arguments`",
                    type_name(other)
                ),
                None,
            );
            None
        }
    }
}

/// Checks the legacy `function_call` object of `message`.
pub fn check_function_call(ctx: &mut RecordContext<'_>, message: &Message<'_>, function: &Object<'_>) {
    check_function(
        ctx,
        message,
        function,
        &format_args!("{}/function_call", message.pointer),
        &"`function_call`",
    );
}

/// The `{name, arguments}` object of a tool call or of a legacy `function_call`. Arguments that
/// are a string but not JSON are FT225's.
fn check_function(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    function: &Object<'_>,
    pointer: &dyn Display,
    what: &dyn Display,
) {
    match function.get("name") {
        Some(Value::String(name)) if !name.is_empty() => {}
        Some(Value::String(_)) => report(
            ctx,
            message,
            &format!("{pointer}/name"),
            &format!("{what}: the function `name` is empty"),
            None,
        ),
        None => {
            report(ctx, message, &pointer.to_string(), &format!("{what}: the function has no `name`"), None)
        }
        Some(other) => report(
            ctx,
            message,
            &format!("{pointer}/name"),
            &format!("{what}: the function `name` is {}, but must be a string", type_name(other)),
            None,
        ),
    }
    match function.get("arguments") {
        Some(Value::String(_)) => {}
        None => report(
            ctx,
            message,
            &pointer.to_string(),
            &format!("{what}: the function has no `arguments` (use \"{{}}\" for none)"),
            None,
        ),
        Some(other) => {
            let problem =
                format!("{what}: `arguments` is {}, but must be a string of JSON text", type_name(other));
            let help = other.is_object().then(|| {
                format!(
                    "serialise the arguments into a string: \"arguments\": {}",
                    serde_json::to_string(&other.to_string()).unwrap_or_default()
                )
            });
            report(ctx, message, &format!("{pointer}/arguments"), &problem, help);
        }
    }
}

fn report(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    pointer: &str,
    problem: &str,
    help: Option<String>,
) {
    ctx.report(Rule::InvalidToolCall, pointer)
        .message(format!("message {}: {problem}", message.number()))
        .help_if(help);
}
