//! `ftlint fix`: applying the fixes that findings carry.
//!
//! There is one detection pipeline. A fix is built by the rule that reports the finding, beside its
//! detection, as byte edits on the file ([`crate::diagnostic::Fix`]); this module only runs the
//! check in memory, keeps the fixes of the findings the settings report (so `--select` and
//! `--ignore` reach fixes exactly as they reach findings) whose applicability is allowed, and applies
//! them. Edits that overlap an edit applied earlier in the same pass are left for the next pass,
//! which checks the fixed bytes again; passes repeat until a check finds nothing left to apply, at
//! most [`MAX_PASSES`] times.
//!
//! Safe fixes change bytes, not data: the byte-order mark the profile asks for, blank lines, line
//! endings. Unsafe fixes (`--unsafe-fixes`) change records: unknown top-level keys removed, a
//! weight on an assistant message written as `"1"`, `1.0` or `true` (or `"0"`, `0.0`, `false`) turned into the integer.
//!
//! One thing no single finding can see: a line that starts with U+FEFF (the byte-order mark's
//! character, typically left by concatenating files saved with one) reaches the start of the file
//! when the blank lines before it are deleted, and a reader would then take it for the file's
//! byte-order mark. A pass never makes that happen; it leaves those blank lines (and, if need be,
//! the byte-order mark fix) alone, so one run of `fix` settles and the character stays text.

use std::fmt;
use std::io;

use crate::check::{check_bytes, FileOutcome};
use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::encoding::{self, UTF8_BOM};
use crate::rules::Rule;
use crate::settings::Settings;
use crate::sink::{FileHeader, Sink};

/// Passes at most before giving up; every fix so far settles in two (one that applies, one that
/// finds nothing left).
pub const MAX_PASSES: u32 = 10;

/// What to fix.
#[derive(Clone, Copy, Debug, Default)]
pub struct FixOptions {
    /// Also apply fixes that change records.
    pub unsafe_fixes: bool,
}

impl FixOptions {
    fn allows(self, applicability: Applicability) -> bool {
        applicability == Applicability::Safe || self.unsafe_fixes
    }
}

/// How many findings of each rule a run fixed (or would fix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixCounts {
    counts: Vec<u64>,
}

impl Default for FixCounts {
    fn default() -> Self {
        FixCounts { counts: vec![0; Rule::ALL.len()] }
    }
}

impl FixCounts {
    pub fn add(&mut self, rule: Rule) {
        self.counts[rule.index()] += 1;
    }

    pub fn get(&self, rule: Rule) -> u64 {
        self.counts[rule.index()]
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// The rules with fixes, in code order, and how many.
    pub fn iter(&self) -> impl Iterator<Item = (Rule, u64)> + '_ {
        Rule::ALL.iter().map(|&rule| (rule, self.get(rule))).filter(|&(_, n)| n > 0)
    }

    /// "FT104 blank-line: 2 fixed, FT105 crlf-line-ending: 10 fixed", with `verb` for "fixed".
    pub fn describe(&self, verb: &str) -> String {
        let parts: Vec<String> =
            self.iter().map(|(rule, n)| format!("{} {}: {n} {verb}", rule.code(), rule.name())).collect();
        parts.join(", ")
    }
}

impl fmt::Display for FixCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe("fixed"))
    }
}

/// Why a file cannot be fixed.
#[derive(Debug)]
pub enum FixError {
    /// UTF-16 or UTF-32: converting the encoding is the user's call (`iconv`), not a fix.
    NotUtf8(&'static str),
    /// Compressed data (gzip, zstd, …): decompressing is the user's call, and the result is a
    /// different file.
    Compressed { format: &'static str, command: &'static str },
    /// Reading or writing the file failed (the library itself never does I/O; the command line
    /// reports its own errors through this type).
    Io(io::Error),
}

impl fmt::Display for FixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixError::NotUtf8(name) => write!(
                f,
                "the file is {name}; convert it to UTF-8 first (e.g. `iconv -f {name} -t UTF-8`), then fix it"
            ),
            FixError::Compressed { format, command } => {
                write!(f, "the file is {format}-compressed data; decompress it first (`{command}`), then fix the result")
            }
            FixError::Io(error) => write!(f, "{error}"),
        }
    }
}

