//! The record checker: one parsed JSON object, checked as a fine-tuning example.
//!
//! A line that parsed as an object arrives here. Its *shape* is read from its keys (chat
//! `messages`, DPO `input` + outputs, legacy `prompt`/`completion`), its *format* is the one
//! `--format` names or, under `auto`, the one its shape implies, and the rules of that format run
//! over it, in the order below. Whatever the format, the raw text is scanned for repeated keys
//! first (FT230), since parsing has already hidden them. Conversations are handed to the
//! conversation checker, its strings to the secrets checker, image parts to the vision checker, and
//! the token count to the token checker. Under `--format rft` with a grader, the fields the
//! grader reads are looked up in the record (FT407).

use crate::checkers::{conversation, secrets, tokens, vision};
use crate::context::RecordContext;
use crate::diagnostic::Diagnostic;
use crate::lines::Line;
use crate::model::facts::RecordFacts;
use crate::model::json::{Object, Value};
use crate::model::message::Kind;
use crate::model::shape::{self, Format, Shape};
use crate::rules::record::{
    dpo_images, duplicate_key, extra_top_level_key, grader_item_missing, identical_preference_outputs,
    invalid_messages, invalid_preference_output, invalid_tool_definition, invalid_tool_schema,
    legacy_function_calling, legacy_preference_keys, legacy_prompt_completion, mixed_formats,
    tool_arguments_mismatch, unknown_record_shape, unsupported_strict_schema,
};
use crate::rules::Rule;
use crate::settings::Settings;
use crate::tool_schemas;

/// Checks one record: decides its format, runs that format's rules, and returns its facts.
pub fn check(
    line: &Line<'_>,
    text: &str,
    record: &Object<'_>,
    repeated_keys: bool,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> RecordFacts {
    let shape = Shape::of(record);
    let Some(format) = shape::resolve(settings.format, shape) else {
        // The format is only a placeholder: none of these rules reads it.
        let mut ctx = RecordContext::new(line, text, settings, Format::Sft, diagnostics);
        legacy_prompt_completion::check(&mut ctx, shape);
        unknown_record_shape::check(&mut ctx, record, shape);
        mixed_formats::check_chosen(&mut ctx, shape);
        return RecordFacts::default();
    };
    let mut ctx = RecordContext::new(line, text, settings, format, diagnostics);
    ctx.repeated_keys = repeated_keys;
    duplicate_key::check(&mut ctx);
    match format {
        Format::Sft => check_sft(&mut ctx, record),
        Format::Dpo => check_dpo(&mut ctx, record),
        Format::Rft => check_rft(&mut ctx, record),
    }
    check_tool_schemas(&mut ctx, record, format);
    if format == Format::Dpo {
        dpo_images::check(&mut ctx, record);
    }
    secrets::check(&mut ctx, record);
    // (new record rules go above this line)
    vision::check(&mut ctx, record);
    ctx.facts.format = Some(format);
    tokens::check(&mut ctx, record);
    ctx.facts
}

fn check_sft(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    extra_top_level_key::check(ctx, record);
    invalid_tool_definition::check(ctx, record, "", &["tools", "functions"]);
    if let Some(messages) = invalid_messages::check(ctx, record, "messages", "/messages") {
        let walked = conversation::check(ctx, messages, "/messages", Kind::Sft);
        legacy_function_calling::check(ctx, record, "", &walked.messages);
    }
}

fn check_dpo(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    extra_top_level_key::check(ctx, record);
    legacy_preference_keys::check(ctx, record);
    if let Some(input) = invalid_messages::check_input(ctx, record) {
        extra_top_level_key::check_input(ctx, input);
        invalid_tool_definition::check(ctx, input, "/input", &["tools"]);
        if let Some(messages) = invalid_messages::check(ctx, input, "messages", "/input/messages") {
            let walked = conversation::check(ctx, messages, "/input/messages", Kind::DpoInput);
            legacy_function_calling::check(ctx, input, "/input", &walked.messages);
        }
    }
    for (old, new) in legacy_preference_keys::RENAMES {
        if let Some(items) = invalid_preference_output::check(ctx, record, new, old) {
            let pointer = format!("/{new}");
            let walked = conversation::check(ctx, items, &pointer, Kind::DpoOutput);
            if walked.complete {
                invalid_preference_output::check_messages(ctx, new, &walked.messages);
            }
        }
    }
    identical_preference_outputs::check(ctx, record);
}

/// The rules about the JSON Schemas of the record's tools (of its `input`, for DPO) and the calls
/// made to them. The definitions are read once per distinct `tools` array per thread
/// ([`crate::tool_schemas`]), so a file that repeats its tools on every line compiles them once.
fn check_tool_schemas<'v>(ctx: &mut RecordContext<'_>, record: &Object<'v>, format: Format) {
    let rules = [Rule::InvalidToolSchema, Rule::UnsupportedStrictSchema, Rule::ToolArgumentsMismatch];
    if !rules.iter().any(|&rule| ctx.enabled(rule)) {
        return;
    }
    let input = record.get("input").and_then(Value::as_object);
    let (owner, base, legacy) = match format {
        Format::Dpo => (input, "/input", false),
        Format::Sft => (Some(record), "", true),
        // In RFT, `functions` is a key for the graders.
        Format::Rft => (Some(record), "", false),
    };
    let Some(tools) = owner.and_then(|owner| tool_schemas::tool_set(owner, legacy)) else { return };
    invalid_tool_schema::check(ctx, &tools, base);
    unsupported_strict_schema::check(ctx, &tools, base);
    match format {
        Format::Dpo => tool_arguments_mismatch::check(
            ctx,
            &tools,
            &[
                ("/input/messages", messages(input, "messages")),
                ("/preferred_output", messages(Some(record), "preferred_output")),
                ("/non_preferred_output", messages(Some(record), "non_preferred_output")),
            ],
        ),
        Format::Sft | Format::Rft => {
            tool_arguments_mismatch::check(ctx, &tools, &[("/messages", messages(Some(record), "messages"))])
        }
    }
}

