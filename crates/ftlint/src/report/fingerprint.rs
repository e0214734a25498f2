//! The identity of a finding across runs: one fingerprint, used by GitLab's `fingerprint`, SARIF's
//! `partialFingerprints` and the baseline file.
//!
//! A CI system tells new findings from fixed ones by this value, so it must stay the same while the
//! finding stays, however the file around it changes. It hashes (128-bit FNV-1a) only what
//! identifies the finding:
//!
//! - the rule's code and the path (relative, as the report shows it);
//! - the JSON pointer of the value the finding is about;
//! - the value at that pointer, normalised (parsed and written back compactly, so spacing does not
//!   count), and the whole example (the record) normalised the same way; a line that is not JSON
//!   counts as its bytes, without the line ending;
//! - for two findings that hash alike in one file (the same fault in two identical records), the
//!   occurrence number, counted in file order.
//!
//! Never the line or column (a line inserted above would change them) nor the message (it may say
//! "repeats line 5"). A finding about the whole file (a missing BOM) is identified by rule, path and
//! pointer alone.

use rustc_hash::{FxHashMap, FxHashSet};

use ftlint_linter::diagnostic::Diagnostic;

/// 128-bit FNV-1a: tiny, stable across versions and platforms (unlike `std`'s hasher), and good
/// enough to tell findings apart; it is not used for anything secret.
pub fn fnv1a_128(parts: &[&[u8]]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    for part in parts {
        for &byte in *part {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        hash ^= 0xff;
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

/// The fingerprint as reports write it: 32 lowercase hex digits.
pub fn hex(fingerprint: u128) -> String {
    format!("{fingerprint:032x}")
}

/// Fingerprints the findings of one file after another; create one per report and feed it every
/// finding in the order the check gives them.
#[derive(Debug, Default)]
pub struct Fingerprinter {
    /// The file whose findings are being fingerprinted, the hashes given out in it (by their first
    /// 64 bits: about 9 bytes a finding, for files with millions of them), and how often those
    /// given out more than once were.
    path: String,
    seen: FxHashSet<u64>,
    repeats: FxHashMap<u64, u32>,
    /// The last record parsed: its byte range in the file, its value and the hash of its
    /// normalised text, since findings come in line order and one record often has several.
    record: Option<(usize, usize, Option<serde_json::Value>, u128)>,
}

impl Fingerprinter {
    pub fn new() -> Self {
        Fingerprinter::default()
    }

    /// The fingerprint of `d`, found in `source` (the whole file) and reported under `path`.
    pub fn fingerprint(&mut self, path: &str, source: &[u8], d: &Diagnostic) -> u128 {
        if path != self.path {
            self.path = path.to_owned();
            self.seen.clear();
            self.repeats.clear();
            self.record = None;
        }
        let pointer = d.pointer.as_deref().unwrap_or("");
        let (value, example) = match d.position {
            Some(_) => self.contents(source, usize::try_from(d.span.offset).unwrap_or(usize::MAX), pointer),
            None => (String::new(), 0),
        };
        let base = fnv1a_128(&[
            d.rule.code().as_bytes(),
            path.as_bytes(),
            pointer.as_bytes(),
            value.as_bytes(),
            &example.to_le_bytes(),
        ]);
        // Truncated on purpose: 64 bits tell millions of findings apart.
        let key = base as u64;
        if self.seen.insert(key) {
            return base;
        }
        let occurrence = self.repeats.entry(key).or_insert(1);
        *occurrence += 1;
        fnv1a_128(&[&base.to_le_bytes(), occurrence.to_string().as_bytes()])
    }

    /// The normalised value at `pointer` and the hash of the normalised record, of the line
    /// holding `offset`.
    fn contents(&mut self, source: &[u8], offset: usize, pointer: &str) -> (String, u128) {
        let offset = offset.min(source.len());
        let start = memchr::memrchr(b'\n', &source[..offset]).map_or(0, |at| at + 1);
        let end = memchr::memchr(b'\n', &source[offset..]).map_or(source.len(), |at| offset + at);
        let cached = matches!(&self.record, Some((s, e, _, _)) if *s == start && *e == end);
        if !cached {
            let mut line = &source[start..end];
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            line = line.strip_suffix(b"\r").unwrap_or(line);
            let parsed: Option<serde_json::Value> = serde_json::from_slice(line).ok();
            let example = match &parsed {
                Some(value) => fnv1a_128(&[value.to_string().as_bytes()]),
                None => fnv1a_128(&[line]),
            };
            self.record = Some((start, end, parsed, example));
        }
        let Some((_, _, parsed, example)) = &self.record else { unreachable!("set above") };
        let value = match parsed {
            Some(record) if !pointer.is_empty() => record.pointer(pointer).map(ToString::to_string),
            _ => None,
        };
        (value.unwrap_or_default(), *example)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ftlint_linter::settings::{Profile, Settings};
    use ftlint_linter::sink::Collector;

    #[test]
    fn fnv1a_starts_at_the_offset_basis_and_separates_parts() {
        // With no input the hash is the FNV offset basis; the separator keeps part boundaries.
        assert_eq!(format!("{:032x}", fnv1a_128(&[])), "6c62272e07bb014262b821756295c58d");
        assert_ne!(fnv1a_128(&[b"ab", b"c"]), fnv1a_128(&[b"a", b"bc"]));
    }

    fn fingerprints(text: &str) -> Vec<(String, String)> {
        let settings = Settings::new(Profile::Openai);
        let mut fingerprinter = Fingerprinter::new();
        let mut collector = Collector::default();
        ftlint_linter::check::check_bytes("a.jsonl", text.as_bytes(), &settings, &mut collector).unwrap();
        collector
            .diagnostics
            .iter()
            .map(|(_, d)| {
                (d.rule.code().to_owned(), hex(fingerprinter.fingerprint("a.jsonl", text.as_bytes(), d)))
            })
            .collect()
    }

    #[test]
    fn a_line_inserted_above_changes_no_fingerprint() {
        let records = [
            r#"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}]}"#,
            r#"{"messages": [{"role": "user", "content": "hi"}]}"#,
            "{not json",
            r#"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}], "extra": 1}"#,
            r#"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}], "extra": 1}"#,
            "",
            r#"{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}"#,
        ];
        let before = records.join("\n") + "\n";
        let inserted =
            r#"{"messages": [{"role": "user", "content": "new"}, {"role": "assistant", "content": "one"}]}"#;
        let after = format!("{inserted}\n{before}");
        let (old, new) = (fingerprints(&before), fingerprints(&after));
        assert!(old.len() >= 6, "the fixture has findings of several rules: {old:?}");
        for finding in &old {
            assert!(new.contains(finding), "{finding:?} lost its fingerprint: {new:?}");
        }
        // Every fingerprint in one file is distinct, also for the two identical records.
        let mut distinct: Vec<&String> = old.iter().map(|(_, f)| f).collect();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), old.len());
    }

    #[test]
    fn the_value_at_the_pointer_counts_and_spacing_does_not() {
        let a = r#"{"messages": [{"role": "user", "content": "hi"}], "x": 1}"#.to_owned() + "\n";
        let spaced = r#"{"messages":[{"role":"user","content":"hi"}],   "x":1}"#.to_owned() + "\n";
        let other = r#"{"messages": [{"role": "user", "content": "hello"}], "x": 1}"#.to_owned() + "\n";
        assert_eq!(fingerprints(&a), fingerprints(&spaced));
        assert_ne!(fingerprints(&a), fingerprints(&other));
    }
}
