//! One example's tokens, by OpenAI's chat formula (docs/service-rules.md §6, from OpenAI's
//! token-counting cookbook).
//!
//! `total` = 3 for the reply primer, plus per message 3 + the tokens of `role`, of the content text
//! (a string, or the `text` of its `type: "text"` parts joined with nothing between them) and of a
//! string `name`, plus 1 when that `name` is present. `trained` is the content-text tokens of
//! assistant messages whose `weight` is not 0. Tool definitions, assistant tool calls and images
//! are counted apart, never in `total`: how the service counts them in training is not documented,
//! and the cookbook's figures for them are estimates.
//!
//! `counted` adds them back: `total` + tool definitions (the cookbook's function-definition
//! estimate, see [`Counter::tools`]) + assistant tool calls (name and arguments text) + images
//! whose cost is known (docs/service-rules.md §3 and §6). It is what the per-example limit, the
//! billed estimate and Azure's per-job cap apply to, since the service tokenizes all of it.
//! `trained_with_tools` is `trained` plus the tool calls of the assistant messages that are
//! trained: a call is the assistant's output as much as its text is. The example is laid out with
//! its tool definitions first (they go into the prompt ahead of the messages), so the position
//! where the limit cuts accounts for them too.
//!
//! The formats: SFT and RFT count `messages`. A DPO record is two sequences sharing one input,
//! `input.messages` + `preferred_output` and `input.messages` + `non_preferred_output`; each is
//! laid out and cut at the limit on its own, so `total` is the longer of the two (the one the
//! limit bites first), while `trained` adds the assistant content of *both* outputs, which is what
//! the preference loss reads. Assistant messages inside a DPO `input` are context, not trained.
//!
//! The walk also tallies what the report shows without a tokenizer (messages, images, tools), so
//! it runs under `--no-tokens` too; its token figures then hold only the fixed per-message
//! overheads and are never reported. Values of the wrong type are
//! skipped, never a panic: the record rules report them.

use crate::model::json::{Object, Value};

use super::images::{Detail, ImageCost};
use super::{count_text, TextCounter, TokenSettings};
use crate::model::shape::Format;

/// What one example costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExampleTokens {
    /// By the chat formula, text only.
    pub total: u32,
    /// Content tokens of assistant messages with a weight other than 0.
    pub trained: u32,
    /// `total` + tool definitions + tool calls + images of known cost: what the per-example limit,
    /// the billed estimate and Azure's per-job cap apply to. For DPO, the calls of the longer
    /// output only, as for `total`.
    pub counted: u32,
    /// `trained` + the name and arguments tokens of tool calls made by trained assistant messages.
    pub trained_with_tools: u32,
    /// Tool definitions (`tools`, `functions`) plus assistant tool calls (name and arguments).
    pub tool_tokens: u32,
    /// Images whose cost is known offline (e.g. `detail: "low"`, 85 each for gpt-4.1).
    pub image_tokens: u32,
    pub messages: u32,
    pub images: u32,
    /// Images whose cost depends on a size ftlint does not know (URLs, `high`/`auto` detail).
    pub images_unknown_cost: u32,
    /// Whether the example defines tools or functions.
    pub has_tools: bool,
    /// Assistant tool calls (`tool_calls` items and legacy `function_call`s).
    pub tool_calls: u32,
    /// Trained tokens that lie past the per-example limit, where the service cuts the example.
    pub trained_past_limit: u32,
    /// The first trained message the cut reaches: its array and index there.
    pub first_cut: Option<(Section, u32)>,
    /// Whether the cut first reaches that message's `tool_calls` rather than its `content`.
    pub first_cut_in_calls: bool,
}

impl ExampleTokens {
    /// Adds the tokens of an image priced after the walk (from its decoded size).
    pub fn add_image_tokens(&mut self, tokens: u32) {
        self.image_tokens = self.image_tokens.saturating_add(tokens);
        self.counted = self.counted.saturating_add(tokens);
    }
}

/// The message arrays of a record, for pointing at a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Messages,
    InputMessages,
    PreferredOutput,
    NonPreferredOutput,
}

impl Section {
    /// The array's JSON pointer in the record.
    pub const fn pointer(self) -> &'static str {
        match self {
            Section::Messages => "/messages",
            Section::InputMessages => "/input/messages",
            Section::PreferredOutput => "/preferred_output",
            Section::NonPreferredOutput => "/non_preferred_output",
        }
    }
}

