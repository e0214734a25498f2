//! `--quiet`, `--exit-zero` and `--max-warnings`: what they print and the exit codes they give.

use crate::{fixture, ftlint};

/// Runs `ftlint check --output-format concise ARGS PATH`: exit code, stdout, stderr.
fn run(args: &[&str], path: &str) -> (i32, String, String) {
    let output = ftlint()
        .args(["check", "--output-format", "concise"])
        .args(args)
        .arg(fixture(path))
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

// `file/missing-bom.jsonl` has one warning (FT002) and no error; `line/invalid-json.jsonl` has
// three errors; `examples/train.jsonl` has nothing.

#[test]
fn quiet_prints_only_the_findings() {
    let (code, stdout, _) = run(&["--quiet"], "line/invalid-json.jsonl");
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(stdout.lines().all(|l| l.contains(": FT102 [error]")), "{stdout}");
    let (_, loud, _) = run(&[], "line/invalid-json.jsonl");
    assert!(loud.contains("3 errors, 0 warnings in 1 file"));
}

#[test]
fn quiet_with_no_findings_prints_nothing() {
    for format in ["concise", "full"] {
        let output = ftlint()
            .args(["check", "-q", "--output-format", format])
            .arg(fixture("examples/train.jsonl"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        assert!(output.stdout.is_empty(), "{format}: {}", String::from_utf8_lossy(&output.stdout));
        assert!(output.stderr.is_empty());
    }
}

#[test]
fn exit_zero_turns_findings_into_success_but_not_tool_failures() {
    let (code, stdout, _) = run(&["--exit-zero"], "line/invalid-json.jsonl");
    assert_eq!(code, 0);
    assert_eq!(stdout.matches("FT102 [error]").count(), 3, "findings are still printed");
    let output = ftlint()
        .args(["check", "--exit-zero"])
        .arg(fixture("line/invalid-json.jsonl"))
        .arg(fixture("no-such-file.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "ftlint could not do its whole job");
}

#[test]
fn max_warnings_fails_only_above_the_limit() {
    assert_eq!(run(&[], "file/missing-bom.jsonl").0, 0, "warnings alone pass");
    assert_eq!(run(&["--max-warnings", "1"], "file/missing-bom.jsonl").0, 0, "1 warning is not more than 1");
    let (code, stdout, _) = run(&["--max-warnings", "0"], "file/missing-bom.jsonl");
    assert_eq!(code, 1);
    assert!(stdout.contains("FT002 [*] [warning]"), "a fixable finding is marked: {stdout}");
    assert_eq!(run(&["--max-warnings", "0", "--exit-zero"], "file/missing-bom.jsonl").0, 0);
    // Errors fail whatever the warning limit.
    assert_eq!(run(&["--max-warnings", "100"], "line/invalid-json.jsonl").0, 1);
    let (code, _, stderr) = run(&["--max-warnings", "many"], "file/missing-bom.jsonl");
    assert_eq!(code, 2);
    assert!(stderr.contains("--max-warnings"), "{stderr}");
}

#[test]
fn a_closed_output_pipe_still_exits_1_when_errors_were_found() {
    // The reader goes away before ftlint writes: every write meets a closed pipe. What was found
    // must still decide the exit status, as if the output had been read to the end.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bad.jsonl");
    std::fs::write(&data, "{oops\n".repeat(5000)).unwrap();
    for format in ["json", "concise"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ftlint"))
            .args(["check", "--no-tokens", "--output-format", format])
            .arg(&data)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stderr.is_empty(), "a closed pipe is not an error to print");
    }
}

#[test]
fn a_file_named_twice_is_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(super::fixture("examples/train.jsonl"), dir.path().join("x.jsonl")).unwrap();
    let absolute = dir.path().join("x.jsonl");
    let output = super::ftlint()
        .current_dir(dir.path())
        .args(["check", "--no-tokens", "--output-format", "json", "x.jsonl", "./x.jsonl", "."])
        .arg(&absolute)
        .output()
        .unwrap();
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["files"].as_array().unwrap().len(), 1);
    assert_eq!(document["files"][0]["path"], "x.jsonl");
    assert_eq!(document["summary"]["files"], 1);
}
