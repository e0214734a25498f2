//! The pretokenizer: cuts text into the pieces that byte-pair encoding then works on, one piece at a
//! time, with a regex cache the caller owns.
//!
//! The patterns are the ones `bpe-openai` uses, which reproduce tiktoken's split exactly. tiktoken's
//! patterns contain the negative look-ahead `\s+(?!\S)`, which a DFA cannot run; `bpe-openai` replaces
//! it with the pattern `\s+\s` and drops the last character of such a match, which gives the same
//! pieces and keeps the whole split on the fast lazy DFA. `bpe-openai`'s own splitter keeps its regex
//! cache in a pool shared by all threads, and every thread but the pool's owner takes a lock on every
//! search; here each caller passes its own [`Cache`], so threads never meet on the hot path.
//!
//! Every search is anchored at the end of the previous piece, so only the end of a match is unknown:
//! a forward lazy DFA finds it alone. Using that DFA directly, rather than through the `meta` regex,
//! skips the per-search dispatch (pieces average a few bytes, so it is paid millions of times) and
//! the reverse automata `meta` compiles at start-up but an anchored search never needs.
//!
//! Before the DFA, each search tries the hand-written splitters of [`super::fast`]: one that
//! decides the piece with a byte-class table whenever every byte the patterns would look at is
//! ASCII, several times faster than the DFA's search setup alone, and where it gives up, one that
//! knows the class of every character by a table over all code points (see [`super::classes`]).
//! They give up (and the DFA decides) at whitespace and digits beyond ASCII, where the answer could
//! change, so the pieces are the DFA's: the
//! tests below compare them with it at every offset of random and of all short strings over an
//! alphabet of the characters where the rules are subtle.

use std::sync::OnceLock;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::BuildError;
use regex_automata::meta;
use regex_automata::{Anchored, Input};

use super::fast::{self, Ascii, Native, Scan, WideCl100k, WideO200k};

/// cl100k_base, as in `bpe-openai` 0.3.2: the main pattern, the look-ahead stand-in, plain whitespace.
const CL100K_MAIN: &str = concat!(
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}",
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+$",
);

/// o200k_base, as in `bpe-openai` 0.3.2. Unlike cl100k, letters split on case changes, numbers stay
/// groups of at most three digits, and contractions attach to the word before them.
const O200K_MAIN: &str = concat!(
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|\p{N}{1,3}",
    r"| ?[^\s\p{L}\p{N}]+[\r\n/]*",
    r"|\s*[\r\n]+",
    r"|\s+$",
);

/// `\s+(?!\S)` spelled without look-ahead: the match keeps one character too many, dropped afterwards.
const LOOKAHEAD: &str = r"\s+\s";
const WHITESPACE: &str = r"\s+";

/// Upper bound of the lazy DFA's transition cache, per thread. The cache only grows as states are
/// visited; a generous bound means the many Unicode states of the patterns are built once and then
/// reused, where a small one would be cleared and rebuilt over and over on multilingual text.
const DFA_CACHE_BYTES: usize = 32 << 20;

/// Which of the two vocabularies' split rules to use.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Patterns {
    Cl100k,
    O200k,
}

/// Which splitter a loop over pieces uses: a constant parameter of
/// [`Pretokenizer::next_end_by`].
pub(crate) type Splitter = u8;
/// The regex alone (to measure the hand-written splitters).
pub(crate) const REGEX_ONLY: Splitter = 0;
/// The hand-written splitters of `o200k_base`, then the regex where they cannot decide.
pub(crate) const FAST_O200K: Splitter = 1;
/// The hand-written splitters of `cl100k_base`, then the regex where they cannot decide.
pub(crate) const FAST_CL100K: Splitter = 2;

