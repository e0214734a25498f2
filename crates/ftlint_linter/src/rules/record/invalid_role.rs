//! FT212 `invalid-role`: a message without a role, or with one the format does not allow.

use crate::json::Object;

use super::conversation::Kind;
use crate::record::{type_name, RecordContext};
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

impl Role {
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
}

fn allowed_list(kind: Kind) -> String {
    kind.allowed_roles().iter().map(|r| format!("`{}`", r.as_str())).collect::<Vec<_>>().join(", ")
}

/// Returns the message's role when it has a usable one (an allowed role, or one with a rule of its
/// own that has already reported), reporting anything else.
pub fn check(ctx: &mut RecordContext<'_>, message: &Object<'_>, pointer: &str, kind: Kind) -> Option<Role> {
    let example = ctx.example_number();
    let Some(value) = message.get("role") else {
        let keys: Vec<&str> = message.keys().collect();
        let hint = if message.contains_key("from") || message.contains_key("value") {
            " (ShareGPT-style `from`/`value` keys must become `role`/`content`)"
        } else {
            ""
        };
        let text = format!(
            "Example {example}, message {}: `role` is missing{hint}; the message has keys {}",
            message_number(pointer),
            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        );
        ctx.report(Rule::InvalidRole, pointer, text)?.label = Some("no `role` here".into());
        return None;
    };
    // Built only for a finding: this runs for every message of every record.
    let role_pointer = || format!("{pointer}/role");
    let Some(name) = value.as_str() else {
        let text =
            format!("`role` is {}, but must be a string: one of {}", type_name(value), allowed_list(kind));
        ctx.report(Rule::InvalidRole, &role_pointer(), text);
        return None;
    };
    match Role::parse(name) {
        Some(role) if kind.allowed_roles().contains(&role) => Some(role),
        Some(Role::Developer) if kind != Kind::Rft => {
            super::developer_role::report(ctx, &role_pointer());
            Some(Role::Developer)
        }
        Some(Role::System) if kind == Kind::Rft => {
            report_system_in_rft(ctx, &role_pointer());
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
            ctx.report(Rule::InvalidRole, &role_pointer(), text)?.label = Some("unknown role".into());
            None
        }
    }
}

/// RFT has no `system` role: its instructions go in a `developer` message.
pub fn report_system_in_rft(ctx: &mut RecordContext<'_>, pointer: &str) {
    if let Some(d) = ctx.report(
        Rule::InvalidRole,
        pointer,
        "role `system` is not allowed in RFT; use `developer` for instructions",
    ) {
        d.help = Some("rename the role to `developer`".into());
    }
}

/// "message 2" in the service's wording is the 1-based index of the message.
pub fn message_number(pointer: &str) -> u64 {
    pointer.rsplit('/').next().and_then(|i| i.parse::<u64>().ok()).map_or(0, |i| i + 1)
}
