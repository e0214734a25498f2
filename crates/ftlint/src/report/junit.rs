//! `junit`: JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure Pipelines).
//!
//! Each checked file is one `<testsuite>` holding one `<testcase>` named by the file's path. Every
//! error-severity finding is a `<failure>` of that test case (`type` is the rule code, `message` the
//! position and message, the text adds the rule name and the help line); warnings and infos do not
//! fail the test and are listed in its `<system-out>`, one per line.
//!
//! ```xml
//! <testsuites name="ftlint">
//!   <testsuite name="train.jsonl" tests="1" failures="1" errors="0" skipped="0">
//!     <testcase name="train.jsonl" classname="ftlint" file="train.jsonl">
//!       <failure type="FT102" message="2:98: invalid JSON: …">…</failure>
//!       <system-out>train.jsonl: FT002 [warning] file has no UTF-8 byte-order mark …</system-out>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! A suite's counts come before its test case in the XML, so the findings of one file are held
//! until the file is done (the other machine formats hold none): in memory up to a few megabytes,
//! then in an anonymous temporary file, so a file where every line is an error needs no memory for
//! them. Text is escaped for XML 1.0, and characters XML 1.0 cannot carry at all (most control
//! characters) become U+FFFD.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};

use super::{FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Severity};

pub struct Junit<W: Write> {
    out: W,
    started: bool,
    failures: Spill,
    failure_count: u64,
    system_out: Spill,
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
    pub fn new(out: W) -> Self {
        Junit {
            out,
            started: false,
            failures: Spill::default(),
            failure_count: 0,
            system_out: Spill::default(),
        }
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
        self.failures = Spill::default();
        self.system_out = Spill::default();
        self.failure_count = 0;
        Ok(())
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, _source: &[u8], d: &Diagnostic) -> io::Result<()> {
        let at = d.position.map_or_else(String::new, |p| format!("{}:{}: ", p.line, p.column));
        if d.severity == Severity::Error {
            self.failure_count += 1;
            let message = format!("{at}{}", d.message);
            let body = format!(
                "{} {} at {}{}\n{}\nhelp: {}",
                d.rule.code(),
                d.rule.name(),
                file.path,
                d.position.map_or_else(String::new, |p| format!(":{}:{}", p.line, p.column)),
                d.message,
                d.help_text()
            );
            let failure = format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                d.rule.code(),
                escape(&message, true),
                escape(&body, false)
            );
            self.failures.push(failure.as_bytes())?;
        } else {
            let line = format!("{}: {at}{} [{}] {}\n", file.path, d.rule.code(), d.severity, d.message);
            self.system_out.push(escape(&line, false).as_bytes())?;
        }
        Ok(())
    }

    fn end_file(&mut self, file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        let name = escape(file.path, true);
        writeln!(
            self.out,
            "  <testsuite name=\"{name}\" tests=\"1\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            u64::from(self.failure_count > 0)
        )?;
        writeln!(self.out, "    <testcase name=\"{name}\" classname=\"ftlint\" file=\"{name}\">")?;
        self.failures.drain_into(&mut self.out)?;
        if !self.system_out.is_empty() {
            write!(self.out, "      <system-out>")?;
            self.system_out.drain_into(&mut self.out)?;
            writeln!(self.out, "</system-out>")?;
        }
        writeln!(self.out, "    </testcase>\n  </testsuite>")
    }
}

impl<W: Write> Reporter for Junit<W> {
    fn finish(&mut self, _totals: &RunTotals) -> io::Result<()> {
        self.start()?;
        writeln!(self.out, "</testsuites>")?;
        self.out.flush()
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