/// The end of the piece at `start` if the hand-written splitters of `SPLITTER` (not
/// [`REGEX_ONLY`]) can decide it: the ASCII one first, then the one that knows every script, only
/// where the ASCII one gave up. Early returns rather than `or_else` chains: the compiler kept those
/// closures out of line once two loops called this.
#[inline(always)]
fn fast_next_end_by<S: Scan, const SPLITTER: Splitter>(bytes: &[u8], start: usize) -> Option<usize> {
    if SPLITTER == FAST_O200K {
        if let Some(end) = fast::o200k_ascii_word::<S>(bytes, start) {
            return Some(end);
        }
        if let Some(end) = fast::o200k_next_end::<Ascii, S>(bytes, start) {
            return Some(end);
        }
        fast::o200k_next_end::<WideO200k, S>(bytes, start)
    } else {
        if let Some(end) = fast::cl100k_ascii_word::<S>(bytes, start) {
            return Some(end);
        }
        if let Some(end) = fast::cl100k_next_end::<Ascii, S>(bytes, start) {
            return Some(end);
        }
        fast::cl100k_next_end::<WideCl100k, S>(bytes, start)
    }
}

/// A compiled split regex. `Send + Sync`; all mutable search state lives in the caller's [`Cache`].
pub(crate) struct Pretokenizer {
    kind: Patterns,
    patterns: [&'static str; 3],
    dfa: DFA,
    /// Built only if the lazy DFA ever fails a search, which it cannot with these patterns (see
    /// `next_end`); it keeps the count exact rather than trusting that.
    fallback: OnceLock<Option<meta::Regex>>,
}

impl Pretokenizer {
    pub(crate) fn new(patterns_kind: Patterns) -> Result<Self, Box<BuildError>> {
        let main = match patterns_kind {
            Patterns::Cl100k => CL100K_MAIN,
            Patterns::O200k => O200K_MAIN,
        };
        // The pattern order is meaningful: pattern 1 is the look-ahead stand-in (see `next_end`), and
        // with leftmost-first semantics an earlier pattern is preferred over a later one wherever both
        // match, exactly as in the alternation of tiktoken's single pattern.
        let patterns = [main, LOOKAHEAD, WHITESPACE];
        let dfa = DFA::builder()
            .configure(DFA::config().cache_capacity(DFA_CACHE_BYTES))
            .build_many(&patterns)
            .map_err(Box::new)?;
        Ok(Pretokenizer { kind: patterns_kind, patterns, dfa, fallback: OnceLock::new() })
    }

    /// A fresh search cache for this regex. A cache belongs to the regex that made it.
    pub(crate) fn create_cache(&self) -> Cache {
        self.dfa.create_cache()
    }

    /// The end of the piece that starts at byte `start` of `text`, which must be a char boundary.
    ///
    /// Returns `None` when no pattern matches there or the match is empty; the patterns cover every
    /// character, so that never happens, but the caller then treats the rest of the text as a single
    /// piece rather than looping or losing text. (The loops that count take the splitter as a
    /// constant instead: [`Pretokenizer::next_end_by`].)
    #[inline]
    pub(crate) fn next_end(&self, cache: &mut Cache, text: &str, start: usize) -> Option<usize> {
        match self.kind {
            Patterns::O200k => self.next_end_by::<FAST_O200K>(cache, text, start),
            Patterns::Cl100k => self.next_end_by::<FAST_CL100K>(cache, text, start),
        }
    }

    /// The [`Splitter`] of [`Pretokenizer::next_end`] for these patterns.
    pub(crate) fn fast_splitter(&self) -> Splitter {
        match self.kind {
            Patterns::O200k => FAST_O200K,
            Patterns::Cl100k => FAST_CL100K,
        }
    }

    /// [`Pretokenizer::next_end`] by the given splitter: [`REGEX_ONLY`], or this pretokenizer's
    /// [`Pretokenizer::fast_splitter`]. A loop over pieces that takes the splitter as a constant
    /// is compiled once per splitter, with no choice between them left inside it: choosing inside
    /// cost 2% more instructions on code.
    #[inline(always)]
    pub(crate) fn next_end_by<const SPLITTER: Splitter>(
        &self,
        cache: &mut Cache,
        text: &str,
        start: usize,
    ) -> Option<usize> {
        debug_assert!(SPLITTER == REGEX_ONLY || SPLITTER == self.fast_splitter());
        if SPLITTER != REGEX_ONLY {
            if let Some(end) = fast_next_end_by::<Native, SPLITTER>(text.as_bytes(), start) {
                return Some(end);
            }
        }
        self.dfa_next_end(cache, text, start)
    }

