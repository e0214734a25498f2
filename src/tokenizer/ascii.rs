//! A hand-written pretokenizer for ASCII text, tried before the regex on every piece.
//!
//! Most pieces of real datasets are ASCII words, numbers, punctuation and spaces, and for those the
//! split patterns (see [`super::split`]) reduce to a handful of byte classes: `[A-Z]` is the whole
//! of the upper-case class, `[a-z]` of the lower-case one, `[0-9]` of `\p{N}`, and `\s` (Unicode's
//! White_Space) is exactly `\t \n \x0b \x0c \r` and space — not the separators `\x1c`–`\x1f`.
//! Deciding a piece's end with a table lookup per byte is several times cheaper than a lazy-DFA
//! search, whose per-search setup alone costs more than a short piece.
//!
//! The functions here follow the patterns' alternatives in their leftmost-first order, with the
//! backtracking each one implies worked out by hand (the comments at each step say which). They
//! read only the bytes the regex would need to decide, and give up — returning `None`, so that the
//! regex decides — as soon as one of those bytes is not ASCII: a non-ASCII character may be a
//! letter, a digit, a space, or (for `'s`) the long s that folds to `s`. A `None` is therefore
//! never wrong, only slower, and a `Some` is the regex's answer; the differential tests in
//! `split.rs` check that at every offset of random strings dense in the awkward characters.

/// `A`–`Z`: upper case, in o200k's first letter class only.
const UPPER: u8 = 0;
/// `a`–`z`: lower case, in o200k's second letter class only.
const LOWER: u8 = 1;
const DIGIT: u8 = 2;
/// `\r` and `\n`, which the optional character before a word and `\s*[\r\n]+` treat apart.
const NEWLINE: u8 = 3;
/// The space, the only character ` ?` accepts before a punctuation run.
const SPACE: u8 = 4;
/// `\t`, `\x0b` and `\x0c`: whitespace, but neither a newline nor the space.
const BLANK: u8 = 5;
/// Every other ASCII byte: punctuation, symbols and control characters, `[^\s\p{L}\p{N}]`.
const OTHER: u8 = 6;
/// A byte of a multi-byte character: the piece's end is left to the regex.
const NON_ASCII: u8 = 7;
/// Past the end of the text.
const END: u8 = 8;

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
            0x80..=0xff => NON_ASCII,
            _ => OTHER,
        };
        b += 1;
    }
    table
}

#[inline(always)]
fn class(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).map_or(END, |&b| CLASS[usize::from(b)])
}

/// The first index from `i` whose class is not `a` or `b`.
#[inline(always)]
fn skip(bytes: &[u8], mut i: usize, a: u8, b: u8) -> usize {
    while let Some(&byte) = bytes.get(i) {
        let c = CLASS[usize::from(byte)];
        if c != a && c != b {
            break;
        }
        i += 1;
    }
    i
}

/// The end of the o200k_base piece starting at `start`, or `None` if the regex must decide.
#[inline]
pub(crate) fn o200k_next_end(bytes: &[u8], start: usize) -> Option<usize> {
    let c = class(bytes, start);
    match c {
        UPPER | LOWER => o200k_word(bytes, start),
        DIGIT => digits(bytes, start),
        SPACE | BLANK | OTHER => {
            // `[^\r\n\p{L}\p{N}]?` takes this character if a word follows, in either word pattern.
            match class(bytes, start + 1) {
                UPPER | LOWER => o200k_word(bytes, start + 1),
                NON_ASCII => None,
                // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`: a punctuation run, after at most one space.
                OTHER if c == SPACE => punctuation(bytes, start + 1, true),
                _ if c == OTHER => punctuation(bytes, start, true),
                _ => whitespace(bytes, start),
            }
        }
        NEWLINE => whitespace(bytes, start),
        _ => None,
    }
}

/// The end of the cl100k_base piece starting at `start`, or `None` if the regex must decide.
#[inline]
pub(crate) fn cl100k_next_end(bytes: &[u8], start: usize) -> Option<usize> {
    let c = class(bytes, start);
    match c {
        UPPER | LOWER => letters(bytes, start),
        DIGIT => digits(bytes, start),
        SPACE | BLANK | OTHER => {
            // `(?i:'s|'t|'re|'ve|'m|'ll|'d)` comes first and stands alone.
            if bytes[start] == b'\'' {
                let end = contraction(bytes, start)?;
                if end > start {
                    return Some(end);
                }
            }
            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            match class(bytes, start + 1) {
                UPPER | LOWER => letters(bytes, start + 1),
                NON_ASCII => None,
                // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
                OTHER if c == SPACE => punctuation(bytes, start + 1, false),
                _ if c == OTHER => punctuation(bytes, start, false),
                _ => whitespace(bytes, start),
            }
        }
        NEWLINE => whitespace(bytes, start),
        _ => None,
    }
}

/// o200k's two word patterns from the first letter at `i`, past any optional character before it:
/// `[Upper]*[Lower]+'x?` first, else `[Upper]+[Lower]*'x?`. In ASCII the first matches whenever the
/// run of capitals (possibly empty) is followed by a small letter, and then takes the small letters
/// after it; otherwise the run of capitals is the whole word. Backtracking cannot help either: a
/// capital given back is never a small letter.
#[inline(always)]
fn o200k_word(bytes: &[u8], i: usize) -> Option<usize> {
    let mut end = skip(bytes, i, UPPER, UPPER);
    match class(bytes, end) {
        LOWER => end = skip(bytes, end, LOWER, LOWER),
        // Letters of other scripts, marks and modifier letters may continue either run.
        NON_ASCII => return None,
        _ => {}
    }
    if class(bytes, end) == NON_ASCII {
        return None;
    }
    contraction(bytes, end)
}

/// cl100k's `\p{L}+` from `i`.
#[inline(always)]
fn letters(bytes: &[u8], i: usize) -> Option<usize> {
    let end = skip(bytes, i, UPPER, LOWER);
    (class(bytes, end) != NON_ASCII).then_some(end)
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

/// `\p{N}{1,3}` from the digit at `i`. A non-ASCII character among the first three could be a digit.
#[inline(always)]
fn digits(bytes: &[u8], i: usize) -> Option<usize> {
    let mut end = i + 1;
    while end < i + 3 {
        match class(bytes, end) {
            DIGIT => end += 1,
            NON_ASCII => return None,
            _ => break,
        }
    }
    Some(end)
}

/// `[^\s\p{L}\p{N}]+[\r\n]*` (with `slash`, o200k's `[\r\n/]*`) from the punctuation at `i`. The
/// run is greedy and nothing follows it in the pattern, so no backtracking happens. A non-ASCII
/// character may continue the punctuation run, but cannot be in the newline suffix.
#[inline(always)]
fn punctuation(bytes: &[u8], i: usize, slash: bool) -> Option<usize> {
    let mut end = skip(bytes, i, OTHER, OTHER);
    if class(bytes, end) == NON_ASCII {
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
/// `start`. The whole run of whitespace must be known, so a non-ASCII character after it (possibly
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
fn whitespace(bytes: &[u8], start: usize) -> Option<usize> {
    let mut end = start;
    let mut after_newline = None;
    loop {
        match class(bytes, end) {
            NEWLINE => after_newline = Some(end + 1),
            SPACE | BLANK => {}
            NON_ASCII => return None,
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
