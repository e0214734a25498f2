//! FT213 `developer-role`: a `developer` message in an SFT or DPO example.

use crate::context::RecordContext;
use crate::model::message::{Kind, Message};
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT213 developer-role

## What it does
Reports a message with `"role": "developer"` in an SFT example or a DPO input.

## Why it matters
`developer` is the newer name for `system` in OpenAI's chat API, and it is a valid role in RFT
datasets, but it is not in the schema of SFT or DPO training records. Whether the service rejects it
there is not documented, so this is a warning by default; raise it with `--error developer-role` if
you want to be strict.

## Example
```json
{"messages": [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}
```

## How to fix
Use `"role": "system"` for instructions in SFT and DPO data.
"#;

pub const FIX: &str = "use `\"role\": \"system\"` for instructions in SFT and DPO data";

/// Reports a `developer` message outside RFT. FT212 lets the role through for this rule to say.
pub fn check(ctx: &mut RecordContext<'_>, message: &Message<'_>, kind: Kind) {
    if message.role != Role::Developer || kind == Kind::Rft {
        return;
    }
    ctx.report(Rule::DeveloperRole, &message.member("role"))
        .message("role `developer` is not in the SFT/DPO training schema (it belongs to RFT); use `system`")
        .label("use `system`");
}
