//! One example's tokens, by OpenAI's chat formula (RULES.md §6, from OpenAI's token-counting
//! cookbook).
//!
//! `total` = 3 for the reply primer, plus per message 3 + the tokens of `role`, of the content text
//! (a string, or the `text` of its text parts joined with nothing between them) and of `name`, plus 1
//! when `name` is present. `trained` is the content-text tokens of assistant messages whose `weight`
//! is not 0. Tool definitions, assistant tool calls and images are counted apart, never in `total`:
//! how the service counts them in training is not documented, and the cookbook's figures for them
//! are estimates.
//!
//! Values of the wrong type are skipped, never a panic: the record rules report them.

use serde_json::{Map, Value};
use tiktoken_rs::CoreBPE;

use super::{count_text, TokenSettings};
use crate::record::Format;

/// What one example costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExampleTokens {
    /// By the chat formula; what the per-example limit applies to.
    pub total: u32,
    /// Content tokens of assistant messages with a weight other than 0.
    pub trained: u32,
    /// Tool definitions (`tools`, `functions`) plus assistant tool calls (name and arguments).
    pub tool_tokens: u32,
    /// Images whose cost is known offline (`detail: "low"`, 85 each).
    pub image_tokens: u32,
    pub messages: u32,
    pub images: u32,
    /// Images whose cost depends on a size ftlint does not know (URLs, `high`/`auto` detail).
    pub images_unknown_cost: u32,
    /// Whether the example defines tools or functions.
    pub has_tools: bool,
    /// Trained tokens that lie past the per-example limit, where the service cuts the example.
    pub trained_past_limit: u32,
}

/// The `detail` of an image part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Low,
    High,
    /// The service picks; its cost is not documented, so ftlint assumes `high`, the upper bound.
    Auto,
}

/// Tokens of one image of `width` × `height` pixels (RULES.md §3, gpt-4o and gpt-4.1, the models that
/// take images in fine-tuning). `low` is a flat 85. Otherwise the image is scaled down to fit in
/// 2048 × 2048, then scaled down so its shortest side is 768, then cut into 512-pixel tiles:
/// 85 + 170 per tile. The docs do not say whether a smaller image is scaled *up* to 768 (RULES.md
/// open question 11); ftlint follows the public implementations that only scale down, which gives
/// the lower count for small images. Scaled sides are rounded down, as those implementations do.
pub fn image_tokens(width: u32, height: u32, detail: Detail) -> u32 {
    if detail == Detail::Low {
        return 85;
    }
    let (mut w, mut h) = (f64::from(width), f64::from(height));
    if w > 2048.0 || h > 2048.0 {
        let scale = 2048.0 / w.max(h);
        (w, h) = ((w * scale).floor(), (h * scale).floor());
    }
    if w.min(h) > 768.0 {
        let scale = 768.0 / w.min(h);
        (w, h) = ((w * scale).floor(), (h * scale).floor());
    }
    let tiles = (w / 512.0).ceil() * (h / 512.0).ceil();
    // At most 4 × 4 tiles after scaling, so the cast cannot overflow.
    85 + 170 * tiles as u32
}

/// Counts one record of `format`; `None` when the tokenizer is unavailable.
pub fn count(record: &Map<String, Value>, format: Format, settings: &TokenSettings) -> Option<ExampleTokens> {
    let bpe = super::tokenizer(settings.encoding)?;
    let mut counter = Counter { bpe, limit: u64::from(settings.max_example_tokens), position: 0, tokens: ExampleTokens::default() };
    match format {
        Format::Sft | Format::Rft => {
            counter.messages(record.get("messages"));
            counter.tools(record, settings);
        }
        // A DPO example trains on its input followed by the preferred output; the non-preferred
        // output is contrasted with it, so the preferred pair is the one counted.
        Format::Dpo => {
            let input = record.get("input").and_then(Value::as_object);
            counter.messages(input.and_then(|input| input.get("messages")));
            counter.messages(record.get("preferred_output"));
            if let Some(input) = input {
                counter.tools(input, settings);
            }
        }
    }
    // The reply primer, `<|im_start|>assistant<|im_sep|>`.
    counter.add_total(3);
    Some(counter.tokens)
}

struct Counter<'a> {
    bpe: &'a CoreBPE,
    limit: u64,
    /// Tokens so far, in the order the service lays the example out.
    position: u64,
    tokens: ExampleTokens,
}

