//! FT312 `remote-images`: the file has images at http(s) URLs, which cannot be checked offline.

use crate::diagnostic::{Diagnostic, Span};
use crate::rules::Rule;

use super::ImageTally;

pub const DOCS: &str = r#"# FT312 remote-images

## What it does
Reports, once per file, how many image parts use an `http://` or `https://` URL, in how many
examples, and the line of the first. It is information, not a fault.

## Why it matters
ftlint works offline, so it cannot check what such a URL serves: whether it is reachable without a
login, is a JPEG, PNG or WEBP under 10 MB in RGB mode, or shows something the service excludes. The
service fetches every image when it validates the file; an image it cannot fetch is skipped
(`inaccessible URL`), and so are images containing people, faces, children or CAPTCHAs. Skipped
images leave examples whose answers describe an image the model never saw.

## Example
```json
{"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}
```

## How to fix
Nothing is wrong. To have every image checked here, download the images and embed them as base64
data URLs; otherwise make sure each URL is public and long-lived. `--ignore remote-images` hides
this note.
"#;

pub const FIX: &str =
    "make sure each URL is public and long-lived, or embed the images as base64 data URLs so ftlint can check them";

pub fn check(tally: &ImageTally) -> Option<Diagnostic> {
    let line = tally.first_remote_line?;
    let (images, examples) = (tally.remote_images, tally.remote_examples);
    let plural = |n: u64, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
    Some(Diagnostic::file_level(
        Rule::RemoteImages,
        Rule::RemoteImages.default_severity(),
        format!(
            "{} at {} in {} (first on line {line}) could not be checked offline; the service skips images it cannot fetch and images containing people, faces, children or CAPTCHAs",
            plural(images, "image"),
            if images == 1 { "an http(s) URL" } else { "http(s) URLs" },
            plural(examples, "example"),
        ),
        Span::new(0, 0),
    ))
}
