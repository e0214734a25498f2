//! Rules about images in vision fine-tuning examples (FT3xx).
//!
//! [`check`] is a pass of its own over a record, independent of the message rules: it finds every
//! `{"type": "image_url", ...}` part in the `content` arrays of `messages` (`input.messages` for
//! DPO), checks its `image_url` object and URL, reads the header of base64 data URLs through
//! [`crate::image`], and records per image what the token report and the dataset stage need in
//! [`RecordFacts`]. It does not judge roles or part types; the message rules do that. The
//! file-wide rules (image examples per file, remote images) add up those facts in [`ImageTally`].

pub mod corrupt_image;
pub mod image_media_type_mismatch;
pub mod image_too_large;
pub mod invalid_data_url;
pub mod invalid_image_detail;
pub mod invalid_image_url;
pub mod non_rgb_image;
pub mod remote_images;
pub mod too_many_image_examples;
pub mod too_many_images;
pub mod unsupported_image_format;
pub mod unsupported_image_url;

use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::image::{self, DataUrl, Detail, ImageFormat};
use crate::record::{Format, ImageFact, RecordContext, RecordFacts};

/// Finds and checks every image part of a record.
pub fn check(ctx: &mut RecordContext<'_>, record: &Map<String, Value>) {
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
fn check_part(ctx: &mut RecordContext<'_>, part: &Value, pointer: &str) {
    let mut fact = ImageFact { size: None, detail: Detail::Auto };
    let object_pointer = format!("{pointer}/image_url");
    if let Some(object) = invalid_image_url::object(ctx, part, pointer, &object_pointer) {
        fact.detail = invalid_image_detail::check(ctx, object, &object_pointer);
        let url_pointer = format!("{object_pointer}/url");
        if let Some(url) = invalid_image_url::url(ctx, object, &object_pointer, &url_pointer) {
            fact.size = check_url(ctx, url, &url_pointer);
        }
    }
    ctx.facts.image_sizes.push(fact);
}

/// Checks an image URL; returns the image's size when it is a data URL whose header was read.
fn check_url(ctx: &mut RecordContext<'_>, url: &str, pointer: &str) -> Option<(u32, u32)> {
    if let Some(data_url) = DataUrl::parse(url) {
        return check_data_url(ctx, &data_url, pointer);
    }
    if url.get(..5).is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:")) {
        invalid_data_url::report_no_comma(ctx, pointer);
        return None;
    }
    if unsupported_image_url::check(ctx, url, pointer) {
        ctx.facts.remote_images += 1;
    }
    None
}

/// A data URL: base64, then size, then what the bytes are against what the media type says, then
/// the header. Each image gets at most one finding about its data, the most basic one, plus the
/// size and pixel-mode findings that stand on their own.
fn check_data_url(ctx: &mut RecordContext<'_>, url: &DataUrl<'_>, pointer: &str) -> Option<(u32, u32)> {
    if !url.base64 {
        invalid_data_url::report_not_base64(ctx, url, pointer);
        return None;
    }
    let declared = ImageFormat::from_media_type(url.media_type);
    let seen = match image::inspect_base64(url.payload.as_bytes()) {
        Ok(seen) => seen,
        Err(error) => {
            invalid_data_url::report_base64(ctx, error, pointer);
            return None;
        }
    };
    image_too_large::check(ctx, seen.decoded_len, pointer);
    match seen.format {
        Some(actual) if !actual.is_supported() => {
            unsupported_image_format::report_bytes(ctx, actual, url.media_type, pointer);
            return None;
        }
        Some(actual) if declared != Some(actual) => {
            image_media_type_mismatch::report(ctx, url.media_type, actual, pointer);
        }
        Some(_) => {}
        None => {
            match declared {
                Some(format) if format.is_supported() => {
                    corrupt_image::report_unknown(ctx, format, &seen.head, pointer)
                }
                _ => unsupported_image_format::report_media_type(ctx, url.media_type, pointer),
            }
            return None;
        }
    }
    match seen.header? {
        Ok(header) => {
            non_rgb_image::check(ctx, &header, pointer);
            Some((header.width, header.height))
        }
        Err(error) => {
            corrupt_image::report_header(ctx, seen.format?, &error, pointer);
            None
        }
    }
}

/// The image facts of a whole file, added up line by line for the file-wide rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImageTally {
    /// Examples with at least one image part.
    pub image_examples: u64,
    /// The line of the first image example over the per-file limit.
    pub first_over_limit: Option<u64>,
    pub remote_images: u64,
    pub remote_examples: u64,
    pub first_remote_line: Option<u64>,
}

impl ImageTally {
    pub fn add(&mut self, line: u64, facts: &RecordFacts) {
        if facts.images > 0 {
            self.image_examples += 1;
            if self.image_examples == too_many_image_examples::LIMIT + 1 {
                self.first_over_limit = Some(line);
            }
        }
        if facts.remote_images > 0 {
            self.remote_images += u64::from(facts.remote_images);
            self.remote_examples += 1;
            self.first_remote_line.get_or_insert(line);
        }
    }

    /// The file-wide image findings, once the whole file has been read.
    pub fn findings(&self, file_len: u64) -> impl Iterator<Item = Diagnostic> {
        [too_many_image_examples::check(self, file_len), remote_images::check(self)].into_iter().flatten()
    }
}
