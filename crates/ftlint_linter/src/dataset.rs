//! The dataset stage: what a file's records say together, beyond what each says alone.
//!
//! The record stage runs in parallel and hands each record's summary — a 128-bit hash of its
//! canonical form, its format and where it sits — to this stage in line order. Here a [`Dataset`]
//! accumulates those summaries (never the records themselves, so memory stays a few dozen bytes per
//! record) and reports repeats as they arrive. Findings that need the whole file first — the
//! example count, the majority format — come at the end of the file, after the line-ordered ones.
//!
//! A validation file is checked with the same rules, except the training-only minimum of 10
//! examples, and each of its records is looked up among the training files' hashes
//! ([`TrainingIndex`]).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::json::{Number, Value};
use xxhash_rust::xxh3::xxh3_128;

use crate::diagnostic::{Diagnostic, Position, Span};
use crate::lines::Line;
use crate::position::column_at;
use crate::record::{Format, FormatChoice};
use crate::rules::dataset::{duplicate_example, too_few_examples, validation_overlap};
use crate::rules::record::mixed_formats;
use crate::rules::Rule;
use crate::settings::Settings;

/// A record's identity after parsing: the xxh3-128 hash of its canonical form ([`record_hash`]).
pub type RecordHash = u128;

/// Where a record sits in its file: enough to report at it long after its line is gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordSite {
    pub line: u64,
    /// Byte offset of the record's `{` in the file.
    pub offset: u64,
    /// Byte length of the record, `{` to `}`.
    pub length: u64,
    /// 1-based column of the `{`, in characters.
    pub column: u64,
}

impl RecordSite {
    /// The site of the JSON value on `line`: its text without the whitespace around it.
    pub fn of(line: &Line<'_>) -> RecordSite {
        let is_ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        let start = line.text.iter().position(|b| !is_ws(b)).unwrap_or(line.text.len());
        let end = line.text.iter().rposition(|b| !is_ws(b)).map_or(start, |i| i + 1);
        RecordSite {
            line: line.number,
            offset: (line.start + start) as u64,
            length: (end - start) as u64,
            column: column_at(line.text, start),
        }
    }

    /// A finding of `rule` that covers the whole record (JSON pointer `""`).
    pub fn diagnostic(&self, rule: Rule, message: String, help: Option<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            message,
            label: None,
            help,
            span: Span::new(self.offset, self.length),
            position: Some(Position { line: self.line, column: self.column }),
            pointer: Some(String::new()),
            fix: None,
        }
    }
}

/// What the dataset stage learns of one record, computed on a worker thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordSummary {
    /// `None` when no dataset rule needs hashes (all of them are off).
    pub hash: Option<RecordHash>,
    pub site: RecordSite,
}

/// Whether the dataset stage of this run needs record hashes at all.
pub fn wants_hashes(settings: &Settings) -> bool {
    settings.enabled(Rule::DuplicateExample) || settings.enabled(Rule::ValidationOverlap)
}

/// The xxh3-128 hash of a record's canonical form: object keys in sorted order (the last of a
/// repeated key), numbers by their value and kind (`1` and `1.0` differ, as their text does), strings
/// by their decoded characters. So two lines that differ only in key order, whitespace or escapes
/// (`"\u00e9"` vs `"é"`) hash alike.
///
/// Each value is written with a type tag and every string and container with its length, so no two
/// different values write the same byte stream (`["ab"]` vs `["a","b"]`). With 128 bits a false
/// match among even a billion records has a probability near 10⁻²¹.
///
/// The canonical form is written into a per-thread buffer and hashed in one call: a streaming
/// hasher fed value by value spent more time buffering its many small inputs than hashing.
pub fn record_hash(value: &Value<'_>) -> RecordHash {
    thread_local! {
        static CANONICAL: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let hash_into = |buffer: &mut Vec<u8>| {
        buffer.clear();
        write_canonical(buffer, value);
        let hash = xxh3_128(buffer);
        // A record with a huge image should not pin its size in every thread for the whole run.
        if buffer.capacity() > 1 << 20 {
            *buffer = Vec::new();
        }
        hash
    };
    CANONICAL
        .try_with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => hash_into(&mut buffer),
            Err(_) => hash_into(&mut Vec::new()),
        })
        .unwrap_or_else(|_| hash_into(&mut Vec::new()))
}

/// Strings at least this long enter the canonical form as their own 128-bit hash rather than their
/// bytes: hashing a long message in place is cheaper than copying it into the buffer first, and a
/// collision would still need two different strings with equal 128-bit hashes.
const INLINE_STRING_MAX: usize = 64;

