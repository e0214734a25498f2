//! FT502 `duplicate-example`: a record identical to an earlier one of the same file.

use crate::context::FileContext;
use crate::dataset::{RecordHash, RecordSite, Seen};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT502 duplicate-example

## What it does
Reports each record that repeats an earlier record of the same file, and names the line of the
first one. Records are compared after parsing: key order, whitespace and string escapes do not
matter, so `{"a": 1, "b": 2}` repeats `{"b":2,"a":1}`. Comparison is by a 128-bit hash of each
record's canonical form, so memory stays small on files of any size.

## Why it matters
The services accept duplicates, but each copy is trained on again: a repeated example weighs as
much as all its copies together, pulls the model towards it, and is a common sign of an export
that ran twice or a join that fanned out. In a validation file, duplicates skew the validation loss.

## Example
```json
{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
```
The second line repeats line 1.

## How to fix
Remove the repeats (keep the first), and check the step that produced them. If the repetition is
deliberate weighting, turn the rule off with `--ignore duplicate-example` or in `ftlint.toml`.
"#;

pub const FIX: &str = "remove the repeat, keep the first; check the export step that wrote it twice";

/// Takes in the record at `site` with `hash` and reports it when an earlier record of the file
/// had the same hash; `seen` remembers the first line of each.
pub fn check(ctx: &mut FileContext<'_>, site: &RecordSite, hash: RecordHash, seen: &mut Seen) {
    let Some(first_line) = seen.first_line_or_insert(hash, site.line) else {
        return;
    };
    ctx.report_record(Rule::DuplicateExample, site)
        .message(format!(
            "example repeats line {first_line} exactly (compared after parsing); a repeated example \
             is trained on once per copy and outweighs the rest"
        ))
        .help(format!("remove this line; line {first_line} already holds the same example"));
}
