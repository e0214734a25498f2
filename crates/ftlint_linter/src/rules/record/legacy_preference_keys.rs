//! FT402 `legacy-preference-keys`: a DPO record with `preferred_completion` or
//! `non_preferred_completion`, the keys' older names.

use crate::context::RecordContext;
use crate::model::json::Object;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT402 legacy-preference-keys

## What it does
Reports `preferred_completion` and `non_preferred_completion` in a DPO record.

## Why it matters
The API specification of April 2025 named the two outputs `preferred_completion` and
`non_preferred_completion`; the current specification and both services' guides name them
`preferred_output` and `non_preferred_output`. A record with the old names has no outputs the service
reads.

## Example
```json
{"input": {"messages": [...]}, "preferred_completion": [...], "non_preferred_completion": [...]}
```

## How to fix
Rename the keys to `preferred_output` and `non_preferred_output`.
"#;

pub const FIX: &str = "rename to `preferred_output` / `non_preferred_output`";

/// The older names and the current ones.
pub const RENAMES: [(&str, &str); 2] =
    [("preferred_completion", "preferred_output"), ("non_preferred_completion", "non_preferred_output")];

pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    for (old, new) in RENAMES {
        if !record.contains_key(old) {
            continue;
        }
        ctx.report(Rule::LegacyPreferenceKeys, &format!("/{old}"))
            .message(format!("example uses `{old}`, an older name the service no longer reads; use `{new}`"))
            .help(format!("rename `{old}` to `{new}`"));
    }
}
