//! The vision checker: a pass of its own over a record's image parts, independent of the message
//! rules, and the file-wide image counts.
//!
//! It finds every `{"type": "image_url", ...}` part in the `content` arrays of `messages`
//! (`input.messages` for DPO), runs the image rules over its `image_url` object and URL, reads the
//! header of base64 data URLs through [`crate::model::image`], and records per image what the token
//! report and the dataset stage need in [`RecordFacts`]. It does not judge roles or part types; the
//! message rules do that. [`ImageTally`] adds up those facts for the file-wide rules.

use crate::context::{FileContext, RecordContext};
use crate::model::facts::{ImageFact, RecordFacts};
use crate::model::image::Detail;
use crate::model::json::{Object, Value};
use crate::model::shape::Format;
use crate::rules::vision::{
    corrupt_image, image_media_type_mismatch, image_too_large, invalid_data_url, invalid_image_detail,
    invalid_image_url, non_rgb_image, remote_images, too_many_image_examples, too_many_images,
    unsupported_image_format, unsupported_image_url,
};

/// Finds and checks every image part of a record.
pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    let (messages, base) = match ctx.format {
        Format::Dpo => (record.get("input").and_then(|input| input.get("messages")), "/input/messages"),
        Format::Sft | Format::Rft => (record.get("messages"), "/messages"),
    };
    let Some(messages) = messages.and_then(Value::as_array) else {
        return;
    };
    let mut over = too_many_images::Over::default();
    for (i, message) in messages.iter().enumerate() {
        let Some(parts) = message.get("content").and_then(Value::as_array) else {
            continue;
        };
        for (j, part) in parts.iter().enumerate() {
            if part.get("type").and_then(Value::as_str) != Some("image_url") {
                continue;
            }
            ctx.facts.images += 1;
            let pointer = format!("{base}/{i}/content/{j}");
            check_part(ctx, part, &pointer);
            over.note(ctx.facts.images, pointer);
        }
    }
    too_many_images::check(ctx, &over);
}

/// Checks one image part and records its facts.
fn check_part(ctx: &mut RecordContext<'_>, part: &Value<'_>, pointer: &str) {
    let mut fact = ImageFact { size: None, detail: Detail::Auto };
    let object_pointer = format!("{pointer}/image_url");
    if let Some(object) = invalid_image_url::check_object(ctx, part, pointer, &object_pointer) {
        fact.detail = invalid_image_detail::check(ctx, object, &object_pointer);
        let url_pointer = format!("{object_pointer}/url");
        if let Some(url) = invalid_image_url::check_url(ctx, object, &object_pointer, &url_pointer) {
            fact.size = check_url(ctx, url, &url_pointer);
        }
    }
    ctx.facts.image_sizes.push(fact);
}

/// Checks an image URL; returns the image's size when it is a data URL whose header was read.
fn check_url(ctx: &mut RecordContext<'_>, url: &str, pointer: &str) -> Option<(u32, u32)> {
    if !url.get(..5).is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:")) {
        if unsupported_image_url::check(ctx, url, pointer) {
            ctx.facts.remote_images += 1;
        }
        return None;
    }
    // A data URL: base64, then size, then what the bytes are against what the media type says,
    // then the header. Each image gets at most one finding about its data, the most basic one,
    // plus the size and pixel-mode findings that stand on their own.
    let (data_url, seen) = invalid_data_url::check(ctx, url, pointer)?;
    image_too_large::check(ctx, seen.decoded_len, pointer);
    if unsupported_image_format::check(ctx, &data_url, &seen, pointer) {
        return None;
    }
    image_media_type_mismatch::check(ctx, &data_url, &seen, pointer);
    let header = corrupt_image::check(ctx, &data_url, &seen, pointer)?;
    non_rgb_image::check(ctx, header, pointer);
    Some((header.width, header.height))
}

/// The image facts of a whole file, added up line by line for the file-wide rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImageTally {
    image_examples: too_many_image_examples::ImageExamples,
    remote: remote_images::RemoteImages,
}

impl ImageTally {
    /// Takes in the facts of the record on `line`, in line order.
    pub fn add(&mut self, line: u64, facts: &RecordFacts) {
        self.image_examples.add(line, facts);
        self.remote.add(line, facts);
    }

