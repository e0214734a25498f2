//! What ftlint accepts as input, and how it refuses what it cannot read (exit 2).

use predicates::prelude::*;

use crate::{check_json, findings, fixture, found, ftlint};

#[test]
fn a_missing_path_exits_2_and_the_other_paths_are_still_checked() {
    let good = fixture("examples/train.jsonl");
    let bad = fixture("line/invalid-json.jsonl");
    ftlint()
        .args(["check", "--output-format", "concise", "no/such/file.jsonl"])
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ftlint: error: no/such/file.jsonl: no such file or directory"))
        .stdout(predicate::str::contains("invalid-json.jsonl:2:98: FT102 [error]"));
}

#[test]
fn a_directory_is_walked_for_jsonl_files_skipping_hidden_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::create_dir_all(root.join(".cache")).unwrap();
    std::fs::copy(fixture("examples/train.jsonl"), root.join("sub/train.jsonl")).unwrap();
    std::fs::copy(fixture("line/invalid-json.jsonl"), root.join("a.jsonl")).unwrap();
    std::fs::copy(fixture("line/invalid-json.jsonl"), root.join(".cache/hidden.jsonl")).unwrap();
    std::fs::write(root.join("notes.txt"), "not checked").unwrap();
    let (code, document) = check_json(&[root.to_str().unwrap()]);
    assert_eq!(code, 1);
    let paths: Vec<String> = document["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().replace(root.to_str().unwrap(), ""))
        .collect();
    assert_eq!(paths, vec!["/a.jsonl", "/sub/train.jsonl"]);
    assert_eq!(document["summary"]["files"], 2);
}

#[test]
fn a_directory_without_jsonl_files_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    ftlint()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no *.jsonl files found"));
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let bytes = std::fs::read(fixture("line/invalid-json.jsonl")).unwrap();
    let output =
        ftlint().args(["check", "--output-format", "json", "-"]).write_stdin(bytes).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["files"][0]["path"], "<stdin>");
    assert_eq!(findings(&document)[0], found("FT102", Some(2), Some(98)));
}

#[cfg(unix)]
#[test]
fn devices_that_never_end_are_refused() {
    ftlint()
        .args(["check", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/dev/zero: is a character device, not a file"));
}

#[cfg(unix)]
#[test]
fn a_fifo_is_read_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.jsonl");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        std::fs::write(writer_path, std::fs::read(fixture("line/invalid-json.jsonl")).unwrap()).unwrap();
    });
    let (code, document) = check_json(&[fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(code, 1);
    assert_eq!(findings(&document).len(), 3);
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_utf8_is_shown_lossily_and_checked() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xE9.jsonl"));
    std::fs::copy(fixture("examples/train.jsonl"), &path).unwrap();
    let output = ftlint().args(["check", "--output-format", "json"]).arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(document["files"][0]["path"].as_str().unwrap().ends_with("caf\u{FFFD}.jsonl"));
}

#[test]
fn an_unknown_rule_in_a_flag_exits_2() {
    ftlint()
        .args(["check", "--ignore", "no-such-rule"])
        .arg(fixture("examples/train.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `no-such-rule`"));
    // Printed once, whole, and before anything is checked: nothing on standard output.
    let train = fixture("examples/train.jsonl");
    let train = train.to_str().unwrap();
    for command in [
        &["check", "--select", "FT101,FT999", train][..],
        &["fix", "--ignore", "FT999", train],
        &["rule", "FT999"],
    ] {
        ftlint()
            .args(command)
            .assert()
            .code(2)
            .stdout("")
            .stderr("ftlint: error: unknown rule `FT999`; `ftlint rules` lists them\n");
    }
}

#[test]
fn bad_arguments_exit_2() {
    ftlint().args(["check", "--output-format", "yaml", "x.jsonl"]).assert().code(2);
    ftlint().args(["frobnicate"]).assert().code(2);
}
