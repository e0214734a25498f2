//! Hand-written pretokenizers for the common scripts, tried before the regex on every piece.
//!
//! Most pieces of real datasets are ASCII words, numbers, punctuation and spaces, and for those the
//! split patterns (see [`super::split`]) reduce to a handful of byte classes: `[A-Z]` is the whole
//! of the upper-case class, `[a-z]` of the lower-case one, `[0-9]` of `\p{N}`, and `\s` (Unicode's
//! White_Space) is exactly `\t \n \x0b \x0c \r` and space — not the separators `\x1c`–`\x1f`.
//! Deciding a piece's end with a table lookup per byte is several times cheaper than a lazy-DFA
//! search, whose per-search setup alone costs more than a short piece; runs of ASCII letters, most
//! of the bytes, are scanned sixteen bytes at a time with SSE2 (see [`Letters`] and [`Scan`]), and
//! so, for cl100k, are runs of Cyrillic letters (U+0400–U+047F) at the start of a word, which the
//! lead bytes of their UTF-8 decide.
//! Before either, the commonest piece of all, a word of ASCII letters with or without the character
//! before it, is decided from one sixteen-byte load and a few operations on bit masks
//! ([`o200k_ascii_word`]).
//!
//! The same functions run over two [`Alphabet`]s. [`Ascii`] knows ASCII only, one byte at a time,
//! and is tried first on every piece. Where it gives up, [`Wide`] tries again knowing every
//! character by the class table of [`super::classes`]: the letters of every script in o200k's two
//! letter classes (capitals and titlecase in the first, small letters in the second, other letters
//! such as ideographs, kana, Arabic, Indic and Hangul letters in both), combining marks (in both
//! letter classes for o200k, yet punctuation for both encodings), and punctuation and symbols,
//! emoji among them. Only whitespace and digits beyond ASCII are left to the regex. Keeping the
//! two apart leaves the ASCII loop exactly as tight as it would be alone, and spares text in every
//! other script the DFA: a DFA search costs twenty times a hand-written one.
//!
//! Sixteen bytes at a time are classified by a [`Scan`]: [`Sse2`] on x86-64, where every processor
//! has SSE2, and [`Portable`], plain code that compilers vectorise as they can, on every other
//! target (and on x86-64 too with the `portable` feature, so that its tests run there). [`Native`]
//! is the one the tokenizer uses; both give the same masks, which a test checks on random text.
//!
//! The functions follow the patterns' alternatives in their leftmost-first order, with the
//! backtracking each one implies worked out by hand (the comments at each step say which). They
//! read only the characters the regex would need to decide, and give up — returning `None`, so
//! that the regex decides — as soon as one of those is a character the alphabet does not know: it
//! may be a letter, a mark, a digit, a space, or (for `'s`) the long s that folds to `s`. A `None`
//! is therefore never wrong, only slower, and a `Some` is the regex's answer; the differential
//! tests in `split.rs` check that at every offset of random strings dense in the awkward
//! characters.

use super::classes::{
    BLANK, CLASSES, DIGIT, END, IDEOGRAPH, LOWER, MARK, NEWLINE, OTHER, SPACE, UNKNOWN, UPPER,
};

/// The classes of single bytes: ASCII characters, and [`UNKNOWN`] for every byte of a multi-byte
/// character.
static CLASS: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'A'..=b'Z' => UPPER,
            b'a'..=b'z' => LOWER,
            b'0'..=b'9' => DIGIT,
            b'\r' | b'\n' => NEWLINE,
            b' ' => SPACE,
            b'\t' | 0x0b | 0x0c => BLANK,
            0x80..=0xff => UNKNOWN,
            _ => OTHER,
        };
        b += 1;
    }
    table
}

/// The characters a splitter knows: the class of the character at a byte offset, and its length.
pub(crate) trait Alphabet {
    /// Whether [`IDEOGRAPH`] can occur, which the word functions handle apart.
    const IDEOGRAPHS: bool;

    /// The class of the character at `i` and its length in bytes (1 for [`UNKNOWN`] and [`END`]).
    fn class_at(bytes: &[u8], i: usize) -> (u8, usize);
}

/// ASCII only, byte by byte.
pub(crate) struct Ascii;

impl Alphabet for Ascii {
    const IDEOGRAPHS: bool = false;

    #[inline(always)]
    fn class_at(bytes: &[u8], i: usize) -> (u8, usize) {
        (bytes.get(i).map_or(END, |&b| CLASS[usize::from(b)]), 1)
    }
}

/// Every character but whitespace and digits beyond ASCII, by the class table of
/// [`super::classes`]. With `MARKS` (o200k) a combining mark is [`MARK`]; without (cl100k), where
/// the patterns never treat marks as letters, it is [`OTHER`].
pub(crate) struct Wide<const MARKS: bool>;

impl<const MARKS: bool> Alphabet for Wide<MARKS> {
    const IDEOGRAPHS: bool = true;

