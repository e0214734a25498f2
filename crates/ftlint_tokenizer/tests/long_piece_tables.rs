//! The backtracking tables of long pieces are built, on a thread of their own, once a tokenizer has
//! counted enough long new pieces, and counts stay the same before, while and after. A test binary
//! of its own, so that no other test counts long pieces with the same shared tokenizer meanwhile.

use std::time::{Duration, Instant};

use ftlint_tokenizer::{Encoding, Tokenizer, LONG_PIECE_TABLES_AFTER};

#[test]
fn tables_are_built_after_enough_long_pieces() {
    let tokenizer = Tokenizer::get(Encoding::Cl100kBase);
    // No memo, so that every piece is counted anew: one piece of 33 bytes, past the merge loop.
    let mut state = tokenizer.new_state_with_memo(0);
    let text = "東京都の天気は晴れです";
    let expected = tiktoken_rs::cl100k_base_singleton().encode_ordinary(text).len();
    for _ in 0..LONG_PIECE_TABLES_AFTER {
        assert_eq!(tokenizer.count_with(&mut state, text), expected);
    }
    assert!(!tokenizer.has_long_piece_tables(), "built before the threshold");
    // The next piece starts the build aside; counting goes on meanwhile, with the same counts.
    let started = Instant::now();
    while !tokenizer.has_long_piece_tables() {
        assert_eq!(tokenizer.count_with(&mut state, text), expected);
        assert!(started.elapsed() < Duration::from_secs(60), "the tables were never built");
    }
    assert_eq!(tokenizer.count_with(&mut state, text), expected);
}
