//! The parsed record: a JSON tree that borrows its strings from the line it was read from.
//!
//! Every record is parsed once and then read by the record rules, the token walk and the dataset
//! hash. `serde_json::Value` would copy every string and every key into its own allocation and build
//! a B-tree node per object, only to free it all a few microseconds later; most of a check without
//! token counts went into that. This tree is read by the same parser (`serde_json`, whose error
//! messages and positions the line rules report), but a string without escapes stays a slice of the
//! line, and everything else (arrays, objects as plain lists of members in the order written, and
//! strings whose escapes had to be decoded) goes into an arena that is emptied after each line
//! ([`with_arena`]): a record costs no `malloc` and no `free` of its own.
//!
//! Keeping the members as written also keeps what a map would hide: a key that appears twice. Such
//! objects are marked as they are read ([`Document::repeated_keys`]), so the rule about repeated keys
//! only scans the text of the rare record that has one. Lookups follow what JSON readers do with
//! repeated keys, Python's included: the last member wins.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;

use bumpalo::collections::Vec as ArenaVec;
use bumpalo::Bump;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON value whose strings borrow from the text it was parsed from where they can, and whose
/// containers live in an arena.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(&'a str),
    Array(&'a [Value<'a>]),
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
#[derive(Clone, Copy, Debug, Default)]
pub struct Object<'a> {
    members: &'a [(&'a str, Value<'a>)],
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

/// An arena that grew past this while holding one line is dropped rather than kept for the next: a
/// single 300 MB line should not pin 300 MB for the rest of the run.
const ARENA_KEEP_BYTES: usize = 16 << 20;

thread_local! {
    /// Each thread's arena, reused line after line.
    static ARENA: RefCell<Bump> = RefCell::new(Bump::new());
}

/// Runs `f` with this thread's arena and empties the arena afterwards. Whatever `f` parses into the
/// arena cannot outlive the call (the borrow checker sees to it), so emptying it is safe.
///
/// The arena is taken out of the thread-local for the call (an empty `Bump` allocates nothing) and
/// put back after, so a nested call, or one while the thread shuts down, simply gets a fresh arena.
pub fn with_arena<R>(f: impl FnOnce(&Bump) -> R) -> R {
    let mut arena = ARENA.try_with(RefCell::take).unwrap_or_default();
    let result = f(&arena);
    if arena.allocated_bytes() <= ARENA_KEEP_BYTES {
        arena.reset();
        // Gone only while the thread is being torn down; the arena is then dropped here.
        let _ = ARENA.try_with(|cell| cell.replace(arena));
    }
    result
}

/// Parses one JSON text into `arena`, with `serde_json`'s errors (and its nesting limit of 128).
pub fn parse<'a>(text: &'a str, arena: &'a Bump) -> Result<Document<'a>, serde_json::Error> {
    let repeated = Cell::new(false);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Seed { arena, repeated: &repeated }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(Document { value, repeated_keys: repeated.get() })
}

impl<'a> Value<'a> {
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(object) => Some(object),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&'a [Value<'a>]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&'a str> {
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
    pub fn get(&self, key: &str) -> Option<&'a Value<'a>> {
        match self {
            Value::Object(object) => object.get(key),
            _ => None,
        }
    }

    /// The same value as `serde_json` builds it, copied into `arena` (for tests and tools that
    /// start from `serde_json::json!`).
    pub fn from_serde(value: &serde_json::Value, arena: &'a Bump) -> Value<'a> {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(if let Some(u) = n.as_u64() {
                Number::PosInt(u)
            } else if let Some(i) = n.as_i64() {
                Number::NegInt(i)
            } else {
                Number::Float(n.as_f64().unwrap_or(f64::NAN))
            }),
            serde_json::Value::String(s) => Value::String(arena.alloc_str(s)),
            serde_json::Value::Array(items) => Value::Array(
                arena.alloc_slice_fill_iter(items.iter().map(|item| Value::from_serde(item, arena))),
            ),
            serde_json::Value::Object(map) => {
                let members = arena.alloc_slice_fill_iter(
                    map.iter().map(|(k, v)| (&*arena.alloc_str(k), Value::from_serde(v, arena))),
                );
                Value::Object(Object::from_members(members))
            }
        }
    }
}