fn write_canonical(out: &mut Vec<u8>, value: &Value<'_>) {
    let write_str = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&(s.len() as u64).to_le_bytes());
        if s.len() < INLINE_STRING_MAX {
            out.extend_from_slice(s.as_bytes());
        } else {
            out.extend_from_slice(&xxh3_128(s.as_bytes()).to_le_bytes());
        }
    };
    match value {
        Value::Null => out.push(b'n'),
        Value::Bool(b) => out.push(if *b { b't' } else { b'f' }),
        Value::Number(Number::PosInt(n)) => {
            out.push(b'+');
            out.extend_from_slice(&n.to_le_bytes());
        }
        Value::Number(Number::NegInt(n)) => {
            out.push(b'-');
            out.extend_from_slice(&n.to_le_bytes());
        }
        Value::Number(Number::Float(x)) => {
            out.push(b'.');
            out.extend_from_slice(&x.to_bits().to_le_bytes());
        }
        Value::String(s) => {
            out.push(b's');
            write_str(out, s);
        }
        Value::Array(items) => {
            out.push(b'[');
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in *items {
                write_canonical(out, item);
            }
        }
        Value::Object(object) => {
            out.push(b'{');
            out.extend_from_slice(&(object.len() as u64).to_le_bytes());
            // Members come in the order written; sort only when that is not already key order.
            // Most objects are small (a message: role and content), so their order is found on the
            // stack without an allocation.
            let mut small: [(&str, &Value<'_>); 8] = [("", &Value::Null); 8];
            let mut large = Vec::new();
            let entries: &mut [(&str, &Value<'_>)] = if object.len() <= small.len() {
                for (slot, member) in small.iter_mut().zip(object.iter()) {
                    *slot = member;
                }
                &mut small[..object.len()]
            } else {
                large.extend(object.iter());
                &mut large
            };
            if entries.windows(2).any(|pair| pair[0].0 > pair[1].0) {
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            }
            for (key, item) in entries.iter() {
                write_str(out, key);
                write_canonical(out, item);
            }
        }
    }
}

/// A hasher for keys that are hashes already: it keeps the low 64 bits, no mixing needed.
#[derive(Default)]
pub struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        // Truncation is the point: the low half of a good 128-bit hash is a good 64-bit hash.
        #[allow(clippy::cast_possible_truncation)]
        let low = n as u64;
        self.0 = low;
    }
}

type HashIndex<V> = HashMap<RecordHash, V, BuildHasherDefault<PrehashedHasher>>;

/// The records of every training file of the run, by hash, for the validation file to be
/// compared against. Holds the first occurrence of each record: its file and line.
#[derive(Debug, Default)]
pub struct TrainingIndex {
    files: Vec<String>,
    records: HashIndex<(u32, u64)>,
}

impl TrainingIndex {
    /// Adds the records of one training file (as [`Dataset::finish`] returned them).
    pub fn add(&mut self, name: &str, seen: Seen) {
        let file = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.push(name.to_owned());
        for (hash, line) in seen.0 {
            self.records.entry(hash).or_insert((file, line));
        }
    }

    /// The training file and line holding a record with this hash, if any.
    pub fn find(&self, hash: RecordHash) -> Option<(&str, u64)> {
        let &(file, line) = self.records.get(&hash)?;
        Some((self.files.get(file as usize).map_or("", String::as_str), line))
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// Which part of a fine-tuning job a file is.
#[derive(Clone, Copy, Debug)]
pub enum Role<'a> {
    /// A training file: at least 10 examples.
    Training,
    /// The validation file, compared against the training files for shared records.
    Validation(&'a TrainingIndex),
}

/// A file's records by hash, with the first line each was seen on.
#[derive(Debug, Default)]
pub struct Seen(HashIndex<u64>);

/// The dataset stage's state for one file, fed one record at a time in line order.
pub struct Dataset<'a> {
    settings: &'a Settings,
    role: Role<'a>,
    seen: Seen,
    /// Sites of the records of each format, for `mixed-formats` under `--format auto`; indexed by
    /// [`format_index`]. Empty when that check does not run.
    sites: [Vec<RecordSite>; 3],
    first_format: Option<Format>,
    track_formats: bool,
    keep_hashes: bool,
}

fn format_index(format: Format) -> usize {
    match format {
        Format::Sft => 0,
        Format::Dpo => 1,
        Format::Rft => 2,
    }
}

const FORMATS: [Format; 3] = [Format::Sft, Format::Dpo, Format::Rft];

/// The most records [`Dataset::reserve`] makes room for at once: about 32 MiB of hash table.
const MAX_RESERVE: usize = 1 << 20;

impl<'a> Dataset<'a> {
    /// `keep_hashes`: keep every record's hash after the file (a training file when a validation
    /// file will be compared against it), even when no duplicate check needs them.
    pub fn new(settings: &'a Settings, role: Role<'a>, keep_hashes: bool) -> Self {
        Dataset {
            settings,
            role,
            seen: Seen::default(),
            sites: Default::default(),
            first_format: None,
            track_formats: settings.format == FormatChoice::Auto && settings.enabled(Rule::MixedFormats),
            keep_hashes,
        }
    }

