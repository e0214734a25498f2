//! Diagnostics: what every stage of the pipeline produces and every reporter consumes.
//!
//! A [`Diagnostic`] is one finding: the rule that fired, its severity after configuration, a message for
//! humans, and where it is: a byte span into the file, a 1-based line and column when the finding sits
//! on a line, and an RFC 6901 JSON pointer when it sits on a value inside a record.

use std::fmt;

use serde::Serialize;

use crate::rules::Rule;

/// How serious a finding is. Only [`Severity::Error`] makes `ftlint check` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A byte range into the file as it is on disk (the BOM included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub offset: u64,
    pub length: u64,
}

impl Span {
    pub const fn new(offset: u64, length: u64) -> Self {
        Span { offset, length }
    }

    pub const fn end(self) -> u64 {
        self.offset + self.length
    }
}

/// Where a span starts, as a person counts: 1-based line, 1-based column in characters.
/// A UTF-8 byte-order mark is not a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    /// A complete sentence: what is wrong, and where it matters why.
    pub message: String,
    /// A short phrase shown under the span in the graphical output.
    pub label: Option<String>,
    /// How to fix it. Falls back to the rule's own fix text when `None`.
    pub help: Option<String>,
    pub span: Span,
    /// `None` for findings about the whole file (size, encoding, no examples).
    pub position: Option<Position>,
    /// RFC 6901 pointer to the offending value inside the record, when there is one.
    pub pointer: Option<String>,
    /// The edits that would remove this finding, when the rule knows them.
    pub fix: Option<Fix>,
}

/// Whether a fix only changes bytes (safe) or also what a record means (unsafe).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The data the service reads stays the same: a byte-order mark, a blank line, a line ending.
    /// `ftlint fix` applies these.
    Safe,
    /// The fix changes a record (a key dropped, a value rewritten). `ftlint fix --unsafe-fixes`
    /// applies these; review the result.
    Unsafe,
}

/// One replacement of bytes in the file: `length` bytes at `offset` become `content`. An insertion
/// has length 0; a deletion has empty content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub offset: u64,
    pub length: u64,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Self {
        Edit { offset: span.offset, length: span.length, content: content.into() }
    }

    pub fn delete(span: Span) -> Self {
        Edit::replace(span, "")
    }

    pub fn insert(offset: u64, content: impl Into<String>) -> Self {
        Edit { offset, length: 0, content: content.into() }
    }

    pub const fn end(&self) -> u64 {
        self.offset + self.length
    }
}

/// What a finding's fix does: a short description and the edits, which never overlap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, as an imperative phrase: "Remove the blank line".
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix { applicability: Applicability::Safe, message: message.into(), edits }
    }

    pub fn unsafe_edit(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix { applicability: Applicability::Unsafe, message: message.into(), edits }
    }
}

impl Diagnostic {
    /// The fix text to show: the diagnostic's own, or the rule's.
    pub fn help_text(&self) -> &str {
        self.help.as_deref().unwrap_or_else(|| self.rule.fix())
    }

    /// Whether the bytes under the span are a secret that no report may print, not even in a
    /// source snippet (see [`Rule::span_is_secret`]).
    pub const fn span_is_secret(&self) -> bool {
        self.rule.span_is_secret()
    }
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: u64,
    pub warnings: u64,
    pub infos: u64,
}

impl Tally {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub fn merge(&mut self, other: Tally) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    pub const fn total(self) -> u64 {
        self.errors + self.warnings + self.infos
    }
}