    #[inline(always)]
    fn class_at(bytes: &[u8], i: usize) -> (u8, usize) {
        let Some(&lead) = bytes.get(i) else { return (END, 1) };
        if lead.is_ascii() {
            return (CLASS[usize::from(lead)], 1);
        }
        // The text is UTF-8 (the pretokenizer takes `&str`), so the lead byte says how long the
        // character is and its continuation bytes are there; on bytes that are not UTF-8 `get`
        // keeps this from panicking or reading past the end, and a cut character or a lead byte
        // no UTF-8 has is unknown (other malformed sequences get some class, never a panic).
        // One branch on the lead byte, a few operations to decode and one load from the table of
        // the Basic Multilingual Plane class every character of two or three bytes (Cyrillic,
        // Greek, Arabic, Hebrew, the Indic scripts, CJK, Hangul): a chain of tests for the
        // commonest blocks before a two-level lookup cost three times the instructions per
        // character on Arabic and Indic text.
        let (class, len) = match lead {
            0xc2..=0xdf => match bytes.get(i + 1) {
                Some(&b1) => (CLASSES.of_bmp((u32::from(lead & 0x1f) << 6) | u32::from(b1 & 0x3f)), 2),
                None => return (UNKNOWN, 1),
            },
            0xe0..=0xef => match bytes.get(i + 1..i + 3) {
                Some(&[b1, b2]) => {
                    let cp =
                        (u32::from(lead & 0x0f) << 12) | (u32::from(b1 & 0x3f) << 6) | u32::from(b2 & 0x3f);
                    (CLASSES.of_bmp(cp), 3)
                }
                _ => return (UNKNOWN, 1),
            },
            0xf0..=0xf4 => match bytes.get(i + 1..i + 4) {
                // Emoji and the symbols around them, U+1F000–U+1F0FF and U+1F140–U+1FAFF (not
                // U+1F100–U+1F13F, which holds digits), without decoding: most characters of four
                // bytes in chat data. The table gives the same class, a little later.
                Some(&[0x9f, 0x80..=0x83 | 0x85..=0xab, _]) if lead == 0xf0 => (OTHER, 4),
                Some(&[b1, b2, b3]) => {
                    let cp = (u32::from(lead & 0x07) << 18)
                        | (u32::from(b1 & 0x3f) << 12)
                        | (u32::from(b2 & 0x3f) << 6)
                        | u32::from(b3 & 0x3f);
                    (CLASSES.of(cp), 4)
                }
                _ => return (UNKNOWN, 1),
            },
            _ => return (UNKNOWN, 1),
        };
        match class {
            UNKNOWN => (UNKNOWN, 1),
            MARK if !MARKS => (OTHER, len),
            class => (class, len),
        }
    }
}

/// o200k's alphabet beyond ASCII.
pub(crate) type WideO200k = Wide<true>;
/// cl100k's alphabet beyond ASCII.
pub(crate) type WideCl100k = Wide<false>;

#[inline(always)]
fn class<A: Alphabet>(bytes: &[u8], i: usize) -> u8 {
    A::class_at(bytes, i).0
}

/// The first index from `i` whose class is not `a` or `b`.
#[inline(always)]
fn skip<A: Alphabet>(bytes: &[u8], mut i: usize, a: u8, b: u8) -> usize {
    loop {
        let (c, len) = A::class_at(bytes, i);
        if c != a && c != b {
            return i;
        }
        i += len;
    }
}

/// A run of ASCII letters: the bytes `b` with `(b | fold) - first < count`, in wrapping
/// arithmetic. `fold` 0x20 maps the capitals onto the small letters, and no other byte onto them.
#[derive(Clone, Copy)]
pub(crate) struct Letters {
    fold: u8,
    first: u8,
    count: u8,
}

pub(crate) const ASCII_UPPER: Letters = Letters { fold: 0, first: b'A', count: 26 };
pub(crate) const ASCII_LOWER: Letters = Letters { fold: 0, first: b'a', count: 26 };
pub(crate) const ASCII_LETTER: Letters = Letters { fold: 0x20, first: b'a', count: 26 };
const ASCII_DIGIT: Letters = Letters { fold: 0, first: b'0', count: 10 };

impl Letters {
    #[inline(always)]
    fn contains(self, b: u8) -> bool {
        (b | self.fold).wrapping_sub(self.first) < self.count
    }

    /// The first index from `i` whose byte is not in the run.
    ///
    /// Words are most of the text, and a byte-at-a-time loop pays a table lookup, a bounds check
    /// and a branch that the end of every word mispredicts. Sixteen bytes at a time it is a few
    /// vector instructions and a mask whose trailing zeros are the run's length. The last bytes of
    /// the text, where sixteen are not there to read, go one at a time.
    #[inline(always)]
    pub(crate) fn run_end<S: Scan>(self, bytes: &[u8], mut i: usize) -> usize {
        while let Some(chunk) = bytes.get(i..i + 16).and_then(|c| <&[u8; 16]>::try_from(c).ok()) {
            let outside = S::outside(self, chunk);
            if outside != 0 {
                return i + outside.trailing_zeros() as usize;
            }
            i += 16;
        }
        while bytes.get(i).is_some_and(|&b| self.contains(b)) {
            i += 1;
        }
        i
    }