    /// Makes room for about `records` more records, so that the tables do not grow step by step
    /// on the sequential part of the check, where each step rehashes every record so far into new
    /// memory while the worker threads wait. At most [`MAX_RESERVE`] at once: an estimate from the
    /// start of a file can be far off, and the tables still grow past it as needed.
    pub fn reserve(&mut self, records: usize) {
        let records = records.min(MAX_RESERVE);
        if self.stores_hashes() {
            self.seen.0.reserve(records);
        }
        if self.track_formats {
            // Nearly every record is usually of one format; which one is known after the first.
            let format = self.first_format.unwrap_or(Format::Sft);
            self.sites[format_index(format)].reserve(records);
        }
    }

    /// Whether record hashes are kept: for the duplicate check, or for a validation file to come.
    fn stores_hashes(&self) -> bool {
        self.settings.enabled(Rule::DuplicateExample) || self.keep_hashes
    }

    /// Takes in one record (in line order) and pushes the findings it makes at once.
    pub fn record(&mut self, summary: &RecordSummary, format: Option<Format>, out: &mut Vec<Diagnostic>) {
        if let Some(format) = format {
            self.first_format.get_or_insert(format);
            if self.track_formats {
                self.sites[format_index(format)].push(summary.site);
            }
        }
        let Some(hash) = summary.hash else { return };
        if let Role::Validation(training) = self.role {
            if self.settings.enabled(Rule::ValidationOverlap) {
                if let Some((file, line)) = training.find(hash) {
                    out.push(validation_overlap::finding(&summary.site, file, line));
                }
            }
        }
        if !self.stores_hashes() {
            return;
        }
        match self.seen.0.entry(hash) {
            std::collections::hash_map::Entry::Occupied(first) => {
                if self.settings.enabled(Rule::DuplicateExample) {
                    out.push(duplicate_example::finding(&summary.site, *first.get()));
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(summary.site.line);
            }
        }
    }

    /// The findings that need the whole file: too few examples, then records outside the majority
    /// format (in line order). Returns them with the file's record hashes.
    pub fn finish(self, content_lines: u64, file_len: u64) -> (Vec<Diagnostic>, Seen) {
        let mut out = Vec::new();
        if matches!(self.role, Role::Training) && content_lines > 0 {
            out.extend(too_few_examples::check(content_lines, file_len));
        }
        if self.track_formats {
            out.extend(self.minority_formats());
        }
        (out, self.seen)
    }

    /// `mixed-formats` under `--format auto`: every record whose format is not the file's majority
    /// format. A tie goes to the format of the file's first record.
    fn minority_formats(&self) -> Vec<Diagnostic> {
        let counts = self.sites.each_ref().map(|sites| sites.len() as u64);
        let total: u64 = counts.iter().sum();
        let Some(first) = self.first_format else { return Vec::new() };
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
        minority
            .into_iter()
            .map(|(site, format)| {
                mixed_formats::majority_finding(&site, format, majority, majority_count, total)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Profile;
    use serde_json::json;

    fn hash(text: &str) -> RecordHash {
        record_hash(&crate::json::parse(text, &bumpalo::Bump::new()).unwrap().value)
    }

    #[test]
    fn the_hash_ignores_key_order_whitespace_and_escapes() {
        assert_eq!(hash(r#"{"a": 1, "b": [true, null]}"#), hash(r#"{"b":[true,null],"a":1}"#));
        assert_eq!(hash(r#"{"s": "\u00e9"}"#), hash(r#"{"s": "é"}"#));
        assert_eq!(hash(r#"{"n": 1.0}"#), hash(r#"{"n": 1.00}"#));
        // Long strings enter the form as their own hash; escapes still make no difference.
        let long = "é".repeat(100);
        let escaped = "\\u00e9".repeat(100);
        assert_eq!(hash(&format!(r#"{{"s": "{long}"}}"#)), hash(&format!(r#"{{"s": "{escaped}"}}"#)));
        // Objects beyond the on-stack size sort alike too.
        let keys: Vec<String> = (0..20).map(|i| format!(r#""k{i:02}": {i}"#)).collect();
        let reversed: Vec<String> = keys.iter().rev().cloned().collect();
        assert_eq!(hash(&format!("{{{}}}", keys.join(","))), hash(&format!("{{{}}}", reversed.join(","))));
    }

    #[test]
    fn long_strings_that_differ_anywhere_hash_apart() {
        let base = "x".repeat(500);
        let texts: Vec<String> = [0, 250, 499]
            .iter()
            .map(|&at| {
                let mut s = base.clone().into_bytes();
                s[at] = b'y';
                format!(r#"{{"s": "{}"}}"#, String::from_utf8(s).unwrap())
            })
            .chain([format!(r#"{{"s": "{base}"}}"#), format!(r#"{{"s": "{base}x"}}"#)])
            .collect();
        let hashes: std::collections::HashSet<_> = texts.iter().map(|t| hash(t)).collect();
        assert_eq!(hashes.len(), texts.len());
    }

    #[test]
    fn the_hash_tells_apart_what_differs() {
        let distinct = [
            r#"{"a": ["ab"]}"#,
            r#"{"a": ["a", "b"]}"#,
            r#"{"a": "1"}"#,
            r#"{"a": 1}"#,
            r#"{"a": 1.5}"#,
            r#"{"a": null}"#,
            r#"{"a": false}"#,
            r#"{"a": {}}"#,
            r#"{"a": []}"#,
            r#"{"ab": []}"#,
            r#"{"a": [], "b": []}"#,
            r#"{"a": [[]]}"#,
        ];
        let hashes: std::collections::HashSet<_> = distinct.iter().map(|t| hash(t)).collect();
        assert_eq!(hashes.len(), distinct.len());
    }

    #[test]
    fn a_record_site_skips_surrounding_whitespace() {
        let line = Line { number: 3, start: 100, text: b"  {\"a\": 1} \r" };
        let site = RecordSite::of(&line);
        assert_eq!(site, RecordSite { line: 3, offset: 102, length: 8, column: 3 });
    }

    fn summary(line: u64, value: serde_json::Value) -> RecordSummary {
        RecordSummary {
            hash: Some(record_hash(&crate::json::Value::from_serde(&value, &bumpalo::Bump::new()))),
            site: RecordSite { line, offset: line * 10, length: 5, column: 1 },
        }
    }

    #[test]
    fn repeats_name_the_first_line_and_the_validation_file_names_the_training_line() {
        let settings = Settings::new(Profile::Azure);
        let mut training = Dataset::new(&settings, Role::Training, true);
        let mut out = Vec::new();
        for (line, n) in [(1, 1), (2, 2), (3, 1), (4, 1)] {
            training.record(&summary(line, json!({ "n": n })), Some(Format::Sft), &mut out);
        }
        let lines: Vec<_> = out.iter().map(|d| (d.rule, d.position.unwrap().line)).collect();
        assert_eq!(lines, [(Rule::DuplicateExample, 3), (Rule::DuplicateExample, 4)]);
        assert!(out[1].message.contains("line 1"), "{}", out[1].message);

        let (_, seen) = training.finish(4, 40);
        let mut index = TrainingIndex::default();
        index.add("train.jsonl", seen);
        let mut validation = Dataset::new(&settings, Role::Validation(&index), false);
        let mut out = Vec::new();
        validation.record(&summary(1, json!({ "n": 3 })), Some(Format::Sft), &mut out);
        validation.record(&summary(2, json!({ "n": 2 })), Some(Format::Sft), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, Rule::ValidationOverlap);
        assert!(out[0].message.contains("train.jsonl") && out[0].message.contains("line 2"));
        // A validation file has no minimum size.
        let (end, _) = validation.finish(2, 20);
        assert!(end.is_empty());
    }

    #[test]
    fn the_majority_format_wins_and_a_tie_goes_to_the_first_record() {
        let settings = Settings::new(Profile::Azure);
        let run = |formats: &[Format]| -> Vec<(u64, Format)> {
            let mut dataset = Dataset::new(&settings, Role::Training, false);
            let mut out = Vec::new();
            for (i, format) in formats.iter().enumerate() {
                dataset.record(&summary(i as u64 + 1, json!({ "i": i })), Some(*format), &mut out);
            }
            let (end, _) = dataset.finish(10, 100);
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
}
