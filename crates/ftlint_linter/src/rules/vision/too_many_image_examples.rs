//! FT311 `too-many-image-examples`: a file with more than 50,000 examples that contain images.

use crate::diagnostic::{Diagnostic, Span};
use crate::rules::Rule;

use super::ImageTally;

pub const DOCS: &str = r#"# FT311 too-many-image-examples

## What it does
Reports a file with more than 50,000 examples that contain at least one image part. Text-only
examples are not counted. The message names the line of the first example over the limit.

## Why it matters
OpenAI's and Azure OpenAI's vision fine-tuning guides allow at most 50,000 examples with images per
training file.

## Example
A file of 60,000 image-captioning examples.

## How to fix
Split the data into files of at most 50,000 image examples and train on them in turn (continue
fine-tuning from the previous model), or sample the examples down.
"#;

pub const FIX: &str = "keep at most 50,000 image examples per file: split or sample the data";

pub const LIMIT: u64 = 50_000;

pub fn check(tally: &ImageTally, file_len: u64) -> Option<Diagnostic> {
    let line = tally.first_over_limit?;
    Some(Diagnostic::file_level(
        Rule::TooManyImageExamples,
        Rule::TooManyImageExamples.default_severity(),
        format!(
            "file has {} examples with images, over the limit of {LIMIT} per training file (the first one over it is on line {line})",
            tally.image_examples
        ),
        Span::new(0, file_len),
    ))
}
