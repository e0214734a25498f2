//! `github`: GitHub Actions workflow commands, which the runner turns into annotations on the files
//! of a pull request.
//!
//! ```text
//! ::error file=data/train.jsonl,line=2,col=98,endLine=2,endColumn=98,title=ftlint (FT102)::invalid JSON: …
//! ::error file=data/missing.jsonl,title=ftlint::no such file or directory
//! ```
//!
//! Escaping follows the runner's own `escapeData` / `escapeProperty` (actions/toolkit, `command.ts`):
//! in the message `%`, CR and LF become `%25`, `%0D`, `%0A`; in property values `:` and `,` also
//! become `%3A` and `%2C`, since they separate properties. The message and the help line are joined
//! with an escaped newline, which the annotation shows as a line break. A span over several lines
//! gives `endLine` but no columns: GitHub reads `col`/`endColumn` as a range on one line, and
//! counts `endColumn` as the span's last character (inclusive), not one past it as SARIF does; a
//! zero-length span (a point between two characters) keeps `endColumn` equal to `col`.
//!
//! A path that could not be read (missing, unreadable, a directory without `*.jsonl` files) is an
//! `error` command too, titled `ftlint`, so it shows on the pull request and not only in the log.

use std::io::{self, Write};

use super::{end_position, escape_controls, relative_path, FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Severity};

pub struct Github<W: Write> {
    out: W,
    base: Option<std::path::PathBuf>,
}

impl<W: Write> Github<W> {
    /// Commands on `out` whose paths are relative to `base` (the working directory, where the
    /// runner's checkout is) when they lie inside it.
    pub fn new(out: W, base: Option<std::path::PathBuf>) -> Self {
        Github { out, base }
    }
}

/// Escapes a command's message (GitHub's `escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (GitHub's `escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl<W: Write> Sink for Github<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        Ok(())
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], d: &Diagnostic) -> io::Result<()> {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let path = escape_controls(&relative_path(file.path, self.base.as_deref())).into_owned();
        let mut properties = format!("file={}", escape_property(&path));
        if let (Some(start), Some(end)) = (d.position, end_position(source, d)) {
            properties.push_str(&format!(",line={}", start.line));
            if end.line == start.line {
                properties.push_str(&format!(
                    ",col={},endLine={},endColumn={}",
                    start.column,
                    end.line,
                    inclusive_end_column(start.column, end.column)
                ));
            } else {
                properties.push_str(&format!(",endLine={}", end.line));
            }
        }
        let title = format!("ftlint ({})", d.rule.code());
        let message = format!("{}\nhelp: {}", escape_controls(&d.message), escape_controls(d.help_text()));
        writeln!(
            self.out,
            "::{command} {properties},title={}::{}",
            escape_property(&title),
            escape_data(&message)
        )
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        self.out.flush()
    }
}

/// GitHub's `endColumn` for a span on one line whose end, as [`super::end_position`] counts it, is
/// one past its last character: the last character itself, or `start` for a zero-length span.
fn inclusive_end_column(start: u64, end_exclusive: u64) -> u64 {
    end_exclusive.saturating_sub(1).max(start)
}

impl<W: Write> Reporter for Github<W> {
    fn finish(&mut self, _totals: &RunTotals) -> io::Result<()> {
        self.out.flush()
    }

    fn unreadable(&mut self, path: &str, message: &str) -> io::Result<()> {
        let path = escape_controls(&relative_path(path, self.base.as_deref())).into_owned();
        writeln!(
            self.out,
            "::error file={},title=ftlint::{}",
            escape_property(&path),
            escape_data(&escape_controls(message))
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn end_columns_are_inclusive_and_a_point_stays_a_point() {
        assert_eq!(inclusive_end_column(49, 50), 49, "one character");
        assert_eq!(inclusive_end_column(24, 31), 30, "seven characters");
        assert_eq!(inclusive_end_column(54, 54), 54, "zero-length");
        assert_eq!(inclusive_end_column(1, 1), 1, "zero-length at the start of a line");
    }

    #[test]
    fn an_unreadable_path_is_an_error_annotation() {
        let mut github = Github::new(Vec::new(), None);
        github.unreadable("data/a,b.jsonl", "no such file or directory").unwrap();
        assert_eq!(
            String::from_utf8(github.out).unwrap(),
            "::error file=data/a%2Cb.jsonl,title=ftlint::no such file or directory\n"
        );
    }
}
