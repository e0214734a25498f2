//! FT200 `unknown-record-shape`: a record that is no fine-tuning format at all.

use crate::context::RecordContext;
use crate::model::json::Object;
use crate::model::shape::Shape;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT200 unknown-record-shape

## What it does
Reports a JSON object with neither `messages` (SFT, RFT) nor `input` with preferred and
non-preferred outputs (DPO), nor the legacy `prompt`/`completion`.

## Why it matters
The service cannot read such a record as an example and rejects the file: `Unexpected file format,
expected either prompt/completion pairs or chat messages.` Common causes: data in another tool's
format (ShareGPT `conversations`, Alpaca `instruction`/`output`, a `text` field), or a misspelt
`messages`.

## Example
```json
{"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}
```

## How to fix
Convert the record to `{"messages": [{"role": ..., "content": ...}, ...]}`.
"#;

pub const FIX: &str = "write the example as {\"messages\": [{\"role\": …, \"content\": …}, …]}";

/// Reports a record whose keys fit no format at all.
pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>, shape: Shape) {
    if shape != Shape::Unknown || !ctx.enabled(Rule::UnknownRecordShape) {
        return;
    }
    let keys: Vec<&str> = record.keys().take(6).collect();
    let shown = if keys.is_empty() {
        "it is an empty object".to_owned()
    } else {
        format!("it has {}", keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))
    };
    let hint = if keys.contains(&"conversations") {
        "; ShareGPT `conversations` must be converted to `messages`"
    } else if keys.contains(&"instruction") {
        "; Alpaca `instruction`/`output` must be converted to `messages`"
    } else if keys.iter().any(|k| k.eq_ignore_ascii_case("message") || k.eq_ignore_ascii_case("messages")) {
        "; the key is spelt `messages`, lower case, plural"
    } else {
        ""
    };
    ctx.report(Rule::UnknownRecordShape, "")
        .message(format!("record has no `messages` (SFT, RFT) or `input` with outputs (DPO): {shown}{hint}"));
}
