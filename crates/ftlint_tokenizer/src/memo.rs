//! A per-thread memo of piece → token count for short pieces.
//!
//! Natural-language text is made of few distinct words: the pretokenizer hands out the same pieces
//! millions of times. A piece of up to eight bytes that is a token (" the", " and") is counted by one
//! lookup in the table of ranks before it reaches the memo; the memo keeps the others, whose
//! encoding runs the merge loop or a backtracking encoder, several times the cost of a lookup.
//! Only short pieces are kept here: long ones (base64, long numbers glued to symbols, runs of
//! punctuation, CJK sentences) rarely repeat, and a bounded key keeps every entry inline.
//!
//! The memo is a two-way set-associative cache rather than a hash map: a power-of-two array of
//! 64-byte sets, one cache line each, holding two 32-byte slots. A hash picks the set; a new piece
//! takes the first slot and moves the piece there to the second, dropping the one before. A lookup
//! is one hash, one cache line and at most two comparisons, with no probing; its memory is bounded
//! (2 MiB, and 8 MiB once text of many distinct pieces has made it replace as many as it holds);
//! and a piece that is evicted is only counted again, never counted wrong, since a hit compares the
//! whole key. Two ways rather than one because a dataset's few thousand common pieces, hashed into
//! one slot each, put a few pairs of frequent pieces into the same slot, where they evict each other
//! for the whole run: on the 512 MB benchmark file (3,691 distinct short pieces) one way sent
//! 286,529 short pieces to the byte-pair encoder, two ways 13,909.
//!
//! The key's words are read straight from the text, eight bytes at a time past the piece's end
//! where the text goes on, and masked to the piece's length. Copying the piece into a zeroed
//! buffer first and reading the words back, as the obvious code does, stalls on every lookup: the
//! processor cannot forward the copy's narrow stores to the wide loads that follow them.

/// The longest piece the memo keeps, in bytes. Words with their leading space and most CJK runs fit;
/// the key is three machine words.
pub(crate) const MAX_PIECE: usize = 24;

/// Slots per thread once the memo has grown: 32 bytes each, so 8 MiB per thread and encoding.
/// On the 500 MB real-text file, whose pieces seldom repeat soon, counting with a memo of this
/// size from the start was 1.08x as fast as with a quarter of it (cl100k; 1.04x o200k; medians of
/// 6 alternated pairs), and twice this size no faster; growing to it as below, a full check of
/// that file took 0.87x the time (8 pairs).
pub(crate) const DEFAULT_ENTRIES: usize = 1 << 18;

/// Slots of the memo before it grows: 2 MiB, which a small file fills only in part. The memo
/// grows to its full size once it has had to replace as many pieces as it holds, so that a small
/// file, or text of few distinct pieces, never clears 8 MiB per thread.
const FIRST_ENTRIES: usize = 1 << 16;

/// Slots per set.
const WAYS: usize = 2;

/// A remembered piece: its bytes zero-padded to three words, its length (0: an empty slot; the
/// length also keeps trailing NUL bytes distinct from padding) and its token count. A piece of at
/// most 24 bytes has at most 24 tokens, so the count fits in a byte.
#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    words: [u64; 3],
    len: u8,
    count: u8,
}

/// The slots one hash picks: the most recently stored piece first. One cache line.
#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct Set {
    ways: [Slot; WAYS],
}

/// Token counts of short pieces seen before on this thread, for one vocabulary.
pub(crate) struct Memo {
    sets: Box<[Set]>,
    /// `sets.len() - 1`; the set count is a power of two.
    mask: usize,
    /// Pieces stored over an older one while the memo has had its present size.
    replaced: usize,
    /// Sets of the memo at its full size.
    full_sets: usize,
}

impl Memo {
    /// A memo of at most `max_entries` slots (rounded down to a power of two), which starts with at
    /// most [`FIRST_ENTRIES`] of them; with fewer than two it remembers nothing.
    pub(crate) fn new(max_entries: usize) -> Memo {
        let full_sets = slot_count(max_entries / WAYS);
        let (sets, mask) = slot_array(full_sets.min(FIRST_ENTRIES / WAYS), Set::default);
        Memo { sets, mask, replaced: 0, full_sets }
    }

    /// Whether the memo has grown to its full size, having had to replace as many pieces as it
    /// first held: the texts this thread has counted have more distinct pieces than the
    /// processor's nearer caches hold. A memo made no larger than [`FIRST_ENTRIES`] never grows.
    #[inline(always)]
    pub(crate) fn has_grown(&self) -> bool {
        self.sets.len() > FIRST_ENTRIES / WAYS
    }