impl From<io::Error> for FixError {
    fn from(error: io::Error) -> Self {
        FixError::Io(error)
    }
}

/// The result of fixing a file.
#[derive(Clone, Debug)]
pub struct Fixed {
    /// The fixed file.
    pub bytes: Vec<u8>,
    /// What was fixed, per rule.
    pub counts: FixCounts,
    /// False when fixes were still being found after [`MAX_PASSES`] passes, or when more fixes than
    /// can be tried one by one would, together, change how the file reads: `bytes` holds what the
    /// passes made, and checking it shows what is left.
    pub converged: bool,
    /// For each `\n` of `bytes`, the 0-based number of the original line it ended. Fixes never add
    /// a line feed, so every line of the result continues one of the original's.
    newline_origins: Vec<u64>,
}

impl Fixed {
    pub fn changed(&self) -> bool {
        !self.counts.is_empty()
    }
}

/// Fixes `bytes` (a whole file as on disk) under `settings`.
pub fn fix(bytes: &[u8], settings: &Settings, options: FixOptions) -> Result<Fixed, FixError> {
    if let Some((format, command)) = crate::rules::file::compressed_file::format_of(bytes) {
        return Err(FixError::Compressed { format, command });
    }
    let encoding = encoding::detect(bytes);
    if !encoding.is_utf8() {
        return Err(FixError::NotUtf8(encoding.name()));
    }
    // No fix depends on token counts, which are the slowest part of a check.
    let mut settings = settings.clone();
    settings.tokens = None;
    let mut current = bytes.to_vec();
    let mut origins: Vec<u64> = (0..memchr::memchr_iter(b'\n', bytes).count() as u64).collect();
    let mut counts = FixCounts::default();
    for _ in 0..MAX_PASSES {
        let fixes = collect_fixes(&current, &settings, options);
        let pass = match plan_pass(&current, &fixes) {
            Plan::Pass(pass) => pass,
            Plan::Done => {
                return Ok(Fixed { bytes: current, counts, converged: true, newline_origins: origins })
            }
            // Every way of applying what is left would change how the file reads: stop, and say
            // the fix did not settle rather than pretend it did.
            Plan::Stuck => {
                return Ok(Fixed { bytes: current, counts, converged: false, newline_origins: origins })
            }
        };
        for &index in &pass.applied {
            counts.add(fixes[index].0);
        }
        origins = surviving_newlines(&current, &pass.edits, &origins);
        current = pass.bytes;
    }
    let converged = matches!(plan_pass(&current, &collect_fixes(&current, &settings, options)), Plan::Done);
    Ok(Fixed { bytes: current, counts, converged, newline_origins: origins })
}

/// Keeps the fixes of a check, nothing else: a file with a CRLF on every line has a finding per
/// line, and only its edits are needed.
struct FixSink {
    options: FixOptions,
    fixes: Vec<(Rule, Vec<Edit>)>,
}

impl Sink for FixSink {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        Ok(())
    }

    fn diagnostic(&mut self, _file: &FileHeader<'_>, _source: &[u8], d: &Diagnostic) -> io::Result<()> {
        if let Some(fix) = &d.fix {
            // A fix's edits never add a line feed (the line map of the diff relies on it).
            let adds_lines = fix.edits.iter().any(|edit| edit.content.contains('\n'));
            if self.options.allows(fix.applicability) && !fix.edits.is_empty() && !adds_lines {
                self.fixes.push((d.rule, fix.edits.clone()));
            }
        }
        Ok(())
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        Ok(())
    }
}

fn collect_fixes(bytes: &[u8], settings: &Settings, options: FixOptions) -> Vec<(Rule, Vec<Edit>)> {
    let mut sink = FixSink { options, fixes: Vec::new() };
    // The sink never fails, so neither does the check.
    let _ = check_bytes("<fix>", bytes, settings, &mut sink);
    for (_, edits) in &mut sink.fixes {
        edits.sort_by_key(|edit| (edit.offset, edit.length));
    }
    // By where they start; findings keep their order where two start together (a blank line's
    // deletion before the CRLF fix on the same line, which it makes moot).
    sink.fixes.sort_by_key(|(_, edits)| edits[0].offset);
    sink.fixes
}

