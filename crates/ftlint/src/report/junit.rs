//! `junit`: JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure Pipelines).
//!
//! Each checked file is one `<testsuite>`, and each finding one `<testcase>` in it, named by its
//! code, rule name and position, with the file's path as `classname` and `file` (relative to the
//! working directory, like every machine format) and the finding's `line`. Test report viewers
//! show one failure per test case (Jenkins reads only the first), so an error-severity finding is
//! its test case's one `<failure>` (`type` is the rule code, `message` the message, the text adds
//! the help line); a warning or an info is a test case that passes, with the finding in its
//! `<system-out>`, so it is listed without failing the build. A file without findings is one
//! passing test case, `no findings`. A path that could not be checked is a suite whose one test case
//! has an `<error>` saying why, so a missing file is not mistaken for a clean one.
//!
//! ```xml
//! <testsuites name="ftlint">
//!   <testsuite name="data/train.jsonl" tests="2" failures="1" errors="0" skipped="0">
//!     <testcase name="FT102 invalid-json at 2:98" classname="data/train.jsonl" file="data/train.jsonl" line="2">
//!       <failure type="FT102" message="invalid JSON: …">…</failure>
//!     </testcase>
//!     <testcase name="FT002 missing-bom" classname="data/train.jsonl" file="data/train.jsonl">
//!       <system-out>[warning] file has no UTF-8 byte-order mark …</system-out>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! The output is valid against the `junit-10.xsd` schema of Jenkins' xunit plugin (a test checks
//! it). A suite's counts come before its test cases in the XML, so the findings of one file are held
//! until the file is done (the other machine formats hold none): in memory up to a few megabytes,
//! then in an anonymous temporary file, so a file where every line is an error needs no memory for
//! them. Text is escaped for XML 1.0, and characters XML 1.0 cannot carry at all (most control
//! characters) become U+FFFD.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};

use std::path::PathBuf;

use super::{relative_path, FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Severity};

pub struct Junit<W: Write> {
    out: W,
    base: Option<PathBuf>,
    started: bool,
    /// The test cases of the file being checked, and how many there are and fail.
    cases: Spill,
    tests: u64,
    failures: u64,
}

/// Bytes held until a file is done: in memory up to [`Spill::MEMORY`], then in a temporary file.
#[derive(Default)]
struct Spill {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
}

impl Spill {
    const MEMORY: usize = 4 << 20;

    fn push(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.file.is_none() && self.memory.len() + bytes.len() > Self::MEMORY {
            let mut file = BufWriter::new(tempfile::tempfile()?);
            file.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        match &mut self.file {
            Some(file) => file.write_all(bytes),
            None => {
                self.memory.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.memory.is_empty() && self.file.is_none()
    }

    /// Writes everything held to `out`, and empties itself.
    fn drain_into(&mut self, out: &mut impl Write) -> io::Result<()> {
        if let Some(file) = self.file.take() {
            let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.rewind()?;
            io::copy(&mut file, out)?;
        }
        out.write_all(&self.memory)?;
        self.memory.clear();
        Ok(())
    }
}

impl<W: Write> Junit<W> {
    /// A report on `out` whose paths are relative to `base` when they lie inside it.
    pub fn new(out: W, base: Option<PathBuf>) -> Self {
        Junit { out, base, started: false, cases: Spill::default(), tests: 0, failures: 0 }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ftlint\">")?;
        }
        Ok(())
    }
}

/// Escapes text for XML 1.0 element content (`attribute: false`) or a double- or single-quoted
/// attribute value (`attribute: true`, where line breaks and tabs must be character references or
/// a parser turns them into spaces).
pub fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' if attribute => out.push_str(if c == '\n' { "&#10;" } else { "&#9;" }),
            '\n' | '\t' => out.push(c),
            // Not allowed anywhere in an XML 1.0 document, not even as a character reference.
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}

impl<W: Write> Sink for Junit<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        self.start()?;
        self.cases = Spill::default();
        self.tests = 0;
        self.failures = 0;
        Ok(())
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, _source: &[u8], d: &Diagnostic) -> io::Result<()> {
        let path = escape(&relative_path(file.path, self.base.as_deref()), true);
        let at = d.position.map_or_else(String::new, |p| format!(" at {}:{}", p.line, p.column));
        let name = escape(&format!("{} {}{at}", d.rule.code(), d.rule.name()), true);
        let line = d.position.map_or_else(String::new, |p| format!(" line=\"{}\"", p.line));
        let mut case = format!("    <testcase name=\"{name}\" classname=\"{path}\" file=\"{path}\"{line}>\n");
        if d.severity == Severity::Error {
            self.failures += 1;
            let body = format!("{}\nhelp: {}", d.message, d.help_text());
            case.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                d.rule.code(),
                escape(&d.message, true),
                escape(&body, false)
            ));
        } else {
            let text = format!("[{}] {}\nhelp: {}", d.severity, d.message, d.help_text());
            case.push_str(&format!("      <system-out>{}</system-out>\n", escape(&text, false)));
        }
        case.push_str("    </testcase>\n");
        self.tests += 1;
        self.cases.push(case.as_bytes())
    }

    fn end_file(&mut self, file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        let path = escape(&relative_path(file.path, self.base.as_deref()), true);
        writeln!(
            self.out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            self.tests.max(1),
            self.failures
        )?;
        if self.tests == 0 {
            writeln!(self.out, "    <testcase name=\"no findings\" classname=\"{path}\" file=\"{path}\"/>")?;
        }
        self.cases.drain_into(&mut self.out)?;
        writeln!(self.out, "  </testsuite>")
    }
}

impl<W: Write> Reporter for Junit<W> {
    fn finish(&mut self, _totals: &RunTotals) -> io::Result<()> {
        self.start()?;
        writeln!(self.out, "</testsuites>")?;
        self.out.flush()
    }

    /// A suite of its own, between files, with one test case in error.
    fn unreadable(&mut self, path: &str, message: &str) -> io::Result<()> {
        self.start()?;
        let path = escape(&relative_path(path, self.base.as_deref()), true);
        writeln!(
            self.out,
            "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">"
        )?;
        writeln!(
            self.out,
            "    <testcase name=\"could not be checked\" classname=\"{path}\" file=\"{path}\">"
        )?;
        writeln!(
            self.out,
            "      <error type=\"unreadable\" message=\"{}\">{}: {}</error>",
            escape(message, true),
            path,
            escape(message, false)
        )?;
        writeln!(self.out, "    </testcase>\n  </testsuite>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spill_gives_back_what_it_held_in_order_past_its_memory() {
        let mut spill = Spill::default();
        let chunk = vec![b'x'; 1 << 20];
        for i in 0..6u8 {
            spill.push(&[b'0' + i]).unwrap();
            spill.push(&chunk).unwrap();
        }
        assert!(spill.file.is_some(), "over 4 MB goes to a temporary file");
        let mut out = Vec::new();
        spill.drain_into(&mut out).unwrap();
        assert_eq!(out.len(), 6 * ((1 << 20) + 1));
        let marks: Vec<u8> = (0..6).map(|i| out[i * ((1 << 20) + 1)]).collect();
        assert_eq!(marks, b"012345");
        assert!(spill.is_empty());
    }

    #[test]
    fn escapes_markup_quotes_and_forbidden_characters() {
        assert_eq!(escape("a<b>&\"c'", false), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\ny\tz\r\u{1}\u{0}", true), "x&#10;y&#9;z&#13;\u{FFFD}\u{FFFD}");
        assert_eq!(escape("x\ny", false), "x\ny");
    }
}
