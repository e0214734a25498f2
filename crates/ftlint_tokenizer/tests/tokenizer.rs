//! The token counter against tiktoken-rs, the reference: on a fixed seeded corpus of many scripts
//! and awkward characters, on generated strings, and across threads. Every count must match.

use ftlint_tokenizer::{Encoding, LongPieces, Tokenizer};
use proptest::prelude::*;
use rayon::prelude::*;
use tiktoken_rs::CoreBPE;

fn reference(encoding: Encoding) -> &'static CoreBPE {
    match encoding {
        Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
        Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
    }
}

/// Building blocks for the corpus: the scripts and characters where split rules and vocabularies
/// disagree most easily.
const FRAGMENTS: &[&str] = &[
    // English, Swedish, and case changes that o200k splits on.
    "the",
    "The",
    "THE",
    "hello",
    "world",
    "iPhone",
    "McDonald",
    "camelCaseWord",
    "XMLHttpRequest",
    "smörgåsbord",
    "Ångström",
    "ÄLG",
    "över",
    "fjärran",
    "naïve",
    "café",
    "Straße",
    "STRASSE",
    // Contractions in every case, attached and alone.
    "'s",
    "'S",
    "'t",
    "'T",
    "'re",
    "'RE",
    "'Re",
    "'ve",
    "'m",
    "'M",
    "'ll",
    "'LL",
    "'Ll",
    "'d",
    "'D",
    "don't",
    "DON'T",
    "I'M",
    "we'LL",
    "it's",
    "O'Neil",
    "''",
    "'",
    "’s",
    // CJK, kana, hangul.
    "你好",
    "世界",
    "中华人民共和国",
    "机器学习模型",
    "。",
    "，",
    "、",
    "「引用」",
    "東京都",
    "ひらがな",
    "カタカナ",
    "한국어",
    "안녕하세요",
    "ｆｕｌｌｗｉｄｔｈ",
    "㍿",
    // Right-to-left and Indic scripts, with their combining signs.
    "مرحبا",
    "العربية",
    "كتاب",
    "ـ",
    "שלום",
    "עברית",
    "नमस्ते",
    "हिन्दी",
    "क्षत्रिय",
    "ि",
    "্",
    "বাংলা",
    "தமிழ்",
    "ภาษาไทย",
    "ສະບາຍດີ",
    "ქართული",
    "Ελληνικά",
    "Русский",
    "ПРИВЕТ",
    // Combining marks, standalone and stacked.
    "e\u{301}",
    "a\u{308}\u{304}",
    "\u{301}",
    "\u{20dd}",
    "Z\u{351}\u{34b}\u{34c}\u{35b}",
    "\u{fe0f}",
    // Emoji: plain, skin tones, ZWJ sequences, flags, keycaps, tags.
    "😀",
    "👍🏽",
    "👩‍👩‍👧‍👦",
    "👨🏿‍💻",
    "🏳️‍🌈",
    "❤️‍🔥",
    "🇸🇪",
    "🇺🇸🇨🇳",
    "🇦",
    "1️⃣",
    "#️⃣",
    "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
    "\u{200d}",
    "☺",
    "✔︎",
    // Letters of the rarer categories: Lt, Lm, Nl, No.
    "ǅ",
    "ᾈ",
    "ʰ",
    "ー",
    "ⅻ",
    "Ⅻ",
    "½",
    "²",
    "①",
    "𝟘",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    // Digit runs in several scripts.
    "1",
    "12",
    "123",
    "1234",
    "1234567",
    "3.14159",
    "1,000,000",
    "٣٤٥",
    "१२३४",
    "１２３",
    "0x1F",
    // Whitespace of every kind, and runs of it.
    " ",
    "  ",
    "   ",
    "\t",
    "\t\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    " \n ",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{3000}",
    "\u{85}",
    "\u{b}",
    "\u{c}",
    "\u{2003}",
    "\u{200b}",
    "\u{feff}",
    " \u{a0} ",
    "\n    ",
    "    \n",
    " \r\n\t ",
    // Code and markup.
    "fn main() {\n    println!(\"hi\");\n}",
    "def f(x):\n\treturn x**2\n",
    "const a = () => {};",
    "```python\n",
    "```",
    "</div>",
    "<br/>",
    "a//b",
    "https://example.com/a/b?c=d&e=f",
    "x+=1;",
    "{\"key\": [1, 2, {\"k\": null}]}",
    "#include <stdio.h>",
    "SELECT * FROM t WHERE id=1;",
    "$HOME",
    "\\n",
    "\\u00e9",
    "@@ -1,3 +1,4 @@",
    "->",
    "=>",
    "::",
    "...",
    "…",
    "!!!",
    "???",
    "—",
    "«»",
    "¿",
    // Special-token text, which must count as ordinary text.
    "<|endoftext|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|endofprompt|>",
    // Control and private-use characters.
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{e000}",
    "\u{f0000}",
    "\u{10fffd}",
    "\u{fffd}",
];

