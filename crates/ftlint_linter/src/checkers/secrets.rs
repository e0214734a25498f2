//! The secrets checker: every string of a record, searched for credentials and, when their rules
//! are on, personal data.
//!
//! A record pays one prefilter pass over its raw text ([`Scanner::may_contain`]); only a record
//! that has one of the fixed prefixes (or every record, when phone numbers are wanted) has its
//! strings walked and searched on their decoded text. A finding's pointer names the string, and its
//! span is the matched text itself, mapped back from the decoded string to the bytes of the line
//! through the string's escapes ([`locate::decoded_to_raw`]). Object keys are not searched: they are
//! names, not content.

use crate::context::RecordContext;
use crate::locate;
use crate::model::credential::{Kind, Scanner, Wanted};
use crate::model::json::{Object, Value};
use crate::rules::secrets::{email_address, phone_number, secret_in_content};
use crate::rules::Rule;

/// One step of the path from the record to a string.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Searches every string of `record`.
pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    let wanted = Wanted {
        secrets: ctx.enabled(Rule::SecretInContent),
        email: ctx.enabled(Rule::EmailAddress),
        phone: ctx.enabled(Rule::PhoneNumber),
    };
    if !wanted.any() {
        return;
    }
    let scanner = Scanner::get();
    if !scanner.may_contain(ctx.text(), wanted) {
        return;
    }
    let mut path = Vec::new();
    for (key, value) in record.iter() {
        path.push(Step::Key(key));
        walk(ctx, scanner, wanted, value, &mut path);
        path.pop();
    }
}

