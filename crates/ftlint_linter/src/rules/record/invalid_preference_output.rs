//! FT401 `invalid-preference-output`: a DPO `preferred_output` or `non_preferred_output` that is
//! missing, not a non-empty array, or not exactly one assistant message (plus tool messages on Azure).

use crate::context::RecordContext;
use crate::model::json::{type_name, Object, Value};
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;
use crate::settings::Profile;

pub const DOCS: &str = r#"# FT401 invalid-preference-output

## What it does
Checks `preferred_output` and `non_preferred_output` of a DPO record: each must be a non-empty array
of messages. Under `--profile openai` it holds exactly one assistant message and nothing else. Under
`--profile azure` (the default) it holds at least one assistant message and may also hold `tool`
messages, so an output can call a tool, read its result and answer. The messages
themselves are checked like SFT messages (content, tool calls, and so on).

## Why it matters
DPO trains on the difference between the two outputs for the same input. OpenAI's schema allows one
assistant message per output (its guide: single-turn only); Azure's guide requires at least one
assistant message and allows only `assistant` and `tool` roles. An output without an assistant
message, with a user message, or with two answers is rejected or has no clear meaning.

## Example
```json
{"input": {"messages": [{"role": "user", "content": "Hi"}]}, "preferred_output": {"role": "assistant", "content": "Hello!"}, "non_preferred_output": []}
```

## How to fix
Write each output as an array with the one assistant answer:
`"preferred_output": [{"role": "assistant", "content": "Hello!"}]`.
"#;

pub const FIX: &str = "write each output as [{\"role\": \"assistant\", \"content\": \"…\"}]";

/// Checks that the output `key` of a DPO record is a non-empty array and returns its items, which
/// the conversation checker then walks; `legacy` is the output's older name, which FT402 reports.
pub fn check<'v>(
    ctx: &mut RecordContext<'_>,
    record: &'v Object<'v>,
    key: &str,
    legacy: &str,
) -> Option<&'v [Value<'v>]> {
    let Some(value) = record.get(key) else {
        if !record.contains_key(legacy) {
            ctx.report(Rule::InvalidPreferenceOutput, "").message(format!(
                "example has no `{key}`; a DPO record needs `preferred_output` and `non_preferred_output`"
            ));
        }
        return None;
    };
    let pointer = format!("/{key}");
    let Some(items) = value.as_array() else {
        let report = ctx
            .report(Rule::InvalidPreferenceOutput, &pointer)
            .message(format!("`{key}` is {}, but must be an array of messages", type_name(value)));
        if value.is_object() {
            report
                .help(format!("wrap the message in an array: `\"{key}\": [{{\"role\": \"assistant\", …}}]`"));
        }
        return None;
    };
    if items.is_empty() {
        ctx.report(Rule::InvalidPreferenceOutput, &pointer)
            .message(format!("`{key}` is empty; it needs one assistant message"));
        return None;
    }
    Some(items)
}

/// Checks the roles of the messages of output `key`, once every one of them could be read.
pub fn check_messages(ctx: &mut RecordContext<'_>, key: &str, messages: &[Message<'_>]) {
    let tools_allowed = ctx.settings.profile == Profile::Azure;
    let mut assistants = 0;
    for message in messages {
        match message.role {
            Role::Assistant => assistants += 1,
            Role::Tool if tools_allowed => {}
            role => {
                let allowed = if tools_allowed {
                    "assistant and tool messages"
                } else if role == Role::Tool {
                    "the assistant message (tool messages are allowed by Azure, `--profile azure`, not by OpenAI)"
                } else {
                    "the assistant message"
                };
                ctx.report(Rule::InvalidPreferenceOutput, &message.member("role")).message(format!(
                    "`{key}` holds a {} message (message {}); it may only hold {allowed}",
                    role.as_str(),
                    message.number()
                ));
            }
        }
    }
    // Azure's outputs may call tools, and a tool result is answered by a second assistant message:
    // there the rule is "at least one". OpenAI's schema allows one.
    if assistants == 0 || (!tools_allowed && assistants > 1) {
        let needed = if tools_allowed { "at least one" } else { "exactly one" };
        ctx.report(Rule::InvalidPreferenceOutput, &format!("/{key}"))
            .message(format!("`{key}` has {assistants} assistant messages; it needs {needed}"));
    }
}
