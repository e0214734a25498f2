//! Configuration files: discovery upward from the checked path, `pyproject.toml`, precedence of
//! flags, `--isolated`, `--config`, and the exit-2 errors for what a file must not hold.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::{check_json, ftlint};

/// A clean SFT training file of `n` examples with a BOM, plus a blank line after the first record
/// when `blank` is set (so `blank-line`, FT104, has something to report at line 2).
pub fn training_file(dir: &Path, name: &str, n: usize, blank: bool) -> PathBuf {
    let mut text = String::from("\u{FEFF}");
    for i in 0..n {
        text.push_str(&format!(
            "{{\"messages\": [{{\"role\": \"user\", \"content\": \"What is {i} + {i}?\"}}, {{\"role\": \"assistant\", \"content\": \"{}.\"}}]}}\n",
            i + i
        ));
        if blank && i == 0 {
            text.push('\n');
        }
    }
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The codes and severities of the first file's findings.
fn codes(args: &[&str]) -> (i32, Vec<(String, String)>) {
    let (code, document) = check_json(args);
    let found = document["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_owned(), d["severity"].as_str().unwrap().to_owned()))
        .collect();
    (code, found)
}

fn pair(code: &str, severity: &str) -> (String, String) {
    (code.to_owned(), severity.to_owned())
}

#[test]
fn a_config_above_the_checked_file_turns_a_rule_off() {
    let dir = tempfile::tempdir().unwrap();
    let data = training_file(dir.path(), "a/b/train.jsonl", 10, true);
    let path = data.to_str().unwrap();
    assert_eq!(codes(&[path]), (0, vec![pair("FT104", "warning")]));
    write(&dir.path().join("ftlint.toml"), "[rules]\nblank-line = \"off\"\n");
    assert_eq!(codes(&[path]), (0, vec![]));
    // The nearest file wins, and files are not merged: this one says nothing of blank lines.
    write(&dir.path().join("a/.ftlint.toml"), "profile = \"azure\"\n");
    assert_eq!(codes(&[path]), (0, vec![pair("FT104", "warning")]));
}

#[test]
fn a_config_turns_rules_up_by_code_or_name_and_sets_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let data = training_file(dir.path(), "train.jsonl", 10, true);
    write(
        &dir.path().join("ftlint.toml"),
        "profile = \"openai\"\n\n[rules]\nFT104 = \"error\"\nunexpected-bom = \"info\"\n",
    );
    // Under openai the BOM is the finding (FT003), here lowered to info.
    assert_eq!(codes(&[data.to_str().unwrap()]), (1, vec![pair("FT003", "info"), pair("FT104", "error")]));
}

#[test]
fn pyproject_tool_ftlint_is_read_and_a_pyproject_without_it_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let data = training_file(dir.path(), "data/train.jsonl", 10, true);
    write(
        &dir.path().join("pyproject.toml"),
        "[project]\nname = \"demo\"\n\n[tool.ftlint.rules]\nblank-line = \"error\"\n",
    );
    // Nearer, but without the table: passed over.
    write(&dir.path().join("data/pyproject.toml"), "[project]\nname = \"inner\"\n");
    assert_eq!(codes(&[data.to_str().unwrap()]), (1, vec![pair("FT104", "error")]));
}

#[test]
fn flags_override_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let data = training_file(dir.path(), "train.jsonl", 10, true);
    let path = data.to_str().unwrap();
    write(&dir.path().join("ftlint.toml"), "profile = \"openai\"\n[rules]\nblank-line = \"off\"\n");
    assert_eq!(codes(&[path]), (0, vec![pair("FT003", "warning")]));
    assert_eq!(codes(&["--profile", "azure", "--error", "FT104", path]), (1, vec![pair("FT104", "error")]));
    assert_eq!(
        codes(&["--select", "FT104", "--warn", "blank-line", path]),
        (0, vec![pair("FT104", "warning")])
    );
}

#[test]
fn isolated_ignores_config_files_and_config_names_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = training_file(dir.path(), "train.jsonl", 10, true);
    let path = data.to_str().unwrap();
    write(&dir.path().join("ftlint.toml"), "[rules]\nblank-line = \"off\"\n");
    assert_eq!(codes(&["--isolated", path]), (0, vec![pair("FT104", "warning")]));
    let elsewhere = dir.path().join("other/strict.toml");
    write(&elsewhere, "[rules]\nblank-line = \"error\"\n");
    assert_eq!(codes(&["--config", elsewhere.to_str().unwrap(), path]), (1, vec![pair("FT104", "error")]));
}

#[test]
fn an_unknown_key_exits_2_naming_the_key_the_file_and_the_valid_keys() {
    let dir = tempfile::tempdir().unwrap();
    let data = training_file(dir.path(), "train.jsonl", 10, false);
    write(&dir.path().join("ftlint.toml"), "profile = \"azure\"\nmax-tokens = 100\n");
    ftlint().args(["check", "--output-format", "concise"]).arg(&data).assert().code(2).stdout("").stderr(
        predicate::str::contains("ftlint.toml")
            .and(predicate::str::contains("line 2"))
            .and(predicate::str::contains("unknown field `max-tokens`"))
            .and(predicate::str::contains("`profile`, `format`, `model`, `epochs`, `rules`")),
    );
    // The same in pyproject.toml, under [tool.ftlint].
    std::fs::remove_file(dir.path().join("ftlint.toml")).unwrap();
    write(&dir.path().join("pyproject.toml"), "[tool.ftlint]\nprofil = \"openai\"\n");
    ftlint().arg("check").arg(&data).assert().code(2).stderr(
        predicate::str::contains("pyproject.toml").and(predicate::str::contains("unknown field `profil`")),
    );
}

