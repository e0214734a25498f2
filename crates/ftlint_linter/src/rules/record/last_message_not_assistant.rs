//! FT222 `last-message-not-assistant`: an SFT example that does not end with an assistant message.

use crate::context::RecordContext;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT222 last-message-not-assistant

## What it does
Reports an SFT example (with at least one assistant message) whose last message is not from the
assistant.

## Why it matters
Only assistant messages are trained. Whatever follows the last one (a user question, a tool result)
is never learned from and is usually a truncated conversation. No documented rule requires the last
message to be from the assistant, so this is a warning; every sample file of the services ends with
one.

## Example
```json
{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "Thanks"}]}
```

## How to fix
Drop the trailing messages, or add the assistant's answer to them.
"#;

pub const FIX: &str = "end the example with the assistant's answer, or drop the messages after it";

pub fn check(ctx: &mut RecordContext<'_>, messages: &[Message<'_>]) {
    let Some(last) = messages.last() else {
        return;
    };
    if last.role == Role::Assistant {
        return;
    }
    ctx.report(Rule::LastMessageNotAssistant, &last.member("role")).message(format!(
        "example ends with {}; what follows the last assistant message is never trained",
        last.role.a_message()
    ));
}
