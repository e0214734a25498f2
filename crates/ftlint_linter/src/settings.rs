//! Resolved settings for one run: the target service's profile and the severity of every rule.
//!
//! Configuration files (read by the command line) and then command-line flags are folded in here, so every
//! later stage asks one question — "is this rule on, and at what severity?" — and never looks at
//! flags or files itself. Settings also remember which levels the user chose, so a rule whose
//! default depends on the profile applies that default only where the user did not choose.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::shape::FormatChoice;
use crate::rules::Rule;

/// Which service's rules to apply where OpenAI and Azure OpenAI disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
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
    /// Per rule: did the user set its level? A rule whose severity depends on the profile (or on
    /// the finding) reports at its own severity unless the user chose one.
    overridden: Vec<bool>,
    /// Human formats show at most this many findings per file.
    pub max_diagnostics: usize,
    /// The model named by `--model` (or a config file); `None` means the default model. Resolved
    /// into `tokens` by [`crate::tokens::TokenSettings::resolve`].
    pub model: Option<String>,
    /// Training epochs (`--epochs` or `epochs` in a config file); `None` means the service's default.
    pub epochs: Option<u32>,
    /// Token counting: `None` skips it (`--no-tokens`, and the library default).
    pub tokens: Option<crate::tokens::TokenSettings>,
    /// `--stats`: human formats print each file's token figures.
    pub stats: bool,
    /// The RFT job's grader (`--grader FILE`), read and checked by the caller; `None` skips the
    /// rules that need it (FT407).
    pub grader: Option<std::sync::Arc<crate::grader::Grader>>,
}

impl Settings {
    pub fn new(profile: Profile) -> Self {
        Settings {
            profile,
            format: FormatChoice::Auto,
            levels: Rule::ALL
                .iter()
                .map(|rule| rule.enabled_by_default().then(|| rule.severity(profile)))
                .collect(),
            overridden: vec![false; Rule::ALL.len()],
            max_diagnostics: 50,
            model: None,
            epochs: None,
            tokens: None,
            stats: false,
            grader: None,
        }
    }

    pub fn level(&self, rule: Rule) -> Level {
        self.levels[rule.index()]
    }

    pub fn enabled(&self, rule: Rule) -> bool {
        self.level(rule).is_some()
    }

    /// Sets a rule's level as the user asked; the finding's own severity no longer counts.
    pub fn set_level(&mut self, rule: Rule, level: Level) {
        self.levels[rule.index()] = level;
        self.overridden[rule.index()] = true;
    }

    /// Whether the user set this rule's level (in a config file or with `--warn`, `--error`,
    /// `--ignore`). A rule whose severity depends on the profile keeps its own unless this is true.
    pub fn level_is_explicit(&self, rule: Rule) -> bool {
        self.overridden[rule.index()]
    }

    /// Turns every rule off except `rules`, which keep their current level (or their default if off).
    /// Only the rules turned off count as the user's choice: a selected rule keeps whatever level it
    /// had, explicit or not.
    pub fn select_only(&mut self, rules: &[Rule]) {
        for rule in Rule::ALL {
            // Selecting a rule turns it on; it does not choose its severity.
            self.levels[rule.index()] = if rules.contains(rule) {
                self.level(*rule).or(Some(rule.severity(self.profile)))
            } else {
                None
            };
        }
    }

    /// Applies the configured level to a finding; `None` if its rule is off. A finding keeps the
    /// severity its rule gave it (the default, or one that depends on the profile) unless the user
    /// set the rule's level.
    pub fn apply(&self, mut diagnostic: Diagnostic) -> Option<Diagnostic> {
        let level = self.level(diagnostic.rule)?;
        if self.level_is_explicit(diagnostic.rule) {
            diagnostic.severity = level;
        }
        Some(diagnostic)
    }

