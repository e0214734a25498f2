//! What kind of record a line holds, judged from its keys, and which format it is checked as.
//!
//! Auto-detection can tell chat (`messages`) from preference (`input` + outputs) records, but not
//! SFT from RFT: an RFT record is `messages` plus any keys its graders read, which is exactly what an
//! SFT record with a stray key looks like. RFT is therefore only ever chosen with `--format rft`.

use crate::model::json::Object;

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

/// The format to check a record as, given `--format` and the record's shape; `None` when the shape
/// fits no format, or plainly another format than the one `--format` names (the record checker
/// then runs the rules that say which).
pub fn resolve(choice: FormatChoice, shape: Shape) -> Option<Format> {
    let found = shape.implied_format()?;
    match (choice, found) {
        (FormatChoice::Auto, _) => Some(found),
        (FormatChoice::Sft, Format::Sft) => Some(Format::Sft),
        (FormatChoice::Rft, Format::Sft) => Some(Format::Rft),
        (FormatChoice::Dpo, Format::Dpo) => Some(Format::Dpo),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape(value: serde_json::Value) -> Shape {
        Shape::of(crate::model::json::Value::from_serde(&value, &bumpalo::Bump::new()).as_object().unwrap())
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
        assert_eq!(resolve(FormatChoice::Auto, Shape::Chat), Some(Format::Sft));
        assert_eq!(resolve(FormatChoice::Rft, Shape::Chat), Some(Format::Rft));
        assert_eq!(resolve(FormatChoice::Rft, Shape::Preference), None);
        assert_eq!(resolve(FormatChoice::Dpo, Shape::Chat), None);
        assert_eq!(resolve(FormatChoice::Auto, Shape::PromptCompletion), None);
    }
}