/// The array at `key` of `owner`; empty when there is none.
fn messages<'v>(owner: Option<&Object<'v>>, key: &str) -> &'v [Value<'v>] {
    owner.and_then(|o| o.get(key)).and_then(Value::as_array).unwrap_or(&[])
}

/// RFT records: `messages` and `tools` are reserved, every other key is for the graders.
fn check_rft(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    invalid_tool_definition::check(ctx, record, "", &["tools"]);
    if let Some(messages) = invalid_messages::check(ctx, record, "messages", "/messages") {
        conversation::check(ctx, messages, "/messages", Kind::Rft);
    }
    if let Some(grader) = &ctx.settings.grader {
        grader_item_missing::check(ctx, record, grader);
    }
}

#[cfg(test)]
mod tests {
    use crate::check::check_bytes;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::model::shape::FormatChoice;
    use crate::rules::Rule;
    use crate::settings::{Profile, Settings};
    use crate::sink::Collector;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn run(line: &str, settings: &Settings) -> Vec<Diagnostic> {
        let bytes = format!("\u{FEFF}{line}\n").into_bytes();
        let mut collector = Collector::default();
        check_bytes("t.jsonl", &bytes, settings, &mut collector).unwrap();
        // A one-line file: the file and dataset rules about its size are not under test here.
        let about_size = [Rule::NoExamples, Rule::TooFewExamples];
        collector.diagnostics.into_iter().map(|(_, d)| d).filter(|d| !about_size.contains(&d.rule)).collect()
    }

    fn findings(line: &str, settings: &Settings) -> Vec<(Rule, Severity)> {
        run(line, settings).into_iter().map(|d| (d.rule, d.severity)).collect()
    }

    const RFT_ENDS_WITH_ASSISTANT: &str = r#"{"messages": [{"role": "user", "content": "2 + 2?"}, {"role": "assistant", "content": "4"}], "answer": "4"}"#;