    /// The file-wide image findings, once the whole file has been read.
    pub fn finish(&self, ctx: &mut FileContext<'_>) {
        self.image_examples.check(ctx);
        self.remote.check(ctx);
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use serde_json::json;

    use super::*;
    use crate::check::check_bytes;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::lines::Line;
    use crate::model::image::tests::{jpeg, png};
    use crate::rules::Rule;
    use crate::settings::{Profile, Settings};
    use crate::sink::Collector;

    fn data_url(media_type: &str, bytes: &[u8]) -> String {
        format!("data:{media_type};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    fn image(url: &str) -> serde_json::Value {
        json!({"type": "image_url", "image_url": {"url": url}})
    }

    fn example(images: &[serde_json::Value]) -> serde_json::Value {
        let mut content = vec![json!({"type": "text", "text": "What is this?"})];
        content.extend_from_slice(images);
        json!({"messages": [{"role": "user", "content": content}, {"role": "assistant", "content": "A square."}]})
    }

    /// Checks one record as line 1 and returns its facts and findings.
    fn check_record(record: &serde_json::Value, settings: &Settings) -> (RecordFacts, Vec<Diagnostic>) {
        let text = record.to_string();
        let line = Line { number: 1, start: 0, text: text.as_bytes() };
        let mut diagnostics = Vec::new();
        let arena = bumpalo::Bump::new();
        let parsed = crate::model::json::parse(&text, &arena).unwrap();
        let record = parsed.value.as_object().unwrap();
        let facts = crate::checkers::record::check(&line, &text, record, false, settings, &mut diagnostics);
        let diagnostics = diagnostics.into_iter().filter_map(|d| settings.apply(d)).collect();
        (facts, diagnostics)
    }

    fn check_file(lines: &[serde_json::Value], profile: Profile) -> Vec<Diagnostic> {
        let mut bytes = crate::encoding::UTF8_BOM.to_vec();
        for line in lines {
            bytes.extend_from_slice(line.to_string().as_bytes());
            bytes.push(b'\n');
        }
        // The files repeat records and may be short; the dataset rules are not under test here.
        let mut settings = Settings::new(profile);
        settings.set_level(Rule::DuplicateExample, None);
        settings.set_level(Rule::TooFewExamples, None);
        let mut collector = Collector::default();
        check_bytes("t.jsonl", &bytes, &settings, &mut collector).unwrap();
        collector.diagnostics.into_iter().map(|(_, d)| d).collect()
    }

    fn rules(diagnostics: &[Diagnostic]) -> Vec<Rule> {
        diagnostics.iter().map(|d| d.rule).collect()
    }

    #[test]
    fn facts_record_sizes_details_and_remote_images() {
        let record = example(&[
            json!({"type": "image_url", "image_url": {"url": data_url("image/png", &png(640, 480, 8, 2)), "detail": "low"}}),
            image(&data_url("image/jpeg", &jpeg(100, 50, 3, 2000))),
            image("https://example.com/a.png"),
            json!({"type": "text", "text": "and"}),
        ]);
        let (facts, diagnostics) = check_record(&record, &Settings::new(Profile::Azure));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(facts.images, 3);
        assert_eq!(facts.remote_images, 1);
        assert_eq!(
            facts.image_sizes,
            vec![
                ImageFact { size: Some((640, 480)), detail: Detail::Low },
                ImageFact { size: Some((100, 50)), detail: Detail::Auto },
                ImageFact { size: None, detail: Detail::Auto },
            ]
        );
    }

    #[test]
    fn dpo_images_are_found_under_input_messages() {
        let record = json!({
            "input": {"messages": [{"role": "user", "content": [image("images/a.png")]}]},
            "preferred_output": [{"role": "assistant", "content": "A."}],
            "non_preferred_output": [{"role": "assistant", "content": "B."}],
        });
        let (facts, diagnostics) = check_record(&record, &Settings::new(Profile::Azure));
        assert_eq!(facts.images, 1);
        let finding = diagnostics.iter().find(|d| d.rule == Rule::UnsupportedImageUrl).unwrap();
        assert_eq!(finding.pointer.as_deref(), Some("/input/messages/0/content/0/image_url/url"));
    }

    #[test]
    fn too_many_images_depends_on_the_profile_unless_overridden() {
        let small = image(&data_url("image/png", &png(1, 1, 8, 2)));
        let severity = |count: usize, settings: &Settings| {
            let (_, diagnostics) = check_record(&example(&vec![small.clone(); count]), settings);
            let found: Vec<_> = diagnostics.iter().filter(|d| d.rule == Rule::TooManyImages).collect();
            assert!(found.len() <= 1);
            found.first().map(|d| (d.severity, d.pointer.clone().unwrap()))
        };
        let openai = Settings::new(Profile::Openai);
        let azure = Settings::new(Profile::Azure);
        assert_eq!(severity(10, &openai), None);
        assert_eq!(severity(11, &openai), Some((Severity::Error, "/messages/0/content/11".into())));
        assert_eq!(severity(11, &azure), Some((Severity::Warning, "/messages/0/content/11".into())));
        assert_eq!(severity(64, &azure).map(|s| s.0), Some(Severity::Warning));
        assert_eq!(severity(65, &azure), Some((Severity::Error, "/messages/0/content/65".into())));
        let mut strict = Settings::new(Profile::Azure);
        strict.set_level(Rule::TooManyImages, Some(Severity::Error));
        assert_eq!(severity(11, &strict).map(|s| s.0), Some(Severity::Error));
        let mut lenient = Settings::new(Profile::Openai);
        lenient.set_level(Rule::TooManyImages, Some(Severity::Warning));
        assert_eq!(severity(70, &lenient).map(|s| s.0), Some(Severity::Warning));
    }

    #[test]
    fn an_image_over_10_mb_is_too_large_and_one_of_10_mb_is_not() {
        let at_limit = |extra: usize| {
            let mut bytes = png(4000, 3000, 8, 2);
            bytes.resize(image_too_large::LIMIT + extra, 0);
            check_record(&example(&[image(&data_url("image/png", &bytes))]), &Settings::new(Profile::Azure))
        };
        let (facts, diagnostics) = at_limit(0);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(facts.image_sizes[0].size, Some((4000, 3000)));
        let (facts, diagnostics) = at_limit(1);
        assert_eq!(rules(&diagnostics), [Rule::ImageTooLarge]);
        assert!(diagnostics[0].message.contains("10485761 bytes"), "{}", diagnostics[0].message);
        // The header is still read: the size is known for the token report.
        assert_eq!(facts.image_sizes[0].size, Some((4000, 3000)));
    }

    #[test]
    fn more_than_50000_image_examples_is_an_error_naming_the_first_line_over() {
        let with_image = example(&[image(&data_url("image/png", &png(1, 1, 8, 2)))]);
        let text_only = json!({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]});
        let mut lines = vec![text_only.clone(); 3];
        lines.extend(std::iter::repeat_n(with_image.clone(), 50_000));
        assert!(!rules(&check_file(&lines, Profile::Azure)).contains(&Rule::TooManyImageExamples));
        lines.push(text_only);
        lines.push(with_image);
        let diagnostics = check_file(&lines, Profile::Azure);
        assert_eq!(rules(&diagnostics), [Rule::TooManyImageExamples]);
        assert!(diagnostics[0].message.contains("50001 examples with images"), "{}", diagnostics[0].message);
        assert!(diagnostics[0].message.contains("line 50005"), "{}", diagnostics[0].message);
        assert_eq!(diagnostics[0].severity, Severity::Error);
    }

    #[test]
    fn remote_images_are_counted_once_per_file() {
        let remote = example(&[image("https://example.com/a.png"), image("http://example.com/b.jpg")]);
        let local = example(&[image(&data_url("image/png", &png(2, 2, 8, 6)))]);
        let mut lines = vec![local.clone(); 9];
        lines.insert(4, remote.clone());
        lines.push(remote);
        let diagnostics = check_file(&lines, Profile::Azure);
        assert_eq!(rules(&diagnostics), [Rule::RemoteImages]);
        assert_eq!(diagnostics[0].severity, Severity::Info);
        assert!(diagnostics[0]
            .message
            .starts_with("4 images at http(s) URLs in 2 examples (first on line 5)"));
        assert!(check_file(&vec![local; 10], Profile::Azure).is_empty());
    }

    #[test]
    fn each_broken_image_gets_one_finding_about_its_data() {
        let cases: &[(&str, Rule)] = &[
            ("data:image/png;base64,@@@@", Rule::InvalidDataUrl),
            ("data:image/png,abc", Rule::InvalidDataUrl),
            ("data:image/png", Rule::InvalidDataUrl),
            ("data:image/gif;base64,R0lGODlhAQABAAAAACw=", Rule::UnsupportedImageFormat),
            ("data:text/plain;base64,aGVsbG8=", Rule::UnsupportedImageFormat),
            ("data:image/png;base64,aGVsbG8=", Rule::CorruptImage),
            ("ftp://example.com/a.png", Rule::UnsupportedImageUrl),
        ];
        for (url, rule) in cases {
            let (facts, diagnostics) = check_record(&example(&[image(url)]), &Settings::new(Profile::Azure));
            assert_eq!(rules(&diagnostics), [*rule], "{url}");
            assert_eq!((facts.images, facts.remote_images), (1, 0));
        }
        let mislabelled = data_url("image/png", &jpeg(8, 8, 1, 0));
        let (_, diagnostics) = check_record(&example(&[image(&mislabelled)]), &Settings::new(Profile::Azure));
        assert_eq!(rules(&diagnostics), [Rule::ImageMediaTypeMismatch, Rule::NonRgbImage]);
    }
}
