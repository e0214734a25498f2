//! FT211 `invalid-messages`: `messages` is missing, not an array, empty, or holds a non-object.

use crate::json::{Object, Value};

use crate::record::{type_name, RecordContext};
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
        ctx.report(Rule::InvalidMessages, parent_pointer, format!("`{key}` is missing"));
        return None;
    };
    let Some(items) = value.as_array() else {
        ctx.report(
            Rule::InvalidMessages,
            pointer,
            format!("`{key}` is {}, but must be an array of messages", type_name(value)),
        );
        return None;
    };
    if items.is_empty() {
        ctx.report(
            Rule::InvalidMessages,
            pointer,
            format!("`{key}` is empty; it needs at least one message"),
        );
        return None;
    }
    Some(items)
}

/// A message that is not an object.
pub fn report_not_an_object(ctx: &mut RecordContext<'_>, value: &Value<'_>, pointer: &str, index: usize) {
    let example = ctx.example_number();
    ctx.report(
        Rule::InvalidMessages,
        pointer,
        format!(
            "Example {example}, message {}: is {}, but each message must be an object",
            index + 1,
            type_name(value)
        ),
    );
}
