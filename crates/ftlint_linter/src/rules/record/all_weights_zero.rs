//! FT220 `all-weights-zero`: every assistant message of an SFT example has `weight` 0.

use crate::context::RecordContext;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT220 all-weights-zero

## What it does
Reports an SFT example in which every assistant message has `"weight": 0`.

## Why it matters
Weight 0 keeps a message as context without training on it. With every assistant message at 0 the
example trains nothing: it costs upload and processing time and counts towards the example minimum
while teaching the model nothing. Whether the service rejects such an example is not documented, so
this is a warning.

## Example
```json
{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello.", "weight": 0}]}
```

## How to fix
Set `"weight": 1` (or remove `weight`) on the assistant messages the model should learn from, or
drop the example.
"#;

pub const FIX: &str = "set `\"weight\": 1` on the assistant messages to learn from, or drop the example";

pub fn check(ctx: &mut RecordContext<'_>, messages: &[Message<'_>]) {
    let mut last = None;
    for message in messages.iter().filter(|m| m.role == Role::Assistant) {
        if !message.weight_is_zero() {
            return;
        }
        last = Some(message);
    }
    let Some(last) = last else {
        return;
    };
    ctx.report(Rule::AllWeightsZero, &last.member("weight"))
        .message("every assistant message has `weight` 0, so the example trains nothing");
}
