//! A memo of piece → token count for the long pieces the short-piece [`super::memo`] leaves out,
//! shared by every thread counting with one vocabulary.
//!
//! Pieces longer than 24 bytes are few (about 1 in 70 in mixed-language chat data) but they take
//! most of the byte-pair encoder's time: a run of CJK characters between two punctuation marks is
//! one piece, and encoding it walks the whole run with backtracking. Such pieces repeat whenever a
//! dataset repeats whole sentences — templated answers, stock phrases, a system prompt quoted inside
//! a longer message — and a repeat then costs one hash and one comparison instead of an encoding.
//!
//! It is a four-way set-associative cache: a power-of-two array of 128-byte slots, each holding one
//! piece's bytes inline with its count, in sets of four that a hash of the piece picks; a new piece
//! takes an empty slot of its set, or else each slot in turn. Long pieces are looked up rarely, so
//! their slots have long left the processor's caches by the time they are read again; with the
//! keys inline, a lookup reads one stretch of memory, where a hash map of boxed keys waits on
//! memory three times over. Its memory is fixed, and a hit compares the whole piece, so an evicted
//! piece is only counted again, never counted wrong.
//!
//! One memo serves all threads, so each distinct long piece is encoded once per run rather than
//! once per thread, and the slots take one share of the processor's caches, not one per thread.
//! Threads read and write it without a lock: each slot is a sequence lock, whose version is odd
//! while a writer fills the slot, and a reader that saw it odd, or saw it change while reading,
//! treats the slot as a miss. A writer that finds the slot being written by another leaves it be.
//! Every field is an atomic, so there is no unsafe code; on x86-64 and AArch64 the relaxed loads
//! and stores are plain moves. Long pieces are rare, so the two threads seldom meet in a set.
//!
//! Where long pieces never repeat, the memo costs a hash and a slot write per long piece, a few per
//! cent of what encoding the piece costs.

use std::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};

use xxhash_rust::xxh3::xxh3_64;

/// The shortest piece remembered here: one byte longer than the short memo's longest.
pub(crate) const MIN_PIECE: usize = super::memo::MAX_PIECE + 1;

/// The longest piece remembered, in bytes; longer ones (rare outside base64 and minified code,
/// which do not repeat) are encoded every time.
pub(crate) const MAX_PIECE: usize = 8 * WORDS;

/// The words of a slot's key: what fits in 128 bytes beside the version and the header.
const WORDS: usize = 15;

/// Slots per set.
const WAYS: usize = 4;

/// Slots per vocabulary: 128 bytes each, so 16 MiB shared by all threads, touched only as far as
/// pieces land in them.
pub(crate) const DEFAULT_ENTRIES: usize = 1 << 17;

/// One remembered piece, one sequence lock.
#[repr(C, align(128))]
struct Slot {
    /// Even when the slot is stable; odd while a writer fills it.
    version: AtomicU32,
    /// The piece's length in the low 16 bits (0: an empty slot), its token count in the high 16.
    header: AtomicU32,
    /// The piece's bytes as little-endian words, the last one zero-padded.
    words: [AtomicU64; WORDS],
}

/// The slots one hash picks.
struct Set {
    ways: [Slot; WAYS],
}

impl Slot {
    fn empty() -> Slot {
        Slot { version: AtomicU32::new(0), header: AtomicU32::new(0), words: Default::default() }
    }

    /// The token count of `piece` if this slot holds it, read consistently.
    #[inline]
    fn read(&self, piece: &[u8]) -> Option<usize> {
        let version = self.version.load(Ordering::Acquire);
        let header = self.header.load(Ordering::Relaxed);
        // `piece.len()` is at most MAX_PIECE, so it fits in 16 bits.
        if header & 0xffff != piece.len() as u32 || version & 1 == 1 {
            return None;
        }
        for (word, chunk) in self.words.iter().zip(piece.chunks(8)) {
            if word.load(Ordering::Relaxed) != super::memo::partial_word(chunk) {
                return None;
            }
        }
        // The loads above happen before the version is read again: if it is unchanged, no writer
        // touched the slot meanwhile, and what was read is one piece's bytes and count.
        fence(Ordering::Acquire);
        (self.version.load(Ordering::Relaxed) == version).then_some((header >> 16) as usize)
    }