/// Counts one record of `format`. With `settings` `None` (`--no-tokens`) or no tokenizer, only
/// the structural tallies are meaningful.
pub fn count(record: &Object<'_>, format: Format, settings: Option<&TokenSettings>) -> ExampleTokens {
    let text = settings.and_then(|s| super::counter(s.encoding));
    let mut counter = Counter {
        text,
        limit: settings.map_or(u64::MAX, |s| u64::from(s.max_example_tokens)),
        images: settings.map_or(ImageCost::NoImages, |s| s.images),
        tool_function_tokens: settings.map_or(0, |s| super::models::tool_function_tokens(s.encoding)),
        position: 0,
        tokens: ExampleTokens::default(),
    };
    match format {
        Format::Sft | Format::Rft => {
            // Tool definitions go into the prompt ahead of the messages.
            counter.tools(record);
            counter.messages(record.get("messages"), Section::Messages);
            // The reply primer, `<|im_start|>assistant<|im_sep|>`.
            counter.add_total(3);
            counter.tokens.counted = counter.tokens.total.saturating_add(counter.tokens.tool_tokens);
        }
        Format::Dpo => {
            let input = record.get("input").and_then(Value::as_object);
            if let Some(input) = input {
                counter.tools(input);
            }
            counter.messages(input.and_then(|input| input.get("messages")), Section::InputMessages);
            let shared = counter.tokens.total;
            let shared_tools = counter.tokens.tool_tokens;
            let start = counter.position;
            let (mut longest, mut longest_counted) = (0u32, 0u32);
            for (key, section) in [
                ("preferred_output", Section::PreferredOutput),
                ("non_preferred_output", Section::NonPreferredOutput),
            ] {
                counter.position = start;
                counter.tokens.total = 0;
                let calls_before = counter.tokens.tool_tokens;
                counter.messages(record.get(key), section);
                let calls = counter.tokens.tool_tokens - calls_before;
                longest = longest.max(counter.tokens.total);
                longest_counted = longest_counted.max(counter.tokens.total.saturating_add(calls));
            }
            counter.tokens.total = shared.saturating_add(longest);
            counter.add_total(3);
            counter.tokens.counted =
                shared.saturating_add(shared_tools).saturating_add(longest_counted).saturating_add(3);
        }
    }
    counter.tokens.counted = counter.tokens.counted.saturating_add(counter.tokens.image_tokens);
    counter.tokens
}

struct Counter<'a> {
    text: Option<&'a dyn TextCounter>,
    limit: u64,
    images: ImageCost,
    tool_function_tokens: i64,
    /// Tokens so far, in the order the service lays the example out.
    position: u64,
    tokens: ExampleTokens,
}

