//! The rule registry: one table of every rule ftlint knows.
//!
//! Each rule has a stable code (`FT101`), a kebab-case name that reads as "allow <name>"
//! (`invalid-json`), a severity (one per profile where OpenAI and Azure OpenAI disagree), the stage
//! of the pipeline that sees it, and docs. The docs, the fix text and the detection code of a rule
//! live together in one file under the folder of its stage; this table only ties them to a code,
//! and the checkers ([`crate::checkers`]) decide when they run. Codes never change meaning once
//! released: a retired rule keeps its code.
//!
//! Code ranges: `FT0xx` whole file, `FT1xx` one line, `FT2xx` one record (shape, SFT messages),
//! `FT3xx` images, `FT4xx` DPO and RFT records, `FT5xx` the dataset as a whole, `FT6xx` tokens,
//! `FT7xx` secrets and personal data in the text.

pub mod dataset;
pub mod file;
pub mod line;
pub mod record;
pub mod secrets;
pub mod tokens;
pub mod vision;

use std::fmt;

use crate::diagnostic::Severity;
use crate::settings::Profile;

/// Which stage of the pipeline checks a rule, from the cheapest view of the data to the widest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The file's bytes as a whole: size, encoding, byte-order mark.
    File,
    /// One physical line: UTF-8, JSON syntax, blank lines.
    Line,
    /// One parsed record, as a fine-tuning example of its format.
    Record,
    /// The file's records together: counts, duplicates, formats.
    Dataset,
}

impl Stage {
    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::File => "file",
            Stage::Line => "line",
            Stage::Record => "record",
            Stage::Dataset => "dataset",
        }
    }
}

/// A rule's severity under `profile`: one severity for both, or `{azure: …, openai: …}`.
macro_rules! severity_under {
    ($profile:ident, $severity:ident) => {
        Severity::$severity
    };
    ($profile:ident, {azure: $azure:ident, openai: $openai:ident}) => {
        match $profile {
            Profile::Azure => Severity::$azure,
            Profile::Openai => Severity::$openai,
        }
    };
}

macro_rules! rules {
    ($( $variant:ident => $code:literal, $name:literal, $severity:tt, $stage:ident, $group:ident :: $module:ident; )*) => {
        /// Every rule, in code order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $( $variant, )*
        }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$( Rule::$variant, )*];

            /// The stable code, e.g. `FT101`.
            pub const fn code(self) -> &'static str {
                match self { $( Rule::$variant => $code, )* }
            }

            /// The kebab-case name, e.g. `invalid-json`.
            pub const fn name(self) -> &'static str {
                match self { $( Rule::$variant => $name, )* }
            }

            /// The severity of the rule's findings under `profile`, unless the user sets one. A
            /// finding may still raise it (FT310 over Azure's hard limit is an error).
            pub const fn severity(self, profile: Profile) -> Severity {
                match self { $( Rule::$variant => severity_under!(profile, $severity), )* }
            }

            pub const fn stage(self) -> Stage {
                match self { $( Rule::$variant => Stage::$stage, )* }
            }

            /// The rule's documentation in Markdown: What it does / Why it matters / Example / How to fix.
            pub const fn docs(self) -> &'static str {
                match self { $( Rule::$variant => $group::$module::DOCS, )* }
            }

            /// The file that holds the rule and its documentation, relative to the repository's
            /// root, e.g. `crates/ftlint_linter/src/rules/line/invalid_json.rs`: reports link to it.
            pub const fn source_path(self) -> &'static str {
                match self {
                    $( Rule::$variant => concat!(
                        "crates/ftlint_linter/src/rules/", stringify!($group), "/", stringify!($module), ".rs"
                    ), )*
                }
            }

            /// One sentence on how to fix a finding, shown as the help line.
            pub const fn fix(self) -> &'static str {
                match self { $( Rule::$variant => $group::$module::FIX, )* }
            }
        }
    };
}

