//! Findings of an input as it was read: decompressed (`*.jsonl.gz`, `*.jsonl.zst`) or cut off at
//! the upload limit.
//!
//! `check` reads a compressed file decompressed, but `ftlint fix` refuses it (it would have to
//! rewrite the compressed file), and a fix's byte offsets point into the decompressed data, not
//! into the file on disk. So no finding of it is marked `[*]` or counted as fixable: a fix's
//! description is kept as the finding's help (when it has none), with a word on decompressing
//! first.
//!
//! An input read only up to the upload limit and one byte (a pipe, a decompressed file) has no
//! known size: the linter's FT001 would give the bytes read as the size and say it is over by one
//! byte. Its message is replaced by what is known: more than 512 MB, and the compressed size.

use std::io;

use super::{FileHeader, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::Diagnostic;
use ftlint_linter::rules::file::file_too_large::LIMIT;
use ftlint_linter::rules::Rule;

/// A sink in front of another that words findings for the input as it was read.
pub struct AsRead<'a> {
    pub inner: &'a mut dyn Sink,
    /// The input is a compressed file, read decompressed.
    pub compressed: bool,
    /// The size on disk of that compressed file, when known.
    pub compressed_size: Option<u64>,
    /// Reading stopped at the limit: the input goes on past it.
    pub cut_off: bool,
}

impl AsRead<'_> {
    fn too_large_message(&self) -> String {
        match (self.compressed, self.compressed_size) {
            (true, Some(size)) => format!(
                "file decompresses to more than the 512 MB upload limit ({LIMIT} bytes; it is {size} bytes compressed); reading stopped there, so the rest was not checked"
            ),
            (true, None) => format!(
                "file decompresses to more than the 512 MB upload limit ({LIMIT} bytes); reading stopped there, so the rest was not checked"
            ),
            (false, _) => format!(
                "input is more than the 512 MB upload limit ({LIMIT} bytes); reading stopped there, so the rest was not checked"
            ),
        }
    }
}

impl Sink for AsRead<'_> {
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()> {
        self.inner.start_file(file)
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], d: &Diagnostic) -> io::Result<()> {
        let too_large = self.cut_off && d.rule == Rule::FileTooLarge;
        let fix = d.fix.as_ref().filter(|_| self.compressed);
        if !too_large && fix.is_none() {
            return self.inner.diagnostic(file, source, d);
        }
        let mut adjusted = d.clone();
        if too_large {
            adjusted.message = self.too_large_message();
        }
        if let Some(fix) = fix {
            adjusted.fix = None;
            if adjusted.help.is_none() {
                adjusted.help = Some(format!(
                    "{} (after decompressing the file: `ftlint fix` does not rewrite compressed files)",
                    fix.message
                ));
            }
        }
        self.inner.diagnostic(file, source, &adjusted)
    }

    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        self.inner.end_file(file, outcome)
    }

    fn progress(&mut self, file: &FileHeader<'_>, done: u64) {
        self.inner.progress(file, done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ftlint_linter::diagnostic::{Fix, Severity, Span};
    use ftlint_linter::sink::Collector;

    fn finding(rule: Rule, fix: Option<Fix>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message: "file is 536870913 bytes, over the 512 MB upload limit (536870912 bytes) by 1 bytes"
                .into(),
            label: None,
            help: None,
            span: Span::new(0, 1),
            position: None,
            pointer: None,
            fix,
        }
    }

    fn through(compressed: bool, cut_off: bool, d: &Diagnostic) -> Diagnostic {
        let mut collector = Collector::default();
        let header = FileHeader { path: "x.jsonl.zst", bytes: 1 };
        let mut sink = AsRead { inner: &mut collector, compressed, compressed_size: Some(20_333), cut_off };
        sink.diagnostic(&header, b"", d).unwrap();
        collector.diagnostics.pop().unwrap().1
    }

    #[test]
    fn a_cut_off_input_is_said_to_be_over_the_limit_not_over_by_one_byte() {
        let d = through(true, true, &finding(Rule::FileTooLarge, None));
        assert_eq!(
            d.message,
            "file decompresses to more than the 512 MB upload limit (536870912 bytes; it is 20333 bytes compressed); reading stopped there, so the rest was not checked"
        );
        let d = through(false, true, &finding(Rule::FileTooLarge, None));
        assert!(d.message.starts_with("input is more than the 512 MB upload limit"), "{}", d.message);
        // A file read whole keeps the linter's exact figures.
        let d = through(false, false, &finding(Rule::FileTooLarge, None));
        assert!(d.message.starts_with("file is 536870913 bytes"), "{}", d.message);
    }

    #[test]
    fn a_compressed_input_has_no_fix_and_keeps_its_description_as_help() {
        let fixable = finding(Rule::BlankLine, Some(Fix::safe("Remove the blank line", Vec::new())));
        let d = through(true, false, &fixable);
        assert!(d.fix.is_none());
        assert_eq!(
            d.help.as_deref(),
            Some("Remove the blank line (after decompressing the file: `ftlint fix` does not rewrite compressed files)")
        );
        assert!(through(false, false, &fixable).fix.is_some(), "a plain file keeps its fix");
    }
}
