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
//! memory three times over. Its memory is bounded (it grows once, see [`LongMemo`]), and a hit
//! compares the whole piece, so an evicted piece is only counted again, never counted wrong.
//!
//! One memo serves all threads, so each distinct long piece is encoded once per run rather than
//! once per thread, and the slots take one share of the processor's caches, not one per thread.
//! Threads read and write it without a lock: each slot is a sequence lock, whose version is odd
//! while a writer fills the slot, and a reader that saw it odd, or saw it change while reading,
//! treats the slot as a miss. A writer that finds the slot being written by another leaves it be.
//! Every field is an atomic, so reading and writing needs no unsafe code; on x86-64 and AArch64 the
//! relaxed loads and stores are plain moves. Long pieces are rare, so the two threads seldom meet
//! in a set. The one unsafe block allocates the slots zeroed, which is empty, in one call rather
//! than by writing empty slots one by one. Asked for a block this large aligned to 128 bytes,
//! mimalloc, the faces' allocator, zeroes it by writing it whole, on huge pages, so the memo starts
//! at 1 MiB and grows to 16 MiB only once that has had to replace pieces while it paid (see
//! [`LongMemo`]): the 2 MB file of long pieces, with a hundred pieces for this memo, was counted at
//! 50 or 190 MB/s by whether the 16 MiB were slow to back, and at 205–215 MB/s with the small first
//! memo. (Handing the 16 MiB out lazily from the system allocator instead, page by page, was steady
//! but slower: 105 MB/s.)
//!
//! Where long pieces never repeat, the memo costs a hash, a read of a set (four slots, in memory
//! long since left by the caches) and a slot write per long piece. Once the tokenizer encodes long
//! pieces with the tables of [`super::backtrack`], that is a large part of what encoding a piece
//! costs: on real CJK and emoji text, where a tenth of the lookups or fewer hit, counting with the
//! memo always on was 1.2x to 1.3x slower than without it. So from then on each thread's [`Gate`]
//! keeps it on only while it pays: after every 1,024 lookups, if fewer than a quarter hit, the
//! thread's next 65,536 long pieces skip the memo, and then it is tried again. (Before the tables
//! are built the `bpe` crate encodes, more slowly, and the memo stays on: on text of other scripts,
//! with a third of its lookups hitting, it paid.) Real text of Latin and Cyrillic scripts, whose
//! long words repeat, keeps it on, and so does a dataset that repeats a Chinese system prompt in
//! every example, which it counts 5.6x as fast as with no memo. The same judgment decides whether
//! the memo grows: a small memo that hits seldom would grow into a large one that the gate then
//! closes. In the real-text corpus, up to the first point where it could grow, 1 lookup in 130
//! hits on emoji chat and 1 in 9 on CJK prose (both now stay at 1 MiB), a third or more on Arabic
//! and Indic, Cyrillic, other scripts and the whole mixed file (they grow as before); the 16 MiB
//! that emoji chat no longer clears took from none to half of its counting time on a host slow to
//! back new memory.

use std::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};
use std::sync::OnceLock;

use xxhash_rust::xxh3::xxh3_64;

use super::memo::slot_count;

/// The shortest piece remembered here: one byte longer than the short memo's longest.
pub(crate) const MIN_PIECE: usize = super::memo::MAX_PIECE + 1;

/// The longest piece remembered, in bytes; longer ones (rare outside base64 and minified code,
/// which do not repeat) are encoded every time.
pub(crate) const MAX_PIECE: usize = 8 * WORDS;

/// The words of a slot's key: what fits in 128 bytes beside the version and the header.
const WORDS: usize = 15;

/// Slots per set.
const WAYS: usize = 4;

/// Slots per vocabulary, once grown: 128 bytes each, so 16 MiB shared by all threads (17 MiB with
/// the first memo, which is kept).
pub(crate) const DEFAULT_ENTRIES: usize = 1 << 17;

/// Slots of the memo before it grows: 1 MiB.
const FIRST_ENTRIES: usize = 1 << 13;

