//! The token stage: how many tokens each example costs, and what that means for the file.
//!
//! It runs inside the parallel line stage, right after a record's rules, when counting is on (it is
//! by default; `--no-tokens` turns it off). [`count`] turns one record into an [`ExampleTokens`]
//! with OpenAI's chat formula (RULES.md §6); the file's examples are then summed up in
//! [`FileTokens`] by the sequential part of the check. The two tokenizers are built at most once
//! per run, on first use, and shared by every thread: building one takes about a quarter of a
//! second, and a run that never counts (or only needs one encoding) should not pay for the other.

pub mod count;
pub mod models;
pub mod stats;

use std::sync::OnceLock;

use tiktoken_rs::CoreBPE;

pub use count::{count, image_tokens, Detail, ExampleTokens};
pub use models::{Encoding, Model};
pub use stats::{FileTokens, FileTokensBuilder};

/// What the token stage needs to know: the encoding, the per-example limit and the epochs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSettings {
    /// The model's name as resolved (`gpt-4.1-2025-04-14`), or the name given when the encoding and
    /// limit were given by hand.
    pub model: String,
    pub encoding: Encoding,
    pub max_example_tokens: u32,
    /// `--epochs`; `None` uses the heuristic of OpenAI's data-preparation cookbook (RULES.md §8).
    pub epochs: Option<u32>,
}

impl TokenSettings {
    /// The settings for a known model, with its own encoding and limit.
    pub fn for_model(model: &Model) -> Self {
        TokenSettings {
            model: model.name.to_owned(),
            encoding: model.encoding,
            max_example_tokens: model.max_example_tokens,
            epochs: None,
        }
    }
}

static O200K: OnceLock<Option<CoreBPE>> = OnceLock::new();
static CL100K: OnceLock<Option<CoreBPE>> = OnceLock::new();

/// The tokenizer of `encoding`, built on first use and shared by every thread (`CoreBPE` is
/// `Send + Sync`). `None` only if the rank file embedded in the binary failed to load, which
/// would be a build fault; the caller then reports no counts rather than stopping.
pub fn tokenizer(encoding: Encoding) -> Option<&'static CoreBPE> {
    let cell = match encoding {
        Encoding::O200kBase => &O200K,
        Encoding::Cl100kBase => &CL100K,
    };
    cell.get_or_init(|| match encoding {
        Encoding::O200kBase => tiktoken_rs::o200k_base().ok(),
        Encoding::Cl100kBase => tiktoken_rs::cl100k_base().ok(),
    })
    .as_ref()
}

/// Tokens in `text` as ordinary text: special-token text such as `<|endoftext|>` in a dataset is
/// what the service trains on as text, and counting it as text can never fail.
pub fn count_text(bpe: &CoreBPE, text: &str) -> u32 {
    if text.is_empty() {
        return 0;
    }
    u32::try_from(bpe.encode_ordinary(text).len()).unwrap_or(u32::MAX)
}

/// Epochs when `--epochs` is not given: the default-epoch heuristic of OpenAI's data-preparation
/// cookbook (RULES.md §8). Three epochs, raised so that small files see about 100 examples in all
/// (at most 25 epochs), lowered so that large files see about 25,000 (at least 1).
pub fn heuristic_epochs(examples: u64) -> u32 {
    const TARGET: u64 = 3;
    const MIN_EXAMPLES: u64 = 100;
    const MAX_EXAMPLES: u64 = 25_000;
    let n = examples.max(1);
    let epochs = if n * TARGET < MIN_EXAMPLES {
        (MIN_EXAMPLES / n).min(25)
    } else if n * TARGET > MAX_EXAMPLES {
        (MAX_EXAMPLES / n).max(1)
    } else {
        TARGET
    };
    u32::try_from(epochs).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heuristic_epochs_follow_the_cookbook() {
        assert_eq!(heuristic_epochs(10), 10);
        assert_eq!(heuristic_epochs(1), 25);
        assert_eq!(heuristic_epochs(0), 25);
        assert_eq!(heuristic_epochs(34), 3);
        assert_eq!(heuristic_epochs(8_333), 3);
        assert_eq!(heuristic_epochs(10_000), 2);
        assert_eq!(heuristic_epochs(1_000_000), 1);
    }

    #[test]
    fn special_token_text_counts_as_text() {
        let bpe = tokenizer(Encoding::O200kBase).unwrap();
        assert!(count_text(bpe, "<|endoftext|>") > 1);
        assert_eq!(count_text(bpe, ""), 0);
        // Long whitespace runs reach the regex's look-ahead; they must count, not fail.
        let spaces = " ".repeat(100_000) + "x";
        assert!(count_text(bpe, &spaces) >= 1);
    }
}