impl Counter<'_> {
    fn text(&self, text: &str) -> u32 {
        self.text.map_or(0, |counter| count_text(counter, text))
    }

    fn add_total(&mut self, n: u32) {
        self.tokens.total = self.tokens.total.saturating_add(n);
        self.position += u64::from(n);
    }

    /// The messages of one array. A DPO input is context: its assistant turns are not trained.
    fn messages(&mut self, messages: Option<&Value<'_>>, section: Section) {
        let Some(messages) = messages.and_then(Value::as_array) else { return };
        let train = section != Section::InputMessages;
        for (i, message) in messages.iter().enumerate() {
            let Some(message) = message.as_object() else { continue };
            let before = self.tokens.trained_past_limit;
            self.message(message, train);
            if before == 0 && self.tokens.trained_past_limit > 0 && self.tokens.first_cut.is_none() {
                self.tokens.first_cut = Some((section, u32::try_from(i).unwrap_or(u32::MAX)));
            }
        }
    }

    /// One message, laid out as `<|im_start|>role[ name]<|im_sep|>content<|im_end|>`: two of the
    /// three overhead tokens come before the content and one after it, which is where the content's
    /// tokens fall when the service cuts the example at the limit.
    fn message(&mut self, message: &Object<'_>, train: bool) {
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
        let assistant = role == "assistant";
        let trained = assistant && train && !message.get("weight").is_some_and(is_zero);
        if trained {
            self.tokens.trained = self.tokens.trained.saturating_add(content);
            self.tokens.trained_with_tools = self.tokens.trained_with_tools.saturating_add(content);
            self.add_past_limit(start, end);
        }
        self.add_total(1);

        if !assistant {
            return;
        }
        // Tool calls, new style and legacy: the function's name and its arguments text.
        let mut calls = 0u32;
        let tool_calls = message.get("tool_calls").and_then(Value::as_array);
        for call in tool_calls.into_iter().flatten() {
            self.tokens.tool_calls += 1;
            calls = calls.saturating_add(self.function_call(call.get("function")));
        }
        if let Some(call) = message.get("function_call").filter(|call| call.is_object()) {
            self.tokens.tool_calls += 1;
            calls = calls.saturating_add(self.function_call(Some(call)));
        }
        self.tokens.tool_tokens = self.tokens.tool_tokens.saturating_add(calls);
        // The calls follow the content in the layout; they are not in `total`, so only the
        // position moves.
        let start = self.position;
        self.position += u64::from(calls);
        if trained && calls > 0 {
            self.tokens.trained_with_tools = self.tokens.trained_with_tools.saturating_add(calls);
            let before = self.tokens.trained_past_limit;
            self.add_past_limit(start, self.position);
            if before == 0 && self.tokens.trained_past_limit > 0 && self.tokens.first_cut.is_none() {
                self.tokens.first_cut_in_calls = true;
            }
        }
    }

    /// Adds the trained tokens between `start` and `end` that lie past the limit.
    fn add_past_limit(&mut self, start: u64, end: u64) {
        let past = end.saturating_sub(start.max(self.limit));
        self.tokens.trained_past_limit =
            self.tokens.trained_past_limit.saturating_add(u32::try_from(past).unwrap_or(u32::MAX));
    }

    fn function_call(&self, call: Option<&Value<'_>>) -> u32 {
        let Some(call) = call.and_then(Value::as_object) else { return 0 };
        let text = |key| call.get(key).and_then(Value::as_str).map_or(0, |s| self.text(s));
        text("name").saturating_add(text("arguments"))
    }

    /// The content text's tokens; image parts are tallied on the side.
    fn content(&mut self, content: Option<&Value<'_>>) -> u32 {
        match content {
            Some(Value::String(text)) => self.text(text),
            Some(Value::Array(parts)) => {
                // Joined before counting: BPE pieces can span the boundary between two parts.
                let mut joined = String::new();
                for part in parts.iter().filter_map(Value::as_object) {
                    match part.get("type").and_then(Value::as_str) {
                        Some("text") => {
                            if let Some(text) = part.get("text").and_then(Value::as_str) {
                                if self.text.is_some() {
                                    joined.push_str(text);
                                }
                            }
                        }
                        Some("image_url") => self.image(part.get("image_url")),
                        _ => {}
                    }
                }
                self.text(&joined)
            }
            _ => 0,
        }
    }

    fn image(&mut self, image: Option<&Value<'_>>) {
        self.tokens.images += 1;
        // A missing `detail` is `auto`, as the service defaults (an invalid one is FT302's finding).
        let detail = image
            .and_then(|i| i.get("detail"))
            .and_then(Value::as_str)
            .and_then(Detail::parse)
            .unwrap_or_default();
        // The size decides the cost except for `low` detail under tiles; an http URL hides it,
        // and inline data is not decoded here.
        match self.images.without_size(detail) {
            Some(cost) if self.text.is_some() => {
                self.tokens.image_tokens = self.tokens.image_tokens.saturating_add(cost);
                self.position += u64::from(cost);
            }
            _ => self.tokens.images_unknown_cost += 1,
        }
    }

    /// Tool definitions, by the function-definition estimate of OpenAI's token-counting cookbook
    /// (`num_tokens_for_tools`, docs/service-rules.md §6 [CB-TOK]). It is an estimate: the cookbook
    /// derives it from the API's prompt-token counts, and the service does not document how it lays
    /// tools out in training. Per function a constant (7 for o200k models,
    /// 10 for cl100k ones) and the tokens of `name:description`; when it has properties, 3 once and
    /// per property 3 plus `prop:type:description`; per enum −3 plus 3 and the item's tokens per
    /// item; 12 once at the end. A trailing "." of a description is dropped. A missing description
    /// or type counts as empty and missing properties as none, where the cookbook would fail.
    fn tools(&mut self, record: &Object<'_>) {
        let tools = record.get("tools").and_then(Value::as_array);
        let functions = record.get("functions").and_then(Value::as_array);
        if tools.is_none() && functions.is_none() {
            return;
        }
        self.tokens.has_tools = true;
        if self.text.is_none() {
            return;
        }
        let defined: Vec<&Object<'_>> = tools
            .into_iter()
            .flatten()
            .filter_map(|tool| tool.get("function").and_then(Value::as_object))
            .chain(functions.into_iter().flatten().filter_map(Value::as_object))
            .collect();
        if defined.is_empty() {
            return;
        }
        let mut sum: i64 = 0;
        for function in defined {
            sum += self.tool_function_tokens;
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
            for (key, property) in properties.iter() {
                sum += 3;
                let kind = match property.get("type") {
                    Some(Value::String(kind)) => kind.to_string(),
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
        self.position += u64::from(sum);
    }
}

fn trimmed_description<'a>(value: Option<&'a Value<'a>>) -> &'a str {
    let text = value.and_then(Value::as_str).unwrap_or("");
    text.strip_suffix('.').unwrap_or(text)
}

/// `weight: 0` (or `0.0`) switches a message's training off; any other value leaves it on.
fn is_zero(weight: &Value<'_>) -> bool {
    weight.as_f64() == Some(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::{counter, Encoding};
    use serde_json::json;

    fn settings(limit: u32) -> TokenSettings {
        TokenSettings {
            model: "test".into(),
            encoding: Encoding::O200kBase,
            max_example_tokens: limit,
            images: ImageCost::Tiles { base: 85, tile: 170 },
            epochs: None,
        }
    }

    fn tokens(record: serde_json::Value, limit: u32) -> ExampleTokens {
        let arena = bumpalo::Bump::new();
        let record = Value::from_serde(&record, &arena);
        count(record.as_object().unwrap(), Format::Sft, Some(&settings(limit)))
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
        assert_eq!((all.trained_past_limit, all.first_cut), (0, None));
        assert_eq!(tokens(record.clone(), 9).first_cut, Some((Section::Messages, 1)));
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
        assert_eq!((t.images, t.images_unknown_cost, t.image_tokens, t.tool_calls), (2, 1, 85, 1));
        assert_eq!(t.total, 3 + 3 + 1 + 3 + 1);
        // Without a tokenizer the tallies stay; the total is only the fixed overheads.
        let arena = bumpalo::Bump::new();
        let bare = count(
            Value::from_serde(&json!({"tools": [], "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u", "detail": "low"}}]},
                                            {"role": "assistant", "content": "Hello"}]}), &arena)
            .as_object()
            .unwrap(),
            Format::Sft,
            None,
        );
        assert_eq!((bare.messages, bare.images, bare.images_unknown_cost, bare.has_tools), (2, 1, 1, true));
        assert_eq!((bare.total, bare.trained, bare.image_tokens, bare.tool_tokens), (3 + 3 + 3, 0, 0, 0));
    }

    #[test]
    fn tool_calls_are_trained_targets_laid_out_after_the_definitions() {
        let call =
            |args: &str| json!({"id": "1", "type": "function", "function": {"name": "f", "arguments": args}});
        let record = json!({
            "tools": [{"type": "function", "function": {"name": "f", "description": "Do it."}}],
            "messages": [
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "tool_calls": [call("{\"a\": \"one two three four five six\"}")]},
                {"role": "tool", "tool_call_id": "1", "content": "ok"},
                {"role": "assistant", "content": "Hello", "weight": 0, "tool_calls": [call("{}")]}]});
        let all = tokens(record.clone(), 10_000);
        let text = |t: &str| count_text(counter(Encoding::O200kBase).unwrap(), t);
        let first_call = text("f") + text("{\"a\": \"one two three four five six\"}");
        let second_call = text("f") + text("{}");
        // Only the first call is trained; the second message's weight is 0.
        assert_eq!(all.trained, 0);
        assert_eq!(all.trained_with_tools, first_call);
        assert_eq!(all.counted, all.total + all.tool_tokens);
        // The definitions come first, then the user message (3 + 1 + 1) and the assistant's
        // overhead (3 + 1), then the call. A limit 2 tokens into it cuts the rest of the call.
        let definitions = all.tool_tokens - first_call - second_call;
        let call_start = definitions + (3 + 1 + 1) + (3 + 1);
        let cut = tokens(record, call_start + 2);
        assert_eq!(cut.first_cut, Some((Section::Messages, 1)));
        assert!(cut.first_cut_in_calls);
        assert_eq!(cut.trained_past_limit, first_call - 2);
    }

    #[test]
    fn dpo_counts_the_longer_sequence_and_trains_both_outputs() {
        // "Hi", "Hello", "Bye" and the roles are one token each.
        let record = json!({
            "input": {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
                                   {"role": "user", "content": "Hi"}]},
            "preferred_output": [{"role": "assistant", "content": "Hello Hello Hello"}],
            "non_preferred_output": [{"role": "assistant", "content": "Bye"}]});
        let arena = bumpalo::Bump::new();
        let record = Value::from_serde(&record, &arena);
        let t = count(record.as_object().unwrap(), Format::Dpo, Some(&settings(1000)));
        assert_eq!(t.total, 3 * 5 + (3 + 1 + 3) + 3);
        assert_eq!(t.trained, 3 + 1);
        assert_eq!(t.messages, 5);
        // Cut after the shared input plus the preferred head: both outputs lose their content.
        let cut = count(record.as_object().unwrap(), Format::Dpo, Some(&settings(15 + 2)));
        assert_eq!(cut.trained_past_limit, 3 + 1);
        assert_eq!(cut.first_cut.map(|(s, i)| (s.pointer(), i)), Some(("/preferred_output", 0)));
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
