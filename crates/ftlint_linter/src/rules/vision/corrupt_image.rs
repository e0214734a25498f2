//! FT307 `corrupt-image`: data-URL image bytes that are no image, or whose header is broken.

use crate::context::RecordContext;
use crate::model::image::{DataUrl, Header, ImageFormat, Inspection};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT307 corrupt-image

## What it does
Reports an image data URL whose media type is JPEG, PNG or WEBP but whose decoded bytes do not
start with any image signature (often an HTML error page or a text file that was saved in place of
the image), or a JPEG, PNG or WEBP image whose header is cut short or invalid: a PNG without its
IHDR chunk, a JPEG with no frame header before its scan data, a width or height of 0.

## Why it matters
The service cannot open the image and skips it as `invalid image format`; the example then trains
without the image its answer is about.

## Example
```json
{"type": "image_url", "image_url": {"url": "data:image/png;base64,PGh0bWw+"}}
```
(the data decodes to `<html>`)

## How to fix
Re-export the image from its source and encode the file's bytes again; check that the download or
conversion step wrote an image, not an error page.
"#;

pub const FIX: &str = "re-export the image and encode the file's real bytes";

/// Returns the header of the image a data URL holds, reporting when there is none to read: bytes
/// with no known signature though the media type names a supported format, or a supported format
/// whose header is broken. Runs once FT305 has found the format supported.
pub fn check<'s>(
    ctx: &mut RecordContext<'_>,
    url: &DataUrl<'_>,
    seen: &'s Inspection,
    pointer: &str,
) -> Option<&'s Header> {
    let Some(format) = seen.format else {
        if let Some(declared) = ImageFormat::from_media_type(url.media_type).filter(|f| f.is_supported()) {
            report_unknown(ctx, declared, &seen.head, pointer);
        }
        return None;
    };
    match seen.header.as_ref()? {
        Ok(header) => Some(header),
        Err(error) => {
            ctx.report(Rule::CorruptImage, pointer)
                .message(format!("{} image is corrupt: {error}; the service skips it", format.name()))
                .label("corrupt image");
            None
        }
    }
}

/// The bytes have no known signature though the media type names a supported format.
fn report_unknown(ctx: &mut RecordContext<'_>, declared: ImageFormat, head: &[u8], pointer: &str) {
    let start: Vec<String> = head.iter().take(8).map(|b| format!("{b:02X}")).collect();
    let text = head.iter().all(|b| b.is_ascii_graphic() || *b == b' ');
    let shown = if text && !head.is_empty() {
        format!("`{}`", String::from_utf8_lossy(&head[..head.len().min(8)]))
    } else if start.is_empty() {
        "nothing".to_owned()
    } else {
        start.join(" ")
    };
    ctx.report(Rule::CorruptImage, pointer)
        .message(format!(
            "image data URL says {}, but its bytes are no JPEG, PNG or WEBP image (they start with {shown}); the service skips it",
            declared.name()
        ))
        .label("not an image");
}
