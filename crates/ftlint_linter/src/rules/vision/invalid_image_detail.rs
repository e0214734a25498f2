//! FT302 `invalid-image-detail`: an `image_url.detail` other than `low`, `high` or `auto`.

use crate::context::RecordContext;
use crate::model::image::Detail;
use crate::model::json::{type_name, Object};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT302 invalid-image-detail

## What it does
Reports an `image_url.detail` that is not one of the strings `"low"`, `"high"` or `"auto"`
(lower case).

## Why it matters
`detail` is an enum in the training schema; any other value fails the schema check and the file is
rejected. It also sets what each image costs: `low` is 85 tokens flat, `high` is 85 + 170 per
512-px tile of the scaled image, and `auto` (the default) lets the service choose.

## Example
```json
{"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "medium"}}
```

## How to fix
Use `"low"`, `"high"` or `"auto"`, or leave `detail` out to get `auto`.
"#;

pub const FIX: &str = "set `detail` to \"low\", \"high\" or \"auto\", or leave it out (auto)";

/// The detail of an `image_url` object at `pointer`; reports a bad one and treats it as `auto`.
pub fn check(ctx: &mut RecordContext<'_>, object: &Object<'_>, pointer: &str) -> Detail {
    let Some(value) = object.get("detail") else {
        return Detail::Auto;
    };
    if let Some(detail) = value.as_str().and_then(Detail::parse) {
        return detail;
    }
    let message = match value.as_str() {
        Some(text) if Detail::parse(&text.to_ascii_lowercase()).is_some() => {
            format!("`detail` is {text:?}; the values are lower case: {:?}", text.to_ascii_lowercase())
        }
        Some(text) => format!("`detail` is {text:?}, but must be \"low\", \"high\" or \"auto\""),
        None => format!("`detail` is {}, but must be \"low\", \"high\" or \"auto\"", type_name(value)),
    };
    ctx.report(Rule::InvalidImageDetail, &format!("{pointer}/detail")).message(message);
    Detail::Auto
}
