//! Baselines: adopting ftlint as a gate on a dataset that already has findings.
//!
//! JSONL has no comments, so a finding cannot be suppressed where it is; a baseline file lists the
//! findings a team has accepted, and `check --baseline FILE` reports only the others.
//! `check --write-baseline FILE` records every finding of the run.
//!
//! The file is JSON, one finding per line so that a diff of it reads well:
//!
//! ```json
//! {"ftlint_baseline": 1, "findings": [
//! {"code": "FT104", "path": "data/train.jsonl", "fingerprint": "5f0c…", "line": 3, "message": "…"}
//! ]}
//! ```
//!
//! An entry matches a finding by `code`, `path` (relative to the working directory, `/`-separated)
//! and `fingerprint` (see [`crate::report::fingerprint`]: the value and the record the finding is
//! about, not its line), so entries survive edits elsewhere in the file. `line` and `message` are
//! there for the people reading the file and are not compared. Each entry matches one finding.
//!
//! An entry of a checked file that no finding matches any more is stale: it is reported as an info
//! finding of its rule, on the file, so the file is rewritten and shrinks. Entries of files that no
//! longer exist are counted in a warning.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::report::fingerprint::{hex, Fingerprinter};
use crate::report::{relative_path, FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Severity, Span, Tally};
use ftlint_linter::rules::Rule;
use ftlint_linter::settings::Settings;

/// The format version written in `ftlint_baseline`.
pub const VERSION: u32 = 1;

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub code: String,
    pub path: String,
    pub fingerprint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default)]
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    ftlint_baseline: u32,
    findings: Vec<Entry>,
}

/// Reads a baseline file; the error says what is wrong with it.
pub fn load(path: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    let file: File = serde_json::from_str(&text).map_err(|e| format!("not a baseline file: {e}"))?;
    if file.ftlint_baseline != VERSION {
        return Err(format!(
            "baseline version {} is not one this ftlint reads (it reads {VERSION})",
            file.ftlint_baseline
        ));
    }
    Ok(file.findings)
}

/// The text of a baseline file holding `entries`.
pub fn render(entries: &[Entry]) -> String {
    let mut text = format!("{{\"ftlint_baseline\": {VERSION}, \"findings\": [\n");
    for (index, entry) in entries.iter().enumerate() {
        text.push_str(&serde_json::to_string(entry).expect("an entry is plain strings and numbers"));
        text.push_str(if index + 1 < entries.len() { ",\n" } else { "\n" });
    }
    text.push_str("]}\n");
    text
}

/// Accepted entries by (path, code), then by fingerprint.
type Accepted = HashMap<(String, String), HashMap<String, Vec<Entry>>>;

/// A reporter in front of another: drops the findings a baseline accepts, reports its stale
/// entries, and records every finding for `--write-baseline`. Without a baseline and without
/// recording it only passes findings on.
pub struct Baselined<R> {
    inner: R,
    base: Option<PathBuf>,
    fingerprints: Fingerprinter,
    /// Accepted findings not matched yet, by (code, path, fingerprint), with how many there are.
    known: Option<Accepted>,
    recorded: Option<Vec<Entry>>,
    /// What this file's tally loses (findings the baseline accepts) and gains (stale entries).
    dropped: Tally,
    stale: Tally,
    /// Every finding the baseline accepted in the run.
    pub accepted: u64,
    /// Whether each rule (by index) runs on the file being checked: an entry of a rule that is
    /// off (`--ignore`, `--select`) or cannot run (`--no-tokens`, no grader, not `--format rft`)
    /// is not stale, only unchecked.
    active: Vec<bool>,
}

impl<R: Reporter> Baselined<R> {
    /// `known`: the baseline's entries, if `--baseline` was given; `record`: keep every finding for
    /// `--write-baseline`. Paths are made relative to `base`.
    pub fn new(inner: R, base: Option<PathBuf>, known: Option<Vec<Entry>>, record: bool) -> Self {
        let known = known.map(|entries| {
            let mut map = Accepted::new();
            for entry in entries {
                map.entry((entry.path.clone(), entry.code.clone()))
                    .or_default()
                    .entry(entry.fingerprint.clone())
                    .or_default()
                    .push(entry);
            }
            map
        });
        Baselined {
            inner,
            base,
            fingerprints: Fingerprinter::new(),
            known,
            recorded: record.then(Vec::new),
            dropped: Tally::default(),
            stale: Tally::default(),
            accepted: 0,
            active: vec![true; Rule::ALL.len()],
        }
    }

    /// Says which rules run on the next file, from its settings and whether it is the validation
    /// file (the linter's [`Settings::rule_runs`] decides).
    pub fn rules_of_next_file(&mut self, settings: &Settings, validation: bool) {
        for rule in Rule::ALL {
            self.active[rule.index()] = settings.rule_runs(*rule, validation);
        }
    }

    /// The tally of the file just checked, as reported: without what the baseline accepted, with
    /// its stale entries.
    pub fn adjust(&self, tally: Tally) -> Tally {
        let mut adjusted = Tally {
            errors: tally.errors.saturating_sub(self.dropped.errors),
            warnings: tally.warnings.saturating_sub(self.dropped.warnings),
            infos: tally.infos.saturating_sub(self.dropped.infos),
        };
        adjusted.merge(self.stale);
        adjusted
    }

