//! FT232 `assistant-first-message`: an SFT conversation whose first message after the system and
//! developer messages is the assistant's.

use crate::context::RecordContext;
use crate::model::message::{Kind, Message};
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT232 assistant-first-message

## What it does
Reports an SFT conversation whose first message after its system (and developer) messages is from
the assistant, not the user.

## Why it matters
The service accepts such an example, and trains on every assistant message in it, the first one
included: the model learns to speak first, opening conversations with text nobody asked for. Real
conversations rarely start that way; in training data it is usually an export bug, such as a user
turn dropped by a filter, a greeting template kept as an assistant message, or roles swapped by a
ShareGPT conversion that read `gpt` where it should have read `human`.

## Example
```json
{"messages": [{"role": "system", "content": "You are a helpful assistant."}, {"role": "assistant", "content": "Hello! How can I help?"}, {"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4."}]}
```

## How to fix
Put the user turn the assistant answers before it, or drop the opening assistant message. If the
model really should open conversations, keep the message and give it `"weight": 0` so it is not
trained on, or turn the rule off with `--ignore assistant-first-message`.
"#;

pub const FIX: &str = "start the conversation with the user's message, or drop the opening assistant message";

/// Looks at the first message of an SFT conversation that is not a system or developer message.
pub fn check(ctx: &mut RecordContext<'_>, messages: &[Message<'_>], kind: Kind) {
    if kind != Kind::Sft {
        return;
    }
    let first = messages.iter().find(|m| !matches!(m.role, Role::System | Role::Developer));
    let Some(first) = first.filter(|m| m.role == Role::Assistant) else {
        return;
    };
    ctx.report(Rule::AssistantFirstMessage, &first.member("role"))
        .message(format!(
            "message {}, from the assistant, opens the conversation: no user message comes before it, so \
             the model learns to speak first",
            first.number()
        ))
        .label("assistant speaks first");
}