    /// Starts loading the set where the piece of this [`hash`] is looked for, so that the lookup
    /// that follows a little later finds it in the processor's caches.
    #[inline(always)]
    pub(crate) fn prefetch(&self, hash: usize) {
        if let Some(set) = self.sets.get(hash & self.mask) {
            super::ahead::prefetch(set);
        }
    }

    /// The token count of the piece `text[start..end]`, from the memo or from `count`, which is then
    /// remembered; `hash` is the piece's [`hash`] if the caller has computed it. Inlined into each
    /// loop over pieces: called from two, it was compiled out of line, 4% more instructions.
    #[inline(always)]
    pub(crate) fn count(
        &mut self,
        text: &[u8],
        start: usize,
        end: usize,
        hash: Option<usize>,
        count: impl FnOnce(&[u8]) -> usize,
    ) -> usize {
        let len = end - start;
        if len == 0 || len > MAX_PIECE || self.sets.is_empty() {
            return count(&text[start..end]);
        }
        let words = words(text, start, end);
        let hash = hash.unwrap_or_else(|| index(words, len));
        let Some(set) = self.sets.get_mut(hash & self.mask) else {
            return count(&text[start..end]);
        };
        let [recent, older] = &mut set.ways;
        if usize::from(recent.len) == len && same(&recent.words, &words) {
            return usize::from(recent.count);
        }
        if usize::from(older.len) == len && same(&older.words, &words) {
            return usize::from(older.count);
        }
        let n = count(&text[start..end]);
        if let Ok(small) = u8::try_from(n) {
            let replacing = older.len != 0;
            // `len` is at most MAX_PIECE, so it fits in a byte.
            *older = *recent;
            *recent = Slot { words, len: len as u8, count: small };
            if replacing {
                self.replaced += 1;
                if self.replaced == self.sets.len() * WAYS && self.sets.len() < self.full_sets {
                    self.grow();
                }
            }
        }
        n
    }

    /// Moves to the full-size memo, keeping every piece this one holds: a set's index in the larger
    /// memo is its index here with more of the hash's bits, so only the two pieces of one set here
    /// can meet in a set there, which has room for both, in the same order of recency.
    #[cold]
    fn grow(&mut self) {
        let (mut sets, mask) = slot_array(self.full_sets, Set::default);
        for slot in self.sets.iter().flat_map(|set| set.ways.iter().rev()) {
            if slot.len != 0 {
                let set = &mut sets[index(slot.words, usize::from(slot.len)) & mask];
                set.ways[1] = set.ways[0];
                set.ways[0] = *slot;
            }
        }
        (self.sets, self.mask, self.replaced) = (sets, mask, 0);
    }

    /// Whether the memo holds `piece`, without storing it.
    #[cfg(test)]
    fn holds(&self, piece: &[u8]) -> bool {
        let words = words(piece, 0, piece.len());
        self.sets.get(index(words, piece.len()) & self.mask).is_some_and(|set| {
            set.ways.iter().any(|slot| usize::from(slot.len) == piece.len() && same(&slot.words, &words))
        })
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.sets.iter().flat_map(|set| &set.ways).filter(|s| s.len > 0).count()
    }
}

/// The hash of the piece `text[start..end]` (1 to [`MAX_PIECE`] bytes) that picks its set.
#[inline(always)]
pub(crate) fn hash(text: &[u8], start: usize, end: usize) -> usize {
    index(words(text, start, end), end - start)
}

/// `max_entries` rounded down to a power of two (0 stays 0, which remembers nothing); the memo of
/// long pieces sizes its sets by it too.
pub(crate) fn slot_count(max_entries: usize) -> usize {
    if max_entries == 0 {
        0
    } else {
        1 << max_entries.ilog2()
    }
}

/// The slots (or sets) of a cache of at most `max_entries` of them, each made by `empty`, and the
/// mask that picks one from a hash: the count is rounded down to a power of two (0 stays 0, which
/// remembers nothing).
fn slot_array<T>(max_entries: usize, empty: impl FnMut() -> T) -> (Box<[T]>, usize) {
    let len = slot_count(max_entries);
    (std::iter::repeat_with(empty).take(len).collect(), len.saturating_sub(1))
}

/// For each piece length, which bytes of the three key words belong to the piece (a table, as
/// computing the masks costs more instructions than the rest of a lookup).
static MASKS: [[u64; 3]; MAX_PIECE + 1] = masks();

const fn masks() -> [[u64; 3]; MAX_PIECE + 1] {
    let mut table = [[0; 3]; MAX_PIECE + 1];
    let mut len = 0;
    while len <= MAX_PIECE {
        let mut i = 0;
        while i < 3 {
            let bytes = if len < 8 * i {
                0
            } else if len - 8 * i > 8 {
                8
            } else {
                len - 8 * i
            };
            table[len][i] = if bytes == 8 { u64::MAX } else { (1u64 << (8 * bytes)) - 1 };
            i += 1;
        }
        len += 1;
    }
    table
}

