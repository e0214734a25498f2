//! The dataset checker: what a file's records say together, beyond what each says alone.
//!
//! The line checker runs in parallel and hands each record's summary (its hash, its format and
//! where it sits) to this checker in line order. Repeats and overlaps with the training files are
//! reported as they arrive. Findings that need the whole file first (the example count, the majority
//! format) come at the end of the file, after the line-ordered ones.
//!
//! A validation file is checked with the same rules, except the training-only minimum of 10
//! examples, and each of its records is looked up among the training files' hashes.

use crate::context::FileContext;
use crate::dataset::{RecordSummary, Role, Seen};
use crate::model::shape::{Format, FormatChoice};
use crate::rules::dataset::{duplicate_example, too_few_examples, too_many_examples, validation_overlap};
use crate::rules::record::mixed_formats;
use crate::rules::Rule;
use crate::settings::Settings;

/// Whether the dataset stage of this run needs record hashes at all.
pub fn wants_hashes(settings: &Settings) -> bool {
    settings.enabled(Rule::DuplicateExample) || settings.enabled(Rule::ValidationOverlap)
}

/// The most records [`Dataset::reserve`] makes room for at once: about 32 MiB of hash table.
const MAX_RESERVE: usize = 1 << 20;

/// The dataset stage's state for one file, fed one record at a time in line order.
pub struct Dataset<'a> {
    settings: &'a Settings,
    role: Role<'a>,
    seen: Seen,
    /// The records by format, for `mixed-formats` under `--format auto`; `None` when that check
    /// does not run.
    formats: Option<mixed_formats::Majority>,
    keep_hashes: bool,
    /// RFT records so far, for the RFT dataset limits (FT504).
    rft_records: u64,
}

impl<'a> Dataset<'a> {
    /// `keep_hashes`: keep every record's hash after the file (a training file when a validation
    /// file will be compared against it), even when no duplicate check needs them.
    pub fn new(settings: &'a Settings, role: Role<'a>, keep_hashes: bool) -> Self {
        let track_formats = settings.format == FormatChoice::Auto && settings.enabled(Rule::MixedFormats);
        Dataset {
            settings,
            role,
            seen: Seen::default(),
            formats: track_formats.then(mixed_formats::Majority::default),
            keep_hashes,
            rft_records: 0,
        }
    }

    /// Makes room for about `records` more records, so that the tables do not grow step by step
    /// on the sequential part of the check, where each step rehashes every record so far into new
    /// memory while the worker threads wait. At most [`MAX_RESERVE`] at once: an estimate from the
    /// start of a file can be far off, and the tables still grow past it as needed.
    pub fn reserve(&mut self, records: usize) {
        let records = records.min(MAX_RESERVE);
        if self.stores_hashes() {
            self.seen.reserve(records);
        }
        if let Some(formats) = &mut self.formats {
            formats.reserve(records);
        }
    }

    /// Whether record hashes are kept: for the duplicate check, or for a validation file to come.
    fn stores_hashes(&self) -> bool {
        self.settings.enabled(Rule::DuplicateExample) || self.keep_hashes
    }

    /// Takes in one record (in line order) and reports the findings it makes at once.
    pub fn record(&mut self, ctx: &mut FileContext<'_>, summary: &RecordSummary, format: Option<Format>) {
        if let (Some(formats), Some(format)) = (&mut self.formats, format) {
            formats.record(&summary.site, format);
        }
        if format == Some(Format::Rft) {
            self.rft_records += 1;
            let validation = matches!(self.role, Role::Validation(_));
            too_many_examples::check(ctx, &summary.site, self.rft_records, validation);
        }
        let Some(hash) = summary.hash else { return };
        if let Role::Validation(training) = self.role {
            validation_overlap::check(ctx, &summary.site, hash, training);
        }
        if self.stores_hashes() {
            duplicate_example::check(ctx, &summary.site, hash, &mut self.seen);
        }
    }

