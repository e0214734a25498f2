//! Resolved settings for one run: the target service's profile and the severity of every rule.
//!
//! Command-line flags are folded in here, so every later stage asks one question — "is this rule on,
//! and at what severity?" — and never looks at flags itself.

use crate::diagnostic::{Diagnostic, Severity};
use crate::record::FormatChoice;
use crate::rules::Rule;

/// Which service's rules to apply where OpenAI and Azure OpenAI disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Profile {
    /// Azure OpenAI: documents a UTF-8 byte-order mark as required.
    Azure,
    /// OpenAI: says nothing about a byte-order mark; readers that do not strip one fail on line 1.
    Openai,
}

/// What a rule is set to: off, or on at a severity.
pub type Level = Option<Severity>;

#[derive(Clone, Debug)]
pub struct Settings {
    pub profile: Profile,
    /// The dataset format to check records as (`auto` decides per record).
    pub format: FormatChoice,
    /// Per rule, indexed by [`Rule::index`]; `None` means off.
    levels: Vec<Level>,
    /// Human formats show at most this many findings per file.
    pub max_diagnostics: usize,
    /// The model named by `--model` (or a config file); `None` means the default model. Resolved
    /// into `tokens` by [`crate::tokens::TokenSettings::resolve`].
    pub model: Option<String>,
    /// Token counting: `None` skips it (`--no-tokens`, and the library default).
    pub tokens: Option<crate::tokens::TokenSettings>,
    /// `--stats`: human formats print each file's token figures.
    pub stats: bool,
}

impl Settings {
    pub fn new(profile: Profile) -> Self {
        Settings {
            profile,
            format: FormatChoice::Auto,
            levels: Rule::ALL.iter().map(|rule| Some(rule.default_severity())).collect(),
            max_diagnostics: 50,
            model: None,
            tokens: None,
            stats: false,
        }
    }

    pub fn level(&self, rule: Rule) -> Level {
        self.levels[rule.index()]
    }

    pub fn enabled(&self, rule: Rule) -> bool {
        self.level(rule).is_some()
    }

    pub fn set_level(&mut self, rule: Rule, level: Level) {
        self.levels[rule.index()] = level;
    }

    /// Turns every rule off except `rules`, which keep their current level (or their default if off).
    pub fn select_only(&mut self, rules: &[Rule]) {
        for rule in Rule::ALL {
            let level =
                if rules.contains(rule) { self.level(*rule).or(Some(rule.default_severity())) } else { None };
            self.set_level(*rule, level);
        }
    }

    /// Applies the configured level to a finding made at the rule's default severity; `None` if off.
    pub fn apply(&self, mut diagnostic: Diagnostic) -> Option<Diagnostic> {
        diagnostic.severity = self.level(diagnostic.rule)?;
        Some(diagnostic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;

    #[test]
    fn levels_start_at_the_rule_defaults_and_can_be_changed() {
        let mut settings = Settings::new(Profile::Azure);
        assert_eq!(settings.level(Rule::MissingBom), Some(Severity::Warning));
        settings.set_level(Rule::MissingBom, Some(Severity::Error));
        let finding = Diagnostic::file_level(Rule::MissingBom, Severity::Warning, "m", Span::default());
        assert_eq!(settings.apply(finding.clone()).unwrap().severity, Severity::Error);
        settings.set_level(Rule::MissingBom, None);
        assert!(settings.apply(finding).is_none());
    }

    #[test]
    fn select_only_turns_the_rest_off() {
        let mut settings = Settings::new(Profile::Openai);
        settings.select_only(&[Rule::InvalidJson]);
        assert!(settings.enabled(Rule::InvalidJson));
        assert!(!settings.enabled(Rule::BlankLine));
    }
}