/// One pass: the fixes applied (indices into the pass's fixes), their edits in order, the result.
struct Pass {
    applied: Vec<usize>,
    edits: Vec<Edit>,
    bytes: Vec<u8>,
}

/// What one pass can do.
enum Plan {
    Pass(Pass),
    /// Nothing is left to apply (or only fixes held back on purpose).
    Done,
    /// More fixes are left than can be tried one by one, and together they would turn text into a
    /// byte-order mark or make the file look like another encoding.
    Stuck,
}

/// Chooses and applies the fixes of one pass.
fn plan_pass(bytes: &[u8], fixes: &[(Rule, Vec<Edit>)]) -> Plan {
    let had_bom = bytes.starts_with(UTF8_BOM);
    let content_start = if had_bom { UTF8_BOM.len() as u64 } else { 0 };
    let is_bom_fix = |rule: Rule| matches!(rule, Rule::MissingBom | Rule::UnexpectedBom);
    // Fixes that may bring a U+FEFF to the start of the file: deletions starting where the first
    // line starts, then the byte-order mark fixes themselves. Each is given up only if the pass
    // would otherwise turn text into a byte-order mark (see the module docs).
    // Only a deletion that takes a whole line (its line feed included) can bring the next line's
    // first character to the start; deleting a `\r` before a line feed cannot.
    let at_start = |rule: Rule, edits: &[Edit]| {
        let edit = &edits[0];
        let takes_a_line = usize::try_from(edit.end())
            .ok()
            .and_then(|end| end.checked_sub(1))
            .and_then(|last| bytes.get(last))
            == Some(&b'\n');
        !is_bom_fix(rule) && edit.offset == content_start && edit.length > 0 && takes_a_line
    };
    // Stage 0 leaves nothing out, stage 1 the deletions at the start, stage 2 the mark fixes too.
    for stage in 0..3 {
        let left_out = |rule: Rule, edits: &[Edit]| {
            (stage >= 1 && at_start(rule, edits)) || (stage >= 2 && is_bom_fix(rule))
        };
        let mut applied = Vec::new();
        let mut edits: Vec<Edit> = Vec::new();
        let mut want_bom = had_bom;
        for (index, (rule, fix_edits)) in fixes.iter().enumerate() {
            if left_out(*rule, fix_edits) {
                continue;
            }
            let end = edits.last().map_or(0, Edit::end);
            let overlaps = fix_edits[0].offset < end
                || fix_edits.windows(2).any(|pair| pair[1].offset < pair[0].end())
                || fix_edits.last().is_some_and(|edit| edit.end() > bytes.len() as u64);
            if overlaps {
                continue;
            }
            match rule {
                Rule::MissingBom => want_bom = true,
                Rule::UnexpectedBom => want_bom = false,
                _ => {}
            }
            applied.push(index);
            edits.extend(fix_edits.iter().cloned());
        }
        if applied.is_empty() {
            return Plan::Done;
        }
        let fixed = apply(bytes, &edits);
        if reads_the_same(bytes, had_bom, &fixed, want_bom) {
            return Plan::Pass(Pass { applied, edits, bytes: fixed });
        }
    }
    // Some fix in the lot changes how the file reads. One at a time, each kept only if the file
    // still reads the same with it, the others go through; the rest stay, as found.
    let mut applied = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    let mut want_bom = had_bom;
    let mut fixed = None;
    for (index, (rule, fix_edits)) in fixes.iter().enumerate().take(MAX_FIXES_ONE_BY_ONE) {
        let end = edits.last().map_or(0, Edit::end);
        if fix_edits[0].offset < end || fix_edits.last().is_some_and(|edit| edit.end() > bytes.len() as u64) {
            continue;
        }
        let wants = match rule {
            Rule::MissingBom => true,
            Rule::UnexpectedBom => false,
            _ => want_bom,
        };
        let mut trial = edits.clone();
        trial.extend(fix_edits.iter().cloned());
        let result = apply(bytes, &trial);
        if reads_the_same(bytes, had_bom, &result, wants) {
            applied.push(index);
            edits = trial;
            want_bom = wants;
            fixed = Some(result);
        }
    }
    match fixed {
        Some(bytes) => Plan::Pass(Pass { applied, edits, bytes }),
        None if fixes.len() > MAX_FIXES_ONE_BY_ONE => Plan::Stuck,
        None => Plan::Done,
    }
}