    /// The findings that need the whole file: too few examples, then records outside the majority
    /// format (in line order). Returns the file's record hashes.
    pub fn finish(self, ctx: &mut FileContext<'_>, content_lines: u64) -> Seen {
        if matches!(self.role, Role::Training) {
            too_few_examples::check(ctx, content_lines);
        }
        if let Some(formats) = &self.formats {
            formats.finish(ctx);
        }
        self.seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{record_hash, RecordSite, TrainingIndex};
    use crate::diagnostic::Diagnostic;
    use crate::settings::Profile;
    use serde_json::json;

    fn summary(line: u64, value: serde_json::Value) -> RecordSummary {
        RecordSummary {
            hash: Some(record_hash(&crate::model::json::Value::from_serde(&value, &bumpalo::Bump::new()))),
            site: RecordSite { line, offset: line * 10, length: 5, column: 1 },
        }
    }

    #[test]
    fn repeats_name_the_first_line_and_the_validation_file_names_the_training_line() {
        let settings = Settings::new(Profile::Azure);
        let mut training = Dataset::new(&settings, Role::Training, true);
        let mut out = Vec::new();
        for (line, n) in [(1, 1), (2, 2), (3, 1), (4, 1)] {
            let mut ctx = FileContext::new(&settings, 40, &mut out);
            training.record(&mut ctx, &summary(line, json!({ "n": n })), Some(Format::Sft));
        }
        let lines: Vec<_> = out.iter().map(|d| (d.rule, d.position.unwrap().line)).collect();
        assert_eq!(lines, [(Rule::DuplicateExample, 3), (Rule::DuplicateExample, 4)]);
        assert!(out[1].message.contains("line 1"), "{}", out[1].message);

        let mut end: Vec<Diagnostic> = Vec::new();
        let seen = training.finish(&mut FileContext::new(&settings, 40, &mut end), 4);
        let mut index = TrainingIndex::default();
        index.add("train.jsonl", seen);
        let mut validation = Dataset::new(&settings, Role::Validation(&index), false);
        let mut out = Vec::new();
        let mut ctx = FileContext::new(&settings, 20, &mut out);
        validation.record(&mut ctx, &summary(1, json!({ "n": 3 })), Some(Format::Sft));
        validation.record(&mut ctx, &summary(2, json!({ "n": 2 })), Some(Format::Sft));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, Rule::ValidationOverlap);
        assert!(out[0].message.contains("train.jsonl") && out[0].message.contains("line 2"));
        // A validation file has no minimum size.
        let mut end = Vec::new();
        validation.finish(&mut FileContext::new(&settings, 20, &mut end), 2);
        assert!(end.is_empty());
    }

    #[test]
    fn the_majority_format_wins_and_a_tie_goes_to_the_first_record() {
        let settings = Settings::new(Profile::Azure);
        let run = |formats: &[Format]| -> Vec<(u64, Format)> {
            let mut dataset = Dataset::new(&settings, Role::Training, false);
            let mut end = Vec::new();
            let mut ctx = FileContext::new(&settings, 100, &mut end);
            for (i, format) in formats.iter().enumerate() {
                dataset.record(&mut ctx, &summary(i as u64 + 1, json!({ "i": i })), Some(*format));
            }
            dataset.finish(&mut ctx, 10);
            end.iter()
                .filter(|d| d.rule == Rule::MixedFormats)
                .map(|d| {
                    (
                        d.position.unwrap().line,
                        if d.message.contains("DPO format") { Format::Dpo } else { Format::Sft },
                    )
                })
                .collect()
        };
        use Format::{Dpo, Sft};
        assert_eq!(run(&[Sft, Dpo, Dpo, Sft, Dpo]), [(1, Sft), (4, Sft)]);
        assert_eq!(run(&[Dpo, Sft, Sft, Dpo]), [(2, Sft), (3, Sft)]);
        assert_eq!(run(&[Sft, Sft]), []);
    }

    #[test]
    fn rft_files_over_50000_training_or_1000_validation_examples_are_errors_at_the_first_over() {
        let settings = Settings::new(Profile::Azure);
        let index = TrainingIndex::default();
        let over = |role: Role<'_>, records: u64, format: Format| -> Vec<(u64, String)> {
            let mut dataset = Dataset::new(&settings, role, false);
            let mut out = Vec::new();
            let mut ctx = FileContext::new(&settings, records * 10, &mut out);
            for line in 1..=records {
                let site = RecordSite { line, offset: line * 10, length: 5, column: 1 };
                dataset.record(&mut ctx, &RecordSummary { hash: None, site }, Some(format));
            }
            out.into_iter()
                .filter(|d| d.rule == Rule::TooManyExamples)
                .map(|d| (d.position.unwrap().line, d.message))
                .collect()
        };
        assert!(over(Role::Validation(&index), 1_000, Format::Rft).is_empty());
        let found = over(Role::Validation(&index), 1_500, Format::Rft);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 1_001);
        assert!(
            found[0].1.contains("an RFT validation file may hold at most 1,000 examples"),
            "{}",
            found[0].1
        );
        assert!(over(Role::Training, 50_000, Format::Rft).is_empty());
        assert_eq!(
            over(Role::Training, 50_002, Format::Rft).iter().map(|f| f.0).collect::<Vec<_>>(),
            [50_001]
        );
        // SFT files have no such limit.
        assert!(over(Role::Validation(&index), 1_500, Format::Sft).is_empty());
    }
}
