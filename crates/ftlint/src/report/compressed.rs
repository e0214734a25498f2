//! Findings of a compressed input (`*.jsonl.gz`, `*.jsonl.zst`) without their fixes.
//!
//! `check` reads such a file decompressed, but `ftlint fix` refuses it (it would have to rewrite
//! the compressed file), and a fix's byte offsets point into the decompressed data, not into the
//! file on disk. So no finding of it is marked `[*]` or counted as fixable: a fix's description
//! is kept as the finding's help (when it has none), with a word on decompressing first.

use std::io;

use super::{FileHeader, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::Diagnostic;

/// A sink in front of another that passes each finding on without its fix.
pub struct WithoutFixes<'a>(pub &'a mut dyn Sink);

impl Sink for WithoutFixes<'_> {
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()> {
        self.0.start_file(file)
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], d: &Diagnostic) -> io::Result<()> {
        let Some(fix) = &d.fix else { return self.0.diagnostic(file, source, d) };
        let mut without = d.clone();
        without.fix = None;
        if without.help.is_none() {
            without.help = Some(format!(
                "{} (after decompressing the file: `ftlint fix` does not rewrite compressed files)",
                fix.message
            ));
        }
        self.0.diagnostic(file, source, &without)
    }

    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        self.0.end_file(file, outcome)
    }

    fn progress(&mut self, file: &FileHeader<'_>, done: u64) {
        self.0.progress(file, done);
    }
}