/// Fixes tried one at a time, at most, when a pass cannot take them together; each try rewrites
/// the file in memory, so a pathological file with a million of them stops here instead.
const MAX_FIXES_ONE_BY_ONE: usize = 256;

/// Whether `after` reads as `before` does: no text turned into a byte-order mark, and still UTF-8
/// (bytes `FF FE` that used to sit on a later line are a UTF-16 byte-order mark once they start the
/// file; deleting a byte between NULs can make ASCII look like UTF-16).
fn reads_the_same(before: &[u8], had_bom: bool, after: &[u8], want_bom: bool) -> bool {
    !makes_text_a_bom(before, had_bom, after, want_bom) && crate::encoding::detect(after).is_utf8()
}

/// Whether `after` starts with a byte-order mark it should not have, or its first line starts with
/// a U+FEFF that `before`'s first line did not start with (one that used to be later in the file).
fn makes_text_a_bom(before: &[u8], had_bom: bool, after: &[u8], want_bom: bool) -> bool {
    let content = |bytes: &'_ [u8], bom: bool| -> bool {
        let rest = if bom { bytes.get(UTF8_BOM.len()..).unwrap_or_default() } else { bytes };
        rest.starts_with(UTF8_BOM)
    };
    after.starts_with(UTF8_BOM) != want_bom || (content(after, want_bom) && !content(before, had_bom))
}

