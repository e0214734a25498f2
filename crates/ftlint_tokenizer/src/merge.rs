//! Byte-pair encoding of short pieces by tiktoken's own merge loop, without allocating.
//!
//! A piece that is in neither memo goes to a byte-pair encoder. The `bpe` crate's backtracking
//! encoder is linear in the piece's length, but every call allocates its token vector and its
//! bit field and runs an Aho-Corasick automaton over the piece, and on real text, where most
//! pieces are short and many are new (identifiers in code, words of languages the memo has not
//! seen), those fixed costs were most of the encoder's time. tiktoken's algorithm does less for a
//! short piece: start from single bytes, and merge the adjacent pair whose concatenation has the
//! lowest rank until no pair is a token. Here it runs on a stack array of at most [`MAX_PIECE`]
//! parts, with ranks looked up in open-addressing tables built once from the vocabulary: one keyed
//! by up to eight bytes read as a machine word (most lookups), one by a hash of longer byte strings.
//! The count is the number of parts left, which is tiktoken's by construction: this is the merge
//! rule that defines its encodings, and a token's id is its rank. Longer pieces, where the loop's
//! quadratic worst case could show, stay with the `bpe` crate.

use bpe_openai::byte_pair_encoding::BytePairEncoding;
use xxhash_rust::xxh3::xxh3_64;

/// The longest piece looked up whole here, in bytes; longer ones go to the `bpe` crate.
pub(crate) const MAX_PIECE: usize = 48;

/// The longest piece the merge loop counts, in bytes, when it is not a token itself. The loop is
/// quadratic in the piece's length, and on real text it beats the `bpe` crate only for short
/// pieces: with 48 here, CJK took 24% more instructions than with 16, and with 10 another 4% fewer
/// (Cyrillic, Arabic and Indic 3–5% fewer, Latin-script languages 5% more, code and English even).
pub(crate) const MAX_MERGED: usize = 10;

/// No rank: the bytes are not a token.
const NONE: u32 = u32::MAX;

/// A token of at most eight bytes: its bytes as a little-endian word (zero above the length), its
/// length (0: an empty slot) and its rank.
#[derive(Clone, Copy, Default)]
#[repr(C)]
struct ShortSlot {
    word: u64,
    len: u32,
    rank: u32,
}

/// A token of more than eight bytes: the hash of its bytes and its rank (`NONE`: an empty slot).
#[derive(Clone, Copy)]
#[repr(C)]
struct LongSlot {
    hash: u64,
    rank: u32,
}

/// The rank of every token of a vocabulary, by its bytes.
pub(crate) struct Ranks {
    bpe: &'static BytePairEncoding,
    short: Box<[ShortSlot]>,
    short_mask: usize,
    long: Box<[LongSlot]>,
    long_mask: usize,
}

#[inline(always)]
fn short_hash(word: u64, len: usize) -> usize {
    let mixed = (word ^ ((len as u64) << 59)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> 32) as usize
}

/// The bytes of `bytes` (at most eight) as a little-endian word.
#[inline(always)]
fn word_of(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(w)
}

impl Ranks {
    /// The tables for `bpe`'s vocabulary, each at most half full so that probes stay short.
    pub(crate) fn new(bpe: &'static BytePairEncoding) -> Ranks {
        let n = bpe.num_tokens();
        let (mut shorts, mut longs) = (0usize, 0usize);
        for id in 0..n {
            if bpe.token_bytes(id as u32).len() <= 8 {
                shorts += 1;
            } else {
                longs += 1;
            }
        }
        let short_len = (2 * shorts).next_power_of_two();
        let long_len = (2 * longs).next_power_of_two().max(2);
        let mut short = vec![ShortSlot::default(); short_len].into_boxed_slice();
        let mut long = vec![LongSlot { hash: 0, rank: NONE }; long_len].into_boxed_slice();
        let (short_mask, long_mask) = (short_len - 1, long_len - 1);
        for id in 0..n as u32 {
            let bytes = bpe.token_bytes(id);
            if bytes.len() <= 8 {
                let (word, len) = (word_of(bytes), bytes.len());
                let mut i = short_hash(word, len) & short_mask;
                while short[i].len != 0 {
                    i = (i + 1) & short_mask;
                }
                short[i] = ShortSlot { word, len: len as u32, rank: id };
            } else {
                let hash = xxh3_64(bytes);
                let mut i = hash as usize & long_mask;
                while long[i].rank != NONE {
                    i = (i + 1) & long_mask;
                }
                long[i] = LongSlot { hash, rank: id };
            }
        }
        Ranks { bpe, short, short_mask, long, long_mask }
    }

