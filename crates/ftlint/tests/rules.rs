//! Rule fixtures: for every rule, `fixtures/rules/<code>-<name>/` holds
//!
//! - `valid.jsonl`: examples the rule must accept; checking it yields **no diagnostic at all**;
//! - `invalid.jsonl`: examples the rule must reject;
//! - `expected.txt`: every diagnostic `invalid.jsonl` yields, one per row, as
//!   `LINE:COLUMN CODE POINTER` (`-` for a missing line, column or pointer), in output order;
//! - `args.txt` (optional): extra command-line arguments for both files, e.g. `--profile openai`,
//!   put before the file's path (so `train.jsonl --validation` checks it as a validation file).
//!
//! Token counting runs only for the token rules' fixtures (FT6xx); the rest run with `--no-tokens`.
//!
//! `FTLINT_BLESS=1 cargo test --test rules` rewrites every `expected.txt` from the actual output;
//! review the diff before committing it.
//!
//! This test runs the fixtures end to end through the binary (argument parsing, exit codes). The
//! same fixtures are checked in process, one test per rule and with every field of every diagnostic
//! in a snapshot, by `crates/ftlint_linter/tests/rules.rs` (`cargo test -p ftlint_linter ft219`).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

/// Rules whose fault cannot sit in a small fixture file, and the test that covers each instead.
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

fn run(dir: &Path, file: &str) -> (i32, Vec<String>) {
    let mut cmd = Command::cargo_bin("ftlint").unwrap();
    // `args.txt` names files relative to the repository root.
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.args(["check", "--output-format", "json"]);
    // Loading a tokenizer takes about a second in a debug build; only the token rules (FT6xx)
    // need one, and no fixture of another rule comes near a token limit.
    let token_rule = dir.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("FT6"));
    if !token_rule {
        cmd.arg("--no-tokens");
    }
    if let Ok(args) = std::fs::read_to_string(dir.join("args.txt")) {
        cmd.args(args.split_whitespace());
    }
    let checked = dir.join(file);
    let output = cmd.arg(&checked).output().unwrap();
    let document: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{}: not JSON ({e}): {}", dir.display(), String::from_utf8_lossy(&output.stderr))
    });
    // `args.txt` may name other files (a training file for `--validation`): read the findings of
    // the fixture file itself.
    let entry = document["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str() == Some(checked.to_string_lossy().as_ref()))
        .unwrap_or_else(|| panic!("{}: no output for {file}", dir.display()));
    let rows = entry["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let or_dash = |v: &Value| {
                if v.is_null() {
                    "-".to_owned()
                } else {
                    v.to_string().trim_matches('"').to_owned()
                }
            };
            let pointer = match d["pointer"].as_str() {
                Some(p) => format!("{p:?}"),
                None => "-".to_owned(),
            };
            format!(
                "{}:{} {} {}",
                or_dash(&d["line"]),
                or_dash(&d["column"]),
                d["code"].as_str().unwrap(),
                pointer
            )
        })
        .collect();
    (output.status.code().unwrap(), rows)
}

fn registered_rules() -> Vec<(String, String)> {
    let output = Command::cargo_bin("ftlint").unwrap().arg("rules").output().unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let mut words = line.split_whitespace();
            (words.next().unwrap().to_owned(), words.next().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn every_rule_has_fixtures_and_they_hold() {
    let bless = std::env::var_os("FTLINT_BLESS").is_some();
    let mut failures = Vec::new();
    for (code, name) in registered_rules() {
        if WITHOUT_FIXTURES.iter().any(|(c, _)| *c == code) {
            continue;
        }
        let dir = rules_dir().join(format!("{code}-{name}"));
        if !dir.join("valid.jsonl").exists() || !dir.join("invalid.jsonl").exists() {
            failures.push(format!("{code} {name}: no fixtures in {}", dir.display()));
            continue;
        }
        let (_, valid) = run(&dir, "valid.jsonl");
        if !valid.is_empty() {
            failures
                .push(format!("{code} {name}: valid.jsonl yields diagnostics:\n  {}", valid.join("\n  ")));
        }
        let (exit, invalid) = run(&dir, "invalid.jsonl");
        if !invalid.iter().any(|row| row.split(' ').nth(1) == Some(code.as_str())) {
            failures.push(format!(
                "{code} {name}: invalid.jsonl does not yield {code}:\n  {}",
                invalid.join("\n  ")
            ));
        }
        if exit == 2 {
            failures.push(format!("{code} {name}: invalid.jsonl exits 2"));
        }
        let expected_path = dir.join("expected.txt");
        let actual = invalid.join("\n") + "\n";
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{code} {name}: invalid.jsonl diagnostics differ\n--- expected\n{expected}--- actual\n{actual}"
            )),
            Err(_) => failures.push(format!("{code} {name}: no expected.txt")),
        }
    }
    assert!(failures.is_empty(), "{} problem(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn no_fixture_folder_names_a_rule_that_does_not_exist() {
    let rules: Vec<String> =
        registered_rules().into_iter().map(|(code, name)| format!("{code}-{name}")).collect();
    for entry in std::fs::read_dir(rules_dir()).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_dir() || entry.file_name() == "__pycache__" {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(rules.contains(&name), "fixtures/rules/{name} names no rule");
    }
}
