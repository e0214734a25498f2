//! FT215 `invalid-tool-message`: a tool message without `tool_call_id`, or a function message
//! without `name`.

use crate::context::RecordContext;
use crate::model::json::{type_name, Value};
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT215 invalid-tool-message

## What it does
Reports a `tool` message whose `tool_call_id` is missing, empty or not a string, and a legacy
`function` message whose `name` is missing, empty or not a string. (Their `content` is checked by
FT214.)

## Why it matters
A tool message is the result of one tool call and says which with `tool_call_id`; a function
message says which function answered with `name`. Both members are required by the training
schema, and the service rejects the file without them.

## Example
```json
{"role": "tool", "content": "{\"temperature\": 21}"}
```

## How to fix
Add the `id` of the assistant's tool call the message answers: `"tool_call_id": "call_1"`. For a
`function` message, add the function's `name`.
"#;

pub const FIX: &str =
    "add `tool_call_id` (the id of the call it answers) to tool messages, `name` to function messages";

pub fn check(ctx: &mut RecordContext<'_>, message: &Message<'_>) {
    let (key, what) = match message.role {
        Role::Tool => ("tool_call_id", "the `id` of the tool call it answers"),
        Role::Function => ("name", "the name of the function that answered"),
        _ => return,
    };
    let role = message.role.as_str();
    let (pointer, problem) = match message.object.get(key) {
        Some(Value::String(s)) if !s.is_empty() => return,
        Some(Value::String(_)) => {
            (message.member(key), format!("`{key}` is empty; a {role} message needs {what}"))
        }
        Some(value) => {
            (message.member(key), format!("`{key}` is {}, but must be a string: {what}", type_name(value)))
        }
        None => (message.pointer.clone(), format!("a {role} message needs `{key}`: {what}")),
    };
    ctx.report(Rule::InvalidToolMessage, &pointer)
        .message(format!("message {}: {problem}", message.number()));
}
