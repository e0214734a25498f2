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