    /// Every finding of the run, for `--write-baseline`.
    pub fn recorded(&self) -> &[Entry] {
        self.recorded.as_deref().unwrap_or(&[])
    }

    /// Entries of files that are not there any more (none were checked under their path): how many,
    /// and the first such path in sorted order, to name in the warning.
    pub fn entries_of_missing_files(&self) -> (usize, Option<String>) {
        let Some(known) = &self.known else { return (0, None) };
        let missing: Vec<(&String, usize)> = known
            .iter()
            .filter(|((path, _), _)| {
                !Path::new(path).exists() && !self.base.as_deref().is_some_and(|b| b.join(path).exists())
            })
            .map(|((path, _), by_print)| (path, by_print.values().map(Vec::len).sum::<usize>()))
            .collect();
        let count = missing.iter().map(|(_, n)| n).sum();
        (count, missing.iter().map(|(path, _)| (*path).clone()).min())
    }

    fn active(&self) -> bool {
        self.known.is_some() || self.recorded.is_some()
    }
}

impl<R: Reporter> Sink for Baselined<R> {
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()> {
        self.dropped = Tally::default();
        self.stale = Tally::default();
        self.inner.start_file(file)
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], d: &Diagnostic) -> io::Result<()> {
        if !self.active() {
            return self.inner.diagnostic(file, source, d);
        }
        let path = relative_path(file.path, self.base.as_deref());
        let fingerprint = hex(self.fingerprints.fingerprint(&path, source, d));
        if let Some(recorded) = &mut self.recorded {
            recorded.push(Entry {
                code: d.rule.code().to_owned(),
                path: path.clone(),
                fingerprint: fingerprint.clone(),
                line: d.position.map(|p| p.line),
                message: d.message.to_string(),
            });
        }
        let accepted = self
            .known
            .as_mut()
            .and_then(|known| known.get_mut(&(path, d.rule.code().to_owned())))
            .and_then(|by_print| by_print.get_mut(&fingerprint))
            .and_then(Vec::pop)
            .is_some();
        if accepted {
            self.dropped.add(d.severity);
            self.accepted += 1;
            return Ok(());
        }
        self.inner.diagnostic(file, source, d)
    }

    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        let path = relative_path(file.path, self.base.as_deref());
        let mut stale: Vec<Entry> = Vec::new();
        if let Some(known) = &mut self.known {
            let keys: Vec<(String, String)> = known.keys().filter(|(p, _)| *p == path).cloned().collect();
            for key in keys {
                if let Some(by_print) = known.remove(&key) {
                    stale.extend(by_print.into_values().flatten());
                }
            }
        }
        stale.sort_by(|a, b| (a.line, &a.code).cmp(&(b.line, &b.code)));
        for entry in stale {
            let Some(rule) = Rule::find(&entry.code) else { continue };
            if !self.active[rule.index()] {
                continue;
            }
            let where_ =
                entry.line.map_or_else(String::new, |line| format!(" (line {line} when it was recorded)"));
            let d = Diagnostic {
                rule,
                severity: Severity::Info,
                message: format!(
                    "the baseline accepts an {} finding{where_} that is gone: \"{}\"",
                    entry.code, entry.message
                ),
                label: None,
                help: Some(
                    "rewrite the baseline with `ftlint check --write-baseline FILE` so it no longer accepts it".into(),
                ),
                span: Span::new(0, 0),
                position: None,
                pointer: None,
                fix: None,
            };
            self.stale.add(Severity::Info);
            self.inner.diagnostic(file, &[], &d)?;
        }
        if self.dropped.total() == 0 && self.stale.total() == 0 {
            return self.inner.end_file(file, outcome);
        }
        let mut adjusted = outcome.clone();
        adjusted.tally = self.adjust(outcome.tally);
        self.inner.end_file(file, &adjusted)
    }

    fn progress(&mut self, file: &FileHeader<'_>, done: u64) {
        self.inner.progress(file, done);
    }
}

impl<R: Reporter> Reporter for Baselined<R> {
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()> {
        self.inner.finish(totals)
    }

    fn unreadable(&mut self, path: &str, message: &str) -> io::Result<()> {
        self.inner.unreadable(path, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_baseline_reads_back() {
        let entries = vec![
            Entry {
                code: "FT104".into(),
                path: "data/a.jsonl".into(),
                fingerprint: "00ff".into(),
                line: Some(3),
                message: "blank \"line\"".into(),
            },
            Entry {
                code: "FT001".into(),
                path: "b.jsonl".into(),
                fingerprint: "11".into(),
                line: None,
                message: String::new(),
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, render(&entries)).unwrap();
        assert_eq!(load(&path).unwrap(), entries);
        assert_eq!(render(&entries).lines().count(), 4, "one line per entry");
        std::fs::write(&path, "{\"ftlint_baseline\": 9, \"findings\": []}").unwrap();
        assert!(load(&path).unwrap_err().contains("version 9"));
        std::fs::write(&path, "[]").unwrap();
        assert!(load(&path).unwrap_err().starts_with("not a baseline file"));
    }
}
