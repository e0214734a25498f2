//! FT216 `invalid-content-part`: an item of a `content` array that is not a well-formed part.
//!
//! This file also walks the parts for FT217 (part types fine-tuning does not take) and FT218 (images
//! outside user messages), so each part is looked at once. The inside of an `image_url` (URL, data,
//! detail) belongs to the image rules.

use crate::context::RecordContext;
use crate::model::json::{type_name, Object, Value};
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT216 invalid-content-part

## What it does
Reports an item of a `content` array that is not a well-formed content part: not an object, without
a string `type`, a `text` part without a string `text`, or a `refusal` part without a string
`refusal`. What an `image_url` part holds is checked by the image rules (FT301 onwards).

## Why it matters
Each part is matched on its `type`, and the part of that type has required members. The service
rejects the file when a part fits no schema.

## Example
```json
{"role": "user", "content": [{"type": "text", "content": "What is in this picture?"}]}
```

## How to fix
Write text parts as `{"type": "text", "text": "…"}` and image parts as
`{"type": "image_url", "image_url": {"url": "https://…"}}`.
"#;

pub const FIX: &str =
    "write parts as {\"type\": \"text\", \"text\": \"…\"} or {\"type\": \"image_url\", \"image_url\": {\"url\": \"…\"}}";

/// The common, valid parts, passed without building a pointer: text anywhere, images from the user.
/// The conversation checker skips these before any part rule runs.
pub fn is_well_formed(role: Role, part: &Value<'_>) -> bool {
    let Some(object) = part.as_object() else {
        return false;
    };
    match object.get("type").and_then(Value::as_str) {
        Some("text") => object.get("text").is_some_and(Value::is_string),
        Some("image_url") => role == Role::User,
        _ => false,
    }
}

/// Checks the shape of content part `index` of `message`, found at `part_pointer`: an object with
/// a string `type`, and the string a `text` or `refusal` part carries. A part of a type the role does
/// not take is FT217's or FT218's.
pub fn check(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    index: usize,
    part: &Value<'_>,
    part_pointer: &str,
) {
    let Some(object) = part.as_object() else {
        let problem = format!(
            "is {}, but each part must be an object such as {{\"type\": \"text\", \"text\": \"…\"}}",
            type_name(part)
        );
        report(ctx, message, index, part_pointer, &problem);
        return;
    };
    let Some(kind) = object.get("type") else {
        report(ctx, message, index, part_pointer, "has no `type`; use `\"type\": \"text\"` for text");
        return;
    };
    let Some(kind) = kind.as_str() else {
        let problem = format!("`type` is {}, but must be a string such as \"text\"", type_name(kind));
        report(ctx, message, index, &format!("{part_pointer}/type"), &problem);
        return;
    };
    match kind {
        "text" => require_string(ctx, message, index, part_pointer, object, "text"),
        "refusal" if message.role == Role::Assistant => {
            require_string(ctx, message, index, part_pointer, object, "refusal");
        }
        _ => {}
    }
}

fn require_string(
    ctx: &mut RecordContext<'_>,
    message: &Message<'_>,
    index: usize,
    part_pointer: &str,
    object: &Object<'_>,
    key: &str,
) {
    match object.get(key) {
        Some(Value::String(_)) => {}
        None => {
            let problem = format!("is a `{key}` part without a `{key}` string");
            report(ctx, message, index, part_pointer, &problem);
        }
        Some(value) => {
            let problem = format!("`{key}` is {}, but must be a string", type_name(value));
            report(ctx, message, index, &format!("{part_pointer}/{key}"), &problem);
        }
    }
}

fn report(ctx: &mut RecordContext<'_>, message: &Message<'_>, index: usize, pointer: &str, problem: &str) {
    ctx.report(Rule::InvalidContentPart, pointer).message(format!(
        "message {}, content part {}: {problem}",
        message.number(),
        index + 1
    ));
}
