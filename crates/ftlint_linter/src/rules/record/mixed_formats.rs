//! FT202 `mixed-formats`: a record in another format than the rest of the file (or than `--format`).
//!
//! With `--format sft|dpo|rft` the record stage reports a mismatch at once ([`crate::record::shape`]).
//! Under `--format auto` the file's majority format is only known at its end, so the dataset stage
//! ([`crate::dataset`]) keeps each record's site by format and reports the minority here, after the
//! file's line-ordered findings.

use crate::dataset::RecordSite;
use crate::diagnostic::Diagnostic;
use crate::record::Format;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT202 mixed-formats

## What it does
Reports a record whose format differs from the file's: from the format `--format` names, or, under
`--format auto`, from the format most records of the file have. Under `auto`, when two formats
have as many records each, the format of the file's first record counts as the majority. These
findings come after the file's other findings, since the majority is known only at the end.

## Why it matters
A fine-tuning job has one method (supervised, DPO, reinforcement) and reads every line of its file in
that method's format. One SFT record in a DPO file fails the job: `Input file file-… is in the
fine-tune-chat format, but the specified fine-tuning job is not using 'supervised' as the training
method`.

## Example
A DPO file, `{"input": …, "preferred_output": …, "non_preferred_output": …}` on every line, with one
`{"messages": […]}` line among them.

## How to fix
Move the records of the other format to their own file, or convert them.
"#;

pub const FIX: &str = "a job takes one format per file; move these records to a file of their own";

/// A record in `format`, in a file whose majority (`majority_count` of `total` records) is `majority`.
pub fn majority_finding(
    site: &RecordSite,
    format: Format,
    majority: Format,
    majority_count: u64,
    total: u64,
) -> Diagnostic {
    let label = format!("{} record in a {} file", format.name(), majority.name());
    site.diagnostic(
        Rule::MixedFormats,
        format!(
            "record is in the {} format, but most records of the file ({majority_count} of {total}) are {}; \
             a fine-tuning job reads one format per file",
            format.name(),
            majority.name()
        ),
        Some(format!(
            "move the {} records to a file of their own; a job for this file reads {}",
            format.name(),
            majority.name()
        )),
    )
    .with_label(label)
}
