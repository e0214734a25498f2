//! What a rule sees of the data it checks, and the one way it reports a finding.
//!
//! Every rule reports through [`Report`], a builder that a context hands out:
//!
//! ```ignore
//! ctx.report(Rule::InvalidWeight, &pointer).message(format!("…")).label("…").help("…");
//! ```
//!
//! The finding is pushed when the builder is dropped, at the end of that statement. When the rule
//! is off the builder is empty: it places nothing (no span search, no pointer copy) and every call on
//! it returns at once, so a rule need not ask whether it is on before reporting.
//!
//! The contexts differ only in how they place a finding: [`FileContext`] at a byte span of the file
//! (or at a whole record, for the dataset stage), [`LineContext`] at a byte range of one line, and
//! [`RecordContext`] at the value a JSON pointer names inside a record, found lazily so the fast path
//! never pays for positions.

use std::ops::Range;

use crate::dataset::RecordSite;
use crate::diagnostic::{Diagnostic, Fix, Position, Severity, Span};
use crate::lines::Line;
use crate::locate;
use crate::model::facts::RecordFacts;
use crate::model::shape::Format;
use crate::position::column_at;
use crate::rules::Rule;
use crate::settings::Settings;

/// Where a finding sits.
struct Place {
    span: Span,
    position: Option<Position>,
    pointer: Option<String>,
}

/// A finding being built. Pushed to its context's findings when dropped; empty (and free) when its
/// rule is off.
pub struct Report<'a> {
    pending: Option<(Diagnostic, &'a mut Vec<Diagnostic>)>,
}

impl<'a> Report<'a> {
    /// A finding of `rule` at the severity it has under the settings' profile, placed by `place`
    /// only when the rule is on.
    fn new(
        settings: &Settings,
        out: &'a mut Vec<Diagnostic>,
        rule: Rule,
        place: impl FnOnce() -> Place,
    ) -> Self {
        if !settings.enabled(rule) {
            return Report { pending: None };
        }
        let Place { span, position, pointer } = place();
        let diagnostic = Diagnostic {
            rule,
            severity: rule.severity(settings.profile),
            message: String::new(),
            label: None,
            help: None,
            span,
            position,
            pointer,
            fix: None,
        };
        Report { pending: Some((diagnostic, out)) }
    }

    /// Whether the finding will be reported (its rule is on).
    pub fn is_on(&self) -> bool {
        self.pending.is_some()
    }

    fn with(mut self, set: impl FnOnce(&mut Diagnostic)) -> Self {
        if let Some((diagnostic, _)) = &mut self.pending {
            set(diagnostic);
        }
        self
    }

    /// What is wrong, as a complete sentence without the line number (the position gives it).
    pub fn message(self, message: impl Into<String>) -> Self {
        self.with(|d| d.message = message.into())
    }

    /// A short phrase shown under the span.
    pub fn label(self, label: impl Into<String>) -> Self {
        self.with(|d| d.label = Some(label.into()))
    }

    /// How to fix this finding, when the rule's own fix text is not specific enough.
    pub fn help(self, help: impl Into<String>) -> Self {
        self.with(|d| d.help = Some(help.into()))
    }

    /// The same as [`Report::help`], only when there is one.
    pub fn help_if(self, help: Option<String>) -> Self {
        match help {
            Some(help) => self.help(help),
            None => self,
        }
    }

    /// The edits that remove the finding.
    pub fn fix(self, fix: Fix) -> Self {
        self.with(|d| d.fix = Some(fix))
    }

    /// The same as [`Report::fix`], only when there is one.
    pub fn fix_if(self, fix: Option<Fix>) -> Self {
        match fix {
            Some(fix) => self.fix(fix),
            None => self,
        }
    }

    /// A severity that depends on the finding itself, not only on the profile. A level the user set
    /// still wins ([`Settings::apply`]).
    pub fn severity(self, severity: Severity) -> Self {
        self.with(|d| d.severity = severity)
    }

    /// A span wider than the context's clamping allows: a line's ending lies past its text.
    pub fn span(self, span: Span) -> Self {
        self.with(|d| d.span = span)
    }

    /// The JSON pointer shown with a finding placed by bytes (`""`: the whole record).
    pub fn pointer(self, pointer: impl Into<String>) -> Self {
        self.with(|d| d.pointer = Some(pointer.into()))
    }
}

impl Drop for Report<'_> {
    fn drop(&mut self) {
        if let Some((diagnostic, out)) = self.pending.take() {
            debug_assert!(!diagnostic.message.is_empty(), "{} reported without a message", diagnostic.rule);
            out.push(diagnostic);
        }
    }
}

/// The view of a file-wide rule: the whole file's size, and the findings of the file so far. The
/// dataset stage reports through it too, at the records it remembers.
pub struct FileContext<'a> {
    pub settings: &'a Settings,
    /// The file's size in bytes.
    pub file_len: u64,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> FileContext<'a> {
    pub fn new(settings: &'a Settings, file_len: u64, out: &'a mut Vec<Diagnostic>) -> Self {
        FileContext { settings, file_len, out }
    }

    /// Reports `rule` at `span` of the file, a finding with no line of its own.
    pub fn report(&mut self, rule: Rule, span: Span) -> Report<'_> {
        Report::new(self.settings, self.out, rule, || Place { span, position: None, pointer: None })
    }

    /// Reports `rule` at the whole record `site` (JSON pointer `""`).
    pub fn report_record(&mut self, rule: Rule, site: &RecordSite) -> Report<'_> {
        Report::new(self.settings, self.out, rule, || Place {
            span: Span::new(site.offset, site.length),
            position: Some(Position { line: site.line, column: site.column }),
            pointer: Some(String::new()),
        })
    }
}

