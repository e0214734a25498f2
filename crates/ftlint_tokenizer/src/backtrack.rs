//! Byte-pair encoding of long new pieces by backtracking, over flat tables built for it.
//!
//! Pieces longer than the merge loop of [`super::merge`] takes, and in no memo, are mostly runs of
//! CJK ideographs, emoji sequences and long words of other scripts: pieces of dozens of bytes that
//! rarely repeat. The `bpe` crate's backtracking encoder counts them until these tables are built
//! (and always beyond [`MAX_PIECE`]); with it they were about half of the time spent counting CJK
//! text. The algorithm is the right one for them, linear in the
//! length and exact; its costs were in the lookups, each a cache miss in tables of megabytes: the
//! longest token at a position by an Aho-Corasick walk, and whether two tokens can stand side by
//! side by undoing their merges, with a hash map of pairs (hashed by FNV, byte by byte) at every
//! step.
//!
//! This module runs the same algorithm with lookups that mostly stay in the processor's caches:
//!
//! - **The longest token at a position** is found in a prefix index: the tokens of six bytes or
//!   more by a hash of their first six bytes, those of three to five by their first three, each
//!   slot's tokens longest first with their first sixteen bytes inline. A bit per finer hash
//!   (256 KiB) says whether any token is there at all, so that the common miss (two CJK characters
//!   that start no token) costs no read of the index.
//! - **Whether a pair can stand side by side** (`is_valid_pair`, the crate's rule: undo the later
//!   merge of the two, and see whether a merge across the boundary would have come first) reads
//!   each token's length, split and longest prefix from one 16-byte record, and asks a Bloom
//!   filter of the merges (256 KiB) before the table of merges: most pairs looked up merge into
//!   nothing. Pairs already judged are remembered per thread ([`PairCache`]); real text repeats
//!   them.
//!
//! Counting 12.8 MB of real CJK text is 1.26x as fast with this encoder as with the crate's for
//! `o200k_base` and 1.38x for `cl100k_base`, and 6.6 MB of emoji 1.37x and 1.44x (the whole count
//! of each file once, splitting and the memo of short pieces included, with the tables built
//! beforehand; medians of 5 fresh processes, `token_speed FILE 1 --long-pieces`). The tables take
//! about 10 ms to build for `o200k_base` and 5 ms for `cl100k_base`, so a tokenizer builds them
//! only once it has counted a few thousand long new pieces (`BACKTRACK_AFTER`), on a thread of
//! their own while counting goes on: a small file never pays for them.
//! Each token's split and longest prefix come precomputed from the `bpe` crate ([`bpe_tables`]);
//! deriving them again would cost 50 ms more. The counts equal the crate's, and tiktoken's, which
//! the tests check.

use bpe_openai::byte_pair_encoding::BytePairEncoding;

use super::bpe_tables;
use super::merge::{word_of, Ranks, NONE};

/// The longest piece encoded here, in bytes; the rare longer ones (base64, minified code) go to the
/// `bpe` crate, whose state grows with the piece.
pub(crate) const MAX_PIECE: usize = 256;

/// Words of the bit field of reachable positions `0..=MAX_PIECE`.
const BIT_WORDS: usize = (MAX_PIECE + 1).div_ceil(64);

/// Token ids fit in this many bits (`o200k_base` has 199,998 tokens, and ids below 200,019 with
/// its special tokens), so that a pair of them and the token they merge into fit in one word.
const ID_BITS: u32 = 18;
const ID_MASK: u64 = (1 << ID_BITS) - 1;

/// An empty slot of the table of merges.
const EMPTY: u64 = u64::MAX;

/// The prefix index has `2^INDEX_BITS` slots (2 MiB of `u32`). Fewer slots mix more prefixes in
/// one, whose tokens are all compared: 2^17 was 1.25x slower on CJK than 2^19, 2^20 and 2^21 no
/// faster.
const INDEX_BITS: u32 = 19;

/// Bits of the finer hash that [`slot6`] and [`slot3`] return: its top [`INDEX_BITS`] are the slot
/// of the prefix index, and all of them a bit of [`Backtrack::occupied`].
const FINE_BITS: u32 = INDEX_BITS + 2;

