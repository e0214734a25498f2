//! The parsed record: a JSON tree that borrows its strings from the line it was read from.
//!
//! Every record is parsed once and then read by the record rules, the token walk and the dataset
//! hash. `serde_json::Value` would copy every string and every key into its own allocation and build
//! a B-tree node per object, only to free it all a few microseconds later; most of a check without
//! token counts went into that. This tree is read by the same parser (`serde_json`, whose error
//! messages and positions the line rules report), but a string without escapes stays a slice of the
//! line, and an object is a plain vector of members in the order they were written.
//!
//! Keeping the members as written also keeps what a map would hide: a key that appears twice. Such
//! objects are marked as they are read ([`Document::repeated_keys`]), so the rule about repeated keys
//! only scans the text of the rare record that has one. Lookups follow what JSON readers do with
//! repeated keys, Python's included: the last member wins.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON value whose strings borrow from the text it was parsed from, where they can.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    Object(Object<'a>),
}

/// A JSON number, as `serde_json` reads it without arbitrary precision: integers that fit 64 bits
/// stay exact, everything else is a double.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    Float(f64),
}

/// A JSON object: its members in the order they were written, repeated keys included.
#[derive(Clone, Debug, Default)]
pub struct Object<'a> {
    members: Vec<(Cow<'a, str>, Value<'a>)>,
    /// Whether some key appears more than once; iteration then skips all but the last.
    repeated: bool,
}

/// A parsed line.
#[derive(Debug)]
pub struct Document<'a> {
    pub value: Value<'a>,
    /// Whether any object anywhere in the value has a key twice.
    pub repeated_keys: bool,
}

thread_local! {
    /// Set by any object with a repeated key while a [`parse`] on this thread runs.
    static REPEATED_KEYS: Cell<bool> = const { Cell::new(false) };
}

/// Parses one JSON text, with `serde_json`'s errors (and its nesting limit of 128).
pub fn parse(text: &str) -> Result<Document<'_>, serde_json::Error> {
    REPEATED_KEYS.with(|flag| flag.set(false));
    let value = serde_json::from_str::<Value<'_>>(text)?;
    let repeated_keys = REPEATED_KEYS.with(Cell::get);
    Ok(Document { value, repeated_keys })
}

impl<'a> Value<'a> {
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(object) => Some(object),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value<'a>>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<Number> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// The member `key` of an object (the last one, if it is repeated); `None` for other values.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.as_object().and_then(|object| object.get(key))
    }

    /// The same value with every string owned, free of the text it was parsed from.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(n),
            Value::String(s) => Value::String(Cow::Owned(s.into_owned())),
            Value::Array(items) => Value::Array(items.into_iter().map(Value::into_owned).collect()),
            Value::Object(object) => Value::Object(Object {
                members: object
                    .members
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect(),
                repeated: object.repeated,
            }),
        }
    }
}

impl Number {
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::PosInt(n) => Some(n),
            Number::NegInt(_) | Number::Float(_) => None,
        }
    }

    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::PosInt(n) => i64::try_from(n).ok(),
            Number::NegInt(n) => Some(n),
            Number::Float(_) => None,
        }
    }

    /// The number as a double (rounded if it is a large integer); always `Some`, as in `serde_json`.
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> Option<f64> {
        Some(match self {
            Number::PosInt(n) => n as f64,
            Number::NegInt(n) => n as f64,
            Number::Float(f) => f,
        })
    }

    pub fn is_f64(self) -> bool {
        matches!(self, Number::Float(_))
    }
}

impl fmt::Display for Number {
    /// As `serde_json` prints it: integers as integers, doubles always with a fraction or exponent.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::PosInt(n) => write!(f, "{n}"),
            Number::NegInt(n) => write!(f, "{n}"),
            Number::Float(x) => match serde_json::Number::from_f64(x) {
                Some(n) => write!(f, "{n}"),
                None => f.write_str("null"),
            },
        }
    }
}

impl<'a> Object<'a> {
    /// The value of `key`; the last one when the key is repeated, as JSON readers keep it.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.members.iter().any(|(k, _)| k == key)
    }

    /// The members in the order written, each key once (at its last occurrence).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value<'a>)> + '_ {
        self.members
            .iter()
            .enumerate()
            .filter(|(i, (key, _))| !self.repeated || !self.members[i + 1..].iter().any(|(k, _)| k == key))
            .map(|(_, (key, value))| (key.as_ref(), value))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl Iterator<Item = &Value<'a>> + '_ {
        self.iter().map(|(_, value)| value)
    }

    /// The number of distinct keys.
    pub fn len(&self) -> usize {
        if self.repeated {
            self.iter().count()
        } else {
            self.members.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// An object of these members, in this order.
    pub fn from_members(members: Vec<(Cow<'a, str>, Value<'a>)>) -> Object<'a> {
        let repeated = has_repeats(&members);
        Object { members, repeated }
    }
}

