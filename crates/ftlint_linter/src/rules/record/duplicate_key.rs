//! FT230 `duplicate-key`: an object of the record that has the same key twice.
//!
//! Lookups in a parsed value cannot show this (JSON readers keep the last member silently), so this
//! rule scans the line's raw text to point at the repeat. Only records the parser flagged run the scan
//! ([`crate::model::json::Document::repeated_keys`]); all others cost nothing here. The text already parsed, so the scanner only has to follow strings and
//! brackets: it keeps a stack of open containers and, for each open object, the keys seen so far, in
//! one shared list that is cut back when the object closes. Objects with many keys switch to a hash
//! set, so a record with a huge object stays linear. Nothing is allocated per object unless a key
//! has escapes or an object is large, and nothing recurses, so nesting depth is no risk.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use crate::context::RecordContext;
use crate::locate::escape_token;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT230 duplicate-key

## What it does
Reports a key that appears more than once in the same JSON object of a record, at its second (and
any later) occurrence. Keys are compared after decoding escapes, so `"role"` and `"\u0072ole"` are
the same key.

The finding points at the repeated member's value: its span is that value, and its JSON pointer
(`/messages/0/role`) names the member that JSON readers keep, the last one. For a key that appears
twice, the usual case, the two are the same value; for a key that appears three times or more, each
repeat is reported at its own value, and the pointer still names the last.

## Why it matters
JSON does not forbid repeated keys, but it leaves their meaning open, and the readers used in
practice keep the last value without a word. `{"role": "user", "role": "assistant"}` is an assistant
message to the service, whatever the author meant. Repeated keys are almost always a bug in the
script that wrote the file.

## Example
```json
{"messages": [{"role": "user", "content": "Hi", "content": "Hello?"}, {"role": "assistant", "content": "Hello."}]}
```

## How to fix
Keep one member per key: remove the one that is wrong, or merge the values.
"#;

pub const FIX: &str = "keep one member per key; readers silently use the last one";

/// Objects with more keys than this look keys up in a hash set instead of a list.
const LINEAR_KEYS: usize = 16;

/// A repeated key found by [`scan`].
#[derive(Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The repeated key as written, quotes included.
    pub range: Range<usize>,
    /// The JSON pointer of the object that holds it.
    pub object: String,
    /// The key, decoded.
    pub key: String,
}

pub fn check(ctx: &mut RecordContext<'_>) {
    // The parser flags any object with a repeated key; a record without one needs no scan.
    if !ctx.enabled(Rule::DuplicateKey) || !ctx.repeated_keys {
        return;
    }
    let text = ctx.text();
    for duplicate in scan(text) {
        let pointer = format!("{}/{}", duplicate.object, escape_token(&duplicate.key));
        let place = if duplicate.object.is_empty() {
            "the record".to_owned()
        } else {
            format!("the object at `{}`", duplicate.object)
        };
        // The repeated member's value, as the JSON contract has every pointer name a value; the key
        // alone where the value cannot be found (it always can in a record that parsed).
        let range = crate::locate::value_of_member_at(text, duplicate.range.start).unwrap_or(duplicate.range);
        ctx.report_range(Rule::DuplicateKey, range, &pointer)
            .message(format!(
                "key `{}` appears more than once in {place}; JSON readers silently keep only its last value",
                duplicate.key
            ))
            .label("value of the repeated key");
    }
}

enum Frame {
    Object {
        /// Where this object's keys start in the shared key list.
        start: usize,
        /// The object's keys once it has more than [`LINEAR_KEYS`].
        set: Option<HashSet<Cow<'static, str>>>,
        /// The quoted key of the member being read, for pointers into it.
        current: Range<usize>,
        expect_key: bool,
    },
    Array {
        index: usize,
    },
}