/// The piece `text[start..end]` (1 to 24 bytes) as three little-endian words, zero-padded.
#[inline(always)]
fn words(text: &[u8], start: usize, end: usize) -> [u64; 3] {
    let len = end - start;
    if let (Some(window), Some(masks)) = (text.get(start..start + MAX_PIECE), MASKS.get(len)) {
        // The usual case: the text goes on for 24 bytes, so whole words are read and masked.
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&window[8 * i..8 * i + 8]);
            u64::from_le_bytes(w) & masks[i]
        };
        [word(0), word(1), word(2)]
    } else {
        // Near the end of the text: each word from the bytes that exist.
        let piece = &text[start..end];
        let word = |i: usize| piece.get(8 * i..).map_or(0, |rest| partial_word(&rest[..rest.len().min(8)]));
        [word(0), word(1), word(2)]
    }
}

/// Up to eight bytes as a little-endian word, zero-padded, with at most two loads and no stores:
/// two overlapping loads cover every length, and the overlap holds the same bytes in both.
#[inline(always)]
pub(crate) fn partial_word(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let u32_at = |i: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&bytes[i..i + 4]);
        u64::from(u32::from_le_bytes(w))
    };
    match n {
        0 => 0,
        1..=3 => {
            let byte = |i: usize| u64::from(bytes[i]) << (8 * i);
            byte(0) | byte(n / 2) | byte(n - 1)
        }
        4..=7 => u32_at(0) | (u32_at(n - 4) << (8 * (n - 4))),
        _ => {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[..8]);
            u64::from_le_bytes(w)
        }
    }
}

/// Whether two keys are equal, compared in general-purpose registers. Written as `a == b`, the
/// comparison is compiled to 16-byte vector loads of the key, which the compiler first spills to
/// the stack in 8-byte stores; a wide load cannot take its bytes from two narrower stores still in
/// flight, so every lookup waited for those stores to reach the cache (a tenth of the count loop's
/// samples sat on that one compare).
#[inline(always)]
fn same(a: &[u64; 3], b: &[u64; 3]) -> bool {
    ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2])) == 0
}

