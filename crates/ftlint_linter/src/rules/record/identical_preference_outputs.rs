//! FT404 `identical-preference-outputs`: a DPO record whose preferred and non-preferred outputs are
//! the same.

use crate::context::RecordContext;
use crate::model::json::{Object, Value};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT404 identical-preference-outputs

## What it does
Reports a DPO record whose `preferred_output` and `non_preferred_output` are equal as JSON values.

## Why it matters
DPO learns from the difference between the preferred and the non-preferred answer. With no
difference, the pair teaches nothing and only adds noise; it usually means the two columns were
filled from the same source.

## Example
```json
{"input": {...}, "preferred_output": [{"role": "assistant", "content": "4"}], "non_preferred_output": [{"role": "assistant", "content": "4"}]}
```

## How to fix
Give the record a worse (or better) alternative answer, or drop it.
"#;

pub const FIX: &str = "make the two outputs differ, or drop the record";

pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    let (Some(preferred @ Value::Array(items)), Some(other)) =
        (record.get("preferred_output"), record.get("non_preferred_output"))
    else {
        return;
    };
    if items.is_empty() || preferred != other {
        return;
    }
    ctx.report(Rule::IdenticalPreferenceOutputs, "/non_preferred_output")
        .message("`preferred_output` and `non_preferred_output` are identical; the pair teaches nothing");
}
