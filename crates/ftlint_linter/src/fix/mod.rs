//! `ftlint fix`: rewriting a file so the findings that have a mechanical fix are gone.
//!
//! Fixes are planned line by line over the file's bytes and handed to a [`LineSink`]: the command line's writer
//! streams the fixed file into a temporary file beside the original and renames it over the original
//! only once everything is written and synced, so a failure at any point leaves the original
//! byte-identical; its diff printer prints the same plan as a unified diff instead. Safe fixes change bytes,
//! not data: the byte-order mark the profile asks for, blank lines dropped, CRLF turned into LF.
//! Unsafe fixes (`--unsafe-fixes`) change records: unknown top-level keys removed, a weight written
//! as `"1"` or `1.0` turned into the integer. Record edits are made on the line's text, so everything
//! else in the record (key order, escapes, spacing) stays as it was.

mod record;

use std::fmt;
use std::io;

use crate::encoding::{self, UTF8_BOM};
use crate::lines::Lines;
use crate::rules::Rule;
use crate::settings::{Profile, Settings};

/// One kind of change `fix` makes, and the rule whose findings it removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FixKind {
    AddBom,
    RemoveBom,
    DropBlankLine,
    CrlfToLf,
    RemoveExtraKey,
    WeightToInteger,
}

impl FixKind {
    pub const ALL: [FixKind; 6] = [
        FixKind::AddBom,
        FixKind::RemoveBom,
        FixKind::DropBlankLine,
        FixKind::CrlfToLf,
        FixKind::RemoveExtraKey,
        FixKind::WeightToInteger,
    ];

    pub const fn describe(self) -> &'static str {
        match self {
            FixKind::AddBom => "added the UTF-8 byte-order mark",
            FixKind::RemoveBom => "removed the UTF-8 byte-order mark",
            FixKind::DropBlankLine => "dropped blank lines",
            FixKind::CrlfToLf => "turned CRLF line endings into LF",
            FixKind::RemoveExtraKey => "removed unknown top-level keys",
            FixKind::WeightToInteger => "wrote weights as the integers 0 and 1",
        }
    }

    /// Whether the fix changes what a record means rather than only its bytes.
    pub const fn is_unsafe(self) -> bool {
        matches!(self, FixKind::RemoveExtraKey | FixKind::WeightToInteger)
    }
}

/// What to fix.
#[derive(Clone, Copy, Debug, Default)]
pub struct FixOptions {
    /// Also apply fixes that change records.
    pub unsafe_fixes: bool,
}

/// How many of each fix a file got (or would get).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FixCounts {
    counts: [u64; FixKind::ALL.len()],
}

impl FixCounts {
    pub fn add(&mut self, kind: FixKind) {
        self.counts[kind as usize] += 1;
    }

    pub fn get(&self, kind: FixKind) -> u64 {
        self.counts[kind as usize]
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }
}

impl fmt::Display for FixCounts {
    /// "dropped blank lines (2), turned CRLF line endings into LF (10)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for kind in FixKind::ALL {
            let n = self.get(kind);
            if n > 0 {
                write!(f, "{}{} ({n})", if first { "" } else { ", " }, kind.describe())?;
                first = false;
            }
        }
        Ok(())
    }
}

/// Why a file cannot be fixed.
#[derive(Debug)]
pub enum FixError {
    /// UTF-16 or UTF-32: converting the encoding is the user's call (`iconv`), not a fix.
    NotUtf8(&'static str),
    Io(io::Error),
}

impl fmt::Display for FixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixError::NotUtf8(name) => write!(
                f,
                "the file is {name}; convert it to UTF-8 first (e.g. `iconv -f {name} -t UTF-8`), then fix it"
            ),
            FixError::Io(error) => write!(f, "{error}"),
        }
    }
}

impl From<io::Error> for FixError {
    fn from(error: io::Error) -> Self {
        FixError::Io(error)
    }
}

/// Receives the fixed file line by line, in order.
pub trait LineSink {
    /// A line that stays exactly as it is, `raw` with its line ending.
    fn keep(&mut self, raw: &[u8]) -> io::Result<()>;
    /// Line `number` of the original, `old` with its line ending, becomes `new` (with its line ending)
    /// or is dropped (`None`).
    fn change(&mut self, number: u64, old: &[u8], new: Option<&[u8]>) -> io::Result<()>;
}

