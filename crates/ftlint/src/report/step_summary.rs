//! The Markdown summary of a GitHub Actions step, appended to the file `$GITHUB_STEP_SUMMARY` names
//! (the command line passes it for `--output-format github`; reporters never read the environment).
//!
//! The runner shows at most 10 error, 10 warning and 10 notice annotations per step, so on a file
//! with many findings most never reach the pull request. The summary, shown on the run's page, says
//! so and gives what the annotations cannot: the run's totals, the findings counted by rule, the
//! first findings of each file, the paths that could not be checked, and each file's token figures.
//! It is held in memory (a few lines per file) and written once, at the end.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;

use super::{escape_controls, relative_path, summary_line, FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Severity, Tally};
use ftlint_linter::rules::Rule;

/// Findings listed per file; the rest are counted.
pub const FINDINGS_PER_FILE: usize = 10;
/// Annotations of one level the runner shows per step; more findings than this of a level are
/// only in the summary and the log.
pub const ANNOTATIONS_PER_LEVEL: u64 = 10;
/// Files listed with their findings; the rest are counted (GitHub caps a summary at 1 MiB).
pub const FILES_LISTED: usize = 50;

/// A reporter that passes everything to `inner` and writes the step summary once the run is done.
pub struct StepSummary<R> {
    inner: R,
    path: PathBuf,
    base: Option<PathBuf>,
    by_rule: BTreeMap<Rule, Tally>,
    /// Per file with findings: its path, the first findings (line, code, severity, message) and how
    /// many more there were.
    files: Vec<(String, Vec<String>, u64)>,
    tokens: Vec<String>,
    unreadable: Vec<String>,
}

impl<R: Reporter> StepSummary<R> {
    /// Appends the summary to `path` at the end; paths in it are relative to `base`.
    pub fn new(inner: R, path: PathBuf, base: Option<PathBuf>) -> Self {
        StepSummary {
            inner,
            path,
            base,
            by_rule: BTreeMap::new(),
            files: Vec::new(),
            tokens: Vec::new(),
            unreadable: Vec::new(),
        }
    }

    fn markdown(&self, totals: &RunTotals) -> String {
        let mut md = String::from("## ftlint\n\n");
        let _ = writeln!(md, "**{}**\n", summary_line(totals));
        if !self.unreadable.is_empty() {
            md.push_str("### Could not be checked\n\n");
            for line in &self.unreadable {
                let _ = writeln!(md, "- {line}");
            }
            md.push('\n');
        }
        if self.by_rule.is_empty() {
            md.push_str("No findings.\n\n");
        } else {
            let mut by_level = Tally::default();
            for tally in self.by_rule.values() {
                by_level.merge(*tally);
            }
            let cap = ANNOTATIONS_PER_LEVEL;
            if by_level.errors > cap || by_level.warnings > cap || by_level.infos > cap {
                md.push_str(
                    "GitHub shows at most 10 error, 10 warning and 10 notice annotations per step: the \
                     findings below, and the step's log, have the rest.\n\n",
                );
            }
            md.push_str("| rule | errors | warnings | infos |\n|---|---:|---:|---:|\n");
            for (rule, tally) in &self.by_rule {
                let _ = writeln!(
                    md,
                    "| `{}` {} | {} | {} | {} |",
                    rule.code(),
                    rule.name(),
                    tally.errors,
                    tally.warnings,
                    tally.infos
                );
            }
            md.push('\n');
            for (path, findings, more) in self.files.iter().take(FILES_LISTED) {
                let _ = writeln!(
                    md,
                    "### {}\n\n| line | rule | severity | message |\n|---:|---|---|---|",
                    code_span(path, false)
                );
                for finding in findings {
                    let _ = writeln!(md, "{finding}");
                }
                if *more > 0 {
                    let _ = writeln!(
                        md,
                        "\n{more} more finding{} in this file.",
                        if *more == 1 { "" } else { "s" }
                    );
                }
                md.push('\n');
            }
            if self.files.len() > FILES_LISTED {
                let _ = writeln!(md, "{} more files with findings.\n", self.files.len() - FILES_LISTED);
            }
        }
        if !self.tokens.is_empty() {
            md.push_str("### Tokens\n\n");
            md.push_str(
                "| file | examples | tokens | longest | over the limit | epochs | billed (estimate) |\n\
                 |---|---:|---:|---:|---:|---:|---:|\n",
            );
            for row in &self.tokens {
                let _ = writeln!(md, "{row}");
            }
            md.push('\n');
        }
        md
    }
}