fn walk<'a>(
    ctx: &mut RecordContext<'_>,
    scanner: &Scanner,
    wanted: Wanted,
    value: &'a Value<'a>,
    path: &mut Vec<Step<'a>>,
) {
    match value {
        Value::String(text) => {
            let found = scanner.find(text, wanted);
            if !found.is_empty() {
                report(ctx, text, path, &found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Step::Index(index));
                walk(ctx, scanner, wanted, item, path);
                path.pop();
            }
        }
        Value::Object(object) => {
            for (key, item) in object.iter() {
                path.push(Step::Key(key));
                walk(ctx, scanner, wanted, item, path);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Reports what was found in the string `text` at `path`, each at its own bytes of the line.
fn report(
    ctx: &mut RecordContext<'_>,
    text: &str,
    path: &[Step<'_>],
    found: &[crate::model::credential::Found],
) {
    let pointer = locate::pointer(path.iter().map(|step| match step {
        Step::Key(key) => (*key).to_owned(),
        Step::Index(index) => index.to_string(),
    }));
    let raw = ctx.text();
    // The string as written, quotes included; the pointer names a value that parsed.
    let Some(literal) = locate::locate(raw, &pointer) else { return };
    for item in found {
        let range = locate::decoded_to_raw(&raw[literal.clone()], item.range.clone())
            .map_or(literal.clone(), |inner| literal.start + inner.start..literal.start + inner.end);
        match item.kind {
            Kind::Email => email_address::check(ctx, range, &pointer),
            Kind::Phone => phone_number::check(ctx, range, &pointer),
            kind => secret_in_content::check(ctx, kind, range, &pointer, &text[item.range.clone()]),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::check_bytes;
    use crate::diagnostic::Diagnostic;
    use crate::rules::Rule;
    use crate::settings::{Profile, Settings};
    use crate::sink::Collector;
    use proptest::prelude::*;

    const KEY: &str = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIj3kLm";

    fn findings(line: &str, settings: &Settings) -> Vec<Diagnostic> {
        let bytes = format!("{line}\n").into_bytes();
        let mut collector = Collector::default();
        check_bytes("t.jsonl", &bytes, settings, &mut collector).unwrap();
        collector
            .diagnostics
            .into_iter()
            .map(|(_, d)| d)
            .filter(|d| d.rule.code().starts_with("FT7"))
            .collect()
    }

    /// The bytes of `line` under a finding's span, decoded as the inside of a JSON string.
    fn decoded_span(line: &str, d: &Diagnostic) -> String {
        let raw = &line[d.span.offset as usize..(d.span.offset + d.span.length) as usize];
        serde_json::from_str(&format!("\"{raw}\"")).unwrap()
    }

    #[test]
    fn a_key_in_any_string_is_reported_at_its_own_bytes_and_its_pointer() {
        let line = format!(
            r#"{{"messages": [{{"role": "user", "content": "Caf\u00e9 \"key\"\n{KEY}."}}, {{"role": "assistant", "content": "ok"}}], "meta": {{"notes": ["x", "AKIAQWERTYUIOPASDFGH"]}}}}"#
        );
        let found = findings(&line, &Settings::new(Profile::Openai));
        let seen: Vec<_> =
            found.iter().map(|d| (d.pointer.as_deref().unwrap(), decoded_span(&line, d))).collect();
        assert_eq!(
            seen,
            [("/messages/0/content", KEY.to_owned()), ("/meta/notes/1", "AKIAQWERTYUIOPASDFGH".to_owned())]
        );
        assert!(found[0].message.contains("an OpenAI API key") && !found[0].message.contains(&KEY[10..30]));
    }

    #[test]
    fn email_and_phone_rules_are_off_until_turned_on() {
        let line = r#"{"messages": [{"role": "user", "content": "jane@example.org, +1 415-555-0134"}, {"role": "assistant", "content": "ok"}]}"#;
        let mut settings = Settings::new(Profile::Openai);
        assert!(findings(line, &settings).is_empty());
        settings.set_level(Rule::EmailAddress, Some(crate::diagnostic::Severity::Info));
        settings.set_level(Rule::PhoneNumber, Some(crate::diagnostic::Severity::Info));
        let found = findings(line, &settings);
        let spans: Vec<_> = found.iter().map(|d| (d.rule, decoded_span(line, d))).collect();
        assert_eq!(
            spans,
            [
                (Rule::EmailAddress, "jane@example.org".to_owned()),
                (Rule::PhoneNumber, "+1 415-555-0134".to_owned())
            ]
        );
    }

    #[test]
    fn an_address_with_a_non_ascii_local_part_is_found_whole() {
        let mut settings = Settings::new(Profile::Openai);
        settings.set_level(Rule::EmailAddress, Some(crate::diagnostic::Severity::Info));
        let spans = |content: &str| {
            let line = format!(
                r#"{{"messages": [{{"role": "user", "content": "{content}"}}, {{"role": "assistant", "content": "ok"}}]}}"#
            );
            findings(&line, &settings).iter().map(|d| decoded_span(&line, d)).collect::<Vec<_>>()
        };
        assert_eq!(spans("write to jöhn.doe@example.org today"), ["jöhn.doe@example.org"]);
        assert_eq!(spans(r"j\u00f6hn.doe@b\u00fccher.de"), ["jöhn.doe@bücher.de"]);
        assert_eq!(spans("иван@пример.рф"), ["иван@пример.рф"]);
        // Text in scripts without spaces runs straight into the address; it is not part of it.
        assert_eq!(spans("連絡先はjane@example.orgです"), ["jane@example.org"]);
        // An address that runs into more letters is not cut short.
        assert!(spans("a@b.com1").is_empty());
    }

    #[test]
    fn prefixes_inside_base64_and_longer_identifiers_are_not_secrets() {
        let image = format!("data:image/png;base64,iVBORw0KGgo{}AIza{}", "Q".repeat(40), "x".repeat(40));
        let line = format!(
            r#"{{"messages": [{{"role": "user", "content": [{{"type": "image_url", "image_url": {{"url": "{image}"}}}}, {{"type": "text", "text": "task-{}, XAKIAQWERTYUIOPASDFGH, AKIAIOSFODNN7EXAMPLE"}}]}}, {{"role": "assistant", "content": "ok"}}]}}"#,
            "a".repeat(40)
        );
        assert!(findings(&line, &Settings::new(Profile::Openai)).is_empty());
    }

    /// A JSON string literal of `text` in which each character may be written as a `\u` escape
    /// (surrogate pairs above the BMP) or, for the usual ones, a short escape.
    fn escaped(text: &str, escape: &[bool]) -> String {
        let mut out = String::new();
        for (c, &esc) in text.chars().zip(escape.iter().cycle()) {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '/' if esc => out.push_str("\\/"),
                c if esc || (c as u32) < 0x20 => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                c => out.push(c),
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn the_span_decodes_to_exactly_the_secret_whatever_the_escapes_around_and_inside_it(
            before in "[ a-zé\"\\\\/\n😀\t]{0,12}",
            // A key of no fixed length takes in the letters after it (right, but not what this
            // compares): what follows starts with something else.
            after in "([ é\"\\\\\n😀.][ a-zé\"\\\\/\n😀.]{0,11})?",
            escape_before in proptest::collection::vec(any::<bool>(), 1..8),
            escape_after in proptest::collection::vec(any::<bool>(), 1..8),
            escape_secret in proptest::collection::vec(prop::bool::weighted(0.1), 1..16),
            which in 0..3usize,
        ) {
            let secret = [KEY, "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "AKIAQWERTYUIOPASDFGH"][which];
            // The secret's first bytes stay literal: the prefilter reads the raw text.
            let prefix_len = 4;
            let literal = format!(
                "{}{}{}{}",
                escaped(&before, &escape_before),
                &secret[..prefix_len],
                escaped(&secret[prefix_len..], &escape_secret),
                escaped(&after, &escape_after)
            );
            let line = format!(r#"{{"messages": [{{"role": "user", "content": "{literal}"}}, {{"role": "assistant", "content": "ok"}}]}}"#);
            prop_assume!(serde_json::from_str::<serde_json::Value>(&line).is_ok());
            let found = findings(&line, &Settings::new(Profile::Openai));
            // A letter (or `/`) right before the secret joins it to a longer token: none is reported.
            let token = |c: char| c.is_ascii_alphanumeric() || "+/_-=".contains(c);
            let joined = before.chars().last().is_some_and(token);
            if joined {
                prop_assert!(found.is_empty(), "{:?}", found);
            } else {
                prop_assert_eq!(found.len(), 1, "{:?} in {}", found, line);
                prop_assert_eq!(decoded_span(&line, &found[0]), secret);
            }
        }
    }
}
