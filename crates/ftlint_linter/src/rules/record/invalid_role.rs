//! FT212 `invalid-role`: a message without a role, or with one the format does not allow.

use crate::context::RecordContext;
use crate::model::json::{type_name, Object};
use crate::model::message::Kind;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT212 invalid-role

## What it does
Reports a message whose `role` is missing, is not a string, is empty, or is not one of the roles
the format allows: `system`, `user`, `assistant`, `tool`, `function` for SFT and DPO inputs;
`developer`, `user`, `assistant`, `tool` for RFT. A `developer` message in SFT has a rule of its own
(FT213, a warning); a `system` message in RFT is reported here, with the hint to use `developer`.

## Why it matters
The service matches each message on its role and rejects the file when none matches:
`Example 100, message 2 Discriminator 'role' is missing in value`, or `No match for discriminator
'role' and value None (allowed values: 'assistant', 'function', 'system', 'user')`.

## Example
```json
{"messages": [{"role": "human", "content": "Hi"}, {"role": "gpt", "content": "Hello"}]}
```

## How to fix
Use the OpenAI role names: `user` for the human turn, `assistant` for the model's, `system` for
instructions. ShareGPT-style `human`/`gpt` and `from`/`value` keys need converting.
"#;

pub const FIX: &str = "set `role` to one of the allowed roles (e.g. `user`, `assistant`, `system`)";

fn allowed_list(kind: Kind) -> String {
    kind.allowed_roles().iter().map(|r| format!("`{}`", r.as_str())).collect::<Vec<_>>().join(", ")
}

/// Returns the message's role when it has a usable one, reporting anything else. Usable: a role
/// the conversation allows, or `developer` outside RFT, which FT213 reports on its own.
pub fn check(ctx: &mut RecordContext<'_>, message: &Object<'_>, pointer: &str, kind: Kind) -> Option<Role> {
    let Some(value) = message.get("role") else {
        let keys: Vec<&str> = message.keys().collect();
        let hint = if message.contains_key("from") || message.contains_key("value") {
            " (ShareGPT-style `from`/`value` keys must become `role`/`content`)"
        } else {
            ""
        };
        let text = format!(
            "message {}: `role` is missing{hint}; the message has keys {}",
            message_number(pointer),
            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        );
        ctx.report(Rule::InvalidRole, pointer).message(text).label("no `role` here");
        return None;
    };
    // Built only for a finding: this runs for every message of every record.
    let role_pointer = || format!("{pointer}/role");
    let Some(name) = value.as_str() else {
        let text =
            format!("`role` is {}, but must be a string: one of {}", type_name(value), allowed_list(kind));
        ctx.report(Rule::InvalidRole, &role_pointer()).message(text);
        return None;
    };
    match Role::parse(name) {
        Some(role) if kind.allowed_roles().contains(&role) => Some(role),
        Some(Role::Developer) if kind != Kind::Rft => Some(Role::Developer),
        // RFT has no `system` role: its instructions go in a `developer` message.
        Some(Role::System) if kind == Kind::Rft => {
            ctx.report(Rule::InvalidRole, &role_pointer())
                .message("role `system` is not allowed in RFT; use `developer` for instructions")
                .help("rename the role to `developer`");
            Some(Role::System)
        }
        _ => {
            let shown = if name.is_empty() { "empty".to_owned() } else { format!("`{name}`") };
            let hint = match name {
                "human" | "Human" | "USER" | "User" => " (did you mean `user`?)",
                "gpt" | "bot" | "model" | "Assistant" | "ASSISTANT" | "ai" => " (did you mean `assistant`?)",
                "System" | "SYSTEM" => " (did you mean `system`?)",
                _ => "",
            };
            let text = format!("role is {shown}{hint}; allowed roles are {}", allowed_list(kind));
            ctx.report(Rule::InvalidRole, &role_pointer()).message(text).label("unknown role");
            None
        }
    }
}

/// "message 2" in the service's wording is the 1-based index of the message.
pub fn message_number(pointer: &str) -> u64 {
    pointer.rsplit('/').next().and_then(|i| i.parse::<u64>().ok()).map_or(0, |i| i + 1)
}
