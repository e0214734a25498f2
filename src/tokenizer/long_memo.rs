//! A per-thread memo of piece → token count for the long pieces the short-piece [`super::memo`]
//! leaves out.
//!
//! Pieces longer than 24 bytes are few (about 1 in 70 in mixed-language chat data) but they take
//! most of the byte-pair encoder's time: a run of CJK characters between two punctuation marks is
//! one piece, and encoding it walks the whole run with backtracking. Such pieces repeat whenever a
//! dataset repeats whole sentences — templated answers, stock phrases, a system prompt quoted inside
//! a longer message — and a repeat then costs one hash and one comparison instead of an encoding.
//!
//! Where long pieces never repeat, the memo costs a hash and an insertion per long piece, a few per
//! cent of what encoding the piece costs. It holds at most [`MAX_BYTES`] of pieces and starts empty
//! again when that fills up, so its memory is bounded and it follows what the text repeats now.

use rustc_hash::FxHashMap;

/// The longest piece remembered, in bytes; longer ones are rare and are encoded every time.
pub(crate) const MAX_PIECE: usize = 1024;

/// How many bytes of pieces (and bookkeeping) one memo holds before it is emptied.
pub(crate) const MAX_BYTES: usize = 4 << 20;

/// What one entry costs besides its piece's bytes: the map's slot and the allocation's header,
/// roughly; it keeps a stream of short-ish pieces from growing the map far past [`MAX_BYTES`].
const ENTRY_OVERHEAD: usize = 32;

/// Token counts of long pieces seen before on this thread, for one vocabulary.
pub(crate) struct LongMemo {
    counts: FxHashMap<Box<[u8]>, u32>,
    bytes: usize,
    /// [`MAX_BYTES`], or 0 for a memo that remembers nothing.
    max_bytes: usize,
}

impl LongMemo {
    /// A memo of [`MAX_BYTES`] if `enabled`, else one that remembers nothing (to measure it).
    pub(crate) fn new(enabled: bool) -> LongMemo {
        LongMemo { counts: FxHashMap::default(), bytes: 0, max_bytes: if enabled { MAX_BYTES } else { 0 } }
    }

    /// The token count of `piece`, from the memo or from `count`, which is then remembered.
    pub(crate) fn count(&mut self, piece: &[u8], count: impl FnOnce(&[u8]) -> usize) -> usize {
        if piece.len() > MAX_PIECE || self.max_bytes == 0 {
            return count(piece);
        }
        if let Some(&n) = self.counts.get(piece) {
            return n as usize;
        }
        let n = count(piece);
        // A piece of at most MAX_PIECE bytes has at most that many tokens.
        let Ok(small) = u32::try_from(n) else { return n };
        let cost = piece.len() + ENTRY_OVERHEAD;
        if self.bytes + cost > self.max_bytes {
            self.counts.clear();
            self.bytes = 0;
        }
        self.counts.insert(piece.into(), small);
        self.bytes += cost;
        n
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.counts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_long_pieces() {
        let mut memo = LongMemo::new(true);
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
    fn pieces_past_the_limit_are_never_stored() {
        assert_eq!(count_twice(&mut LongMemo::new(true), &[b'x'; MAX_PIECE + 1]), (2, 0));
        assert_eq!(count_twice(&mut LongMemo::new(true), &[b'x'; MAX_PIECE]), (1, 1));
    }

    #[test]
    fn a_disabled_memo_remembers_nothing() {
        assert_eq!(count_twice(&mut LongMemo::new(false), &[b'y'; 40]), (2, 0));
    }

    #[test]
    fn stays_bounded() {
        let mut memo = LongMemo::new(true);
        let mut most = 0;
        for i in 0..200_000u32 {
            let piece = format!("{i:0>40}");
            assert_eq!(memo.count(piece.as_bytes(), |_| i as usize), i as usize);
            assert!(memo.bytes <= MAX_BYTES);
            most = most.max(memo.len());
        }
        assert!(most <= MAX_BYTES / (40 + ENTRY_OVERHEAD));
        // The memo was emptied and refilled, and still answers for what it holds now.
        let last = format!("{:0>40}", 199_999);
        assert_eq!(memo.count(last.as_bytes(), |_| unreachable!()), 199_999);
    }
}
