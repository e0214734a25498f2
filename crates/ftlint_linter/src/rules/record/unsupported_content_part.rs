//! FT217 `unsupported-content-part`: a content part of a type fine-tuning does not take.

use super::conversation::{a_message, Message};
use super::invalid_role::Role;
use crate::record::RecordContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT217 unsupported-content-part

## What it does
Reports a content part whose `type` is not one a fine-tuning message takes: `text` in every role,
`image_url` in user messages (FT218 covers images elsewhere), and `refusal` in assistant messages.
Audio (`input_audio`), files (`file`) and Responses-API types (`input_text`, `input_image`) are all
reported.

## Why it matters
The chat API accepts audio and file parts, but fine-tuning does not: its training schemas take text
and images only. A file with such a part is rejected.

## Example
```json
{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "…", "format": "wav"}}]}
```

## How to fix
Transcribe audio and extract the text of files into `text` parts. Rename `input_text` to `text` and
`input_image` to `image_url` (with `"image_url": {"url": …}`).
"#;

pub const FIX: &str = "fine-tuning takes `text` parts (and `image_url` parts in user messages) only";

pub fn report(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    index: usize,
    type_pointer: &str,
    kind: &str,
) {
    let example = ctx.example_number();
    let hint = match kind {
        "input_text" => " (did you mean `text`?)",
        "input_image" | "image" => " (did you mean `image_url`?)",
        "refusal" => " (`refusal` parts belong to assistant messages)",
        _ => "",
    };
    let allowed = if message.role == Role::User { "text and images" } else { "text" };
    ctx.report(
        Rule::UnsupportedContentPart,
        type_pointer,
        format!(
            "Example {example}, message {}, content part {}: type `{kind}`{hint} is not supported; \
             fine-tuning takes {allowed} only in {}",
            message.number(),
            index + 1,
            a_message(message.role)
        ),
    );
}
