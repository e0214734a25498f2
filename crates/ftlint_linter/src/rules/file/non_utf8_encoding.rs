//! FT004 `non-utf8-encoding`: the file is UTF-16 or UTF-32, not UTF-8.

use crate::context::FileContext;
use crate::diagnostic::Span;
use crate::encoding::Encoding;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT004 non-utf8-encoding

## What it does
Reports a file in UTF-16 or UTF-32, recognised by its byte-order mark or, without one, by the regular
pattern of NUL bytes that ASCII text has in those encodings. The lines of such a file are not checked
further: split as UTF-8, they would only produce noise.

## Why it matters
Both services read training files as UTF-8 only. Windows tools still write UTF-16: Notepad's
"Unicode", PowerShell 5's `>` and `Out-File`.

## Example
A file that starts with the bytes `FF FE 7B 00` (`{` in UTF-16LE).

## How to fix
Convert it: `iconv -f UTF-16 -t UTF-8 train.jsonl > train.utf8.jsonl`, or in PowerShell use
`Out-File -Encoding utf8`.
"#;

pub const FIX: &str = "convert the file to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8`";

/// Reports a file that is not UTF-8; true when it is not, and its lines must not be checked.
pub fn check(ctx: &mut FileContext<'_>, encoding: Encoding) -> bool {
    if encoding.is_utf8() {
        return false;
    }
    let how = if encoding.has_bom() { "by its byte-order mark" } else { "by its pattern of NUL bytes" };
    let name = encoding.name();
    ctx.report(Rule::NonUtf8Encoding, Span::new(0, encoding.bom_len() as u64))
        .message(format!(
            "file is encoded in {name} ({how}), but fine-tuning files must be UTF-8; its lines were not checked"
        ))
        .help(format!("convert it: `iconv -f {name} -t UTF-8 FILE > FILE.utf8`"));
    true
}