/// The view of a line rule: one physical line (whose bytes live for `'l`), before it is known to
/// be a record.
pub struct LineContext<'c, 'l> {
    pub line: &'c Line<'l>,
    pub settings: &'c Settings,
    out: &'c mut Vec<Diagnostic>,
}

impl<'c, 'l> LineContext<'c, 'l> {
    pub fn new(line: &'c Line<'l>, settings: &'c Settings, out: &'c mut Vec<Diagnostic>) -> Self {
        LineContext { line, settings, out }
    }

    /// Reports `rule` at bytes `range` of the line, clamped to it.
    pub fn report(&mut self, rule: Rule, range: Range<usize>) -> Report<'_> {
        let line = self.line;
        Report::new(self.settings, self.out, rule, || {
            let start = range.start.min(line.text.len());
            let end = range.end.clamp(start, line.text.len());
            Place {
                span: Span::new((line.start + start) as u64, (end - start) as u64),
                position: Some(Position { line: line.number, column: column_at(line.text, start) }),
                pointer: None,
            }
        })
    }
}

/// The view a record rule gets: the record's line and text, the settings, and a place to report.
pub struct RecordContext<'a> {
    line: &'a Line<'a>,
    text: &'a str,
    pub settings: &'a Settings,
    /// The format the record is being checked as.
    pub format: Format,
    out: &'a mut Vec<Diagnostic>,
    pub facts: RecordFacts,
    /// Whether the parser saw a key twice in some object of the record (see [`crate::model::json`]).
    pub repeated_keys: bool,
}

impl<'a> RecordContext<'a> {
    pub fn new(
        line: &'a Line<'a>,
        text: &'a str,
        settings: &'a Settings,
        format: Format,
        out: &'a mut Vec<Diagnostic>,
    ) -> Self {
        RecordContext {
            line,
            text,
            settings,
            format,
            out,
            facts: RecordFacts::default(),
            repeated_keys: false,
        }
    }

    pub fn enabled(&self, rule: Rule) -> bool {
        self.settings.enabled(rule)
    }

    /// Reports `rule` at the value `pointer` names, with its exact span.
    pub fn report(&mut self, rule: Rule, pointer: &str) -> Report<'_> {
        let text = self.text;
        // A pointer always names a value that parsed; if the scan cannot find it, the whole line is
        // a safe, if wider, span.
        let range = || locate::locate(text, pointer).unwrap_or(0..text.len());
        self.report_place(rule, range, pointer)
    }

    /// Reports `rule` at an explicit byte range of the record's text, for findings that a pointer
    /// cannot place (the second of two equal keys: a pointer names the value the parser kept).
    /// `pointer` is still shown to the user. The range is clamped to the line.
    pub fn report_range(&mut self, rule: Rule, range: Range<usize>, pointer: &str) -> Report<'_> {
        self.report_place(rule, || range, pointer)
    }

    fn report_place(
        &mut self,
        rule: Rule,
        range: impl FnOnce() -> Range<usize>,
        pointer: &str,
    ) -> Report<'_> {
        let (line, text) = (self.line, self.text);
        Report::new(self.settings, self.out, rule, || {
            let range = range();
            let start = range.start.min(text.len());
            let end = range.end.clamp(start, text.len());
            Place {
                span: Span::new((line.start + start) as u64, (end - start) as u64),
                position: Some(Position { line: line.number, column: column_at(line.text, start) }),
                pointer: Some(pointer.to_owned()),
            }
        })
    }

    /// The record's raw text, for checks that need what parsing hides (duplicate keys).
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Where the record's text starts in the file, for fixes that edit bytes of it.
    pub fn line_start(&self) -> u64 {
        self.line.start as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Profile;

    #[test]
    fn a_finding_is_pushed_when_its_builder_is_dropped_and_not_when_its_rule_is_off() {
        let line = Line { number: 4, start: 100, text: br#"{"a": 1}"# };
        let mut settings = Settings::new(Profile::Openai);
        let mut out = Vec::new();
        let mut ctx = RecordContext::new(&line, r#"{"a": 1}"#, &settings, Format::Sft, &mut out);
        ctx.report(Rule::InvalidWeight, "/a").message("m").label("l").help("h");
        let _ = ctx;
        assert_eq!(out.len(), 1);
        let d = &out[0];
        assert_eq!((d.span.offset, d.span.length), (106, 1));
        assert_eq!(d.position, Some(Position { line: 4, column: 7 }));
        assert_eq!(
            (d.message.as_str(), d.label.as_deref(), d.help.as_deref(), d.pointer.as_deref()),
            ("m", Some("l"), Some("h"), Some("/a"))
        );

        settings.set_level(Rule::InvalidWeight, None);
        let mut out = Vec::new();
        let mut ctx = RecordContext::new(&line, r#"{"a": 1}"#, &settings, Format::Sft, &mut out);
        let report = ctx.report(Rule::InvalidWeight, "/a");
        assert!(!report.is_on());
        drop(report.message("m"));
        assert!(out.is_empty());
    }

    #[test]
    fn the_severity_is_the_rules_under_the_profile() {
        let mut out = Vec::new();
        for profile in [Profile::Azure, Profile::Openai] {
            let settings = Settings::new(profile);
            let mut ctx = FileContext::new(&settings, 0, &mut out);
            ctx.report(Rule::TooManyImages, Span::default()).message("m");
        }
        let severities: Vec<_> = out.iter().map(|d| d.severity).collect();
        assert_eq!(severities, [Severity::Warning, Severity::Error]);
    }
}