impl Counter<'_> {
    fn text(&self, text: &str) -> u32 {
        count_text(self.bpe, text)
    }

    fn add_total(&mut self, n: u32) {
        self.tokens.total = self.tokens.total.saturating_add(n);
        self.position += u64::from(n);
    }

    fn messages(&mut self, messages: Option<&Value>) {
        let Some(messages) = messages.and_then(Value::as_array) else { return };
        for message in messages.iter().filter_map(Value::as_object) {
            self.message(message);
        }
    }

    /// One message, laid out as `<|im_start|>role[ name]<|im_sep|>content<|im_end|>`: two of the
    /// three overhead tokens come before the content and one after it, which is where the content's
    /// tokens fall when the service cuts the example at the limit.
    fn message(&mut self, message: &Map<String, Value>) {
        self.tokens.messages += 1;
        let role = message.get("role").and_then(Value::as_str).unwrap_or("");
        let mut head = 2 + self.text(role);
        if let Some(name) = message.get("name").and_then(Value::as_str) {
            head += self.text(name) + 1;
        }
        self.add_total(head);

        let content = self.content(message.get("content"));
        let start = self.position;
        self.add_total(content);
        let end = self.position;
        let trained = role == "assistant" && !message.get("weight").is_some_and(is_zero);
        if trained {
            self.tokens.trained = self.tokens.trained.saturating_add(content);
            let past = end.saturating_sub(start.max(self.limit));
            self.tokens.trained_past_limit =
                self.tokens.trained_past_limit.saturating_add(u32::try_from(past).unwrap_or(u32::MAX));
        }
        self.add_total(1);

        // Tool calls, new style and legacy: the function's name and its arguments text.
        let mut calls = 0u32;
        let tool_calls = message.get("tool_calls").and_then(Value::as_array);
        for call in tool_calls.into_iter().flatten() {
            calls = calls.saturating_add(self.function_call(call.get("function")));
        }
        calls = calls.saturating_add(self.function_call(message.get("function_call")));
        self.tokens.tool_tokens = self.tokens.tool_tokens.saturating_add(calls);
    }

    fn function_call(&self, call: Option<&Value>) -> u32 {
        let Some(call) = call.and_then(Value::as_object) else { return 0 };
        let text = |key| call.get(key).and_then(Value::as_str).map_or(0, |s| self.text(s));
        text("name").saturating_add(text("arguments"))
    }

    /// The content text's tokens; image parts are tallied on the side.
    fn content(&mut self, content: Option<&Value>) -> u32 {
        match content {
            Some(Value::String(text)) => self.text(text),
            Some(Value::Array(parts)) => {
                let mut joined = String::new();
                for part in parts.iter().filter_map(Value::as_object) {
                    if let Some(text) = part.get("text").and_then(Value::as_str) {
                        joined.push_str(text);
                    } else if let Some(image) = part.get("image_url") {
                        self.image(image);
                    }
                }
                self.text(&joined)
            }
            _ => 0,
        }
    }

    fn image(&mut self, image: &Value) {
        self.tokens.images += 1;
        let detail = image.get("detail").and_then(Value::as_str);
        if detail == Some("low") {
            self.tokens.image_tokens = self.tokens.image_tokens.saturating_add(image_tokens(0, 0, Detail::Low));
        } else {
            // The cost depends on the image's size, which an http URL hides and which ftlint does
            // not read from inline data here.
            self.tokens.images_unknown_cost += 1;
        }
    }

    /// Tool definitions, per the cookbook's estimate: per function a constant (7 for o200k models,
    /// 10 for cl100k ones) and the tokens of `name:description`; when it has properties, 3 once and
    /// per property 3 plus `prop:type:description`; per enum −3 plus 3 and the item's tokens per
    /// item; 12 once at the end. A trailing "." of a description is dropped. A missing description
    /// or type counts as empty and missing properties as none, where the cookbook would fail.
    fn tools(&mut self, record: &Map<String, Value>, settings: &TokenSettings) {
        let tools = record.get("tools").and_then(Value::as_array);
        let functions = record.get("functions").and_then(Value::as_array);
        let defined: Vec<&Map<String, Value>> = tools
            .into_iter()
            .flatten()
            .filter_map(|tool| tool.get("function").and_then(Value::as_object))
            .chain(functions.into_iter().flatten().filter_map(Value::as_object))
            .collect();
        if tools.is_none() && functions.is_none() {
            return;
        }
        self.tokens.has_tools = true;
        if defined.is_empty() {
            return;
        }
        let mut sum: i64 = 0;
        for function in defined {
            sum += settings.encoding.tool_function_tokens();
            let name = function.get("name").and_then(Value::as_str).unwrap_or("");
            let description = trimmed_description(function.get("description"));
            sum += i64::from(self.text(&format!("{name}:{description}")));
            let properties = function
                .get("parameters")
                .and_then(|p| p.get("properties"))
                .and_then(Value::as_object)
                .filter(|p| !p.is_empty());
            let Some(properties) = properties else { continue };
            sum += 3;
            for (key, property) in properties {
                sum += 3;
                let kind = match property.get("type") {
                    Some(Value::String(kind)) => kind.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                if let Some(items) = property.get("enum").and_then(Value::as_array) {
                    sum -= 3;
                    for item in items {
                        let item = match item {
                            Value::String(item) => self.text(item),
                            other => self.text(&other.to_string()),
                        };
                        sum += 3 + i64::from(item);
                    }
                }
                let description = trimmed_description(property.get("description"));
                sum += i64::from(self.text(&format!("{key}:{kind}:{description}")));
            }
        }
        sum += 12;
        let sum = u32::try_from(sum.max(0)).unwrap_or(u32::MAX);
        self.tokens.tool_tokens = self.tokens.tool_tokens.saturating_add(sum);
    }
}