/// A small deterministic generator, so the corpus is the same on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A random character from a random block: mostly assigned scripts, some anything at all.
fn random_char(rng: &mut SplitMix) -> char {
    const BLOCKS: &[(u32, u32)] = &[
        (0x20, 0x7e),
        (0x00, 0x20),
        (0xa0, 0x24f),
        (0x300, 0x36f),
        (0x370, 0x52f),
        (0x590, 0x6ff),
        (0x900, 0xdff),
        (0xe00, 0xeff),
        (0x1100, 0x11ff),
        (0x1e00, 0x1fff),
        (0x2000, 0x206f),
        (0x2070, 0x2bff),
        (0x3000, 0x30ff),
        (0x4e00, 0x9fff),
        (0xac00, 0xd7a3),
        (0xfe00, 0xffff),
        (0x1d400, 0x1d7ff),
        (0x1f300, 0x1faff),
        (0x0, 0x10ffff),
    ];
    loop {
        let (lo, hi) = BLOCKS[rng.below(BLOCKS.len())];
        let c = lo + (rng.next() % u64::from(hi - lo + 1)) as u32;
        if let Some(c) = char::from_u32(c) {
            return c;
        }
    }
}

/// The fixed corpus: strings of 1 to 40 fragments, random characters and separators, plus a few
/// long ones, so that pieces meet every neighbour they can have.
fn corpus() -> Vec<String> {
    let mut rng = SplitMix(0x5eed_f00d);
    let mut out: Vec<String> = FRAGMENTS.iter().map(|f| (*f).to_owned()).collect();
    while out.len() < 12_000 {
        let parts = if rng.below(50) == 0 { 200 + rng.below(800) } else { 1 + rng.below(40) };
        let mut s = String::new();
        for _ in 0..parts {
            match rng.below(10) {
                0..=5 => s.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]),
                6 | 7 => s.push(random_char(&mut rng)),
                8 => s.push(' '),
                _ => s.push_str(["\n", "\r\n", "  ", "\t", "\u{a0}", "\u{3000}"][rng.below(6)]),
            }
        }
        out.push(s);
    }
    out
}

fn assert_matches_reference(encoding: Encoding, texts: &[String]) {
    let ours = Tokenizer::get(encoding);
    let theirs = reference(encoding);
    let mut mismatches = Vec::new();
    let (mut total_ours, mut total_theirs) = (0, 0);
    for text in texts {
        let (a, b) = (ours.count(text), theirs.encode_ordinary(text).len());
        total_ours += a;
        total_theirs += b;
        if a != b && mismatches.len() < 10 {
            mismatches.push(format!("{text:?}: ours {a}, tiktoken-rs {b}"));
        }
    }
    assert!(mismatches.is_empty(), "{encoding} mismatches:\n{}", mismatches.join("\n"));
    assert_eq!(total_ours, total_theirs);
    assert!(total_ours > texts.len(), "a corpus this varied has more tokens than strings");
}

