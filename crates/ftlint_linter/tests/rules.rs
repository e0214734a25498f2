//! One test per rule fixture, run in process: `cargo test -p ftlint_linter ft219` checks exactly
//! the fixtures of FT219.
//!
//! For every rule, `fixtures/rules/<CODE>-<name>/` (at the repository root) holds
//!
//! - `valid.jsonl`: examples the rule must accept; checking it yields **no diagnostic of any rule**;
//! - `invalid.jsonl`: examples the rule must reject; every diagnostic it yields, with everything a
//!   diagnostic carries (code, name, severity, line:column, span, the bytes under the span, pointer,
//!   message, label, help and fix), is compared with the snapshot
//!   `tests/snapshots/rules__<CODE>-<name>.snap`;
//! - `args.txt` (optional): the command-line flags the fixture is checked with (`--profile openai`,
//!   `--format rft`, `--max-example-tokens 60`, `TRAINING.jsonl --validation`, …), mapped here onto
//!   [`Settings`] the way the command line maps them. A flag this mapping does not know fails the
//!   test, so a new fixture cannot silently run with other settings than the CLI's.
//!
//! Token counting runs only for the token rules (FT6xx), as on the command line with `--no-tokens`
//! for the rest: loading a tokenizer costs about a second in a debug build, and no other fixture
//! comes near a token limit.
//!
//! ## Adding a rule
//!
//! Add its fixture folder and one line to `rule_tests!` below;
//! `every_fixture_folder_has_a_test_and_every_rule_is_covered` fails until both exist (or the rule
//! is in [`WITHOUT_FIXTURES`] with the test that covers it instead).
//!
//! ## Reviewing and accepting snapshots
//!
//! A changed diagnostic fails its test with a diff and leaves the new version beside the old one as
//! `.snap.new`. Review and accept with `cargo insta review` (from `cargo install cargo-insta`), or
//! accept every change at once with `INSTA_UPDATE=always cargo test -p ftlint_linter --test rules`
//! and review the result with `git diff`. A new rule's first snapshot is written the same way.
//! Never edit a snapshot by hand. (The CLI-level `crates/ftlint/tests/rules.rs` checks the same
//! fixtures end to end through the binary, exit codes included, against `expected.txt`.)

use std::path::{Path, PathBuf};

use ftlint_linter::check::check_bytes_as;
use ftlint_linter::dataset::{Role, TrainingIndex};
use ftlint_linter::diagnostic::{Diagnostic, Severity};
use ftlint_linter::rules::Rule;
use ftlint_linter::settings::{Profile, Settings};
use ftlint_linter::sink::Collector;
use ftlint_linter::tokens::TokenSettings;
use serde::Serialize;

/// Rules whose fault cannot sit in a small fixture file, and the test that covers each instead.
/// Keep in step with the same list in `crates/ftlint/tests/rules.rs`.
const WITHOUT_FIXTURES: &[(&str, &str)] = &[
    ("FT001", "crates/ftlint/tests/cli/file_checks.rs: a_file_over_512_mb_is_an_error_and_the_rest_is_still_checked"),
    ("FT308", "crates/ftlint_linter/src/checkers/vision.rs: an_image_over_10_mb_is_too_large_and_one_of_10_mb_is_not"),
    (
        "FT311",
        "crates/ftlint_linter/src/checkers/vision.rs: more_than_50000_image_examples_is_an_error_naming_the_first_line_over",
    ),
    ("FT504", "crates/ftlint_linter/src/checkers/dataset.rs: rft_files_over_50000_training_or_1000_validation_examples_are_errors_at_the_first_over"),
    ("FT602", "crates/ftlint_linter/src/rules/tokens/dataset_too_large.rs: a_file_over_two_billion_training_tokens_is_an_error"),
];

/// One `#[test]` per fixture folder, named by the rule's code in lower case, and the list of the
/// folders for the coverage test.
macro_rules! rule_tests {
    ($( $test:ident => $dir:literal, )*) => {
        $(
            #[test]
            fn $test() {
                check_rule_fixtures($dir);
            }
        )*

        /// Every test above with its fixture folder.
        const TESTED_FOLDERS: &[(&str, &str)] = &[$( (stringify!($test), $dir), )*];
    };
}

