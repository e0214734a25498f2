//! FT101 `invalid-utf8`: a line holds bytes that are not valid UTF-8.

use crate::context::LineContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT101 invalid-utf8

## What it does
Reports the first byte of a line that is not valid UTF-8, with its exact line, column and byte
offset. The rest of that line is not checked; other lines are.

## Why it matters
Both services read training files as UTF-8 and reject a file that is not. Invalid bytes usually come
from text pasted or exported in Windows-1252 or Latin-1 (`é` as the single byte `E9`), or from a
string cut in the middle of a multi-byte character.

## Example
A line containing the byte `E9` where `é` (`C3 A9`) was meant.

## How to fix
Find where the text came from and re-export it as UTF-8, or convert it, e.g.
`iconv -f WINDOWS-1252 -t UTF-8 train.jsonl`.
"#;

pub const FIX: &str = "re-export the text as UTF-8; Windows-1252 or Latin-1 input is the usual cause";

/// Validates the line as UTF-8: its text, or `None` after reporting the first bad byte.
pub fn check<'l>(ctx: &mut LineContext<'_, 'l>) -> Option<&'l str> {
    let line = ctx.line;
    let error = match simdutf8::compat::from_utf8(line.text) {
        Ok(text) => return Some(text),
        Err(error) => error,
    };
    let offset = error.valid_up_to();
    // `error_len` is None when the line ends inside a character: cover what is left.
    let length = error.error_len().unwrap_or(line.text.len() - offset);
    let bad = &line.text[offset..offset + length];
    let shown: Vec<String> = bad.iter().map(|b| format!("0x{b:02X}")).collect();
    let what = if error.error_len().is_none() {
        "the line ends in the middle of a UTF-8 character"
    } else {
        "a byte that cannot appear here in UTF-8"
    };
    ctx.report(Rule::InvalidUtf8, offset..offset + length)
        .message(format!(
            "invalid UTF-8: {} ({what}); the rest of this line was not checked",
            shown.join(" ")
        ))
        .label("not UTF-8");
    None
}
