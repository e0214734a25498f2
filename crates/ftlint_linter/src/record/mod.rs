//! The record stage: one parsed JSON object, checked as a fine-tuning example.
//!
//! A line that parsed as an object arrives here as a [`crate::json::Object`]. Its *shape* is read from its
//! keys (chat `messages`, DPO `input` + outputs, legacy `prompt`/`completion`), its *format* is the
//! one `--format` names or, under `auto`, the one its shape implies, and the rules of that format
//! run over it. Rules see values, not text; when one reports, [`RecordContext`] finds the exact span
//! of the offending value from its JSON pointer, lazily, so the fast path never pays for positions.

pub mod shape;

use crate::json::{Object, Value};

use crate::diagnostic::{Diagnostic, Position, Span};
use crate::image::Detail;
use crate::lines::Line;
use crate::locate;
use crate::position::column_at;
use crate::rules::Rule;
use crate::settings::Settings;

pub use shape::{Format, FormatChoice, Shape};

/// What the dataset stage needs to know about a record once its line is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordFacts {
    /// The format the record was checked as; `None` when its shape fits none.
    pub format: Option<Format>,
    /// Image parts in the record.
    pub images: u32,
    /// The record's tokens and tallies (messages, images, tools); every token figure is 0 when
    /// counting is off. `None` when the record's shape fits no format.
    pub tokens: Option<crate::tokens::ExampleTokens>,
    /// One entry per image part, in order, for the token report. Empty (no allocation) for the
    /// text-only records that make up most datasets.
    pub image_sizes: Vec<ImageFact>,
    /// Image parts whose URL is `http(s)://`, which cannot be checked offline.
    pub remote_images: u32,
}

/// What one image part costs to train on: its size when its header could be read, and its detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageFact {
    /// Width and height in pixels; `None` for remote images and unreadable data.
    pub size: Option<(u32, u32)>,
    pub detail: Detail,
}

/// The view a record rule gets: the record's line and text, the settings, and a place to report.
pub struct RecordContext<'a> {
    line: &'a Line<'a>,
    text: &'a str,
    pub settings: &'a Settings,
    /// The format the record is being checked as.
    pub format: Format,
    diagnostics: &'a mut Vec<Diagnostic>,
    pub facts: RecordFacts,
    /// Whether the parser saw a key twice in some object of the record (see [`crate::json`]).
    pub repeated_keys: bool,
}

impl<'a> RecordContext<'a> {
    pub fn new(
        line: &'a Line<'a>,
        text: &'a str,
        settings: &'a Settings,
        format: Format,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        RecordContext {
            line,
            text,
            settings,
            format,
            diagnostics,
            facts: RecordFacts::default(),
            repeated_keys: false,
        }
    }

    /// The example number the service uses in its messages: the 1-based physical line.
    pub fn example_number(&self) -> u64 {
        self.line.number
    }

    pub fn enabled(&self, rule: Rule) -> bool {
        self.settings.enabled(rule)
    }

    /// Reports `rule` at the value `pointer` names, with its exact span. Returns the new finding so
    /// the caller can add a label or help; `None` when the rule is off.
    pub fn report(
        &mut self,
        rule: Rule,
        pointer: &str,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        if !self.enabled(rule) {
            return None;
        }
        // A pointer always names a value that parsed; if the scan cannot find it, the whole line is
        // a safe, if wider, span.
        let range = locate::locate(self.text, pointer).unwrap_or(0..self.text.len());
        self.report_at(rule, range, pointer, message)
    }

    /// Reports `rule` at an explicit byte range of the record's text, for findings that a pointer
    /// cannot place (the second of two equal keys: a pointer names the value the parser kept).
    /// `pointer` is still shown to the user. The range is clamped to the line.
    pub fn report_at(
        &mut self,
        rule: Rule,
        range: std::ops::Range<usize>,
        pointer: &str,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        if !self.enabled(rule) {
            return None;
        }
        let start = range.start.min(self.text.len());
        let end = range.end.clamp(start, self.text.len());
        self.diagnostics.push(Diagnostic {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            label: None,
            help: None,
            span: Span::new((self.line.start + start) as u64, (end - start) as u64),
            position: Some(Position { line: self.line.number, column: column_at(self.line.text, start) }),
            pointer: Some(pointer.to_owned()),
            fix: None,
        });
        self.diagnostics.last_mut()
    }

    /// The record's raw text, for checks that need what parsing hides (duplicate keys).
    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// Checks one record: decides its format, runs that format's rules, and returns its facts.
pub fn check(
    line: &Line<'_>,
    text: &str,
    record: &Object<'_>,
    repeated_keys: bool,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> RecordFacts {
    let shape = Shape::of(record);
    let format = match shape::resolve(settings.format, shape) {
        Ok(format) => format,
        Err(problem) => {
            let mut ctx = RecordContext::new(line, text, settings, Format::Sft, diagnostics);
            problem.report(&mut ctx, record);
            return RecordFacts::default();
        }
    };
    let mut ctx = RecordContext::new(line, text, settings, format, diagnostics);
    ctx.repeated_keys = repeated_keys;
    crate::rules::record::check(&mut ctx, record);
    ctx.facts.format = Some(format);
    let mut tokens = crate::tokens::count(record, format, settings.tokens.as_ref());
    if let Some(token_settings) = &settings.tokens {
        price_images_of_known_size(&mut tokens, &ctx.facts.image_sizes, token_settings.images);
        crate::rules::tokens::example_too_long::check(&mut ctx, &tokens, token_settings);
    }
    ctx.facts.tokens = Some(tokens);
    ctx.facts
}

/// Prices the images whose size the image rules read from their inline data (the token walk alone
/// only knows `low` detail under tiles): each one leaves the "unknown cost" count for `image_tokens`.
fn price_images_of_known_size(
    tokens: &mut crate::tokens::ExampleTokens,
    images: &[ImageFact],
    cost: crate::tokens::ImageCost,
) {
    for image in images {
        if cost.without_size(image.detail).is_some() || tokens.images_unknown_cost == 0 {
            continue; // already priced by the walk, or nothing left to price
        }
        if let Some(priced) =
            image.size.and_then(|(w, h)| crate::tokens::image_tokens(w, h, image.detail, cost))
        {
            tokens.image_tokens = tokens.image_tokens.saturating_add(priced);
            tokens.images_unknown_cost -= 1;
        }
    }
}

/// The JSON type of a value, as messages name it ("a string", "null").
pub fn type_name(value: &Value<'_>) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
