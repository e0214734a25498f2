//! FT309 `non-rgb-image`: an image whose header shows a pixel mode other than RGB or RGBA.

use crate::context::RecordContext;
use crate::model::image::Header;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT309 non-rgb-image

## What it does
Reports a data-URL image whose header shows it is not stored as RGB or RGBA: a grayscale or
grayscale-with-alpha PNG, a palette (indexed-colour) PNG, a grayscale JPEG, or a CMYK (or YCCK)
JPEG. WEBP images always decode to RGB or RGBA.

## Why it matters
The vision fine-tuning guides say images "must be in the RGB or RGBA image mode". Whether the
service converts other modes or skips the image as `invalid image format` is not documented, so
this is a warning. CMYK JPEGs are the likeliest to go wrong: they come from print workflows and
decode with inverted or shifted colours in many tools.

## Example
A scanned document saved as an 8-bit grayscale PNG.

## How to fix
Convert the image to RGB before encoding it, e.g. with Pillow `Image.open(p).convert("RGB")` or
ImageMagick `convert in.png -colorspace sRGB -type TrueColor out.png`.
"#;

pub const FIX: &str = "convert the image to RGB (or RGBA) before encoding it";

pub fn check(ctx: &mut RecordContext<'_>, header: &Header, pointer: &str) {
    if header.mode.is_rgb() {
        return;
    }
    ctx.report(Rule::NonRgbImage, pointer)
        .message(format!(
            "{} image is {} ({}×{}), not RGB or RGBA as vision fine-tuning requires; the service may skip it",
            header.format.name(),
            header.mode.name(),
            header.width,
            header.height
        ))
        .label(format!("{} image", header.mode.name()));
}
