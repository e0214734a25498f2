//! Snapshots of what ftlint prints: every `--output-format` (plus `--statistics` and `--stats`) on
//! one fixture with findings of every level, the help texts, `ftlint rules` and `ftlint rule FT219`.
//!
//! The fixture, `fixtures/report/varied.jsonl`, has a file-level finding (no byte-order mark), line
//! findings (a blank line, a cut-off line), record findings and dataset findings (a repeated example,
//! too few examples); its README says which. It is checked from the repository root under its
//! relative path, so reported paths do not depend on the checkout. What still does (the absolute
//! root in SARIF's `originalUriBaseIds`, the version) is replaced by `[ROOT]` and `[VERSION]`.
//! SARIF carries every rule's full documentation; its snapshot shows the document pretty-printed,
//! with each rule's `help.markdown` replaced by a pointer to the `ftlint rule` snapshot, so a change
//! to one rule's docs does not rewrite it.
//!
//! ## Reviewing and accepting snapshots
//!
//! A test whose output changed fails with a diff and writes the new output beside the old as
//! `snapshots/*.snap.new`. Review and accept them with `cargo insta review` (from
//! `cargo install cargo-insta`), or accept every change with
//! `INSTA_UPDATE=always cargo test --test cli snapshots::` and review the result with `git diff`.
//! Never edit a snapshot by hand: a change to a message, a reporter or a rule is accepted by
//! re-running, and the diff is what gets reviewed.

use std::path::Path;

use serde_json::Value;

use crate::ftlint;

/// The fixture, relative to the repository root (the tests' working directory).
const VARIED: &str = "fixtures/report/varied.jsonl";

/// Filters for what depends on the machine or the release.
fn insta_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().unwrap();
    let escape = |text: &str| {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '/' || c == '_' {
                    c.to_string()
                } else {
                    format!("\\{c}")
                }
            })
            .collect::<String>()
    };
    settings.add_filter(&escape(&root.to_string_lossy()), "[ROOT]");
    settings.add_filter(&escape(env!("CARGO_PKG_VERSION")), "[VERSION]");
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// Runs ftlint from the repository root and returns its standard output, after checking that it
/// exited with `code` and printed nothing on standard error.
fn stdout_of(args: &[&str], code: i32) -> String {
    let output = ftlint()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CI_PROJECT_DIR")
        .env_remove("GITHUB_WORKSPACE")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "ftlint {}: stderr: {stderr}", args.join(" "));
    assert!(stderr.is_empty(), "ftlint {}: stderr: {stderr}", args.join(" "));
    String::from_utf8(output.stdout).unwrap()
}

/// `ftlint check ARGS fixtures/report/varied.jsonl`, which exits 1 (it has errors).
fn check_varied(args: &[&str]) -> String {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.push(VARIED);
    stdout_of(&all, 1)
}

/// Snapshots `text` under `name`, with the machine-dependent parts filtered.
fn snapshot(name: &str, text: &str) {
    insta_settings().bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn output_format_full() {
    snapshot("output_format_full", &check_varied(&["--output-format", "full", "--color", "never"]));
}

#[test]
fn output_format_full_with_stats() {
    snapshot(
        "output_format_full_with_stats",
        &check_varied(&["--output-format", "full", "--color", "never", "--stats"]),
    );
}

#[test]
fn output_format_concise() {
    snapshot("output_format_concise", &check_varied(&["--output-format", "concise"]));
}

#[test]
fn output_format_concise_with_stats() {
    snapshot("output_format_concise_with_stats", &check_varied(&["--output-format", "concise", "--stats"]));
}

#[test]
fn output_format_json() {
    let text = check_varied(&["--output-format", "json"]);
    serde_json::from_str::<Value>(&text).expect("the json format prints one JSON document");
    snapshot("output_format_json", &text);
}

#[test]
fn output_format_json_lines() {
    let text = check_varied(&["--output-format", "json-lines"]);
    for line in text.lines() {
        serde_json::from_str::<Value>(line).expect("every line of json-lines is a JSON document");
    }
    snapshot("output_format_json_lines", &text);
}

#[test]
fn output_format_github() {
    snapshot("output_format_github", &check_varied(&["--output-format", "github"]));
}

#[test]
fn output_format_gitlab() {
    let text = check_varied(&["--output-format", "gitlab"]);
    serde_json::from_str::<Value>(&text).expect("the gitlab format prints one JSON document");
    snapshot("output_format_gitlab", &text);
}

#[test]
fn output_format_sarif() {
    let text = check_varied(&["--output-format", "sarif"]);
    let mut document: Value = serde_json::from_str(&text).expect("the sarif format prints one JSON document");
    let rules = document["runs"][0]["tool"]["driver"]["rules"].as_array_mut().expect("SARIF lists the rules");
    assert!(!rules.is_empty());
    for rule in rules {
        let id = rule["id"].as_str().unwrap().to_owned();
        let markdown = &mut rule["help"]["markdown"];
        assert!(
            markdown.as_str().is_some_and(|docs| docs.contains(&id)),
            "{id}: help.markdown holds its docs"
        );
        *markdown = Value::String(format!("[the docs `ftlint rule {id}` prints]"));
    }
    snapshot("output_format_sarif", &serde_json::to_string_pretty(&sorted(document)).unwrap());
}

/// The document with every object's keys in order, so the snapshot does not depend on whether
/// serde_json keeps insertion order (its `preserve_order` feature, which any dependency may enable).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(key, value)| (key, sorted(value))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[test]
fn output_format_junit() {
    let text = check_varied(&["--output-format", "junit"]);
    roxmltree::Document::parse(&text).expect("the junit format prints well-formed XML");
    snapshot("output_format_junit", &text);
}

#[test]
fn statistics() {
    snapshot("statistics", &check_varied(&["--statistics"]));
}

#[test]
fn statistics_as_json() {
    snapshot("statistics_as_json", &check_varied(&["--statistics", "--output-format", "json"]));
}

/// Help is wrapped at the terminal's width; `COLUMNS` pins it so the snapshot does not depend on
/// the terminal the tests run in.
fn help_of(args: &[&str]) -> String {
    let output = ftlint().env("COLUMNS", "100").args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "ftlint {}", args.join(" "));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn help() {
    snapshot("help", &help_of(&["--help"]));
}

#[test]
fn check_help() {
    snapshot("check_help", &help_of(&["check", "--help"]));
}

#[test]
fn fix_help() {
    snapshot("fix_help", &help_of(&["fix", "--help"]));
}

#[test]
fn rules() {
    snapshot("rules", &stdout_of(&["rules"], 0));
}

#[test]
fn rule_ft219() {
    snapshot("rule_ft219", &stdout_of(&["rule", "FT219"], 0));
}
