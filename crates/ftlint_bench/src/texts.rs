//! The text a check tokenizes, pulled out of a chat JSONL file: message contents, text parts, and
//! tool-call names and arguments. Shared by the tokenizer bench and the comparison example.

use serde_json::Value;

/// Every tokenized string of every line of `jsonl` that parses; other lines are skipped.
pub fn extract(jsonl: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in jsonl.lines() {
        let Ok(record) = serde_json::from_str::<Value>(line.trim_start_matches('\u{feff}')) else {
            continue;
        };
        let Some(messages) = record.get("messages").and_then(Value::as_array) else { continue };
        for message in messages {
            match message.get("content") {
                Some(Value::String(text)) => out.push(text.clone()),
                Some(Value::Array(parts)) => out.extend(
                    parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).map(str::to_owned),
                ),
                _ => {}
            }
            for call in message.get("tool_calls").and_then(Value::as_array).into_iter().flatten() {
                let function = call.get("function");
                for key in ["name", "arguments"] {
                    if let Some(text) = function.and_then(|f| f.get(key)).and_then(Value::as_str) {
                        out.push(text.to_owned());
                    }
                }
            }
        }
    }
    out
}