    /// All ones in the bytes of `v` that are in the run, zeros elsewhere.
    #[cfg(target_arch = "x86_64")]
    #[cfg_attr(feature = "portable", allow(dead_code))]
    #[inline(always)]
    fn inside(self, v: std::arch::x86_64::__m128i) -> std::arch::x86_64::__m128i {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_min_epu8, _mm_or_si128, _mm_set1_epi8, _mm_sub_epi8};
        // SAFETY: SSE2 is part of every x86-64 processor, so its intrinsics can always run; they
        // work on registers only.
        unsafe {
            let shifted = _mm_sub_epi8(
                _mm_or_si128(v, _mm_set1_epi8(self.fold as i8)),
                _mm_set1_epi8(self.first as i8),
            );
            // Unsigned `x < count` is `min(x, count - 1) == x`: SSE2 has no unsigned byte compare.
            _mm_cmpeq_epi8(_mm_min_epu8(shifted, _mm_set1_epi8((self.count - 1) as i8)), shifted)
        }
    }
}

/// How sixteen bytes are classified at once, for the runs of letters and the word shortcut.
pub(crate) trait Scan {
    /// Bit `j` set where `chunk[j]` is not in `run`.
    fn outside(run: Letters, chunk: &[u8; 16]) -> u32;

    /// The classes [`o200k_ascii_word`] and [`cl100k_ascii_word`] need of `chunk`.
    fn word_masks(chunk: &[u8; 16]) -> WordMasks;

    /// Bit `j` set where `chunk[j]` is `a` or `b`.
    fn either(chunk: &[u8; 16], a: u8, b: u8) -> u32;
}

/// SSE2's byte compares and `movemask`: a few instructions per sixteen bytes.
#[cfg(target_arch = "x86_64")]
// With the `portable` feature only the tests use it, to compare the two.
#[cfg_attr(feature = "portable", allow(dead_code))]
pub(crate) struct Sse2;

#[cfg(target_arch = "x86_64")]
impl Scan for Sse2 {
    #[inline(always)]
    fn outside(run: Letters, chunk: &[u8; 16]) -> u32 {
        use std::arch::x86_64::{_mm_loadu_si128, _mm_movemask_epi8};
        // SAFETY: SSE2 is part of every x86-64 processor, so its intrinsics can always run; `chunk`
        // is sixteen readable bytes, and the load has no alignment requirement.
        let inside = unsafe { _mm_movemask_epi8(run.inside(_mm_loadu_si128(chunk.as_ptr().cast()))) };
        !(inside as u32) & 0xffff
    }

    #[inline(always)]
    fn word_masks(chunk: &[u8; 16]) -> WordMasks {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of every x86-64 processor, so its intrinsics can always run; `chunk`
        // is sixteen readable bytes, and the load has no alignment requirement.
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            let mask = |m: __m128i| _mm_movemask_epi8(m) as u32;
            let byte = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            // A byte that is not ASCII has its top bit set, which is what the mask takes.
            let end_stop = _mm_or_si128(v, byte(b'\''));
            let stop = _mm_or_si128(
                end_stop,
                _mm_or_si128(ASCII_DIGIT.inside(v), _mm_or_si128(byte(b'\n'), byte(b'\r'))),
            );
            WordMasks {
                upper: mask(ASCII_UPPER.inside(v)),
                lower: mask(ASCII_LOWER.inside(v)),
                stop: mask(stop),
                end_stop: mask(end_stop),
            }
        }
    }

    #[inline(always)]
    fn either(chunk: &[u8; 16], a: u8, b: u8) -> u32 {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of every x86-64 processor, so its intrinsics can always run; `chunk`
        // is sixteen readable bytes, and the load has no alignment requirement.
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            let equal = |x: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(x as i8));
            _mm_movemask_epi8(_mm_or_si128(equal(a), equal(b))) as u32
        }
    }
}

/// Byte by byte, with no instruction set assumed: for targets without SSE2, and for testing that
/// path on x86-64 (the `portable` feature).
// Compiled on x86-64 too, where only the tests use it, so that it never goes unchecked.
#[cfg_attr(all(target_arch = "x86_64", not(feature = "portable")), allow(dead_code))]
pub(crate) struct Portable;

#[cfg_attr(all(target_arch = "x86_64", not(feature = "portable")), allow(dead_code))]
impl Portable {
    /// Bit `j` set where `chunk[j]` satisfies `yes`.
    #[inline(always)]
    fn bits(chunk: &[u8; 16], yes: impl Fn(u8) -> bool) -> u32 {
        chunk.iter().enumerate().fold(0, |mask, (j, &b)| mask | u32::from(yes(b)) << j)
    }
}

