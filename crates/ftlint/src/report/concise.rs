//! `concise`: one line per finding, `path:line:col: CODE [severity] message`, for grep and editors.
//! A finding that `ftlint fix` fixes has `[*]` after its code: `FT104 [*] [warning] blank line…`.

use std::io::{self, Write};

use super::{escape_controls, fix_marker, summary_line, Cap, FileHeader, Fixable, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::Diagnostic;

pub struct Concise<W: Write> {
    out: W,
    cap: Cap,
    stats: bool,
    /// `--quiet`: no summary line.
    quiet: bool,
    fixable: Fixable,
}

impl<W: Write> Concise<W> {
    pub fn new(out: W, max_diagnostics: usize) -> Self {
        Concise {
            out,
            cap: Cap::new(max_diagnostics),
            stats: false,
            quiet: false,
            fixable: Fixable::default(),
        }
    }

    /// `--stats`: print each file's figures after its findings.
    pub fn with_stats(mut self, stats: bool) -> Self {
        self.stats = stats;
        self
    }

    /// Leaves out the closing summary line (`--quiet`), so a clean run prints nothing.
    #[must_use]
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }
}

impl<W: Write> Sink for Concise<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        self.cap.reset();
        Ok(())
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, _source: &[u8], d: &Diagnostic) -> io::Result<()> {
        self.fixable.add(d);
        if !self.cap.admit() {
            return Ok(());
        }
        let path = escape_controls(file.path);
        match d.position {
            Some(at) => write!(self.out, "{path}:{}:{}: ", at.line, at.column)?,
            None => write!(self.out, "{path}: ")?,
        }
        writeln!(
            self.out,
            "{}{} [{}] {}",
            d.rule.code(),
            fix_marker(d),
            d.severity,
            escape_controls(&d.message)
        )
    }

    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        if let Some(note) = self.cap.note(file.path) {
            writeln!(self.out, "{note}")?;
        }
        if self.stats {
            write!(self.out, "{}", outcome.stats.render(&escape_controls(file.path)))?;
        }
        Ok(())
    }
}

impl<W: Write> Reporter for Concise<W> {
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()> {
        if !self.quiet {
            writeln!(self.out, "{}", summary_line(totals))?;
            if let Some(note) = self.fixable.note() {
                writeln!(self.out, "{note}")?;
            }
        }
        self.out.flush()
    }
}