/// The set hash: the 128-bit product of two mixes of the key, folded (as in wyhash). One
/// multiplication serves all three words and the length; the low bits it yields depend on every
/// input bit, so masking them picks the set.
#[inline(always)]
fn index(words: [u64; 3], len: usize) -> usize {
    const K0: u64 = 0xa076_1d64_78bd_642f;
    const K1: u64 = 0xe703_7ed1_a0b4_28db;
    let a = words[0] ^ K0;
    let b = words[1] ^ words[2].rotate_left(32) ^ (len as u64) ^ K1;
    let product = u128::from(a) * u128::from(b);
    ((product as u64) ^ ((product >> 64) as u64)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_all(memo: &mut Memo, piece: &[u8], calls: &mut usize) -> usize {
        memo.count(piece, 0, piece.len(), None, |p| {
            *calls += 1;
            p.len()
        })
    }

    #[test]
    fn keys_differ_by_length_even_with_nul_padding() {
        let mut memo = Memo::new(DEFAULT_ENTRIES);
        let mut calls = 0;
        assert_eq!(count_all(&mut memo, b"a", &mut calls), 1);
        assert_eq!(count_all(&mut memo, b"a\0", &mut calls), 2);
        assert_eq!(count_all(&mut memo, &[0; 24], &mut calls), 24);
        assert_eq!(count_all(&mut memo, &[0; 23], &mut calls), 23);
        assert_eq!(calls, 4);
    }

    #[test]
    fn words_read_the_piece_only() {
        let text = b"abcdefghijklmnopqrstuvwxyz0123456789";
        for start in 0..text.len() {
            for end in start + 1..=(start + MAX_PIECE).min(text.len()) {
                let mut padded = [0u8; MAX_PIECE];
                padded[..end - start].copy_from_slice(&text[start..end]);
                let expected: Vec<u64> =
                    padded.chunks(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect();
                assert_eq!(words(text, start, end).to_vec(), expected, "{start}..{end}");
            }
        }
    }

    #[test]
    fn remembers_and_stays_bounded() {
        let mut memo = Memo::new(DEFAULT_ENTRIES);
        let mut calls = 0;
        for _ in 0..3 {
            assert_eq!(count_all(&mut memo, b"hello", &mut calls), 5);
        }
        assert_eq!(calls, 1);
        for i in 0..(DEFAULT_ENTRIES + 10) {
            let piece = format!("{i:x}");
            memo.count(piece.as_bytes(), 0, piece.len(), None, |_| 1);
        }
        assert!(memo.len() <= DEFAULT_ENTRIES);
        // Long pieces are never stored.
        let long = [b'x'; 40];
        let mut long_calls = 0;
        for _ in 0..2 {
            count_all(&mut memo, &long, &mut long_calls);
        }
        assert_eq!(long_calls, 2);
    }

    #[test]
    fn grows_once_it_has_replaced_as_many_pieces_as_it_holds_and_keeps_them() {
        let mut memo = Memo::new(DEFAULT_ENTRIES);
        assert_eq!(memo.sets.len() * WAYS, FIRST_ENTRIES);
        let piece = |i: usize| format!("{i:x}-piece");
        let mut stored = 0;
        while memo.sets.len() * WAYS == FIRST_ENTRIES {
            assert!(!memo.has_grown());
            let p = piece(stored);
            memo.count(p.as_bytes(), 0, p.len(), None, |_| 3);
            stored += 1;
            assert!(stored <= 4 * FIRST_ENTRIES, "still small after {stored} pieces");
        }
        // It filled its slots (some sets before others), then replaced as many pieces as it holds.
        assert!(stored > FIRST_ENTRIES + FIRST_ENTRIES / 2, "grew after {stored} pieces");
        assert_eq!(memo.sets.len() * WAYS, DEFAULT_ENTRIES);
        assert!(memo.has_grown());
        // What the small memo held (most of its slots: hashing fills some sets before others) is
        // all still there, and nothing else; the grown memo grows no more.
        let held = memo.len();
        assert!(held > FIRST_ENTRIES * 9 / 10, "{held}");
        assert_eq!((0..stored).filter(|&i| memo.holds(piece(i).as_bytes())).count(), held);
        assert!(memo.holds(piece(stored - 1).as_bytes()));
        for i in 0..4 * DEFAULT_ENTRIES {
            let p = piece(stored + i);
            memo.count(p.as_bytes(), 0, p.len(), None, |_| 3);
        }
        assert_eq!(memo.sets.len() * WAYS, DEFAULT_ENTRIES);
    }

    #[test]
    fn a_memo_no_larger_than_the_first_never_grows() {
        let mut memo = Memo::new(FIRST_ENTRIES);
        for i in 0..4 * FIRST_ENTRIES {
            let p = format!("{i:x}-piece");
            memo.count(p.as_bytes(), 0, p.len(), None, |_| 3);
        }
        assert_eq!(memo.sets.len() * WAYS, FIRST_ENTRIES);
    }

    #[test]
    fn fewer_than_two_slots_remember_nothing() {
        for entries in [0, 1] {
            let mut memo = Memo::new(entries);
            let mut calls = 0;
            for _ in 0..2 {
                count_all(&mut memo, b"hi", &mut calls);
            }
            assert_eq!((calls, memo.len()), (2, 0));
        }
    }

    #[test]
    fn two_pieces_share_a_set_and_a_third_evicts_the_older() {
        // One set: every piece hashes to it.
        let mut memo = Memo::new(2);
        let mut calls = 0;
        for piece in [&b"ab"[..], b"cd", b"ab", b"cd", b"ab"] {
            count_all(&mut memo, piece, &mut calls);
        }
        assert_eq!((calls, memo.len()), (2, 2));
        // "ab" was stored first, so "ef" takes its place; "cd" stays.
        count_all(&mut memo, b"ef", &mut calls);
        count_all(&mut memo, b"cd", &mut calls);
        assert_eq!(calls, 3);
        count_all(&mut memo, b"ab", &mut calls);
        assert_eq!(calls, 4);
    }

    proptest::proptest! {
        #[test]
        fn a_small_memo_with_collisions_answers_right(
            text in proptest::collection::vec(proptest::sample::select(&b"ab\0 "[..]), 1..60),
            cuts in proptest::collection::vec((0..60usize, 1..30usize), 1..200),
        ) {
            // Four sets of two slots for many distinct pieces: entries are overwritten all the time, and every
            // answer must still be the piece's own count (here a hash of its bytes).
            let mut memo = Memo::new(8);
            let truth = |p: &[u8]| p.iter().fold(p.len(), |h, &b| h.wrapping_mul(31).wrapping_add(usize::from(b))) % 200;
            for (start, len) in cuts {
                let start = start % text.len();
                let end = (start + len).min(text.len());
                proptest::prop_assert_eq!(memo.count(&text, start, end, None, truth), truth(&text[start..end]));
            }
        }
    }
}
