//! FT218 `image-outside-user-message`: an image part in a message that is not from the user.

use crate::context::RecordContext;
use crate::model::json::Value;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT218 image-outside-user-message

## What it does
Reports an `image_url` content part in a system, developer, assistant or tool message.

## Why it matters
Vision fine-tuning takes images as input only: the OpenAI and Azure guides both say images may not
appear in assistant messages, and the schemas of system and tool messages take text parts only.
The service rejects the file.

## Example
```json
{"role": "assistant", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}
```

## How to fix
Move the image into the user message that asks about it; the assistant answers in text.
"#;

pub const FIX: &str = "move the image into a user message; other roles take text only";

/// Reports content part `index` of `message`, found at `part_pointer`, when it is an image and the
/// message is not the user's.
pub fn check(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    index: usize,
    part: &Value<'_>,
    part_pointer: &str,
) {
    if message.role == Role::User || part.get("type").and_then(Value::as_str) != Some("image_url") {
        return;
    }
    let role = message.role.a_message();
    ctx.report(Rule::ImageOutsideUserMessage, part_pointer)
        .message(format!(
            "message {}, content part {}: images may only appear in user messages, not in {role}",
            message.number(),
            index + 1,
        ))
        .label(format!("image in {role}"));
}
