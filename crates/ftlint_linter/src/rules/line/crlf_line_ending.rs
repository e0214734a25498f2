//! FT105 `crlf-line-ending`: a line ends with a carriage return (`\r`) before its line feed.

use crate::context::LineContext;
use crate::diagnostic::{Edit, Fix, Span};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT105 crlf-line-ending

## What it does
Reports a line that ends with a carriage return before its line feed: a Windows (CRLF, `\r\n`) line
ending, or several carriage returns (`\r\r\n`, left by converting a file to CRLF twice). A carriage
return at the very end of the file, with no line feed after it, is reported too.

## Why it matters
Neither OpenAI nor Azure OpenAI says anything about line endings, and JSON allows a carriage return
as whitespace, so the service is expected to read a CRLF file like an LF one. That is why this is
only `info`. It is reported because tools that split on `\n` alone keep the `\r` in each line
(hashes, deduplication and diffs then disagree with the same data saved with LF), and so that
`ftlint fix`, which removes the carriage returns, changes nothing that `ftlint check` did not show.
Turn it off with `--ignore crlf-line-ending`, or raise it with `--warn crlf-line-ending`.

## Example
```
{"messages": [...]}\r\n
```
Use instead:
```
{"messages": [...]}\n
```

## How to fix
`ftlint fix` deletes every carriage return before the line feed (a safe fix: no record changes).
By hand: `sed -i 's/\r*$//' train.jsonl`, or `dos2unix train.jsonl`, or save with LF line endings.
"#;

pub const FIX: &str = "save the file with LF line endings (`ftlint fix`, or `dos2unix FILE`)";

/// Reports the carriage returns at the end of the line: those its text still ends with, and the one
/// [`crate::lines::Lines`] dropped before the `\n` (or at the end of the file). `bytes` is the whole
/// file, since the line's ending lies outside its text.
pub fn check(ctx: &mut LineContext<'_, '_>, bytes: &[u8]) {
    let line = ctx.line;
    let kept = line.text.len() - line.text.iter().rev().take_while(|&&b| b == b'\r').count();
    let text_end = line.start + line.text.len();
    let dropped = usize::from(bytes.get(text_end) == Some(&b'\r'));
    let returns = line.text.len() - kept + dropped;
    if returns == 0 {
        return;
    }
    let has_newline = bytes.get(text_end + dropped) == Some(&b'\n');
    let message = match (returns, has_newline) {
        (1, true) => "line ends with CRLF (`\\r\\n`); JSON readers take it as LF, but tools that split on `\\n` keep the `\\r`".to_owned(),
        (n, true) => format!("line ends with {n} carriage returns before its line feed; tools that split on `\\n` keep them"),
        (_, false) => "the file ends with a carriage return and no line feed; tools that split on `\\n` keep it".to_owned(),
    };
    // The dropped `\r` lies past `text`, where the line context clamps spans: the span covers
    // every `\r`.
    let span = Span::new((line.start + kept) as u64, returns as u64);
    ctx.report(Rule::CrlfLineEnding, kept..line.text.len())
        .message(message)
        .label("carriage return")
        .span(span)
        .fix(fix(span));
}

/// Deletes the carriage returns; the line feed stays.
pub fn fix(returns: Span) -> Fix {
    Fix::safe("Delete the carriage return before the line feed", vec![Edit::delete(returns)])
}