/// Pieces the first memo replaces before the memo grows: an eighth of what it holds, so that text
/// with many long pieces loses few repeats to the small memo's churn. (After as many as it holds,
/// other scripts, whose long words repeat far apart, took 1.35x the instructions.)
const GROW_AFTER: usize = FIRST_ENTRIES / 8;

/// Lookups after which a [`Gate`] judges whether the memo pays.
const GATE_WINDOW: u32 = 1 << 10;

/// Long pieces a [`Gate`] lets skip the memo after a window in which it did not pay.
const GATE_SKIP: u32 = 1 << 16;

/// Whether one thread's long pieces go through the memo: while at least a quarter of its lookups
/// hit, and otherwise, for [`GATE_SKIP`] pieces, not (once the gate may close). What it judged
/// last also tells whether the memo may grow.
#[derive(Clone, Debug, Default)]
pub(crate) struct Gate {
    lookups: u32,
    hits: u32,
    /// Long pieces still to skip the memo.
    skip: u32,
    /// Whether at least a quarter of the lookups of the last whole window hit.
    paid: bool,
}

impl Gate {
    pub(crate) fn new() -> Gate {
        Gate::default()
    }

    /// Whether the next long piece is to be looked up, counting it off a skip.
    #[inline]
    fn open(&mut self) -> bool {
        if self.skip == 0 {
            return true;
        }
        self.skip -= 1;
        false
    }

    /// Records a lookup; at the end of a window, judges whether the memo paid in it, and if it did
    /// not and `may_close`, closes the gate.
    #[inline]
    fn record(&mut self, hit: bool, may_close: bool) {
        self.lookups += 1;
        self.hits += u32::from(hit);
        if self.lookups == GATE_WINDOW {
            self.paid = self.hits >= GATE_WINDOW / 4;
            if !self.paid && may_close {
                self.skip = GATE_SKIP;
            }
            (self.lookups, self.hits) = (0, 0);
        }
    }
}

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

    /// The piece this slot holds and its count, read consistently; `None` if it is empty or
    /// being written.
    fn snapshot(&self) -> Option<(Vec<u8>, u32)> {
        let version = self.version.load(Ordering::Acquire);
        let header = self.header.load(Ordering::Relaxed);
        let len = (header & 0xffff) as usize;
        if len == 0 || len > MAX_PIECE || version & 1 == 1 {
            return None;
        }
        let mut piece: Vec<u8> =
            self.words.iter().flat_map(|word| word.load(Ordering::Relaxed).to_le_bytes()).collect();
        piece.truncate(len);
        // As in `read`: unchanged, the version vouches for what was read between its two loads.
        fence(Ordering::Acquire);
        (self.version.load(Ordering::Relaxed) == version).then_some((piece, header >> 16))
    }

    fn is_empty(&self) -> bool {
        self.header.load(Ordering::Relaxed) == 0
    }
}

/// `len` empty sets, allocated zeroed.
fn zeroed_sets(len: usize) -> Box<[Set]> {
    if len == 0 {
        return Box::new([]);
    }
    let layout = std::alloc::Layout::array::<Set>(len).expect("a memo of a size that fits in memory");
    // SAFETY: `layout` is that of `len` sets, `len > 0`, so its size is not zero. Every field of a
    // `Set` is an atomic integer, for which all-zero bytes are the valid value 0 (atomics have the
    // bit validity of their integer), and a slot of zeroes is an empty one (version 0, length 0).
    // The pointer is checked for null, and the box frees it with the same layout it came with.
    unsafe {
        let sets = std::alloc::alloc_zeroed(layout).cast::<Set>();
        if sets.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(sets, len))
    }
}

/// A power-of-two array of sets, and the mask that picks one by a hash.
struct Sets {
    sets: Box<[Set]>,
    /// `sets.len() - 1`.
    mask: usize,
}

impl Sets {
    /// `len` empty sets (a power of two, or 0).
    fn new(len: usize) -> Sets {
        Sets { sets: zeroed_sets(len), mask: len.saturating_sub(1) }
    }

    fn get(&self, hash: u64) -> Option<&Set> {
        self.sets.get(hash as usize & self.mask)
    }

