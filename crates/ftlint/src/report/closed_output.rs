//! A reader that stops reading (`ftlint check … | head`) must not change what ftlint's exit status
//! says about the data. This wrapper notices the closed pipe, stops writing, and lets the check run
//! to its end, so the status still says whether errors were found (1) or not (0), as ruff's does.

use std::io;

use super::{FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::Diagnostic;

pub struct ToleratesClosedOutput<R> {
    inner: R,
    closed: bool,
}

impl<R> ToleratesClosedOutput<R> {
    pub fn new(inner: R) -> Self {
        ToleratesClosedOutput { inner, closed: false }
    }

    /// Runs one call on the inner reporter unless the output is already closed; a closed pipe
    /// ends the writing, not the run. Every other error is passed on.
    fn write(&mut self, call: impl FnOnce(&mut R) -> io::Result<()>) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match call(&mut self.inner) {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

impl<R: Reporter> Sink for ToleratesClosedOutput<R> {
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()> {
        self.write(|inner| inner.start_file(file))
    }

    fn diagnostic(
        &mut self,
        file: &FileHeader<'_>,
        source: &[u8],
        diagnostic: &Diagnostic,
    ) -> io::Result<()> {
        self.write(|inner| inner.diagnostic(file, source, diagnostic))
    }

    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        self.write(|inner| inner.end_file(file, outcome))
    }

    fn progress(&mut self, file: &FileHeader<'_>, done: u64) {
        self.inner.progress(file, done);
    }
}

impl<R: Reporter> Reporter for ToleratesClosedOutput<R> {
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()> {
        self.write(|inner| inner.finish(totals))
    }

    fn unreadable(&mut self, path: &str, message: &str) -> io::Result<()> {
        self.write(|inner| inner.unreadable(path, message))
    }
}

/// A writer that, once its reader is gone, takes every further write without a word: for output
/// that is data (`ftlint fix --diff`, a fixed standard input), where the run must still go on to
/// the exit status that says what was found.
pub struct QuietWhenClosed<W> {
    inner: W,
    closed: bool,
}

impl<W> QuietWhenClosed<W> {
    pub fn new(inner: W) -> Self {
        QuietWhenClosed { inner, closed: false }
    }
}

impl<W: io::Write> io::Write for QuietWhenClosed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}
