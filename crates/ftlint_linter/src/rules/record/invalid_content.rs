//! FT214 `invalid-content`: a message's `content` is missing or has a type its role does not take.

use crate::context::RecordContext;
use crate::model::json::{type_name, Value};
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT214 invalid-content

## What it does
Reports a message whose `content` is missing, or is of a JSON type its role does not take:

| role | `content` |
|---|---|
| `system`, `developer` | a string, or a non-empty array of `text` parts |
| `user` | a string, or a non-empty array of `text` and `image_url` parts |
| `assistant` | a string, or an array of `text` parts; may be null or left out when the message has `tool_calls` or `function_call` |
| `tool` | a string, or an array of `text` parts |
| `function` (legacy) | a string, or null |

The parts inside an array are checked by FT216, FT217 and FT218.

## Why it matters
The service reads each message against the schema of its role and rejects the whole file when one
does not fit. A `content` that is a number, an object or null (where null is not allowed) is usually
the trace of an export that lost the text.

## Example
```json
{"messages": [{"role": "user", "content": {"text": "Hi"}}, {"role": "assistant", "content": "Hello"}]}
```

## How to fix
Write the text as a string (`"content": "Hi"`), or as an array of parts
(`"content": [{"type": "text", "text": "Hi"}]`). An assistant message that only calls tools may leave
`content` out.
"#;

pub const FIX: &str = "give the message a string `content` (or an array of content parts its role takes)";

/// What a role's `content` must be, as messages say it.
fn expected(role: Role) -> &'static str {
    match role {
        Role::System | Role::Developer => "a string or a non-empty array of `text` parts",
        Role::User => "a string or a non-empty array of content parts (`text`, `image_url`)",
        Role::Assistant => "a string or an array of `text` parts (or null when it has `tool_calls`)",
        Role::Tool => "a string or a non-empty array of `text` parts",
        Role::Function => "a string or null",
    }
}

/// Checks what `content` (the message's member, passed in so that it is looked up once per
/// message) is. A string's text (FT229) and an array's parts (FT216-FT218) are other rules' to judge.
pub fn check(ctx: &mut RecordContext<'_>, message: &Message<'_>, content: Option<&Value<'_>>) {
    let role = message.role;
    let problem = match content {
        Some(Value::String(_)) => return,
        Some(Value::Null) if role == Role::Function => return,
        None | Some(Value::Null) if role == Role::Assistant && message.has_calls() => return,
        Some(Value::Array(parts)) if role != Role::Function => {
            if !parts.is_empty() {
                return;
            }
            format!("`content` is an empty array; {} needs at least one content part", role.a_message())
        }
        None if role == Role::Assistant => {
            "the assistant message has no `content` and no `tool_calls`; it needs a string, an array of \
             `text` parts, or tool calls"
                .to_owned()
        }
        None => format!("`content` is missing; {} needs {}", role.a_message(), expected(role)),
        Some(Value::Null) if role == Role::Assistant => "`content` is null and the message has no \
             `tool_calls`; an assistant message needs a string, an array of `text` parts, or tool calls"
            .to_owned(),
        Some(value) => {
            format!("`content` is {}, but {} needs {}", type_name(value), role.a_message(), expected(role))
        }
    };
    let pointer = if content.is_some() { message.member("content") } else { message.pointer.clone() };
    let single_text_part = matches!(content, Some(Value::Object(object))
        if object.get("type").and_then(Value::as_str) == Some("text"));
    let report = ctx
        .report(Rule::InvalidContent, &pointer)
        .message(format!("message {}: {problem}", message.number()));
    if single_text_part {
        report.help(
            "a single part still goes in an array: `\"content\": [{\"type\": \"text\", \"text\": \"…\"}]`",
        );
    }
}