rule_tests! {
    ft002 => "FT002-missing-bom",
    ft003 => "FT003-unexpected-bom",
    ft004 => "FT004-non-utf8-encoding",
    ft005 => "FT005-no-examples",
    ft006 => "FT006-compressed-file",
    ft101 => "FT101-invalid-utf8",
    ft102 => "FT102-invalid-json",
    ft103 => "FT103-not-an-object",
    ft104 => "FT104-blank-line",
    ft105 => "FT105-crlf-line-ending",
    ft200 => "FT200-unknown-record-shape",
    ft201 => "FT201-legacy-prompt-completion",
    ft202 => "FT202-mixed-formats",
    ft210 => "FT210-extra-top-level-key",
    ft211 => "FT211-invalid-messages",
    ft212 => "FT212-invalid-role",
    ft213 => "FT213-developer-role",
    ft214 => "FT214-invalid-content",
    ft215 => "FT215-invalid-tool-message",
    ft216 => "FT216-invalid-content-part",
    ft217 => "FT217-unsupported-content-part",
    ft218 => "FT218-image-outside-user-message",
    ft219 => "FT219-invalid-weight",
    ft220 => "FT220-all-weights-zero",
    ft221 => "FT221-missing-assistant-message",
    ft222 => "FT222-last-message-not-assistant",
    ft223 => "FT223-consecutive-assistant-messages",
    ft224 => "FT224-invalid-tool-call",
    ft225 => "FT225-invalid-tool-arguments",
    ft226 => "FT226-unknown-tool-call-id",
    ft227 => "FT227-invalid-tool-definition",
    ft228 => "FT228-legacy-function-calling",
    ft229 => "FT229-empty-content",
    ft230 => "FT230-duplicate-key",
    ft231 => "FT231-unknown-message-key",
    ft232 => "FT232-assistant-first-message",
    ft233 => "FT233-unanswered-tool-call",
    ft234 => "FT234-double-encoded-tool-arguments",
    ft235 => "FT235-invalid-tool-schema",
    ft236 => "FT236-unsupported-strict-schema",
    ft237 => "FT237-tool-arguments-mismatch",
    ft301 => "FT301-invalid-image-url",
    ft302 => "FT302-invalid-image-detail",
    ft303 => "FT303-unsupported-image-url",
    ft304 => "FT304-invalid-data-url",
    ft305 => "FT305-unsupported-image-format",
    ft306 => "FT306-image-media-type-mismatch",
    ft307 => "FT307-corrupt-image",
    ft309 => "FT309-non-rgb-image",
    ft310 => "FT310-too-many-images",
    ft312 => "FT312-remote-images",
    ft401 => "FT401-invalid-preference-output",
    ft402 => "FT402-legacy-preference-keys",
    ft403 => "FT403-input-last-message-not-user",
    ft404 => "FT404-identical-preference-outputs",
    ft405 => "FT405-rft-last-message-not-user",
    ft406 => "FT406-dpo-images",
    ft407 => "FT407-grader-item-missing",
    ft501 => "FT501-too-few-examples",
    ft502 => "FT502-duplicate-example",
    ft503 => "FT503-validation-overlap",
    ft601 => "FT601-example-too-long",
    ft701 => "FT701-secret-in-content",
    ft702 => "FT702-email-address",
    ft703 => "FT703-phone-number",
}

/// The repository root: fixture paths (and the paths in `args.txt`) are relative to it, and files
/// are reported under those relative names so snapshots do not depend on where the checkout is.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The flags of an `args.txt`, as far as the fixtures use them.
#[derive(Default)]
struct Flags {
    profile: Option<String>,
    format: Option<String>,
    model: Option<String>,
    encoding: Option<String>,
    max_example_tokens: Option<u32>,
    epochs: Option<u32>,
    select: Vec<Rule>,
    ignore: Vec<Rule>,
    warn: Vec<Rule>,
    error: Vec<Rule>,
    /// Files named before the fixture: training files when the fixture is `--validation`.
    training: Vec<String>,
    validation: bool,
    /// `--grader FILE`: the RFT grader's JSON, relative to the repository root.
    grader: Option<String>,
}

