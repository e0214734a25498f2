//! Exact token counts for OpenAI's `o200k_base` and `cl100k_base` encodings, fast on every core.
//!
//! Counting tokens is almost all of the time a full check spends, so this engine is built for it
//! alone. Text is split into pieces by the encoding's pretokenizer regex ([`split`]), with
//! hand-written splitters deciding the common pieces first ([`fast`]); each new piece is counted by
//! tiktoken's merge loop up to a length that depends on its script ([`merge`]) and beyond it by
//! backtracking: by the `bpe` crate's encoder, with the vocabulary `bpe-openai` ships, until the
//! tokenizer has counted enough long new pieces (in all texts and threads) to pay for tables of
//! its own ([`backtrack`]), which a thread then builds aside. Pieces' counts are
//! remembered: short ones per thread ([`memo`]), long ones in a cache all threads share
//! ([`long_memo`]), both set-associative caches of bounded size. The counts equal tiktoken's
//! `encode_ordinary(text).len()` for every string: text that looks like a special token, such as
//! `<|endoftext|>`, is ordinary text.
//!
//! A [`Tokenizer`] is built once per encoding and shared; what changes while counting lives in a
//! [`CountState`] per thread — the regex's search cache, the short-piece memo and the backtracking
//! encoder's cache of pairs — or, for the long-piece memo, in slots that threads read and write
//! without a lock, so rayon workers count in parallel without ever waiting for each other.
//! [`Tokenizer::count`] keeps that state in a thread-local; [`Tokenizer::count_with`] takes it from
//! the caller.

mod ahead;
mod backtrack;
mod bpe_tables;
mod classes;
mod fast;
mod long_memo;
mod memo;
mod merge;
mod split;

use std::cell::RefCell;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use bpe_openai::byte_pair_encoding::BytePairEncoding;
use regex_automata::hybrid::dfa::Cache;

use ahead::{Ahead, AHEAD};
use backtrack::{Backtrack, PairCache};
use long_memo::{Gate, LongMemo};
use memo::Memo;
use merge::Ranks;
use split::{Patterns, Pretokenizer, Splitter, FAST_CL100K, FAST_O200K, REGEX_ONLY};

/// A tokenizer vocabulary with its split rules (also a `--encoding` value).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// gpt-4o, gpt-4.1, o4-mini and later models.
    O200kBase,
    /// gpt-3.5-turbo (Azure: gpt-35-turbo) and gpt-4.
    Cl100kBase,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::O200kBase, Encoding::Cl100kBase];

    /// The name tiktoken gives the encoding.
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
        }
    }

    fn index(self) -> usize {
        match self {
            Encoding::O200kBase => 0,
            Encoding::Cl100kBase => 1,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token counter for one encoding. `Send + Sync`, built once by [`Tokenizer::get`].
pub struct Tokenizer {
    encoding: Encoding,
    bpe: &'static BytePairEncoding,
    /// The vocabulary's ranks by bytes, for counting short pieces by tiktoken's merge loop.
    ranks: Ranks,
    /// The backtracking encoder's tables, built once [`BACKTRACK_AFTER`] long new pieces have gone
    /// to the `bpe` crate (from any text, on any thread, over the process's life), or when a state
    /// of [`LongPieces::Backtracking`] is made; a small file never pays for them.
    backtrack: OnceLock<Backtrack>,
    /// Long new pieces the tables could have counted that the `bpe` crate counted, while
    /// `backtrack` is not built.
    long_new_pieces: AtomicU32,
    split: Pretokenizer,
    /// Allocated at the first long piece, so that a check of a small file does not pay for it.
    long_memo: OnceLock<LongMemo>,
}

/// The mutable side of counting on one thread: the regex search cache, the memo of short pieces and
/// the backtracking encoder's cache of pairs.
///
/// A state belongs to one encoding; handed to a tokenizer of another encoding it is rebuilt for it.
pub struct CountState {
    encoding: Encoding,
    cache: Cache,
    memo: Memo,
    /// The backtracking encoder's cache of pairs of tokens already judged.
    pair_cache: PairCache,
    /// Whether the tokenizer's shared memo of long pieces is used (off only to measure it).
    long_memo: bool,
    /// Whether this thread's long pieces go through that memo now, by how often it hits.
    long_memo_gate: Gate,
    /// Whether the pretokenizer tries its hand-written splitters before the regex (off only to
    /// measure them).
    fast_split: bool,
    /// Which encoder counts long new pieces (other than the default only to test and measure).
    long_pieces: LongPieces,
}

/// Which encoder counts the long new pieces of a [`CountState`]; the counts are the same.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongPieces {
    /// The `bpe` crate until the tokenizer has counted [`BACKTRACK_AFTER`] long pieces (or its
    /// tables were built for a state of `Backtracking`), then its own tables.
    Auto,
    /// Always the `bpe` crate.
    BpeCrate,
    /// Always the tokenizer's own tables, built with the state (the `bpe` crate for pieces beyond
    /// their limit of 256 bytes, as in `Auto`).
    Backtracking,
}

impl fmt::Debug for CountState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CountState").field("encoding", &self.encoding).finish_non_exhaustive()
    }
}

