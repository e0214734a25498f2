//! FT202 `mixed-formats`: a record in another format than the rest of the file (or than `--format`).
//!
//! Both ways of detecting it live here. With `--format sft|dpo|rft` the record checker asks
//! [`check_chosen`] about each record whose shape does not fit that format, and the finding comes
//! at once. Under `--format auto` the file's majority format is only known at its end: the dataset
//! checker feeds every record's format and site to a [`Majority`] and, after the file's
//! line-ordered findings, [`Majority::finish`] reports the records outside it.

use crate::context::{FileContext, RecordContext};
use crate::dataset::RecordSite;
use crate::model::shape::{Format, FormatChoice, Shape};
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

/// A record whose `shape` is plainly another format than the one `--format` names. Records that
/// fit no format at all are other rules' findings (FT200, FT201).
pub fn check_chosen(ctx: &mut RecordContext<'_>, shape: Shape) {
    let Some(found) = shape.implied_format() else {
        return;
    };
    let chosen = match ctx.settings.format {
        FormatChoice::Auto => return,
        FormatChoice::Sft => Format::Sft,
        FormatChoice::Dpo => Format::Dpo,
        FormatChoice::Rft => Format::Rft,
    };
    // Chat records are SFT by their keys, and RFT only by `--format rft`.
    if chosen == found || (chosen == Format::Rft && found == Format::Sft) {
        return;
    }
    ctx.report(Rule::MixedFormats, "")
        .message(format!(
            "record is in the {} format, but the file is checked as {} (`--format {}`)",
            found.name(),
            chosen.name(),
            chosen.name().to_lowercase()
        ))
        .help(format!(
            "a fine-tuning job takes one format per file; move {} records to their own file",
            found.name()
        ));
}

const FORMATS: [Format; 3] = [Format::Sft, Format::Dpo, Format::Rft];

fn format_index(format: Format) -> usize {
    match format {
        Format::Sft => 0,
        Format::Dpo => 1,
        Format::Rft => 2,
    }
}

/// The sites of a file's records by format, under `--format auto`, to find the majority format at
/// the end of the file. A few dozen bytes per record.
#[derive(Debug, Default)]
pub struct Majority {
    /// Indexed by [`format_index`].
    sites: [Vec<RecordSite>; 3],
    first_format: Option<Format>,
}

impl Majority {
    /// Makes room for about `records` more records, of the first record's format (nearly every
    /// record usually has it; SFT before the first).
    pub fn reserve(&mut self, records: usize) {
        let format = self.first_format.unwrap_or(Format::Sft);
        self.sites[format_index(format)].reserve(records);
    }

    /// Takes in one record checked as `format`, in line order.
    pub fn record(&mut self, site: &RecordSite, format: Format) {
        self.first_format.get_or_insert(format);
        self.sites[format_index(format)].push(*site);
    }

    /// Reports every record whose format is not the file's majority format, in line order. A tie
    /// goes to the format of the file's first record.
    pub fn finish(&self, ctx: &mut FileContext<'_>) {
        let Some(first) = self.first_format else {
            return;
        };
        let counts = self.sites.each_ref().map(|sites| sites.len() as u64);
        let total: u64 = counts.iter().sum();
        let mut majority = first;
        for format in FORMATS {
            if counts[format_index(format)] > counts[format_index(majority)] {
                majority = format;
            }
        }
        let majority_count = counts[format_index(majority)];
        let mut minority: Vec<(RecordSite, Format)> = FORMATS
            .iter()
            .filter(|&&f| f != majority)
            .flat_map(|&f| self.sites[format_index(f)].iter().map(move |site| (*site, f)))
            .collect();
        minority.sort_unstable_by_key(|(site, _)| site.line);
        for (site, format) in minority {
            ctx.report_record(Rule::MixedFormats, &site)
                .message(format!(
                    "record is in the {} format, but most records of the file ({majority_count} of {total}) are {}; \
                     a fine-tuning job reads one format per file",
                    format.name(),
                    majority.name()
                ))
                .label(format!("{} record in a {} file", format.name(), majority.name()))
                .help(format!(
                    "move the {} records to a file of their own; a job for this file reads {}",
                    format.name(),
                    majority.name()
                ));
        }
    }
}