impl Flags {
    fn parse(dir: &str, text: &str) -> Flags {
        let mut flags = Flags::default();
        let mut words = text.split_whitespace().map(str::to_owned);
        let rule =
            |key: &str| Rule::find(key).unwrap_or_else(|| panic!("{dir}/args.txt: `{key}` is not a rule"));
        let number = |flag: &str, value: String| -> u32 {
            value.parse().unwrap_or_else(|_| panic!("{dir}/args.txt: {flag} takes a number, not `{value}`"))
        };
        while let Some(word) = words.next() {
            if !word.starts_with("--") {
                flags.training.push(word);
                continue;
            }
            if word == "--validation" {
                flags.validation = true;
                continue;
            }
            // `--flag value` and `--flag=value` alike.
            let (flag, value) = match word.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), value.to_owned()),
                None => {
                    let value =
                        words.next().unwrap_or_else(|| panic!("{dir}/args.txt: {word} needs a value"));
                    (word, value)
                }
            };
            match flag.as_str() {
                "--profile" => flags.profile = Some(value),
                "--format" => flags.format = Some(value),
                "--model" => flags.model = Some(value),
                "--encoding" => flags.encoding = Some(value),
                "--max-example-tokens" => flags.max_example_tokens = Some(number(&flag, value)),
                "--epochs" => flags.epochs = Some(number(&flag, value)),
                "--grader" => flags.grader = Some(value),
                "--select" => flags.select.extend(value.split(',').map(rule)),
                "--ignore" => flags.ignore.extend(value.split(',').map(rule)),
                "--warn" => flags.warn.extend(value.split(',').map(rule)),
                "--error" => flags.error.extend(value.split(',').map(rule)),
                _ => panic!(
                    "{dir}/args.txt: {flag} is not mapped onto Settings by {}; add it to Flags::parse",
                    file!()
                ),
            }
        }
        flags
    }

    /// The settings the command line resolves from these flags (without a configuration file):
    /// profile and format, the model, tokens for the token rules only, then the rule levels.
    fn settings(&self, token_rule: bool) -> Settings {
        let profile: Profile = match &self.profile {
            Some(name) => serde_json::from_value(name.as_str().into())
                .unwrap_or_else(|e| panic!("--profile {name}: {e}")),
            None => Profile::Azure,
        };
        let mut settings = Settings::new(profile);
        if let Some(format) = &self.format {
            settings.format = serde_json::from_value(format.as_str().into())
                .unwrap_or_else(|e| panic!("--format {format}: {e}"));
        }
        settings.model = self.model.clone();
        settings.epochs = self.epochs;
        if token_rule {
            let encoding = self.encoding.as_deref().map(|name| {
                *ftlint_linter::tokens::Encoding::ALL
                    .iter()
                    .find(|encoding| encoding.as_str() == name)
                    .unwrap_or_else(|| panic!("--encoding {name}: not an encoding"))
            });
            let tokens =
                TokenSettings::resolve(self.model.as_deref(), encoding, self.max_example_tokens, self.epochs);
            settings.tokens = Some(tokens.unwrap_or_else(|e| panic!("{e}")));
        }
        if let Some(path) = &self.grader {
            let text =
                std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("--grader {path}: {e}"));
            let grader = ftlint_linter::grader::Grader::parse(&text)
                .unwrap_or_else(|e| panic!("--grader {path}: {e}"));
            settings.grader = Some(std::sync::Arc::new(grader));
        }
        if !self.select.is_empty() {
            settings.select_only(&self.select);
        }
        for rule in &self.ignore {
            settings.set_level(*rule, None);
        }
        for rule in &self.warn {
            settings.set_level(*rule, Some(Severity::Warning));
        }
        for rule in &self.error {
            settings.set_level(*rule, Some(Severity::Error));
        }
        settings
    }
}