#[test]
fn an_unknown_rule_or_level_in_a_config_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let data = training_file(dir.path(), "train.jsonl", 10, false);
    write(&dir.path().join("ftlint.toml"), "[rules]\nFT104 = \"off\"\nblank-lines = \"off\"\n");
    ftlint().arg("check").arg(&data).assert().code(2).stderr(
        predicate::str::contains("ftlint.toml")
            .and(predicate::str::contains("line 3: unknown rule `blank-lines`")),
    );
    write(&dir.path().join("ftlint.toml"), "[rules]\nFT104 = \"warning\"\n");
    ftlint()
        .arg("check")
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown level `warning`"));
    // A bad value for a known key is an error too.
    write(&dir.path().join("ftlint.toml"), "profile = \"aws\"\n");
    ftlint().arg("check").arg(&data).assert().code(2).stderr(predicate::str::contains("profile"));
}

#[test]
fn fix_reads_the_file_named_by_config_instead_of_the_one_above_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let data = training_file(dir.path(), "data/train.jsonl", 10, false);
    // The file found above the data keeps the BOM (azure); the named one asks for its removal.
    write(&dir.path().join("data/ftlint.toml"), "profile = \"azure\"\n");
    let named = dir.path().join("elsewhere/openai.toml");
    write(&named, "profile = \"openai\"\n");
    ftlint().arg("fix").arg(&data).assert().code(0);
    assert!(std::fs::read(&data).unwrap().starts_with(b"\xEF\xBB\xBF"), "the discovered file keeps the BOM");
    ftlint().arg("fix").arg("--config").arg(&named).arg(&data).assert().code(0);
    assert!(!std::fs::read(&data).unwrap().starts_with(b"\xEF\xBB\xBF"), "--config's profile removes it");

    // As for `check`: `--isolated` conflicts with it, and a pyproject.toml without the table is an
    // error, both before anything is touched.
    let before = std::fs::read(&data).unwrap();
    ftlint()
        .args(["fix", "--isolated", "--config"])
        .arg(&named)
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    let pyproject = dir.path().join("elsewhere/pyproject.toml");
    write(&pyproject, "[project]\nname = \"x\"\n");
    ftlint()
        .arg("fix")
        .arg("--config")
        .arg(&pyproject)
        .arg(&data)
        .assert()
        .code(2)
        .stderr(format!("ftlint: error: {} has no [tool.ftlint] table\n", pyproject.display()));
    assert_eq!(std::fs::read(&data).unwrap(), before);
}

#[test]
fn stdin_filename_names_standard_input_and_finds_its_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let data = training_file(dir.path(), "a/b/train.jsonl", 10, true);
    let bytes = std::fs::read(&data).unwrap();
    write(&dir.path().join("a/ftlint.toml"), "[rules]\nblank-line = \"error\"\n");
    let run = |args: &[&str]| {
        let output = ftlint().current_dir(dir.path()).args(args).write_stdin(bytes.clone()).output().unwrap();
        (output.status.code(), String::from_utf8(output.stdout).unwrap())
    };
    // Without the flag, standard input is `<stdin>` and the configuration above the working
    // directory (none) applies: the blank line is a warning.
    let (code, plain) = run(&["check", "--output-format", "concise", "-"]);
    assert_eq!(code, Some(0));
    assert!(plain.starts_with("<stdin>:2:1: FT104 [*] [warning]"), "{plain}");
    // With it, the name is the one given, and `a/ftlint.toml` (found from a/b/) makes it an error.
    let (code, named) = run(&["check", "--output-format", "concise", "--stdin-filename", "a/b/x.jsonl", "-"]);
    assert_eq!(code, Some(1));
    assert!(named.starts_with("a/b/x.jsonl:2:1: FT104 [*] [error]"), "{named}");
    assert!(!named.contains("<stdin>"), "{named}");
    for format in ["json", "github", "sarif"] {
        let (_, report) = run(&["check", "--output-format", format, "--stdin-filename", "a/b/x.jsonl", "-"]);
        assert!(report.contains("a/b/x.jsonl"), "{format}: {report}");
        assert!(!report.contains("stdin"), "{format}: {report}");
    }
    // `fix` names the diff after it and takes the same configuration (here: the openai profile,
    // which removes the BOM instead of keeping it).
    write(&dir.path().join("a/ftlint.toml"), "profile = \"openai\"\n");
    let (code, diff) = run(&["fix", "--diff", "--stdin-filename", "a/b/x.jsonl", "-"]);
    assert_eq!(code, Some(1));
    assert!(diff.contains("--- a/a/b/x.jsonl\n+++ b/a/b/x.jsonl\n"), "{diff}");
    assert!(diff.contains("-\u{FEFF}{"), "the BOM is removed under the file's profile: {diff}");
}
