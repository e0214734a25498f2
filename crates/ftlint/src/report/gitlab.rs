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
//! GitLab tells new findings from fixed ones by `fingerprint`: it is the one described in
//! [`super::fingerprint`] (rule, path, pointer, the value and the record; no line, no message), so
//! a line inserted above a finding leaves it as it was. Paths are made relative to the base the
//! caller gives (the command line passes `CI_PROJECT_DIR`, else the working directory), as GitLab
//! expects repository paths.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::fingerprint::{hex, Fingerprinter};
use super::{relative_path, FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Severity};

pub struct Gitlab<W: Write> {
    out: W,
    base: Option<PathBuf>,
    written: u64,
    fingerprints: Fingerprinter,
}

impl<W: Write> Gitlab<W> {
    /// A report on `out` whose paths are relative to `base` when they lie inside it.
    pub fn new(out: W, base: Option<PathBuf>) -> Self {
        Gitlab { out, base, written: 0, fingerprints: Fingerprinter::new() }
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

impl<W: Write> Sink for Gitlab<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        Ok(())
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], d: &Diagnostic) -> io::Result<()> {
        let path = relative_path(file.path, self.base.as_deref());
        let line = d.position.map(|p| p.line);
        let hash = self.fingerprints.fingerprint(&path, source, d);
        let issue = Issue {
            description: format!("{} {}: {}", d.rule.code(), d.rule.name(), d.message),
            check_name: d.rule.code(),
            fingerprint: hex(hash),
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