    /// The end of the piece at `start` if the hand-written splitters can decide it.
    #[cfg(test)]
    fn fast_next_end<S: Scan>(&self, bytes: &[u8], start: usize) -> Option<usize> {
        match self.kind {
            Patterns::O200k => fast_next_end_by::<S, FAST_O200K>(bytes, start),
            Patterns::Cl100k => fast_next_end_by::<S, FAST_CL100K>(bytes, start),
        }
    }

    /// [`Pretokenizer::next_end`] by the regex alone, without the hand-written splitters.
    pub(crate) fn dfa_next_end(&self, cache: &mut Cache, text: &str, start: usize) -> Option<usize> {
        // The search spans `start..` of the whole text; `$` in `\s+$` means the end of the text.
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        // A lazy DFA fails a search only when it meets a quit byte (only Unicode word boundaries
        // add those, and these patterns have none) or gives up after too many cache clears (off by
        // default). Should either happen, the general-purpose regex answers instead.
        let (pattern, mut end) = match self.dfa.try_search_fwd(cache, &input) {
            Ok(found) => found.map(|m| (m.pattern().as_usize(), m.offset()))?,
            Err(_) => self.fallback_search(&input)?,
        };
        if pattern == 1 {
            // Drop the look-ahead character. The stand-in pattern matches at least two whitespace
            // characters, so at least one stays in the piece.
            let last = text.get(start..end).and_then(|m| m.chars().next_back()).map_or(0, char::len_utf8);
            end -= last;
        }
        (end > start).then_some(end)
    }