/// Bits of an index entry that count its tokens; the rest say where they start.
const COUNT_BITS: u32 = 12;

/// The Bloom filter of merges has `2^FILTER_BITS` words (256 KiB).
const FILTER_BITS: u32 = 15;

/// A [`PairCache`] has `2^CACHE_BITS` entries (512 KiB per count state, so per thread and
/// encoding): a quarter of that was 1.1x slower on CJK, four times that at most 5% faster.
const CACHE_BITS: u32 = 16;

/// What the encoder needs of a token, in one record: its length, its longest proper prefix that is
/// a token ([`NONE`] for single bytes), and the two tokens it was merged from (itself twice for
/// single bytes).
#[derive(Clone, Copy)]
#[repr(C, align(16))]
struct TokenInfo {
    len: u32,
    next_prefix: u32,
    left: u32,
    right: u32,
}

/// A token in the prefix index: its first sixteen bytes as two little-endian words (zero above its
/// length), its id and its length.
#[derive(Clone, Copy)]
#[repr(C)]
struct Candidate {
    head: u64,
    tail: u64,
    id: u32,
    len: u32,
}

/// The finer hash of text starting with `b[..6]`, where tokens of six bytes or more are found.
#[inline(always)]
fn slot6(b: &[u8]) -> usize {
    let word = u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        | u64::from(b[4]) << 32
        | u64::from(b[5]) << 40;
    (word.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - FINE_BITS)) as usize
}

/// The finer hash of text starting with `b[..3]`, where tokens of three to five bytes are found
/// (the top bit keeps it apart from [`slot6`]'s words).
#[inline(always)]
fn slot3(b: &[u8]) -> usize {
    let word = u64::from(b[0]) | u64::from(b[1]) << 8 | u64::from(b[2]) << 16 | 1 << 63;
    (word.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - FINE_BITS)) as usize
}

/// Up to the first eight bytes of `b` as a little-endian word, zero above; empty gives 0.
#[inline(always)]
fn word(b: &[u8]) -> u64 {
    match b.len() {
        0 => 0,
        n => word_of(&b[..n.min(8)]),
    }
}

/// Two tokens as one key.
#[inline(always)]
fn pair_key(left: u32, right: u32) -> u64 {
    (u64::from(left) << ID_BITS) | u64::from(right)
}

/// The slot of the table of merges where a key's probe starts.
#[inline(always)]
fn pair_hash(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize
}

/// The word of the Bloom filter of merges for a key, and the two bits it sets there.
#[inline(always)]
fn filter_bits(key: u64) -> (usize, u64) {
    let hash = key.wrapping_mul(0xff51_afd7_ed55_8ccd);
    let word = (hash >> (64 - FILTER_BITS)) as usize;
    (word, 1 << (hash & 63) | 1 << ((hash >> 6) & 63))
}

/// The backtracking encoder's tables for one vocabulary; shared by all threads, never changed.
pub(crate) struct Backtrack {
    bpe: &'static BytePairEncoding,
    tokens: Box<[TokenInfo]>,
    /// The merges, by open addressing: `pair_key(left, right) << ID_BITS | merged`, or [`EMPTY`].
    pairs: Box<[u64]>,
    pairs_mask: usize,
    /// A blocked Bloom filter of the keys in `pairs`.
    pair_filter: Box<[u64]>,
    /// For every slot, where its candidates start and how many there are
    /// (`start << COUNT_BITS | count`): the tokens whose first six bytes, or for tokens of three to
    /// five bytes first three, hash to the slot, longest first. A slot may mix prefixes; candidates
    /// are compared in full.
    index: Box<[u32]>,
    /// Whether some token has a given finer hash, one bit each.
    occupied: Box<[u64]>,
    candidates: Box<[Candidate]>,
}

/// Pairs of tokens already judged by [`Backtrack::is_valid_pair`], per thread: a direct-mapped
/// cache of `pair_key << 2 | 2 | valid` (0: empty).
pub(crate) struct PairCache {
    slots: Box<[u64]>,
}