    /// Whether `rule` is checked at all on a file under these settings, as a training file or (with
    /// `validation`) as the validation file: it is on, and what it needs is there. The token rules
    /// (`FT6xx`) need token counting (off with `--no-tokens`); FT407 needs a grader and RFT
    /// records; FT504 counts RFT records, which only `format = rft` reads; FT501 checks training
    /// files and FT503 the validation file. Whoever asks "could this rule have found anything
    /// here?" (a baseline telling a stale entry from an unchecked one) asks this.
    pub fn rule_runs(&self, rule: Rule, validation: bool) -> bool {
        if !self.enabled(rule) {
            return false;
        }
        match rule {
            Rule::GraderItemMissing => self.grader.is_some() && self.format == FormatChoice::Rft,
            Rule::TooManyExamples => self.format == FormatChoice::Rft,
            Rule::TooFewExamples => !validation,
            Rule::ValidationOverlap => validation,
            _ if rule.code().starts_with("FT6") => self.tokens.is_some(),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_runs_only_where_what_it_needs_is_there() {
        let mut settings = Settings::new(Profile::Azure);
        assert!(settings.rule_runs(Rule::BlankLine, false));
        assert!(!settings.rule_runs(Rule::GraderItemMissing, false), "no grader");
        assert!(!settings.rule_runs(Rule::TooManyExamples, false), "not RFT");
        assert!(settings.rule_runs(Rule::TooFewExamples, false));
        assert!(!settings.rule_runs(Rule::TooFewExamples, true), "a validation file has no minimum");
        assert!(!settings.rule_runs(Rule::ValidationOverlap, false));
        assert!(settings.rule_runs(Rule::ValidationOverlap, true));
        let token_rule = *Rule::ALL.iter().find(|rule| rule.code().starts_with("FT6")).unwrap();
        assert!(!settings.rule_runs(token_rule, false), "--no-tokens");
        settings.format = FormatChoice::Rft;
        assert!(settings.rule_runs(Rule::TooManyExamples, false));
        assert!(!settings.rule_runs(Rule::GraderItemMissing, false), "RFT but no grader");
        settings.grader = Some(std::sync::Arc::default());
        assert!(settings.rule_runs(Rule::GraderItemMissing, false));
        settings.set_level(Rule::GraderItemMissing, None);
        assert!(!settings.rule_runs(Rule::GraderItemMissing, false), "off");
    }
    use crate::diagnostic::Span;

    fn finding(rule: Rule, severity: Severity) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            message: "m".into(),
            label: None,
            help: None,
            span: Span::default(),
            position: None,
            pointer: None,
            fix: None,
        }
    }

    #[test]
    fn levels_start_at_the_rule_defaults_and_can_be_changed() {
        let mut settings = Settings::new(Profile::Azure);
        assert_eq!(settings.level(Rule::MissingBom), Some(Severity::Warning));
        settings.set_level(Rule::MissingBom, Some(Severity::Error));
        let finding = finding(Rule::MissingBom, Severity::Warning);
        assert_eq!(settings.apply(finding.clone()).unwrap().severity, Severity::Error);
        settings.set_level(Rule::MissingBom, None);
        assert!(settings.apply(finding).is_none());
    }

    #[test]
    fn a_finding_keeps_its_own_severity_unless_the_user_set_one() {
        let mut settings = Settings::new(Profile::Openai);
        let finding = finding(Rule::MissingBom, Severity::Info);
        assert_eq!(settings.apply(finding.clone()).unwrap().severity, Severity::Info);
        settings.select_only(&[Rule::MissingBom]);
        assert!(!settings.level_is_explicit(Rule::MissingBom));
        assert_eq!(settings.apply(finding.clone()).unwrap().severity, Severity::Info);
        settings.set_level(Rule::MissingBom, Some(Severity::Warning));
        assert!(settings.level_is_explicit(Rule::MissingBom));
        assert_eq!(settings.apply(finding).unwrap().severity, Severity::Warning);
    }

    #[test]
    fn levels_start_at_the_severity_of_the_profile() {
        assert_eq!(Settings::new(Profile::Azure).level(Rule::TooManyImages), Some(Severity::Warning));
        assert_eq!(Settings::new(Profile::Openai).level(Rule::TooManyImages), Some(Severity::Error));
        let mut settings = Settings::new(Profile::Openai);
        settings.select_only(&[]);
        settings.select_only(&[Rule::RftLastMessageNotUser]);
        assert_eq!(settings.level(Rule::RftLastMessageNotUser), Some(Severity::Warning));
    }

    #[test]
    fn select_only_turns_the_rest_off() {
        let mut settings = Settings::new(Profile::Openai);
        settings.select_only(&[Rule::InvalidJson]);
        assert!(settings.enabled(Rule::InvalidJson));
        assert!(!settings.enabled(Rule::BlankLine));
    }
}
