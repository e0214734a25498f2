//! Reporters: the last stage, turning diagnostics into text for people or machines.
//!
//! The check streams findings into a [`Reporter`] in file order and line order; a reporter may print
//! each at once (`concise`, `json`, `json-lines`, `github`, `gitlab`, `sarif`) or keep what it needs
//! (`full` caps what it shows per file, `junit` holds one file's test cases, `--statistics` only counts).
//! All human formats end with one summary line unless `--quiet`; machine formats never carry colour,
//! because nothing but `full` has any to give.

pub mod closed_output;
pub mod compressed;
pub mod concise;
pub mod fingerprint;
pub mod full;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod json_lines;
pub mod junit;
pub mod progress;
pub mod sarif;
pub mod statistics;
pub mod step_summary;

use std::io;
use std::path::Path;

use ftlint_linter::diagnostic::{Applicability, Diagnostic, Position, Tally};
use ftlint_linter::position::char_count;
pub use ftlint_linter::sink::{Collector, FileHeader, Sink};

/// Totals for the whole run.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunTotals {
    pub files: u64,
    pub examples: u64,
    pub tally: Tally,
}

/// A reporter: a [`Sink`] for the findings of each file, and a closing word for the whole run.
pub trait Reporter: Sink {
    /// Every file is checked; `totals` sums them.
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()>;

    /// `path` could not be read (`message` says why, without the path). The command line has
    /// already said so on standard error; a format that can put it where the user looks (a pull
    /// request annotation) does so too. Most formats have no place for it.
    fn unreadable(&mut self, _path: &str, _message: &str) -> io::Result<()> {
        Ok(())
    }
}

impl Reporter for Collector {
    fn finish(&mut self, _totals: &RunTotals) -> io::Result<()> {
        Ok(())
    }
}

impl<R: Reporter + ?Sized> Reporter for Box<R> {
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()> {
        (**self).finish(totals)
    }

    fn unreadable(&mut self, path: &str, message: &str) -> io::Result<()> {
        (**self).unreadable(path, message)
    }
}

/// `--output-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source line, a label under the exact span, and how to fix it (default on a terminal).
    Full,
    /// One line per finding: `path:line:col: CODE [severity] message` (default otherwise).
    Concise,
    /// One JSON document with every finding (the stable contract; see the README).
    Json,
    /// One JSON object per line for each finding, written as found (for huge runs and `jq`).
    JsonLines,
    /// GitHub Actions workflow commands: annotations on the pull request's files.
    Github,
    /// GitLab Code Quality report (a JSON array), for the merge request widget.
    Gitlab,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML: a suite per file, a test case per finding (errors fail), an error per unreadable path.
    Junit,
}

impl OutputFormat {
    /// Formats meant for people: they end with a summary line and may have colour.
    pub const fn is_human(self) -> bool {
        matches!(self, OutputFormat::Full | OutputFormat::Concise)
    }
}

/// Where a finding's span ends, as a person counts (the column is one past the last character, the
/// way SARIF's `endColumn` counts; GitHub's is the last character, see `github`). `None` for findings about the whole file.
///
/// Spans are byte ranges into the file; they are clamped to it, so a span that runs past the end (a
/// file-size finding) cannot make this panic.
pub fn end_position(source: &[u8], d: &Diagnostic) -> Option<Position> {
    let start = d.position?;
    let from = usize::try_from(d.span.offset).unwrap_or(usize::MAX).min(source.len());
    let to = usize::try_from(d.span.end()).unwrap_or(usize::MAX).clamp(from, source.len());
    let covered = &source[from..to];
    Some(match memchr::memrchr(b'\n', covered) {
        None => Position { line: start.line, column: start.column + char_count(covered) },
        Some(last) => Position {
            line: start.line + memchr::memchr_iter(b'\n', covered).count() as u64,
            column: char_count(&covered[last + 1..]) + 1,
        },
    })
}

/// The path as machine formats show it: relative to `base` (the project or working directory, as
/// the command line decides; reporters never read the environment) when
/// it lies inside it, with `/` separators, since CI systems match annotations to repository paths.
pub fn relative_path(path: &str, base: Option<&Path>) -> String {
    let relative = base
        .and_then(|base| Path::new(path).strip_prefix(base).ok())
        .map_or_else(|| path.to_owned(), |p| p.to_string_lossy().into_owned());
    let relative = relative.strip_prefix("./").map(str::to_owned).unwrap_or(relative);
    if std::path::MAIN_SEPARATOR == '\\' {
        relative.replace('\\', "/")
    } else {
        relative
    }
}

/// Text from the data (a key, a value, a file name) as human formats show it: control characters,
/// line and paragraph separators, and bidirectional overrides become visible escapes (`\u001b`,
/// `\n`), so data can never retitle a terminal, clear a screen, reorder what is shown, or forge a
/// line of output: one finding is always one line in `concise`.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if hidden(c) => escaped.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => escaped.push(c),
        }
    }
    std::borrow::Cow::Owned(escaped)
}

/// The closing line of the human formats: `2 errors, 1 warning in 3 files (120 examples checked)`.
pub fn summary_line(totals: &RunTotals) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = format!(
        "{}, {}",
        plural(totals.tally.errors, "error", "errors"),
        plural(totals.tally.warnings, "warning", "warnings")
    );
    if totals.tally.infos > 0 {
        line.push_str(&format!(", {}", plural(totals.tally.infos, "info", "infos")));
    }
    line.push_str(&format!(
        " in {} ({} checked)",
        plural(totals.files, "file", "files"),
        plural(totals.examples, "example", "examples")
    ));
    line
}

