//! FT219 `invalid-weight`: a message `weight` that is not the integer 0 or 1, or is not on an
//! assistant message.

use crate::context::RecordContext;
use crate::diagnostic::{Edit, Fix, Span};
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
{"role": "assistant", "content": "Paris.", "weight": "1"}
```
Use instead:
```json
{"role": "assistant", "content": "Paris.", "weight": 1}
```

## How to fix
`ftlint fix --unsafe-fixes` rewrites an assistant message's weight that plainly means 0 or 1
(`"1"`, `1.0`, `true`) as the integer; `0.5`, `2` or a weight on another role need a person.
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
    let pointer = message.member("weight");
    // The value's span in the file, for the fix; only a finding that is reported needs it.
    let at = ctx
        .enabled(Rule::InvalidWeight)
        .then(|| crate::locate::locate(ctx.text(), &pointer))
        .flatten()
        .map(|range| Span::new(ctx.line_start() + range.start as u64, range.len() as u64));
    ctx.report(Rule::InvalidWeight, &pointer)
        .message(format!("message {}: {problem}", message.number()))
        .fix_if(at.and_then(|at| fix(message.role, weight, at)));
}

/// Rewrites a weight that unambiguously means 0 or 1 (`"1"`, `1.0`, `true`) as that integer, in
/// place (`at` is the value's span). Other values, and weights on other roles, need a person: which
/// message was meant to be weighted, or what `0.5` was meant to say, is not for a tool to guess.
pub fn fix(role: Role, weight: &Value<'_>, at: Span) -> Option<Fix> {
    if role != Role::Assistant {
        return None;
    }
    let integer = match weight {
        Value::String(s) if matches!(s.trim(), "0" | "1") => s.trim().to_owned(),
        Value::Number(n) if n.as_u64().is_none() && matches!(n.as_f64(), Some(0.0) | Some(1.0)) => {
            u8::from(n.as_f64() == Some(1.0)).to_string()
        }
        Value::Bool(b) => u8::from(*b).to_string(),
        _ => return None,
    };
    Some(Fix::unsafe_edit(
        format!("Write the weight as the integer {integer}"),
        vec![Edit::replace(at, integer)],
    ))
}
