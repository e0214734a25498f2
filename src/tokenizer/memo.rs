//! A per-thread memo of piece → token count for short pieces.
//!
//! Natural-language text is made of few distinct words: the pretokenizer hands out " the", " and",
//! "," and their like millions of times. Byte-pair encoding a piece, even one that is a single token,
//! runs the whole backtracking encoder with two small allocations; a hash lookup is several times
//! cheaper. Only short pieces are kept: long ones (base64, long numbers glued to symbols, runs of
//! punctuation) rarely repeat, and a bounded key keeps every entry inline in the table, with no heap
//! allocation per entry and no pointer to chase on lookup.

use std::hash::{BuildHasherDefault, Hash, Hasher};

use rustc_hash::FxHasher;

/// The longest piece the memo keeps, in bytes. Words with their leading space and most CJK runs fit;
/// the key is three machine words.
pub(crate) const MAX_PIECE: usize = 24;

/// Entries per thread before the memo starts over. About 32 bytes each, so 2 MiB of table per thread
/// (times the table's load-factor slack), enough for the working vocabulary of a large dataset; past
/// it, clearing rather than refusing new entries lets the memo follow a dataset whose vocabulary
/// drifts from file to file.
pub(crate) const DEFAULT_ENTRIES: usize = 1 << 16;

/// A piece of at most [`MAX_PIECE`] bytes, zero-padded, with its length so that trailing NUL bytes
/// stay distinct from padding.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    words: [u64; 3],
    len: u8,
}

impl Key {
    fn new(piece: &[u8]) -> Option<Key> {
        if piece.len() > MAX_PIECE {
            return None;
        }
        let mut bytes = [0u8; MAX_PIECE];
        bytes[..piece.len()].copy_from_slice(piece);
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
            u64::from_le_bytes(w)
        };
        Some(Key { words: [word(0), word(1), word(2)], len: piece.len() as u8 })
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The length is mixed into the first word rather than hashed on its own, which saves a
        // round of the hash; a collision it causes only costs a comparison, as `Eq` checks it.
        state.write_u64(self.words[0] ^ u64::from(self.len).rotate_right(8));
        state.write_u64(self.words[1]);
        state.write_u64(self.words[2]);
    }
}

type FxBuild = BuildHasherDefault<FxHasher>;

/// Token counts of short pieces seen before on this thread, for one vocabulary.
pub(crate) struct Memo {
    map: std::collections::HashMap<Key, u8, FxBuild>,
    max_entries: usize,
}

impl Memo {
    /// A memo of at most `max_entries` entries; with 0 it remembers nothing.
    pub(crate) fn new(max_entries: usize) -> Memo {
        Memo { map: std::collections::HashMap::default(), max_entries }
    }

    /// The token count of `piece`, from the memo or from `count`, which is then remembered.
    #[inline]
    pub(crate) fn count(&mut self, piece: &[u8], count: impl FnOnce(&[u8]) -> usize) -> usize {
        let Some(key) = Key::new(piece).filter(|_| self.max_entries > 0) else { return count(piece) };
        if let Some(&n) = self.map.get(&key) {
            return usize::from(n);
        }
        let n = count(piece);
        if self.map.len() >= self.max_entries {
            self.map.clear();
        }
        // A piece of at most 24 bytes has at most 24 tokens, so the count always fits in a byte.
        if let Ok(small) = u8::try_from(n) {
            self.map.insert(key, small);
        }
        n
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_length_even_with_nul_padding() {
        assert!(Key::new(b"a") != Key::new(b"a\0"));
        assert!(Key::new(&[0; 24]) != Key::new(&[0; 23]));
        assert!(Key::new(&[0; 25]).is_none());
    }

    #[test]
    fn remembers_and_stays_bounded() {
        let mut memo = Memo::new(DEFAULT_ENTRIES);
        let mut calls = 0;
        for _ in 0..3 {
            assert_eq!(
                memo.count(b"hello", |p| {
                    calls += 1;
                    p.len()
                }),
                5
            );
        }
        assert_eq!(calls, 1);
        for i in 0..(DEFAULT_ENTRIES + 10) {
            let piece = format!("{i:x}");
            memo.count(piece.as_bytes(), |_| 1);
        }
        assert!(memo.len() <= DEFAULT_ENTRIES);
        // Long pieces are never stored.
        let long = [b'x'; 40];
        let mut long_calls = 0;
        for _ in 0..2 {
            memo.count(&long, |_| {
                long_calls += 1;
                9
            });
        }
        assert_eq!(long_calls, 2);
    }

    #[test]
    fn a_zero_limit_remembers_nothing() {
        let mut memo = Memo::new(0);
        let mut calls = 0;
        for _ in 0..2 {
            memo.count(b"hi", |_| {
                calls += 1;
                1
            });
        }
        assert_eq!((calls, memo.len()), (2, 0));
    }
}