/// Plans every fix of `bytes` under `settings` and feeds the result to `sink`.
pub fn fix_bytes(
    bytes: &[u8],
    settings: &Settings,
    options: FixOptions,
    sink: &mut dyn LineSink,
) -> Result<FixCounts, FixError> {
    let encoding = encoding::detect(bytes);
    if !encoding.is_utf8() {
        return Err(FixError::NotUtf8(encoding.name()));
    }
    let mut counts = FixCounts::default();
    let has_bom = bytes.starts_with(UTF8_BOM);
    let want_bom = match settings.profile {
        Profile::Azure if settings.enabled(Rule::MissingBom) => true,
        Profile::Openai if settings.enabled(Rule::UnexpectedBom) => false,
        _ => has_bom,
    };
    let bom_len = if has_bom { UTF8_BOM.len() } else { 0 };
    let drop_blank = settings.enabled(Rule::BlankLine);
    let record_fixer = record::RecordFixer::new(settings, options);

    if has_bom && !want_bom {
        counts.add(FixKind::RemoveBom);
    }
    // The BOM goes in front of the first line that is kept, so dropping a blank first line never
    // takes the BOM with it.
    let mut pending_bom = want_bom;
    let mut last_number = 0;
    let mut new_line = Vec::new();
    for line in Lines::new(bytes, bom_len) {
        last_number = line.number;
        // The line as it is on disk: the BOM belongs to line 1, the ending to every line.
        let raw_start = if line.number == 1 { 0 } else { line.start };
        let mut raw_end = line.start + line.text.len();
        let crlf = bytes.get(raw_end) == Some(&b'\r');
        raw_end += usize::from(crlf);
        let has_newline = bytes.get(raw_end) == Some(&b'\n');
        raw_end += usize::from(has_newline);
        let raw = &bytes[raw_start..raw_end];

        if drop_blank && line.is_blank() {
            counts.add(FixKind::DropBlankLine);
            sink.change(line.number, raw, None)?;
            continue;
        }
        new_line.clear();
        if pending_bom {
            new_line.extend_from_slice(UTF8_BOM);
            pending_bom = false;
            if !has_bom {
                counts.add(FixKind::AddBom);
            }
        }
        match record_fixer.fix(line.text, &mut counts) {
            Some(fixed) => new_line.extend_from_slice(fixed.as_bytes()),
            None => new_line.extend_from_slice(line.text),
        }
        if crlf {
            counts.add(FixKind::CrlfToLf);
        }
        if has_newline {
            new_line.push(b'\n');
        }
        if new_line == raw {
            sink.keep(raw)?;
        } else {
            sink.change(line.number, raw, Some(&new_line))?;
        }
    }
    if pending_bom && has_bom {
        // Every line was blank and dropped: keep the BOM the file had rather than drop it silently.
        sink.change(last_number + 1, b"", Some(UTF8_BOM))?;
    }
    Ok(counts)
}

/// A sink that keeps the fixed bytes in memory (for `-`, tests and the library).
#[derive(Debug, Default)]
pub struct Buffer {
    pub bytes: Vec<u8>,
}

impl LineSink for Buffer {
    fn keep(&mut self, raw: &[u8]) -> io::Result<()> {
        self.bytes.extend_from_slice(raw);
        Ok(())
    }

    fn change(&mut self, _number: u64, _old: &[u8], new: Option<&[u8]>) -> io::Result<()> {
        self.bytes.extend_from_slice(new.unwrap_or_default());
        Ok(())
    }
}

/// Fixes `bytes` in memory, returning the fixed bytes and what changed.
pub fn fix_to_vec(
    bytes: &[u8],
    settings: &Settings,
    options: FixOptions,
) -> Result<(Vec<u8>, FixCounts), FixError> {
    let mut buffer = Buffer::default();
    let counts = fix_bytes(bytes, settings, options, &mut buffer)?;
    Ok((buffer.bytes, counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(bytes: &[u8], profile: Profile, unsafe_fixes: bool) -> (String, FixCounts) {
        let (out, counts) = fix_to_vec(bytes, &Settings::new(profile), FixOptions { unsafe_fixes }).unwrap();
        (String::from_utf8(out).unwrap(), counts)
    }

    #[test]
    fn safe_fixes_change_bytes_only() {
        let input = b"{\"a\": 1}\r\n\r\n  \n{\"b\": 2}\n";
        let (out, counts) = fix(input, Profile::Azure, false);
        assert_eq!(out, "\u{feff}{\"a\": 1}\n{\"b\": 2}\n");
        assert_eq!(counts.get(FixKind::AddBom), 1);
        assert_eq!(counts.get(FixKind::DropBlankLine), 2);
        assert_eq!(counts.get(FixKind::CrlfToLf), 1, "the dropped CRLF line is not counted twice");
        let (out, counts) = fix("\u{feff}{\"a\": 1}".as_bytes(), Profile::Openai, false);
        assert_eq!(out, "{\"a\": 1}", "no newline is invented at the end");
        assert_eq!(counts.get(FixKind::RemoveBom), 1);
    }

    #[test]
    fn a_dropped_blank_first_line_passes_the_bom_on() {
        let (out, counts) = fix(b"\n{\"a\": 1}\n", Profile::Azure, false);
        assert_eq!(out, "\u{feff}{\"a\": 1}\n");
        assert_eq!((counts.get(FixKind::DropBlankLine), counts.get(FixKind::AddBom)), (1, 1));
        let (out, counts) = fix("\u{feff}\n{\"a\": 1}\n".as_bytes(), Profile::Azure, false);
        assert_eq!(out, "\u{feff}{\"a\": 1}\n");
        assert_eq!((counts.get(FixKind::DropBlankLine), counts.get(FixKind::AddBom)), (1, 0));
        let (again, counts) = fix(out.as_bytes(), Profile::Azure, false);
        assert_eq!(again, out);
        assert!(counts.is_empty());
    }

    #[test]
    fn a_clean_file_is_kept_byte_for_byte() {
        let input = "\u{feff}{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n";
        let (out, counts) = fix(input.as_bytes(), Profile::Azure, true);
        assert_eq!(out, input);
        assert!(counts.is_empty());
    }

    #[test]
    fn ignored_rules_are_not_fixed() {
        let mut settings = Settings::new(Profile::Azure);
        settings.set_level(Rule::BlankLine, None);
        settings.set_level(Rule::MissingBom, None);
        let (out, counts) = fix_to_vec(b"{}\n\n{}\n", &settings, FixOptions::default()).unwrap();
        assert_eq!(out, b"{}\n\n{}\n");
        assert!(counts.is_empty());
    }

    #[test]
    fn utf16_is_refused() {
        let text: Vec<u8> = "{\"a\": 1}\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(matches!(
            fix_to_vec(&text, &Settings::new(Profile::Azure), FixOptions::default()),
            Err(FixError::NotUtf8(_))
        ));
    }
}
