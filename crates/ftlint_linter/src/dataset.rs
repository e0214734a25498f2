//! What the dataset stage remembers of a file's records: a 128-bit hash of each record's canonical
//! form ([`record_hash`]) and where it sits ([`RecordSite`]), never the records themselves, so
//! memory stays a few dozen bytes per record.
//!
//! The dataset checker ([`crate::checkers::dataset`]) takes these in line order and runs the
//! dataset rules over them. A validation file's records are looked up among the training files'
//! hashes ([`TrainingIndex`]).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::json::{Number, Value};
use xxhash_rust::xxh3::xxh3_128;

use crate::lines::Line;
use crate::position::column_at;

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
}

/// What the dataset stage learns of one record, computed on a worker thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordSummary {
    /// `None` when no dataset rule needs hashes (all of them are off).
    pub hash: Option<RecordHash>,
    pub site: RecordSite,
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
    /// Adds the records of one training file (as [`crate::checkers::dataset::Dataset::finish`] returned them).
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

impl Seen {
    /// The first line a record with `hash` was seen on; when there is none, `line` becomes it.
    pub fn first_line_or_insert(&mut self, hash: RecordHash, line: u64) -> Option<u64> {
        match self.0.entry(hash) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(line);
                None
            }
        }
    }

    /// Makes room for `records` more records.
    pub fn reserve(&mut self, records: usize) {
        self.0.reserve(records);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(text: &str) -> RecordHash {
        record_hash(&crate::model::json::parse(text, &bumpalo::Bump::new()).unwrap().value)
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
}
