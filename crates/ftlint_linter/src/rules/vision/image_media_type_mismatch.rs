//! FT306 `image-media-type-mismatch`: a data URL's media type names a different format than its
//! bytes are.

use crate::context::RecordContext;
use crate::model::image::{DataUrl, ImageFormat, Inspection};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT306 image-media-type-mismatch

## What it does
Reports an image data URL whose declared media type (`data:image/png;…`) does not match the format
its decoded bytes are, as their signature shows: for example a JPEG labelled `image/png`, or a PNG
labelled `application/octet-stream`.

## Why it matters
A decoder that trusts the media type fails on the bytes, and the image is skipped as
`invalid image format`. A wrong label also hints at a conversion step that renamed files without
converting them. (`image/jpg` is accepted as a spelling of `image/jpeg`.)

## Example
```json
{"type": "image_url", "image_url": {"url": "data:image/png;base64,/9j/4AAQSkZJRgABAQ..."}}
```

## How to fix
Declare the media type of the actual bytes (`image/jpeg` here), or convert the image to the
declared format.
"#;

pub const FIX: &str = "declare the media type the bytes really are (image/jpeg, image/png or image/webp)";

/// Reports a data URL whose bytes are a supported image of another format than its media type says.
pub fn check(ctx: &mut RecordContext<'_>, url: &DataUrl<'_>, seen: &Inspection, pointer: &str) {
    let Some(actual) = seen.format else {
        return;
    };
    if !actual.is_supported() || ImageFormat::from_media_type(url.media_type) == Some(actual) {
        return;
    }
    let declared = url.media_type;
    let says =
        if declared.is_empty() { "has no media type".to_owned() } else { format!("says `{declared}`") };
    ctx.report(Rule::ImageMediaTypeMismatch, pointer)
        .message(format!(
            "image data URL {says}, but its bytes are a {} image; declare `{}`",
            actual.name(),
            actual.media_type()
        ))
        .help(format!("write the URL as `data:{};base64,…`", actual.media_type()));
}
