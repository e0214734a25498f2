//! `--grader` (and `grader` in a configuration file): an RFT grader is checked as configuration,
//! and each record against the fields it reads.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::{check_json, ftlint};

const GRADER: &str = r#"{"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "{{item.reference_answer}}", "operation": "eq"}"#;

/// An RFT training file of ten records; the third lacks `reference_answer` unless `all` is set.
fn rft_file(dir: &Path, all: bool) -> PathBuf {
    let mut text = String::from("\u{FEFF}");
    for i in 0..10 {
        let answer =
            if all || i != 2 { format!(", \"reference_answer\": \"{}\"", i + i) } else { String::new() };
        text.push_str(&format!(
            "{{\"messages\": [{{\"role\": \"user\", \"content\": \"What is {i} + {i}?\"}}]{answer}}}\n"
        ));
    }
    let path = dir.join("train.jsonl");
    std::fs::write(&path, text).unwrap();
    path
}

fn grader_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_record_without_the_field_the_grader_reads_fails_and_with_it_passes() {
    let dir = tempfile::tempdir().unwrap();
    let grader = grader_file(dir.path(), "grader.json", GRADER);
    let data = rft_file(dir.path(), false);
    let args =
        ["--format", "rft", "--no-tokens", "--grader", grader.to_str().unwrap(), data.to_str().unwrap()];
    let (code, document) = check_json(&args);
    assert_eq!(code, 1);
    let diagnostics = document["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!((d["code"].as_str(), d["line"].as_u64()), (Some("FT407"), Some(3)));
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("`{{item.reference_answer}}`") && message.contains("`reference`"), "{message}");

    let data = rft_file(dir.path(), true);
    let args =
        ["--format", "rft", "--no-tokens", "--grader", grader.to_str().unwrap(), data.to_str().unwrap()];
    let (code, document) = check_json(&args);
    assert_eq!(code, 0, "{document:#}");
    assert!(document["files"][0]["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn a_malformed_grader_exits_2_naming_the_file_the_field_and_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let data = rft_file(dir.path(), true);
    let grader = grader_file(dir.path(), "bad-grader.json", &GRADER.replace("\"eq\"", "\"equals\""));
    ftlint()
        .args(["check", "--format", "rft", "--no-tokens", "--grader"])
        .arg(&grader)
        .arg(&data)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("bad-grader.json")
                .and(predicate::str::contains("field `operation`"))
                .and(predicate::str::contains("allowed: `eq`, `ne`, `like`, `ilike`")),
        );
    let grader = grader_file(
        dir.path(),
        "multi.json",
        r#"{"type": "multi", "name": "m", "graders": {"a": {"type": "text_similarity", "name": "a", "input": "x", "reference": "y", "evaluation_metric": "rouge"}}, "calculate_output": "a"}"#,
    );
    ftlint().args(["check", "--format", "rft", "--grader"]).arg(&grader).arg(&data).assert().code(2).stderr(
        predicate::str::contains("multi.json")
            .and(predicate::str::contains("field `graders.a.evaluation_metric`"))
            .and(predicate::str::contains("`fuzzy_match`")),
    );
    ftlint()
        .args(["check", "--format", "rft", "--grader"])
        .arg(dir.path().join("missing.json"))
        .arg(&data)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("cannot read the grader").and(predicate::str::contains("missing.json")),
        );
}

#[test]
fn an_unclosed_template_in_the_grader_exits_2_quoting_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = rft_file(dir.path(), true);
    let grader = grader_file(
        dir.path(),
        "unclosed.json",
        &GRADER.replace("{{item.reference_answer}}", "{{item.reference_answer"),
    );
    ftlint()
        .args(["check", "--format", "rft", "--no-tokens", "--grader"])
        .arg(&grader)
        .arg(&data)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("unclosed.json")
                .and(predicate::str::contains("field `reference`"))
                .and(predicate::str::contains("`{{item.reference_answer`"))
                .and(predicate::str::contains("never closed")),
        );
}

#[test]
fn a_grader_without_format_rft_exits_2_instead_of_checking_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let grader = grader_file(dir.path(), "grader.json", GRADER);
    let data = rft_file(dir.path(), false);
    ftlint()
        .args(["check", "--no-tokens", "--grader"])
        .arg(&grader)
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("grader.json").and(predicate::str::contains("--format rft")));
}

#[test]
fn a_config_names_the_grader_relative_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("graders")).unwrap();
    grader_file(&dir.path().join("graders"), "exact.json", GRADER);
    std::fs::write(dir.path().join("ftlint.toml"), "format = \"rft\"\ngrader = \"graders/exact.json\"\n")
        .unwrap();
    let data = rft_file(dir.path(), false);
    let (code, document) = check_json(&["--no-tokens", data.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(document["files"][0]["diagnostics"][0]["code"], "FT407");
}

#[test]
fn a_grader_larger_than_the_cap_exits_2_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let data = rft_file(dir.path(), true);
    let output = ftlint()
        .args(["check", "--format", "rft", "--grader", "/dev/zero"])
        .arg(&data)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the grader /dev/zero is larger than 16 MiB"), "{stderr}");
}

#[test]
fn show_settings_names_the_grader() {
    let dir = tempfile::tempdir().unwrap();
    let data = rft_file(dir.path(), true);
    let grader = grader_file(dir.path(), "grader.json", GRADER);
    let output = ftlint()
        .args(["check", "--show-settings", "--format", "rft", "--grader"])
        .arg(&grader)
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = format!("grader = {}", serde_json::to_string(grader.to_str().unwrap()).unwrap());
    assert!(stdout.contains(&line), "{stdout}");
    assert!(stdout.contains("# string_check grader"), "{stdout}");
}

#[test]
fn a_baseline_entry_of_the_grader_rule_is_not_stale_when_no_grader_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let grader = grader_file(dir.path(), "grader.json", GRADER);
    rft_file(dir.path(), false);
    let run = |extra: &[&str]| {
        let output = ftlint()
            .current_dir(dir.path())
            .args(["check", "--output-format", "json", "--format", "rft", "--no-tokens"])
            .args(extra)
            .arg("train.jsonl")
            .output()
            .unwrap();
        let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let codes: Vec<String> = document["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{} {}", d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
            .collect();
        (output.status.code().unwrap(), codes)
    };
    let grader = grader.to_str().unwrap();
    let (code, _) = run(&["--grader", grader, "--write-baseline", "b.json"]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(dir.path().join("b.json")).unwrap().contains("FT407"));
    // Without the grader FT407 does not run: its entry is unchecked, not gone.
    assert_eq!(run(&["--baseline", "b.json"]), (0, vec![]));
    // With it, the entry still matches.
    assert_eq!(run(&["--grader", grader, "--baseline", "b.json"]), (0, vec![]));
}
