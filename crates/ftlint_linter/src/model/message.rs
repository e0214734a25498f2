//! A chat message as the rules see it once its shape and role are known, and the conversation
//! kinds that decide which roles are allowed.
//!
//! The conversation checker ([`crate::checkers::conversation`]) builds these while it walks a
//! `messages` array; the per-message and per-conversation rules read them.

use crate::model::json::{Object, Value};
use crate::model::role::Role;

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
    #[inline]
    pub const fn allowed_roles(self) -> &'static [Role] {
        match self {
            Kind::Sft | Kind::DpoInput | Kind::DpoOutput => {
                &[Role::System, Role::User, Role::Assistant, Role::Tool, Role::Function]
            }
            Kind::Rft => &[Role::Developer, Role::User, Role::Assistant, Role::Tool],
        }
    }
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