impl<'s, 'a> IntoIterator for &'s Object<'a> {
    type Item = (&'s str, &'s Value<'a>);
    type IntoIter = Box<dyn Iterator<Item = (&'s str, &'s Value<'a>)> + 's>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl PartialEq for Object<'_> {
    /// Objects are equal when they have the same keys with equal values, in whatever order, as
    /// JSON readers see them.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(key, value)| other.get(key) == Some(value))
    }
}

/// Objects with more members than this find repeats with a hash set instead of comparing pairs.
const PAIRWISE_KEYS: usize = 16;

fn has_repeats(members: &[(Cow<'_, str>, Value<'_>)]) -> bool {
    if members.len() <= PAIRWISE_KEYS {
        members.iter().enumerate().any(|(i, (key, _))| members[..i].iter().any(|(k, _)| k == key))
    } else {
        let mut seen = HashSet::with_capacity(members.len());
        !members.iter().all(|(key, _)| seen.insert(key.as_ref()))
    }
}

impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value<'de>, E> {
        Ok(Value::Number(match u64::try_from(n) {
            Ok(n) => Number::PosInt(n),
            Err(_) => Number::NegInt(n),
        }))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value<'de>, E> {
        Ok(Value::Number(Number::PosInt(n)))
    }

    fn visit_f64<E>(self, x: f64) -> Result<Value<'de>, E> {
        Ok(Value::Number(Number::Float(x)))
    }

    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            members.push((key, map.next_value()?));
        }
        let object = Object::from_members(members);
        if object.repeated {
            REPEATED_KEYS.with(|flag| flag.set(true));
        }
        Ok(Value::Object(object))
    }
}

/// An object key, borrowed from the text unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s)))
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(Number::PosInt(n)) => serializer.serialize_u64(*n),
            Value::Number(Number::NegInt(n)) => serializer.serialize_i64(*n),
            Value::Number(Number::Float(x)) => serializer.serialize_f64(*x),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(object) => {
                let mut map = serializer.serialize_map(Some(object.len()))?;
                for (key, value) in object {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl fmt::Display for Value<'_> {
    /// Compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl From<serde_json::Value> for Value<'static> {
    fn from(value: serde_json::Value) -> Value<'static> {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(if let Some(u) = n.as_u64() {
                Number::PosInt(u)
            } else if let Some(i) = n.as_i64() {
                Number::NegInt(i)
            } else {
                Number::Float(n.as_f64().unwrap_or(f64::NAN))
            }),
            serde_json::Value::String(s) => Value::String(Cow::Owned(s)),
            serde_json::Value::Array(items) => Value::Array(items.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(map) => Value::Object(Object::from_members(
                map.into_iter().map(|(k, v)| (Cow::Owned(k), Value::from(v))).collect(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strings_without_escapes_borrow_from_the_text() {
        let text = r#"{"role": "user", "content": "caf\u00e9", "n": [1, -2, 2.5, null, true]}"#;
        let document = parse(text).unwrap();
        let object = document.value.as_object().unwrap();
        assert!(matches!(object.get("role"), Some(Value::String(Cow::Borrowed("user")))));
        assert!(matches!(object.get("content"), Some(Value::String(Cow::Owned(s))) if s == "café"));
        let numbers = object.get("n").unwrap().as_array().unwrap();
        assert_eq!(numbers[0].as_u64(), Some(1));
        assert_eq!(numbers[1].as_i64(), Some(-2));
        assert_eq!(numbers[2].as_f64(), Some(2.5));
        assert!(numbers[3].is_null() && numbers[4].as_bool() == Some(true));
        assert_eq!(object.keys().collect::<Vec<_>>(), ["role", "content", "n"]);
        assert!(!document.repeated_keys);
    }

    #[test]
    fn repeated_keys_are_flagged_and_the_last_one_wins() {
        let document = parse(r#"{"a": 1, "b": [{"c": 1, "\u0063": 2}], "a": 3}"#).unwrap();
        assert!(document.repeated_keys);
        let object = document.value.as_object().unwrap();
        assert_eq!(object.get("a").and_then(Value::as_u64), Some(3));
        assert_eq!(object.len(), 2);
        assert_eq!(object.keys().collect::<Vec<_>>(), ["b", "a"]);
        // The flag is per parse, not sticky.
        assert!(!parse(r#"{"a": 1}"#).unwrap().repeated_keys);
        // Many keys take the hash-set path.
        let many: Vec<String> = (0..40).map(|i| format!("\"k{}\": {i}", i % 39)).collect();
        assert!(parse(&format!("{{{}}}", many.join(","))).unwrap().repeated_keys);
        let distinct: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        assert!(!parse(&format!("{{{}}}", distinct.join(","))).unwrap().repeated_keys);
    }

    #[test]
    fn errors_are_serde_json_s() {
        for text in [r#"{"a": }"#, "[1, 2", r#"{"a": 1} x"#, "01", "NaN", &"[".repeat(200)] {
            let ours = parse(text).unwrap_err().to_string();
            let theirs = serde_json::from_str::<serde_json::Value>(text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn object_equality_ignores_member_order() {
        let a = parse(r#"{"x": 1, "y": [2]}"#).unwrap().value;
        let b = parse(r#"{"y": [2], "x": 1}"#).unwrap().value;
        let c = parse(r#"{"y": [2], "x": 1.0}"#).unwrap().value;
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    /// Random JSON texts: strings with escapes, nesting, repeated keys.
    fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            any::<bool>().prop_map(|b| b.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_filter("finite", |x| x.is_finite()).prop_map(|x| format!("{x:?}")),
            "[a-c\"\\\\é\u{1F600}\n]{0,5}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                proptest::collection::vec(("[a-c]{1,2}", inner), 0..5).prop_map(|members| {
                    let members: Vec<String> =
                        members.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn reads_what_serde_json_reads(text in json_text()) {
            let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
            let document = parse(&text).unwrap();
            // Same tree (serde_json keeps the last of repeated keys too), and it serializes back to it.
            prop_assert_eq!(&document.value, &Value::from(theirs.clone()));
            prop_assert_eq!(serde_json::to_value(&document.value).unwrap(), theirs);
        }
    }
}
