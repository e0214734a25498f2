//! `gitlab`: a GitLab Code Quality report, the JSON array the merge request widget reads from a
//! `codequality` artifact.
//!
//! ```json
//! [{"description": "FT102 invalid-json: invalid JSON: ...", "check_name": "FT102",
//!   "fingerprint": "6f1c…", "severity": "major",
//!   "location": {"path": "data/train.jsonl", "lines": {"begin": 2}}}]
//! ```
//!
//! Severity: error → `major`, warning → `minor`, info → `info`. (`critical` and `blocker` are left
//! for security findings, which ftlint does not make.)
//!
//! GitLab tells new findings from fixed ones by `fingerprint`, so it must not change between runs
//! while the finding stays: it is a 128-bit FNV-1a hash of the path, the rule code, the line, the
//! JSON pointer and the message, and of nothing that depends on the run (time, machine, order of
//! files, absolute paths). Paths are made relative to the base the caller gives (the command line
//! passes `CI_PROJECT_DIR`, else the working directory), as GitLab expects repository paths. Two
//! findings with the same fingerprint would hide one another, so a repeat on the same line gets its
//! occurrence number hashed in.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::{relative_path, FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Severity};

pub struct Gitlab<W: Write> {
    out: W,
    base: Option<PathBuf>,
    written: u64,
    /// The line of the last finding and the fingerprints already given out on it.
    line: Option<u64>,
    on_line: Vec<u128>,
}

impl<W: Write> Gitlab<W> {
    /// A report on `out` whose paths are relative to `base` when they lie inside it.
    pub fn new(out: W, base: Option<PathBuf>) -> Self {
        Gitlab { out, base, written: 0, line: None, on_line: Vec::new() }
    }
}

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u64,
}

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

/// The fingerprint of a finding, from what identifies it and nothing else.
pub fn fingerprint(path: &str, d: &Diagnostic, occurrence: u64) -> u128 {
    let line = d.position.map_or_else(String::new, |p| p.line.to_string());
    let occurrence = if occurrence == 0 { String::new() } else { occurrence.to_string() };
    fnv1a_128(&[
        path.as_bytes(),
        d.rule.code().as_bytes(),
        line.as_bytes(),
        d.pointer.as_deref().unwrap_or("").as_bytes(),
        d.message.as_bytes(),
        occurrence.as_bytes(),
    ])
}

impl<W: Write> Sink for Gitlab<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        self.line = None;
        self.on_line.clear();
        Ok(())
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, _source: &[u8], d: &Diagnostic) -> io::Result<()> {
        let path = relative_path(file.path, self.base.as_deref());
        let line = d.position.map(|p| p.line);
        if line != self.line {
            self.line = line;
            self.on_line.clear();
        }
        let mut occurrence = 0;
        let mut hash = fingerprint(&path, d, occurrence);
        while self.on_line.contains(&hash) {
            occurrence += 1;
            hash = fingerprint(&path, d, occurrence);
        }
        self.on_line.push(hash);
        let issue = Issue {
            description: format!("{} {}: {}", d.rule.code(), d.rule.name(), d.message),
            check_name: d.rule.code(),
            fingerprint: format!("{hash:032x}"),
            severity: match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            },
            location: Location { path: &path, lines: Lines { begin: line.unwrap_or(1) } },
        };
        self.out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
        self.written += 1;
        serde_json::to_writer(&mut self.out, &issue)?;
        Ok(())
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Reporter for Gitlab<W> {
    fn finish(&mut self, _totals: &RunTotals) -> io::Result<()> {
        self.out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_starts_at_the_offset_basis_and_separates_parts() {
        // With no input the hash is the FNV offset basis; the separator keeps part boundaries.
        assert_eq!(format!("{:032x}", fnv1a_128(&[])), "6c62272e07bb014262b821756295c58d");
        assert_ne!(fnv1a_128(&[b"ab", b"c"]), fnv1a_128(&[b"a", b"bc"]));
    }
}
