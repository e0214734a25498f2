//! The line checker: one physical line, on any worker thread. Blank, UTF-8, JSON syntax, object;
//! a line that is an object is handed to the record checker.

use crate::checkers::record;
use crate::context::LineContext;
use crate::dataset::{record_hash, RecordSite, RecordSummary};
use crate::diagnostic::Diagnostic;
use crate::lines::Line;
use crate::model::facts::RecordFacts;
use crate::model::json::with_arena;
use crate::model::shape::Format;
use crate::rules::line::{blank_line, crlf_line_ending, invalid_json, invalid_utf8, not_an_object};
use crate::settings::Settings;

/// What one line turned out to be.
#[derive(Default)]
pub struct LineOutcome {
    pub blank: bool,
    pub example: bool,
    pub facts: RecordFacts,
    /// For the dataset stage; `None` unless the line is an example.
    pub summary: Option<RecordSummary>,
    /// An RFT record's top-level keys other than `messages` and `tools`: what its graders read.
    pub grader_keys: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks one line. `bytes` is the whole file (a line's ending lies outside its text); `hashes`:
/// whether the dataset stage needs the record's hash.
pub fn check(line: &Line<'_>, bytes: &[u8], settings: &Settings, hashes: bool) -> LineOutcome {
    let mut outcome = LineOutcome::default();
    let mut ctx = LineContext::new(line, settings, &mut outcome.diagnostics);
    // The line ending is the line's last byte, so its finding comes after the others on the line.
    // On a line that is not UTF-8 it waits until the line is: a position is only ever reported
    // with valid UTF-8 before it on its line.
    if blank_line::check(&mut ctx, crate::lines::raw_end(bytes, line)) {
        outcome.blank = true;
        crlf_line_ending::check(&mut ctx, bytes);
        return outcome;
    }
    let Some(text) = invalid_utf8::check(&mut ctx) else {
        return outcome;
    };
    // The parsed tree lives in this thread's arena, emptied when the line is done.
    with_arena(|arena| check_record(line, text, arena, settings, hashes, &mut outcome));
    crlf_line_ending::check(&mut LineContext::new(line, settings, &mut outcome.diagnostics), bytes);
    outcome
}

/// The rest of [`check`] once the line is valid UTF-8: parse, object, record rules.
fn check_record(
    line: &Line<'_>,
    text: &str,
    arena: &bumpalo::Bump,
    settings: &Settings,
    hashes: bool,
    outcome: &mut LineOutcome,
) {
    let mut ctx = LineContext::new(line, settings, &mut outcome.diagnostics);
    let Some(document) = invalid_json::check(&mut ctx, text, arena) else {
        return;
    };
    let value = &document.value;
    if !not_an_object::check(&mut ctx, text, value) {
        return;
    }
    outcome.example = true;
    outcome.summary =
        Some(RecordSummary { hash: hashes.then(|| record_hash(value)), site: RecordSite::of(line) });
    if let Some(object) = value.as_object() {
        outcome.facts =
            record::check(line, text, object, document.repeated_keys, settings, &mut outcome.diagnostics);
        if outcome.facts.format == Some(Format::Rft) {
            outcome.grader_keys = object
                .keys()
                .filter(|key| *key != "messages" && *key != "tools")
                .map(str::to_owned)
                .collect();
        }
    }
}
