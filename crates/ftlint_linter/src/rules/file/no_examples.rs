//! FT005 `no-examples`: the file is empty or holds no example (only a BOM, only blank lines).

use crate::diagnostic::{Diagnostic, Span};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT005 no-examples

## What it does
Reports a file with no example in it: zero bytes, only a byte-order mark, or only blank lines.

## Why it matters
An empty training file is rejected by both services, and usually means an export step wrote nothing:
a failed query, a filter that matched nothing, a path mix-up. Lines that fail to parse are reported by
their own rules; this rule fires only when there is nothing at all to check.

## Example
A 0-byte `train.jsonl`, or a file holding `\n\n\n`.

## How to fix
Regenerate the file, and check the step that wrote it.
"#;

pub const FIX: &str = "regenerate the file; the step that wrote it produced no records";

/// What the file held, once it was read through.
pub enum Emptiness {
    ZeroBytes,
    OnlyBom,
    OnlyBlankLines,
}

pub fn check(emptiness: Emptiness, file_len: u64) -> Diagnostic {
    let message = match emptiness {
        Emptiness::ZeroBytes => "file is empty (0 bytes): there is no example to train on",
        Emptiness::OnlyBom => "file holds only a byte-order mark: there is no example to train on",
        Emptiness::OnlyBlankLines => "file holds only blank lines: there is no example to train on",
    };
    Diagnostic::file_level(
        Rule::NoExamples,
        Rule::NoExamples.default_severity(),
        message,
        Span::new(0, file_len),
    )
}
