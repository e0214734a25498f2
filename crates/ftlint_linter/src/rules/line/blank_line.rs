//! FT104 `blank-line`: an empty or whitespace-only line between examples.

use crate::diagnostic::Diagnostic;
use crate::lines::Line;
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

pub fn check(line: &Line<'_>) -> Option<Diagnostic> {
    line.is_blank().then(|| {
        super::at(
            Rule::BlankLine,
            line,
            0,
            line.text.len(),
            "blank line: it carries no example, and some readers reject it".to_owned(),
        )
        .with_label("blank line")
    })
}
