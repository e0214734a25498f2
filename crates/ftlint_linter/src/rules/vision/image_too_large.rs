//! FT308 `image-too-large`: a data-URL image over 10 MB once decoded.

use crate::context::RecordContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT308 image-too-large

## What it does
Reports a base64 data-URL image whose decoded size is over 10 MB (10,485,760 bytes, counted like
the 512 MB file limit). The size is computed from the base64 length, without decoding the image.

## Why it matters
OpenAI's and Azure's vision fine-tuning guides limit each image to 10 MB. A larger image is skipped
with the reason `image too large`, so the example trains without it. Images this large also make
the training file big: base64 adds a third.

## Example
A 14 MB PNG screenshot embedded as `data:image/png;base64,…`.

## How to fix
Downscale the image (the model sees at most 2048 px on the long side and 768 px on the short side
anyway) or re-encode it as JPEG or WEBP.
"#;

pub const FIX: &str = "downscale or re-encode the image (JPEG/WEBP) to under 10 MB";

/// The largest decoded image the services accept.
pub const LIMIT: usize = 10 * 1024 * 1024;

pub fn check(ctx: &mut RecordContext<'_>, decoded_len: usize, pointer: &str) {
    if decoded_len <= LIMIT {
        return;
    }
    ctx.report(Rule::ImageTooLarge, pointer)
        .message(format!(
            "image is {decoded_len} bytes ({:.1} MB) decoded, over the 10 MB limit ({LIMIT} bytes); the service skips it as `image too large`",
            decoded_len as f64 / 1_048_576.0
        ))
        .label("over 10 MB");
}
