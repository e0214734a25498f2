//! The conversation checker: runs the per-message rules over each message of a `messages` array,
//! then the rules about the conversation as a whole.
//!
//! Conversation-level rules (ordering, the last message, weights across messages) only run when every
//! message has an object shape and a usable role: with a message missing from the view, "two assistant
//! messages in a row" or "no assistant message" would be guesses, and the finding that matters has
//! already been reported.

use crate::context::RecordContext;
use crate::model::json::Value;
use crate::model::message::{Kind, Message, Walked};
use crate::model::role::Role;
use crate::rules::record::{
    all_weights_zero, assistant_first_message, consecutive_assistant_messages, developer_role,
    double_encoded_tool_arguments, empty_content, image_outside_user_message, input_last_message_not_user,
    invalid_content, invalid_content_part, invalid_messages, invalid_role, invalid_tool_arguments,
    invalid_tool_call, invalid_tool_message, invalid_weight, last_message_not_assistant,
    missing_assistant_message, rft_last_message_not_user, unanswered_tool_call, unknown_message_key,
    unknown_tool_call_id, unsupported_content_part,
};

/// Walks `messages` (found at `pointer`), message by message, then as a whole.
pub fn check<'v>(
    ctx: &mut RecordContext<'_>,
    messages: &'v [Value<'v>],
    pointer: &str,
    kind: Kind,
) -> Walked<'v> {
    let mut walked: Vec<Message<'v>> = Vec::with_capacity(messages.len());
    let mut complete = true;
    for (index, value) in messages.iter().enumerate() {
        let message_pointer = item_pointer(pointer, index);
        let Some(object) = invalid_messages::check_message(ctx, value, &message_pointer, index) else {
            complete = false;
            continue;
        };
        let Some(role) = invalid_role::check(ctx, object, &message_pointer, kind) else {
            complete = false;
            continue;
        };
        let message = Message { index, pointer: message_pointer, role, object };
        developer_role::check(ctx, &message, kind);
        check_message(ctx, &message);
        walked.push(message);
    }
    if complete {
        check_conversation(ctx, &walked, pointer, kind);
    }
    Walked { messages: walked, complete }
}

/// `{array}/{index}`. Built for every message of every record, so without the formatting machinery,
/// which made up several per cent of a check without token counts.
fn item_pointer(array: &str, index: usize) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(index);
    let mut pointer = String::with_capacity(array.len() + 1 + digits.len());
    pointer.push_str(array);
    pointer.push('/');
    pointer.push_str(digits);
    pointer
}

/// The rules about one message on its own.
fn check_message(ctx: &mut RecordContext<'_>, message: &Message<'_>) {
    let content = message.object.get("content");
    invalid_content::check(ctx, message, content);
    match content {
        Some(Value::String(text)) => empty_content::check(ctx, message, text),
        // A function message's content is a string or null: FT214 has reported an array.
        Some(Value::Array(parts)) if message.role != Role::Function => check_parts(ctx, message, parts),
        _ => {}
    }
    invalid_tool_message::check(ctx, message);
    invalid_weight::check(ctx, message);
    check_calls(ctx, message);
    unknown_message_key::check(ctx, message);
    // (new message rules go above this line)
}

/// The rules about each part of a `content` array. What an image part holds (its `image_url`
/// object, URL and data) is for the vision checker.
fn check_parts(ctx: &mut RecordContext<'_>, message: &Message<'_>, parts: &[Value<'_>]) {
    for (index, part) in parts.iter().enumerate() {
        if invalid_content_part::is_well_formed(message.role, part) {
            continue;
        }
        let part_pointer = format!("{}/{index}", message.member("content"));
        invalid_content_part::check(ctx, message, index, part, &part_pointer);
        image_outside_user_message::check(ctx, message, index, part, &part_pointer);
        unsupported_content_part::check(ctx, message, index, part, &part_pointer);
    }
}

/// The rules about the calls a message makes, call by call.
fn check_calls(ctx: &mut RecordContext<'_>, message: &Message<'_>) {
    for key in invalid_tool_call::KEYS {
        match invalid_tool_call::check(ctx, message, key) {
            invalid_tool_call::Calls::None => {}
            invalid_tool_call::Calls::Tool(calls) => {
                for (index, call) in calls.iter().enumerate() {
                    if let Some(function) = invalid_tool_call::check_tool_call(ctx, message, call, index) {
                        invalid_tool_arguments::check(ctx, message, function, Some(index));
                        double_encoded_tool_arguments::check(ctx, message, function, Some(index));
                    }
                }
            }
            invalid_tool_call::Calls::Function(function) => {
                invalid_tool_call::check_function_call(ctx, message, function);
                invalid_tool_arguments::check(ctx, message, function, None);
                double_encoded_tool_arguments::check(ctx, message, function, None);
            }
        }
    }
}

/// The rules about the order and the mix of the messages.
fn check_conversation(ctx: &mut RecordContext<'_>, messages: &[Message<'_>], pointer: &str, kind: Kind) {
    match kind {
        Kind::Sft => {
            if missing_assistant_message::check(ctx, messages, pointer) {
                last_message_not_assistant::check(ctx, messages);
                all_weights_zero::check(ctx, messages);
            }
        }
        Kind::DpoInput => input_last_message_not_user::check(ctx, messages),
        Kind::Rft => rft_last_message_not_user::check(ctx, messages),
        // An output holds one assistant message by rule (FT401); its order says nothing more.
        Kind::DpoOutput => return,
    }
    consecutive_assistant_messages::check(ctx, messages);
    unknown_tool_call_id::check(ctx, messages);
    assistant_first_message::check(ctx, messages, kind);
    unanswered_tool_call::check(ctx, messages, kind);
    // (new conversation rules go above this line)
}

#[cfg(test)]
mod tests {
    use super::item_pointer;

    #[test]
    fn item_pointers_are_the_array_and_the_index() {
        for index in [0, 7, 10, 99, 12_345, usize::MAX] {
            assert_eq!(item_pointer("/input/messages", index), format!("/input/messages/{index}"));
        }
    }
}
