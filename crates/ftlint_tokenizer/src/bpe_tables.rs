//! Two tables the `bpe` crate already holds, read out of it rather than derived again.
//!
//! The backtracking encoder ([`super::backtrack`]) needs, for every token, the two tokens it was
//! merged from and its longest proper prefix that is a token. The `bpe` crate computes exactly
//! these when it builds a vocabulary (`split_table` and `next_prefix_match`), and `bpe-openai`
//! ships them precomputed, but `BytePairEncoding` keeps its fields private. Deriving them again costs about 50 ms for
//! `o200k_base` (every token's prefixes looked up, every candidate split checked), which is more
//! than the encoder saves on a file of a few megabytes. The crate does make its vocabulary
//! serializable, so a serializer that asks for those two fields by name and skips the rest
//! (without ever serializing the automatons or hash maps) reads them out in about a millisecond.
//!
//! Should a later version of the crate rename or reshape the fields, [`read`] returns `None` (it
//! also checks that every split is of lower-ranked tokens and every id in range) and the caller
//! derives the tables itself; a test checks that both ways give the same tables.

use std::fmt;

use bpe_openai::byte_pair_encoding::BytePairEncoding;
use serde::ser::{self, Impossible, Serialize, SerializeSeq, SerializeStruct, SerializeTuple, Serializer};

/// Every token's split (`(id, id)` for the 256 single bytes) and longest proper prefix that is a
/// token (`u32::MAX`: none), indexed by id.
pub(crate) struct Tables {
    pub(crate) split: Vec<(u32, u32)>,
    pub(crate) next_prefix: Vec<u32>,
}

/// The tables of `bpe`, or `None` if its serialized form no longer has them as this expects.
pub(crate) fn read(bpe: &BytePairEncoding) -> Option<Tables> {
    let mut fields = Fields::default();
    bpe.serialize(Top(&mut fields)).ok()?;
    let n = bpe.num_tokens();
    let split: Vec<(u32, u32)> = fields.split?.chunks_exact(2).map(|pair| (pair[0], pair[1])).collect();
    let next_prefix = fields.next_prefix?;
    let plausible = split.len() == n
        && next_prefix.len() == n
        && split.iter().enumerate().all(|(id, &(left, right))| {
            let id = id as u32;
            (left, right) == (id, id) || (left < id && right < id)
        })
        && next_prefix.iter().all(|&prefix| prefix == u32::MAX || (prefix as usize) < n);
    plausible.then_some(Tables { split, next_prefix })
}

#[derive(Default)]
struct Fields {
    /// `split_table`, flattened: left, right, left, right, …
    split: Option<Vec<u32>>,
    next_prefix: Option<Vec<u32>>,
}

/// Anything but what [`read`] expects.
#[derive(Debug)]
struct Unexpected;

impl fmt::Display for Unexpected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the bpe vocabulary does not serialize as expected")
    }
}

impl std::error::Error for Unexpected {}

impl ser::Error for Unexpected {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unexpected
    }
}

/// Methods of a serializer that reject their value.
macro_rules! reject {
    ($($method:ident($($arg:ty),*);)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Unexpected> { Err(Unexpected) })*
    };
}

/// The rest of [`Serializer`]'s methods, rejecting their value, for a serializer that accepts only
/// sequences, tuples and integers, or only structs.
macro_rules! reject_the_rest {
    () => {
        reject! {
            serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32);
            serialize_i64(i64); serialize_u8(u8); serialize_u16(u16); serialize_u64(u64);
            serialize_f32(f32); serialize_f64(f64); serialize_char(char); serialize_str(&str);
            serialize_bytes(&[u8]); serialize_none(); serialize_unit();
            serialize_unit_struct(&'static str);
            serialize_unit_variant(&'static str, u32, &'static str);
        }
        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Self::Ok, Unexpected> {
            Err(Unexpected)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Unexpected> {
            Err(Unexpected)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Unexpected> {
            Err(Unexpected)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Unexpected> {
            Err(Unexpected)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Unexpected> {
            Err(Unexpected)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unexpected> {
            Err(Unexpected)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Unexpected> {
            Err(Unexpected)
        }
    };
}

/// The vocabulary itself: a struct, of which two fields are read and the rest never serialized.
struct Top<'a>(&'a mut Fields);

impl<'a> Serializer for Top<'a> {
    type Ok = ();
    type Error = Unexpected;
    type SerializeSeq = Impossible<(), Unexpected>;
    type SerializeTuple = Impossible<(), Unexpected>;
    type SerializeTupleStruct = Impossible<(), Unexpected>;
    type SerializeTupleVariant = Impossible<(), Unexpected>;
    type SerializeMap = Impossible<(), Unexpected>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Unexpected>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unexpected> {
        Ok(self)
    }
    reject! { serialize_u32(u32); }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unexpected> {
        Err(Unexpected)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unexpected> {
        Err(Unexpected)
    }
    reject_the_rest!();
}

impl SerializeStruct for Top<'_> {
    type Ok = ();
    type Error = Unexpected;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unexpected> {
        let field = match key {
            "split_table" => &mut self.0.split,
            "next_prefix_match" => &mut self.0.next_prefix,
            // Skipped unserialized: the automatons and hash maps are most of the vocabulary.
            _ => return Ok(()),
        };
        let mut numbers = Vec::new();
        value.serialize(Numbers(&mut numbers))?;
        *field = Some(numbers);
        Ok(())
    }

    fn end(self) -> Result<(), Unexpected> {
        Ok(())
    }
}

/// A sequence of `u32`s or of tuples of them, flattened into one vector.
struct Numbers<'a>(&'a mut Vec<u32>);

impl<'a> Serializer for Numbers<'a> {
    type Ok = ();
    type Error = Unexpected;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Impossible<(), Unexpected>;
    type SerializeTupleVariant = Impossible<(), Unexpected>;
    type SerializeMap = Impossible<(), Unexpected>;
    type SerializeStruct = Impossible<(), Unexpected>;
    type SerializeStructVariant = Impossible<(), Unexpected>;

    fn serialize_u32(self, value: u32) -> Result<(), Unexpected> {
        self.0.push(value);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unexpected> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Unexpected> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unexpected> {
        Err(Unexpected)
    }
    reject_the_rest!();
}

/// The elements of a sequence or a tuple, each flattened into the same vector.
macro_rules! flatten_elements {
    ($($compound:ident),*) => {$(
        impl $compound for Numbers<'_> {
            type Ok = ();
            type Error = Unexpected;

            fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unexpected> {
                value.serialize(Numbers(self.0))
            }

            fn end(self) -> Result<(), Unexpected> {
                Ok(())
            }
        }
    )*};
}

flatten_elements!(SerializeSeq, SerializeTuple);