/// How many long new pieces the `bpe` crate counts before the backtracking encoder's tables are
/// built (on a thread of their own, so no count waits for them): building them takes about 10 ms
/// of processor time for `o200k_base` (5 ms for `cl100k_base`, both with mimalloc, the faces'
/// allocator). Text with fewer long pieces (most code and English) never builds them. At 2^16, as
/// first chosen to match the processor time the tables save, files of CJK, emoji and other scripts
/// of a few megabytes were counted by the crate for most of their length: 2^12 counted them
/// 1.05-1.3x as fast in wall time and in processor time, emoji aside (6.6 MB, 37,000 long pieces:
/// 1.15x the wall time, 0.95x the processor time), with `token_speed` (5 runs each).
const BACKTRACK_AFTER: u32 = 1 << 12;

/// [`BACKTRACK_AFTER`], for the test that the tables are built.
#[doc(hidden)]
pub const LONG_PIECE_TABLES_AFTER: u32 = BACKTRACK_AFTER;

static TOKENIZERS: [OnceLock<Tokenizer>; 2] = [OnceLock::new(), OnceLock::new()];

thread_local! {
    /// This thread's count state for each encoding, created on first use.
    static STATES: RefCell<[Option<CountState>; 2]> = const { RefCell::new([None, None]) };
}

impl CountState {
    /// Whether this state counts its next text ahead ([`ahead`]): once its memo of short pieces
    /// has grown, when the pieces it has seen outnumber what the nearer caches hold and its lookups
    /// stop hitting them.
    #[inline(always)]
    fn counts_ahead(&self) -> bool {
        ahead::AVAILABLE && self.memo.has_grown()
    }
}

