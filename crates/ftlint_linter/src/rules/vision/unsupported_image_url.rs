//! FT303 `unsupported-image-url`: an image URL that is neither `http(s)://` nor a `data:` URL.

use crate::context::RecordContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT303 unsupported-image-url

## What it does
Reports an image `url` that is not a public `http://` or `https://` URL or a base64 `data:` URL:
an empty string, a local path, a `file://`, `s3://` or `gs://` URL, base64 data without its
`data:` prefix, or an http(s) URL with no host or with spaces in it.

## Why it matters
The service fetches images over HTTP(S) or decodes them from data URLs; it has no access to your
disk or cloud buckets. An image it cannot fetch is skipped with the reason `inaccessible URL`, so
the example trains without the image its answer is about.

## Example
```json
{"type": "image_url", "image_url": {"url": "images/cat.png"}}
```

## How to fix
Upload the image somewhere public and use its `https://` URL, or embed it:
`"url": "data:image/png;base64,<base64 of the file>"`.
"#;

pub const FIX: &str =
    "use a public https:// URL, or embed the file as data:image/png;base64,… (or image/jpeg, image/webp)";

/// Starts of base64 text that encodes a JPEG, PNG, WEBP or GIF signature.
const BARE_BASE64: &[&str] = &["/9j/", "iVBORw0KGgo", "UklGR", "R0lGOD"];

/// Checks a URL that is not a data URL; true when it is a well-formed remote http(s) URL.
pub fn check(ctx: &mut RecordContext<'_>, url: &str, pointer: &str) -> bool {
    let shown = shorten(url);
    let scheme = scheme(url);
    let message = match scheme {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            let rest = url[s.len() + 1..].strip_prefix("//");
            let host = rest.and_then(|r| r.split(['/', '?', '#']).next()).unwrap_or("");
            if host.is_empty() {
                format!("image URL `{shown}` has no host, so the service cannot fetch it")
            } else if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
                format!(
                    "image URL `{shown}` contains spaces or control characters; percent-encode them (a space is %20) or the fetch fails"
                )
            } else {
                return true;
            }
        }
        Some(s) => format!(
            "image URL uses the `{s}:` scheme, which the service cannot fetch; use a public https:// URL or a base64 data: URL"
        ),
        None if url.is_empty() => "image `url` is empty".to_owned(),
        None if BARE_BASE64.iter().any(|start| url.starts_with(start)) => {
            "image `url` holds base64 data without the `data:` prefix; write `data:image/…;base64,` before it".to_owned()
        }
        None => format!(
            "image `url` `{shown}` is a path or relative URL, not an http(s) or data URL; the service cannot read local files"
        ),
    };
    ctx.report(Rule::UnsupportedImageUrl, pointer).message(message).label("not fetchable");
    false
}

/// The URL's scheme (RFC 3986 §3.1: a letter, then letters, digits, `+`, `-`, `.`), if it has
/// one. A single letter is taken for a Windows drive (`C:\images\cat.png`), not a scheme.
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (valid && scheme.len() > 1).then_some(scheme)
}

/// At most 60 characters of a URL, for messages; data can be megabytes long.
pub fn shorten(url: &str) -> String {
    match url.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &url[..end]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_found_and_drive_letters_are_not_schemes() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("s3://bucket/k"), Some("s3"));
        assert_eq!(scheme("C:\\images\\a.png"), None);
        assert_eq!(scheme("images/a.png"), None);
        assert_eq!(scheme("1http://x"), None);
        assert_eq!(shorten(&"é".repeat(100)).chars().count(), 61);
    }
}
