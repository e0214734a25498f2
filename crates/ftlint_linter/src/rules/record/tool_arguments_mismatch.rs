//! FT237 `tool-arguments-mismatch`: a tool call whose arguments do not match the `parameters`
//! schema of the tool it calls.

use crate::context::RecordContext;
use crate::model::json::Value;
use crate::rules::Rule;
use crate::tool_schemas::ToolSet;

pub const DOCS: &str = r#"# FT237 tool-arguments-mismatch

## What it does
For each assistant tool call (and legacy `function_call`) whose function the example defines in
`tools` (or `functions`), parses its `arguments` and validates them against that function's
`parameters` schema. Reports each mismatch (a missing required argument, a wrong type, a value
outside an `enum`, an argument the schema does not allow), up to three per call, pointing at the
offending argument inside the `arguments` string. Arguments that are not JSON (FT225) or are
encoded twice (FT234), and schemas that are not schemas (FT235), are left to those rules.

## Why it matters
An assistant tool call is a trained target: the model learns to write exactly these arguments
for this tool (docs/service-rules.md §2, §9). Arguments that break the tool's own schema teach
the model calls that the application, or strict mode, will reject. The service does not check
them, so this is a warning.

## Example
```json
{"tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"unit": {"enum": ["c", "f"]}}, "required": ["unit"]}}}],
 "messages": [..., {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"unit\": \"kelvin\"}"}}]}]}
```

## How to fix
Correct the arguments so they match the schema, or correct the schema if it is the one that is
wrong.
"#;

pub const FIX: &str = "make the arguments match the tool's `parameters` schema";

/// Mismatches reported per call at most.
const MAX_PER_CALL: usize = 3;

/// Checks the calls of the assistant messages of each `(pointer, messages)` array against `tools`.
pub fn check(ctx: &mut RecordContext<'_>, tools: &ToolSet, arrays: &[(&str, &[Value<'_>])]) {
    if !ctx.enabled(Rule::ToolArgumentsMismatch) {
        return;
    }
    for (array, messages) in arrays {
        for (index, message) in messages.iter().enumerate() {
            if message.get("role").and_then(Value::as_str) != Some("assistant") {
                continue;
            }
            if let Some(calls) = message.get("tool_calls").and_then(Value::as_array) {
                for (call_index, call) in calls.iter().enumerate() {
                    let pointer = format!("{array}/{index}/tool_calls/{call_index}/function/arguments");
                    let what = format!("message {}, tool call {}", index + 1, call_index + 1);
                    check_call(ctx, tools, call.get("function"), &pointer, &what);
                }
            }
            let pointer = format!("{array}/{index}/function_call/arguments");
            check_call(
                ctx,
                tools,
                message.get("function_call"),
                &pointer,
                &format!("message {}, `function_call`", index + 1),
            );
        }
    }
}

fn check_call(
    ctx: &mut RecordContext<'_>,
    tools: &ToolSet,
    function: Option<&Value<'_>>,
    pointer: &str,
    what: &str,
) {
    let Some(function) = function.and_then(Value::as_object) else { return };
    let (Some(name), Some(arguments)) =
        (function.get("name").and_then(Value::as_str), function.get("arguments").and_then(Value::as_str))
    else {
        return;
    };
    let Some(defined) = tools.function(name).filter(|f| f.schema_error.is_none()) else { return };
    // Not JSON, or a JSON string: FT225's and FT234's findings.
    let Ok(parsed) = serde_json::from_str::<serde_json::Value>(arguments) else { return };
    if parsed.is_string() {
        return;
    }
    let errors = defined.argument_errors(&parsed, MAX_PER_CALL);
    if errors.is_empty() {
        return;
    }
    let literal = crate::locate::locate(ctx.text(), pointer);
    for error in errors {
        // The offending argument inside the string, mapped back to the escaped text of the line;
        // the whole string when it cannot be placed.
        let inside = literal.clone().and_then(|literal| {
            let decoded = crate::locate::locate(arguments, &error.path)?;
            crate::locate::decoded_to_raw(&ctx.text()[literal.clone()], decoded)
                .map(|r| literal.start + r.start..literal.start + r.end)
        });
        let place = if error.path.is_empty() { String::new() } else { format!(" at `{}`", error.path) };
        let message = format!(
            "{what}: the arguments of `{name}` do not match its `parameters` schema{place}: {}; the model learns a call the tool does not accept",
            error.message
        );
        let report = match inside {
            Some(range) => ctx.report_range(Rule::ToolArgumentsMismatch, range, pointer),
            None => ctx.report(Rule::ToolArgumentsMismatch, pointer),
        };
        report.message(message).label("does not match the schema");
    }
}

#[cfg(test)]
mod tests {
    use crate::locate::decoded_to_raw;

    #[test]
    fn decoded_ranges_map_back_through_escapes() {
        // Decoded: {"unit": "k"}; the value "k" is bytes 9..12.
        let literal = r#""{\"unit\": \"k\"}""#;
        let decoded = r#"{"unit": "k"}"#;
        let range = crate::locate::locate(decoded, "/unit").unwrap();
        assert_eq!(&decoded[range.clone()], r#""k""#);
        let raw = decoded_to_raw(literal, range).unwrap();
        assert_eq!(&literal[raw], r#"\"k\""#);
        // \u escapes and multi-byte characters before the value.
        let literal = r#""{\"a\u00e9\": 1, \"b\": \"\ud83d\ude00x\"}""#;
        let decoded: String = serde_json::from_str(literal).unwrap();
        let range = crate::locate::locate(&decoded, "/b").unwrap();
        let raw = decoded_to_raw(literal, range).unwrap();
        assert_eq!(&literal[raw], r#"\"\ud83d\ude00x\""#);
    }
}
