//! Rules that look at one physical line: is it blank, how does it end, is it UTF-8, is it JSON, is it
//! an object.
//!
//! These run in parallel, one line per task, and each returns its finding with an exact span inside
//! the line; [`at`] turns a span within the line into file offsets and a line and column.

pub mod blank_line;
pub mod crlf_line_ending;
pub mod invalid_json;
pub mod invalid_utf8;
pub mod not_an_object;

use crate::diagnostic::{Diagnostic, Position, Span};
use crate::lines::Line;
use crate::position::column_at;
use crate::rules::Rule;

/// A finding of `rule` at bytes `offset..offset + length` of `line`, at the rule's default severity.
pub fn at(rule: Rule, line: &Line<'_>, offset: usize, length: usize, message: String) -> Diagnostic {
    let offset = offset.min(line.text.len());
    let length = length.min(line.text.len() - offset);
    Diagnostic {
        rule,
        severity: rule.default_severity(),
        message,
        label: None,
        help: None,
        span: Span::new((line.start + offset) as u64, length as u64),
        position: Some(Position { line: line.number, column: column_at(line.text, offset) }),
        pointer: None,
        fix: None,
    }
}
