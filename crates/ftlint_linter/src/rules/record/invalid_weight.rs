//! FT219 `invalid-weight`: a message `weight` that is not the integer 0 or 1, or is not on an
//! assistant message.

use crate::context::RecordContext;
use crate::model::json::{type_name, Value};
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT219 invalid-weight

## What it does
Reports a `weight` on a message that is not from the assistant, and a `weight` on an assistant
message that is anything but the integer `0` or `1`: `2`, `0.5`, `1.0`, `"1"`, `true`.

## Why it matters
`weight` tells the service whether to train on an assistant message (`1`, the default) or to keep it
as context only (`0`). The training schema takes exactly the integers 0 and 1, on assistant messages
only; other roles are never trained, so a weight there is a mistake. How the service treats `1.0` is
not documented; it is reported because the schema says integer and a careful file uses `1`.

## Example
```json
{"role": "assistant", "content": "Paris.", "weight": 0.5}
```

## How to fix
Use `"weight": 0` to skip an assistant message and `"weight": 1` (or no weight) to train on it.
Remove weights from other messages.
"#;

pub const FIX: &str = "use `\"weight\": 0` or `\"weight\": 1`, on assistant messages only";

pub fn check(ctx: &mut RecordContext<'_>, message: &Message<'_>) {
    let Some(weight) = message.object.get("weight") else {
        return;
    };
    let problem = if message.role != Role::Assistant {
        format!(
            "`weight` is only allowed on assistant messages, and this is a {} message",
            message.role.as_str()
        )
    } else if matches!(weight.as_u64(), Some(0 | 1)) {
        return;
    } else {
        let shown = match weight {
            Value::Number(n) => format!("`{n}`"),
            Value::String(s) => format!("the string \"{s}\""),
            other => type_name(other).to_owned(),
        };
        format!("`weight` is {shown}, but must be the integer 0 or 1")
    };
    ctx.report(Rule::InvalidWeight, &message.member("weight"))
        .message(format!("message {}: {problem}", message.number()));
}
