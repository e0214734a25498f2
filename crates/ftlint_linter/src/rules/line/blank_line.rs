//! FT104 `blank-line`: an empty or whitespace-only line between examples.

use crate::context::LineContext;
use crate::diagnostic::{Edit, Fix, Span};
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

/// Reports a blank line; true when the line is blank and holds nothing more to check. `raw_end`
/// is where the line ends with its line ending ([`crate::lines::raw_end`]).
pub fn check(ctx: &mut LineContext<'_, '_>, raw_end: usize) -> bool {
    let line = ctx.line;
    if !line.is_blank() {
        return false;
    }
    ctx.report(Rule::BlankLine, 0..line.text.len())
        .message("blank line: it carries no example, and some readers reject it")
        .label("blank line")
        .fix(fix(line, raw_end));
    true
}

/// Deletes the line and its ending, so the lines around it close up. A byte-order mark before line
/// 1 is not part of the line and stays.
pub fn fix(line: &Line<'_>, raw_end: usize) -> Fix {
    let span = Span::new(line.start as u64, (raw_end - line.start) as u64);
    Fix::safe("Delete the blank line", vec![Edit::delete(span)])
}
