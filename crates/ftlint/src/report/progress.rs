//! A progress bar for large files, drawn on standard error around another reporter's output.

use std::io;

use indicatif::{ProgressBar, ProgressStyle};

use super::{FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::Diagnostic;

/// Files at least this large show a bar: a small one is done before a bar would be worth drawing.
const PROGRESS_MIN_BYTES: u64 = 32 << 20;

/// Passes everything on to `inner`, and moves a bar while a large file is checked.
pub struct WithProgress<R> {
    inner: R,
    bar: ProgressBar,
    /// Whether the file being checked has a bar.
    shown: bool,
}

impl<R: Reporter> WithProgress<R> {
    pub fn new(inner: R) -> Self {
        let style =
            ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        WithProgress { inner, bar: ProgressBar::new(0).with_style(style), shown: false }
    }
}

impl<R: Reporter> Sink for WithProgress<R> {
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()> {
        self.shown = file.bytes >= PROGRESS_MIN_BYTES;
        if self.shown {
            self.bar.reset();
            self.bar.set_length(file.bytes);
            self.bar.set_message(super::escape_controls(file.path).into_owned());
        }
        self.inner.start_file(file)
    }

    fn diagnostic(
        &mut self,
        file: &FileHeader<'_>,
        source: &[u8],
        diagnostic: &Diagnostic,
    ) -> io::Result<()> {
        self.inner.diagnostic(file, source, diagnostic)
    }

    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        if self.shown {
            self.bar.finish_and_clear();
        }
        self.inner.end_file(file, outcome)
    }

    fn progress(&mut self, _file: &FileHeader<'_>, done: u64) {
        if self.shown {
            self.bar.set_position(done);
        }
    }
}

impl<R: Reporter> Reporter for WithProgress<R> {
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()> {
        self.inner.finish(totals)
    }

    fn unreadable(&mut self, path: &str, message: &str) -> io::Result<()> {
        self.inner.unreadable(path, message)
    }
}