/// Every repeated key in `text`, a JSON text that parsed without error, in text order.
pub fn scan(text: &str) -> Vec<Duplicate> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut keys: Vec<Cow<'_, str>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let Some(end) = string_end(bytes, i) else {
                    break;
                };
                if let Some(Frame::Object { start, set, current, expect_key: expect_key @ true }) =
                    frames.last_mut()
                {
                    *expect_key = false;
                    *current = i..end;
                    let key = decode(&text[i..end]);
                    let repeated = match set {
                        Some(set) => !set.insert(Cow::Owned(key.clone().into_owned())),
                        None => {
                            let repeated = keys[*start..].contains(&key);
                            if !repeated {
                                keys.push(key.clone());
                                if keys.len() - *start > LINEAR_KEYS {
                                    *set = Some(
                                        keys.drain(*start..).map(|k| Cow::Owned(k.into_owned())).collect(),
                                    );
                                }
                            }
                            repeated
                        }
                    };
                    if repeated {
                        let object = pointer(text, &frames[..frames.len() - 1]);
                        found.push(Duplicate { range: i..end, object, key: key.into_owned() });
                    }
                }
                i = end;
                continue;
            }
            b'{' => {
                frames.push(Frame::Object { start: keys.len(), set: None, current: 0..0, expect_key: true })
            }
            b'[' => frames.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                if let Some(Frame::Object { start, .. }) = frames.pop() {
                    keys.truncate(start);
                }
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    found
}

/// The pointer of the value the innermost of `frames` is reading.
fn pointer(text: &str, frames: &[Frame]) -> String {
    let mut out = String::new();
    for frame in frames {
        out.push('/');
        match frame {
            Frame::Object { current, .. } => out.push_str(&escape_token(&decode(&text[current.clone()]))),
            Frame::Array { index } => out.push_str(&index.to_string()),
        }
    }
    out
}

/// A quoted JSON string's value; borrowed unless it has escapes.
fn decode(quoted: &str) -> Cow<'_, str> {
    let Some(inner) = quoted.get(1..quoted.len().saturating_sub(1)) else {
        return Cow::Borrowed("");
    };
    if inner.contains('\\') {
        // The text parsed, so the string is valid; the fallback is never taken.
        serde_json::from_str::<String>(quoted).map_or(Cow::Borrowed(inner), Cow::Owned)
    } else {
        Cow::Borrowed(inner)
    }
}

