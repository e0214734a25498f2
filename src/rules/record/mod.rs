//! Rules that look at one record, a parsed JSON object, as a fine-tuning example.
//!
//! [`check`] is the entry point for every record that has a known format. Whatever the format, the
//! raw text is scanned for repeated keys first (FT230), since parsing has already hidden them. The
//! SFT path checks the top-level keys and the tool definitions and hands `messages` to the
//! conversation walker in [`conversation`], which runs the per-message rules and then the rules about
//! the conversation as a whole. DPO records walk `input.messages` the same way and then check their
//! two outputs; RFT records walk `messages` with RFT's roles and allow any other key.

pub mod all_weights_zero;
pub mod consecutive_assistant_messages;
pub mod conversation;
pub mod developer_role;
pub mod duplicate_key;
pub mod empty_content;
pub mod extra_top_level_key;
pub mod identical_preference_outputs;
pub mod image_outside_user_message;
pub mod input_last_message_not_user;
pub mod invalid_content;
pub mod invalid_content_part;
pub mod invalid_messages;
pub mod invalid_preference_output;
pub mod invalid_role;
pub mod invalid_tool_arguments;
pub mod invalid_tool_call;
pub mod invalid_tool_definition;
pub mod invalid_tool_message;
pub mod invalid_weight;
pub mod last_message_not_assistant;
pub mod legacy_function_calling;
pub mod legacy_preference_keys;
pub mod legacy_prompt_completion;
pub mod missing_assistant_message;
pub mod mixed_formats;
pub mod rft_last_message_not_user;
pub mod unknown_record_shape;
pub mod unknown_tool_call_id;
pub mod unsupported_content_part;

use serde_json::{Map, Value};

use crate::record::{type_name, Format, RecordContext};
use crate::rules::Rule;
use conversation::Kind;

/// Keys an SFT record may have (RULES.md §2, FineTuneChatRequestInput).
pub const SFT_KEYS: &[&str] = &["messages", "tools", "parallel_tool_calls", "functions"];

/// Keys a DPO record may have (RULES.md §4). The older output names are FT402's to report.
pub const DPO_KEYS: &[&str] = &[
    "input",
    "preferred_output",
    "non_preferred_output",
    "preferred_completion",
    "non_preferred_completion",
];

/// Keys a DPO `input` may have (FineTunePreferenceRequestInput).
pub const DPO_INPUT_KEYS: &[&str] = &["messages", "tools", "parallel_tool_calls"];

/// Runs the rules of the record's format.
pub fn check(ctx: &mut RecordContext<'_>, record: &Map<String, Value>) {
    duplicate_key::check(ctx);
    match ctx.format {
        Format::Sft => check_sft(ctx, record),
        Format::Dpo => check_dpo(ctx, record),
        Format::Rft => check_rft(ctx, record),
    }
}

fn check_sft(ctx: &mut RecordContext<'_>, record: &Map<String, Value>) {
    extra_top_level_key::check(ctx, record, SFT_KEYS);
    invalid_tool_definition::check(ctx, record, "", &["tools", "functions"]);
    if let Some(messages) = invalid_messages::check(ctx, record, "messages", "/messages") {
        let walked = conversation::check(ctx, messages, "/messages", Kind::Sft);
        legacy_function_calling::check(ctx, record, "", &walked.messages);
    }
}

fn check_dpo(ctx: &mut RecordContext<'_>, record: &Map<String, Value>) {
    extra_top_level_key::check(ctx, record, DPO_KEYS);
    legacy_preference_keys::check(ctx, record);
    match record.get("input") {
        Some(Value::Object(input)) => {
            extra_top_level_key::check_at(ctx, input, "/input", DPO_INPUT_KEYS);
            invalid_tool_definition::check(ctx, input, "/input", &["tools"]);
            if let Some(messages) = invalid_messages::check(ctx, input, "messages", "/input/messages") {
                let walked = conversation::check(ctx, messages, "/input/messages", Kind::DpoInput);
                legacy_function_calling::check(ctx, input, "/input", &walked.messages);
            }
        }
        Some(other) => {
            let example = ctx.example_number();
            ctx.report(
                Rule::InvalidMessages,
                "/input",
                format!(
                    "Example {example}: `input` is {}, but must be an object holding `messages`",
                    type_name(other)
                ),
            );
        }
        // The record was only taken as DPO because it has `input`.
        None => {}
    }
    for (old, new) in legacy_preference_keys::RENAMES {
        invalid_preference_output::check(ctx, record, new, old);
    }
    identical_preference_outputs::check(ctx, record);
}

/// RFT records: `messages` and `tools` are reserved, every other key is for the graders.
fn check_rft(ctx: &mut RecordContext<'_>, record: &Map<String, Value>) {
    invalid_tool_definition::check(ctx, record, "", &["tools"]);
    if let Some(messages) = invalid_messages::check(ctx, record, "messages", "/messages") {
        conversation::check(ctx, messages, "/messages", Kind::Rft);
    }
}
