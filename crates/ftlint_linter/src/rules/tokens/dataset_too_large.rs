//! FT602 `dataset-too-large`: tokens in the training file times epochs exceed Azure's job cap.

use crate::context::FileContext;
use crate::diagnostic::Span;
use crate::rules::Rule;
use crate::settings::Profile;
use crate::tokens::FileTokens;

/// Azure OpenAI's cap on tokens in the training file × epochs per fine-tuning job.
pub const MAX_TRAINING_TOKENS: u64 = 2_000_000_000;

pub const DOCS: &str = r#"# FT602 dataset-too-large

## What it does
Under the `azure` profile, multiplies the tokens of the file's examples (as FT601 counts them: the
chat formula plus tool definitions, tool calls and images) by the number of epochs and reports a file over 2,000,000,000. The epochs are
`--epochs`, or else what the service picks by default as OpenAI's data-preparation cookbook
describes it: 3, more for files under 34 examples (at most 25), fewer for files over 8,333
examples (at least 1).

## Why it matters
Azure OpenAI's quotas cap a fine-tuning job at 2 billion training tokens: tokens in the training
file × epochs must stay at or under 2,000,000,000. OpenAI documents no such cap, so the rule is
off under `--profile openai`. Even under the cap, a job that size is costly: billing is per
trained token.

## Example
A file of 400,000 examples at 2,000 tokens each holds 800 million tokens; with `--epochs 3` that
is 2.4 billion training tokens.

## How to fix
Train for fewer epochs (`n_epochs`), or sample the file down.
"#;

pub const FIX: &str = "train for fewer epochs or use fewer examples";

/// `examples` is the file's example count, for naming where default epochs come from. The cap is
/// Azure's: nothing is reported under the `openai` profile.
pub fn check(ctx: &mut FileContext<'_>, tokens: &FileTokens, examples: u64) {
    let training = tokens.training_tokens();
    if ctx.settings.profile != Profile::Azure || training <= MAX_TRAINING_TOKENS {
        return;
    }
    let epochs = if tokens.epochs_estimated {
        format!("{} epochs (the default for {examples} examples)", tokens.epochs)
    } else {
        format!("{} epochs", tokens.epochs)
    };
    ctx.report(Rule::DatasetTooLarge, Span::default()).message(format!(
        "The file holds {} tokens (tools and images included); at {epochs} that is {training} training tokens, over Azure's cap of {MAX_TRAINING_TOKENS} per job",
        tokens.counted
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::settings::Settings;

    fn check(tokens: &FileTokens, examples: u64, profile: Profile) -> Option<Diagnostic> {
        let settings = Settings::new(profile);
        let mut out = Vec::new();
        super::check(&mut FileContext::new(&settings, 0, &mut out), tokens, examples);
        assert!(out.len() <= 1);
        out.pop()
    }

    #[test]
    fn a_file_over_two_billion_training_tokens_is_an_error() {
        let mut tokens = FileTokens::new(crate::tokens::Encoding::O200kBase, 65_536);
        (tokens.counted, tokens.epochs, tokens.epochs_estimated) = (700_000_000, 3, true);
        let finding = check(&tokens, 350_000, Profile::Azure).unwrap();
        assert_eq!(finding.rule, Rule::DatasetTooLarge);
        assert!(finding.message.contains("2100000000"), "{}", finding.message);
        assert!(finding.message.contains("the default for 350000 examples"), "{}", finding.message);
        tokens.epochs = 2;
        assert!(check(&tokens, 350_000, Profile::Azure).is_none());
        // Exactly at the cap is allowed; one over is not.
        (tokens.counted, tokens.epochs) = (1_000_000_000, 2);
        assert!(check(&tokens, 350_000, Profile::Azure).is_none());
        (tokens.counted, tokens.epochs_estimated) = (1_000_000_001, false);
        let finding = check(&tokens, 350_000, Profile::Azure).unwrap();
        assert!(finding.message.contains("at 2 epochs that is 2000000002"), "{}", finding.message);
        assert!(check(&tokens, 350_000, Profile::Openai).is_none());
    }
}