    /// Slots that hold a piece.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.sets.iter().flat_map(|set| &set.ways).filter(|s| !s.is_empty()).count()
    }

    /// Stores `piece` with its `count` in an empty slot of its set, if it has one.
    fn insert(&self, piece: &[u8], count: u32) {
        if let Some(Set { ways }) = self.get(xxh3_64(piece)) {
            if let Some(slot) = ways.iter().find(|slot| slot.is_empty()) {
                slot.write(piece, count);
            }
        }
    }

    /// `len` sets holding what `from` holds (as far as their sets have room), so that growing
    /// does not cost every piece the small memo remembered a second count: checking 20 MB of the
    /// generated file, whose four thousand Chinese sentences repeat, took 1.5% more instructions
    /// without this (and 4% more than with no small first memo; 2.3% with it).
    fn grown_from(from: &Sets, len: usize) -> Sets {
        let grown = Sets::new(len);
        for slot in from.sets.iter().flat_map(|set| &set.ways) {
            if let Some((piece, count)) = slot.snapshot() {
                grown.insert(&piece, count);
            }
        }
        grown
    }
}

/// Token counts of long pieces seen before on any thread, for one vocabulary.
///
/// It starts small ([`FIRST_ENTRIES`] slots, 1 MiB) and grows to its full size once the small one
/// has had to replace [`GROW_AFTER`] pieces (or a multiple of it) and the [`Gate`] of the thread
/// that replaced the last of them judged that the memo paid, so that a file with few long pieces,
/// or with long pieces that do not repeat, never clears the whole 16 MiB: on a fresh virtual
/// machine, where memory new to the guest is slow to back, that cost 20 to 50 ms at the first long
/// piece of every process, more than counting a 2 MB file took. What the small memo holds when it
/// grows is copied to the grown one (slots being written at that moment, and pieces other threads
/// store in it meanwhile, are left behind).
pub(crate) struct LongMemo {
    first: Sets,
    /// The full-size memo, once `first` has replaced [`GROW_AFTER`] pieces while it paid; used
    /// from then on.
    grown: OnceLock<Sets>,
    /// Sets of the full-size memo.
    full_len: usize,
    /// Stores into full sets so far, which picks the slot each one replaces, in turn.
    evictions: AtomicU32,
}

impl LongMemo {
    /// A memo of at most `max_entries` slots (rounded down to a power of two); with fewer than
    /// four it remembers nothing.
    pub(crate) fn new(max_entries: usize) -> LongMemo {
        let sets = |entries: usize| slot_count(entries / WAYS);
        LongMemo {
            first: Sets::new(sets(max_entries.min(FIRST_ENTRIES))),
            grown: OnceLock::new(),
            full_len: sets(max_entries),
            evictions: AtomicU32::new(0),
        }
    }

    /// The token count of `piece`, from the memo or from `count`, which is then remembered; unless
    /// the calling thread's `gate` is closed, when it is only counted. The gate closes only if
    /// `may_close`. Inlined into each loop over pieces, as the memo of short pieces is.
    #[inline(always)]
    pub(crate) fn count(
        &self,
        gate: &mut Gate,
        may_close: bool,
        piece: &[u8],
        count: impl FnOnce(&[u8]) -> usize,
    ) -> usize {
        if !(MIN_PIECE..=MAX_PIECE).contains(&piece.len()) || !gate.open() {
            return count(piece);
        }
        // The low bits of xxh3 depend on every byte of the piece.
        let Some(Set { ways }) = self.current().get(xxh3_64(piece)) else {
            return count(piece);
        };
        let hit = ways.iter().find_map(|slot| slot.read(piece));
        gate.record(hit.is_some(), may_close);
        if let Some(n) = hit {
            return n;
        }
        let n = count(piece);
        // A piece of at most MAX_PIECE bytes has at most that many tokens.
        if let Ok(small) = u16::try_from(n) {
            match ways.iter().position(Slot::is_empty) {
                Some(empty) => ways[empty].write(piece, u32::from(small)),
                None => {
                    let evictions = self.evictions.fetch_add(1, Ordering::Relaxed) as usize;
                    if evictions >= GROW_AFTER
                        && evictions % GROW_AFTER == 0
                        && gate.paid
                        && self.full_len > self.first.sets.len()
                        && self.grown.get().is_none()
                    {
                        let grown = self.grown.get_or_init(|| Sets::grown_from(&self.first, self.full_len));
                        grown.insert(piece, u32::from(small));
                    } else {
                        ways[evictions % WAYS].write(piece, u32::from(small));
                    }
                }
            }
        }
        n
    }

