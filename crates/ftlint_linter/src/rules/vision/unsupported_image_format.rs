//! FT305 `unsupported-image-format`: an image that is not JPEG, PNG or WEBP (GIF, BMP, SVG, …).

use crate::context::RecordContext;
use crate::model::image::{DataUrl, ImageFormat, Inspection};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT305 unsupported-image-format

## What it does
Reports a data-URL image whose bytes are a format other than JPEG, PNG or WEBP (GIF, BMP, TIFF,
HEIC, AVIF, SVG), or whose bytes are unrecognisable and whose media type names such a format or no
image format at all (`application/octet-stream`).

## Why it matters
Vision fine-tuning accepts JPEG, PNG and WEBP images only; unlike chat inference, GIF is not
accepted. An image in another format is skipped with the reason `invalid image format`, so the
example trains without it.

## Example
```json
{"type": "image_url", "image_url": {"url": "data:image/gif;base64,R0lGODlhAQABAAAAACw="}}
```

## How to fix
Convert the image to PNG (lossless) or JPEG, e.g. `convert in.gif out.png`, and declare the matching
media type: `data:image/png;base64,…`.
"#;

pub const FIX: &str = "convert the image to PNG, JPEG or WEBP and declare that media type in the data URL";

/// Reports a data URL that holds no image the service takes: bytes of a recognised but unsupported
/// format, or unrecognisable bytes under a media type that names no supported format. True when it
/// did, and nothing more is to be read from the image.
pub fn check(ctx: &mut RecordContext<'_>, url: &DataUrl<'_>, seen: &Inspection, pointer: &str) -> bool {
    let declared = url.media_type;
    match seen.format {
        Some(actual) if !actual.is_supported() => {
            let declared_note = if ImageFormat::from_media_type(declared) == Some(actual) {
                String::new()
            } else {
                format!(" (the data URL says `{}`)", or_none(declared))
            };
            ctx.report(Rule::UnsupportedImageFormat, pointer)
                .message(format!(
                    "image is {}{declared_note}; vision fine-tuning accepts only JPEG, PNG and WEBP, and skips it as `invalid image format`",
                    actual.name()
                ))
                .label(format!("{} image", actual.name()));
            true
        }
        Some(_) => false,
        None if ImageFormat::from_media_type(declared).is_some_and(ImageFormat::is_supported) => false,
        None => {
            ctx.report(Rule::UnsupportedImageFormat, pointer).message(format!(
                "image data URL has media type `{}` and its bytes are no JPEG, PNG or WEBP image; vision fine-tuning accepts only those and skips it as `invalid image format`",
                or_none(declared)
            ));
            true
        }
    }
}

fn or_none(media_type: &str) -> &str {
    if media_type.is_empty() {
        "(none)"
    } else {
        media_type
    }
}
