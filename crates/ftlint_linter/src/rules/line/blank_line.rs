//! FT104 `blank-line`: an empty or whitespace-only line between examples.

use crate::context::LineContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT104 blank-line

## What it does
Reports a line that is empty or holds only spaces and tabs.

## Why it matters
A blank line carries no example. Readers differ: some skip it, others (Python's `json.loads`, and
Microsoft's sample validator) fail on it, so a file with blank lines may pass one tool and fail the
next. The final newline at the end of the file does not make a blank line.

## Example
```
{"messages": [...]}

{"messages": [...]}
```

## How to fix
Delete the blank lines: `sed -i '/^[[:space:]]*$/d' train.jsonl` (or `ftlint fix`).
"#;

pub const FIX: &str = "delete the blank line";

/// Reports a blank line; true when the line is blank and holds nothing more to check.
pub fn check(ctx: &mut LineContext<'_, '_>) -> bool {
    let line = ctx.line;
    if !line.is_blank() {
        return false;
    }
    ctx.report(Rule::BlankLine, 0..line.text.len())
        .message("blank line: it carries no example, and some readers reject it")
        .label("blank line");
    true
}
