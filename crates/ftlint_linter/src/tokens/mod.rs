//! The token stage: how many tokens each example costs, and what that means for the file.
//!
//! It runs inside the parallel line stage, right after a record's rules. Counting is on by default
//! (`--no-tokens` turns it off). [`count`] turns one record into an [`ExampleTokens`] with OpenAI's
//! chat formula (docs/service-rules.md §6); the file's examples are then summed up in [`FileStats`]
//! by the sequential part of the check. All tokenization goes through the narrow [`TextCounter`]
//! interface. The tokenizers are built at most once per run, on first use (so a file without
//! records never builds one), and shared by every thread: building one takes about a quarter of a
//! second, and a run that only needs one encoding should not pay for the other.

pub mod count;
pub mod images;
pub mod models;
pub mod stats;

use ftlint_tokenizer::Tokenizer;

pub use count::{count, ExampleTokens, Section};
pub use images::{image_tokens, Detail, ImageCost};
pub use models::{Encoding, Model, DEFAULT_MODEL};
pub use stats::{FileStats, FileStatsBuilder, FileTokens};

/// What the token stage needs to know: the encoding, the per-example limit and the epochs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSettings {
    /// The model's name as resolved (`gpt-4.1-2025-04-14`), or the name given when the encoding and
    /// limit were given by hand.
    pub model: String,
    pub encoding: Encoding,
    pub max_example_tokens: u32,
    /// How the model prices images; [`ImageCost::NoImages`] for a model given by hand.
    pub images: ImageCost,
    /// `--epochs`; `None` uses the heuristic of OpenAI's data-preparation cookbook
    /// (docs/service-rules.md §7).
    pub epochs: Option<u32>,
}

impl TokenSettings {
    /// The settings for a known model, with its own encoding and limit.
    pub fn for_model(model: &Model) -> Self {
        TokenSettings {
            model: model.name.to_owned(),
            encoding: model.encoding,
            max_example_tokens: model.max_example_tokens,
            images: model.images,
            epochs: None,
        }
    }

    /// Resolves `--model` (default [`DEFAULT_MODEL`]), with `--encoding` and
    /// `--max-example-tokens` overriding the model's own values. A model ftlint does not know is
    /// accepted only when both are given by hand; otherwise the error lists the known names.
    pub fn resolve(
        model: Option<&str>,
        encoding: Option<Encoding>,
        max_example_tokens: Option<u32>,
        epochs: Option<u32>,
    ) -> Result<TokenSettings, String> {
        let name = model.unwrap_or(DEFAULT_MODEL);
        let mut settings = match (models::resolve(name), encoding, max_example_tokens) {
            (Some(known), _, _) => TokenSettings::for_model(known),
            (None, Some(encoding), Some(max_example_tokens)) => TokenSettings {
                model: name.trim().to_owned(),
                encoding,
                max_example_tokens,
                images: ImageCost::NoImages,
                epochs: None,
            },
            (None, _, _) => {
                return Err(format!(
                    "unknown model `{name}`; known models: {}; for another model give both `--encoding` and `--max-example-tokens`",
                    models::known_names()
                ))
            }
        };
        if let Some(encoding) = encoding {
            settings.encoding = encoding;
        }
        if let Some(max) = max_example_tokens {
            settings.max_example_tokens = max;
        }
        settings.epochs = epochs;
        Ok(settings)
    }
}

/// Counts the tokens of ordinary text in one encoding: the one interface between the formula code
/// and a tokenizer. The formula, the limits and the report never see a tokenizer type, so the backend
/// can change (a faster exact counter, per-thread caches) without touching them. Implementations are
/// shared by every rayon worker, hence `Sync`; they must treat special-token text such as
/// `<|endoftext|>` as ordinary text (the service trains on it as text) and must never panic.
pub trait TextCounter: Sync {
    /// Tokens in `text`.
    fn count(&self, text: &str) -> usize;
}

/// The counter: [`ftlint_tokenizer`], exact (identical counts to tiktoken, proved in
/// `tests/tokenizer.rs` and `tests/tokens.rs`) and several times faster than tiktoken-rs, with
/// per-thread state so rayon workers never wait on each other.
impl TextCounter for Tokenizer {
    fn count(&self, text: &str) -> usize {
        Tokenizer::count(self, text)
    }
}

/// The counter of `encoding`, built on first use and shared by every thread. Always `Some` with the
/// built-in vocabularies; the `Option` leaves room for a backend that can fail to load, in which case
/// the caller reports no counts rather than stopping.
pub fn counter(encoding: Encoding) -> Option<&'static dyn TextCounter> {
    Some(Tokenizer::get(encoding) as &dyn TextCounter)
}

/// Tokens in `text` as a `u32`, saturating: no example comes near 4 billion tokens, and a count
/// that did must not wrap.
pub fn count_text(counter: &dyn TextCounter, text: &str) -> u32 {
    u32::try_from(counter.count(text)).unwrap_or(u32::MAX)
}

/// Epochs when `--epochs` is not given: the default-epoch heuristic of OpenAI's data-preparation
/// cookbook (docs/service-rules.md §7). Three epochs, raised so that small files see about 100
/// examples in all (at most 25 epochs), lowered so that large files see about 25,000 (at least 1).
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
    fn settings_resolve_from_the_model_or_by_hand() {
        let default = TokenSettings::resolve(None, None, None, None).unwrap();
        assert_eq!(
            (default.model.as_str(), default.encoding, default.max_example_tokens),
            (DEFAULT_MODEL, Encoding::O200kBase, 65_536)
        );
        let nano = TokenSettings::resolve(Some("ft:gpt-4.1-nano-2025-04-14:o::x"), None, Some(1000), Some(2))
            .unwrap();
        assert_eq!(
            (nano.model.as_str(), nano.max_example_tokens, nano.epochs),
            ("gpt-4.1-nano-2025-04-14", 1000, Some(2))
        );
        let error =
            TokenSettings::resolve(Some("my-model"), Some(Encoding::Cl100kBase), None, None).unwrap_err();
        assert!(error.contains("unknown model `my-model`") && error.contains("gpt-35-turbo-0613"), "{error}");
        let custom =
            TokenSettings::resolve(Some("my-model"), Some(Encoding::Cl100kBase), Some(8192), None).unwrap();
        assert_eq!(
            (custom.model.as_str(), custom.encoding, custom.images),
            ("my-model", Encoding::Cl100kBase, ImageCost::NoImages)
        );
    }

    #[test]
    fn special_token_text_counts_as_text() {
        for encoding in [Encoding::O200kBase, Encoding::Cl100kBase] {
            let counter = counter(encoding).unwrap();
            // Seven pieces as text (`<`, `|`, `end`, `of`, `text`, `|`, `>` or similar), never the
            // single special token.
            assert!(counter.count("<|endoftext|>") > 1);
            assert!(counter.count("<|im_start|>assistant<|im_sep|>") > 3);
            assert_eq!(counter.count(""), 0);
            // Long whitespace runs reach the regex's look-ahead; they must count, not fail.
            let spaces = " ".repeat(100_000) + "x";
            assert!(counter.count(&spaces) >= 1);
        }
    }
}
