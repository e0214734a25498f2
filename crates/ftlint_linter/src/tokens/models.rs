//! The models ftlint knows: per-example token limit and encoding, from one table
//! (docs/service-rules.md §6).
//!
//! A model name on the command line may be a dated name (`gpt-4.1-2025-04-14`), an undated alias
//! (`gpt-4.1`), or the name of a fine-tuned model, which trains further from its base and so has
//! the base's limit and encoding: OpenAI's `ft:gpt-4.1-mini-2025-04-14:org::id` or
//! `ft:gpt-4o-mini-2024-07-18:org:suffix:id`, and Azure's `gpt-4.1-2025-04-14.ft-abc123`.
//!
//! ftlint resolves the base itself rather than asking tiktoken's model table: tiktoken's prefix table
//! maps `ft:gpt-4o…` to o200k_base but has no `ft:gpt-4.1` entry, so `ft:gpt-4.1-…` falls through to
//! its `ft:gpt-4` entry and gets cl100k_base, which is wrong for every gpt-4.1 model.
pub use ftlint_tokenizer::Encoding;

/// The per-function constant of the tool-definition estimate (docs/service-rules.md §6, from
/// OpenAI's token-counting cookbook): 7 for the gpt-4o family, 10 for gpt-3.5-turbo and gpt-4. The
/// two groups are exactly the two encodings, so the constant follows the encoding.
pub const fn tool_function_tokens(encoding: Encoding) -> i64 {
    match encoding {
        Encoding::O200kBase => 7,
        Encoding::Cl100kBase => 10,
    }
}

/// One fine-tunable base model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Model {
    /// The dated name, with Azure's spelling for gpt-3.5 (`gpt-35-turbo-0125`).
    pub name: &'static str,
    pub encoding: Encoding,
    /// Tokens per training example; longer examples are truncated from the end.
    pub max_example_tokens: u32,
    /// How the model prices images (docs/service-rules.md §3).
    pub images: ImageCost,
}

const fn model(name: &'static str, encoding: Encoding, max_example_tokens: u32, images: ImageCost) -> Model {
    Model { name, encoding, max_example_tokens, images }
}

use super::images::ImageCost;
use Encoding::{Cl100kBase as CL100K, O200kBase as O200K};

const TILES: ImageCost = ImageCost::Tiles { base: 85, tile: 170 };
const MINI_TILES: ImageCost = ImageCost::Tiles { base: 2833, tile: 5667 };
const fn patches(multiplier_milli: u32) -> ImageCost {
    ImageCost::Patches { multiplier_milli }
}
const NO_IMAGES: ImageCost = ImageCost::NoImages;

/// Every model ftlint knows (docs/service-rules.md §6). The gpt-4.1 and o4-mini limits are Azure's:
/// OpenAI publishes none, and the two services train the same base models.
pub const MODELS: &[Model] = &[
    model("gpt-4o-2024-08-06", O200K, 65_536, TILES),
    model("gpt-4o-mini-2024-07-18", O200K, 65_536, MINI_TILES),
    model("gpt-4.1-2025-04-14", O200K, 65_536, TILES),
    model("gpt-4.1-mini-2025-04-14", O200K, 65_536, patches(1620)),
    model("gpt-4.1-nano-2025-04-14", O200K, 32_768, patches(2460)),
    model("o4-mini-2025-04-16", O200K, 65_536, patches(1720)),
    model("gpt-35-turbo-0125", CL100K, 16_385, NO_IMAGES),
    model("gpt-35-turbo-1106", CL100K, 16_385, NO_IMAGES),
    model("gpt-35-turbo-0613", CL100K, 4_096, NO_IMAGES),
];

/// Undated names and the dated model each stands for. Each family above has one fine-tunable
/// snapshot, except gpt-3.5-turbo, so those aliases are unambiguous; for gpt-3.5-turbo the alias
/// names 0125, the snapshot OpenAI's `gpt-3.5-turbo` alias points to and Azure's newest
/// fine-tunable gpt-35-turbo (its limit equals 1106's, so only 0613 would count differently, and
/// that one has to be named).
const ALIASES: &[(&str, &str)] = &[
    ("gpt-4o", "gpt-4o-2024-08-06"),
    ("gpt-4o-mini", "gpt-4o-mini-2024-07-18"),
    ("gpt-4.1", "gpt-4.1-2025-04-14"),
    ("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14"),
    ("gpt-4.1-nano", "gpt-4.1-nano-2025-04-14"),
    ("o4-mini", "o4-mini-2025-04-16"),
    ("gpt-35-turbo", "gpt-35-turbo-0125"),
];

/// The default `--model`.
pub const DEFAULT_MODEL: &str = "gpt-4.1-2025-04-14";

/// Finds the base model a name stands for; `None` if ftlint does not know it.
pub fn resolve(name: &str) -> Option<&'static Model> {
    let lower = name.trim().to_ascii_lowercase();
    let name = base_name(&lower);
    // OpenAI spells it gpt-3.5-turbo, Azure gpt-35-turbo: the same models.
    let name = match name.strip_prefix("gpt-3.5-turbo") {
        Some(rest) => format!("gpt-35-turbo{rest}"),
        None => name.to_owned(),
    };
    let dated = ALIASES.iter().find(|(alias, _)| *alias == name).map_or(name.as_str(), |(_, dated)| dated);
    MODELS.iter().find(|model| model.name == dated)
}

