//! FT407 `grader-item-missing`: an RFT record without a field the grader reads through
//! `{{item.…}}`.

use crate::context::RecordContext;
use crate::grader::Grader;
use crate::locate;
use crate::model::json::{type_name, Object, Value};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT407 grader-item-missing

## What it does
With `--format rft` and a grader (`--grader FILE`, or `grader = "path"` in `ftlint.toml`), reports a
record that lacks a field the grader reads through a `{{item.<path>}}` template, naming the path and
the grader field that reads it. Paths go through nested objects (`{{item.meta.answer}}`) and arrays
by index (`{{item.choices.0}}`).

## Why it matters
In reinforcement fine-tuning every key of a record besides `messages` and `tools` is there for the
graders, which read it as `{{item.<key>}}` (OpenAI's API reference for the reinforcement input
format; `docs/service-rules.md` §5). The file uploads fine without it; the job fails when it grades
the first sample of such an example, after the queue and the cost of starting it. A Microsoft RFT
sample's grader reads `{{item.reference_answer}}`, which none of its records has.

## Example
Grader: `{"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "{{item.reference_answer}}", "operation": "eq"}`
```json
{"messages": [{"role": "user", "content": "2 + 2?"}], "answer": "4"}
```

## How to fix
Add the field to every record (here `"reference_answer": "4"`), or change the template to the key
the records have.
"#;

pub const FIX: &str =
    "add the field the grader reads to the record, or make the template name a key the records have";

/// Reports each path of `grader` that `record` does not have.
pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>, grader: &Grader) {
    for reference in &grader.item_refs {
        let mut value = Value::Object(*record);
        let mut found = 0;
        for segment in &reference.path {
            let next = match value {
                Value::Object(object) => object.get(segment),
                Value::Array(items) => segment.parse::<usize>().ok().and_then(|index| items.get(index)),
                _ => None,
            };
            match next {
                Some(next) => {
                    value = *next;
                    found += 1;
                }
                None => break,
            }
        }
        if found == reference.path.len() {
            continue;
        }
        let dotted = reference.path.join(".");
        let has = &reference.path[..found];
        let what = match value {
            _ if has.is_empty() => format!("this record has no `{}`", reference.path[0]),
            Value::Object(_) | Value::Array(_) => {
                format!("this record's `{}` has no `{}`", has.join("."), reference.path[found])
            }
            other => format!(
                "this record's `{}` is {}, with no `{}` inside",
                has.join("."),
                type_name(&other),
                reference.path[found]
            ),
        };
        ctx.report(Rule::GraderItemMissing, &locate::pointer(has))
            .message(format!(
                "the grader reads `{}` in `{}`, but {what}; the job fails when it grades this example",
                reference.template, reference.field
            ))
            .label(format!("no `{dotted}`"))
            .help(format!("add `{dotted}` to the record, or change the template in `{}`", reference.field));
    }
}
