//! End-to-end tests of the `ftlint` binary: exit codes, findings and output, one module per area.

mod action;
mod baseline;
mod commands;
mod config;
mod dataset;
mod exit_codes;
mod file_checks;
mod fix;
mod formats;
mod grader;
mod hostile;
mod inputs;
mod line_checks;
mod output;
mod packaging;
mod repository;
mod snapshots;
mod writes;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The binary under test, with colour variables cleared so output does not depend on the caller.
pub fn ftlint() -> Command {
    let mut cmd = Command::cargo_bin("ftlint").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("COLUMNS")
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

/// One finding of the JSON output, reduced to what tests compare.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    pub code: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
}

pub fn found(code: &str, line: Option<u64>, column: Option<u64>) -> Found {
    Found { code: code.to_owned(), line, column }
}

/// Runs `ftlint check --output-format json ARGS`, returning the exit code and the parsed document.
pub fn check_json(args: &[&str]) -> (i32, Value) {
    let output = ftlint().arg("check").arg("--output-format").arg("json").args(args).output().unwrap();
    let document: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap(), document)
}

/// The findings of the first file in a JSON document.
pub fn findings(document: &Value) -> Vec<Found> {
    document["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Found {
            code: d["code"].as_str().unwrap().to_owned(),
            line: d["line"].as_u64(),
            column: d["column"].as_u64(),
        })
        .collect()
}

/// Checks a fixture and returns its exit code and findings.
pub fn check_fixture(name: &str, extra: &[&str]) -> (i32, Vec<Found>) {
    let path = fixture(name);
    let mut args: Vec<&str> = extra.to_vec();
    args.push(path.to_str().unwrap());
    let (code, document) = check_json(&args);
    (code, findings(&document))
}
