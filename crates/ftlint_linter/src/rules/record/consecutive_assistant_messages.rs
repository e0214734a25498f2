//! FT223 `consecutive-assistant-messages`: two assistant messages next to each other.

use crate::context::RecordContext;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT223 consecutive-assistant-messages

## What it does
Reports an assistant message that directly follows another assistant message.

## Why it matters
No documented rule forbids it, but Azure OpenAI has been seen to fail such files during
preprocessing with `contains invalid schema`: the case reported was an assistant message with
`tool_calls` followed by an assistant text message, with no tool message between them. Microsoft's
own tooling repairs "consecutive assistant tool_calls". This is a warning.

## Example
```json
{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [...]}, {"role": "assistant", "content": "It is sunny."}]}
```

## How to fix
Put the tool results (`role: tool`) between a tool-calling assistant message and the answer, or merge
the two assistant messages into one.
"#;

pub const FIX: &str = "merge the two assistant messages, or put the tool results between them";

pub fn check(ctx: &mut RecordContext<'_>, messages: &[Message<'_>]) {
    for pair in messages.windows(2) {
        let [first, second] = pair else { continue };
        if first.role != Role::Assistant || second.role != Role::Assistant {
            continue;
        }
        ctx.report(Rule::ConsecutiveAssistantMessages, &second.member("role")).message(format!(
            "message {}: two assistant messages in a row (messages {} and {}); \
             Azure has failed such files with `contains invalid schema`",
            second.number(),
            first.number(),
            second.number()
        ));
    }
}
