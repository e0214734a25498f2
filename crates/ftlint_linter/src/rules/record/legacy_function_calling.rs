//! FT228 `legacy-function-calling`: a record that uses `functions`, `function_call` or `function`
//! messages instead of `tools`, `tool_calls` and `tool` messages.

use crate::context::RecordContext;
use crate::model::json::Object;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT228 legacy-function-calling

## What it does
Notes (at `info` level, once per record) a record that uses the legacy function-calling form: a
top-level `functions` list, an assistant `function_call`, or a message with `"role": "function"`.

## Why it matters
The training schema still accepts the legacy form, but the API calls it deprecated in favour of
`tools`, `tool_calls` and `tool` messages, which also allow several calls in one turn. A model
trained on the legacy form learns to answer in it. (In early 2024 the fine-tuning API required the
legacy form; it no longer does.)

## Example
```json
{"messages": [..., {"role": "assistant", "function_call": {"name": "get_weather", "arguments": "{}"}}, {"role": "function", "name": "get_weather", "content": "21"}], "functions": [{"name": "get_weather"}]}
```

## How to fix
Move `functions` into `tools` (`{"type": "function", "function": {…}}`), `function_call` into
`tool_calls` (with an `id` and `"type": "function"`), and `function` messages into `tool` messages
with the matching `tool_call_id`.
"#;

pub const FIX: &str = "use `tools`, `tool_calls` and `tool` messages, the current form";

/// Reports the first legacy construct of the record, if any: `functions` in `container` (at `base`),
/// then a `function_call`, then a `function` message.
pub fn check(ctx: &mut RecordContext<'_>, container: &Object<'_>, base: &str, messages: &[Message<'_>]) {
    if !ctx.enabled(Rule::LegacyFunctionCalling) {
        return;
    }
    let (pointer, what) = if container.contains_key("functions") {
        (format!("{base}/functions"), "`functions`")
    } else if let Some(m) =
        messages.iter().find(|m| m.object.get("function_call").is_some_and(|v| !v.is_null()))
    {
        (m.member("function_call"), "`function_call`")
    } else if let Some(m) = messages.iter().find(|m| m.role == Role::Function) {
        (m.member("role"), "a `function` message")
    } else {
        return;
    };
    ctx.report(Rule::LegacyFunctionCalling, &pointer).message(format!(
        "example uses {what}, the legacy function-calling form; it is accepted, but \
         `tools`/`tool_calls` is the current form"
    ));
}
