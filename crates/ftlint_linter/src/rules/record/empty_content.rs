//! FT229 `empty-content`: a user or assistant message whose `content` string is empty or blank.

use crate::context::RecordContext;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT229 empty-content

## What it does
Reports a user or assistant message whose `content` is the empty string, or only whitespace. An
assistant message that calls tools may have empty content and is not reported.

## Why it matters
The schema accepts an empty string, so the service will not complain. But an empty assistant
message trains the model to answer with nothing, and an empty user turn gives it nothing to answer:
both are usually the trace of a conversion that lost the text.

## Example
```json
{"messages": [{"role": "user", "content": "Summarise this."}, {"role": "assistant", "content": ""}]}
```

## How to fix
Fill in the missing text, or drop the example. To keep an assistant turn as context without training
on it, give it real content and `"weight": 0`.
"#;

pub const FIX: &str = "fill in the text, or drop the example";

pub fn check(ctx: &mut RecordContext<'_>, message: &Message<'_>, text: &str) {
    let applies = match message.role {
        Role::User => true,
        Role::Assistant => !message.has_calls(),
        _ => false,
    };
    if !applies || !text.trim().is_empty() {
        return;
    }
    let what = if text.is_empty() { "empty" } else { "only whitespace" };
    let role = message.role.as_str();
    let why = if message.role == Role::Assistant {
        "the example trains the model to answer with nothing"
    } else {
        "the model is trained to answer a turn with no text"
    };
    ctx.report(Rule::EmptyContent, &message.member("content"))
        .message(format!("message {}: the {role} message's `content` is {what}; {why}", message.number()));
}