    #[cold]
    fn fallback_search(&self, input: &Input<'_>) -> Option<(usize, usize)> {
        let regex = self.fallback.get_or_init(|| meta::Regex::new_many(&self.patterns).ok()).as_ref()?;
        regex.search(input).map(|m| (m.pattern().as_usize(), m.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_splits_alike() {
        let pre = Pretokenizer::new(Patterns::O200k).unwrap();
        let text = "Hello  world\r\n 123";
        let mut cache = pre.create_cache();
        let mut start = 0;
        while start < text.len() {
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            let m = pre.dfa.try_search_fwd(&mut cache, &input).unwrap().unwrap();
            assert_eq!(pre.fallback_search(&input), Some((m.pattern().as_usize(), m.offset())));
            start = pre.next_end(&mut cache, text, start).unwrap();
        }
    }

    fn pieces(patterns: Patterns, text: &str) -> Vec<&str> {
        let pre = Pretokenizer::new(patterns).unwrap();
        let mut cache = pre.create_cache();
        let mut out = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = pre.next_end(&mut cache, text, start).unwrap();
            out.push(&text[start..end]);
            start = end;
        }
        out
    }

    #[test]
    fn whitespace_before_a_word_joins_the_word() {
        // `\s+(?!\S)` leaves the last space of a run to the word that follows it.
        assert_eq!(pieces(Patterns::O200k, "a   b"), ["a", "  ", " b"]);
        assert_eq!(pieces(Patterns::Cl100k, "a   b"), ["a", "  ", " b"]);
    }

    #[test]
    fn trailing_whitespace_is_one_piece() {
        assert_eq!(pieces(Patterns::O200k, "a  "), ["a", "  "]);
        assert_eq!(pieces(Patterns::O200k, "a\r\n\r\n"), ["a", "\r\n\r\n"]);
    }

    #[test]
    fn o200k_splits_case_changes_and_keeps_contractions() {
        assert_eq!(pieces(Patterns::O200k, "HelloWorld it'LL"), ["Hello", "World", " it'LL"]);
        assert_eq!(pieces(Patterns::Cl100k, "HelloWorld it'LL"), ["HelloWorld", " it", "'LL"]);
    }

    #[test]
    fn digits_go_in_threes() {
        assert_eq!(pieces(Patterns::O200k, "1234567"), ["123", "456", "7"]);
    }

    /// Characters where the split rules are easiest to get wrong by hand: both cases, digits, the
    /// letters of contractions, every kind of ASCII whitespace and the separators that are not
    /// whitespace, punctuation (with o200k's `/`), and non-ASCII letters, digits, spaces, marks and
    /// the long s that case-folds to `s`.
    #[rustfmt::skip]
    const ALPHABET: &[&str] = &[
        "a", "A", "z", "Z", "0", "9", "'", "s", "t", "r", "e", "v", "m", "l", "d", "S", "T", "R",
        "E", "V", "M", "L", "D", " ", " ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f",
        "\0", "/", ".", ",", "!", "_", "-", "é", "世", "\u{a0}", "\u{85}", "\u{2028}", "\u{3000}",
        "😀", "\u{301}", "\u{308}", "ſ", "²", "٣", "ǅ", "ʰ", "\x7f", "一", "鿿", "中", "文", "。", "，",
        "？", "、", "！", "：", "；", "㐀", "〃", "＂", "\u{4dff}", "\u{a000}", "〇", "々", "å", "Ä", "ö",
        "É", "ß", "ÿ", "Þ", "×", "÷", "¿", "ª", "µ", "Ā", "🙂", "\u{1f3fd}", "🇸", "\u{200d}",
        "\u{fe0f}", "☕", "—", "’", "…", "\u{1f100}", "❶", "Ж", "ж", "Ω", "ω", "ع", "ـ", "न", "\u{94d}",
        "ि", "한", "ひ", "ー", "ก", "\u{e47}", "ა", "א", "\u{5b7}", "ǈ", "ᾼ", "\u{20dd}", "\u{1d165}",
        "𝐀", "𝐚", "\u{e0067}", "\u{10ffff}", "·", "ʼ", "ᵃ", "ё", "Ѐ", "ѿ", "ѣ", "Ҁ", "҂", "\u{483}",
    ];

    /// Checks the hand-written splitters against the regex at every char boundary of `text`.
    fn fast_path_agrees(pre: &Pretokenizer, cache: &mut Cache, text: &str) -> Result<(), String> {
        for start in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            if let Some(fast) = pre.fast_next_end::<Native>(text.as_bytes(), start) {
                let regex = pre.dfa_next_end(cache, text, start);
                if regex != Some(fast) {
                    return Err(format!(
                        "{:?} at {start} ({:?}): fast {fast}, regex {regex:?}",
                        pre.kind, text
                    ));
                }
            }
        }
        Ok(())
    }

    fn pretokenizers() -> [(Pretokenizer, Cache); 2] {
        [Patterns::O200k, Patterns::Cl100k].map(|p| {
            let pre = Pretokenizer::new(p).unwrap();
            let cache = pre.create_cache();
            (pre, cache)
        })
    }

    #[test]
    fn the_fast_path_agrees_on_every_short_string() {
        // Every string of up to three characters from the alphabet, at every offset.
        let mut pres = pretokenizers();
        let mut text = String::new();
        for a in ALPHABET {
            for b in ALPHABET {
                for c in ALPHABET.iter().chain([&""]) {
                    text.clear();
                    text.extend([*a, *b, *c]);
                    for (pre, cache) in &mut pres {
                        fast_path_agrees(pre, cache, &text).unwrap();
                    }
                }
            }
        }
    }

    #[test]
    fn the_fast_path_agrees_on_every_pair_before_longer_text() {
        // The shortcut for words needs sixteen bytes to look at: every pair of characters from the
        // alphabet, then words and runs that end at every position the shortcut looks at.
        let mut pres = pretokenizers();
        let mut text = String::new();
        let rests = ["xY'z 9\r\né,/QQqq.", "abcdefghijklmnopq", "ABCDEFGHIJKLMNOPq", "Abc Def'S 12 ghij é"];
        for a in ALPHABET {
            for b in ALPHABET {
                for rest in rests {
                    text.clear();
                    text.extend([*a, *b, rest]);
                    for (pre, cache) in &mut pres {
                        fast_path_agrees(pre, cache, &text).unwrap();
                    }
                }
            }
        }
    }

    #[test]
    fn the_fast_path_agrees_on_runs_of_every_length() {
        // Letter runs are scanned sixteen bytes at a time: runs of every length up to three chunks,
        // of capitals, small letters and both, ended by each kind of character or by the text's end,
        // at every offset.
        let mut pres = pretokenizers();
        let ends =
            ["", " ", "a", "A", "Z", "z", "@", "[", "`", "{", "1", "'s", "'LL", "é", "世", "\n", "\u{7f}"];
        for n in 0..=50 {
            for run in ["a".repeat(n), "Z".repeat(n), "Ab".repeat(n / 2), "xY".repeat(n / 2)] {
                for end in ends {
                    for prefix in ["", " ", "X", "'", "é", " Ö", "世"] {
                        let text = format!("{prefix}{run}{end}");
                        for (pre, cache) in &mut pres {
                            fast_path_agrees(pre, cache, &text).unwrap();
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_fast_path_covers_ascii() {
        // Every piece of ASCII text is decided without the regex.
        let text = "Hello, World! it's 12345 dogs' bones\t\r\n  \n x/y//\n/ \x0b\x0c\x1c';'LL  ";
        for patterns in [Patterns::O200k, Patterns::Cl100k] {
            for start in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                let fast = match patterns {
                    Patterns::O200k => fast::o200k_next_end::<Ascii, Native>(text.as_bytes(), start),
                    Patterns::Cl100k => fast::cl100k_next_end::<Ascii, Native>(text.as_bytes(), start),
                };
                assert!(fast.is_some(), "{patterns:?} at {start}");
            }
        }
    }

    #[test]
    fn the_fast_path_covers_chinese_and_accented_letters() {
        // Every piece of Chinese between common punctuation, spaces and digits, and of accented words,
        // is decided without the regex.
        let text = "你好，世界。我们明天见！ 中文2024年，好吗？结束 Även på måndag: 12 grader, Öl för ÅÄÖ-kurs × 3 fåtöljer. \
                    Съешь же ещё этих мягких французских булок, да выпей чаю.";
        for patterns in [Patterns::O200k, Patterns::Cl100k] {
            let pre = Pretokenizer::new(patterns).unwrap();
            let mut start = 0;
            let mut pieces = 0;
            while start < text.len() {
                let end = pre.fast_next_end::<Native>(text.as_bytes(), start);
                assert!(end.is_some(), "{:?} at {start} ({:?})", pre.kind, &text[start..]);
                start = end.unwrap_or(text.len());
                pieces += 1;
            }
            assert!(pieces >= 8, "{pieces}");
        }
    }

    #[test]
    fn the_fast_path_splits_known_cases() {
        assert_eq!(pieces(Patterns::O200k, "a \n \n  b"), ["a", " \n \n", " ", " b"]);
        assert_eq!(pieces(Patterns::O200k, "x\n\n "), ["x", "\n\n", " "]);
        assert_eq!(pieces(Patterns::O200k, "!!\n/\nx"), ["!!\n/\n", "x"]);
        assert_eq!(pieces(Patterns::Cl100k, "!!\n/\nx"), ["!!\n", "/\n", "x"]);
        assert_eq!(pieces(Patterns::O200k, "ABCdef GHI'S jk'Ll'd"), ["ABCdef", " GHI'S", " jk'Ll", "'d"]);
        assert_eq!(pieces(Patterns::Cl100k, "don'T 're"), ["don", "'T", " '", "re"]);
        assert_eq!(pieces(Patterns::O200k, "\t1 \x1c2"), ["\t", "1", " \x1c", "2"]);
        assert_eq!(
            pieces(Patterns::O200k, "中A 中Ab A中B。文's"),
            ["中", "A", " 中Ab", " A中", "B", "。文's"]
        );
        assert_eq!(pieces(Patterns::Cl100k, "中A 中Ab A中B。文's"), ["中A", " 中Ab", " A中B", "。文", "'s"]);
    }

    /// The pieces of `text` with the hand-written splitters scanning by `S`, and the regex where
    /// they give up: what [`Pretokenizer::next_end`] does with [`Native`].
    #[cfg(target_arch = "x86_64")]
    fn pieces_scanned_by<'t, S: Scan>(pre: &Pretokenizer, cache: &mut Cache, text: &'t str) -> Vec<&'t str> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = pre
                .fast_next_end::<S>(text.as_bytes(), start)
                .or_else(|| pre.dfa_next_end(cache, text, start));
            let end = end.expect("the patterns match every character");
            out.push(&text[start..end]);
            start = end;
        }
        out
    }

    /// Checks that the SSE2 and the portable scans classify alike and split `text` alike: every
    /// letter run and word mask at every byte offset, every splitter's answer at every char
    /// boundary, and the pieces of the whole text.
    #[cfg(target_arch = "x86_64")]
    fn scans_agree(pre: &Pretokenizer, cache: &mut Cache, text: &str) -> Result<(), String> {
        use fast::{Portable, Sse2, ASCII_LETTER, ASCII_LOWER, ASCII_UPPER};
        let bytes = text.as_bytes();
        let fail = |what: &str, at: usize| {
            Err(format!("{:?}: SSE2 and portable disagree on {what} at {at} of {text:?}", pre.kind))
        };
        for i in 0..bytes.len() {
            for run in [ASCII_UPPER, ASCII_LOWER, ASCII_LETTER] {
                if run.run_end::<Sse2>(bytes, i) != run.run_end::<Portable>(bytes, i) {
                    return fail("a letter run's end", i);
                }
            }
            if let Some(chunk) = bytes.get(i..i + 16).and_then(|c| <&[u8; 16]>::try_from(c).ok()) {
                if Sse2::word_masks(chunk) != Portable::word_masks(chunk) {
                    return fail("the word masks", i);
                }
                if Sse2::either(chunk, 0xd0, 0xd1) != Portable::either(chunk, 0xd0, 0xd1) {
                    return fail("the bytes that are either of two", i);
                }
            }
        }
        for i in (0..bytes.len()).filter(|&i| text.is_char_boundary(i)) {
            let (sse2, portable) = match pre.kind {
                Patterns::O200k => (
                    [
                        fast::o200k_ascii_word::<Sse2>(bytes, i),
                        fast::o200k_next_end::<Ascii, Sse2>(bytes, i),
                        fast::o200k_next_end::<WideO200k, Sse2>(bytes, i),
                    ],
                    [
                        fast::o200k_ascii_word::<Portable>(bytes, i),
                        fast::o200k_next_end::<Ascii, Portable>(bytes, i),
                        fast::o200k_next_end::<WideO200k, Portable>(bytes, i),
                    ],
                ),
                Patterns::Cl100k => (
                    [
                        fast::cl100k_ascii_word::<Sse2>(bytes, i),
                        fast::cl100k_next_end::<Ascii, Sse2>(bytes, i),
                        fast::cl100k_next_end::<WideCl100k, Sse2>(bytes, i),
                    ],
                    [
                        fast::cl100k_ascii_word::<Portable>(bytes, i),
                        fast::cl100k_next_end::<Ascii, Portable>(bytes, i),
                        fast::cl100k_next_end::<WideCl100k, Portable>(bytes, i),
                    ],
                ),
            };
            if sse2 != portable {
                return fail(&format!("a splitter's answer ({sse2:?} against {portable:?})"), i);
            }
        }
        let (sse2, portable) =
            (pieces_scanned_by::<Sse2>(pre, cache, text), pieces_scanned_by::<Portable>(pre, cache, text));
        if sse2 != portable {
            return Err(format!("{:?}: pieces {sse2:?} against {portable:?}", pre.kind));
        }
        Ok(())
    }

    /// Runs of Cyrillic letters of every length up to 42 (five chunks of sixteen bytes), between
    /// every kind of neighbour: the characters of U+0400–U+047F are skipped by their lead bytes alone
    /// (`D0`, `D1`), and those just past them (`D2 xx`) are letters, a symbol and a combining mark.
    #[test]
    fn cyrillic_runs_split_as_the_regex_does() {
        let letters: Vec<char> = "СъешьжеещёэтихмягкихфранцузскихбулокѣѢѐѿЀЏ".chars().collect();
        for (pre, cache) in &mut pretokenizers() {
            for n in 0..=letters.len() {
                let run: String = letters.iter().cycle().skip(n % 7).take(n).collect();
                for before in ["", " ", "a", "'", "Ж", "1", "\n"] {
                    for after in ["", " ", "a", "ё", "Ҁ", "҂", "\u{483}", "中", "1", "'s", ".", "\r\n"] {
                        let text = format!("{before}{run}{after}{run}");
                        fast_path_agrees(pre, cache, &text).unwrap();
                        #[cfg(target_arch = "x86_64")]
                        scans_agree(pre, cache, &text).unwrap();
                    }
                }
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_scans_agree_on_known_text() {
        let text =
            "Hello, World! it's 12345 dogs' bones ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz \
                    Även på måndag: 中文2024年，好吗？ 👩‍👩‍👧 don'T 're\r\n\r\n  x/y//\n";
        for (pre, cache) in &mut pretokenizers() {
            scans_agree(pre, cache, text).unwrap();
            assert!(pieces_scanned_by::<fast::Portable>(pre, cache, text).len() > 30);
        }
    }

    /// Random Unicode text: runs of the awkward characters above, runs of ASCII letters long
    /// enough for several sixteen-byte chunks, and any character at all.
    #[cfg(target_arch = "x86_64")]
    fn unicode_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let part = prop_oneof![
            (proptest::sample::select(ALPHABET), 1..20usize).prop_map(|(s, n)| s.repeat(n)),
            "[A-Za-z]{1,40}",
            "[a-z]{1,40}",
            any::<char>().prop_map(String::from),
            any::<String>(),
        ];
        proptest::collection::vec(part, 0..12).prop_map(|parts| parts.concat())
    }

    #[cfg(target_arch = "x86_64")]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn the_sse2_and_portable_scans_agree(text in unicode_text()) {
            thread_local! {
                static PRES: std::cell::RefCell<[(Pretokenizer, Cache); 2]> =
                    std::cell::RefCell::new(pretokenizers());
            }
            let checked: Result<(), String> = PRES.with_borrow_mut(|pres| {
                pres.iter_mut().try_for_each(|(pre, cache)| scans_agree(pre, cache, &text))
            });
            checked.map_err(proptest::test_runner::TestCaseError::fail)?;
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6000))]

        #[test]
        fn the_fast_path_agrees_with_the_regex(
            parts in proptest::collection::vec((proptest::sample::select(ALPHABET), 1..5usize), 0..30),
            // Long runs too, for the scans that take sixteen bytes at a time.
            long in proptest::collection::vec((proptest::sample::select(ALPHABET), 1..40usize), 0..4),
        ) {
            thread_local! {
                static PRES: std::cell::RefCell<[(Pretokenizer, Cache); 2]> =
                    std::cell::RefCell::new(pretokenizers());
            }
            // Each part is a character repeated, for runs of digits, spaces, capitals and the like.
            let text: String = parts.iter().chain(&long).map(|(s, n)| s.repeat(*n)).collect();
            let checked: Result<(), String> = PRES.with_borrow_mut(|pres| {
                pres.iter_mut().try_for_each(|(pre, cache)| fast_path_agrees(pre, cache, &text))
            });
            checked.map_err(proptest::test_runner::TestCaseError::fail)?;
        }
    }
}
