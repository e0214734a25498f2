//! FT103 `not-an-object`: a line is valid JSON but not a JSON object.

use crate::context::LineContext;
use crate::model::json::{type_name, Value};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT103 not-an-object

## What it does
Reports a line that parses as JSON but whose value is an array, a string, a number, a boolean or
`null` instead of an object.

## Why it matters
Every line of a fine-tuning file is one example, and an example is a JSON object such as
`{"messages": [...]}`. The service rejects the file ("every line is a JSON dictionary"). A top-level
array usually means a whole JSON array was written where JSON Lines was meant.

## Example
`[{"role": "user", "content": "Hi"}]`

## How to fix
Wrap the value in an object, e.g. `{"messages": [...]}`. To turn a JSON array file into JSON Lines:
`jq -c '.[]' data.json > data.jsonl`.
"#;

pub const FIX: &str = "each line must be one JSON object, e.g. `{\"messages\": [...]}`";

/// Reports a value that is not an object; true when it is one, a record to check further.
pub fn check(ctx: &mut LineContext<'_, '_>, text: &str, value: &Value<'_>) -> bool {
    if value.is_object() {
        return true;
    }
    let start = text.len() - text.trim_start().len();
    let length = text.trim().len();
    let what = type_name(value);
    let report = ctx
        .report(Rule::NotAnObject, start..start + length)
        .message(format!("line is {what}, not a JSON object; each line must be one example object"))
        .label(format!("{what} here"))
        .pointer("");
    if value.is_array() {
        report.help(
            "each line must be one example object; to turn a JSON array into JSON Lines use `jq -c '.[]'`",
        );
    }
    false
}
