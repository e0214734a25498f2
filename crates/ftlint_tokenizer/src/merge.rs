//! Byte-pair encoding of short pieces by tiktoken's own merge loop, without allocating.
//!
//! A piece that is in neither memo goes to a byte-pair encoder. The `bpe` crate's backtracking
//! encoder is linear in the piece's length, but every call allocates its token vector and its
//! bit field and runs an Aho-Corasick automaton over the piece, and on real text, where most
//! pieces are short and many are new (identifiers in code, words of languages the memo has not
//! seen), those fixed costs were most of the encoder's time. tiktoken's algorithm does less for a
//! short piece: start from single bytes, and merge the adjacent pair whose concatenation has the
//! lowest rank until no pair is a token. Here it runs on stack arrays indexed by byte position,
//! with ranks looked up in tables built once from the vocabulary: a dense table of every two-byte
//! string (the first lookups of every piece), an open-addressing table keyed by up to eight bytes
//! read as a machine word, and one keyed by a hash of longer byte strings, both behind a Bloom
//! filter small enough to stay in the processor's caches (most lookups are of bytes that are no
//! token). The count is the number of parts left, which is tiktoken's by construction: this is the
//! merge rule that defines its encodings, and a token's id is its rank. Longer pieces, where the loop's quadratic worst case
//! shows, go to a backtracking encoder: the `bpe` crate's, or once a text has had many long pieces
//! the one of [`super::backtrack`].
//!
//! Where the two meet was chosen by wall-clock time on real text, not by instruction counts: the
//! merge loop runs more instructions than the `bpe` crate for a piece of 16 to 24 bytes, but they
//! hit the processor's caches and predict well, while the crate's allocations, automaton and hash
//! map of pairs miss. Measured on the real-text corpus's kinds (one thread, each file counted once,
//! medians of alternated runs, o200k_base), against the previous form of this loop (arrays of parts
//! shifted at every merge) and its limit of 10 bytes for every piece: Latin-script languages 1.55x
//! as fast, code 1.24x, English 1.13x, long pieces 1.13x, Cyrillic, Arabic and Indic, other scripts
//! 1.05-1.09x, CJK and emoji even. With [`super::backtrack`]'s encoder beyond the loop instead of
//! the crate's, lower limits for pieces beyond ASCII (6 and 8 bytes) were within the host's noise
//! of 10 on CJK and Cyrillic and slower on Latin-script languages, so the limits stay the same.

use bpe_openai::byte_pair_encoding::BytePairEncoding;
use xxhash_rust::xxh3::xxh3_64;

/// The longest piece looked up whole here, in bytes; longer ones go to a backtracking encoder.
pub(crate) const MAX_PIECE: usize = 48;

/// The longest piece the merge loop counts, in bytes, when it is not a token itself and is mostly
/// ASCII (see [`merge_limit`]). Against 16 bytes, Latin-script languages were 5% faster, the
/// other kinds even; beyond 24, even everywhere while the instructions grew.
pub(crate) const MAX_MERGED: usize = 24;

/// As [`MAX_MERGED`], for other pieces: of CJK, Indic, Thai or emoji, whose characters of three or
/// four bytes start as as many parts, and of Cyrillic, Greek, Arabic or Hebrew words, whose every
/// letter starts as two. The loop's quadratic cost shows early there: on CJK a limit of 16 bytes
/// was 10% slower than 10 and one of 48 bytes 1.45x slower, and on Cyrillic and other scripts 24
/// bytes was 5–10% slower than 10.
pub(crate) const MAX_MERGED_NON_ASCII: usize = 10;

/// The longest piece like `piece` that the merge loop counts: [`MAX_MERGED`] for a piece with no
/// character of three or four bytes and at most half its bytes beyond ASCII (code, English, the
/// words of Latin-script languages), [`MAX_MERGED_NON_ASCII`] for the rest.
#[inline]
fn merge_limit(piece: &[u8]) -> usize {
    let mut wide = false;
    let mut non_ascii = 0;
    for &b in piece {
        wide |= b >= 0xe0;
        non_ascii += usize::from(b >= 0x80);
    }
    if wide || 2 * non_ascii > piece.len() {
        MAX_MERGED_NON_ASCII
    } else {
        MAX_MERGED
    }
}