#[test]
fn fixed_corpus_matches_tiktoken_o200k() {
    assert_matches_reference(Encoding::O200kBase, &corpus());
}

#[test]
fn fixed_corpus_matches_tiktoken_cl100k() {
    assert_matches_reference(Encoding::Cl100kBase, &corpus());
}

#[test]
fn counts_agree_across_threads_and_states() {
    let texts = corpus();
    for encoding in Encoding::ALL {
        let tokenizer = Tokenizer::get(encoding);
        let serial: Vec<usize> = texts.iter().map(|t| tokenizer.count(t)).collect();
        let parallel: Vec<usize> = texts.par_iter().map(|t| tokenizer.count(t)).collect();
        let with_state: Vec<usize> = texts
            .par_iter()
            .map_init(|| tokenizer.new_state(), |state, t| tokenizer.count_with(state, t))
            .collect();
        assert_eq!(serial, parallel);
        assert_eq!(serial, with_state);
    }
}

/// One string built from fragments, random characters and arbitrary text.
fn generated_text() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_owned),
        2 => any::<char>().prop_map(String::from),
        1 => "\\PC{0,12}",
        1 => "[ \\t\\r\\n\u{a0}\u{2028}\u{3000}]{1,6}",
        1 => "[a-zA-Z0-9' ]{1,16}",
    ];
    proptest::collection::vec(part, 0..24).prop_map(|parts| parts.concat())
}

/// Runs of letters of one script or of symbols, long enough to pass the merge loop, with spaces,
/// punctuation and ASCII between them.
fn long_runs() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        // CJK ideographs, kana and hangul.
        3 => "[\u{4e00}-\u{4fff}\u{3041}-\u{30ff}\u{ac00}-\u{ad00}]{4,40}",
        // Cyrillic, Greek, Arabic and Devanagari words.
        2 => "[\u{0400}-\u{04ff}]{6,30}|[\u{0370}-\u{03ff}]{6,30}|[\u{0600}-\u{06ff}]{6,30}|[\u{0900}-\u{097f}]{6,30}",
        // Emoji and other symbols.
        1 => "[\u{1f300}-\u{1faff}\u{2600}-\u{27bf}\u{200d}\u{fe0f}]{3,20}",
        // Long ASCII words, digits and punctuation runs.
        1 => "[a-zA-Z]{20,80}|[-=_*#.]{10,60}",
        2 => "[ ,.!?\n]{1,3}",
    ];
    proptest::collection::vec(part, 1..12).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6_000, ..ProptestConfig::default() })]

    #[test]
    fn generated_text_matches_tiktoken(text in generated_text()) {
        for encoding in Encoding::ALL {
            let ours = Tokenizer::get(encoding).count(&text);
            let theirs = reference(encoding).encode_ordinary(&text).len();
            prop_assert_eq!(ours, theirs, "{} on {:?}", encoding, text);
        }
    }

    #[test]
    fn any_string_matches_tiktoken(text in any::<String>()) {
        for encoding in Encoding::ALL {
            let ours = Tokenizer::get(encoding).count(&text);
            let theirs = reference(encoding).encode_ordinary(&text).len();
            prop_assert_eq!(ours, theirs, "{} on {:?}", encoding, text);
        }
    }

    /// Both encoders of long new pieces, with no memo, on strings with long runs of one script.
    #[test]
    fn long_pieces_match_tiktoken_by_either_encoder(text in long_runs()) {
        for encoding in Encoding::ALL {
            let theirs = reference(encoding).encode_ordinary(&text).len();
            for long_pieces in [LongPieces::BpeCrate, LongPieces::Backtracking] {
                let tokenizer = Tokenizer::get(encoding);
                let mut state = tokenizer.new_state_for_long_pieces(Some(0), long_pieces);
                prop_assert_eq!(tokenizer.count_with(&mut state, &text), theirs, "{} {:?} on {:?}", encoding, long_pieces, text);
            }
        }
    }
}
