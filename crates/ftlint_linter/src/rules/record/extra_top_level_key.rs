//! FT210 `extra-top-level-key`: an SFT record has a key the training schema does not allow.

use crate::context::RecordContext;
use crate::diagnostic::{Edit, Fix, Span};
use crate::locate::{self, escape_token};
use crate::model::json::Object;
use crate::model::shape::Format;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT210 extra-top-level-key

## What it does
Reports a top-level key of an SFT record other than `messages`, `tools`, `parallel_tool_calls` and
`functions`. In a DPO record it reports a top-level key other than `input`, `preferred_output` and
`non_preferred_output` (the older `*_completion` names are FT402's), and a key of `input` other than
`messages`, `tools` and `parallel_tool_calls`. Whether the service rejects extra DPO keys is not
documented; its schemas are closed like the SFT one, so they are errors here too.

## Why it matters
The service rejects the whole file for one such key, with `Invalid file format. Example N contains
an extra "weight".` The usual culprits: `weight` put on the record instead of on an assistant
message, bookkeeping keys such as `id`, `metadata` or `source` left in by an export, and RFT-style
grader keys in an SFT file. (RFT datasets allow extra keys: check them with `--format rft`.)

## Example
```json
{"messages": [...], "id": "conv-123"}
```

Use instead:
```json
{"messages": [...]}
```

## How to fix
`ftlint fix --unsafe-fixes` removes the member with its comma (unsafe: data leaves the record, so
review the result). By hand: remove the key. Keep bookkeeping in a separate file keyed by line
number, or move `weight` onto the assistant messages it applies to.
"#;

pub const FIX: &str =
    "remove the key; an SFT record may only hold `messages`, `tools`, `parallel_tool_calls`, `functions`";

/// Keys an SFT record may have (docs/service-rules.md §2, from `FineTuneChatRequestInput`).
pub const SFT_KEYS: &[&str] = &["messages", "tools", "parallel_tool_calls", "functions"];

/// Keys a DPO record may have (docs/service-rules.md §4). The older output names are FT402's to
/// report.
pub const DPO_KEYS: &[&str] = &[
    "input",
    "preferred_output",
    "non_preferred_output",
    "preferred_completion",
    "non_preferred_completion",
];

/// Keys a DPO `input` may have (FineTunePreferenceRequestInput).
pub const DPO_INPUT_KEYS: &[&str] = &["messages", "tools", "parallel_tool_calls"];

/// Checks the record's keys against its format's. An RFT record may hold any key its graders read.
pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    match ctx.format {
        Format::Sft => check_keys(ctx, record, "", SFT_KEYS),
        Format::Dpo => check_keys(ctx, record, "", DPO_KEYS),
        Format::Rft => {}
    }
}

/// Checks the keys of a DPO record's `input`.
pub fn check_input(ctx: &mut RecordContext<'_>, input: &Object<'_>) {
    check_keys(ctx, input, "/input", DPO_INPUT_KEYS);
}

/// Checks the keys of the object at `base` (`""` for the record, `/input` for a DPO input).
fn check_keys(ctx: &mut RecordContext<'_>, object: &Object<'_>, base: &str, allowed: &[&str]) {
    if !ctx.enabled(Rule::ExtraTopLevelKey) {
        return;
    }
    let (text, line_start, format) = (ctx.text(), ctx.line_start(), ctx.format);
    for key in object.keys().filter(|k| !allowed.contains(k)) {
        let pointer = format!("{base}/{}", escape_token(key));
        let help = match (format, key) {
            (_, "weight") => "`weight` belongs on assistant messages: `{\"role\": \"assistant\", \"content\": \"…\", \"weight\": 0}`".to_owned(),
            (_, "prompt" | "completion") => "chat models train on `messages`, not `prompt`/`completion`".to_owned(),
            (Format::Dpo, _) => format!("remove `{key}`; a DPO record holds `input`, `preferred_output` and `non_preferred_output`, and `input` holds `messages`, `tools` and `parallel_tool_calls`"),
            _ => format!("remove `{key}`; if this is an RFT dataset, whose graders read extra keys, check it with `--format rft`"),
        };
        let place = if base.is_empty() { String::new() } else { format!(" in `{}`", &base[1..]) };
        ctx.report(Rule::ExtraTopLevelKey, &pointer)
            .message(format!("example contains an extra \"{key}\"{place}"))
            .label(format!("`{key}` is not allowed here"))
            .help(help)
            .fix_if(fix(text, base, &pointer, line_start));
    }
}

/// Removes the member `pointer` names from the object at `base`, with the comma that joined it to
/// its neighbour: the one before it, or for the first member the one after it, so the spacing of
/// the members that stay is the record's own. `line_start` places the record's text in the file.
pub fn fix(text: &str, base: &str, pointer: &str, line_start: u64) -> Option<Fix> {
    let value = locate::locate(text, pointer)?;
    let (_, members) = locate::object_members(text, base)?;
    // Where a key repeats, the finding is on the last one, as the parser keeps; a later run removes
    // the others.
    let at = members.iter().position(|m| m.range.end == value.end)?;
    let remove = match (at, members.len()) {
        (_, 1) => members[at].range.clone(),
        (0, _) => members[0].range.start..members[1].range.start,
        _ => members[at - 1].range.end..members[at].range.end,
    };
    let span = Span::new(line_start + remove.start as u64, remove.len() as u64);
    Some(Fix::unsafe_edit(format!("Remove `{}`", members[at].key), vec![Edit::delete(span)]))
}