impl Scan for Portable {
    #[inline(always)]
    fn outside(run: Letters, chunk: &[u8; 16]) -> u32 {
        Portable::bits(chunk, |b| !run.contains(b))
    }

    #[inline(always)]
    fn word_masks(chunk: &[u8; 16]) -> WordMasks {
        WordMasks {
            upper: Portable::bits(chunk, |b| ASCII_UPPER.contains(b)),
            lower: Portable::bits(chunk, |b| ASCII_LOWER.contains(b)),
            stop: Portable::bits(chunk, |b| {
                !b.is_ascii() || b == b'\'' || ASCII_DIGIT.contains(b) || b == b'\n' || b == b'\r'
            }),
            end_stop: Portable::bits(chunk, |b| !b.is_ascii() || b == b'\''),
        }
    }

    #[inline(always)]
    fn either(chunk: &[u8; 16], a: u8, b: u8) -> u32 {
        Portable::bits(chunk, |x| x == a || x == b)
    }
}

/// The scan the tokenizer uses on this target.
#[cfg(all(target_arch = "x86_64", not(feature = "portable")))]
pub(crate) type Native = Sse2;
/// The scan the tokenizer uses on this target.
#[cfg(any(not(target_arch = "x86_64"), feature = "portable"))]
pub(crate) type Native = Portable;

/// The first index from `i` whose class is not a letter (upper, lower or ideograph). Runs of ASCII
/// letters are jumped over sixteen bytes at a time: an accented word is mostly ASCII letters. So
/// are runs of Cyrillic letters at the start of a word ([`cyrillic_run_end`]).
#[inline(always)]
fn skip_letters<A: Alphabet, S: Scan>(bytes: &[u8], mut i: usize) -> usize {
    // A word that starts with a Cyrillic letter is most often Cyrillic to its end. Asked once a
    // word, the question costs the other scripts under 1% of their instructions; asked at every
    // letter, 2-4%. (The run is letters of any case, as this function's are: only cl100k, whose
    // words do not split by case, calls it.)
    if bytes.get(i).copied().is_some_and(is_cyrillic_lead) {
        i = cyrillic_run_end::<S>(bytes, i);
    }
    loop {
        match A::class_at(bytes, i) {
            (UPPER | LOWER, 1) => i = ASCII_LETTER.run_end::<S>(bytes, i),
            (UPPER | LOWER | IDEOGRAPH, len) => i += len,
            _ => return i,
        }
    }
}

/// Whether `b` leads the UTF-8 of a character of U+0400–U+047F (`D0 xx` or `D1 xx`).
#[inline(always)]
fn is_cyrillic_lead(b: u8) -> bool {
    matches!(b, 0xd0 | 0xd1)
}

/// The first index from `i` that does not start a character of U+0400–U+047F, whose UTF-8 is
/// `D0 xx` or `D1 xx`: the Cyrillic letters of Russian, Belarusian, Bulgarian, Serbian, Macedonian
/// and Ukrainian (but for ґ, U+0491) words and the historic ones after them, every one of them a
/// letter. The lead bytes alone decide, as the text is UTF-8; sixteen bytes at a time they take a
/// compare or two and a mask, where decoding each character and looking up its class took about
/// fifteen instructions a character.
#[inline(always)]
fn cyrillic_run_end<S: Scan>(bytes: &[u8], mut i: usize) -> usize {
    // The run's first character is one of them, so the run is never empty: the caller moves on.
    debug_assert!(is_cyrillic_lead(bytes[i]));
    while let Some(chunk) = bytes.get(i..i + 16).and_then(|c| <&[u8; 16]>::try_from(c).ok()) {
        // The lead bytes of the run are at even offsets; the odd ones, their continuation bytes,
        // count as set, so the trailing ones are the run's whole characters (an even number).
        let run = (S::either(chunk, 0xd0, 0xd1) | 0xaaaa).trailing_ones() as usize;
        i += run;
        if run < 16 {
            return i;
        }
    }
    while matches!(bytes.get(i..i + 2), Some(&[lead, _]) if is_cyrillic_lead(lead)) {
        i += 2;
    }
    i
}

/// The first index from `i` whose class is not a small letter or an ideograph, jumping over runs of
/// ASCII small letters as [`skip_letters`] does.
#[inline(always)]
fn skip_small_letters<A: Alphabet, S: Scan>(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match A::class_at(bytes, i) {
            (LOWER, 1) => i = ASCII_LOWER.run_end::<S>(bytes, i),
            (LOWER | IDEOGRAPH | MARK, len) => i += len,
            _ => return i,
        }
    }
}

