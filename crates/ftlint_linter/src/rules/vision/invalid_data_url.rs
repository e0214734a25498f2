//! FT304 `invalid-data-url`: an image data URL that is not base64, or whose base64 is broken.

use crate::context::RecordContext;
use crate::model::image::{self, Base64Error, DataUrl, Inspection};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT304 invalid-data-url

## What it does
Reports an image `data:` URL that is not base64-encoded (no `;base64` before the comma), holds no
data, or whose data is not valid standard base64: a character outside `A-Z a-z 0-9 + /` (such as
a line break, a space, or the `-` and `_` of the URL-safe alphabet), `=` padding in the middle or
too much of it, or a length that leaves one character over (data cut short).

## Why it matters
The service decodes the image from the data URL; if that fails the image cannot be read and is
skipped with the reason `invalid image format`, and the example trains without it. Broken base64
usually means a copy step wrapped the text at 76 columns, used the URL-safe alphabet, or cut it off.

## Example
```json
{"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo\nAAAANSUhEUg"}}
```

## How to fix
Re-encode the file with standard, unwrapped base64, e.g. in Python
`base64.b64encode(open(path, "rb").read()).decode()` (not `encodebytes`, which wraps lines), and
write it as `data:image/png;base64,<data>`.
"#;

pub const FIX: &str =
    "re-encode the image with standard unwrapped base64: data:image/png;base64,<base64.b64encode(bytes)>";

/// Reads a `data:` URL: its parts and what its decoded bytes are, or `None` after reporting why it
/// cannot be read (no comma before the data, not base64, broken base64).
pub fn check<'u>(
    ctx: &mut RecordContext<'_>,
    url: &'u str,
    pointer: &str,
) -> Option<(DataUrl<'u>, Inspection)> {
    let Some(data_url) = DataUrl::parse(url) else {
        ctx.report(Rule::InvalidDataUrl, pointer).message(
            "image data URL has no comma before its data; it must look like `data:image/png;base64,<data>`",
        );
        return None;
    };
    if !data_url.base64 {
        let media_type = if data_url.media_type.is_empty() { "image/png" } else { data_url.media_type };
        ctx.report(Rule::InvalidDataUrl, pointer).message(format!(
            "image data URL is not base64-encoded; it must look like `data:{media_type};base64,<data>`"
        ));
        return None;
    }
    match image::inspect_base64(data_url.payload.as_bytes()) {
        Ok(seen) => Some((data_url, seen)),
        Err(error) => {
            report_base64(ctx, error, pointer);
            None
        }
    }
}

/// A data URL whose payload is not valid base64.
fn report_base64(ctx: &mut RecordContext<'_>, error: Base64Error, pointer: &str) {
    let hint = match error {
        Base64Error::InvalidByte { byte: b'-' | b'_', .. } => {
            " (`-` and `_` belong to the URL-safe alphabet; use the standard one, with `+` and `/`)"
        }
        Base64Error::InvalidByte { byte: b'\n' | b'\r' | b' ' | b'\t', .. } => {
            " (the base64 was probably wrapped into lines; encode it without line breaks)"
        }
        _ => "",
    };
    ctx.report(Rule::InvalidDataUrl, pointer)
        .message(format!("image data URL cannot be decoded: {error}{hint}; the service skips the image"))
        .label("invalid base64");
}
