//! FT233 `unanswered-tool-call`: an assistant tool call that no `tool` message answers before the
//! conversation goes on to the next assistant turn.

use crate::context::RecordContext;
use crate::model::json::Value;
use crate::model::message::{Kind, Message};
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT233 unanswered-tool-call

## What it does
For each assistant message with `tool_calls`, looks at the messages after it up to the next
assistant message, and reports each call whose `id` no `tool` message there answers
(`tool_call_id`). A call in the last message of the conversation is left alone: there the call is
the answer the example trains, and nothing is expected after it. A turn with a `tool` message
whose id is missing (FT215) or answers no call (FT226) is left to those rules.

## Why it matters
In the chat format every tool call gets one `tool` message with its result before the assistant
speaks again; with parallel calls, one per call (docs/service-rules.md §2, §9). A conversation
that goes on without the result of a call could not have happened: the model learns to answer as
if it had a result it never got, or to ignore calls it made. Mistral's fine-tuning data validator
rejects such conversations; OpenAI and Azure document no check, so this is a warning.

## Example
```json
{"messages": [{"role": "user", "content": "Weather in Paris and Rome?"},
  {"role": "assistant", "tool_calls": [{"id": "call_1", ...}, {"id": "call_2", ...}]},
  {"role": "tool", "tool_call_id": "call_1", "content": "21 °C"},
  {"role": "assistant", "content": "Paris: 21 °C. Rome: 25 °C."}]}
```

## How to fix
Add the missing `tool` message (with `tool_call_id` set to the call's `id`) before the next
assistant message, or remove the call that was never answered.
"#;

pub const FIX: &str = "add a `tool` message answering the call, or remove the call";

/// Checks every assistant message with tool calls against the `tool` messages that follow it.
/// DPO outputs are not walked here: their shape is FT401's.
pub fn check(ctx: &mut RecordContext<'_>, messages: &[Message<'_>], kind: Kind) {
    if kind == Kind::DpoOutput || !ctx.enabled(Rule::UnansweredToolCall) {
        return;
    }
    for (position, message) in messages.iter().enumerate() {
        if message.role != Role::Assistant {
            continue;
        }
        let Some(Value::Array(calls)) = message.object.get("tool_calls") else {
            continue;
        };
        // The call is the example's last word: nothing is expected after it.
        let rest = &messages[position + 1..];
        if calls.is_empty() || rest.is_empty() {
            continue;
        }
        let turn_end = rest.iter().position(|m| m.role == Role::Assistant);
        let answers: Vec<Option<&str>> = rest[..turn_end.unwrap_or(rest.len())]
            .iter()
            .filter(|m| m.role == Role::Tool)
            .map(|m| m.object.get("tool_call_id").and_then(Value::as_str).filter(|id| !id.is_empty()))
            .collect();
        let ids: Vec<&str> = calls.iter().filter_map(|call| call.get("id")?.as_str()).collect();
        // A result without a usable id (FT215) or with an id no call has (FT226, usually a typo for
        // the unanswered one) is already reported; a second finding would repeat it.
        if answers.iter().any(|answer| answer.is_none_or(|id| !ids.contains(&id))) {
            continue;
        }
        let answered = |id: &str| answers.contains(&Some(id));
        for (index, call) in calls.iter().enumerate() {
            // A missing or malformed id is FT224's finding.
            let Some(id) = call.get("id").and_then(Value::as_str).filter(|id| !id.is_empty()) else {
                continue;
            };
            if answered(id) {
                continue;
            }
            let until = match turn_end {
                Some(offset) => {
                    format!("before the next assistant message (message {})", rest[offset].number())
                }
                None => "in the rest of the conversation".to_owned(),
            };
            ctx.report(Rule::UnansweredToolCall, &format!("{}/tool_calls/{index}/id", message.pointer))
                .message(format!(
                    "message {}, tool call {}: no `tool` message answers call `{id}` {until}; the conversation goes on as if its result had come",
                    message.number(),
                    index + 1
                ))
                .label("unanswered call")
                .help(format!("add {{\"role\": \"tool\", \"tool_call_id\": \"{id}\", \"content\": …}} after message {}", message.number()));
        }
    }
}
