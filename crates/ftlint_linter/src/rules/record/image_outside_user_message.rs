//! FT218 `image-outside-user-message`: an image part in a message that is not from the user.

use super::conversation::{a_message, Message};
use crate::record::RecordContext;
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

pub fn report(ctx: &mut RecordContext<'_>, message: &Message<'_>, index: usize, part_pointer: &str) {
    let example = ctx.example_number();
    let role = a_message(message.role);
    if let Some(d) = ctx.report(
        Rule::ImageOutsideUserMessage,
        part_pointer,
        format!(
            "Example {example}, message {}, content part {}: images may only appear in user messages, \
             not in {}",
            message.number(),
            index + 1,
            role
        ),
    ) {
        d.label = Some(format!("image in {role}"));
    }
}
