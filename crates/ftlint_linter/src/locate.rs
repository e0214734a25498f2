//! From an RFC 6901 JSON pointer back to the exact bytes of that value in the line's text.
//!
//! Rules work on parsed values, which have no positions; a finding only needs one when it is reported,
//! which is rare. So positions are found lazily: this module scans the raw text of a line that already
//! parsed and walks the pointer's tokens member by member. Where an object repeats a key, the last
//! member wins, as it does for the parser, so the span always covers the value the rules saw. The scan
//! never recurses, so nesting depth cannot overflow the stack.

use std::ops::Range;

/// Escapes one reference token for a pointer (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a pointer from tokens, escaping each, e.g. `["messages", "2", "weight"]` → `/messages/2/weight`.
pub fn pointer<I, T>(tokens: I) -> String
where
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    tokens.into_iter().fold(String::new(), |mut out, token| {
        out.push('/');
        out.push_str(&escape_token(token.as_ref()));
        out
    })
}

/// The byte range of the value `pointer` names in `text`, a JSON text that parsed without error.
/// `None` if the pointer is malformed or names no value.
pub fn locate(text: &str, pointer: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut start = skip_ws(bytes, 0);
    if pointer.is_empty() {
        return Some(start..value_end(bytes, start)?);
    }
    let rest = pointer.strip_prefix('/')?;
    for raw in rest.split('/') {
        let token = raw.replace("~1", "/").replace("~0", "~");
        start = match bytes.get(start)? {
            b'{' => member(text, start, &token)?,
            b'[' => element(bytes, start, &token)?,
            _ => return None,
        };
    }
    Some(start..value_end(bytes, start)?)
}

/// The byte range, inside `literal` (a JSON string as written, quotes included), of the bytes that
/// decode to bytes `decoded` of the string's value. An escape (`\n`, `\u00e9`, a surrogate pair)
/// stands for the bytes it decodes to, so a range that starts or ends inside one is widened to the
/// whole escape. `None` if `literal` is not a string or the range lies past its end.
pub fn decoded_to_raw(literal: &str, decoded: Range<usize>) -> Option<Range<usize>> {
    let bytes = literal.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    // `raw` walks the literal; `out` counts the decoded bytes before it.
    let (mut raw, mut out) = (1, 0);
    let mut start = None;
    loop {
        if start.is_none() && out >= decoded.start {
            start = Some(raw);
        }
        if out >= decoded.end {
            return start.map(|start| start..raw);
        }
        let (raw_len, out_len) = match *bytes.get(raw)? {
            b'"' => return None,
            b'\\' => match *bytes.get(raw + 1)? {
                b'u' => {
                    let code = hex4(bytes.get(raw + 2..raw + 6)?)?;
                    let low = match bytes.get(raw + 6..raw + 8) {
                        Some(b"\\u") => bytes.get(raw + 8..raw + 12).and_then(hex4),
                        _ => None,
                    };
                    match low {
                        Some(low) if (0xD800..0xDC00).contains(&code) && (0xDC00..0xE000).contains(&low) => {
                            (12, 4)
                        }
                        // A lone surrogate decodes to U+FFFD, three bytes.
                        _ => (6, char::from_u32(code).map_or(3, char::len_utf8)),
                    }
                }
                _ => (2, 1),
            },
            _ => (1, 1),
        };
        if start.is_none() && out + out_len > decoded.start {
            start = Some(raw);
        }
        raw += raw_len;
        out += out_len;
    }
}

/// Four hex digits, as in a `\u` escape.
fn hex4(digits: &[u8]) -> Option<u32> {
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// One member of an object as written: its decoded key and the bytes from the key's opening quote
/// to the end of its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub key: String,
    pub range: Range<usize>,
}

/// The members of the object `pointer` names in `text`, in the order written (duplicates included),
/// and the byte range of the whole object. `None` if the pointer names no object.
pub fn object_members(text: &str, pointer: &str) -> Option<(Range<usize>, Vec<Member>)> {
    let object = locate(text, pointer)?;
    let bytes = text.as_bytes();
    if bytes.get(object.start) != Some(&b'{') {
        return None;
    }
    let mut members = Vec::new();
    let mut pos = skip_ws(bytes, object.start + 1);
    if bytes.get(pos) == Some(&b'}') {
        return Some((object, members));
    }
    loop {
        let key_end = string_end(bytes, pos)?;
        let quoted = &text[pos..key_end];
        let key = if quoted.contains('\\') {
            serde_json::from_str::<String>(quoted).ok()?
        } else {
            quoted[1..quoted.len() - 1].to_owned()
        };
        let colon = skip_ws(bytes, key_end);
        if bytes.get(colon) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(bytes, colon + 1);
        let value_end = value_end(bytes, value_start)?;
        members.push(Member { key, range: pos..value_end });
        pos = skip_ws(bytes, value_end);
        match bytes.get(pos)? {
            b',' => pos = skip_ws(bytes, pos + 1),
            b'}' => return Some((object, members)),
            _ => return None,
        }
    }
}

