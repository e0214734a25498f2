//! Splitting pieces ahead of counting them, so that the lookups of several pieces wait for memory
//! at once, and when that pays.
//!
//! On text of many distinct pieces (real text in the languages of the world, code of many
//! names), a piece's lookups (its slot in the table of short tokens, its set in the memo of short
//! pieces, tables of megabytes each) mostly miss the processor's nearer caches, and counting one
//! piece after another waits for each miss in turn. Split [`AHEAD`] pieces first, starting the
//! loads of their slots as each is split ([`prefetch`]), and the misses overlap each other and the
//! splitting. Where those tables stay in the caches (text of few distinct pieces, such as the
//! generated benchmark file, whose few thousand pieces are always found), the buffer and the
//! hashes computed ahead are only more instructions: counting the generated file ahead took 1.27x
//! the time.
//!
//! Which of the two happens is what the memo of short pieces already measures: it grows from
//! 2 MiB to 8 MiB per thread once it has had to replace as many pieces as it holds, that is once
//! the text's working set of pieces is larger than the second-level cache. A thread counts ahead
//! from then on. On the 500 MB real-text file (whose memo grows within its first few megabytes)
//! that counts 1.13x as fast with `o200k_base` and 1.18x with `cl100k_base`, ASCII texts
//! included (ahead they took 13.4 ns a byte there, one by one 15.7); the generated file, English
//! prose, CJK and emoji never grow the memo and are counted as before. The choice is the memo's
//! size, not a clock: it costs nothing to make, and it cannot flap on a noisy machine, as choices
//! by measured speed did. Other targets than x86-64 have no prefetch here and never count ahead.

/// Pieces split ahead of counting them. 16 gained no more than 8 on the 500 MB real-text file.
pub(crate) const AHEAD: usize = 8;

/// Whether this target counts ahead at all: it prefetches only on x86-64.
pub(crate) const AVAILABLE: bool = cfg!(target_arch = "x86_64");

/// The pieces split ahead of counting: where each ends, and the hashes its lookups start from.
pub(crate) struct Ahead {
    pub(crate) ends: [usize; AHEAD],
    /// For a piece of three to eight bytes, its [`super::merge::Ranks::short_key`].
    pub(crate) short: [(u64, u64); AHEAD],
    /// For a piece of three to [`super::memo::MAX_PIECE`] bytes, its [`super::memo::hash`].
    pub(crate) memo: [usize; AHEAD],
}

impl Ahead {
    pub(crate) fn new() -> Ahead {
        Ahead { ends: [0; AHEAD], short: [(0, 0); AHEAD], memo: [0; AHEAD] }
    }
}

/// Asks the processor to bring the cache line holding `value` into its caches, without waiting
/// for it. A hint only: it never faults and changes no value. (The backtracking encoder uses it
/// too, for its prefix index.)
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: the intrinsic needs SSE, which every x86-64 processor has; a prefetch reads
        // nothing into the program and never faults, and the address is of a live reference.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
