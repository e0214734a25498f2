//! The conversation walker: runs the per-message rules over each message of a `messages` array, then
//! the rules about the conversation as a whole. Not a rule itself; the rules it calls each live in
//! their own file.
//!
//! Conversation-level rules (ordering, the last message, weights across messages) only run when every
//! message has an object shape and a usable role: with a message missing from the view, "two assistant
//! messages in a row" or "no assistant message" would be guesses, and the finding that matters has
//! already been reported.

use crate::json::{Object, Value};

use super::invalid_role::{self, Role};
use super::{
    all_weights_zero, consecutive_assistant_messages, input_last_message_not_user, invalid_content,
    invalid_tool_call, invalid_tool_message, invalid_weight, last_message_not_assistant,
    missing_assistant_message, rft_last_message_not_user, unknown_message_key, unknown_tool_call_id,
};
use crate::record::RecordContext;

/// Which conversation is being walked; the allowed roles and what is required differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An SFT example: system, user, assistant, tool, function; `developer` is warned about.
    Sft,
    /// An RFT example: developer, user, assistant, tool; `system` is an error.
    Rft,
    /// The `input.messages` of a DPO record: SFT roles, no assistant message needed, ends with user.
    DpoInput,
    /// A DPO `preferred_output` or `non_preferred_output`: what may be in it is checked by FT401.
    DpoOutput,
}

impl Kind {
    /// The roles this conversation allows, in the order messages list them.
    pub const fn allowed_roles(self) -> &'static [Role] {
        match self {
            Kind::Sft | Kind::DpoInput | Kind::DpoOutput => {
                &[Role::System, Role::User, Role::Assistant, Role::Tool, Role::Function]
            }
            Kind::Rft => &[Role::Developer, Role::User, Role::Assistant, Role::Tool],
        }
    }
}

/// "a user message", "an assistant message": the role with its article, for messages.
pub fn a_message(role: Role) -> String {
    let article = if role == Role::Assistant { "an" } else { "a" };
    format!("{article} {} message", role.as_str())
}

/// One message that has an object shape and a known role, as the rules see it.
pub struct Message<'v> {
    /// 0-based position in its array.
    pub index: usize,
    /// JSON pointer of the message object, e.g. `/messages/2`.
    pub pointer: String,
    pub role: Role,
    pub object: &'v Object<'v>,
}

impl Message<'_> {
    /// The pointer of one of the message's members, e.g. `/messages/2/content`.
    pub fn member(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, crate::locate::escape_token(key))
    }

    /// "message 3": the service counts messages from 1.
    pub fn number(&self) -> usize {
        self.index + 1
    }

    /// Whether the message calls tools or a function, so that its `content` may be null or absent.
    /// A malformed `tool_calls` counts as present: FT224 reports it, and a second finding about the
    /// content it excuses would only repeat the problem.
    pub fn has_calls(&self) -> bool {
        let calls = match self.object.get("tool_calls") {
            Some(Value::Array(items)) => !items.is_empty(),
            Some(Value::Null) | None => false,
            Some(_) => true,
        };
        calls || self.object.get("function_call").is_some_and(|v| !v.is_null())
    }

    /// The message's `weight` when it is exactly the integer 0.
    pub fn weight_is_zero(&self) -> bool {
        self.object.get("weight").and_then(Value::as_u64) == Some(0)
    }
}

/// The messages of one conversation that the rules could read, and whether that is all of them.
pub struct Walked<'v> {
    pub messages: Vec<Message<'v>>,
    /// Every message was an object with a usable role.
    pub complete: bool,
}

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
        let Some(object) = value.as_object() else {
            super::invalid_messages::report_not_an_object(ctx, value, &message_pointer, index);
            complete = false;
            continue;
        };
        let Some(role) = invalid_role::check(ctx, object, &message_pointer, kind) else {
            complete = false;
            continue;
        };
        let message = Message { index, pointer: message_pointer, role, object };
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
    invalid_content::check(ctx, message);
    invalid_tool_message::check(ctx, message);
    invalid_weight::check(ctx, message);
    invalid_tool_call::check(ctx, message);
    unknown_message_key::check(ctx, message);
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