/// One past the closing quote of the string that opens at `pos`.
fn string_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    loop {
        i += memchr::memchr2(b'"', b'\\', bytes.get(i..)?)?;
        if bytes[i] == b'"' {
            return Some(i + 1);
        }
        i += 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(text: &str) -> Vec<(String, String, &str)> {
        scan(text).into_iter().map(|d| (d.object, d.key, &text[d.range])).collect()
    }

    #[test]
    fn reports_the_second_occurrence_with_the_objects_pointer() {
        let text =
            r#"{"messages": [{"role": "user", "role": "assistant"}, {"a": 1, "b": {"a": 2}, "a": 3}]}"#;
        let d = scan(text);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].object.as_str(), d[0].key.as_str()), ("/messages/0", "role"));
        assert_eq!(d[0].range.start, text.find(r#""role": "assistant""#).unwrap());
        assert_eq!(&text[d[0].range.clone()], r#""role""#);
        assert_eq!((d[1].object.as_str(), d[1].key.as_str()), ("/messages/1", "a"));
        assert_eq!(d[1].range.start, text.rfind(r#""a""#).unwrap());
    }

    #[test]
    fn nested_objects_and_values_that_look_like_keys_do_not_count() {
        assert!(scan(r#"{"a": {"a": {"a": "a"}}, "b": ["a", "a", {"c": "a"}], "c": "\"a\": 1"}"#).is_empty());
        assert!(scan(r#"[{"a": 1}, {"a": 1}]"#).is_empty());
    }

    #[test]
    fn escaped_keys_compare_decoded_and_pointers_escape() {
        assert_eq!(
            found(r#"{"role": 1, "\u0072ole": 2}"#),
            vec![(String::new(), "role".into(), r#""\u0072ole""#)]
        );
        assert_eq!(found(r#"{"a/b": {"x": 1, "x": 2}}"#), vec![("/a~1b".into(), "x".into(), r#""x""#)]);
        assert_eq!(found(r#"{"k\"": 1, "k\"": 2}"#), vec![(String::new(), "k\"".into(), r#""k\"""#)]);
    }

    #[test]
    fn three_occurrences_are_two_findings_and_large_objects_use_the_set() {
        assert_eq!(scan(r#"{"a": 1, "a": 2, "a": 3}"#).len(), 2);
        let mut members: Vec<String> = (0..100).map(|k| format!("\"k{k}\": {k}")).collect();
        members.push("\"k7\": 0".into());
        members.push("\"k99\": 0".into());
        let text = format!("{{{}}}", members.join(", "));
        let keys: Vec<String> = scan(&text).into_iter().map(|d| d.key).collect();
        assert_eq!(keys, ["k7", "k99"]);
    }

    /// A JSON tree whose objects may repeat keys, which `serde_json::Value` cannot hold.
    #[derive(Clone, Debug)]
    enum Node {
        Leaf(String),
        Array(Vec<Node>),
        Object(Vec<(String, Node)>),
    }

    fn node() -> impl Strategy<Value = Node> {
        let leaf = prop_oneof![
            Just(Node::Leaf("null".into())),
            Just(Node::Leaf("12.5".into())),
            "[a-z\"\\\\{}\\[\\],:é]{0,6}".prop_map(|s| Node::Leaf(serde_json::to_string(&s).unwrap())),
        ];
        let key =
            prop_oneof![Just("a".to_owned()), Just("b".to_owned()), Just("a/~".to_owned()), "[a-c\"]{0,2}"];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Node::Array),
                proptest::collection::vec((key.clone(), inner), 0..6).prop_map(Node::Object),
            ]
        })
    }

    /// Writes the tree, some keys with `\u` escapes, and lists the expected findings in text order.
    fn write(
        node: &Node,
        path: &str,
        escape: &mut impl Iterator<Item = bool>,
        out: &mut String,
        expected: &mut Vec<(String, String)>,
    ) {
        match node {
            Node::Leaf(text) => out.push_str(text),
            Node::Array(items) => {
                out.push('[');
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    write(item, &format!("{path}/{k}"), escape, out, expected);
                }
                out.push(']');
            }
            Node::Object(members) => {
                out.push('{');
                let mut seen = Vec::new();
                for (k, (key, item)) in members.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    if seen.contains(key) {
                        expected.push((path.to_owned(), key.clone()));
                    }
                    seen.push(key.clone());
                    if escape.next().unwrap_or(false) {
                        out.push('"');
                        for c in key.chars() {
                            out.push_str(&format!("\\u{:04x}", c as u32));
                        }
                        out.push('"');
                    } else {
                        out.push_str(&serde_json::to_string(key).unwrap());
                    }
                    out.push(':');
                    write(item, &format!("{path}/{}", escape_token(key)), escape, out, expected);
                }
                out.push('}');
            }
        }
    }

    proptest! {
        #[test]
        fn finds_exactly_the_repeated_keys(members in proptest::collection::vec(("[ab]", node()), 0..6), escapes in proptest::collection::vec(any::<bool>(), 1..64)) {
            let root = Node::Object(members);
            let mut text = String::new();
            let mut expected = Vec::new();
            write(&root, "", &mut escapes.into_iter().cycle(), &mut text, &mut expected);
            prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
            let actual: Vec<(String, String)> = scan(&text).into_iter().map(|d| {
                assert_eq!(decode(&text[d.range.clone()]), d.key.as_str());
                (d.object, d.key)
            }).collect();
            prop_assert_eq!(actual, expected, "{}", text);
        }
    }
}
