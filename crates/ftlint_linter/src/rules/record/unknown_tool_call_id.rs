//! FT226 `unknown-tool-call-id`: a tool message that answers no earlier tool call.

use crate::model::json::Value;

use crate::context::RecordContext;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT226 unknown-tool-call-id

## What it does
Reports a `tool` message whose `tool_call_id` is not the `id` of any tool call made by an earlier
assistant message of the same conversation.

## Why it matters
A tool result answers one call; the id ties the two together. A result that answers nothing is
usually an id typo or a conversation cut at the wrong place, and the model learns from a
conversation that could not have happened. No documented rule makes the service reject it, so this
is a warning.

## Example
```json
{"messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "call_1", ...}]}, {"role": "tool", "tool_call_id": "call_2", "content": "21 °C"}, {"role": "assistant", "content": "21 °C."}]}
```

## How to fix
Set `tool_call_id` to the `id` of the call the message answers.
"#;

pub const FIX: &str = "set `tool_call_id` to the `id` of the assistant's tool call it answers";

pub fn check(ctx: &mut RecordContext<'_>, messages: &[Message<'_>]) {
    if !ctx.enabled(Rule::UnknownToolCallId) {
        return;
    }
    let mut ids: Vec<&str> = Vec::new();
    for message in messages {
        match message.role {
            Role::Assistant => {
                if let Some(Value::Array(calls)) = message.object.get("tool_calls") {
                    ids.extend(calls.iter().filter_map(|call| call.get("id")?.as_str()));
                }
            }
            Role::Tool => {
                // A missing or malformed id is FT215's finding.
                let Some(id) = message.object.get("tool_call_id").and_then(Value::as_str) else {
                    continue;
                };
                if id.is_empty() || ids.contains(&id) {
                    continue;
                }
                let known = if ids.is_empty() {
                    "no earlier assistant message made a tool call".to_owned()
                } else {
                    format!(
                        "earlier calls are {}",
                        ids.iter().take(5).map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
                    )
                };
                ctx.report(Rule::UnknownToolCallId, &message.member("tool_call_id")).message(format!(
                    "message {}: `tool_call_id` `{id}` answers no earlier tool call; {known}",
                    message.number()
                ));
            }
            _ => {}
        }
    }
}
