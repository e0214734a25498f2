//! FT104 `blank-line`: an empty or whitespace-only line between examples.

use crate::diagnostic::{Diagnostic, Edit, Fix, Span};
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
Use instead:
```
{"messages": [...]}
{"messages": [...]}
```

## How to fix
`ftlint fix` deletes each blank line with its line ending (a safe fix: no record changes). By hand:
`sed -i '/^[[:space:]]*$/d' train.jsonl`.
"#;

pub const FIX: &str = "delete the blank line";

/// `raw_end` is where the line ends with its line ending ([`crate::lines::raw_end`]).
pub fn check(line: &Line<'_>, raw_end: usize) -> Option<Diagnostic> {
    line.is_blank().then(|| {
        super::at(
            Rule::BlankLine,
            line,
            0,
            line.text.len(),
            "blank line: it carries no example, and some readers reject it".to_owned(),
        )
        .with_label("blank line")
        .with_fix(fix(line, raw_end))
    })
}

/// Deletes the line and its ending, so the lines around it close up. A byte-order mark before line
/// 1 is not part of the line and stays.
pub fn fix(line: &Line<'_>, raw_end: usize) -> Fix {
    let span = Span::new(line.start as u64, (raw_end - line.start) as u64);
    Fix::safe("Delete the blank line", vec![Edit::delete(span)])
}
