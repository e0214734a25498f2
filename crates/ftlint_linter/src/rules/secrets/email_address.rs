//! FT702 `email-address`: an e-mail address in a record's text (off by default).

use std::ops::Range;

use crate::context::RecordContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT702 email-address

## What it does
Reports each e-mail address in any string of a record, with its span. Off by default: turn it on
with `email-address = "info"` under `[rules]` in `ftlint.toml`, or `--warn email-address`.

## Why it matters
Support transcripts and scraped text often carry customers' addresses. A fine-tuned model can learn
and repeat personal data from its training examples, and data-protection rules may forbid sending it
to the service at all (`docs/service-rules.md` §10). Many addresses are harmless
(`support@contoso.com` in a support bot's answers), which is why the rule is information and off
unless asked for.

## Example
```json
{"messages": [{"role": "user", "content": "I am jane.doe@example.org, where is my order?"}, {"role": "assistant", "content": "Let me check."}]}
```

## How to fix
Replace personal addresses with placeholders (`<EMAIL>`) or synthetic ones before training.
"#;

pub const FIX: &str = "replace personal addresses with a placeholder such as `<EMAIL>`";

/// Reports the address at `range` of the record's text.
pub fn check(ctx: &mut RecordContext<'_>, range: Range<usize>, pointer: &str) {
    ctx.report_range(Rule::EmailAddress, range, pointer)
        .message(
            "this string holds an e-mail address; a fine-tuned model can learn personal data and repeat it",
        )
        .label("e-mail address");
}
