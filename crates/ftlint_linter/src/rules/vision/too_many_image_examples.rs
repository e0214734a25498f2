//! FT311 `too-many-image-examples`: a file with more than 50,000 examples that contain images.

use crate::context::FileContext;
use crate::diagnostic::Span;
use crate::model::facts::RecordFacts;
use crate::rules::Rule;

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

/// The examples with images of a file, counted line by line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImageExamples {
    /// Examples with at least one image part.
    pub count: u64,
    /// The line of the first image example over the per-file limit.
    pub first_over_limit: Option<u64>,
}

impl ImageExamples {
    /// Takes in the record on `line`, in line order.
    pub fn add(&mut self, line: u64, facts: &RecordFacts) {
        if facts.images > 0 {
            self.count += 1;
            if self.count == LIMIT + 1 {
                self.first_over_limit = Some(line);
            }
        }
    }

    /// Once the file is read: reports it when it has more image examples than the limit.
    pub fn check(&self, ctx: &mut FileContext<'_>) {
        let Some(line) = self.first_over_limit else {
            return;
        };
        let file_len = ctx.file_len;
        ctx.report(Rule::TooManyImageExamples, Span::new(0, file_len)).message(format!(
            "file has {} examples with images, over the limit of {LIMIT} per training file (the first one over it is on line {line})",
            self.count
        ));
    }
}
