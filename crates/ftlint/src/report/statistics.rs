//! `--statistics`: how often each rule fired, instead of the findings themselves.
//!
//! One row per rule that fired: the count, the code and the name, most frequent first (ties in code
//! order), the way `ruff --statistics` prints them. With `--output-format json` (or `json-lines`)
//! the same rows are a JSON array of `{"count", "code", "name"}`. Only one counter per rule is kept,
//! so the run needs no memory for its findings however many there are.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::Diagnostic;
use ftlint_linter::rules::Rule;

pub struct Statistics<W: Write> {
    out: W,
    json: bool,
    counts: Vec<u64>,
}

impl<W: Write> Statistics<W> {
    pub fn new(out: W, json: bool) -> Self {
        Statistics { out, json, counts: vec![0; Rule::ALL.len()] }
    }

    /// The rules that fired with their counts, most frequent first.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = Rule::ALL
            .iter()
            .zip(&self.counts)
            .filter(|(_, &count)| count > 0)
            .map(|(rule, &count)| Row { count, code: rule.code(), name: rule.name() })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
        rows
    }
}

#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    pub count: u64,
    pub code: &'static str,
    pub name: &'static str,
}

impl<W: Write> Sink for Statistics<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        Ok(())
    }

    fn diagnostic(&mut self, _file: &FileHeader<'_>, _source: &[u8], d: &Diagnostic) -> io::Result<()> {
        self.counts[d.rule.index()] += 1;
        Ok(())
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Reporter for Statistics<W> {
    fn finish(&mut self, _totals: &RunTotals) -> io::Result<()> {
        let rows = self.rows();
        if self.json {
            serde_json::to_writer(&mut self.out, &rows)?;
            writeln!(self.out)?;
        } else {
            let width = rows.first().map_or(1, |row| row.count.to_string().len());
            for row in &rows {
                writeln!(self.out, "{:>width$}\t{}\t{}", row.count, row.code, row.name)?;
            }
        }
        self.out.flush()
    }
}
