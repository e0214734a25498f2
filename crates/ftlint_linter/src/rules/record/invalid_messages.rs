//! FT211 `invalid-messages`: `messages` is missing, not an array, empty, or holds a non-object.

use crate::context::RecordContext;
use crate::model::json::{type_name, Object, Value};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT211 invalid-messages

## What it does
Reports a `messages` value that is missing, is not an array, is an empty array, or holds an item
that is not a JSON object.

## Why it matters
`messages` is the example: a non-empty array of message objects, each with a `role`. The service
rejects any other shape.

## Example
```json
{"messages": "user: Hi\nassistant: Hello"}
```

## How to fix
Write `messages` as an array of objects: `[{"role": "user", "content": "Hi"}, {"role":
"assistant", "content": "Hello"}]`.
"#;

pub const FIX: &str =
    "`messages` must be a non-empty array of objects like {\"role\": \"user\", \"content\": \"…\"}";

/// Returns the messages when they are a non-empty array; reports otherwise. `key` is the member name
/// in `parent` and `pointer` its JSON pointer.
pub fn check<'v>(
    ctx: &mut RecordContext<'_>,
    parent: &'v Object<'v>,
    key: &str,
    pointer: &str,
) -> Option<&'v [Value<'v>]> {
    let parent_pointer = &pointer[..pointer.rfind('/').unwrap_or(0)];
    let Some(value) = parent.get(key) else {
        ctx.report(Rule::InvalidMessages, parent_pointer).message(format!("`{key}` is missing"));
        return None;
    };
    let Some(items) = value.as_array() else {
        ctx.report(Rule::InvalidMessages, pointer)
            .message(format!("`{key}` is {}, but must be an array of messages", type_name(value)));
        return None;
    };
    if items.is_empty() {
        ctx.report(Rule::InvalidMessages, pointer)
            .message(format!("`{key}` is empty; it needs at least one message"));
        return None;
    }
    Some(items)
}

/// Returns message `index` (at `pointer`) when it is an object; reports otherwise.
pub fn check_message<'v>(
    ctx: &mut RecordContext<'_>,
    value: &'v Value<'v>,
    pointer: &str,
    index: usize,
) -> Option<&'v Object<'v>> {
    if let Some(object) = value.as_object() {
        return Some(object);
    }
    ctx.report(Rule::InvalidMessages, pointer).message(format!(
        "message {} is {}, but each message must be an object",
        index + 1,
        type_name(value)
    ));
    None
}

/// Returns a DPO record's `input` when it is an object; reports otherwise. A record without
/// `input` is never checked as DPO.
pub fn check_input<'v>(ctx: &mut RecordContext<'_>, record: &'v Object<'v>) -> Option<&'v Object<'v>> {
    match record.get("input")? {
        Value::Object(input) => Some(input),
        other => {
            ctx.report(Rule::InvalidMessages, "/input").message(format!(
                "`input` is {}, but must be an object holding `messages`",
                type_name(other)
            ));
            None
        }
    }
}
