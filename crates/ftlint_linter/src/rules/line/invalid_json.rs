//! FT102 `invalid-json`: a line is not valid JSON.

use crate::model::json::{self, Document};

use crate::context::LineContext;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT102 invalid-json

## What it does
Parses each line as JSON and reports the exact byte where parsing stopped, with the reason in plain
words: an unterminated string, a missing `,` between members, a trailing comma, single quotes, a raw
tab or newline inside a string, `NaN`, two records on one line.

## Why it matters
The service rejects the whole file for one bad line ("Example N cannot be parsed"), often only after
the upload succeeded and the job was queued.

## Example
```
{"messages": [{"role": "user", "content": "Hi"} {"role": "assistant", "content": "Hello"}]}
```
(a `,` is missing between the two messages).

## How to fix
Fix the line at the column shown. Lines are usually broken by hand edits or by string concatenation
instead of a JSON serializer: write records with `json.dumps(record, ensure_ascii=False)`.
"#;

pub const FIX: &str = "fix the JSON at the column shown; write records with a JSON serializer, not by hand";

/// Parses the line: its tree, or `None` after reporting the byte where the parser stopped.
pub fn check<'t>(
    ctx: &mut LineContext<'_, '_>,
    text: &'t str,
    arena: &'t bumpalo::Bump,
) -> Option<Document<'t>> {
    let error = match json::parse(text, arena) {
        Ok(document) => return Some(document),
        Err(error) => error,
    };
    // A line holds no newline, so the parser's 1-based byte column is the offset plus one; at the end
    // of input it names the last byte, but the fault is that nothing follows it.
    let mut offset =
        if error.is_eof() { text.len() } else { error.column().saturating_sub(1).min(text.len()) };
    // In a bad escape (`"\ud` and then a multi-byte character) the parser's column can fall inside a
    // character; the finding starts at that character.
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let length = text[offset..].chars().next().map_or(0, char::len_utf8);
    let reason = Reason::of(&error);
    ctx.report(Rule::InvalidJson, offset..offset + length)
        .message(format!("invalid JSON: {}", reason.message))
        .label(reason.label)
        .help(reason.help);
    None
}

/// serde_json's reason, in plain words.
struct Reason {
    message: String,
    label: &'static str,
    help: &'static str,
}

