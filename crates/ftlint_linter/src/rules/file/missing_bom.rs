//! FT002 `missing-bom` (profile `azure`): the file has no UTF-8 byte-order mark.

use crate::context::FileContext;
use crate::diagnostic::{Edit, Fix, Span};
use crate::encoding::Encoding;
use crate::rules::Rule;
use crate::settings::Profile;

pub const DOCS: &str = r#"# FT002 missing-bom

## What it does
Under `--profile azure` (the default), reports a UTF-8 file that does not start with a byte-order
mark (the bytes `EF BB BF`).

## Why it matters
Azure OpenAI's fine-tuning docs say training and validation files "must be encoded in UTF-8 and
include a byte-order mark (BOM)". In practice the service accepts files without one: Microsoft's own
sample datasets have none. So this is a warning by default; teams that follow the docs to the letter
can raise it to an error (`--error missing-bom`), and teams that don't care can turn it off
(`--ignore missing-bom`). Under `--profile openai` this rule never fires.

## Example
A file whose first byte is `{` (`7B`). Use instead: the same file starting with `EF BB BF 7B`.

## How to fix
`ftlint fix` inserts the mark (a safe fix: the records stay byte for byte). By hand: add the mark: `printf '\xEF\xBB\xBF' | cat - train.jsonl > train.bom.jsonl`, or save as
"UTF-8 with BOM" in your editor.
"#;

pub const FIX: &str =
    "save the file as \"UTF-8 with BOM\", or ignore this rule if you upload only to services that do not need it";

pub fn check(ctx: &mut FileContext<'_>, encoding: Encoding) {
    let applies = ctx.settings.profile == Profile::Azure
        && encoding == (Encoding::Utf8 { bom: false })
        && ctx.file_len > 0;
    if applies {
        ctx.report(Rule::MissingBom, Span::new(0, 0)).message(
            "file has no UTF-8 byte-order mark, which Azure OpenAI's docs ask for (the service accepts files without one)",
        ).fix(fix());
    }
}

/// Inserts the mark in front of the first byte; nothing else moves.
pub fn fix() -> Fix {
    Fix::safe("Insert the UTF-8 byte-order mark", vec![Edit::insert(0, "\u{FEFF}")])
}
