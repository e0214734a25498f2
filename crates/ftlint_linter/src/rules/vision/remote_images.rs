//! FT312 `remote-images`: the file has images at http(s) URLs, which cannot be checked offline.

use crate::context::FileContext;
use crate::diagnostic::Span;
use crate::model::facts::RecordFacts;
use crate::rules::Rule;

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

/// The images at http(s) URLs of a file, counted line by line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RemoteImages {
    pub images: u64,
    pub examples: u64,
    pub first_line: Option<u64>,
}

impl RemoteImages {
    /// Takes in the record on `line`, in line order.
    pub fn add(&mut self, line: u64, facts: &RecordFacts) {
        if facts.remote_images > 0 {
            self.images += u64::from(facts.remote_images);
            self.examples += 1;
            self.first_line.get_or_insert(line);
        }
    }

    /// Once the file is read: one finding for all of them, if there are any.
    pub fn check(&self, ctx: &mut FileContext<'_>) {
        let Some(line) = self.first_line else {
            return;
        };
        let (images, examples) = (self.images, self.examples);
        let plural = |n: u64, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
        ctx.report(Rule::RemoteImages, Span::new(0, 0)).message(format!(
            "{} at {} in {} (first on line {line}) could not be checked offline; the service skips images it cannot fetch and images containing people, faces, children or CAPTCHAs",
            plural(images, "image"),
            if images == 1 { "an http(s) URL" } else { "http(s) URLs" },
            plural(examples, "example"),
        ));
    }
}