/// Checks `file` (a path relative to the repository root) as the command line would with `flags`,
/// and returns its diagnostics in output order.
fn check(file: &str, flags: &Flags, settings: &Settings) -> Vec<Diagnostic> {
    let read =
        |name: &str| std::fs::read(root().join(name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
    let mut index = TrainingIndex::default();
    if flags.validation {
        // Training files first, keeping their record hashes for the validation file.
        for training in &flags.training {
            let mut ignored = Collector::default();
            let (_, seen) =
                check_bytes_as(training, &read(training), settings, Role::Training, true, &mut ignored)
                    .unwrap();
            index.add(training, seen);
        }
    }
    let role = if flags.validation { Role::Validation(&index) } else { Role::Training };
    let mut collector = Collector::default();
    check_bytes_as(file, &read(file), settings, role, false, &mut collector).unwrap();
    collector.diagnostics.into_iter().map(|(_, diagnostic)| diagnostic).collect()
}

/// What a snapshot records of one check.
#[derive(Serialize)]
struct Snapshot<'a> {
    checked: &'a str,
    flags: &'a str,
    diagnostics: Vec<Shown>,
}

/// One diagnostic as a snapshot shows it. `help: ~` means the rule's own fix text is shown.
#[derive(Serialize)]
struct Shown {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    /// `LINE:COLUMN`, or `~` for a finding about the whole file.
    at: Option<String>,
    span: ShownSpan,
    /// The bytes under the span (cut after 80 characters), to see at a glance what it covers.
    spanned: String,
    pointer: Option<String>,
    message: String,
    label: Option<String>,
    help: Option<String>,
    fix: Option<ftlint_linter::diagnostic::Fix>,
}

#[derive(Serialize)]
struct ShownSpan {
    offset: u64,
    length: u64,
}

impl Shown {
    fn new(diagnostic: Diagnostic, source: &[u8]) -> Shown {
        let start = (diagnostic.span.offset as usize).min(source.len());
        let end = (diagnostic.span.end() as usize).clamp(start, source.len());
        let text = String::from_utf8_lossy(&source[start..end]);
        let mut spanned: String = text.chars().take(80).collect();
        if text.chars().nth(80).is_some() {
            spanned.push('…');
        }
        Shown {
            code: diagnostic.rule.code(),
            name: diagnostic.rule.name(),
            severity: diagnostic.severity,
            at: diagnostic.position.map(|p| format!("{}:{}", p.line, p.column)),
            span: ShownSpan { offset: diagnostic.span.offset, length: diagnostic.span.length },
            spanned,
            pointer: diagnostic.pointer,
            message: diagnostic.message,
            label: diagnostic.label,
            help: diagnostic.help,
            fix: diagnostic.fix,
        }
    }
}

/// The test of one rule's fixture folder: `valid.jsonl` is clean, `invalid.jsonl` yields the rule
/// and exactly the diagnostics of its snapshot.
fn check_rule_fixtures(folder: &str) {
    let code = folder.split('-').next().unwrap();
    let dir = format!("fixtures/rules/{folder}");
    let args = std::fs::read_to_string(root().join(&dir).join("args.txt")).unwrap_or_default();
    let flags = Flags::parse(&dir, &args);
    let settings = flags.settings(code.starts_with("FT6"));

    let valid = format!("{dir}/valid.jsonl");
    let found = check(&valid, &flags, &settings);
    assert!(
        found.is_empty(),
        "{valid} must yield no diagnostic, but yields:\n{}",
        found
            .iter()
            .map(|d| format!("  {} {:?}: {}", d.rule.code(), d.position, d.message))
            .collect::<Vec<_>>()
            .join("\n")
    );

    let invalid = format!("{dir}/invalid.jsonl");
    let found = check(&invalid, &flags, &settings);
    assert!(
        found.iter().any(|d| d.rule.code() == code),
        "{invalid} must yield {code}, but yields {:?}",
        found.iter().map(|d| d.rule.code()).collect::<Vec<_>>()
    );
    let source = std::fs::read(root().join(&invalid)).unwrap();
    let snapshot = Snapshot {
        checked: &invalid,
        flags: args.trim(),
        diagnostics: found.into_iter().map(|d| Shown::new(d, &source)).collect(),
    };
    insta::assert_yaml_snapshot!(folder, snapshot);
}

#[test]
fn every_fixture_folder_has_a_test_and_every_rule_is_covered() {
    let mut folders: Vec<String> = std::fs::read_dir(root().join("fixtures/rules"))
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir() && entry.file_name() != "__pycache__")
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut problems = Vec::new();
    for folder in &folders {
        if !TESTED_FOLDERS.iter().any(|(_, tested)| tested == folder) {
            let test = folder.split('-').next().unwrap().to_lowercase();
            problems.push(format!(
                "fixtures/rules/{folder} has no test: add `{test} => \"{folder}\",` to rule_tests!"
            ));
        }
    }
    for (test, folder) in TESTED_FOLDERS {
        if !folders.iter().any(|f| f == folder) {
            problems.push(format!("rule_tests! names fixtures/rules/{folder}, which does not exist"));
        }
        let code = folder.split('-').next().unwrap().to_lowercase();
        if *test != code {
            problems.push(format!(
                "rule_tests!: the test of fixtures/rules/{folder} must be named `{code}`, not `{test}`"
            ));
        }
    }
    for rule in Rule::ALL {
        let folder = format!("{}-{}", rule.code(), rule.name());
        let listed = WITHOUT_FIXTURES.iter().any(|(code, _)| *code == rule.code());
        match (folders.contains(&folder), listed) {
            (false, false) => problems.push(format!(
                "{} has no fixtures: add fixtures/rules/{folder}/ (or, if its fault cannot sit in a small file, list it in WITHOUT_FIXTURES with the test that covers it)",
                rule.code()
            )),
            (true, true) => problems.push(format!("{} has fixtures and is also in WITHOUT_FIXTURES", rule.code())),
            _ => {}
        }
    }
    for folder in &folders {
        if !Rule::ALL.iter().any(|rule| format!("{}-{}", rule.code(), rule.name()) == *folder) {
            problems.push(format!(
                "fixtures/rules/{folder} names no rule (code and name must match the registry)"
            ));
        }
    }
    for (code, _) in WITHOUT_FIXTURES {
        if Rule::find(code).is_none() {
            problems.push(format!("WITHOUT_FIXTURES lists {code}, which is not a rule"));
        }
    }
    // A renamed or removed fixture folder leaves its snapshot behind; it would never be compared.
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for entry in std::fs::read_dir(&snapshots).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(folder) = name.strip_prefix("rules__").and_then(|n| n.strip_suffix(".snap")) else {
            continue;
        };
        if !TESTED_FOLDERS.iter().any(|(_, tested)| *tested == folder) {
            problems.push(format!("tests/snapshots/{name} belongs to no fixture folder: delete it"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