/// Text from the data or a message, safe in a Markdown table cell: no line breaks, no `|`, no
/// HTML.
fn cell(text: &str) -> String {
    escape_controls(text).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|")
}

/// `text` (a path) as a Markdown code span, shown exactly as it is. GitHub decodes no entity and no
/// backslash escape inside a code span, so nothing is HTML-escaped; a backtick in the text gets a
/// longer fence (and a space inside it when the text starts or ends with one). In a table cell a
/// `|` would end the cell even inside the span: the table parser reads `\|` as a `|` first.
fn code_span(text: &str, in_table: bool) -> String {
    let mut text = escape_controls(text).into_owned();
    if in_table {
        text = text.replace('|', "\\|");
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

impl<R: Reporter> Sink for StepSummary<R> {
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()> {
        self.inner.start_file(file)
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], d: &Diagnostic) -> io::Result<()> {
        self.by_rule.entry(d.rule).or_default().add(d.severity);
        let path = relative_path(file.path, self.base.as_deref());
        if self.files.last().is_none_or(|(last, _, _)| *last != path) {
            self.files.push((path, Vec::new(), 0));
        }
        let (_, findings, more) = self.files.last_mut().expect("pushed above");
        if findings.len() < FINDINGS_PER_FILE {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let line = d.position.map_or_else(|| "-".to_owned(), |p| p.line.to_string());
            findings.push(format!("| {line} | `{}` | {severity} | {} |", d.rule.code(), cell(&d.message)));
        } else {
            *more += 1;
        }
        self.inner.diagnostic(file, source, d)
    }

    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        if let Some(tokens) = &outcome.stats.tokens {
            self.tokens.push(format!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                code_span(&relative_path(file.path, self.base.as_deref()), true),
                outcome.stats.examples,
                tokens.total,
                tokens.max_example,
                tokens.over_limit,
                tokens.epochs,
                tokens.billed_tokens_estimate
            ));
        }
        self.inner.end_file(file, outcome)
    }

    fn progress(&mut self, file: &FileHeader<'_>, done: u64) {
        self.inner.progress(file, done);
    }
}

impl<R: Reporter> Reporter for StepSummary<R> {
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()> {
        self.inner.finish(totals)?;
        // The runner reads the file after the step; each step's summary is appended to it. The
        // summary is an extra: when it cannot be written the check's own result still stands.
        let markdown = self.markdown(totals);
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .and_then(|mut file| file.write_all(markdown.as_bytes()).and_then(|()| file.flush()));
        if let Err(error) = written {
            crate::error::warn(format_args!(
                "cannot write the step summary to {} ($GITHUB_STEP_SUMMARY): {error}; the findings above are complete without it",
                escape_controls(&self.path.display().to_string())
            ));
        }
        Ok(())
    }

    fn unreadable(&mut self, path: &str, message: &str) -> io::Result<()> {
        self.unreadable.push(format!(
            "{}: {}",
            code_span(&relative_path(path, self.base.as_deref()), false),
            cell(message)
        ));
        self.inner.unreadable(path, message)
    }
}

#[cfg(test)]
mod tests {
    use super::code_span;

    #[test]
    fn a_code_span_shows_the_text_as_it_is() {
        assert_eq!(code_span("data/<x>&y.jsonl", false), "`data/<x>&y.jsonl`");
        assert_eq!(code_span("a|b.jsonl", true), "`a\\|b.jsonl`");
        assert_eq!(code_span("a|b.jsonl", false), "`a|b.jsonl`");
        assert_eq!(code_span("a`b``c.jsonl", false), "```a`b``c.jsonl```");
        assert_eq!(code_span("`x.jsonl", false), "`` `x.jsonl ``");
    }
}