impl PairCache {
    /// An empty cache; it allocates at its first use, so that a state that never counts a long
    /// piece by backtracking (most, on code and English) costs nothing for it.
    pub(crate) fn new() -> PairCache {
        PairCache { slots: Box::new([]) }
    }
}

impl Backtrack {
    /// The tables for `bpe`'s vocabulary, whose ranks `ranks` holds.
    pub(crate) fn new(bpe: &'static BytePairEncoding, ranks: &Ranks) -> Backtrack {
        let mut table = Backtrack::with_index(bpe);
        match bpe_tables::read(bpe) {
            Some(tables) => {
                for (id, (&(left, right), &next_prefix)) in
                    tables.split.iter().zip(&tables.next_prefix).enumerate()
                {
                    let info = &mut table.tokens[id];
                    (info.left, info.right, info.next_prefix) = (left, right, next_prefix);
                    if (left, right) != (id as u32, id as u32) {
                        table.insert_pair(left, right, id as u32);
                    }
                }
            }
            None => table.derive_splits(ranks),
        }
        table
    }

    /// The tables with every token's length and the prefix index, but no splits or prefixes yet.
    fn with_index(bpe: &'static BytePairEncoding) -> Backtrack {
        let n = bpe.num_tokens();
        assert!(n as u64 <= ID_MASK, "token ids must fit in {ID_BITS} bits");
        // Every token of three bytes or more as one sort key: its slot, then longest first, then
        // its id. Sorted, the keys give each slot's candidates in order, written one after
        // another; placing each token straight into its slot instead (a counting sort) reads and
        // writes megabytes at random and took twice as long.
        let mut occupied = vec![0u64; (1 << FINE_BITS) / 64].into_boxed_slice();
        let mut tokens = Vec::with_capacity(n);
        let mut keys = Vec::with_capacity(n);
        for id in 0..n as u32 {
            let bytes = bpe.token_bytes(id);
            tokens.push(TokenInfo { len: bytes.len() as u32, next_prefix: NONE, left: id, right: id });
            let fine = match bytes.len() {
                6.. => slot6(bytes),
                3..=5 => slot3(bytes),
                _ => continue,
            };
            occupied[fine / 64] |= 1 << (fine % 64);
            let slot = (fine >> (FINE_BITS - INDEX_BITS)) as u64;
            let shorter = u64::from(u16::MAX - bytes.len().min(usize::from(u16::MAX)) as u16);
            keys.push((slot << 16 | shorter) << ID_BITS | u64::from(id));
        }
        keys.sort_unstable();
        assert!(keys.len() < 1 << (32 - COUNT_BITS), "the prefix index overflows");
        let mut index = vec![0u32; 1 << INDEX_BITS].into_boxed_slice();
        let mut candidates = Vec::with_capacity(keys.len());
        for &key in &keys {
            let id = (key & ID_MASK) as u32;
            let bytes = bpe.token_bytes(id);
            let entry = &mut index[(key >> (16 + ID_BITS)) as usize];
            if *entry == 0 {
                // The slot's first candidate, where its candidates start.
                *entry = (candidates.len() as u32) << COUNT_BITS;
            }
            *entry += 1;
            assert!(*entry & ((1 << COUNT_BITS) - 1) != 0, "a slot of the prefix index overflows");
            candidates.push(Candidate {
                head: word(bytes),
                tail: word(bytes.get(8..).unwrap_or_default()),
                id,
                len: bytes.len() as u32,
            });
        }
        let pairs_len = (2 * n).next_power_of_two();
        Backtrack {
            bpe,
            tokens: tokens.into_boxed_slice(),
            pairs: vec![EMPTY; pairs_len].into_boxed_slice(),
            pairs_mask: pairs_len - 1,
            pair_filter: vec![0u64; 1 << FILTER_BITS].into_boxed_slice(),
            index,
            occupied,
            candidates: candidates.into_boxed_slice(),
        }
    }

