//! A per-thread memo of piece → token count for the long pieces the short-piece [`super::memo`]
//! leaves out.
//!
//! Pieces longer than 24 bytes are few (about 1 in 70 in mixed-language chat data) but they take
//! most of the byte-pair encoder's time: a run of CJK characters between two punctuation marks is
//! one piece, and encoding it walks the whole run with backtracking. Such pieces repeat whenever a
//! dataset repeats whole sentences — templated answers, stock phrases, a system prompt quoted inside
//! a longer message — and a repeat then costs one hash and one comparison instead of an encoding.
//!
//! It is a two-way set-associative cache: a power-of-two array of 128-byte slots, each holding one
//! piece's bytes inline with its count, in pairs that a hash of the piece picks; a new piece takes
//! the place of the older of its pair. Long pieces are looked up rarely, so their slots have long left the processor's caches
//! by the time they are read again; with the keys inline, a lookup reads one stretch of 256
//! bytes, where a hash map of boxed keys waits on memory three times over. Its memory is fixed, and a
//! hit compares the whole piece, so an evicted piece is only counted again, never counted wrong.
//!
//! Where long pieces never repeat, the memo costs a hash and a slot write per long piece, a few per
//! cent of what encoding the piece costs.

use xxhash_rust::xxh3::xxh3_64;

/// The shortest piece remembered here: one byte longer than the short memo's longest.
pub(crate) const MIN_PIECE: usize = super::memo::MAX_PIECE + 1;

/// The longest piece remembered, in bytes; longer ones (rare outside base64 and minified code,
/// which do not repeat) are encoded every time.
pub(crate) const MAX_PIECE: usize = 124;

/// Slots per thread: 128 bytes each, so 8 MiB per thread and encoding, touched only as far as
/// pieces land in them.
pub(crate) const DEFAULT_ENTRIES: usize = 1 << 16;

/// A remembered piece: its length (0: an empty slot), its token count and its bytes.
#[derive(Clone, Copy)]
#[repr(C, align(128))]
struct Slot {
    len: u16,
    count: u16,
    bytes: [u8; MAX_PIECE],
}

const EMPTY: Slot = Slot { len: 0, count: 0, bytes: [0; MAX_PIECE] };

/// Token counts of long pieces seen before on this thread, for one vocabulary.
pub(crate) struct LongMemo {
    slots: Box<[Slot]>,
    /// `slots.len() - 1`; the slot count is a power of two.
    mask: usize,
}

impl LongMemo {
    /// A memo of at most `max_entries` slots (rounded down to a power of two); with fewer than two
    /// it remembers nothing.
    pub(crate) fn new(max_entries: usize) -> LongMemo {
        let (slots, mask) = super::memo::slot_array(max_entries, EMPTY);
        LongMemo { slots, mask }
    }

    /// The token count of `piece`, from the memo or from `count`, which is then remembered.
    pub(crate) fn count(&mut self, piece: &[u8], count: impl FnOnce(&[u8]) -> usize) -> usize {
        if !(MIN_PIECE..=MAX_PIECE).contains(&piece.len()) {
            return count(piece);
        }
        // The low bits of xxh3 depend on every byte of the piece.
        let set = (xxh3_64(piece) as usize & self.mask) & !1;
        let Some([recent, older]) = self.slots.get_mut(set..set + 2) else {
            return count(piece);
        };
        for slot in [&*recent, &*older] {
            if usize::from(slot.len) == piece.len() && slot.bytes[..piece.len()] == *piece {
                return usize::from(slot.count);
            }
        }
        let n = count(piece);
        // A piece of at most MAX_PIECE bytes has at most that many tokens, and its length fits too.
        if let (Ok(len), Ok(small)) = (u16::try_from(piece.len()), u16::try_from(n)) {
            // The least recently stored piece of the two makes way.
            *older = *recent;
            recent.len = len;
            recent.count = small;
            recent.bytes[..piece.len()].copy_from_slice(piece);
        }
        n
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.len > 0).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_long_pieces() {
        let mut memo = LongMemo::new(DEFAULT_ENTRIES);
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
    fn count_twice(memo: &mut LongMemo, piece: &[u8]) -> (usize, usize) {
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
        assert_eq!(count_twice(&mut LongMemo::new(DEFAULT_ENTRIES), &[b'x'; MAX_PIECE + 1]), (2, 0));
        assert_eq!(count_twice(&mut LongMemo::new(DEFAULT_ENTRIES), &[b'x'; MAX_PIECE]), (1, 1));
        assert_eq!(count_twice(&mut LongMemo::new(DEFAULT_ENTRIES), &[b'x'; MIN_PIECE]), (1, 1));
        assert_eq!(count_twice(&mut LongMemo::new(DEFAULT_ENTRIES), &[b'x'; MIN_PIECE - 1]), (2, 0));
    }

    #[test]
    fn a_zero_limit_remembers_nothing() {
        assert_eq!(count_twice(&mut LongMemo::new(0), &[b'y'; 40]), (2, 0));
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
            // Two pairs of slots for many distinct pieces: entries are overwritten all the time, and every
            // answer must still be the piece's own count (here a hash of its bytes).
            let mut memo = LongMemo::new(4);
            let truth = |p: &[u8]| p.iter().fold(p.len(), |h, &b| h.wrapping_mul(31).wrapping_add(usize::from(b))) % 500;
            for i in order {
                let piece = &pieces[i % pieces.len()];
                proptest::prop_assert_eq!(memo.count(piece, truth), truth(piece));
            }
        }
    }
}
