//! FT703 `phone-number`: a phone number in a record's text (off by default).

use std::ops::Range;

use crate::context::RecordContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT703 phone-number

## What it does
Reports each phone number in any string of a record, with its span: 10 to 15 digits in groups
separated by spaces, dots or hyphens, with an optional `+` country code or an area code in
parentheses (`+1 415-555-0134`, `(020) 7946 0958`). A run of digits with no separators is not
taken for one. Off by default: turn it on with `phone-number = "info"` under `[rules]` in
`ftlint.toml`, or `--warn phone-number`.

## Why it matters
Support transcripts often carry customers' numbers. A fine-tuned model can learn and repeat personal
data from its training examples, and data-protection rules may forbid sending it to the service at
all (`docs/service-rules.md` §10). Order numbers and other figures can look like phone numbers, which
is why the rule is information and off unless asked for.

## Example
```json
{"messages": [{"role": "user", "content": "Call me back on +44 20 7946 0958."}, {"role": "assistant", "content": "Will do."}]}
```

## How to fix
Replace personal numbers with placeholders (`<PHONE>`) or fictional ones before training.
"#;

pub const FIX: &str = "replace personal numbers with a placeholder such as `<PHONE>`";

/// Reports the number at `range` of the record's text.
pub fn check(ctx: &mut RecordContext<'_>, range: Range<usize>, pointer: &str) {
    ctx.report_range(Rule::PhoneNumber, range, pointer)
        .message("this string holds a phone number; a fine-tuned model can learn personal data and repeat it")
        .label("phone number");
}