#[rustfmt::skip]
rules! {
    FileTooLarge     => "FT001", "file-too-large",    Error,   File, file::file_too_large;
    MissingBom       => "FT002", "missing-bom",       Warning, File, file::missing_bom;
    UnexpectedBom    => "FT003", "unexpected-bom",    Warning, File, file::unexpected_bom;
    NonUtf8Encoding  => "FT004", "non-utf8-encoding", Error,   File, file::non_utf8_encoding;
    NoExamples       => "FT005", "no-examples",       Error,   File, file::no_examples;
    CompressedFile   => "FT006", "compressed-file",   Error,   File, file::compressed_file;
    InvalidUtf8      => "FT101", "invalid-utf8",      Error,   Line, line::invalid_utf8;
    InvalidJson      => "FT102", "invalid-json",      Error,   Line, line::invalid_json;
    NotAnObject      => "FT103", "not-an-object",     Error,   Line, line::not_an_object;
    BlankLine        => "FT104", "blank-line",        Warning, Line, line::blank_line;
    CrlfLineEnding   => "FT105", "crlf-line-ending",  Info,    Line, line::crlf_line_ending;
    // Record shape and format.
    UnknownRecordShape     => "FT200", "unknown-record-shape",     Error,   Record,  record::unknown_record_shape;
    LegacyPromptCompletion => "FT201", "legacy-prompt-completion", Error,   Record,  record::legacy_prompt_completion;
    MixedFormats           => "FT202", "mixed-formats",            Error,   Dataset, record::mixed_formats;
    // SFT records and their messages.
    ExtraTopLevelKey       => "FT210", "extra-top-level-key",      Error,   Record,  record::extra_top_level_key;
    InvalidMessages        => "FT211", "invalid-messages",         Error,   Record,  record::invalid_messages;
    InvalidRole            => "FT212", "invalid-role",             Error,   Record,  record::invalid_role;
    DeveloperRole          => "FT213", "developer-role",           Warning, Record,  record::developer_role;
    InvalidContent               => "FT214", "invalid-content",                Error,   Record, record::invalid_content;
    InvalidToolMessage           => "FT215", "invalid-tool-message",           Error,   Record, record::invalid_tool_message;
    InvalidContentPart           => "FT216", "invalid-content-part",           Error,   Record, record::invalid_content_part;
    UnsupportedContentPart       => "FT217", "unsupported-content-part",       Error,   Record, record::unsupported_content_part;
    ImageOutsideUserMessage      => "FT218", "image-outside-user-message",     Error,   Record, record::image_outside_user_message;
    InvalidWeight                => "FT219", "invalid-weight",                 Error,   Record, record::invalid_weight;
    AllWeightsZero               => "FT220", "all-weights-zero",               Warning, Record, record::all_weights_zero;
    MissingAssistantMessage      => "FT221", "missing-assistant-message",      Error,   Record, record::missing_assistant_message;
    LastMessageNotAssistant      => "FT222", "last-message-not-assistant",     Warning, Record, record::last_message_not_assistant;
    ConsecutiveAssistantMessages => "FT223", "consecutive-assistant-messages", Warning, Record, record::consecutive_assistant_messages;
    InvalidToolCall              => "FT224", "invalid-tool-call",              Error,   Record, record::invalid_tool_call;
    InvalidToolArguments         => "FT225", "invalid-tool-arguments",         Warning, Record, record::invalid_tool_arguments;
    UnknownToolCallId            => "FT226", "unknown-tool-call-id",           Warning, Record, record::unknown_tool_call_id;
    InvalidToolDefinition        => "FT227", "invalid-tool-definition",        Error,   Record, record::invalid_tool_definition;
    LegacyFunctionCalling        => "FT228", "legacy-function-calling",        Info,    Record, record::legacy_function_calling;
    EmptyContent                 => "FT229", "empty-content",                  Warning, Record, record::empty_content;
    DuplicateKey                 => "FT230", "duplicate-key",                  Warning, Record, record::duplicate_key;
    UnknownMessageKey            => "FT231", "unknown-message-key",            Warning, Record, record::unknown_message_key;
    AssistantFirstMessage        => "FT232", "assistant-first-message",        Warning, Record, record::assistant_first_message;
    UnansweredToolCall           => "FT233", "unanswered-tool-call",           Warning, Record, record::unanswered_tool_call;
    DoubleEncodedToolArguments   => "FT234", "double-encoded-tool-arguments",  Warning, Record, record::double_encoded_tool_arguments;
    InvalidToolSchema            => "FT235", "invalid-tool-schema",            Error,   Record, record::invalid_tool_schema;
    UnsupportedStrictSchema      => "FT236", "unsupported-strict-schema",      Error,   Record, record::unsupported_strict_schema;
    ToolArgumentsMismatch        => "FT237", "tool-arguments-mismatch",        Warning, Record, record::tool_arguments_mismatch;
    // (more SFT message rules: FT238-FT239)
    // Images (vision fine-tuning): FT3xx.
    InvalidImageUrl        => "FT301", "invalid-image-url",        Error,   Record,  vision::invalid_image_url;
    InvalidImageDetail     => "FT302", "invalid-image-detail",     Error,   Record,  vision::invalid_image_detail;
    UnsupportedImageUrl    => "FT303", "unsupported-image-url",    Error,   Record,  vision::unsupported_image_url;
    InvalidDataUrl         => "FT304", "invalid-data-url",         Error,   Record,  vision::invalid_data_url;
    UnsupportedImageFormat => "FT305", "unsupported-image-format", Error,   Record,  vision::unsupported_image_format;
    ImageMediaTypeMismatch => "FT306", "image-media-type-mismatch", Error,  Record,  vision::image_media_type_mismatch;
    CorruptImage           => "FT307", "corrupt-image",            Error,   Record,  vision::corrupt_image;
    ImageTooLarge          => "FT308", "image-too-large",          Error,   Record,  vision::image_too_large;
    NonRgbImage            => "FT309", "non-rgb-image",            Warning, Record,  vision::non_rgb_image;
    TooManyImages          => "FT310", "too-many-images",          {azure: Warning, openai: Error}, Record, vision::too_many_images;
    TooManyImageExamples   => "FT311", "too-many-image-examples",  Error,   Dataset, vision::too_many_image_examples;
    RemoteImages           => "FT312", "remote-images",            Info,    Dataset, vision::remote_images;
    // DPO and RFT records: FT4xx.
    InvalidPreferenceOutput      => "FT401", "invalid-preference-output",      Error,   Record, record::invalid_preference_output;
    LegacyPreferenceKeys         => "FT402", "legacy-preference-keys",         Error,   Record, record::legacy_preference_keys;
    InputLastMessageNotUser      => "FT403", "input-last-message-not-user",    Warning, Record, record::input_last_message_not_user;
    IdenticalPreferenceOutputs   => "FT404", "identical-preference-outputs",   Warning, Record, record::identical_preference_outputs;
    RftLastMessageNotUser        => "FT405", "rft-last-message-not-user",      {azure: Error, openai: Warning}, Record, record::rft_last_message_not_user;
    DpoImages                    => "FT406", "dpo-images",                     {azure: Info, openai: Warning}, Record, record::dpo_images;
    GraderItemMissing            => "FT407", "grader-item-missing",            Error,   Record, record::grader_item_missing;
    // The dataset as a whole: FT5xx.
    TooFewExamples         => "FT501", "too-few-examples",         Error,   Dataset, dataset::too_few_examples;
    DuplicateExample       => "FT502", "duplicate-example",        Warning, Dataset, dataset::duplicate_example;
    ValidationOverlap      => "FT503", "validation-overlap",       Warning, Dataset, dataset::validation_overlap;
    TooManyExamples        => "FT504", "too-many-examples",        Error,   Dataset, dataset::too_many_examples;
    // Tokens.
    ExampleTooLong         => "FT601", "example-too-long",         Warning, Record,  tokens::example_too_long;
    DatasetTooLarge        => "FT602", "dataset-too-large",        Error,   Dataset, tokens::dataset_too_large;
    // Secrets and personal data: FT7xx.
    SecretInContent        => "FT701", "secret-in-content",        Warning, Record,  secrets::secret_in_content;
    EmailAddress           => "FT702", "email-address",            Info,    Record,  secrets::email_address;
    PhoneNumber            => "FT703", "phone-number",             Info,    Record,  secrets::phone_number;
}

