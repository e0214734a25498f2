//! FT221 `missing-assistant-message`: an SFT example with no assistant message.

use crate::context::RecordContext;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT221 missing-assistant-message

## What it does
Reports an SFT example whose `messages` hold no message with `"role": "assistant"`.

## Why it matters
Fine-tuning trains on assistant messages only: they are the answers the model learns to give. An
example without one has nothing to train on. OpenAI's data-preparation cookbook counts these as
`example_missing_assistant_message` errors, and Microsoft's sample validator rejects them.

## Example
```json
{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}
```

## How to fix
Add the assistant's answer as the last message, or drop the example. (For RFT, where the model writes
the answer during training, check the file with `--format rft`.)
"#;

pub const FIX: &str = "add the assistant's answer as the last message, or drop the example";

/// Returns whether the conversation has an assistant message, reporting when it has none.
pub fn check(ctx: &mut RecordContext<'_>, messages: &[Message<'_>], pointer: &str) -> bool {
    if messages.iter().any(|m| m.role == Role::Assistant) {
        return true;
    }
    ctx.report(Rule::MissingAssistantMessage, pointer)
        .message("example is missing an assistant message; fine-tuning trains on assistant messages only")
        .label("no assistant message here");
    false
}