/// The value of the member whose key (its opening quote) starts at `key_start`: where a pointer
/// cannot tell two members with one key apart, the position can.
pub fn value_of_member_at(text: &str, key_start: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let pos = skip_ws(bytes, string_end(bytes, key_start)?);
    if bytes.get(pos) != Some(&b':') {
        return None;
    }
    let start = skip_ws(bytes, pos + 1);
    Some(start..value_end(bytes, start)?)
}

/// The start of the value of the last member named `key` in the object at `open`.
fn member(text: &str, open: usize, key: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, open + 1);
    let mut found = None;
    if bytes.get(pos) == Some(&b'}') {
        return None;
    }
    loop {
        let key_end = string_end(bytes, pos)?;
        let matches = key_equals(&text[pos..key_end], key);
        pos = skip_ws(bytes, key_end);
        if bytes.get(pos) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(bytes, pos + 1);
        if matches {
            found = Some(value_start);
        }
        pos = skip_ws(bytes, value_end(bytes, value_start)?);
        match bytes.get(pos)? {
            b',' => pos = skip_ws(bytes, pos + 1),
            b'}' => return found,
            _ => return None,
        }
    }
}

/// The start of element `token` (a decimal index) of the array at `open`.
fn element(bytes: &[u8], open: usize, token: &str) -> Option<usize> {
    // RFC 6901: an index is "0" or digits without a leading zero.
    let valid = !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_digit())
        && (token == "0" || !token.starts_with('0'));
    if !valid {
        return None;
    }
    let index: usize = token.parse().ok()?;
    let mut pos = skip_ws(bytes, open + 1);
    if bytes.get(pos) == Some(&b']') {
        return None;
    }
    for _ in 0..index {
        pos = skip_ws(bytes, value_end(bytes, pos)?);
        match bytes.get(pos)? {
            b',' => pos = skip_ws(bytes, pos + 1),
            _ => return None,
        }
    }
    Some(pos)
}

/// Compares a quoted key as written (maybe with escapes) to a decoded key.
fn key_equals(quoted: &str, key: &str) -> bool {
    let inner = &quoted[1..quoted.len() - 1];
    if !inner.contains('\\') {
        return inner == key;
    }
    serde_json::from_str::<String>(quoted).is_ok_and(|decoded| decoded == key)
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

/// One past the closing quote of the string starting at `pos`.
fn string_end(bytes: &[u8], pos: usize) -> Option<usize> {
    if bytes.get(pos) != Some(&b'"') {
        return None;
    }
    let mut i = pos + 1;
    loop {
        i += memchr::memchr2(b'"', b'\\', &bytes[i..])?;
        if bytes[i] == b'"' {
            return Some(i + 1);
        }
        i += 2;
    }
}

/// One past the last byte of the value starting at `pos`.
fn value_end(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => string_end(bytes, pos),
        b'{' | b'[' => container_end(bytes, pos),
        _ => {
            let len = bytes[pos..]
                .iter()
                .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(bytes.len() - pos);
            (len > 0).then_some(pos + len)
        }
    }
}

