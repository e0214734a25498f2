//! FT001 `file-too-large`: the file is over the Files API's 512 MB limit.

use crate::context::FileContext;
use crate::diagnostic::Span;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT001 file-too-large

## What it does
Reports a file larger than 512 MB (536,870,912 bytes).

## Why it matters
512 MB is the per-file limit of the Files API on both OpenAI and Azure OpenAI; a larger file is
refused at upload (Azure's portal refuses files over 200 MB). ftlint still checks the rest of the
file, so one run shows everything that needs fixing.

## Example
A 600 MB `train.jsonl`.

## How to fix
Split the file on line boundaries into parts under 512 MB, each with at least 10 examples (for
example `split -C 500m train.jsonl part-`), or use the Uploads API, which takes up to 8 GB.
"#;

pub const FIX: &str = "split the file on line boundaries into parts under 512 MB (e.g. `split -C 500m`)";

/// The Files API limit of both services, in bytes (docs/service-rules.md §1).
pub const LIMIT: u64 = 536_870_912;

pub fn check(ctx: &mut FileContext<'_>) {
    let file_len = ctx.file_len;
    if file_len <= LIMIT {
        return;
    }
    ctx.report(Rule::FileTooLarge, Span::new(LIMIT, file_len - LIMIT)).message(format!(
        "file is {file_len} bytes, over the 512 MB upload limit ({LIMIT} bytes) by {} bytes",
        file_len - LIMIT
    ));
}