    /// Stores `piece` with its `count` (both fit in 16 bits), unless another thread is writing here.
    fn write(&self, piece: &[u8], count: u32) {
        let version = self.version.load(Ordering::Relaxed);
        if version & 1 == 1
            || self
                .version
                .compare_exchange(version, version.wrapping_add(1), Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        // The odd version is visible before any of the stores below.
        fence(Ordering::Release);
        self.header.store(piece.len() as u32 | count << 16, Ordering::Relaxed);
        for (word, chunk) in self.words.iter().zip(piece.chunks(8)) {
            word.store(super::memo::partial_word(chunk), Ordering::Relaxed);
        }
        self.version.store(version.wrapping_add(2), Ordering::Release);
    }

    fn is_empty(&self) -> bool {
        self.header.load(Ordering::Relaxed) == 0
    }
}

/// Token counts of long pieces seen before on any thread, for one vocabulary.
pub(crate) struct LongMemo {
    sets: Box<[Set]>,
    /// `sets.len() - 1`; the set count is a power of two.
    mask: usize,
    /// Stores into full sets so far, which picks the slot each one replaces, in turn.
    evictions: AtomicU32,
}

impl LongMemo {
    /// A memo of at most `max_entries` slots (rounded down to a power of two); with fewer than
    /// four it remembers nothing.
    pub(crate) fn new(max_entries: usize) -> LongMemo {
        let empty = || Set { ways: std::array::from_fn(|_| Slot::empty()) };
        let (sets, mask) = super::memo::slot_array(max_entries / WAYS, empty);
        LongMemo { sets, mask, evictions: AtomicU32::new(0) }
    }