/// Whether `ftlint fix` can remove a rule's findings, and how careful that fix is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FixAvailability {
    /// No mechanical fix: the finding needs a person.
    None,
    /// `ftlint fix` applies it: bytes change, the data the service reads does not.
    Safe,
    /// `ftlint fix --unsafe-fixes` applies it: a record changes; review the result.
    Unsafe,
}

impl FixAvailability {
    /// A sentence for the rule's docs.
    pub const fn describe(self) -> &'static str {
        match self {
            FixAvailability::None => "Fix: none; the finding needs a person.",
            FixAvailability::Safe => "Fix: safe; `ftlint fix` applies it.",
            FixAvailability::Unsafe => {
                "Fix: unsafe (it changes records); `ftlint fix --unsafe-fixes` applies it, review the result."
            }
        }
    }

    /// The short form for tables: `safe`, `unsafe` or `-`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "-",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
        }
    }
}

impl Rule {
    /// Whether the rule's findings carry a fix, and its applicability. Every fix a finding carries
    /// has exactly this applicability (a test in `crate::fix` holds the rules to it); a fixable
    /// rule may still report a finding without one (a weight of `0.5` needs a person).
    pub const fn fix_availability(self) -> FixAvailability {
        match self {
            Rule::MissingBom | Rule::UnexpectedBom | Rule::BlankLine | Rule::CrlfLineEnding => {
                FixAvailability::Safe
            }
            Rule::ExtraTopLevelKey | Rule::InvalidWeight | Rule::DoubleEncodedToolArguments => {
                FixAvailability::Unsafe
            }
            _ => FixAvailability::None,
        }
    }

