//! FT103 `not-an-object`: a line is valid JSON but not a JSON object.

use crate::json::Value;

use crate::diagnostic::Diagnostic;
use crate::lines::Line;
use crate::record::type_name;
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

pub fn check(line: &Line<'_>, text: &str, value: &Value<'_>) -> Option<Diagnostic> {
    if value.is_object() {
        return None;
    }
    let start = text.len() - text.trim_start().len();
    let length = text.trim().len();
    let mut finding = super::at(
        Rule::NotAnObject,
        line,
        start,
        length,
        format!("line is {}, not a JSON object; each line must be one example object", type_name(value)),
    )
    .with_label(format!("{} here", type_name(value)));
    finding.pointer = Some(String::new());
    if value.is_array() {
        finding = finding.with_help(
            "each line must be one example object; to turn a JSON array into JSON Lines use `jq -c '.[]'`",
        );
    }
    Some(finding)
}