/// The end of the o200k_base piece starting at `start`, or `None` if the regex must decide.
#[inline(always)]
pub(crate) fn o200k_next_end<A: Alphabet, S: Scan>(bytes: &[u8], start: usize) -> Option<usize> {
    let (c, len) = A::class_at(bytes, start);
    match c {
        // A mark may also be the optional character before a word, but taken as one it leaves a
        // word that ends where the one it starts would end (it is in both letter classes).
        UPPER | LOWER | IDEOGRAPH | MARK => o200k_word::<A, S>(bytes, start),
        DIGIT => digits::<A>(bytes, start),
        SPACE | BLANK | OTHER => {
            // `[^\r\n\p{L}\p{N}]?` takes this character if a word follows, in either word pattern.
            match class::<A>(bytes, start + len) {
                UPPER | LOWER | IDEOGRAPH | MARK => o200k_word::<A, S>(bytes, start + len),
                UNKNOWN => None,
                // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`: a punctuation run, after at most one space.
                OTHER if c == SPACE => punctuation::<A>(bytes, start + 1, true),
                _ if c == OTHER => punctuation::<A>(bytes, start, true),
                _ => whitespace::<A>(bytes, start),
            }
        }
        NEWLINE => whitespace::<A>(bytes, start),
        _ => None,
    }
}

/// The classes a word piece needs of the sixteen bytes at `start`, one bit per byte.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct WordMasks {
    upper: u32,
    lower: u32,
    /// Characters that cannot start the shortcut's word or the character before it: any that is
    /// not ASCII (it may be a letter or a mark), the apostrophe (a contraction), digits and
    /// newlines (which `[^\r\n\p{L}\p{N}]?` does not take).
    stop: u32,
    /// Characters after a word that may change where it ends: any that is not ASCII, and the
    /// apostrophe (o200k's contractions). A digit or a newline after a word ends it as any other
    /// ASCII character does.
    end_stop: u32,
}

impl WordMasks {
    /// The masks, or `None` if the text has no sixteen bytes at `start`.
    #[inline(always)]
    fn at<S: Scan>(bytes: &[u8], start: usize) -> Option<WordMasks> {
        let chunk: &[u8; 16] = bytes.get(start..start + 16)?.try_into().ok()?;
        Some(S::word_masks(chunk))
    }

    /// Where the word starts: at the first byte if it is a letter, at the second after a character
    /// `[^\r\n\p{L}\p{N}]?` takes (an ASCII one that is not a stop); `None` if neither.
    #[inline(always)]
    fn word_start(&self) -> Option<usize> {
        let letters = self.upper | self.lower;
        if letters & 1 != 0 {
            Some(0)
        } else if self.stop & 1 == 0 && letters & 2 != 0 {
            Some(1)
        } else {
            None
        }
    }

    /// `start + end` if the word ends at `end` within the sixteen bytes, before a character that
    /// cannot change where it ends.
    #[inline(always)]
    fn ended(&self, start: usize, end: usize) -> Option<usize> {
        (end < 16 && (self.end_stop >> end) & 1 == 0).then_some(start + end)
    }
}

/// Word pieces of ASCII letters, the commonest pieces by far, decided from the sixteen bytes at
/// `start` at once; `None` for any other piece, or one that might not end within them, which
/// [`o200k_next_end`] and [`cl100k_next_end`] then decide.
///
/// The byte-at-a-time splitters look a word's end up in several steps that each wait for the one
/// before: the class of the first byte, of the next, a scan of the capitals, the class where they
/// end, a scan of the small letters, the class where those end. Every piece starts where the last
/// one ended, so those waits add up along the text. Here one load gives every class at once, and
/// the rest is arithmetic on bit masks.
#[inline(always)]
pub(crate) fn o200k_ascii_word<S: Scan>(bytes: &[u8], start: usize) -> Option<usize> {
    let masks = WordMasks::at::<S>(bytes, start)?;
    let first = masks.word_start()?;
    // `[Upper]*[Lower]+` or `[Upper]+[Lower]*`: the capitals, then the small letters after them.
    let capitals_end = first + (!masks.upper >> first).trailing_zeros() as usize;
    let end = capitals_end + (!masks.lower >> capitals_end).trailing_zeros() as usize;
    masks.ended(start, end)
}

/// [`o200k_ascii_word`] for cl100k_base's `[^\r\n\p{L}\p{N}]?\p{L}+`. An apostrophe first is left
/// to [`cl100k_next_end`], since a contraction comes before the word pattern.
#[inline(always)]
pub(crate) fn cl100k_ascii_word<S: Scan>(bytes: &[u8], start: usize) -> Option<usize> {
    let masks = WordMasks::at::<S>(bytes, start)?;
    let first = masks.word_start()?;
    let end = first + (!(masks.upper | masks.lower) >> first).trailing_zeros() as usize;
    masks.ended(start, end)
}