/// The marker the human formats put after the code of a finding that `ftlint fix` fixes: `[*]`, as
/// ruff does. Findings whose fix is unsafe are not marked; the closing note counts them.
pub fn fix_marker(d: &Diagnostic) -> &'static str {
    match d.fix.as_ref().map(|fix| fix.applicability) {
        Some(Applicability::Safe) => " [*]",
        _ => "",
    }
}

/// Counts the findings of a run that `ftlint fix` could fix, for the human formats' closing note.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fixable {
    safe: u64,
    unsafe_only: u64,
}

impl Fixable {
    pub fn add(&mut self, d: &Diagnostic) {
        match d.fix.as_ref().map(|fix| fix.applicability) {
            Some(Applicability::Safe) => self.safe += 1,
            Some(Applicability::Unsafe) => self.unsafe_only += 1,
            None => {}
        }
    }

    /// `3 fixable with `ftlint fix` (2 more with `ftlint fix --unsafe-fixes`)`, or `None` when no
    /// finding has a fix.
    pub fn note(&self) -> Option<String> {
        match (self.safe, self.unsafe_only) {
            (0, 0) => None,
            (0, more) => Some(format!("{more} fixable with `ftlint fix --unsafe-fixes`")),
            (safe, 0) => Some(format!("{safe} fixable with `ftlint fix`")),
            (safe, more) => Some(format!(
                "{safe} fixable with `ftlint fix` ({more} more with `ftlint fix --unsafe-fixes`)"
            )),
        }
    }
}

/// Per-file cap on what a human format shows (`--max-diagnostics`; 0 shows all).
#[derive(Clone, Copy, Debug)]
pub struct Cap {
    limit: usize,
    shown: usize,
    hidden: u64,
}

impl Cap {
    pub fn new(limit: usize) -> Self {
        Cap { limit, shown: 0, hidden: 0 }
    }

    /// Starts counting a new file.
    pub fn reset(&mut self) {
        self.shown = 0;
        self.hidden = 0;
    }

    /// Whether to show the next finding; counts it either way.
    pub fn admit(&mut self) -> bool {
        if self.limit == 0 || self.shown < self.limit {
            self.shown += 1;
            true
        } else {
            self.hidden += 1;
            false
        }
    }

    /// The note for the end of a file, if anything was left out.
    pub fn note(&self, path: &str) -> Option<String> {
        (self.hidden > 0).then(|| {
            format!(
                "{}: {} more finding{} not shown (showing the first {}; `--max-diagnostics 0` shows all)",
                escape_controls(path),
                self.hidden,
                if self.hidden == 1 { "" } else { "s" },
                self.limit
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_from_the_data_become_visible_escapes() {
        assert_eq!(escape_controls("plain é 😀"), "plain é 😀");
        assert_eq!(escape_controls("a\u{1b}]0;x\u{7}b"), "a\\u001b]0;x\\u0007b");
        assert_eq!(escape_controls("FAKE.jsonl\n9:9"), "FAKE.jsonl\\n9:9");
        assert_eq!(escape_controls("\u{202E}abc\u{85}"), "\\u202eabc\\u0085");
    }

    #[test]
    fn summary_line_counts_with_plurals() {
        let totals = RunTotals { files: 1, examples: 1, tally: Tally { errors: 2, warnings: 1, infos: 0 } };
        assert_eq!(summary_line(&totals), "2 errors, 1 warning in 1 file (1 example checked)");
    }

    fn at(line: u64, column: u64, offset: u64, length: u64) -> Diagnostic {
        Diagnostic {
            rule: ftlint_linter::rules::Rule::InvalidJson,
            severity: ftlint_linter::diagnostic::Severity::Error,
            message: "m".into(),
            label: None,
            help: None,
            span: ftlint_linter::diagnostic::Span::new(offset, length),
            position: Some(Position { line, column }),
            pointer: None,
            fix: None,
        }
    }

    #[test]
    fn end_positions_count_characters_and_lines() {
        let source = "{\"a\": \"é😀x\"}\n{\"b\": 1,\n2}\n".as_bytes();
        // `"é😀x"` starts at byte 6, column 7, and is 9 bytes but 5 characters long.
        let end = end_position(source, &at(1, 7, 6, 9)).unwrap();
        assert_eq!((end.line, end.column), (1, 12));
        // A span over a newline ends on the next line.
        let start = source.iter().position(|&b| b == b'1').unwrap() as u64;
        let end = end_position(source, &at(2, 7, start, 4)).unwrap();
        assert_eq!((end.line, end.column), (3, 2));
        // A span past the end of the file is clamped, and file-level findings have no end.
        assert_eq!(end_position(source, &at(1, 1, 0, u64::MAX / 2)).unwrap().line, 4);
        let mut whole = at(1, 1, 0, 1);
        whole.position = None;
        assert!(end_position(source, &whole).is_none());
    }

    #[test]
    fn relative_paths_drop_the_base_and_a_leading_dot() {
        let base = Path::new("/ci/project");
        assert_eq!(relative_path("/ci/project/data/a.jsonl", Some(base)), "data/a.jsonl");
        assert_eq!(relative_path("/elsewhere/a.jsonl", Some(base)), "/elsewhere/a.jsonl");
        assert_eq!(relative_path("./a.jsonl", None), "a.jsonl");
    }

    #[test]
    fn cap_counts_what_it_hides() {
        let mut cap = Cap::new(2);
        assert!(cap.admit() && cap.admit() && !cap.admit() && !cap.admit());
        assert_eq!(
            cap.note("a.jsonl").unwrap(),
            "a.jsonl: 2 more findings not shown (showing the first 2; `--max-diagnostics 0` shows all)"
        );
        cap.reset();
        assert!(cap.note("a.jsonl").is_none());
    }
}