    /// Every token's longest proper prefix and split, derived as the `bpe` crate derives them: the
    /// split is the longest prefix token whose rest is a token, both of lower rank, that can stand
    /// side by side. In rank order, since a pair's validity depends only on merges of lower rank,
    /// which are in the tables by then.
    fn derive_splits(&mut self, ranks: &Ranks) {
        let bpe = self.bpe;
        for id in 0..self.tokens.len() as u32 {
            let bytes = bpe.token_bytes(id);
            if bytes.len() >= 2 {
                self.tokens[id as usize].next_prefix = self.longest(ranks, &bytes[..bytes.len() - 1]);
            }
        }
        for id in 0..self.tokens.len() as u32 {
            let bytes = bpe.token_bytes(id);
            let mut left = self.tokens[id as usize].next_prefix;
            while left != NONE {
                let right = ranks.rank(&bytes[self.tokens[left as usize].len as usize..]);
                if right != NONE && left < id && right < id && self.is_valid_pair(left, right) {
                    self.insert_pair(left, right, id);
                    self.tokens[id as usize].left = left;
                    self.tokens[id as usize].right = right;
                    break;
                }
                left = self.tokens[left as usize].next_prefix;
            }
        }
    }

    /// Records that `left` and `right` merge into `merged`.
    fn insert_pair(&mut self, left: u32, right: u32, merged: u32) {
        let key = pair_key(left, right);
        let mut i = pair_hash(key) & self.pairs_mask;
        while self.pairs[i] != EMPTY {
            i = (i + 1) & self.pairs_mask;
        }
        self.pairs[i] = (key << ID_BITS) | u64::from(merged);
        let (word, bits) = filter_bits(key);
        self.pair_filter[word] |= bits;
    }

    /// The token `left` and `right` merge into, or [`NONE`].
    #[inline(always)]
    fn merged(&self, left: u32, right: u32) -> u32 {
        let key = pair_key(left, right);
        let (word, bits) = filter_bits(key);
        if self.pair_filter[word] & bits != bits {
            return NONE;
        }
        let mut i = pair_hash(key) & self.pairs_mask;
        loop {
            let slot = self.pairs[i];
            if slot >> ID_BITS == key {
                return (slot & ID_MASK) as u32;
            }
            if slot == EMPTY {
                return NONE;
            }
            i = (i + 1) & self.pairs_mask;
        }
    }

    /// Whether byte-pair encoding can leave `left` and `right` side by side: undo the merges that
    /// made them, the later first, and see whether some pair across the boundary would have merged
    /// before them. The `bpe` crate's `is_valid_token_pair`, over these tables.
    #[inline]
    fn is_valid_pair(&self, mut left: u32, mut right: u32) -> bool {
        // The highest rank that can still merge across the boundary.
        let mut limit = u32::MAX;
        loop {
            let merged = self.merged(left, right);
            if merged != NONE && merged < limit {
                return false;
            }
            if left > right {
                limit = left;
                left = self.tokens[left as usize].right;
                if left == limit {
                    limit = right + 1;
                    right = self.tokens[right as usize].left;
                    if right + 1 == limit {
                        return true;
                    }
                }
            } else {
                limit = right + 1;
                right = self.tokens[right as usize].left;
                if right + 1 == limit {
                    limit = left;
                    left = self.tokens[left as usize].right;
                    if left == limit {
                        return true;
                    }
                }
            }
        }
    }