/// The end of the cl100k_base piece starting at `start`, or `None` if the regex must decide.
#[inline(always)]
pub(crate) fn cl100k_next_end<A: Alphabet, S: Scan>(bytes: &[u8], start: usize) -> Option<usize> {
    let (c, len) = A::class_at(bytes, start);
    match c {
        UPPER | LOWER | IDEOGRAPH => letters::<A, S>(bytes, start),
        DIGIT => digits::<A>(bytes, start),
        SPACE | BLANK | OTHER => {
            // `(?i:'s|'t|'re|'ve|'m|'ll|'d)` comes first and stands alone.
            if bytes[start] == b'\'' {
                let end = contraction(bytes, start)?;
                if end > start {
                    return Some(end);
                }
            }
            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            match class::<A>(bytes, start + len) {
                UPPER | LOWER | IDEOGRAPH => letters::<A, S>(bytes, start + len),
                UNKNOWN => None,
                // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
                OTHER if c == SPACE => punctuation::<A>(bytes, start + 1, false),
                _ if c == OTHER => punctuation::<A>(bytes, start, false),
                _ => whitespace::<A>(bytes, start),
            }
        }
        NEWLINE => whitespace::<A>(bytes, start),
        _ => None,
    }
}

/// o200k's two word patterns from the first letter at `i`, past any optional character before it:
/// `[Upper]*[Lower]+'x?` first, else `[Upper]+[Lower]*'x?`.
///
/// Without ideographs, the first matches whenever the run of capitals (possibly empty) is
/// followed by a small letter, and then takes the small letters after it; otherwise the run of
/// capitals is the whole word. Backtracking cannot help either: a capital given back is never a
/// small letter.
///
/// Ideographs are in both classes. The greedy `[Upper]*` takes the whole run of capitals and
/// ideographs, then backs off until `[Lower]+` can start: at the end of the run if a small letter
/// follows it, else at the run's last ideograph; `[Lower]+` then takes the small letters and
/// ideographs from there. With neither, the run is all capitals, and the second pattern takes
/// exactly the run, as no small letter or ideograph follows it.
#[inline(always)]
fn o200k_word<A: Alphabet, S: Scan>(bytes: &[u8], i: usize) -> Option<usize> {
    let end = if A::IDEOGRAPHS {
        let mut run_end = i;
        let mut last_ideograph = None;
        let after_run = loop {
            match A::class_at(bytes, run_end) {
                (UPPER, len) => run_end += len,
                (IDEOGRAPH | MARK, len) => {
                    last_ideograph = Some(run_end);
                    run_end += len;
                }
                (c, _) => break c,
            }
        };
        let lower_start = match after_run {
            // Letters of other scripts, marks and modifier letters may continue either run.
            UNKNOWN => return None,
            LOWER => Some(run_end),
            _ => last_ideograph,
        };
        lower_start.map_or(run_end, |start| skip_small_letters::<A, S>(bytes, start))
    } else {
        // Without ideographs the alphabet is ASCII, whose letters are two ranges.
        let end = ASCII_UPPER.run_end::<S>(bytes, i);
        match class::<A>(bytes, end) {
            LOWER => ASCII_LOWER.run_end::<S>(bytes, end),
            UNKNOWN => return None,
            _ => end,
        }
    };
    if class::<A>(bytes, end) == UNKNOWN {
        return None;
    }
    contraction(bytes, end)
}

/// cl100k's `\p{L}+` from `i`.
#[inline(always)]
fn letters<A: Alphabet, S: Scan>(bytes: &[u8], i: usize) -> Option<usize> {
    let end =
        if A::IDEOGRAPHS { skip_letters::<A, S>(bytes, i) } else { ASCII_LETTER.run_end::<S>(bytes, i) };
    (class::<A>(bytes, end) != UNKNOWN).then_some(end)
}

