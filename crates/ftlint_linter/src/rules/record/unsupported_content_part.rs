//! FT217 `unsupported-content-part`: a content part of a type fine-tuning does not take.

use crate::context::RecordContext;
use crate::model::json::Value;
use crate::model::message::Message;
use crate::model::role::Role;
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

/// Reports content part `index` of `message`, found at `part_pointer`, when its `type` is a string
/// fine-tuning does not take in that message: anything but `text`, `image_url` (FT218 judges where
/// images sit) and an assistant's `refusal`.
pub fn check(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    index: usize,
    part: &Value<'_>,
    part_pointer: &str,
) {
    let Some(kind) = part.get("type").and_then(Value::as_str) else {
        return;
    };
    match kind {
        "text" | "image_url" => return,
        "refusal" if message.role == Role::Assistant => return,
        _ => {}
    }
    let hint = match kind {
        "input_text" => " (did you mean `text`?)",
        "input_image" | "image" => " (did you mean `image_url`?)",
        "refusal" => " (`refusal` parts belong to assistant messages)",
        _ => "",
    };
    let allowed = if message.role == Role::User { "text and images" } else { "text" };
    ctx.report(Rule::UnsupportedContentPart, &format!("{part_pointer}/type")).message(format!(
        "message {}, content part {}: type `{kind}`{hint} is not supported; fine-tuning takes {allowed} only in {}",
        message.number(),
        index + 1,
        message.role.a_message()
    ));
}