impl Tokenizer {
    /// The shared tokenizer for `encoding`, built on first use (tens of milliseconds in a release
    /// build: the vocabulary is deserialized and the split regex compiled).
    pub fn get(encoding: Encoding) -> &'static Tokenizer {
        TOKENIZERS[encoding.index()].get_or_init(|| Tokenizer::build(encoding))
    }

    fn build(encoding: Encoding) -> Tokenizer {
        let load_vocabulary = move || {
            let bpe: &'static BytePairEncoding = match encoding {
                Encoding::O200kBase => &bpe_openai::o200k_base().bpe,
                Encoding::Cl100kBase => &bpe_openai::cl100k_base().bpe,
            };
            (bpe, Ranks::new(bpe))
        };
        let patterns = match encoding {
            Encoding::O200kBase => Patterns::O200k,
            Encoding::Cl100kBase => Patterns::Cl100k,
        };
        // The vocabulary loads on another thread while this one compiles the split regex; the two
        // take about as long as each other. Where no thread can be started (wasm32-unknown-unknown
        // has none) it loads on this thread afterwards.
        let (bpe, split) = std::thread::scope(|scope| {
            let loading = std::thread::Builder::new().spawn_scoped(scope, load_vocabulary);
            let split = Pretokenizer::new(patterns);
            // The class table of every code point (a few milliseconds), here rather than in the
            // middle of the first text with a character beyond ASCII.
            std::sync::LazyLock::force(&classes::CLASSES);
            let bpe = match loading {
                Ok(thread) => thread.join(),
                Err(_) => Ok(load_vocabulary()),
            };
            (bpe, split)
        });
        // Both fail only if the crate's embedded data or the constant patterns above are broken,
        // which the tests would catch; there is no input that could cause it.
        let (bpe, ranks) = bpe.unwrap_or_else(|_| panic!("the {encoding} vocabulary failed to load"));
        let split = split.unwrap_or_else(|e| panic!("the {encoding} split pattern failed to compile: {e}"));
        Tokenizer {
            encoding,
            bpe,
            ranks,
            backtrack: OnceLock::new(),
            long_new_pieces: AtomicU32::new(0),
            split,
            long_memo: OnceLock::new(),
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// A fresh per-thread state for [`Tokenizer::count_with`].
    pub fn new_state(&self) -> CountState {
        self.new_state_with_memo(memo::DEFAULT_ENTRIES)
    }

    /// A fresh per-thread state whose memo holds at most `entries` short pieces (0: no memo of short
    /// pieces, and the shared memo of long ones unused), for measuring what the memos are worth; the
    /// counts are the same whatever the size.
    pub fn new_state_with_memo(&self, entries: usize) -> CountState {
        CountState {
            encoding: self.encoding,
            cache: self.split.create_cache(),
            memo: Memo::new(entries),
            pair_cache: PairCache::new(),
            long_memo: entries > 0,
            long_memo_gate: Gate::new(),
            fast_split: true,
            long_pieces: LongPieces::Auto,
        }
    }

    /// A fresh per-thread state whose long new pieces are counted by the given encoder, to test and
    /// measure each: with a memo of short pieces of `memo_entries` as in
    /// [`Tokenizer::new_state_with_memo`] (`None`: the default size), and without the tokenizer's
    /// shared memo of long pieces, so that every long piece reaches the encoder.
    #[doc(hidden)]
    pub fn new_state_for_long_pieces(
        &self,
        memo_entries: Option<usize>,
        long_pieces: LongPieces,
    ) -> CountState {
        if long_pieces == LongPieces::Backtracking {
            self.backtrack_tables();
        }
        let memo_entries = memo_entries.unwrap_or(memo::DEFAULT_ENTRIES);
        CountState { long_pieces, long_memo: false, ..self.new_state_with_memo(memo_entries) }
    }

    /// A fresh per-thread state that splits by the regex alone, for measuring the hand-written
    /// splitters; the counts are the same.
    #[doc(hidden)]
    pub fn new_state_regex_only(&self) -> CountState {
        CountState { fast_split: false, ..self.new_state() }
    }

    /// The number of tokens in `text`, using this thread's own state.
    pub fn count(&self, text: &str) -> usize {
        let counted = STATES.try_with(|states| {
            // Counting never calls back into user code, so the state cannot already be borrowed;
            // should it be anyway, a throwaway state gives the same count.
            let Ok(mut states) = states.try_borrow_mut() else {
                return self.count_with(&mut self.new_state(), text);
            };
            let state = states[self.encoding.index()].get_or_insert_with(|| self.new_state());
            self.count_with(state, text)
        });
        // The thread-local is gone only while the thread itself is being torn down.
        counted.unwrap_or_else(|_| self.count_with(&mut self.new_state(), text))
    }

    /// The number of tokens in `text`, using the caller's state (for example one per rayon worker
    /// from `map_init`).
    pub fn count_with(&self, state: &mut CountState, text: &str) -> usize {
        if state.encoding != self.encoding {
            self.adopt(state);
        }
        if !state.fast_split {
            return self.count_split::<REGEX_ONLY>(state, text);
        }
        let ahead = state.counts_ahead();
        self.count_fast(state, text, ahead)
    }

    /// The tokens of `text` by the hand-written splitters, piece after piece or `ahead`; one loop
    /// per splitter, chosen once per text rather than once per piece.
    #[inline(always)]
    fn count_fast(&self, state: &mut CountState, text: &str, ahead: bool) -> usize {
        match (ahead, self.split.fast_splitter()) {
            (false, FAST_O200K) => self.count_split::<FAST_O200K>(state, text),
            (false, _) => self.count_split::<FAST_CL100K>(state, text),
            (true, FAST_O200K) => self.count_ahead::<FAST_O200K>(state, text),
            (true, _) => self.count_ahead::<FAST_CL100K>(state, text),
        }
    }

    /// The tokens of `text`, one piece after another, split by `SPLITTER`.
    #[inline(always)]
    fn count_split<const SPLITTER: Splitter>(&self, state: &mut CountState, text: &str) -> usize {
        let bytes = text.as_bytes();
        let mut total = 0;
        let mut start = 0;
        while start < bytes.len() {
            let end =
                self.split.next_end_by::<SPLITTER>(&mut state.cache, text, start).unwrap_or(bytes.len());
            total += self.count_one(state, bytes, start, end, None);
            start = end;
        }
        total
    }

    /// The tokens of `text` by the hand-written splitters, [`AHEAD`] pieces split at a time, with
    /// the loads of their lookups started as each is split (see [`ahead`]). Out of line, with its
    /// own copy of the splitters, so that the loop of [`Tokenizer::count_split`] compiles as it
    /// does without it.
    #[inline(never)]
    fn count_ahead<const SPLITTER: Splitter>(&self, state: &mut CountState, text: &str) -> usize {
        let bytes = text.as_bytes();
        let mut total = 0;
        let mut ahead = Ahead::new();
        let mut start = 0;
        while start < bytes.len() {
            // Split the next pieces first, and start loading what their lookups will read.
            let mut split = 0;
            let mut end = start;
            while split < AHEAD && end < bytes.len() {
                let from = end;
                end = self.split.next_end_by::<SPLITTER>(&mut state.cache, text, from).unwrap_or(bytes.len());
                let len = end - from;
                if (3..=8).contains(&len) {
                    ahead.short[split] = Ranks::short_key(&bytes[from..end]);
                    self.ranks.prefetch_short(ahead.short[split]);
                }
                if (3..=memo::MAX_PIECE).contains(&len) {
                    ahead.memo[split] = memo::hash(bytes, from, end);
                    state.memo.prefetch(ahead.memo[split]);
                }
                ahead.ends[split] = end;
                split += 1;
            }
            for i in 0..split {
                let end = ahead.ends[i];
                total += self.count_one(state, bytes, start, end, Some((ahead.short[i], ahead.memo[i])));
                start = end;
            }
        }
        total
    }

    /// The tokens of the piece `bytes[start..end]`. `hashed` holds its [`Ranks::short_key`] and
    /// its [`memo::hash`] if the caller has computed them (the first for pieces of three to eight
    /// bytes, the second for pieces of three to [`memo::MAX_PIECE`]); `None` computes them here.
    #[inline(always)]
    fn count_one(
        &self,
        state: &mut CountState,
        bytes: &[u8],
        start: usize,
        end: usize,
        hashed: Option<((u64, u64), usize)>,
    ) -> usize {
        let mode = state.long_pieces;
        let piece = &bytes[start..end];
        if let Some((short, memo_hash)) = hashed {
            // A hash left over from another piece would only miss, never miscount: catch it here.
            debug_assert!(!(3..=8).contains(&piece.len()) || short == Ranks::short_key(piece));
            debug_assert!(
                !(3..=memo::MAX_PIECE).contains(&piece.len()) || memo_hash == memo::hash(bytes, start, end)
            );
        }
        match *piece {
            // Every single byte is a token of both vocabularies.
            [_] => 1,
            // Over a quarter of the pieces of code and English prose that reach this match
            // (two-letter words, a space and a symbol, doubled symbols).
            [first, second] => self.ranks.count_two(first, second),
            // A piece that is a token costs one lookup in the table of ranks, as a memo hit
            // does, and leaves the memo's slots to pieces of several tokens: 2% fewer
            // instructions on real and on generated text, 0.98x the CPU time of a check of
            // the 500 MB real-text file (5 pairs), even on the generated one (9 pairs).
            _ if piece.len() <= 8
                && self.ranks.is_short_token(
                    hashed.map_or_else(|| Ranks::short_key(piece), |(short, _)| short),
                    piece.len(),
                ) =>
            {
                1
            }
            _ if piece.len() <= memo::MAX_PIECE => {
                let pair_cache = &mut state.pair_cache;
                let hash = hashed.map(|(_, memo)| memo);
                state.memo.count(bytes, start, end, hash, |p| self.count_piece(mode, pair_cache, p))
            }
            _ if state.long_memo => {
                // The memo pays at a lower hit rate while the `bpe` crate encodes long pieces,
                // more slowly than the backtracking tables: it is gated once they exist.
                let may_close = self.backtrack.get().is_some();
                let pair_cache = &mut state.pair_cache;
                self.long_memo().count(&mut state.long_memo_gate, may_close, piece, |p| {
                    self.count_piece(mode, pair_cache, p)
                })
            }
            _ => self.count_piece(mode, &mut state.pair_cache, piece),
        }
    }

    /// The token count of one piece not found in a memo: short pieces by the merge loop, long ones
    /// by backtracking, linear in the length (by [`backtrack`] once its tables are built and for
    /// pieces up to its limit, otherwise by the `bpe` crate's encoder).
    #[inline]
    fn count_piece(&self, mode: LongPieces, pair_cache: &mut PairCache, piece: &[u8]) -> usize {
        match self.ranks.count(piece) {
            Some(count) => count,
            None => self.count_long_piece(mode, pair_cache, piece),
        }
    }

    /// A piece past the merge loop. Kept out of line: inlined into the loop over pieces, whose
    /// short pieces are the most, it made the whole count slower (other scripts, 1.2x).
    #[inline(never)]
    fn count_long_piece(&self, mode: LongPieces, pair_cache: &mut PairCache, piece: &[u8]) -> usize {
        if piece.len() > backtrack::MAX_PIECE {
            return self.bpe.count(piece);
        }
        let backtrack = match (mode, self.backtrack.get()) {
            (LongPieces::BpeCrate, _) => return self.bpe.count(piece),
            (_, Some(backtrack)) => backtrack,
            (LongPieces::Auto, None) => {
                if self.long_new_pieces.fetch_add(1, Ordering::Relaxed) == BACKTRACK_AFTER {
                    self.build_backtrack_tables_aside();
                }
                return self.bpe.count(piece);
            }
            (LongPieces::Backtracking, None) => self.backtrack_tables(),
        };
        backtrack.count(&self.ranks, pair_cache, piece).unwrap_or_else(|| self.bpe.count(piece))
    }

    /// Rebuilds `state`, made for another encoding, for this one. What it was made to measure
    /// stays (the splitter, the encoder of long pieces, whether the shared memo is used); its memo
    /// of short pieces starts again empty, at the default size.
    #[cold]
    fn adopt(&self, state: &mut CountState) {
        let (fast_split, long_memo, long_pieces) = (state.fast_split, state.long_memo, state.long_pieces);
        if long_pieces == LongPieces::Backtracking {
            self.backtrack_tables();
        }
        *state = CountState { fast_split, long_memo, long_pieces, ..self.new_state() };
    }

    /// Builds the backtracking tables on a thread of their own, while the counting threads go on
    /// with the `bpe` crate until they are there: no thread waits the 5 to 10 ms. The tables
    /// are the shared tokenizer's of this encoding, which `self` is outside this crate's tests.
    /// Where no thread can be started (wasm32-unknown-unknown), they are built here.
    #[cold]
    fn build_backtrack_tables_aside(&self) {
        let encoding = self.encoding;
        let spawned = std::thread::Builder::new()
            .name(format!("ftlint {encoding} tables"))
            .spawn(move || Tokenizer::get(encoding).build_backtrack_tables());
        if spawned.is_err() {
            self.build_backtrack_tables();
        }
    }

    fn build_backtrack_tables(&self) {
        self.backtrack_tables();
    }

    /// Whether the backtracking tables are built, for the test that they are.
    #[doc(hidden)]
    pub fn has_long_piece_tables(&self) -> bool {
        self.backtrack.get().is_some()
    }

    fn backtrack_tables(&self) -> &Backtrack {
        self.backtrack.get_or_init(|| Backtrack::new(self.bpe, &self.ranks))
    }

    fn long_memo(&self) -> &LongMemo {
        self.long_memo.get_or_init(|| LongMemo::new(long_memo::DEFAULT_ENTRIES))
    }

    /// The pieces the pretokenizer cuts `text` into, in order; they concatenate to `text`.
    pub fn pieces<'t>(&self, state: &mut CountState, text: &'t str) -> Vec<&'t str> {
        if state.encoding != self.encoding {
            self.adopt(state);
        }
        let mut pieces = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = self.split.next_end(&mut state.cache, text, start).unwrap_or(text.len());
            // `next_end` returns char boundaries; `get` keeps a mistake from becoming a panic.
            pieces.extend(text.get(start..end));
            start = end;
        }
        pieces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Tokenizer>();
        fn assert_send<T: Send>() {}
        assert_send::<CountState>();
    }

    #[test]
    fn counts_known_strings() {
        let o200k = Tokenizer::get(Encoding::O200kBase);
        let cl100k = Tokenizer::get(Encoding::Cl100kBase);
        assert_eq!(o200k.count(""), 0);
        assert_eq!(o200k.count("hello world"), 2);
        assert_eq!(cl100k.count("hello world"), 2);
        // Special-token text is ordinary text: several tokens, not the one special token.
        assert!(o200k.count("<|endoftext|>") > 1);
        assert!(cl100k.count("<|endoftext|>") > 1);
    }

    #[test]
    fn a_state_of_another_encoding_is_rebuilt() {
        let o200k = Tokenizer::get(Encoding::O200kBase);
        let cl100k = Tokenizer::get(Encoding::Cl100kBase);
        let text = "HelloWorld 1234567 it'LL";
        let mut state = o200k.new_state();
        let expected = cl100k.count(text);
        assert_eq!(cl100k.count_with(&mut state, text), expected);
        assert_eq!(state.encoding, Encoding::Cl100kBase);
    }

    /// Text in the scripts whose pieces the ahead loop sees most.
    const SAMPLES: &[&str] = &[
        " Привет, как дела? ",
        "这是一个测试句子。",
        " مرحبا بالعالم ",
        " नमस्ते दुनिया ",
        " Übersetzungsfehler déjà-vu ",
        "fn main() { let x = 42; }\n",
        " 👩‍👩‍👧 🇸🇪 ",
        "  \r\n\t",
    ];

    /// [`SAMPLES`] and any other text, cut and glued at random.
    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let part = prop_oneof![
            (proptest::sample::select(SAMPLES), 1..6usize).prop_map(|(s, n)| s.repeat(n)),
            any::<String>(),
        ];
        proptest::collection::vec(part, 0..24).prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn both_loops_count_alike(text in mixed_text()) {
            for encoding in Encoding::ALL {
                let tokenizer = Tokenizer::get(encoding);
                // One state for both loops: the ahead loop finds in the memo what the other
                // stored, by the hashes it computed ahead, and the other way round (a wrong hash
                // would only miss; `count_one` checks them in debug builds).
                let mut state = tokenizer.new_state();
                let one_by_one = tokenizer.count_fast(&mut state, &text, false);
                let ahead = tokenizer.count_fast(&mut state, &text, true);
                proptest::prop_assert_eq!(ahead, one_by_one, "{}", encoding);
                let fresh = tokenizer.count_fast(&mut tokenizer.new_state(), &text, true);
                proptest::prop_assert_eq!(fresh, one_by_one, "{}", encoding);
                proptest::prop_assert_eq!(tokenizer.count_with(&mut state, &text), one_by_one, "{}", encoding);
            }
        }
    }

    #[test]
    fn a_thread_counts_ahead_once_its_memo_has_grown_and_counts_alike() {
        // Words of letters alone, all distinct, none a token: each is a piece the memo stores.
        let word = |mut i: usize| {
            let mut word = String::from(" qz");
            while i > 0 {
                word.push(char::from(b'a' + (i % 26) as u8));
                i /= 26;
            }
            word
        };
        for encoding in Encoding::ALL {
            let tokenizer = Tokenizer::get(encoding);
            let mut state = tokenizer.new_state();
            let mut words = 0;
            while !state.memo.has_grown() {
                assert!(!state.counts_ahead());
                let text: String = (words..words + 4096).map(word).collect();
                let regex_only = tokenizer.count_with(&mut tokenizer.new_state_regex_only(), &text);
                assert_eq!(tokenizer.count_with(&mut state, &text), regex_only, "{encoding}");
                words += 4096;
                assert!(words < 1 << 20, "{encoding}: the memo never grew");
            }
            // Ahead from here; words seen before come from the memo, new ones are counted.
            assert_eq!(state.counts_ahead(), ahead::AVAILABLE);
            for text in SAMPLES.iter().map(|s| s.to_string()).chain([(0..8192).map(word).collect()]) {
                let regex_only = tokenizer.count_with(&mut tokenizer.new_state_regex_only(), &text);
                assert_eq!(tokenizer.count_with(&mut state, &text), regex_only, "{encoding}: {text:.40}");
                assert_eq!(tokenizer.count_fast(&mut state, &text, false), regex_only, "{encoding}");
            }
        }
    }

    #[test]
    fn pieces_concatenate_to_the_text() {
        let o200k = Tokenizer::get(Encoding::O200kBase);
        let mut state = o200k.new_state();
        let text = "Hej då!\r\n\r\n  世界 👩‍👩‍👧 🇸🇪\u{a0}x\u{2028}y\u{3000}z";
        assert_eq!(o200k.pieces(&mut state, text).concat(), text);
    }
}