    /// The token count of `piece`, from the memo or from `count`, which is then remembered.
    pub(crate) fn count(&self, piece: &[u8], count: impl FnOnce(&[u8]) -> usize) -> usize {
        if !(MIN_PIECE..=MAX_PIECE).contains(&piece.len()) {
            return count(piece);
        }
        // The low bits of xxh3 depend on every byte of the piece.
        let Some(Set { ways }) = self.sets.get(xxh3_64(piece) as usize & self.mask) else {
            return count(piece);
        };
        if let Some(n) = ways.iter().find_map(|slot| slot.read(piece)) {
            return n;
        }
        let n = count(piece);
        // A piece of at most MAX_PIECE bytes has at most that many tokens.
        if let Ok(small) = u16::try_from(n) {
            let victim = ways
                .iter()
                .position(Slot::is_empty)
                .unwrap_or_else(|| self.evictions.fetch_add(1, Ordering::Relaxed) as usize % WAYS);
            ways[victim].write(piece, u32::from(small));
        }
        n
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.sets.iter().flat_map(|set| &set.ways).filter(|s| !s.is_empty()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_long_pieces() {
        let memo = LongMemo::new(DEFAULT_ENTRIES);
        let piece = "。监控瑞典地址更新但是明天翻译需要天气".as_bytes();
        let mut calls = 0;
        for _ in 0..3 {
            let n = memo.count(piece, |p| {
                calls += 1;
                p.len() / 3
            });
            assert_eq!(n, piece.len() / 3);
        }
        assert_eq!(calls, 1);
        // A different piece of the same length is counted, not confused with the first.
        let other = "。监控瑞典地址更新但是明天翻译需要天天".as_bytes();
        assert_eq!(other.len(), piece.len());
        assert_eq!(memo.count(other, |_| 7), 7);
    }

    /// Counts `piece` twice with `memo`; returns how often the counter ran and the memo's size.
    fn count_twice(memo: &LongMemo, piece: &[u8]) -> (usize, usize) {
        let mut calls = 0;
        for _ in 0..2 {
            memo.count(piece, |_| {
                calls += 1;
                1
            });
        }
        (calls, memo.len())
    }

    #[test]
    fn only_pieces_within_the_limits_are_stored() {
        assert_eq!(count_twice(&LongMemo::new(DEFAULT_ENTRIES), &[b'x'; MAX_PIECE + 1]), (2, 0));
        assert_eq!(count_twice(&LongMemo::new(DEFAULT_ENTRIES), &[b'x'; MAX_PIECE]), (1, 1));
        assert_eq!(count_twice(&LongMemo::new(DEFAULT_ENTRIES), &[b'x'; MIN_PIECE]), (1, 1));
        assert_eq!(count_twice(&LongMemo::new(DEFAULT_ENTRIES), &[b'x'; MIN_PIECE - 1]), (2, 0));
    }

    #[test]
    fn fewer_than_four_slots_remember_nothing() {
        assert_eq!(count_twice(&LongMemo::new(0), &[b'y'; 40]), (2, 0));
        assert_eq!(count_twice(&LongMemo::new(3), &[b'y'; 40]), (2, 0));
    }

    #[test]
    fn a_full_set_replaces_its_slots_in_turn() {
        // One set of four: every piece lands in it.
        let memo = LongMemo::new(4);
        let pieces: Vec<Vec<u8>> = (0..6u8).map(|i| vec![b'a' + i; 30]).collect();
        let calls = std::cell::Cell::new(0);
        let count = |memo: &LongMemo, piece: &[u8]| {
            memo.count(piece, |p| {
                calls.set(calls.get() + 1);
                usize::from(p[0])
            })
        };
        for piece in &pieces[..4] {
            count(&memo, piece);
        }
        for piece in &pieces[..4] {
            assert_eq!(count(&memo, piece), usize::from(piece[0]));
        }
        assert_eq!(memo.len(), 4);
        // The fifth and sixth pieces replace the first two slots; the other two pieces stay.
        count(&memo, &pieces[4]);
        count(&memo, &pieces[5]);
        let before = calls.get();
        for piece in &pieces[2..] {
            assert_eq!(count(&memo, piece), usize::from(piece[0]));
        }
        assert_eq!((before, calls.get()), (6, 6));
    }

    #[test]
    fn threads_share_what_they_count() {
        let memo = LongMemo::new(DEFAULT_ENTRIES);
        let piece = [b'z'; 50];
        std::thread::scope(|scope| {
            scope.spawn(|| memo.count(&piece, |_| 9)).join().expect("no panic");
        });
        assert_eq!(memo.count(&piece, |_| unreachable!("counted on the other thread")), 9);
    }

    #[test]
    fn racing_threads_never_read_a_torn_slot() {
        // Two sets of four for many pieces of the same length that differ in one byte at either
        // end: threads overwrite each other's slots all the time, and a half-written slot read as
        // whole would answer with another piece's count.
        let memo = LongMemo::new(8);
        let piece = |i: usize| {
            let mut p = [b'.'; 64];
            p[0] = b'a' + (i % 26) as u8;
            p[63] = b'A' + (i / 26 % 26) as u8;
            p
        };
        let truth = |p: &[u8]| usize::from(p[0]) * 100 + usize::from(p[63]);
        std::thread::scope(|scope| {
            for thread in 0..4 {
                let memo = &memo;
                scope.spawn(move || {
                    for i in 0..20_000 {
                        let p = piece((i * 7 + thread * 13) % 300);
                        assert_eq!(memo.count(&p, truth), truth(&p));
                    }
                });
            }
        });
    }

    proptest::proptest! {
        #[test]
        fn a_small_memo_with_collisions_answers_right(
            pieces in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(&b"ab\0"[..]), MIN_PIECE..MAX_PIECE + 8),
                1..100,
            ),
            order in proptest::collection::vec(0..100usize, 1..300),
        ) {
            // Two sets of four slots for many distinct pieces: entries are overwritten all the time,
            // and every answer must still be the piece's own count (here a hash of its bytes).
            let memo = LongMemo::new(8);
            let truth = |p: &[u8]| p.iter().fold(p.len(), |h, &b| h.wrapping_mul(31).wrapping_add(usize::from(b))) % 500;
            for i in order {
                let piece = &pieces[i % pieces.len()];
                proptest::prop_assert_eq!(memo.count(piece, truth), truth(piece));
            }
        }
    }
}
