//! The split patterns' class of every code point, in a two-level table built from the regex
//! crate's own Unicode tables.
//!
//! The hand-written splitters of [`super::fast`] decide a piece without the regex when they know
//! the class of every character it needs: which of o200k's letter classes a letter is in, whether
//! it is a mark, punctuation or a symbol. Hard-coding a few blocks (Latin-1, CJK, emoji) left every
//! other script — Cyrillic, Greek, Arabic, the Indic scripts, Hangul, kana — to the lazy DFA, whose
//! search setup costs more than a short piece. This table knows every code point, so the DFA is
//! left only the characters that are not worth the splitters' complexity: whitespace and digits
//! outside ASCII.
//!
//! It is built at first use from `regex-syntax`, the crate that compiles the split patterns into
//! the DFA, so the two can never disagree about a character, whatever Unicode version either is on
//! (a test compares them on every code point). Code points go in blocks of 128; blocks of equal
//! content are stored once, so the two-level table is a few tens of kilobytes and its hot part
//! stays in cache. The Basic Multilingual Plane, where the characters of two and three bytes are, is
//! also kept flat (64 KiB), so that those, most of the text beyond ASCII, cost one load: with the
//! two-level lookup and a chain of tests for common blocks in front of it, classing a character
//! was most of the time spent splitting Arabic, Indic and Cyrillic text.

use std::sync::LazyLock;

use regex_syntax::hir::{Class, HirKind};

// The classes, as the hand-written splitters of `super::fast` test them (one byte each, so the
// tables stay small).

/// Capitals and titlecase letters (`A`–`Z`, `À`, `Ж`, `ǅ`): in o200k's first letter class only.
pub(crate) const UPPER: u8 = 0;
/// Small letters (`a`–`z`, `ß`–`ÿ`): in o200k's second letter class only.
pub(crate) const LOWER: u8 = 1;
pub(crate) const DIGIT: u8 = 2;
/// `\r` and `\n`, which the optional character before a word and `\s*[\r\n]+` treat apart.
pub(crate) const NEWLINE: u8 = 3;
/// The space, the only character ` ?` accepts before a punctuation run.
pub(crate) const SPACE: u8 = 4;
/// `\t`, `\x0b` and `\x0c`: whitespace, but neither a newline nor the space.
pub(crate) const BLANK: u8 = 5;
/// Punctuation, symbols and control characters, `[^\s\p{L}\p{N}]`.
pub(crate) const OTHER: u8 = 6;
/// A character the alphabet does not know: the piece's end is left to the regex.
pub(crate) const UNKNOWN: u8 = 7;
/// Past the end of the text.
pub(crate) const END: u8 = 8;
/// A letter in both of o200k's letter classes (categories Lo and Lm: ideographs, kana, Hangul, Arabic
/// and Indic letters, modifier letters).
pub(crate) const IDEOGRAPH: u8 = 9;
/// A combining mark (`\p{M}`): in both of o200k's letter classes, but not a letter (`\p{L}`), so
/// also in the punctuation pattern's `[^\s\p{L}\p{N}]`. Only o200k's alphabet gives it; cl100k's,
/// where marks are punctuation alone, gives [`OTHER`].
pub(crate) const MARK: u8 = 10;

const BLOCK_BITS: u32 = 7;
const BLOCK: usize = 1 << BLOCK_BITS;
const CODE_POINTS: usize = 0x11_0000;

/// The class of every code point: `blocks[index[cp >> 7] * 128 + (cp & 127)]`, and of those of
/// the Basic Multilingual Plane, which every script but emoji and rare ones is in, also directly
/// in `bmp[cp]`: one load instead of two dependent ones for almost every character beyond ASCII.
pub(crate) struct CodePointClasses {
    index: Box<[u16]>,
    blocks: Box<[u8]>,
    /// 64 KiB, of which the blocks of one script's text are a few hundred bytes.
    bmp: Box<[u8; BMP]>,
}

/// Code points in the Basic Multilingual Plane, U+0000 to U+FFFF.
const BMP: usize = 0x1_0000;

/// The table, built on first use (a few milliseconds).
pub(crate) static CLASSES: LazyLock<CodePointClasses> = LazyLock::new(CodePointClasses::build);

/// The code point ranges of a Unicode class written as a regex, by `regex-syntax`.
fn ranges(pattern: &str) -> Vec<(u32, u32)> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .unwrap_or_else(|e| panic!("the class {pattern} failed to parse: {e}"));
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            class.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end()))).collect()
        }
        _ => panic!("{pattern} is not a Unicode class"),
    }
}

impl CodePointClasses {
    fn build() -> CodePointClasses {
        let mut dense = vec![OTHER; CODE_POINTS];
        // The categories are disjoint, and White_Space holds none of them, so the order is free.
        for (class, pattern) in [
            // o200k's first letter class only.
            (UPPER, r"[\p{Lu}\p{Lt}]"),
            // o200k's second letter class only.
            (LOWER, r"\p{Ll}"),
            // Both of o200k's letter classes, and letters for cl100k.
            (IDEOGRAPH, r"[\p{Lm}\p{Lo}]"),
            // Both of o200k's letter classes, but not `\p{L}`: punctuation for cl100k, and for
            // o200k's punctuation pattern.
            (MARK, r"\p{M}"),
            // Whitespace and digits beyond ASCII are left to the regex.
            (UNKNOWN, r"\s"),
            (UNKNOWN, r"\p{N}"),
        ] {
            for (start, end) in ranges(pattern) {
                dense[start as usize..=end as usize].fill(class);
            }
        }
        let mut index = Vec::with_capacity(CODE_POINTS / BLOCK);
        let mut blocks: Vec<u8> = Vec::new();
        let mut seen = std::collections::HashMap::new();
        for block in dense.chunks(BLOCK) {
            let at = *seen.entry(block).or_insert_with(|| {
                blocks.extend_from_slice(block);
                blocks.len() / BLOCK - 1
            });
            // Fewer than 8,704 distinct blocks can exist, so the position fits.
            index.push(at as u16);
        }
        let bmp = dense[..BMP].to_vec().into_boxed_slice().try_into().expect("the first 64 Ki code points");
        CodePointClasses { index: index.into_boxed_slice(), blocks: blocks.into_boxed_slice(), bmp }
    }

    /// The class of the code point `cp` (at most U+10FFFF).
    #[inline(always)]
    pub(crate) fn of(&self, cp: u32) -> u8 {
        // Beyond U+10FFFF (from bytes that are not UTF-8) there is no block: unknown.
        let Some(&block) = self.index.get((cp >> BLOCK_BITS) as usize) else { return UNKNOWN };
        self.blocks.get(usize::from(block) * BLOCK + (cp as usize & (BLOCK - 1))).copied().unwrap_or(UNKNOWN)
    }

    /// The class of `cp`, which a character of at most three bytes in UTF-8 has (below U+10000);
    /// any larger value (from bytes that are not UTF-8) is [`UNKNOWN`].
    #[inline(always)]
    pub(crate) fn of_bmp(&self, cp: u32) -> u8 {
        self.bmp.get(cp as usize).copied().unwrap_or(UNKNOWN)
    }

    /// The size of the two-level table, which holds every code point.
    #[cfg(test)]
    pub(crate) fn size_in_bytes(&self) -> usize {
        self.index.len() * 2 + self.blocks.len()
    }
}