impl Reason {
    fn of(error: &serde_json::Error) -> Reason {
        let raw = error.to_string();
        // serde_json appends " at line L column C"; the position is reported separately.
        let raw = raw.rfind(" at line ").map_or(raw.as_str(), |i| &raw[..i]);
        let (message, label, help): (&str, &'static str, &'static str) = match raw {
            "EOF while parsing a string" => (
                "unterminated string: the line ends inside a string",
                "line ends inside a string",
                "close the string with `\"`; a string cannot span lines (write a newline as `\\n`)",
            ),
            "EOF while parsing an object" => (
                "unterminated object: the line ends before the closing `}`",
                "expected `}` before the end of the line",
                "close every `{` with `}`; a record must fit on one line",
            ),
            "EOF while parsing a list" => (
                "unterminated array: the line ends before the closing `]`",
                "expected `]` before the end of the line",
                "close every `[` with `]`; a record must fit on one line",
            ),
            "EOF while parsing a value" => (
                "the line ends where a value was expected",
                "expected a value",
                "complete the value; a record must fit on one line",
            ),
            "expected `,` or `}`" => (
                "expected `,` or `}` after object member",
                "expected `,` or `}`",
                "separate object members with `,` and close the object with `}`",
            ),
            "expected `,` or `]`" => (
                "expected `,` or `]` after array element",
                "expected `,` or `]`",
                "separate array elements with `,` and close the array with `]`",
            ),
            "expected `:`" => (
                "expected `:` after object key",
                "expected `:`",
                "write each member as \"key\": value",
            ),
            "expected value" => (
                "expected a JSON value (a string, number, object, array, true, false or null)",
                "not a JSON value",
                "strings need double quotes; NaN and Infinity are not JSON (use null)",
            ),
            "expected ident" => (
                "invalid literal: expected `true`, `false` or `null`",
                "not a JSON literal",
                "JSON literals are lower-case `true`, `false` and `null`; strings need double quotes",
            ),
            "key must be a string" => (
                "object key must be a string in double quotes",
                "expected a \"quoted\" key",
                "quote keys with double quotes: {\"role\": \"user\"}, not {role: 'user'}",
            ),
            "trailing comma" => (
                "trailing comma before the closing bracket",
                "trailing comma",
                "remove the `,` after the last member or element",
            ),
            "trailing characters" => (
                "unexpected text after the end of the JSON value (two records on one line?)",
                "text after the record",
                "put each record on its own line, and nothing after it",
            ),
            "control character (\\u0000-\\u001F) found while parsing a string" => (
                "raw control character inside a string",
                "raw control character",
                "escape it: a tab as `\\t`, a newline as `\\n`, other control characters as `\\u00XX`",
            ),
            "invalid escape" => (
                "invalid escape sequence in a string",
                "invalid escape",
                "the valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash as `\\\\`",
            ),
            "lone leading surrogate in hex escape" | "unexpected end of hex escape" => (
                "lone UTF-16 surrogate escape: `\\uD800`-`\\uDFFF` must come in high-low pairs",
                "lone surrogate",
                "write the character itself, or both halves of its surrogate pair",
            ),
            "invalid unicode code point" => (
                "invalid Unicode code point in a `\\u` escape",
                "invalid code point",
                "escape characters beyond U+FFFF as a surrogate pair, e.g. `\\ud83d\\ude00`",
            ),
            "invalid number" => (
                "invalid number",
                "invalid number",
                "JSON numbers have no leading zeros, `+` sign or trailing `.`; NaN and Infinity are not JSON",
            ),
            "number out of range" => (
                "number out of range for a 64-bit float",
                "number too large",
                "write very large numbers as strings",
            ),
            "recursion limit exceeded" => (
                "value nested more than 128 levels deep",
                "nested too deeply",
                "flatten the structure; fine-tuning records are never this deep",
            ),
            other => return Reason { message: other.to_owned(), label: "parsing stopped here", help: FIX },
        };
        Reason { message: message.to_owned(), label, help }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lines::Line;
    use crate::settings::{Profile, Settings};

    fn error_at(text: &str) -> (usize, u64, String) {
        let line = Line { number: 1, start: 0, text: text.as_bytes() };
        let settings = Settings::new(Profile::Openai);
        let mut out = Vec::new();
        let mut ctx = LineContext::new(&line, &settings, &mut out);
        assert!(check(&mut ctx, text, &bumpalo::Bump::new()).is_none());
        let finding = out.pop().unwrap();
        (finding.span.offset as usize, finding.span.length, finding.message)
    }

    #[test]
    fn points_at_the_byte_where_parsing_stopped() {
        let text = r#"{"a": 1 "b": 2}"#;
        let (offset, length, message) = error_at(text);
        assert_eq!(&text[offset..], r#""b": 2}"#);
        assert_eq!(length, 1);
        assert!(message.contains("expected `,` or `}` after object member"), "{message}");
    }

    #[test]
    fn names_common_faults_in_plain_words() {
        assert!(error_at(r#"{"a": "x"#).2.contains("unterminated string"));
        assert!(error_at(r#"{"a": 1,}"#).2.contains("trailing comma"));
        assert!(error_at(r#"{'a': 1}"#).2.contains("double quotes"));
        assert!(error_at(r#"{"a": NaN}"#).2.contains("expected a JSON value"));
        assert!(error_at("{\"a\": \"x\ty\"}").2.contains("raw control character"));
        assert!(error_at(r#"{} {}"#).2.contains("two records on one line"));
        assert!(error_at(r#"{"a": "\ud800"}"#).2.contains("surrogate"));
        assert!(error_at(r#"{"a": tru}"#).2.contains("invalid literal"));
    }

    #[test]
    fn an_unterminated_string_points_at_the_end_of_the_line() {
        let text = r#"{"a": "abc"#;
        let (offset, length, _) = error_at(text);
        assert_eq!(offset, text.len());
        assert_eq!(length, 0);
    }
}