/// The base model's name inside a fine-tuned model's name; other names unchanged.
fn base_name(name: &str) -> &str {
    // OpenAI: `ft:<base>:<org>:<suffix>:<id>` (the suffix may be empty).
    if let Some(rest) = name.strip_prefix("ft:") {
        return rest.split(':').next().unwrap_or(rest);
    }
    // Azure: `<base>.ft-<id>`. The base itself may hold a dot (`gpt-4.1`), so split at `.ft-` only.
    match name.find(".ft-") {
        Some(at) => &name[..at],
        None => name,
    }
}

/// The known names, for the error message about an unknown model.
pub fn known_names() -> String {
    let mut names: Vec<&str> = MODELS.iter().map(|m| m.name).collect();
    names.extend(ALIASES.iter().map(|(alias, _)| *alias));
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(name: &str) -> Option<(&'static str, Encoding, u32)> {
        resolve(name).map(|m| (m.name, m.encoding, m.max_example_tokens))
    }

    #[test]
    fn dated_names_aliases_and_spellings_resolve() {
        assert_eq!(limit("gpt-4.1-2025-04-14"), Some(("gpt-4.1-2025-04-14", O200K, 65_536)));
        assert_eq!(limit("gpt-4.1-nano"), Some(("gpt-4.1-nano-2025-04-14", O200K, 32_768)));
        assert_eq!(limit("gpt-4o"), Some(("gpt-4o-2024-08-06", O200K, 65_536)));
        assert_eq!(limit("gpt-3.5-turbo-0613"), Some(("gpt-35-turbo-0613", CL100K, 4_096)));
        assert_eq!(limit("gpt-3.5-turbo"), Some(("gpt-35-turbo-0125", CL100K, 16_385)));
        assert_eq!(limit("gpt-35-turbo-1106"), Some(("gpt-35-turbo-1106", CL100K, 16_385)));
        assert_eq!(limit("GPT-4o-mini"), Some(("gpt-4o-mini-2024-07-18", O200K, 65_536)));
    }

    /// Every row of the table, by docs/service-rules.md §6: name, encoding, limit.
    const TABLE: &[(&str, Encoding, u32)] = &[
        ("gpt-4o-2024-08-06", O200K, 65_536),
        ("gpt-4o-mini-2024-07-18", O200K, 65_536),
        ("gpt-4.1-2025-04-14", O200K, 65_536),
        ("gpt-4.1-mini-2025-04-14", O200K, 65_536),
        ("gpt-4.1-nano-2025-04-14", O200K, 32_768),
        ("o4-mini-2025-04-16", O200K, 65_536),
        ("gpt-35-turbo-0125", CL100K, 16_385),
        ("gpt-35-turbo-1106", CL100K, 16_385),
        ("gpt-35-turbo-0613", CL100K, 4_096),
    ];

    #[test]
    fn every_model_resolves_by_name_and_by_every_fine_tuned_form() {
        assert_eq!(MODELS.len(), TABLE.len());
        for &(name, encoding, max) in TABLE {
            let expected = Some((name, encoding, max));
            let openai = name.replace("gpt-35-turbo", "gpt-3.5-turbo");
            for form in [
                name.to_owned(),
                name.to_ascii_uppercase(),
                format!("  {name} "),
                openai.clone(),
                format!("ft:{openai}:my-org::8xYz123"),
                format!("ft:{openai}:my-org:custom-suffix:8xYz123"),
                format!("ft:{name}:org::id"),
                format!("{name}.ft-0123456789abcdef"),
                format!("{openai}.ft-abc123"),
            ] {
                assert_eq!(limit(&form), expected, "{form}");
            }
        }
    }

    #[test]
    fn fine_tuned_names_resolve_to_their_base() {
        // tiktoken would give this one cl100k_base.
        assert_eq!(limit("ft:gpt-4.1-mini-2025-04-14:org::abc123").map(|l| l.1), Some(O200K));
        assert_eq!(
            limit("ft:gpt-4o-mini-2024-07-18:org:suffix:id").map(|l| l.0),
            Some("gpt-4o-mini-2024-07-18")
        );
        assert_eq!(limit("gpt-4.1-2025-04-14.ft-abc123").map(|l| l.0), Some("gpt-4.1-2025-04-14"));
        assert_eq!(limit("gpt-35-turbo-0613.ft-x").map(|l| l.2), Some(4_096));
    }

    #[test]
    fn unknown_names_do_not_resolve() {
        for name in [
            "",
            "gpt-4",
            "gpt-5",
            "ft:",
            "ft:unknown:org::id",
            ".ft-x",
            "gpt-4.1-2025-04-15",
            "gpt-4.1-mini-2025-04-14x",
            "ft:gpt-4",
            "davinci-002",
        ] {
            assert_eq!(resolve(name), None, "{name}");
        }
        assert!(known_names().contains("gpt-4.1-nano-2025-04-14"));
    }
}