/// `bytes` with `edits` (sorted, not overlapping) applied.
fn apply(bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let mut at = 0usize;
    for edit in edits {
        let start = edit.offset as usize;
        out.extend_from_slice(&bytes[at..start]);
        out.extend_from_slice(edit.content.as_bytes());
        at = edit.end() as usize;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

/// The origins of the line feeds of `bytes` that `edits` leave in place.
fn surviving_newlines(bytes: &[u8], edits: &[Edit], origins: &[u64]) -> Vec<u64> {
    let mut kept = Vec::with_capacity(origins.len());
    let mut edits = edits.iter().peekable();
    for (position, &origin) in memchr::memchr_iter(b'\n', bytes).zip(origins) {
        let position = position as u64;
        while edits.peek().is_some_and(|edit| edit.end() <= position) {
            edits.next();
        }
        let deleted = edits.peek().is_some_and(|edit| edit.offset <= position && position < edit.end());
        if !deleted {
            kept.push(origin);
        }
    }
    kept
}

/// Receives a fixed file line by line, in order, as the changes to the original's lines.
pub trait LineSink {
    /// A line that stays exactly as it is, `raw` with its line ending.
    fn keep(&mut self, raw: &[u8]) -> io::Result<()>;
    /// Line `number` of the original, `old` with its line ending, becomes `new` (with its line ending)
    /// or is dropped (`None`).
    fn change(&mut self, number: u64, old: &[u8], new: Option<&[u8]>) -> io::Result<()>;
}

/// Hands the difference between `original` and `fixed` to `sink`, line by line. Every line of the
/// result continues an original line (the one whose line feed it kept); the original lines before
/// it whose line feeds were deleted are dropped.
pub fn line_changes(original: &[u8], fixed: &Fixed, sink: &mut dyn LineSink) -> io::Result<()> {
    let old_lines: Vec<&[u8]> = original.split_inclusive(|&b| b == b'\n').collect();
    let mut next_old = 0usize;
    let mut new_lines = fixed.bytes.split_inclusive(|&b| b == b'\n');
    for &origin in &fixed.newline_origins {
        let new = new_lines.next().unwrap_or_default();
        replace_lines(&old_lines, next_old, origin as usize, new, sink)?;
        next_old = origin as usize + 1;
    }
    // What follows the last line feed continues the rest of the original's lines.
    let tail = new_lines.next().unwrap_or_default();
    if next_old < old_lines.len() {
        replace_lines(&old_lines, next_old, old_lines.len() - 1, tail, sink)?;
    } else if !tail.is_empty() {
        sink.change(old_lines.len() as u64 + 1, b"", Some(tail))?;
    }
    Ok(())
}

/// Original lines `first..=last` (0-based) became the line `new` (empty: they were all dropped).
fn replace_lines(
    old_lines: &[&[u8]],
    first: usize,
    last: usize,
    new: &[u8],
    sink: &mut dyn LineSink,
) -> io::Result<()> {
    for (index, old) in old_lines.iter().enumerate().take(last).skip(first) {
        sink.change(index as u64 + 1, old, None)?;
    }
    let old = old_lines[last];
    if old == new {
        sink.keep(old)
    } else {
        sink.change(last as u64 + 1, old, (!new.is_empty()).then_some(new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Profile;
    use crate::sink::Collector;
    use proptest::prelude::*;

    fn fix_with(bytes: &[u8], profile: Profile, unsafe_fixes: bool) -> Fixed {
        fix(bytes, &Settings::new(profile), FixOptions { unsafe_fixes }).unwrap()
    }

    fn fixed(bytes: &[u8], profile: Profile, unsafe_fixes: bool) -> (String, FixCounts) {
        let result = fix_with(bytes, profile, unsafe_fixes);
        assert!(result.converged);
        (String::from_utf8(result.bytes).unwrap(), result.counts)
    }

    fn rules_found(bytes: &[u8], profile: Profile) -> Vec<Rule> {
        let mut collector = Collector::default();
        check_bytes("t", bytes, &Settings::new(profile), &mut collector).unwrap();
        collector.diagnostics.into_iter().map(|(_, d)| d.rule).collect()
    }

    #[test]
    fn each_safe_fix_turns_its_input_into_the_expected_bytes() {
        let record =
            r#"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]}"#;
        let cases: [(Profile, String, String, Rule); 5] = [
            (Profile::Azure, format!("{record}\n"), format!("\u{feff}{record}\n"), Rule::MissingBom),
            (Profile::Openai, format!("\u{feff}{record}\n"), format!("{record}\n"), Rule::UnexpectedBom),
            (
                Profile::Openai,
                format!("{record}\n \t\n{record}\n"),
                format!("{record}\n{record}\n"),
                Rule::BlankLine,
            ),
            (
                Profile::Openai,
                format!("{record}\r\n{record}\r\r\n"),
                format!("{record}\n{record}\n"),
                Rule::CrlfLineEnding,
            ),
            (Profile::Openai, format!("{record}\r"), record.to_owned(), Rule::CrlfLineEnding),
        ];
        for (profile, input, expected, rule) in cases {
            let (out, counts) = fixed(input.as_bytes(), profile, false);
            assert_eq!(out, expected, "{rule}");
            assert!(counts.get(rule) >= 1, "{rule}: {counts}");
            assert_eq!(counts.total(), counts.get(rule), "{rule}: only its own fix: {counts}");
        }
    }

    #[test]
    fn safe_fixes_change_bytes_only() {
        let input = b"{\"a\": 1}\r\n\r\n  \n{\"b\": 2}\n";
        let (out, counts) = fixed(input, Profile::Azure, false);
        assert_eq!(out, "\u{feff}{\"a\": 1}\n{\"b\": 2}\n");
        assert_eq!(counts.get(Rule::MissingBom), 1);
        assert_eq!(counts.get(Rule::BlankLine), 2);
        assert_eq!(counts.get(Rule::CrlfLineEnding), 1, "the deleted CRLF line is not counted twice");
        assert_eq!(
            counts.to_string(),
            "FT002 missing-bom: 1 fixed, FT104 blank-line: 2 fixed, FT105 crlf-line-ending: 1 fixed"
        );
        let (out, counts) = fixed("\u{feff}{\"a\": 1}".as_bytes(), Profile::Openai, false);
        assert_eq!(out, "{\"a\": 1}", "no newline is invented at the end");
        assert_eq!(counts.get(Rule::UnexpectedBom), 1);
    }

    #[test]
    fn unsafe_fixes_need_the_flag() {
        let line = r#"{"id": 7, "messages": [{"role": "user", "content": "caf\u00e9"}],"meta":{"a":1}, "tools": []}"#;
        let input = format!("{line}\n");
        assert_eq!(fixed(input.as_bytes(), Profile::Openai, false).0, input);
        let (out, counts) = fixed(input.as_bytes(), Profile::Openai, true);
        assert_eq!(
            out,
            "{\"messages\": [{\"role\": \"user\", \"content\": \"caf\\u00e9\"}], \"tools\": []}\n"
        );
        assert_eq!(counts.get(Rule::ExtraTopLevelKey), 2);
    }

    #[test]
    fn weights_that_mean_0_or_1_become_integers_and_others_are_left() {
        let line = r#"{"messages": [{"role": "user", "content": "a", "weight": "1"}, {"role": "assistant", "content": "b", "weight": "1"}, {"role": "assistant", "content": "c", "weight": 0.0}, {"role": "assistant", "content": "d", "weight": 0.5}, {"role": "assistant", "content": "e", "weight": true}]}"#;
        let (out, counts) = fixed(format!("{line}\n").as_bytes(), Profile::Openai, true);
        assert_eq!(
            out,
            r#"{"messages": [{"role": "user", "content": "a", "weight": "1"}, {"role": "assistant", "content": "b", "weight": 1}, {"role": "assistant", "content": "c", "weight": 0}, {"role": "assistant", "content": "d", "weight": 0.5}, {"role": "assistant", "content": "e", "weight": 1}]}"#.to_owned() + "\n"
        );
        assert_eq!(counts.get(Rule::InvalidWeight), 3);
    }

    #[test]
    fn removing_keys_keeps_the_objects_own_spacing() {
        let cases = [
            (r#"{ "x":1,"messages":[] }"#, r#"{ "messages":[] }"#),
            (r#"{"messages":[] , "x":1}"#, r#"{"messages":[]}"#),
            // Neighbours: the second overlaps the first's edit and goes in the next pass.
            (r#"{"a":1, "b":2, "messages":[], "c":3, "d":4}"#, r#"{"messages":[]}"#),
            // A repeated key: the last is reported, the first goes in the next pass.
            (r#"{"messages":[], "id":1, "id":2}"#, r#"{"messages":[]}"#),
        ];
        for (input, expected) in cases {
            assert_eq!(
                fixed(format!("{input}\n").as_bytes(), Profile::Openai, true).0,
                format!("{expected}\n")
            );
        }
    }

    #[test]
    fn crlf_agrees_between_check_and_fix() {
        let input = b"{\"messages\": []}\r\n{\"messages\": []}\r\n";
        assert!(rules_found(input, Profile::Openai).contains(&Rule::CrlfLineEnding));
        let (out, _) = fixed(input, Profile::Openai, false);
        assert!(!rules_found(out.as_bytes(), Profile::Openai).contains(&Rule::CrlfLineEnding));
        // Ignored, it is neither reported nor fixed.
        let mut settings = Settings::new(Profile::Openai);
        settings.set_level(Rule::CrlfLineEnding, None);
        assert_eq!(fix(input, &settings, FixOptions::default()).unwrap().bytes, input);
    }

    #[test]
    fn the_bom_is_never_doubled_nor_made_from_text() {
        let cases: [(Profile, &str, &str); 8] = [
            (Profile::Azure, "\u{feff}", "\u{feff}"),
            (Profile::Azure, "\n", "\u{feff}"),
            (Profile::Azure, "\u{feff}\n{}\n", "\u{feff}{}\n"),
            (Profile::Azure, "\n{}\n", "\u{feff}{}\n"),
            // A U+FEFF starting a later line stays text: the blank line before it stays too.
            (Profile::Azure, "\n\u{feff}{}\n", "\u{feff}\n\u{feff}{}\n"),
            (Profile::Azure, "\u{feff}\n\u{feff}{}\n", "\u{feff}\n\u{feff}{}\n"),
            (Profile::Openai, "\n\n\u{feff}{}\n", "\n\u{feff}{}\n"),
            (Profile::Openai, "\u{feff}\u{feff}{}\n", "\u{feff}\u{feff}{}\n"),
        ];
        for (profile, input, expected) in cases {
            let (out, _) = fixed(input.as_bytes(), profile, false);
            assert_eq!(out, expected, "{profile:?} {input:?}");
        }
    }

    #[test]
    fn a_clean_file_is_kept_byte_for_byte() {
        let input = "\u{feff}{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n";
        let (out, counts) = fixed(input.as_bytes(), Profile::Azure, true);
        assert_eq!(out, input);
        assert!(counts.is_empty());
    }

    #[test]
    fn ignored_rules_are_not_fixed() {
        let mut settings = Settings::new(Profile::Azure);
        settings.set_level(Rule::BlankLine, None);
        settings.set_level(Rule::MissingBom, None);
        let result = fix(b"{}\n\n{}\n", &settings, FixOptions::default()).unwrap();
        assert_eq!(result.bytes, b"{}\n\n{}\n");
        assert!(result.counts.is_empty());
    }

    #[test]
    fn utf16_is_refused() {
        let text: Vec<u8> = "{\"a\": 1}\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(matches!(
            fix(&text, &Settings::new(Profile::Azure), FixOptions::default()),
            Err(FixError::NotUtf8(_))
        ));
    }

    #[test]
    fn every_fix_has_the_applicability_its_rule_declares() {
        let input = "\u{feff}\n{\"id\": 1, \"messages\": [{\"role\": \"assistant\", \"content\": \"x\", \"weight\": \"1\"}]}\r\n{\"messages\": [{\"role\": \"assistant\", \"content\": \"y\", \"weight\": 2}]}\n";
        for profile in [Profile::Azure, Profile::Openai] {
            let mut collector = Collector::default();
            check_bytes("t", input.as_bytes(), &Settings::new(profile), &mut collector).unwrap();
            let mut seen = 0;
            // A fixable rule may report a finding without a fix (a weight of 2), but a fix always
            // has the applicability the registry declares.
            for (d, fix) in collector.diagnostics.iter().filter_map(|(_, d)| Some((d, d.fix.as_ref()?))) {
                seen += 1;
                let expected = if fix.applicability == Applicability::Safe {
                    crate::rules::FixAvailability::Safe
                } else {
                    crate::rules::FixAvailability::Unsafe
                };
                assert_eq!(d.rule.fix_availability(), expected, "{}", d.rule);
            }
            assert!(seen >= 4, "{profile:?}: {:?}", collector.diagnostics);
            let unfixable = collector
                .diagnostics
                .iter()
                .filter(|(_, d)| d.rule == Rule::InvalidWeight && d.fix.is_none());
            assert_eq!(unfixable.count(), 1, "a weight of 2 needs a person");
        }
    }

    /// Rebuilds the fixed file from the line changes, as the diff printer sees them.
    #[derive(Default)]
    struct Rebuild {
        bytes: Vec<u8>,
        numbers: Vec<u64>,
    }

    impl LineSink for Rebuild {
        fn keep(&mut self, raw: &[u8]) -> io::Result<()> {
            self.bytes.extend_from_slice(raw);
            Ok(())
        }

        fn change(&mut self, number: u64, _old: &[u8], new: Option<&[u8]>) -> io::Result<()> {
            self.numbers.push(number);
            self.bytes.extend_from_slice(new.unwrap_or_default());
            Ok(())
        }
    }

    #[test]
    fn line_changes_name_the_original_lines() {
        let input = b"{\"a\": 1}\n\n{\"b\": 2}\r\n{\"c\": 3}\n  ";
        let result = fix_with(input, Profile::Openai, false);
        let mut rebuild = Rebuild::default();
        line_changes(input, &result, &mut rebuild).unwrap();
        assert_eq!(rebuild.bytes, result.bytes);
        assert_eq!(rebuild.numbers, [2, 3, 5]);
    }

    fn arbitrary_file() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..200),
            // JSON-ish bytes, with records that have fixable keys and weights.
            proptest::collection::vec(
                prop::sample::select(vec![
                    &b"{"[..],
                    b"}",
                    b"[",
                    b"]",
                    b"\"",
                    b":",
                    b",",
                    b" ",
                    b"\n",
                    b"\r",
                    b"\r\n",
                    b"\t",
                    b"\xEF\xBB\xBF",
                    b"1",
                    b"1.0",
                    b"\"1\"",
                    b"true",
                    b"\xC3\xA9",
                    b"\xFF",
                    br#"{"messages": [{"role": "assistant", "content": "x", "weight": 1.0}]}"#,
                    br#"{"id": 1, "messages": [], "x": 2}"#,
                    br#""id": 3, "#,
                    br#""weight": "0""#,
                ]),
                0..40,
            )
            .prop_map(|parts| parts.concat()),
        ]
    }

    #[test]
    fn a_fix_that_would_make_ascii_look_like_utf16_is_left_and_the_rest_converges() {
        // Deleting the `\r` would leave NULs at every other byte: UTF-16 to the encoding sniffer.
        let bytes = b"1\x0b\x00\r\n\x00";
        for profile in [Profile::Azure, Profile::Openai] {
            let fixed = fix_with(bytes, profile, false);
            assert!(fixed.converged);
            assert!(crate::encoding::detect(&fixed.bytes).is_utf8(), "{:?}", fixed.bytes);
            assert_eq!(fix_with(&fixed.bytes, profile, false).bytes, fixed.bytes);
        }
    }

    #[test]
    fn a_fix_never_makes_the_file_look_like_another_encoding() {
        // Dropping the BOM and the blank lines would start the file with `FF FE`, UTF-16's mark.
        let bytes = b"\xEF\xBB\xBF\n\n\xFF\xFE{\"a\": 1}\r\n";
        let fixed = fix_with(bytes, Profile::Openai, false);
        assert!(crate::encoding::detect(&fixed.bytes).is_utf8(), "{:?}", fixed.bytes);
        let again = fix_with(&fixed.bytes, Profile::Openai, false);
        assert_eq!(again.bytes, fixed.bytes);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn fixing_twice_changes_nothing_more(bytes in arbitrary_file(), openai in any::<bool>(), unsafe_fixes in any::<bool>()) {
            let profile = if openai { Profile::Openai } else { Profile::Azure };
            let Ok(once) = fix(&bytes, &Settings::new(profile), FixOptions { unsafe_fixes }) else {
                return Ok(());
            };
            prop_assert!(once.converged);
            let twice = fix_with(&once.bytes, profile, unsafe_fixes);
            prop_assert_eq!(&twice.bytes, &once.bytes);
            prop_assert!(twice.counts.is_empty(), "{}", twice.counts);
            let mut rebuild = Rebuild::default();
            line_changes(&bytes, &once, &mut rebuild).unwrap();
            prop_assert_eq!(&rebuild.bytes, &once.bytes);
            // What is left has no finding a safe fix could remove, but those held back for cause:
            // applying one alone would turn a U+FEFF of the data into the byte-order mark, or make
            // the file look like another encoding.
            let mut left = crate::sink::Collector::default();
            crate::check::check_bytes("t.jsonl", &once.bytes, &Settings::new(profile), &mut left).unwrap();
            let had_bom = once.bytes.starts_with(UTF8_BOM);
            for (_, finding) in &left.diagnostics {
                let Some(fix) = finding.fix.as_ref().filter(|f| f.applicability == crate::diagnostic::Applicability::Safe) else {
                    continue;
                };
                let want_bom = match finding.rule {
                    Rule::MissingBom => true,
                    Rule::UnexpectedBom => false,
                    _ => had_bom,
                };
                let alone = apply(&once.bytes, &fix.edits);
                prop_assert!(!reads_the_same(&once.bytes, had_bom, &alone, want_bom), "a safe fix is left after fixing: {:?}", finding);
            }
        }
    }
}
