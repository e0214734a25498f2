//! FT403 `input-last-message-not-user`: a DPO `input.messages` that does not end with a user message.

use crate::context::RecordContext;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT403 input-last-message-not-user

## What it does
Reports a DPO record whose `input.messages` ends with a message that is not from the user.

## Why it matters
The preferred and non-preferred outputs are two answers to the input; the input should end with the
turn they answer. An input that ends with an assistant message usually holds the answer that belongs
in the outputs. Neither service documents this as a rule (every sample file ends its input with a
user message), so it is a warning.

## Example
```json
{"input": {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}, "preferred_output": [...], "non_preferred_output": [...]}
```

## How to fix
End `input.messages` with the user turn; move the assistant's answer into the outputs.
"#;

pub const FIX: &str = "end `input.messages` with the user turn the outputs answer";

pub fn check(ctx: &mut RecordContext<'_>, messages: &[Message<'_>]) {
    let Some(last) = messages.last() else {
        return;
    };
    if last.role == Role::User {
        return;
    }
    ctx.report(Rule::InputLastMessageNotUser, &last.member("role")).message(format!(
        "`input.messages` ends with {}; the outputs should answer a user message",
        last.role.a_message()
    ));
}
