//! FT210 `extra-top-level-key`: an SFT record has a key the training schema does not allow.

use serde_json::{Map, Value};

use crate::locate::escape_token;
use crate::record::RecordContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT210 extra-top-level-key

## What it does
Reports a top-level key of an SFT record other than `messages`, `tools`, `parallel_tool_calls` and
`functions`.

## Why it matters
The service rejects the whole file for one such key, with `Invalid file format. Example N contains
an extra "weight".` The usual culprits: `weight` put on the record instead of on an assistant
message, bookkeeping keys such as `id`, `metadata` or `source` left in by an export, and RFT-style
grader keys in an SFT file. (RFT datasets allow extra keys: check them with `--format rft`.)

## Example
```json
{"messages": [...], "id": "conv-123"}
```

## How to fix
Remove the key. Keep bookkeeping in a separate file keyed by line number, or move `weight` onto the
assistant messages it applies to.
"#;

pub const FIX: &str =
    "remove the key; an SFT record may only hold `messages`, `tools`, `parallel_tool_calls`, `functions`";

pub fn check(ctx: &mut RecordContext<'_>, record: &Map<String, Value>, allowed: &[&str]) {
    if !ctx.enabled(Rule::ExtraTopLevelKey) {
        return;
    }
    for key in record.keys().filter(|k| !allowed.contains(&k.as_str())) {
        let example = ctx.example_number();
        let pointer = format!("/{}", escape_token(key));
        let help = match key.as_str() {
            "weight" => "`weight` belongs on assistant messages: `{\"role\": \"assistant\", \"content\": \"…\", \"weight\": 0}`".to_owned(),
            "prompt" | "completion" => "chat models train on `messages`, not `prompt`/`completion`".to_owned(),
            _ => format!("remove `{key}`; if this is an RFT dataset, whose graders read extra keys, check it with `--format rft`"),
        };
        if let Some(d) = ctx.report(
            Rule::ExtraTopLevelKey,
            &pointer,
            format!("Example {example} contains an extra \"{key}\""),
        ) {
            d.label = Some(format!("`{key}` is not allowed here"));
            d.help = Some(help);
        }
    }
}