// Positions in a piece are kept in bytes.
const _: () = assert!(MAX_PIECE < 256);

/// No rank: the bytes are not a token.
pub(crate) const NONE: u32 = u32::MAX;

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
    /// The rank of every two-byte string, indexed by its bytes as a little-endian `u16` ([`NONE`]:
    /// not a token). The merge loop starts by looking up every adjacent pair of bytes, and with
    /// 256 KiB this table stays in the processor's caches where the hashed table does not.
    pairs: Box<[u32]>,
    short: Box<[ShortSlot]>,
    short_mask: usize,
    /// A Bloom filter of every token, two bits of one word per token (256 KiB): most of the merge
    /// loop's lookups are of bytes that are no token, and each of those read a slot of a hashed
    /// table (megabytes, so a miss of the processor's caches) only to find it empty. The short
    /// tokens' bits come from [`short_hash`], the long ones' from the hash of [`Ranks::long`];
    /// both tables ask it first ([`Ranks::may_hold`]).
    filter: Box<[u64]>,
    long: Box<[LongSlot]>,
    long_mask: usize,
}

/// Words of the filter of tokens: 2^15 of 64 bits, 256 KiB.
const FILTER_BITS: u32 = 15;

/// A hash of a short token's word and length: its bits 32 and up pick the slot of the hashed table,
/// bits 49 and up the word of the filter and bits 20 to 31 the two bits in it.
#[inline(always)]
fn short_hash(word: u64, len: usize) -> u64 {
    (word ^ ((len as u64) << 59)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The word of the filter of tokens and the two bits in it for a token's hash ([`short_hash`],
/// or the long tokens' [`xxh3_64`]).
#[inline(always)]
fn filter_bits(hash: u64) -> (usize, u64) {
    let word = (hash >> (64 - FILTER_BITS)) as usize;
    let bits = (1u64 << ((hash >> 20) & 63)) | (1u64 << ((hash >> 26) & 63));
    (word, bits)
}

/// Sets the filter's bits of a token with this hash.
fn add_to_filter(filter: &mut [u64], hash: u64) {
    let (word, bits) = filter_bits(hash);
    filter[word] |= bits;
}

/// The bytes of `bytes` (one to eight) as a little-endian word, zero above the length.
///
/// Read as two four-byte loads for four to eight bytes (overlapping below eight) and three one-byte
/// loads below four, rather than by copying into a zeroed array: that copy has a length unknown at
/// compile time, so it was a call to `memcpy`, and it was a sixth of the merge loop's instructions.
#[inline(always)]
pub(crate) fn word_of(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    debug_assert!((1..=8).contains(&n));
    if n >= 4 {
        let low = u64::from(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
        let high = u64::from(u32::from_le_bytes([bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]));
        // The overlap, if any, holds the same bytes in both.
        low | (high << (8 * (n - 4)))
    } else {
        // One to three bytes: the first, the middle and the last cover them all.
        u64::from(bytes[0])
            | (u64::from(bytes[n / 2]) << (8 * (n / 2)))
            | (u64::from(bytes[n - 1]) << (8 * (n - 1)))
    }
}

impl Ranks {
    /// The tables for `bpe`'s vocabulary, each at most half full so that probes stay short.
    pub(crate) fn new(bpe: &'static BytePairEncoding) -> Ranks {
        let n = bpe.num_tokens();
        assert!(n <= MAX_RANKS, "{n} tokens: too many for the merge loop's keys");
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
        let mut pairs = vec![NONE; 1 << 16].into_boxed_slice();
        let mut filter = vec![0u64; 1 << FILTER_BITS].into_boxed_slice();
        let (short_mask, long_mask) = (short_len - 1, long_len - 1);
        for id in 0..n as u32 {
            let bytes = bpe.token_bytes(id);
            if let [first, second] = *bytes {
                pairs[usize::from(u16::from_le_bytes([first, second]))] = id;
            }
            if bytes.len() <= 8 {
                let (word, len) = (word_of(bytes), bytes.len());
                let hash = short_hash(word, len);
                add_to_filter(&mut filter, hash);
                let mut i = (hash >> 32) as usize & short_mask;
                while short[i].len != 0 {
                    i = (i + 1) & short_mask;
                }
                short[i] = ShortSlot { word, len: len as u32, rank: id };
            } else {
                let hash = xxh3_64(bytes);
                add_to_filter(&mut filter, hash);
                let mut i = hash as usize & long_mask;
                while long[i].rank != NONE {
                    i = (i + 1) & long_mask;
                }
                long[i] = LongSlot { hash, rank: id };
            }
        }
        Ranks { bpe, pairs, short, short_mask, filter, long, long_mask }
    }

    /// The rank of the token `bytes`, or [`NONE`].
    #[inline(always)]
    pub(crate) fn rank(&self, bytes: &[u8]) -> u32 {
        if let [first, second] = *bytes {
            self.pair_rank(first, second)
        } else if bytes.len() <= 8 {
            self.short_rank(word_of(bytes), bytes.len())
        } else {
            self.long_rank(bytes)
        }
    }

    #[inline(always)]
    fn pair_rank(&self, first: u8, second: u8) -> u32 {
        self.pairs[usize::from(u16::from_le_bytes([first, second]))]
    }

    /// The token count of a piece of two bytes, from the dense table of pairs (256 KiB, mostly in
    /// the processor's caches) rather than the hash table of short tokens: one token if the two
    /// bytes are one, else two, as the only merge there is would make the piece itself.
    #[inline(always)]
    pub(crate) fn count_two(&self, first: u8, second: u8) -> usize {
        if self.pair_rank(first, second) == NONE {
            2
        } else {
            1
        }
    }

    /// A piece of one to eight bytes as the table of short tokens looks it up: its bytes as a
    /// word, and its hash.
    #[inline(always)]
    pub(crate) fn short_key(piece: &[u8]) -> (u64, u64) {
        let word = word_of(piece);
        (word, short_hash(word, piece.len()))
    }

    /// Starts loading the filter word and the first slot where a piece of this [`Ranks::short_key`]
    /// is looked up, so that the lookup that follows a little later finds them in the caches.
    #[inline(always)]
    pub(crate) fn prefetch_short(&self, (_, hash): (u64, u64)) {
        let (word, _) = filter_bits(hash);
        if let Some(filter) = self.filter.get(word) {
            super::ahead::prefetch(filter);
        }
        if let Some(slot) = self.short.get((hash >> 32) as usize & self.short_mask) {
            super::ahead::prefetch(slot);
        }
    }

    /// Whether the piece of one to eight bytes `len` long with this [`Ranks::short_key`] is a
    /// token.
    #[inline(always)]
    pub(crate) fn is_short_token(&self, (word, hash): (u64, u64), len: usize) -> bool {
        self.short_rank_hashed(word, len, hash) != NONE
    }

    /// Whether the filter lets a token with this hash through: `false` only if there is none.
    #[inline(always)]
    fn may_hold(&self, hash: u64) -> bool {
        let (word, bits) = filter_bits(hash);
        self.filter[word] & bits == bits
    }

    #[inline(always)]
    fn short_rank(&self, word: u64, len: usize) -> u32 {
        self.short_rank_hashed(word, len, short_hash(word, len))
    }

    #[inline(always)]
    fn short_rank_hashed(&self, word: u64, len: usize, hash: u64) -> u32 {
        if !self.may_hold(hash) {
            return NONE;
        }
        let mut i = (hash >> 32) as usize & self.short_mask;
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
        if !self.may_hold(hash) {
            return NONE;
        }
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

    /// The number of tokens in `piece` if it is a token, or is no longer than [`merge_limit`];
    /// otherwise `None`, and a backtracking encoder counts it.
    #[inline]
    pub(crate) fn count(&self, piece: &[u8]) -> Option<usize> {
        let n = piece.len();
        if n == 0 {
            return Some(0);
        }
        if n > MAX_PIECE {
            return None;
        }
        // A piece of up to eight bytes that is a token never gets here: the tokenizer counts it by
        // `is_short_token` before the memo. Looking it up again would miss every time; the merge
        // loop counts any that do arrive exactly all the same.
        if n > 8 && self.long_rank(piece) != NONE {
            return Some(1);
        }
        (n <= merge_limit(piece)).then(|| self.merge(piece))
    }

    /// tiktoken's merge loop, over arrays indexed by byte position: `keys[i]` orders the merge of
    /// the part starting at byte `i` with the part after it (see [`merge_key`]; [`NO_MERGE`] or
    /// above when they are not a token, when `i` starts the last part, or when `i` no longer
    /// starts a part), and `next[i]` / `prev[i]` are where the parts after and before the one at
    /// `i` start.
    ///
    /// Indexed by position rather than by part, nothing moves when two parts merge: the
    /// merged-away part's key becomes [`NO_PAIR`] and the two neighbouring ones are looked up again.
    /// A key holds the rank above the position, so the lowest key is the lowest rank, the leftmost
    /// among equals as tiktoken takes it, and says where it is: one minimum over a stretch of the
    /// array, a loop without data-dependent branches that the compiler turns into vector code,
    /// finds the next merge. Ranks alone needed a second scan for the minimum's first position
    /// (with the scalar tail of the fold, a tenth of the loop's instructions on Latin-script
    /// text); shifting arrays of parts at every merge cost a `memmove` call each, and a scan
    /// keeping the minimum and its place a mispredicted branch at every new minimum.
    fn merge(&self, piece: &[u8]) -> usize {
        let n = piece.len();
        if n < 2 {
            return n;
        }
        let mut keys = [NO_PAIR; MAX_PIECE];
        let mut next = [0u8; MAX_PIECE];
        let mut prev = [0u8; MAX_PIECE];
        for i in 0..n {
            next[i] = (i + 1) as u8;
            prev[i] = i.wrapping_sub(1) as u8;
        }
        for i in 0..n - 1 {
            keys[i] = merge_key(self.pair_rank(piece[i], piece[i + 1]), i);
        }
        // The keys are scanned four at a time, over whole groups of four: those past the last pair
        // stay `NO_PAIR`.
        let scanned = (n - 1).next_multiple_of(4);
        let mut parts = n;
        loop {
            let best = lowest_key(&keys[..scanned]);
            if best >= NO_MERGE {
                return parts;
            }
            let at = (best & 0xff) as usize;
            // The part at `at` absorbs the one after it, which started at `gone`; `after` is where
            // the part after both starts (or the end).
            let gone = usize::from(next[at]);
            let after = usize::from(next[gone]);
            // The last part has no key of its own to clear.
            if gone < n - 1 {
                keys[gone] = NO_PAIR;
            }
            next[at] = after as u8;
            parts -= 1;
            if after < n {
                prev[after] = at as u8;
                keys[at] = merge_key(self.rank(&piece[at..usize::from(next[after])]), at);
            } else {
                keys[at] = NO_PAIR;
            }
            if at > 0 {
                let before = usize::from(prev[at]);
                keys[before] = merge_key(self.rank(&piece[before..after]), before);
            }
        }
    }
}

/// The most tokens a vocabulary may have for its ranks to make merge keys below [`NO_MERGE`]; both
/// vocabularies are far below (ids below 200,019 and 100,277), and [`Ranks::new`] checks it.
const MAX_RANKS: usize = (1 << 23) - 1;

// The highest key of a token stays below the keys of pairs that are none, and the keys are scanned
// in whole groups of four within the arrays of the merge loop.
const _: () = assert!((((MAX_RANKS as u32 - 1) << 8) | MAX_PIECE as u32) < NO_MERGE as u32);
const _: () = assert!(MAX_PIECE % 4 == 0);

/// Keys at or above this are of parts that do not merge.
const NO_MERGE: i32 = ((NONE << 8) & KEY_BITS) as i32;

/// The key of a position that starts no pair (the last part, a merged-away one, past the piece).
const NO_PAIR: i32 = i32::MAX;

/// Keys are kept below the sign bit, so that they compare alike as signed numbers: baseline x86-64
/// (SSE2) compares signed 32-bit numbers four at a time, and has no unsigned compare of them.
const KEY_BITS: u32 = i32::MAX as u32;

/// The merge loop's key of the pair whose left part starts at byte `at`: `rank` above `at`, so
/// that the lowest key is the lowest rank and, among equals, the leftmost. A pair that is no token
/// ([`NONE`]) gets a key at or above [`NO_MERGE`] without a branch: the shift keeps its high bits.
#[inline(always)]
fn merge_key(rank: u32, at: usize) -> i32 {
    (((rank << 8) | at as u32) & KEY_BITS) as i32
}

/// The lowest of `keys`, whose length is a multiple of four: a minimum per lane of four, which
/// compiles to a compare and a blend of four keys at a time, then the lowest of the four lanes.
/// A fold over the keys one by one compiled to a vector loop for eight keys at a time and a scalar
/// tail, and the pieces here mostly have fewer than eight pairs.
#[inline(always)]
fn lowest_key(keys: &[i32]) -> i32 {
    debug_assert!(keys.len() % 4 == 0, "a remainder would be skipped");
    let mut lanes = [NO_PAIR; 4];
    for group in keys.chunks_exact(4) {
        for (lane, &key) in lanes.iter_mut().zip(group) {
            *lane = (*lane).min(key);
        }
    }
    lanes[0].min(lanes[1]).min(lanes[2].min(lanes[3]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_two_bytes_like_the_bpe_crate() {
        for bpe in [&bpe_openai::o200k_base().bpe, &bpe_openai::cl100k_base().bpe] {
            let ranks = Ranks::new(bpe);
            let mut non_tokens = 0;
            for first in 0..=u8::MAX {
                for second in 0..=u8::MAX {
                    let count = ranks.count_two(first, second);
                    assert_eq!(count, bpe.count(&[first, second]), "{first:#04x} {second:#04x}");
                    non_tokens += usize::from(count == 2);
                }
            }
            // Most pairs of bytes are not tokens; both answers are exercised.
            assert!(non_tokens > 30_000, "{non_tokens}");
        }
    }

    #[test]
    fn finds_every_token_and_no_other_bytes() {
        for bpe in [&bpe_openai::o200k_base().bpe, &bpe_openai::cl100k_base().bpe] {
            let ranks = Ranks::new(bpe);
            // Every token through the table of its length (and the filter, from three bytes on).
            let mut ids = std::collections::HashMap::new();
            for id in 0..bpe.num_tokens() as u32 {
                assert_eq!(ranks.rank(bpe.token_bytes(id)), id);
                ids.insert(bpe.token_bytes(id), id);
            }
            // Bytes that are no token: most stop at the filter, the rest at an empty slot.
            let mut passed_the_filter = 0;
            for first in 0..=u8::MAX {
                for len in 3..=16u8 {
                    let bytes: Vec<u8> =
                        (0..len).map(|i: u8| first.wrapping_add(i.wrapping_mul(37)) | 0x80).collect();
                    let expected = ids.get(bytes.as_slice()).copied().unwrap_or(NONE);
                    assert_eq!(ranks.rank(&bytes), expected, "{bytes:?}");
                    let hash =
                        if len <= 8 { short_hash(word_of(&bytes), bytes.len()) } else { xxh3_64(&bytes) };
                    passed_the_filter += usize::from(ranks.may_hold(hash));
                }
            }
            // One in ten of the 3,584 at most: the filter's false positives are a few per cent.
            assert!(passed_the_filter < 256 * 14 / 10, "{passed_the_filter}");
        }
    }

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
            assert_eq!(ranks.count(b""), Some(0));
            // A piece that is no token goes to the merge loop up to the limit of its kind.
            let narrow = "zq".repeat(MAX_MERGED);
            assert_eq!(
                ranks.count(&narrow.as_bytes()[..MAX_MERGED]),
                Some(bpe.count(&narrow.as_bytes()[..MAX_MERGED]))
            );
            assert_eq!(ranks.count(&narrow.as_bytes()[..MAX_MERGED + 1]), None);
            assert_eq!(ranks.count(&[0xff; MAX_MERGED_NON_ASCII]), Some(MAX_MERGED_NON_ASCII));
            assert_eq!(ranks.count(&[0xff; MAX_MERGED_NON_ASCII + 1]), None);
            let cyrillic = "щъщъщъщъщъщъщъ".as_bytes();
            assert_eq!(
                ranks.count(&cyrillic[..MAX_MERGED_NON_ASCII]),
                Some(bpe.count(&cyrillic[..MAX_MERGED_NON_ASCII]))
            );
            assert_eq!(ranks.count(&cyrillic[..MAX_MERGED_NON_ASCII + 2]), None);
        }
    }
}