/// The JSON type of a value, as messages name it ("a string", "null").
pub fn type_name(value: &Value<'_>) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
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
    pub fn get(&self, key: &str) -> Option<&'a Value<'a>> {
        self.members.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.members.iter().any(|(k, _)| *k == key)
    }

    /// The members in the order written, each key once (at its last occurrence).
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a Value<'a>)> + 'a {
        let members = self.members;
        let repeated = self.repeated;
        members
            .iter()
            .enumerate()
            .filter(move |(i, (key, _))| !repeated || !members[i + 1..].iter().any(|(k, _)| k == key))
            .map(|(_, (key, value))| (*key, value))
    }

    pub fn keys(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl Iterator<Item = &'a Value<'a>> + 'a {
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
    pub fn from_members(members: &'a [(&'a str, Value<'a>)]) -> Object<'a> {
        Object { members, repeated: has_repeats(members) }
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

fn has_repeats(members: &[(&str, Value<'_>)]) -> bool {
    if members.len() <= PAIRWISE_KEYS {
        members.iter().enumerate().any(|(i, (key, _))| members[..i].iter().any(|(k, _)| k == key))
    } else {
        let mut seen = HashSet::with_capacity(members.len());
        !members.iter().all(|(key, _)| seen.insert(*key))
    }
}

/// Reads one value into the arena; `repeated` is set by any object with a repeated key.
#[derive(Clone, Copy)]
struct Seed<'a, 'r> {
    arena: &'a Bump,
    repeated: &'r Cell<bool>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for Seed<'a, '_> {
    type Value = Value<'a>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value<'a>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Seed<'a, '_> {
    type Value = Value<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value<'a>, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value<'a>, E> {
        Ok(Value::Number(match u64::try_from(n) {
            Ok(n) => Number::PosInt(n),
            Err(_) => Number::NegInt(n),
        }))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value<'a>, E> {
        Ok(Value::Number(Number::PosInt(n)))
    }

    fn visit_f64<E>(self, x: f64) -> Result<Value<'a>, E> {
        Ok(Value::Number(Number::Float(x)))
    }

    fn visit_unit<E>(self) -> Result<Value<'a>, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value<'a>, E> {
        Ok(Value::Null)
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Value<'a>, E> {
        Ok(Value::String(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value<'a>, E> {
        Ok(Value::String(self.arena.alloc_str(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'a>, A::Error> {
        let mut items = ArenaVec::with_capacity_in(4, self.arena);
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items.into_bump_slice()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'a>, A::Error> {
        let mut members = ArenaVec::with_capacity_in(4, self.arena);
        while let Some(key) = map.next_key_seed(KeySeed { arena: self.arena })? {
            members.push((key, map.next_value_seed(self)?));
        }
        let object = Object::from_members(members.into_bump_slice());
        if object.repeated {
            self.repeated.set(true);
        }
        Ok(Value::Object(object))
    }
}

/// Reads an object key: borrowed from the text unless it has escapes, then decoded into the arena.
#[derive(Clone, Copy)]
struct KeySeed<'a> {
    arena: &'a Bump,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for KeySeed<'a> {
    type Value = &'a str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<&'a str, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for KeySeed<'a> {
    type Value = &'a str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<&'a str, E> {
        Ok(s)
    }

    fn visit_str<E>(self, s: &str) -> Result<&'a str, E> {
        Ok(self.arena.alloc_str(s))
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
                for item in *items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(object) => {
                let mut map = serializer.serialize_map(Some(object.len()))?;
                for (key, value) in object.iter() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Parses into a fresh arena that lives as long as the test.
    fn parse(text: &str) -> Result<Document<'_>, serde_json::Error> {
        super::parse(text, Box::leak(Box::new(Bump::new())))
    }

    #[test]
    fn strings_without_escapes_borrow_from_the_text() {
        let text = r#"{"role": "user", "content": "caf\u00e9", "n": [1, -2, 2.5, null, true]}"#;
        let document = parse(text).unwrap();
        let object = document.value.as_object().unwrap();
        let role = object.get("role").and_then(Value::as_str).unwrap();
        assert!(text.as_bytes().as_ptr_range().contains(&role.as_ptr()), "`role` is a slice of the text");
        let content = object.get("content").and_then(Value::as_str).unwrap();
        assert_eq!(content, "café");
        assert!(!text.as_bytes().as_ptr_range().contains(&content.as_ptr()), "decoded into the arena");
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
            let arena = Bump::new();
            prop_assert_eq!(&document.value, &Value::from_serde(&theirs, &arena));
            prop_assert_eq!(serde_json::to_value(document.value).unwrap(), theirs);
        }
    }
}

#[cfg(test)]
mod arena_tests {
    use super::*;

    #[test]
    fn the_arena_is_emptied_after_each_use_and_a_huge_one_is_dropped() {
        let small = with_arena(|arena| {
            let document = parse(r#"{"a": ["x\ny", {"b": 1}]}"#, arena).unwrap();
            assert!(arena.allocated_bytes() > 0);
            document.value.get("a").and_then(Value::as_array).map(<[Value<'_>]>::len)
        });
        assert_eq!(small, Some(2));
        let big = format!("[{}]", vec!["\"\\n\""; 2 << 20].join(","));
        with_arena(|arena| parse(&big, arena).map(|_| ()).unwrap());
        ARENA.with(|cell| assert!(cell.borrow().allocated_bytes() <= ARENA_KEEP_BYTES));
    }
}