    /// The rank of the token `bytes`, or [`NONE`].
    #[inline(always)]
    fn rank(&self, bytes: &[u8]) -> u32 {
        if bytes.len() <= 8 {
            self.short_rank(word_of(bytes), bytes.len())
        } else {
            self.long_rank(bytes)
        }
    }

    #[inline(always)]
    fn short_rank(&self, word: u64, len: usize) -> u32 {
        let mut i = short_hash(word, len) & self.short_mask;
        loop {
            let slot = &self.short[i];
            if slot.len == 0 {
                return NONE;
            }
            if slot.word == word && slot.len as usize == len {
                return slot.rank;
            }
            i = (i + 1) & self.short_mask;
        }
    }

    fn long_rank(&self, bytes: &[u8]) -> u32 {
        let hash = xxh3_64(bytes);
        let mut i = hash as usize & self.long_mask;
        loop {
            let slot = &self.long[i];
            if slot.rank == NONE {
                return NONE;
            }
            if slot.hash == hash && self.bpe.token_bytes(slot.rank) == bytes {
                return slot.rank;
            }
            i = (i + 1) & self.long_mask;
        }
    }

    /// The number of tokens in `piece` if it is a token, or is at most [`MAX_MERGED`] bytes long;
    /// otherwise `None`, and the `bpe` crate counts it.
    #[inline]
    pub(crate) fn count(&self, piece: &[u8]) -> Option<usize> {
        let n = piece.len();
        if n > MAX_PIECE {
            return None;
        }
        if n <= 8 {
            // The commonest new piece is a whole token: one lookup.
            if self.short_rank(word_of(piece), n) != NONE {
                return Some(1);
            }
        } else if self.long_rank(piece) != NONE {
            return Some(1);
        }
        (n <= MAX_MERGED).then(|| self.merge(piece))
    }

    /// tiktoken's merge loop: `starts[i]` is where part `i` begins (`starts[parts]` is the end),
    /// `ranks[i]` the rank of parts `i` and `i + 1` together.
    fn merge(&self, piece: &[u8]) -> usize {
        let n = piece.len();
        let mut starts = [0u8; MAX_PIECE + 1];
        let mut ranks = [NONE; MAX_PIECE];
        for (i, start) in starts.iter_mut().enumerate().take(n + 1) {
            *start = i as u8;
        }
        for (i, rank) in ranks.iter_mut().enumerate().take(n.saturating_sub(1)) {
            *rank = self.rank(&piece[i..i + 2]);
        }
        let mut parts = n;
        while parts > 1 {
            // The lowest rank, the leftmost among equals, as tiktoken takes it.
            let mut best = NONE;
            let mut at = 0;
            for (i, &rank) in ranks[..parts - 1].iter().enumerate() {
                if rank < best {
                    best = rank;
                    at = i;
                }
            }
            if best == NONE {
                break;
            }
            // Parts `at` and `at + 1` become one: drop the boundary between them.
            starts.copy_within(at + 2..=parts, at + 1);
            ranks.copy_within(at + 1..parts - 1, at);
            parts -= 1;
            let span = |i: usize| &piece[usize::from(starts[i])..usize::from(starts[i + 2])];
            if at + 1 < parts {
                ranks[at] = self.rank(span(at));
            }
            if at > 0 {
                ranks[at - 1] = self.rank(span(at - 1));
            }
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_like_the_bpe_crate() {
        for bpe in [&bpe_openai::o200k_base().bpe, &bpe_openai::cl100k_base().bpe] {
            let ranks = Ranks::new(bpe);
            let text = "fn main() { let x_y = HashMap::<u32, Vec<String>>::new(); } Ångström 東京都 \
                        нейросети مرحبا 👩‍👩‍👧 ________________________________ aGVsbG8gd29ybGQ=";
            let bytes = text.as_bytes();
            for start in 0..bytes.len() {
                for end in start + 1..=(start + MAX_PIECE).min(bytes.len()) {
                    let piece = &bytes[start..end];
                    assert_eq!(ranks.merge(piece), bpe.count(piece), "{piece:?}");
                    if let Some(count) = ranks.count(piece) {
                        assert_eq!(count, bpe.count(piece), "{piece:?}");
                    }
                }
            }
            assert_eq!(ranks.count(&[b'a'; MAX_PIECE + 1]), None);
            assert_eq!(ranks.count(&[0xff; MAX_MERGED + 1]), None);
        }
    }
}
