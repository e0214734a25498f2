//! The conversation walker: runs the per-message rules over each message of a `messages` array, then
//! the rules about the conversation as a whole. Not a rule itself; the rules it calls each live in
//! their own file.

use serde_json::{Map, Value};

use super::invalid_role::{self, Role};
use crate::record::RecordContext;

/// Which conversation is being walked; the allowed roles and what is required differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An SFT example: system, user, assistant, tool, function; `developer` is warned about.
    Sft,
    /// An RFT example: developer, user, assistant, tool; `system` is an error.
    Rft,
}

impl Kind {
    /// The roles this conversation allows, in the order messages list them.
    pub const fn allowed_roles(self) -> &'static [Role] {
        match self {
            Kind::Sft => &[Role::System, Role::User, Role::Assistant, Role::Tool, Role::Function],
            Kind::Rft => &[Role::Developer, Role::User, Role::Assistant, Role::Tool],
        }
    }
}

/// One message that has an object shape and a known role, as the conversation-level rules see it.
pub struct Message<'v> {
    pub index: usize,
    pub pointer: String,
    pub role: Role,
    pub object: &'v Map<String, Value>,
}

/// Walks `messages` (found at `pointer`), message by message, then as a whole.
pub fn check(ctx: &mut RecordContext<'_>, messages: &[Value], pointer: &str, kind: Kind) {
    let mut walked: Vec<Message<'_>> = Vec::with_capacity(messages.len());
    for (index, value) in messages.iter().enumerate() {
        let message_pointer = format!("{pointer}/{index}");
        let Some(object) = value.as_object() else {
            super::invalid_messages::report_not_an_object(ctx, value, &message_pointer, index);
            continue;
        };
        let Some(role) = invalid_role::check(ctx, object, &message_pointer, kind) else {
            continue;
        };
        walked.push(Message { index, pointer: message_pointer, role, object });
    }
    let _ = walked;
}