fn trimmed_description(value: Option<&Value>) -> &str {
    let text = value.and_then(Value::as_str).unwrap_or("");
    text.strip_suffix('.').unwrap_or(text)
}

/// `weight: 0` (or `0.0`) switches a message's training off; any other value leaves it on.
fn is_zero(weight: &Value) -> bool {
    weight.as_f64() == Some(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::Encoding;
    use serde_json::json;

    fn settings(limit: u32) -> TokenSettings {
        TokenSettings { model: "test".into(), encoding: Encoding::O200kBase, max_example_tokens: limit, epochs: None }
    }

    fn tokens(record: Value, limit: u32) -> ExampleTokens {
        count(record.as_object().unwrap(), Format::Sft, &settings(limit)).unwrap()
    }

    #[test]
    fn tile_formula_matches_the_documented_examples() {
        assert_eq!(image_tokens(1024, 1024, Detail::High), 765);
        assert_eq!(image_tokens(2048, 4096, Detail::High), 1105);
        assert_eq!(image_tokens(2048, 4096, Detail::Low), 85);
        // Small images are not scaled up: one tile.
        assert_eq!(image_tokens(300, 200, Detail::Auto), 255);
        assert_eq!(image_tokens(0, 0, Detail::High), 85);
        assert_eq!(image_tokens(u32::MAX, 1, Detail::High), 85 + 170 * 4);
    }

    #[test]
    fn the_chat_formula_counts_overhead_role_content_and_name() {
        // "Hi" and "Hello" are one token each, as are "user" and "assistant".
        let t = tokens(
            json!({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}),
            1000,
        );
        assert_eq!((t.total, t.trained, t.messages), (3 + (3 + 1 + 1) + (3 + 1 + 1), 1, 2));
        let named = tokens(json!({"messages": [{"role": "user", "name": "bob", "content": "Hi"}]}), 1000);
        assert_eq!(named.total, 3 + 3 + 1 + 1 + 1 + 1);
    }

    #[test]
    fn weight_zero_is_not_trained_and_parts_join() {
        let t = tokens(
            json!({"messages": [
                {"role": "user", "content": [{"type": "text", "text": "Hel"}, {"type": "text", "text": "lo"}]},
                {"role": "assistant", "content": "Hello", "weight": 0},
                {"role": "assistant", "content": "Hello", "weight": 1}]}),
            1000,
        );
        assert_eq!(t.trained, 1);
        assert_eq!(t.total, 3 + 3 * 5);
    }

    #[test]
    fn trained_tokens_past_the_limit_are_found_in_order() {
        let record = json!({"messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "one two three four five six seven"}]});
        let all = tokens(record.clone(), 1000);
        assert_eq!(all.trained_past_limit, 0);
        // user: 5 tokens, then assistant head 3 tokens: the content starts at position 8.
        assert_eq!(tokens(record.clone(), 8).trained_past_limit, all.trained);
        assert_eq!(tokens(record.clone(), 10).trained_past_limit, all.trained - 2);
        // The limit falls after the content: nothing trained is cut.
        assert_eq!(tokens(record, all.total - 4).trained_past_limit, 0);
    }

    #[test]
    fn tools_and_images_are_counted_apart() {
        let t = tokens(
            json!({"tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather.",
                    "parameters": {"type": "object", "properties": {"unit": {"type": "string", "enum": ["c", "f"]}, "city": {}}}}},
                    {"type": "function", "function": {}}],
                   "messages": [
                {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/a.png", "detail": "low"}},
                                             {"type": "image_url", "image_url": {"url": "https://x/b.png"}}]},
                {"role": "assistant", "tool_calls": [{"id": "1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]}]}),
            1000,
        );
        assert!(t.has_tools && t.tool_tokens > 7 + 7 + 12);
        assert_eq!((t.images, t.images_unknown_cost, t.image_tokens), (2, 1, 85));
        assert_eq!(t.total, 3 + 3 + 1 + 3 + 1);
    }

    #[test]
    fn odd_values_count_without_panicking() {
        for record in [
            json!({"messages": 5}),
            json!({"messages": [1, null, {"role": 3, "content": {"a": 1}, "name": [], "weight": "x"}]}),
            json!({"tools": [1, {"function": {"parameters": {"properties": {"p": {"enum": [1, null]}}}}}], "functions": {}}),
        ] {
            tokens(record, 1);
        }
    }
}
