//! FT003 `unexpected-bom` (profile `openai`): the file starts with a UTF-8 byte-order mark.

use crate::context::FileContext;
use crate::diagnostic::{Edit, Fix, Span};
use crate::encoding::{Encoding, UTF8_BOM};
use crate::rules::Rule;
use crate::settings::Profile;

pub const DOCS: &str = r#"# FT003 unexpected-bom

## What it does
Under `--profile openai`, reports a file that starts with a UTF-8 byte-order mark (`EF BB BF`).

## Why it matters
OpenAI's docs say nothing about a byte-order mark. A JSON reader that does not strip it sees three
unexpected bytes before the first `{` and fails to parse line 1 (Python's `json.loads` raises
"Unexpected UTF-8 BOM"; many data-preparation scripts do exactly that). ftlint itself reads past the
mark and checks the file normally. Under `--profile azure` this rule never fires, since Azure's docs ask
for the mark.

## Example
A file saved as "UTF-8 with BOM" by Notepad or Excel: it starts `EF BB BF 7B`. Use instead: the
same file starting with `7B` (`{`).

## How to fix
`ftlint fix --profile openai` removes the mark (a safe fix: the records stay byte for byte). By
hand: remove the first three bytes: `sed -i '1s/^\xEF\xBB\xBF//' train.jsonl`, or save as plain UTF-8.
"#;

pub const FIX: &str = "save the file as UTF-8 without BOM (`sed -i '1s/^\\xEF\\xBB\\xBF//' FILE`)";

pub fn check(ctx: &mut FileContext<'_>, encoding: Encoding) {
    if ctx.settings.profile == Profile::Openai && encoding == (Encoding::Utf8 { bom: true }) {
        ctx.report(Rule::UnexpectedBom, Span::new(0, UTF8_BOM.len() as u64))
            .message(
                "file starts with a UTF-8 byte-order mark; readers that do not strip it fail to parse line 1",
            )
            .fix(fix());
    }
}

/// Deletes the three bytes of the mark.
pub fn fix() -> Fix {
    Fix::safe("Remove the UTF-8 byte-order mark", vec![Edit::delete(Span::new(0, UTF8_BOM.len() as u64))])
}