/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)?` at `i`: the end of the contraction, `i` if there is none, or
/// `None` when a non-ASCII character would decide (`ſ`, the long s, folds to `s`).
#[inline(always)]
fn contraction(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'\'') {
        return Some(i);
    }
    let Some(&first) = bytes.get(i + 1) else { return Some(i) };
    if !first.is_ascii() {
        return None;
    }
    let second = match first.to_ascii_lowercase() {
        b's' | b't' | b'm' | b'd' => return Some(i + 2),
        b'r' | b'v' => b'e',
        b'l' => b'l',
        _ => return Some(i),
    };
    match bytes.get(i + 2) {
        Some(&b) if !b.is_ascii() => None,
        Some(&b) if b.to_ascii_lowercase() == second => Some(i + 3),
        _ => Some(i),
    }
}

/// `\p{N}{1,3}` from the digit at `i`. An unknown character among the first three could be a digit.
#[inline(always)]
fn digits<A: Alphabet>(bytes: &[u8], i: usize) -> Option<usize> {
    let mut end = i + 1;
    while end < i + 3 {
        match class::<A>(bytes, end) {
            DIGIT => end += 1,
            UNKNOWN => return None,
            _ => break,
        }
    }
    Some(end)
}

/// `[^\s\p{L}\p{N}]+[\r\n]*` (with `slash`, o200k's `[\r\n/]*`) from the punctuation at `i`. The
/// run is greedy and nothing follows it in the pattern, so no backtracking happens. An unknown
/// character may continue the punctuation run, but cannot be in the newline suffix.
#[inline(always)]
fn punctuation<A: Alphabet>(bytes: &[u8], i: usize, slash: bool) -> Option<usize> {
    // Marks are punctuation here: `[^\s\p{L}\p{N}]` takes them.
    let mut end = skip::<A>(bytes, i, OTHER, MARK);
    if class::<A>(bytes, end) == UNKNOWN {
        return None;
    }
    while let Some(&b) = bytes.get(end) {
        if b == b'\r' || b == b'\n' || (slash && b == b'/') {
            end += 1;
        } else {
            break;
        }
    }
    Some(end)
}

/// The three whitespace patterns, once no word or punctuation pattern took the whitespace at
/// `start`. The whole run of whitespace must be known, so an unknown character after it (possibly
/// more whitespace, such as U+00A0 or U+3000) leaves the decision to the regex.
///
/// - `\s*[\r\n]+`: if the run holds a newline, the greedy `\s*` backs off from the end of the run
///   until a newline can follow it, which is at the run's last newline; `[\r\n]+` takes that
///   newline only, since no newline follows it within the run. The piece ends after the last
///   newline.
/// - `\s+(?!\S)`: without a newline, the run is the piece at the end of the text; before anything
///   else `\s+` backs off by one character, leaving the last space to the next piece, which
///   needs at least two spaces.
/// - `\s+`: a single space before anything else is a piece of its own.
#[inline(always)]
fn whitespace<A: Alphabet>(bytes: &[u8], start: usize) -> Option<usize> {
    let mut end = start;
    let mut after_newline = None;
    loop {
        // Every whitespace character known here is one byte long.
        match class::<A>(bytes, end) {
            NEWLINE => after_newline = Some(end + 1),
            SPACE | BLANK => {}
            UNKNOWN => return None,
            _ => break,
        }
        end += 1;
    }
    if let Some(after) = after_newline {
        return Some(after);
    }
    if end == bytes.len() || end - start == 1 {
        Some(end)
    } else {
        Some(end - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the split patterns make of a character, by the regex crate's own Unicode tables, with
    /// marks as o200k sees them (`marks`) or as cl100k does.
    fn regex_class(c: char, marks: bool) -> u8 {
        use regex_automata::meta::Regex;
        use std::sync::LazyLock;
        static CLASSES: LazyLock<[(u8, Regex); 5]> = LazyLock::new(|| {
            [
                // o200k's first letter class only.
                (UPPER, r"^[\p{Lu}\p{Lt}]$"),
                // o200k's second letter class only.
                (LOWER, r"^\p{Ll}$"),
                // Both of o200k's letter classes, and cl100k's `\p{L}`.
                (IDEOGRAPH, r"^[\p{Lo}\p{Lm}]$"),
                // Both of o200k's letter classes, and `[^\s\p{L}\p{N}]`.
                (MARK, r"^\p{M}$"),
                // `[^\s\p{L}\p{N}]`, and not a mark.
                (OTHER, r"^[^\s\p{L}\p{N}\p{M}]$"),
            ]
            .map(|(class, pattern)| (class, Regex::new(pattern).unwrap()))
        });
        let text = c.to_string();
        let class =
            CLASSES.iter().find(|(_, regex)| regex.is_match(&text)).map_or(UNKNOWN, |(class, _)| *class);
        if class == MARK && !marks {
            OTHER
        } else {
            class
        }
    }

    #[test]
    fn wide_classes_every_character_as_the_regex_does() {
        // Every character that is not ASCII, for both alphabets: the table must agree with the
        // tables the DFA is built from, and leave to the regex only whitespace and digits.
        let mut known = 0;
        for c in ('\u{80}'..=char::MAX).filter(|c| !c.is_ascii()) {
            let text = c.to_string();
            for (class, len, marks) in [
                (WideO200k::class_at(text.as_bytes(), 0), true),
                (WideCl100k::class_at(text.as_bytes(), 0), false),
            ]
            .map(|((class, len), marks)| (class, len, marks))
            {
                let expected = regex_class(c, marks);
                assert_eq!(class, expected, "{c:?} U+{:04X}", u32::from(c));
                // With text after it, which a character near the end of a text does not have.
                let followed = format!("{c}a\u{4e00}");
                let class_followed = if marks {
                    WideO200k::class_at(followed.as_bytes(), 0).0
                } else {
                    WideCl100k::class_at(followed.as_bytes(), 0).0
                };
                assert_eq!(class_followed, expected, "{c:?} U+{:04X} followed", u32::from(c));
                if class != UNKNOWN {
                    known += 1;
                    assert_eq!(len, text.len(), "{c:?} U+{:04X}", u32::from(c));
                }
            }
        }
        // All but whitespace and the digits and numbers of other scripts (about 1,900).
        assert!(known > 2 * 1_100_000, "{known}");
        assert!(CLASSES.size_in_bytes() < 200_000, "{}", CLASSES.size_in_bytes());
    }

    #[test]
    fn cyrillic_runs_end_where_their_letters_do() {
        // Every character of the range is a letter by the regex crate's tables, and the one after
        // it (U+0480, a letter starting with the lead byte D2) is outside the range.
        assert!((0x400..=0x47f).filter_map(char::from_u32).all(|c| regex_class(c, false) != OTHER));
        // Runs of every length up to five chunks, ending in each kind of neighbour: the end found
        // sixteen bytes at a time is where the last character of the range is, neither before
        // (which the splitter's own loop would hide) nor after.
        let letters: Vec<char> = (0x400..=0x47f).filter_map(char::from_u32).collect();
        for n in 1..=40 {
            for after in ["", " ", "a", "Ҁ", "҂", "\u{483}", "中", "\u{1f600}"] {
                let run: String = letters.iter().cycle().skip(n * 5).take(n).collect();
                let text = format!("{run}{after}");
                let bytes = text.as_bytes();
                for start in (0..run.len()).step_by(2) {
                    assert_eq!(cyrillic_run_end::<Native>(bytes, start), run.len(), "{text:?} from {start}");
                    assert_eq!(
                        cyrillic_run_end::<Portable>(bytes, start),
                        run.len(),
                        "{text:?} from {start}"
                    );
                }
            }
        }
    }

    #[test]
    fn wide_leaves_bytes_that_are_not_utf8_to_the_regex() {
        // Cut characters, stray continuation bytes and lead bytes no UTF-8 has: unknown, one byte
        // long, and no panic reading past the end.
        for bytes in [
            &[0xd0][..],
            &[0xe0, 0xa4],
            &[0xf0, 0x9f, 0x98],
            &[0x80, b'a'],
            &[0xc0, 0x80],
            &[0xf8, 0x80, 0x80, 0x80, 0x80],
            &[0xff],
            &[0xf4, 0x90, 0x81, 0x81],
            &[0xf7, 0xbf, 0xbf, 0xbf],
        ] {
            assert_eq!(WideO200k::class_at(bytes, 0), (UNKNOWN, 1), "{bytes:x?}");
            assert_eq!(WideCl100k::class_at(bytes, 0), (UNKNOWN, 1), "{bytes:x?}");
        }
        assert_eq!(WideO200k::class_at(b"ab", 2), (END, 1));
    }

    #[test]
    fn the_word_shortcut_ends_words_before_digits_and_newlines() {
        for (text, cl100k, o200k) in [
            ("word1 and some more text", Some(4), Some(4)),
            ("word\nand some more text", Some(4), Some(4)),
            (" Word\r\nand some more text", Some(5), Some(5)),
            // A character beyond ASCII or an apostrophe after the word leaves it to the splitters.
            ("wordé and some more text", None, None),
            ("word's and some more text", None, None),
        ] {
            assert_eq!(cl100k_ascii_word::<Native>(text.as_bytes(), 0), cl100k, "{text:?}");
            assert_eq!(o200k_ascii_word::<Native>(text.as_bytes(), 0), o200k, "{text:?}");
        }
    }

    #[test]
    fn wide_knows_the_classes_of_every_script() {
        for (c, o200k, cl100k) in [
            ('À', UPPER, UPPER),
            ('×', OTHER, OTHER),
            ('ÿ', LOWER, LOWER),
            ('Ж', UPPER, UPPER),
            ('ж', LOWER, LOWER),
            ('ǅ', UPPER, UPPER),
            ('ʰ', IDEOGRAPH, IDEOGRAPH),
            ('ع', IDEOGRAPH, IDEOGRAPH),
            ('न', IDEOGRAPH, IDEOGRAPH),
            ('\u{94d}', MARK, OTHER),
            ('\u{301}', MARK, OTHER),
            ('中', IDEOGRAPH, IDEOGRAPH),
            ('한', IDEOGRAPH, IDEOGRAPH),
            ('。', OTHER, OTHER),
            ('😀', OTHER, OTHER),
            ('\u{fe0f}', MARK, OTHER),
            ('\u{200d}', OTHER, OTHER),
            ('\u{a0}', UNKNOWN, UNKNOWN),
            ('\u{3000}', UNKNOWN, UNKNOWN),
            ('٣', UNKNOWN, UNKNOWN),
            ('²', UNKNOWN, UNKNOWN),
        ] {
            let text = c.to_string();
            let len = if o200k == UNKNOWN { 1 } else { text.len() };
            assert_eq!(WideO200k::class_at(text.as_bytes(), 0), (o200k, len), "{c:?}");
            assert_eq!(WideCl100k::class_at(text.as_bytes(), 0), (cl100k, len), "{c:?}");
            assert_eq!(Ascii::class_at(text.as_bytes(), 0), (UNKNOWN, 1), "{c:?}");
        }
    }
}
