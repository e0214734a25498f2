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
//! until the file is done (the other machine formats hold none). Text is escaped for XML 1.0, and
//! characters XML 1.0 cannot carry at all (most control characters) become U+FFFD.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{FileHeader, Reporter, RunTotals};
use crate::check::FileOutcome;
use crate::diagnostic::{Diagnostic, Severity};

pub struct Junit<W: Write> {
    out: W,
    started: bool,
    failures: String,
    failure_count: u64,
    system_out: String,
}

impl<W: Write> Junit<W> {
    pub fn new(out: W) -> Self {
        Junit { out, started: false, failures: String::new(), failure_count: 0, system_out: String::new() }
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

impl<W: Write> Reporter for Junit<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        self.start()?;
        self.failures.clear();
        self.system_out.clear();
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
            let _ = writeln!(
                self.failures,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                d.rule.code(),
                escape(&message, true),
                escape(&body, false)
            );
        } else {
            let line = format!("{}: {at}{} [{}] {}\n", file.path, d.rule.code(), d.severity, d.message);
            self.system_out.push_str(&escape(&line, false));
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
        self.out.write_all(self.failures.as_bytes())?;
        if !self.system_out.is_empty() {
            writeln!(self.out, "      <system-out>{}</system-out>", self.system_out)?;
        }
        writeln!(self.out, "    </testcase>\n  </testsuite>")
    }

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
    fn escapes_markup_quotes_and_forbidden_characters() {
        assert_eq!(escape("a<b>&\"c'", false), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\ny\tz\r\u{1}\u{0}", true), "x&#10;y&#9;z&#13;\u{FFFD}\u{FFFD}");
        assert_eq!(escape("x\ny", false), "x\ny");
    }
}
