//! What kind of record a line holds, judged from its keys, and which format it is checked as.
//!
//! Auto-detection can tell chat (`messages`) from preference (`input` + outputs) records, but not
//! SFT from RFT: an RFT record is `messages` plus any keys its graders read, which is exactly what an
//! SFT record with a stray key looks like. RFT is therefore only ever chosen with `--format rft`.

use crate::json::Object;

use super::RecordContext;
use crate::rules::Rule;

/// The dataset formats of fine-tuning jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Supervised fine-tuning: `{"messages": [...], "tools"?, "parallel_tool_calls"?, "functions"?}`.
    Sft,
    /// Direct preference optimisation: `{"input": {...}, "preferred_output", "non_preferred_output"}`.
    Dpo,
    /// Reinforcement fine-tuning: `{"messages": [...], "tools"?, ...any keys graders read}`.
    Rft,
}

impl Format {
    pub const fn name(self) -> &'static str {
        match self {
            Format::Sft => "SFT",
            Format::Dpo => "DPO",
            Format::Rft => "RFT",
        }
    }
}

/// `--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatChoice {
    /// Decide from each record's keys: `messages` is SFT, `input` with outputs is DPO (never RFT)
    #[default]
    Auto,
    /// Supervised fine-tuning chat records
    Sft,
    /// Preference records for direct preference optimisation
    Dpo,
    /// Reinforcement fine-tuning records: `messages` plus any keys graders read
    Rft,
}

/// What a record's keys say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Has `messages`.
    Chat,
    /// Has `input` and a preferred or non-preferred output (or their older `_completion` names).
    Preference,
    /// Has `prompt` or `completion` and no `messages`: the legacy completions format.
    PromptCompletion,
    /// None of the above.
    Unknown,
}

impl Shape {
    pub fn of(record: &Object<'_>) -> Shape {
        let has = |key: &str| record.contains_key(key);
        if has("input")
            && [
                "preferred_output",
                "non_preferred_output",
                "preferred_completion",
                "non_preferred_completion",
            ]
            .iter()
            .any(|k| has(k))
        {
            Shape::Preference
        } else if has("messages") {
            Shape::Chat
        } else if has("prompt") || has("completion") {
            Shape::PromptCompletion
        } else {
            Shape::Unknown
        }
    }

    /// The format this shape implies under `--format auto`.
    pub const fn implied_format(self) -> Option<Format> {
        match self {
            Shape::Chat => Some(Format::Sft),
            Shape::Preference => Some(Format::Dpo),
            Shape::PromptCompletion | Shape::Unknown => None,
        }
    }
}

/// Why a record cannot be checked as any format.
pub enum ShapeProblem {
    PromptCompletion,
    Unknown,
    /// `--format` names one format and the record is plainly another.
    Mismatch {
        chosen: Format,
        found: Format,
    },
}

/// The format to check a record as, given `--format` and the record's shape.
pub fn resolve(choice: FormatChoice, shape: Shape) -> Result<Format, ShapeProblem> {
    let implied = match shape {
        Shape::PromptCompletion => return Err(ShapeProblem::PromptCompletion),
        Shape::Unknown => return Err(ShapeProblem::Unknown),
        Shape::Chat | Shape::Preference => shape.implied_format(),
    };
    let found = implied.unwrap_or(Format::Sft);
    match choice {
        FormatChoice::Auto => Ok(found),
        FormatChoice::Sft if found == Format::Sft => Ok(Format::Sft),
        FormatChoice::Rft if found == Format::Sft => Ok(Format::Rft),
        FormatChoice::Dpo if found == Format::Dpo => Ok(Format::Dpo),
        FormatChoice::Sft => Err(ShapeProblem::Mismatch { chosen: Format::Sft, found }),
        FormatChoice::Rft => Err(ShapeProblem::Mismatch { chosen: Format::Rft, found }),
        FormatChoice::Dpo => Err(ShapeProblem::Mismatch { chosen: Format::Dpo, found }),
    }
}

impl ShapeProblem {
    pub fn report(&self, ctx: &mut RecordContext<'_>, record: &Object<'_>) {
        let keys: Vec<&str> = record.keys().take(6).collect();
        match self {
            ShapeProblem::PromptCompletion => {
                crate::rules::record::legacy_prompt_completion::report(ctx);
            }
            ShapeProblem::Unknown => {
                crate::rules::record::unknown_record_shape::report(ctx, &keys);
            }
            ShapeProblem::Mismatch { chosen, found } => {
                let message = format!(
                    "record is in the {} format, but the file is checked as {} (`--format {}`)",
                    found.name(),
                    chosen.name(),
                    chosen.name().to_lowercase()
                );
                if let Some(d) = ctx.report(Rule::MixedFormats, "", message) {
                    d.help = Some(format!(
                        "a fine-tuning job takes one format per file; move {} records to their own file",
                        found.name()
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape(value: serde_json::Value) -> Shape {
        Shape::of(crate::json::Value::from_serde(&value, &bumpalo::Bump::new()).as_object().unwrap())
    }

    #[test]
    fn shapes_are_read_from_keys() {
        assert_eq!(shape(json!({"messages": []})), Shape::Chat);
        assert_eq!(shape(json!({"input": {}, "preferred_output": []})), Shape::Preference);
        assert_eq!(shape(json!({"input": {}, "non_preferred_completion": []})), Shape::Preference);
        assert_eq!(shape(json!({"prompt": "a", "completion": "b"})), Shape::PromptCompletion);
        assert_eq!(shape(json!({"text": "a"})), Shape::Unknown);
    }

    #[test]
    fn rft_is_only_chosen_by_flag() {
        assert_eq!(resolve(FormatChoice::Auto, Shape::Chat).ok(), Some(Format::Sft));
        assert_eq!(resolve(FormatChoice::Rft, Shape::Chat).ok(), Some(Format::Rft));
        assert!(matches!(resolve(FormatChoice::Rft, Shape::Preference), Err(ShapeProblem::Mismatch { .. })));
    }
}
