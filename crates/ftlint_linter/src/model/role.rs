//! The roles a chat message can have, as every chat format spells them.
//!
//! Which roles a conversation allows depends on where it sits (SFT, RFT, a DPO input or output);
//! that is [`crate::model::message::Kind`]'s to say. This module only names them.

/// The roles any chat format knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    System,
    Developer,
    User,
    Assistant,
    Tool,
    Function,
}

// Both run for every message of every record; `#[inline]` lets them inline into the rules of other
// modules even when those are compiled apart.
impl Role {
    #[inline]
    pub fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "system" => Role::System,
            "developer" => Role::Developer,
            "user" => Role::User,
            "assistant" => Role::Assistant,
            "tool" => Role::Tool,
            "function" => Role::Function,
            _ => return None,
        })
    }

    #[inline]
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::Developer => "developer",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
            Role::Function => "function",
        }
    }

    /// "a user message", "an assistant message": the role with its article, for messages.
    pub fn a_message(self) -> String {
        let article = if self == Role::Assistant { "an" } else { "a" };
        format!("{article} {} message", self.as_str())
    }
}