/// One past the bracket that closes the object or array at `pos`, counting depth instead of recursing.
fn container_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = pos;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    fn slice<'a>(text: &'a str, pointer: &str) -> Option<&'a str> {
        locate(text, pointer).map(|r| &text[r])
    }

    #[test]
    fn decoded_ranges_map_through_every_kind_of_escape() {
        // "a\n", "é" as \u00e9, "😀" as a surrogate pair, then "key".
        let literal = r#""a\n\u00e9\ud83d\ude00key""#;
        let decoded: String = serde_json::from_str(literal).unwrap();
        let key = decoded.find("key").unwrap();
        let raw = decoded_to_raw(literal, key..key + 3).unwrap();
        assert_eq!(&literal[raw], "key");
        let emoji = decoded.find('😀').unwrap();
        let raw = decoded_to_raw(literal, emoji..emoji + 4).unwrap();
        assert_eq!(&literal[raw], r"\ud83d\ude00");
        // A range that starts inside an escape's output takes the whole escape.
        let e_acute = decoded.find('é').unwrap();
        assert_eq!(&literal[decoded_to_raw(literal, e_acute + 1..e_acute + 2).unwrap()], r"\u00e9");
        assert_eq!(decoded_to_raw(literal, 0..decoded.len() + 1), None);
        assert_eq!(decoded_to_raw("12", 0..1), None);
    }

    #[test]
    fn finds_members_elements_and_the_root() {
        let text = r#" {"messages": [{"role": "user"}, {"role" : "assistant", "weight": 2 }], "a/b": {"~x": null}} "#;
        assert_eq!(slice(text, "/messages/1/weight"), Some("2"));
        assert_eq!(slice(text, "/messages/0"), Some(r#"{"role": "user"}"#));
        assert_eq!(slice(text, "/messages/1/role"), Some(r#""assistant""#));
        assert_eq!(slice(text, "/a~1b/~0x"), Some("null"));
        assert_eq!(slice(text, ""), Some(text.trim()));
        assert_eq!(slice(text, "/messages/2"), None);
        assert_eq!(slice(text, "/messages/01"), None);
        assert_eq!(slice(text, "/nope"), None);
    }

    #[test]
    fn object_members_are_listed_as_written() {
        let text = r#"{"a": [1, {"b": 2}], "c\u0064": "x" , "a":null}"#;
        let (whole, members) = object_members(text, "").unwrap();
        assert_eq!(whole, 0..text.len());
        let listed: Vec<(&str, &str)> =
            members.iter().map(|m| (m.key.as_str(), &text[m.range.clone()])).collect();
        assert_eq!(
            listed,
            [("a", r#""a": [1, {"b": 2}]"#), ("cd", r#""c\u0064": "x""#), ("a", r#""a":null"#)]
        );
        // "/a" names the last "a", as the parser sees it: null, not an object.
        assert_eq!(object_members(text, "/a"), None);
        assert_eq!(object_members(r#"{"a": [1, {"b": 2}]}"#, "/a/1").unwrap().1[0].key, "b");
        assert_eq!(object_members(r#"{ }"#, "").unwrap().1, []);
    }

    #[test]
    fn the_last_of_duplicate_keys_wins_as_in_the_parser() {
        assert_eq!(slice(r#"{"role": "user", "role": "assistant"}"#, "/role"), Some(r#""assistant""#));
    }

    #[test]
    fn escaped_keys_and_strings_with_brackets() {
        let text = r#"{"\u0072ole": "a \"}]\\", "x": ["]", {"y": "{"}]}"#;
        assert_eq!(slice(text, "/role"), Some(r#""a \"}]\\""#));
        assert_eq!(slice(text, "/x/1/y"), Some(r#""{""#));
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let depth = 200_000;
        let text = format!("{{\"a\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(locate(&text, "/a").map(|r| r.len()), Some(2 * depth));
    }

    /// Random JSON values; objects may be anywhere, keys include the characters pointers escape.
    fn json_value() -> impl Strategy<Value = Value> {
        let key = prop_oneof![Just("role".to_owned()), Just("a/b~c".to_owned()), "[a-z~/\"\\\\é😀 ]{0,6}"];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            // Quarters are exact in binary, so the text round-trips to the same float.
            (-4_000_000i64..4_000_000).prop_map(|q| Value::from(q as f64 / 4.0)),
            "[ -~é😀\n\t\"\\\\]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                proptest::collection::vec((key.clone(), inner), 0..5)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    /// Serializes with varied whitespace, so spans are not found by luck of a compact layout.
    fn write_spaced(value: &Value, spacing: &[u8], i: &mut usize, out: &mut String) {
        fn pad(spacing: &[u8], i: &mut usize, out: &mut String) {
            // Nothing, a space, or a space and a tab, in a pattern drawn by proptest.
            let n = usize::from(spacing[*i % spacing.len()] % 3);
            *i += 1;
            out.push_str(&" \t"[..n]);
        }
        match value {
            Value::Array(items) => {
                out.push('[');
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    pad(spacing, i, out);
                    write_spaced(item, spacing, i, out);
                    pad(spacing, i, out);
                }
                out.push(']');
            }
            Value::Object(map) => {
                out.push('{');
                for (k, (key, item)) in map.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    pad(spacing, i, out);
                    out.push_str(&serde_json::to_string(key).unwrap());
                    pad(spacing, i, out);
                    out.push(':');
                    pad(spacing, i, out);
                    write_spaced(item, spacing, i, out);
                    pad(spacing, i, out);
                }
                out.push('}');
            }
            leaf => out.push_str(&serde_json::to_string(leaf).unwrap()),
        }
    }

    fn all_pointers(value: &Value, prefix: String, out: &mut Vec<String>) {
        match value {
            Value::Array(items) => {
                for (k, item) in items.iter().enumerate() {
                    let p = format!("{prefix}/{k}");
                    all_pointers(item, p.clone(), out);
                    out.push(p);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let p = format!("{prefix}/{}", escape_token(key));
                    all_pointers(item, p.clone(), out);
                    out.push(p);
                }
            }
            _ => {}
        }
    }

    proptest! {
        #[test]
        fn every_pointer_slices_exactly_its_value(
            members in proptest::collection::vec(("[a-z/~]{1,4}", json_value()), 0..6),
            spacing in proptest::collection::vec(any::<u8>(), 1..16),
        ) {
            let root = Value::Object(members.into_iter().collect());
            let mut text = String::new();
            write_spaced(&root, &spacing, &mut 0, &mut text);
            let mut pointers = vec![String::new()];
            all_pointers(&root, String::new(), &mut pointers);
            for p in pointers {
                let range = locate(&text, &p);
                prop_assert!(range.is_some(), "no span for {p:?} in {text}");
                let sliced = &text[range.unwrap()];
                let expected = root.pointer(&p).unwrap();
                let parsed: Value = serde_json::from_str(sliced).unwrap();
                prop_assert_eq!(&parsed, expected, "pointer {} sliced {:?}", p, sliced);
                // The slice is the value's own text: no surrounding whitespace or separators.
                prop_assert_eq!(sliced.trim(), sliced);
            }
        }
    }
}