    #[test]
    fn rft_last_message_is_an_error_on_azure_a_warning_on_openai_unless_the_user_says() {
        let mut settings = Settings::new(Profile::Azure);
        settings.format = FormatChoice::Rft;
        assert_eq!(
            findings(RFT_ENDS_WITH_ASSISTANT, &settings),
            [(Rule::RftLastMessageNotUser, Severity::Error)]
        );
        settings.profile = Profile::Openai;
        let found: Vec<_> = findings(RFT_ENDS_WITH_ASSISTANT, &settings)
            .into_iter()
            .filter(|(r, _)| *r != Rule::UnexpectedBom)
            .collect();
        assert_eq!(found, [(Rule::RftLastMessageNotUser, Severity::Warning)]);
        settings.set_level(Rule::RftLastMessageNotUser, Some(Severity::Error));
        assert!(findings(RFT_ENDS_WITH_ASSISTANT, &settings)
            .contains(&(Rule::RftLastMessageNotUser, Severity::Error)));
        settings.profile = Profile::Azure;
        settings.set_level(Rule::RftLastMessageNotUser, Some(Severity::Warning));
        assert_eq!(
            findings(RFT_ENDS_WITH_ASSISTANT, &settings),
            [(Rule::RftLastMessageNotUser, Severity::Warning)]
        );
    }

    #[test]
    fn dpo_outputs_may_call_tools_on_azure_only() {
        let line = r#"{"input": {"messages": [{"role": "user", "content": "Weather?"}]}, "preferred_output": [{"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{}"}}]}, {"role": "tool", "tool_call_id": "c1", "content": "21"}, {"role": "assistant", "content": "21 °C."}], "non_preferred_output": [{"role": "assistant", "content": "No idea."}]}"#;
        assert!(run(line, &Settings::new(Profile::Azure)).is_empty());
        let openai: Vec<_> = run(line, &Settings::new(Profile::Openai))
            .into_iter()
            .filter(|d| d.rule == Rule::InvalidPreferenceOutput)
            .collect();
        let pointers: Vec<_> = openai.iter().map(|d| d.pointer.as_deref().unwrap()).collect();
        assert_eq!(pointers, ["/preferred_output/1/role", "/preferred_output"]);
        assert!(openai[1].message.contains("2 assistant messages"), "{}", openai[1].message);
    }

    #[test]
    fn rft_takes_grader_keys_and_rejects_system() {
        let mut settings = Settings::new(Profile::Azure);
        settings.format = FormatChoice::Rft;
        let line = r#"{"messages": [{"role": "system", "content": "Be exact."}, {"role": "user", "content": "2 + 2?"}], "answer": "4", "functions": 3}"#;
        assert_eq!(findings(line, &settings), [(Rule::InvalidRole, Severity::Error)]);
    }

