//! FT301 `invalid-image-url`: an image part whose `image_url` is not an object with a string `url`.

use crate::context::RecordContext;
use crate::model::json::{type_name, Object, Value};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT301 invalid-image-url

## What it does
Reports a `{"type": "image_url"}` content part whose `image_url` is missing, is not an object, or
has no string `url`.

## Why it matters
The schema of an image part is `{"type": "image_url", "image_url": {"url": "…", "detail": "…"}}`
(ChatCompletionRequestMessageContentPartImage). A part of any other shape fails the service's
schema check, and the whole file is rejected. A common slip is the shorthand
`"image_url": "https://…"`, which some client libraries accept but the training schema does not.

## Example
```json
{"type": "image_url", "image_url": "https://example.com/cat.png"}
```

## How to fix
Wrap the URL in an object: `{"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}`.
"#;

pub const FIX: &str = "write the part as {\"type\": \"image_url\", \"image_url\": {\"url\": \"https://… or data:image/…;base64,…\"}}";

/// The `image_url` object of an image part at `pointer`; reports when there is none.
pub fn check_object<'v>(
    ctx: &mut RecordContext<'_>,
    part: &'v Value<'v>,
    pointer: &str,
    object_pointer: &str,
) -> Option<&'v Object<'v>> {
    let Some(value) = part.get("image_url") else {
        ctx.report(Rule::InvalidImageUrl, pointer)
            .message("image part has no `image_url`; the image is missing");
        return None;
    };
    if let Some(object) = value.as_object() {
        return Some(object);
    }
    let message = if value.is_string() {
        "`image_url` is a string, but must be an object: write `\"image_url\": {\"url\": \"…\"}`".to_owned()
    } else {
        format!("`image_url` is {}, but must be an object with a `url`", type_name(value))
    };
    ctx.report(Rule::InvalidImageUrl, object_pointer).message(message).label("expected {\"url\": \"…\"}");
    None
}

/// The `url` string of an `image_url` object; reports when there is none.
pub fn check_url<'v>(
    ctx: &mut RecordContext<'_>,
    object: &'v Object<'v>,
    object_pointer: &str,
    url_pointer: &str,
) -> Option<&'v str> {
    match object.get("url") {
        Some(Value::String(url)) => Some(url),
        Some(other) => {
            ctx.report(Rule::InvalidImageUrl, url_pointer)
                .message(format!("`image_url.url` is {}, but must be a string", type_name(other)));
            None
        }
        None => {
            ctx.report(Rule::InvalidImageUrl, object_pointer)
                .message("`image_url` has no `url`; the image is missing");
            None
        }
    }
}
