//! Rules that look at one record, a parsed JSON object, as a fine-tuning example.
//!
//! [`check`] is the entry point for every record that has a known format. The SFT path checks the
//! top-level keys and hands `messages` to the conversation walker in [`conversation`], which runs the
//! per-message rules and then the rules about the conversation as a whole. DPO and RFT records reuse
//! the same walker with their own role sets.

pub mod conversation;
pub mod developer_role;
pub mod extra_top_level_key;
pub mod invalid_messages;
pub mod invalid_role;
pub mod legacy_prompt_completion;
pub mod mixed_formats;
pub mod unknown_record_shape;

use serde_json::{Map, Value};

use crate::record::{Format, RecordContext};
use conversation::Kind;

/// Keys an SFT record may have (RULES.md §2, FineTuneChatRequestInput).
pub const SFT_KEYS: &[&str] = &["messages", "tools", "parallel_tool_calls", "functions"];

/// Runs the rules of the record's format.
pub fn check(ctx: &mut RecordContext<'_>, record: &Map<String, Value>) {
    match ctx.format {
        Format::Sft => check_sft(ctx, record),
        Format::Dpo | Format::Rft => check_chat_like(ctx, record),
    }
    crate::rules::vision::check(ctx, record);
}

fn check_sft(ctx: &mut RecordContext<'_>, record: &Map<String, Value>) {
    extra_top_level_key::check(ctx, record, SFT_KEYS);
    if let Some(messages) = invalid_messages::check(ctx, record, "messages", "/messages") {
        conversation::check(ctx, messages, "/messages", Kind::Sft);
    }
}

/// DPO and RFT records until their own rules exist: their messages are walked like SFT ones.
fn check_chat_like(ctx: &mut RecordContext<'_>, record: &Map<String, Value>) {
    let kind = if ctx.format == Format::Rft { Kind::Rft } else { Kind::Sft };
    if let Some(messages) = invalid_messages::check(ctx, record, "messages", "/messages") {
        conversation::check(ctx, messages, "/messages", kind);
    }
}
