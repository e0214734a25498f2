//! Reporters: the last stage, turning diagnostics into text for people or machines.
//!
//! The check streams findings into a [`Reporter`] in file order and line order; a reporter may print
//! each at once (`concise`, `json`) or keep what it needs (`full` caps what it shows per file). All
//! human formats end with one summary line.

pub mod concise;
pub mod full;
pub mod json;

use std::io;

use crate::check::FileOutcome;
use crate::diagnostic::{Diagnostic, Tally};

/// What a reporter knows of the file being checked.
pub struct FileHeader<'a> {
    pub path: &'a str,
    pub bytes: u64,
}

/// Totals for the whole run.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunTotals {
    pub files: u64,
    pub examples: u64,
    pub tally: Tally,
}

pub trait Reporter {
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()>;
    /// One finding; `source` is the whole file, for showing the line it sits on.
    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], diagnostic: &Diagnostic)
        -> io::Result<()>;
    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()>;
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()>;
}

/// `--output-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source line, a label under the exact span, and how to fix it (default on a terminal).
    Full,
    /// One line per finding: `path:line:col: CODE [severity] message` (default otherwise).
    Concise,
    /// One JSON document with every finding (the stable contract; see the README).
    Json,
}

/// The closing line of the human formats: `2 errors, 1 warning in 3 files (120 examples checked)`.
pub fn summary_line(totals: &RunTotals) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = format!(
        "{}, {}",
        plural(totals.tally.errors, "error", "errors"),
        plural(totals.tally.warnings, "warning", "warnings")
    );
    if totals.tally.infos > 0 {
        line.push_str(&format!(", {}", plural(totals.tally.infos, "info", "infos")));
    }
    line.push_str(&format!(
        " in {} ({} checked)",
        plural(totals.files, "file", "files"),
        plural(totals.examples, "example", "examples")
    ));
    line
}

/// Per-file cap on what a human format shows (`--max-diagnostics`; 0 shows all).
#[derive(Clone, Copy, Debug)]
pub struct Cap {
    limit: usize,
    shown: usize,
    hidden: u64,
}

impl Cap {
    pub fn new(limit: usize) -> Self {
        Cap { limit, shown: 0, hidden: 0 }
    }

    /// Starts counting a new file.
    pub fn reset(&mut self) {
        self.shown = 0;
        self.hidden = 0;
    }

    /// Whether to show the next finding; counts it either way.
    pub fn admit(&mut self) -> bool {
        if self.limit == 0 || self.shown < self.limit {
            self.shown += 1;
            true
        } else {
            self.hidden += 1;
            false
        }
    }

    /// The note for the end of a file, if anything was left out.
    pub fn note(&self, path: &str) -> Option<String> {
        (self.hidden > 0).then(|| {
            format!(
                "{path}: {} more finding{} not shown (showing the first {}; `--max-diagnostics 0` shows all)",
                self.hidden,
                if self.hidden == 1 { "" } else { "s" },
                self.limit
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line_counts_with_plurals() {
        let totals = RunTotals { files: 1, examples: 1, tally: Tally { errors: 2, warnings: 1, infos: 0 } };
        assert_eq!(summary_line(&totals), "2 errors, 1 warning in 1 file (1 example checked)");
    }

    #[test]
    fn cap_counts_what_it_hides() {
        let mut cap = Cap::new(2);
        assert!(cap.admit() && cap.admit() && !cap.admit() && !cap.admit());
        assert_eq!(
            cap.note("a.jsonl").unwrap(),
            "a.jsonl: 2 more findings not shown (showing the first 2; `--max-diagnostics 0` shows all)"
        );
        cap.reset();
        assert!(cap.note("a.jsonl").is_none());
    }
}

/// Keeps every finding in memory, for tests and for callers of the library.
#[derive(Debug, Default)]
pub struct Collector {
    pub diagnostics: Vec<(String, Diagnostic)>,
}

impl Reporter for Collector {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        Ok(())
    }

    fn diagnostic(
        &mut self,
        file: &FileHeader<'_>,
        _source: &[u8],
        diagnostic: &Diagnostic,
    ) -> io::Result<()> {
        self.diagnostics.push((file.path.to_owned(), diagnostic.clone()));
        Ok(())
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _totals: &RunTotals) -> io::Result<()> {
        Ok(())
    }
}
