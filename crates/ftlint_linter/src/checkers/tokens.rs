//! The token checker: counts what each example costs with `ftlint_tokenizer` and runs the token
//! rules (FT6xx) over the counts, when counting is on.

use crate::context::{FileContext, RecordContext};
use crate::model::facts::ImageFact;
use crate::model::json::Object;
use crate::rules::tokens::{dataset_too_large, example_too_long};
use crate::tokens::{ExampleTokens, FileStats, ImageCost};

/// Counts the record's tokens into its facts (every figure 0 when counting is off) and checks the
/// example's length. Runs after the vision checker, whose image sizes price the images.
pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    let settings = ctx.settings;
    let mut tokens = crate::tokens::count(record, ctx.format, settings.tokens.as_ref());
    if let Some(token_settings) = &settings.tokens {
        price_images_of_known_size(&mut tokens, &ctx.facts.image_sizes, token_settings.images);
        example_too_long::check(ctx, &tokens, token_settings);
    }
    ctx.facts.tokens = Some(tokens);
}

/// Once the file is read: what all its examples cost together.
pub fn check_file(ctx: &mut FileContext<'_>, stats: &FileStats) {
    if let Some(tokens) = &stats.tokens {
        dataset_too_large::check(ctx, tokens, stats.examples);
    }
}

/// Prices the images whose size the image rules read from their inline data (the token walk alone
/// only knows `low` detail under tiles): each one leaves the "unknown cost" count for `image_tokens`.
fn price_images_of_known_size(tokens: &mut ExampleTokens, images: &[ImageFact], cost: ImageCost) {
    for image in images {
        if cost.without_size(image.detail).is_some() || tokens.images_unknown_cost == 0 {
            continue; // already priced by the walk, or nothing left to price
        }
        if let Some(priced) =
            image.size.and_then(|(w, h)| crate::tokens::image_tokens(w, h, image.detail, cost))
        {
            tokens.add_image_tokens(priced);
            tokens.images_unknown_cost -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use serde_json::json;

    use crate::check::{check_bytes, FileOutcome};
    use crate::diagnostic::Diagnostic;
    use crate::model::image::tests::png;
    use crate::rules::Rule;
    use crate::settings::{Profile, Settings};
    use crate::sink::Collector;
    use crate::tokens::{counter, Encoding, TokenSettings};

    /// Checks `records` as a file with token counting for gpt-4.1 (65,536 tokens per example).
    fn check(records: &[serde_json::Value], epochs: Option<u32>) -> (FileOutcome, Vec<Diagnostic>) {
        let mut bytes = crate::encoding::UTF8_BOM.to_vec();
        for record in records {
            bytes.extend_from_slice(record.to_string().as_bytes());
            bytes.push(b'\n');
        }
        let mut settings = Settings::new(Profile::Azure);
        settings.tokens = Some(TokenSettings::resolve(Some("gpt-4.1"), None, None, epochs).unwrap());
        settings.set_level(Rule::TooFewExamples, None);
        let mut collector = Collector::default();
        let outcome = check_bytes("t.jsonl", &bytes, &settings, &mut collector).unwrap();
        (outcome, collector.diagnostics.into_iter().map(|(_, d)| d).collect())
    }

    fn tokens(text: &str) -> u64 {
        counter(Encoding::O200kBase).unwrap().count(text) as u64
    }

    #[test]
    fn an_example_with_82000_tokens_of_tools_is_over_the_limit() {
        // One function with 376 properties, each described at length: about 82,000 tokens of
        // definitions around a two-message conversation of a few dozen.
        let description = "The amount of rainfall expected in the next hour, in millimetres, as measured by the nearest station ".repeat(10);
        let properties: serde_json::Map<String, serde_json::Value> = (0..376)
            .map(|i| (format!("field_{i}"), json!({"type": "string", "description": description})))
            .collect();
        let record = json!({
            "tools": [{"type": "function", "function": {"name": "report", "description": "File a weather report.",
                "parameters": {"type": "object", "properties": properties}}}],
            "messages": [{"role": "user", "content": "Report the rain."},
                         {"role": "assistant", "content": "Filed."}]});
        let (outcome, diagnostics) = check(&[record], None);
        let t = outcome.stats.tokens.unwrap();
        assert!(t.total < 100, "text alone is short: {}", t.total);
        assert!((80_000..84_000).contains(&t.tool_tokens), "{}", t.tool_tokens);
        assert_eq!(t.counted, t.total + t.tool_tokens);
        assert_eq!((t.over_limit, t.max_example as u64), (1, t.counted));
        let long: Vec<_> = diagnostics.iter().filter(|d| d.rule == Rule::ExampleTooLong).collect();
        assert_eq!(long.len(), 1, "{diagnostics:?}");
        let message = &long[0].message;
        assert!(message.contains(&format!("example has {} tokens", t.counted)), "{message}");
        assert!(message.contains(&format!("{} of tool definitions and calls", t.tool_tokens)), "{message}");
        // The definitions come first: the cut reaches the assistant's answer, which is lost.
        assert!(message.contains("all 2 trained assistant tokens are lost"), "{message}");
        assert_eq!(long[0].pointer.as_deref(), Some("/messages/1/content"));
    }

    #[test]
    fn the_billed_estimate_adds_tools_calls_and_images_as_computed_by_hand() {
        let image = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png(1024, 1024, 8, 2))
        );
        let record = json!({
            "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather.",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Hi"},
                                             {"type": "image_url", "image_url": {"url": image, "detail": "high"}}]},
                {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "21"},
                {"role": "assistant", "content": "Hello"}]});
        let (outcome, diagnostics) = check(&[record], Some(2));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let t = outcome.stats.tokens.unwrap();
        // Text: 3 per message + role + content, + 3 for the reply.
        let text = (3 + tokens("user") + tokens("Hi"))
            + (3 + tokens("assistant"))
            + (3 + tokens("tool") + tokens("21"))
            + (3 + tokens("assistant") + tokens("Hello"))
            + 3;
        // The cookbook's estimate: 7 per function + `name:description`, 3 for the properties,
        // 3 + `key:type:description` per property, 12 at the end.
        let definitions = 7 + tokens("get_weather:Weather") + 3 + 3 + tokens("city:string:") + 12;
        let call = tokens("get_weather") + tokens("{\"city\": \"Paris\"}");
        // 1024 × 1024 at high detail: scaled to 768 × 768, 4 tiles: 85 + 4 × 170.
        let image = 85 + 4 * 170;
        assert_eq!(t.total, text);
        assert_eq!((t.tool_tokens, t.image_tokens), (definitions + call, image));
        assert_eq!(t.counted, text + definitions + call + image);
        assert_eq!(t.trained_with_tools, t.trained + call);
        assert_eq!(t.billed_tokens_estimate, 2 * (text + definitions + call + image));
        assert_eq!(t.training_tokens(), t.billed_tokens_estimate);
    }
}