    /// [`Backtrack::is_valid_pair`], remembered in `cache`.
    #[inline(always)]
    fn cached_valid_pair(&self, cache: &mut PairCache, left: u32, right: u32) -> bool {
        let key = pair_key(left, right);
        let i = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - CACHE_BITS)) as usize;
        if cache.slots.is_empty() {
            cache.slots = vec![0; 1 << CACHE_BITS].into_boxed_slice();
        }
        let slot = cache.slots[i];
        if slot >> 2 == key && slot & 2 != 0 {
            return slot & 1 == 1;
        }
        let valid = self.is_valid_pair(left, right);
        cache.slots[i] = key << 2 | 2 | u64::from(valid);
        valid
    }

    /// The longest token with the finer hash `fine` and a length in `lengths` that `rest` starts
    /// with, and its length; `(NONE, 0)` if there is none.
    #[inline(always)]
    fn find(&self, fine: usize, rest: &[u8], lengths: std::ops::RangeInclusive<usize>) -> (u32, usize) {
        if self.occupied[fine / 64] & (1 << (fine % 64)) == 0 {
            return (NONE, 0);
        }
        let entry = self.index[fine >> (FINE_BITS - INDEX_BITS)];
        let start = (entry >> COUNT_BITS) as usize;
        let count = (entry & ((1 << COUNT_BITS) - 1)) as usize;
        let n = rest.len();
        for candidate in &self.candidates[start..start + count] {
            let len = candidate.len as usize;
            // Longest first: the rest of the slot is shorter still.
            if len < *lengths.start() {
                break;
            }
            if len > n || len > *lengths.end() {
                continue;
            }
            if word_of(&rest[..len.min(8)]) != candidate.head {
                continue;
            }
            if len > 8 && word(&rest[8..len.min(16)]) != candidate.tail {
                continue;
            }
            if len > 16 && rest[16..len] != self.bpe.token_bytes(candidate.id)[16..] {
                continue;
            }
            return (candidate.id, len);
        }
        (NONE, 0)
    }

    /// The longest token that `rest` (not empty) starts with.
    #[inline(always)]
    fn longest(&self, ranks: &Ranks, rest: &[u8]) -> u32 {
        self.longest_and_len(ranks, rest).0
    }

    /// The longest token that `rest` (not empty) starts with, and its length, which the index
    /// holds beside it: reading it from the token's record instead was one more load at every
    /// step of [`Backtrack::count`], of a table of megabytes.
    #[inline(always)]
    fn longest_and_len(&self, ranks: &Ranks, rest: &[u8]) -> (u32, usize) {
        let n = rest.len();
        if n >= 6 {
            let found = self.find(slot6(rest), rest, 6..=usize::MAX);
            if found.0 != NONE {
                return found;
            }
        }
        if n >= 3 {
            let found = self.find(slot3(rest), rest, 3..=5);
            if found.0 != NONE {
                return found;
            }
        }
        if n >= 2 {
            let rank = ranks.rank(&rest[..2]);
            if rank != NONE {
                return (rank, 2);
            }
        }
        (ranks.rank(&rest[..1]), 1)
    }

    /// Starts loading the prefix index's entries, and their words of `occupied`, for the start of
    /// `piece` and each character in it beyond ASCII: the walk looks for the longest token at most
    /// of them, and on text of many distinct pieces each lookup missed the nearer caches in turn.
    /// Counting the 500 MB real-text file 1.04x as fast with `o200k_base` and 1.025x with
    /// `cl100k_base` (6 rounds each order, both runs at once), its CJK kind 1.05-1.07x and
    /// Cyrillic 1.06-1.09x (8 rounds each order), for 1.13x the instructions on CJK.
    #[inline(always)]
    fn prefetch_index(&self, piece: &[u8]) {
        if !super::ahead::AVAILABLE {
            return;
        }
        for (p, &b) in piece.iter().enumerate() {
            if p > 0 && b < 0xc0 {
                continue;
            }
            let rest = &piece[p..];
            if rest.len() >= 6 {
                self.prefetch_slot(slot6(rest));
            }
            if rest.len() >= 3 {
                self.prefetch_slot(slot3(rest));
            }
        }
    }

    /// Starts loading what [`Backtrack::find`] reads first for the finer hash `fine`: its word of
    /// `occupied` and its entry of the prefix index.
    #[inline(always)]
    fn prefetch_slot(&self, fine: usize) {
        super::ahead::prefetch(&self.occupied[fine / 64]);
        super::ahead::prefetch(&self.index[fine >> (FINE_BITS - INDEX_BITS)]);
    }

    /// The number of tokens in `piece`, or `None` if it is longer than [`MAX_PIECE`].
    ///
    /// The `bpe` crate's backtracking: take the longest token at each position; when it cannot
    /// stand after the last token kept (or ends at a position already known to be a dead end),
    /// try its longest prefix that is a token instead; when no prefix can, mark the position a
    /// dead end, give up the last token and try its prefixes in its place.
    pub(crate) fn count(&self, ranks: &Ranks, cache: &mut PairCache, piece: &[u8]) -> Option<usize> {
        let n = piece.len();
        if n > MAX_PIECE || n == 0 {
            return (n == 0).then_some(0);
        }
        self.prefetch_index(piece);
        // The tokens kept, `tokens[..count]`. (Left uninitialised, the array made no measurable
        // difference: 0.99x to 1.06x on CJK, 5 runs.)
        let mut tokens = [0u32; MAX_PIECE];
        let mut count = 0usize;
        // Bit `i` clear once no encoding of the piece's first `i` bytes extends to the end.
        let mut reachable = [u64::MAX; BIT_WORDS];
        let mut pos = 0;
        let mut next = self.longest_and_len(ranks, piece);
        loop {
            let last = count.checked_sub(1).map(|i| tokens[i]);
            let (mut token, mut len) = next;
            loop {
                let end = pos + len;
                if (reachable[end / 64] >> (end % 64)) & 1 == 1
                    && last.is_none_or(|last| self.cached_valid_pair(cache, last, token))
                {
                    tokens[count] = token;
                    count += 1;
                    pos = end;
                    if pos == n {
                        return Some(count);
                    }
                    next = self.longest_and_len(ranks, &piece[pos..]);
                    break;
                }
                let prefix = self.tokens[token as usize].next_prefix;
                if prefix != NONE {
                    token = prefix;
                    len = self.tokens[token as usize].len as usize;
                } else {
                    // No token from here can follow `last`: give `last` up, and try its shorter
                    // prefixes next.
                    reachable[pos / 64] &= !(1 << (pos % 64));
                    // Position 0 is never a dead end: its first byte is a token, and nothing
                    // stands before it. Were it one anyway, the `bpe` crate counts the piece.
                    let Some(last) = last else {
                        debug_assert!(false, "backtracked past the start of a piece");
                        return None;
                    };
                    count -= 1;
                    let last_len = self.tokens[last as usize].len as usize;
                    pos -= last_len;
                    next = (last, last_len);
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_like_the_bpe_crate() {
        for bpe in [&bpe_openai::o200k_base().bpe, &bpe_openai::cl100k_base().bpe] {
            let ranks = Ranks::new(bpe);
            let table = Backtrack::new(bpe, &ranks);
            let mut derived = Backtrack::with_index(bpe);
            derived.derive_splits(&ranks);
            assert!(bpe_tables::read(bpe).is_some(), "the bpe crate's tables could not be read");
            for (id, (read, derived)) in table.tokens.iter().zip(derived.tokens.iter()).enumerate() {
                assert_eq!(
                    (read.len, read.next_prefix, read.left, read.right),
                    (derived.len, derived.next_prefix, derived.left, derived.right),
                    "token {id}"
                );
            }
            let mut cache = PairCache::new();
            // Runs that share more than sixteen bytes with long tokens but not all of them, so that
            // the comparison of candidates' bytes past the sixteenth decides.
            let near_long_tokens = format!("{}x{}{}#", "-".repeat(20), "-".repeat(20), "=".repeat(40));
            let text = "fn main() { let x_y = HashMap::<u32, Vec<String>>::new(); } Ångström 東京都の天気は晴れです。\
                        中华人民共和国成立于一九四九年十月一日 нейросети مرحبا 👩‍👩‍👧 ________________________________ \
                        aGVsbG8gd29ybGQ= 대한민국의수도는서울입니다 สวัสดีครับยินดีต้อนรับ ｆｕｌｌｗｉｄｔｈXMLHttpRequest "
                .to_owned()
                + &near_long_tokens;
            let bytes = text.as_bytes();
            for start in 0..bytes.len() {
                for end in start + 1..=(start + 80).min(bytes.len()) {
                    let piece = &bytes[start..end];
                    assert_eq!(table.count(&ranks, &mut cache, piece), Some(bpe.count(piece)), "{piece:?}");
                }
            }
            let long = [b'-'; MAX_PIECE];
            assert_eq!(table.count(&ranks, &mut cache, &long), Some(bpe.count(&long)));
            assert_eq!(table.count(&ranks, &mut cache, &[b'a'; MAX_PIECE + 1]), None);
        }
    }
}