    /// The sets in use: the grown ones once they exist.
    #[inline]
    fn current(&self) -> &Sets {
        self.grown.get().unwrap_or(&self.first)
    }

    /// The count remembered for `piece`, without counting or storing it.
    #[cfg(test)]
    fn holds(&self, piece: &[u8]) -> Option<usize> {
        self.current().get(xxh3_64(piece))?.ways.iter().find_map(|slot| slot.read(piece))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.current().len()
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
            let n = memo.count(&mut Gate::new(), true, piece, |p| {
                calls += 1;
                p.len() / 3
            });
            assert_eq!(n, piece.len() / 3);
        }
        assert_eq!(calls, 1);
        // A different piece of the same length is counted, not confused with the first.
        let other = "。监控瑞典地址更新但是明天翻译需要天天".as_bytes();
        assert_eq!(other.len(), piece.len());
        assert_eq!(memo.count(&mut Gate::new(), true, other, |_| 7), 7);
    }

    /// Counts `piece` twice with `memo`; returns how often the counter ran and the memo's size.
    fn count_twice(memo: &LongMemo, piece: &[u8]) -> (usize, usize) {
        let mut calls = 0;
        for _ in 0..2 {
            memo.count(&mut Gate::new(), true, piece, |_| {
                calls += 1;
                1
            });
        }
        (calls, memo.len())
    }

    #[test]
    fn grows_to_its_full_size_once_the_first_memo_is_full_and_pays() {
        let memo = LongMemo::new(DEFAULT_ENTRIES);
        let mut gate = Gate::new();
        let piece = |i: usize| format!("{i:0>40}").into_bytes();
        let mut stored = 0;
        while memo.grown.get().is_none() {
            assert_eq!(memo.count(&mut gate, false, &piece(stored), |_| 7), 7);
            // Half the lookups hit: the piece just stored, looked up again.
            assert_eq!(memo.count(&mut gate, false, &piece(stored), |_| unreachable!("stored")), 7);
            stored += 1;
            assert!(stored <= 4 * FIRST_ENTRIES, "still small after {stored} pieces");
        }
        // Replaced pieces besides those that filled its slots.
        assert!(stored > GROW_AFTER + FIRST_ENTRIES / 2, "grew after {stored} pieces");
        assert_eq!(memo.grown.get().map(|sets| sets.sets.len() * WAYS), Some(DEFAULT_ENTRIES));
        // The grown memo holds what the small one held and the piece that made it grow, and
        // remembers new pieces from then on.
        let held = memo.first.len();
        assert_eq!(memo.len(), held + 1);
        assert_eq!((0..stored).filter(|&i| memo.holds(&piece(i)) == Some(7)).count(), held + 1);
        assert_eq!(memo.holds(&piece(stored - 1)), Some(7));
        let new = piece(usize::MAX);
        assert_eq!(memo.count(&mut gate, false, &new, |_| 3), 3);
        assert_eq!(memo.count(&mut gate, false, &new, |_| unreachable!("remembered")), 3);
    }

    #[test]
    fn a_memo_whose_pieces_do_not_repeat_stays_small() {
        // Pieces that never repeat replace one another for as long as they come, and the gate,
        // which may not close here, judges every window a loss: the memo never grows.
        let memo = LongMemo::new(DEFAULT_ENTRIES);
        let mut gate = Gate::new();
        for i in 0..8 * FIRST_ENTRIES {
            memo.count(&mut gate, false, format!("{i:0>40}").as_bytes(), |_| 7);
            // One lookup in five hits, under the quarter that pays.
            if i % 4 == 0 {
                memo.count(&mut gate, false, format!("{i:0>40}").as_bytes(), |_| unreachable!("stored"));
            }
        }
        assert!(memo.evictions.load(Ordering::Relaxed) as usize > 4 * GROW_AFTER);
        assert!(memo.grown.get().is_none());
        assert_eq!(memo.len(), FIRST_ENTRIES);
    }

    #[test]
    fn a_memo_no_larger_than_the_first_never_grows() {
        let memo = LongMemo::new(FIRST_ENTRIES);
        let mut gate = Gate::new();
        for i in 0..4 * FIRST_ENTRIES {
            memo.count(&mut gate, false, format!("{i:0>40}").as_bytes(), |_| 7);
            memo.count(&mut gate, false, format!("{i:0>40}").as_bytes(), |_| 7);
        }
        assert!(memo.grown.get().is_none());
        assert_eq!(memo.len(), FIRST_ENTRIES);
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
            memo.count(&mut Gate::new(), true, piece, |p| {
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
    fn the_gate_closes_for_a_while_when_the_memo_does_not_pay() {
        // A window with exactly a quarter of its lookups hitting keeps the gate open.
        let mut gate = Gate::new();
        for i in 0..GATE_WINDOW {
            assert!(gate.open());
            gate.record(i % 4 == 0, true);
        }
        assert!(gate.open());
        // One hit short of a quarter closes it for GATE_SKIP pieces, then it opens again.
        let mut gate = Gate::new();
        for i in 0..GATE_WINDOW {
            assert!(gate.open());
            gate.record(i % 4 == 0 && i > 0, true);
        }
        assert_eq!((0..GATE_SKIP).filter(|_| gate.open()).count(), 0);
        assert!(gate.open());
    }

    #[test]
    fn a_closed_gate_neither_reads_nor_writes_the_memo() {
        let memo = LongMemo::new(DEFAULT_ENTRIES);
        let mut gate = Gate { skip: 1, ..Gate::new() };
        let piece = [b'q'; 40];
        assert_eq!(memo.count(&mut gate, true, &piece, |_| 3), 3);
        assert_eq!(memo.len(), 0);
        assert_eq!(memo.count(&mut gate, true, &piece, |_| 3), 3);
        assert_eq!(memo.len(), 1);
    }

    #[test]
    fn threads_share_what_they_count() {
        let memo = LongMemo::new(DEFAULT_ENTRIES);
        let piece = [b'z'; 50];
        std::thread::scope(|scope| {
            scope.spawn(|| memo.count(&mut Gate::new(), true, &piece, |_| 9)).join().expect("no panic");
        });
        assert_eq!(
            memo.count(&mut Gate::new(), true, &piece, |_| unreachable!("counted on the other thread")),
            9
        );
    }

    #[test]
    fn threads_racing_through_growth_always_answer_right() {
        // Four threads store distinct pieces, and look up earlier ones, theirs and others', past
        // the point where the memo grows and copies what the small one holds while the others
        // keep writing it.
        let memo = LongMemo::new(DEFAULT_ENTRIES);
        let piece = |i: usize| format!("{i:0>48}").into_bytes();
        let truth = |p: &[u8]| p.iter().map(|&b| usize::from(b - b'0')).sum::<usize>() + 1;
        std::thread::scope(|scope| {
            for thread in 0..4 {
                let memo = &memo;
                scope.spawn(move || {
                    let mut gate = Gate::new();
                    for i in 0..6 * FIRST_ENTRIES {
                        let p = piece(i * 4 + thread);
                        assert_eq!(memo.count(&mut gate, false, &p, truth), truth(&p));
                        assert_eq!(memo.count(&mut gate, false, &p, truth), truth(&p));
                        let earlier = piece((i / 2) * 4 + (thread + 1) % 4);
                        assert_eq!(memo.count(&mut gate, false, &earlier, truth), truth(&earlier));
                    }
                });
            }
        });
        assert!(memo.grown.get().is_some());
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
                        assert_eq!(memo.count(&mut Gate::new(), true, &p, truth), truth(&p));
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
                proptest::prop_assert_eq!(memo.count(&mut Gate::new(), true, piece, truth), truth(piece));
            }
        }
    }
}
