//! FT005 `no-examples`: the file is empty or holds no example (only a BOM, only blank lines).

use crate::context::FileContext;
use crate::diagnostic::Span;
use crate::encoding::Encoding;
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

/// Once the file is read: reports it when none of its lines had content (`content_lines` counts
/// the non-blank ones, parsed or not).
pub fn check(ctx: &mut FileContext<'_>, encoding: Encoding, content_lines: u64) {
    if content_lines > 0 {
        return;
    }
    let file_len = ctx.file_len;
    let message = if file_len == 0 {
        "file is empty (0 bytes): there is no example to train on"
    } else if file_len == encoding.bom_len() as u64 {
        "file holds only a byte-order mark: there is no example to train on"
    } else {
        "file holds only blank lines: there is no example to train on"
    };
    ctx.report(Rule::NoExamples, Span::new(0, file_len)).message(message);
}