    #[test]
    fn an_sft_conversation_the_assistant_opens_is_warned_about_and_a_dpo_input_is_not() {
        let settings = Settings::new(Profile::Azure);
        let sft = r#"{"messages": [{"role": "system", "content": "Be brief."}, {"role": "assistant", "content": "Hi."}, {"role": "user", "content": "2 + 2?"}, {"role": "assistant", "content": "4."}]}"#;
        let found = run(sft, &settings);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].rule, found[0].severity), (Rule::AssistantFirstMessage, Severity::Warning));
        assert_eq!(found[0].pointer.as_deref(), Some("/messages/1/role"));
        assert!(found[0].message.starts_with("message 2, from the assistant"), "{}", found[0].message);
        let dpo = r#"{"input": {"messages": [{"role": "assistant", "content": "Hi."}, {"role": "user", "content": "2 + 2?"}]}, "preferred_output": [{"role": "assistant", "content": "4."}], "non_preferred_output": [{"role": "assistant", "content": "5."}]}"#;
        assert!(run(dpo, &settings).is_empty());
    }

    #[test]
    fn a_message_that_cannot_be_read_stops_the_conversation_rules() {
        // The second message has no role: "no assistant message" would be a guess.
        let line = r#"{"messages": [{"role": "user", "content": "Hi"}, {"content": "Hello"}]}"#;
        assert_eq!(findings(line, &Settings::new(Profile::Azure)), [(Rule::InvalidRole, Severity::Error)]);
    }

    #[test]
    fn the_duplicate_key_span_is_the_repeated_members_value_which_its_pointer_names() {
        let line = r#"{"messages": [{"role": "user", "role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}"#;
        let found = run(line, &Settings::new(Profile::Azure));
        assert_eq!(found.len(), 1);
        let second_value = line.match_indices(r#""role": "user""#).nth(1).unwrap().0 + r#""role": "#.len();
        // The file starts with a 3-byte BOM; the column does not count it.
        assert_eq!(found[0].span.offset, 3 + second_value as u64);
        assert_eq!(found[0].span.length, r#""user""#.len() as u64);
        assert_eq!(found[0].position.unwrap().column, second_value as u64 + 1);
        assert_eq!(found[0].pointer.as_deref(), Some("/messages/0/role"));
        // The pointer resolves to the same value (the last member with the key, as readers keep).
        let located = crate::locate::locate(line, "/messages/0/role").unwrap();
        assert_eq!(located.start, second_value);
    }

    #[test]
    fn dpo_images_are_a_warning_under_openai_and_information_under_azure() {
        let line = r#"{"input": {"messages": [{"role": "user", "content": [{"type": "text", "text": "What is it?"}, {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}]}, "preferred_output": [{"role": "assistant", "content": "A cat."}], "non_preferred_output": [{"role": "assistant", "content": "A dog."}]}"#;
        let severity = |profile| {
            let found: Vec<_> = run(line, &Settings::new(profile))
                .into_iter()
                .filter(|d| d.rule == Rule::DpoImages)
                .collect();
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].pointer.as_deref(), Some("/input/messages/0/content/1"));
            found[0].severity
        };
        assert_eq!(severity(Profile::Openai), Severity::Warning);
        assert_eq!(severity(Profile::Azure), Severity::Info);
        // The same image in an SFT example is no DPO finding.
        let sft = r#"{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}, {"role": "assistant", "content": "A cat."}]}"#;
        assert!(!run(sft, &Settings::new(Profile::Openai)).iter().any(|d| d.rule == Rule::DpoImages));
    }

    // Meta-schema and argument validation need the `jsonschema` crate.
    #[cfg(feature = "tool-schemas")]
    #[test]
    fn tool_schemas_are_checked_where_each_format_defines_tools() {
        let settings = Settings::new(Profile::Azure);
        let bad_tools = r#"[{"type": "function", "function": {"name": "f", "parameters": {"type": 32}}}]"#;
        let dpo = format!(
            r#"{{"input": {{"messages": [{{"role": "user", "content": "Hi"}}], "tools": {bad_tools}}}, "preferred_output": [{{"role": "assistant", "content": "A."}}], "non_preferred_output": [{{"role": "assistant", "content": "B."}}]}}"#
        );
        let found: Vec<_> =
            run(&dpo, &settings).into_iter().filter(|d| d.rule == Rule::InvalidToolSchema).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer.as_deref(), Some("/input/tools/0/function/parameters/type"));
        // In RFT, `functions` is a key for the graders, not tool definitions.
        let mut rft = Settings::new(Profile::Azure);
        rft.format = FormatChoice::Rft;
        let line = r#"{"messages": [{"role": "user", "content": "2 + 2?"}], "functions": [{"name": "f", "parameters": {"type": 32}}]}"#;
        assert!(!run(line, &rft).iter().any(|d| d.rule == Rule::InvalidToolSchema));
        // A call's arguments are checked against the DPO input's tools, in the outputs too.
        let tools = r#"[{"type": "function", "function": {"name": "w", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]"#;
        let dpo = format!(
            r#"{{"input": {{"messages": [{{"role": "user", "content": "Weather?"}}], "tools": {tools}}}, "preferred_output": [{{"role": "assistant", "tool_calls": [{{"id": "c1", "type": "function", "function": {{"name": "w", "arguments": "{{\"city\": 7}}"}}}}]}}], "non_preferred_output": [{{"role": "assistant", "content": "No."}}]}}"#
        );
        let found: Vec<_> =
            run(&dpo, &settings).into_iter().filter(|d| d.rule == Rule::ToolArgumentsMismatch).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pointer.as_deref(), Some("/preferred_output/0/tool_calls/0/function/arguments"));
        // The span is the offending value inside the escaped string: `7`.
        let start = (found[0].span.offset - 3) as usize;
        assert_eq!(&dpo[start..start + found[0].span.length as usize], "7");
    }

    /// Messy chat-like values: the members rules look at, with values of every type.
    fn messy_message() -> impl Strategy<Value = Value> {
        let any_value = prop_oneof![
            Just(Value::Null),
            Just(json!(0)),
            Just(json!(1)),
            Just(json!(0.5)),
            Just(json!("")),
            Just(json!("text")),
            Just(json!("{\"a\": 1}")),
            Just(json!(true)),
            Just(json!({})),
            Just(json!([])),
        ];
        let part = prop_oneof![
            Just(json!({"type": "text", "text": "hi"})),
            Just(json!({"type": "image_url", "image_url": {"url": "https://x/y.png"}})),
            Just(json!({"type": "input_audio"})),
            Just(json!({"type": 3})),
            Just(json!({"text": "no type"})),
            Just(json!({"type": "refusal", "refusal": "no"})),
            Just(json!("bare")),
        ];
        let content =
            prop_oneof![any_value.clone(), proptest::collection::vec(part, 0..3).prop_map(Value::Array)];
        let call = prop_oneof![
            Just(json!({"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}})),
            Just(json!({"id": 1, "type": "tool", "function": {"name": "", "arguments": {}}})),
            Just(json!({"function": "f"})),
            Just(json!(null)),
        ];
        let role =
            prop::sample::select(vec!["system", "developer", "user", "assistant", "tool", "function", "x"]);
        (
            role,
            proptest::option::of(content),
            proptest::option::of(any_value.clone()),
            proptest::option::of(prop_oneof![
                any_value.clone(),
                proptest::collection::vec(call, 0..3).prop_map(Value::Array)
            ]),
            proptest::option::of(prop::sample::select(vec!["c1", "c2", ""])),
            proptest::option::of(any_value),
        )
            .prop_map(|(role, content, weight, tool_calls, tool_call_id, extra)| {
                let mut m = serde_json::Map::new();
                m.insert("role".into(), json!(role));
                let optional = [
                    ("content", content),
                    ("weight", weight),
                    ("tool_calls", tool_calls),
                    ("contnet", extra),
                ];
                for (key, value) in optional {
                    if let Some(value) = value {
                        m.insert(key.into(), value);
                    }
                }
                if let Some(id) = tool_call_id {
                    m.insert("tool_call_id".into(), json!(id));
                }
                Value::Object(m)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn messy_records_check_without_panicking_and_every_pointer_is_found(
            messages in proptest::collection::vec(messy_message(), 0..5),
            outputs in proptest::collection::vec(messy_message(), 0..3),
            shape in 0..3u8,
            openai in any::<bool>(),
        ) {
            let record = match shape {
                0 => json!({"messages": messages, "tools": [{"type": "function", "function": {"name": "a b"}}], "extra": 1}),
                1 => json!({"input": {"messages": messages}, "preferred_output": outputs.clone(), "non_preferred_output": outputs}),
                _ => json!({"messages": messages, "reference": "x"}),
            };
            let line = record.to_string();
            let mut settings = Settings::new(if openai { Profile::Openai } else { Profile::Azure });
            settings.format = if shape == 2 { FormatChoice::Rft } else { FormatChoice::Auto };
            for d in run(&line, &settings) {
                if let Some(pointer) = d.pointer.as_deref() {
                    let range = crate::locate::locate(&line, pointer);
                    prop_assert!(range.is_some(), "{:?} names nothing in {}", d, line);
                    // The span is the located value's, shifted by the BOM.
                    prop_assert_eq!(d.span.offset, 3 + range.unwrap().start as u64);
                }
            }
        }
    }
}