    /// Whether the rule runs unless the user turns it on: rules whose findings are often wanted
    /// (personal data in a support bot's own answers) are off until a configuration file or a flag
    /// sets their level.
    pub const fn enabled_by_default(self) -> bool {
        !matches!(self, Rule::EmailAddress | Rule::PhoneNumber)
    }

    /// Whether a finding's span is the secret itself (a key, a token, a private key). A report
    /// never shows those bytes: the message carries a redacted form, and a reporter that prints
    /// the source around a finding masks the span ([`Diagnostic::span_is_secret`]).
    ///
    /// [`Diagnostic::span_is_secret`]: crate::diagnostic::Diagnostic::span_is_secret
    pub const fn span_is_secret(self) -> bool {
        matches!(self, Rule::SecretInContent)
    }

    /// Finds a rule by its code (any case) or its name.
    pub fn find(key: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.code().eq_ignore_ascii_case(key) || rule.name() == key)
    }

    /// Whether the rule's severity differs between the `azure` and `openai` profiles.
    pub const fn severity_depends_on_profile(self) -> bool {
        !matches!(
            (self.severity(Profile::Azure), self.severity(Profile::Openai)),
            (Severity::Error, Severity::Error)
                | (Severity::Warning, Severity::Warning)
                | (Severity::Info, Severity::Info)
        )
    }

    /// The rule's index in [`Rule::ALL`], for per-rule tables.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for rule in Rule::ALL {
            assert!(codes.insert(rule.code()), "duplicate code {}", rule.code());
            assert!(names.insert(rule.name()), "duplicate name {}", rule.name());
            assert!(rule.code().starts_with("FT") && rule.code().len() == 5);
            assert!(rule.name().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            assert_eq!(Rule::find(rule.code()), Some(*rule));
            assert_eq!(Rule::find(&rule.code().to_lowercase()), Some(*rule));
            assert_eq!(Rule::find(rule.name()), Some(*rule));
        }
    }

    #[test]
    fn every_rules_source_path_names_its_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for rule in Rule::ALL {
            let path = root.join(rule.source_path());
            let text =
                std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rule}: {}: {e}", path.display()));
            assert!(text.contains(rule.code()), "{rule}: {} does not mention its code", path.display());
        }
    }

    #[test]
    fn every_rule_has_docs_with_the_four_sections_and_a_fix() {
        for rule in Rule::ALL {
            let docs = rule.docs();
            for heading in ["## What it does", "## Why it matters", "## Example", "## How to fix"] {
                assert!(docs.contains(heading), "{rule}: docs lack `{heading}`");
            }
            assert!(!rule.fix().is_empty(), "{rule}: no fix text");
        }
    }

    #[test]
    fn fixable_rules_show_the_corrected_example_and_name_the_fix() {
        for rule in Rule::ALL {
            let docs = rule.docs();
            if rule.fix_availability() == FixAvailability::None {
                continue;
            }
            assert!(docs.contains("Use instead"), "{rule}: no corrected example");
            let how = &docs[docs.find("## How to fix").unwrap()..];
            assert!(how.contains("`ftlint fix"), "{rule}: How to fix does not name `ftlint fix`");
            let unsafe_flag = how.contains("--unsafe-fixes");
            assert_eq!(unsafe_flag, rule.fix_availability() == FixAvailability::Unsafe, "{rule}");
        }
    }

    #[test]
    fn only_the_rules_the_services_disagree_on_have_a_severity_per_profile() {
        let dependent: Vec<Rule> =
            Rule::ALL.iter().copied().filter(|rule| rule.severity_depends_on_profile()).collect();
        assert_eq!(dependent, [Rule::TooManyImages, Rule::RftLastMessageNotUser, Rule::DpoImages]);
        assert_eq!(Rule::DpoImages.severity(Profile::Azure), Severity::Info);
        assert_eq!(Rule::DpoImages.severity(Profile::Openai), Severity::Warning);
        assert_eq!(Rule::TooManyImages.severity(Profile::Azure), Severity::Warning);
        assert_eq!(Rule::TooManyImages.severity(Profile::Openai), Severity::Error);
        assert_eq!(Rule::RftLastMessageNotUser.severity(Profile::Azure), Severity::Error);
        assert_eq!(Rule::RftLastMessageNotUser.severity(Profile::Openai), Severity::Warning);
    }

    #[test]
    fn index_matches_position_in_all() {
        for (i, rule) in Rule::ALL.iter().enumerate() {
            assert_eq!(rule.index(), i);
        }
    }
}
