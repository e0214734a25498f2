//! The output formats: what each shows, colour, the per-file cap and the summary.

use predicates::prelude::*;

use crate::{fixture, ftlint};

#[test]
fn concise_prints_one_line_per_finding_and_a_summary() {
    let output = ftlint()
        .args(["check", "--output-format", "concise"])
        .arg(fixture("line/invalid-json.jsonl"))
        .arg(fixture("file/missing-bom.jsonl"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let first = fixture("line/invalid-json.jsonl").display().to_string();
    let second = fixture("file/missing-bom.jsonl").display().to_string();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert_eq!(
        lines[0],
        format!("{first}:2:98: FT102 [error] invalid JSON: expected `,` or `]` after array element")
    );
    assert!(lines[3].starts_with(&format!("{second}: FT002 [*] [warning] file has no UTF-8 byte-order mark")));
    assert_eq!(lines[4], "3 errors, 1 warning in 2 files (21 examples checked)");
    assert_eq!(lines[5], "1 fixable with `ftlint fix`");
}

#[test]
fn concise_is_the_default_when_output_is_not_a_terminal() {
    ftlint()
        .arg("check")
        .arg(fixture("line/invalid-json.jsonl"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(":2:98: FT102 [error]"));
}

#[test]
fn json_has_the_contract_fields_with_nulls_for_file_level_findings() {
    let (code, document) = crate::check_json(&[fixture("file/missing-bom.jsonl").to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(document["version"], 1);
    let file = &document["files"][0];
    assert_eq!(file["bytes"], std::fs::metadata(fixture("file/missing-bom.jsonl")).unwrap().len());
    assert_eq!(file["examples"], 12);
    let d = &file["diagnostics"][0];
    for key in ["code", "name", "severity", "message", "line", "column", "offset", "length", "pointer"] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
    assert_eq!(d["name"], "missing-bom");
    assert_eq!(d["severity"], "warning");
    assert!(d["line"].is_null() && d["column"].is_null() && d["pointer"].is_null());
    assert_eq!(
        document["summary"],
        serde_json::json!({"files": 1, "examples": 12, "errors": 0, "warnings": 1, "infos": 0})
    );
}

#[test]
fn full_shows_the_line_a_label_and_help_with_the_real_position() {
    let output = ftlint()
        .args(["check", "--output-format", "full", "--color", "never"])
        .arg(fixture("line/invalid-json.jsonl"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("FT102 invalid-json"), "{stdout}");
    assert!(stdout.contains("invalid-json.jsonl:2:98]"), "{stdout}");
    assert!(stdout.contains("expected `,` or `]`"), "{stdout}");
    assert!(stdout.contains("help: separate array elements with `,`"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "no colour was asked for");
    assert!(stdout.ends_with("3 errors, 0 warnings in 1 file (9 examples checked)\n"));
}

#[test]
fn full_shows_a_window_of_a_long_line_not_the_whole_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    let line = format!("{{\"messages\": \"{}\" \"oops\": 1}}\n", "é".repeat(200_000));
    std::fs::write(&path, line).unwrap();
    let output =
        ftlint().args(["check", "--output-format", "full", "--color", "never"]).arg(&path).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.len() < 3_000, "printed {} bytes", stdout.len());
    assert!(stdout.contains("long.jsonl:1:200017]"), "{stdout}");
    assert!(stdout.contains("…"), "{stdout}");
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = ftlint();
        cmd.args(["check", "--output-format", "full"]).args(args).arg(fixture("line/invalid-json.jsonl"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap().contains('\u{1b}')
    };
    assert!(run(&["--color", "always"], &[]));
    assert!(!run(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    assert!(!run(&[], &[]), "not a terminal");
    assert!(run(&[], &[("FORCE_COLOR", "1")]));
    assert!(!run(&[], &[("NO_COLOR", "1")]));
}

#[test]
fn machine_formats_never_have_colour() {
    for format in ["json", "concise"] {
        let output = ftlint()
            .args(["check", "--color", "always", "--output-format", format])
            .arg(fixture("line/invalid-json.jsonl"))
            .env("FORCE_COLOR", "1")
            .output()
            .unwrap();
        assert!(!output.stdout.contains(&0x1b), "{format}");
    }
}

#[test]
fn human_formats_cap_findings_per_file_and_say_how_many_were_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    std::fs::write(&path, "{oops\n".repeat(75)).unwrap();
    let stdout = |extra: &[&str]| {
        let output = ftlint()
            .args(["check", "--profile", "openai", "--output-format", "concise"])
            .args(extra)
            .arg(&path)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let capped = stdout(&[]);
    assert_eq!(capped.matches("FT102").count(), 50);
    assert!(capped.contains("25 more findings not shown (showing the first 50"), "{capped}");
    assert!(capped.contains("75 errors, 0 warnings in 1 file"), "the summary counts everything: {capped}");
    assert_eq!(stdout(&["--max-diagnostics", "0"]).matches("FT102").count(), 75);
    assert_eq!(stdout(&["--max-diagnostics", "3"]).matches("FT102").count(), 3);
    let (_, document) = crate::check_json(&[path.to_str().unwrap()]);
    assert_eq!(
        document["files"][0]["diagnostics"].as_array().unwrap().len(),
        76,
        "json is complete (+ FT002)"
    );
}

#[cfg(unix)]
#[test]
fn a_closed_output_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    std::fs::write(&path, "{oops\n".repeat(200_000)).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ftlint"))
        .args(["check", "--output-format", "json"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    // The reader left early, but the file has errors: the status still says so.
    assert_eq!(status.code(), Some(1));
}

/// A 45 MB file of distinct, valid records: large enough for a progress bar.
fn large_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("large.jsonl");
    let mut text = String::with_capacity(46 << 20);
    for i in 0..110_000 {
        text.push_str(&format!(
            "{{\"messages\": [{{\"role\": \"user\", \"content\": \"Question {i} {}\"}}, {{\"role\": \"assistant\", \"content\": \"Answer {i}\"}}]}}\n",
            "x".repeat(300)
        ));
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_progress_bar_shows_on_a_terminal_and_never_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let path = large_file(dir.path());
    let piped = ftlint().args(["check", "--no-tokens"]).arg(&path).output().unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert!(piped.stderr.is_empty(), "{}", String::from_utf8_lossy(&piped.stderr));
    // Under a pseudo-terminal (util-linux `script`), the bar is drawn with the file's name.
    let binary = assert_cmd::cargo::cargo_bin("ftlint");
    let command = format!("'{}' check --no-tokens '{}'", binary.display(), path.display());
    let Ok(terminal) = std::process::Command::new("script").args(["-qec", &command, "/dev/null"]).output()
    else {
        return; // no `script` here
    };
    let shown = String::from_utf8_lossy(&terminal.stdout);
    assert!(shown.contains("large.jsonl \u{2591}") || shown.contains("large.jsonl \u{2588}"), "{shown}");
    // A machine format on the same terminal gets no bar.
    let command =
        format!("'{}' check --no-tokens --output-format json '{}'", binary.display(), path.display());
    let terminal =
        std::process::Command::new("script").args(["-qec", &command, "/dev/null"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&terminal.stdout).contains('\u{2591}'));
}

#[test]
fn control_characters_from_the_data_are_escaped_in_human_and_github_output() {
    // A key holding ESC and BEL (a terminal title sequence) and a newline that would forge a
    // finding line; and a file name with a newline in it.
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\nFAKE.jsonl:9:9: FT000 [error] forged.jsonl";
    let record = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"ok\"}], \"x\\u001b]0;pwned\\u0007\\nFAKE.jsonl:9:9: FT000 [error] forged\": 1}\n";
    std::fs::write(dir.path().join(name), record).unwrap();
    for format in ["concise", "full", "github"] {
        let output = ftlint()
            .current_dir(dir.path())
            .args(["check", "--no-tokens", "--color", "never", "--output-format", format, name])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{7}'), "{format}: {stdout:?}");
        assert!(stdout.contains("\\u001b]0;pwned\\u0007"), "{format}: {stdout}");
        assert!(!stdout.lines().any(|line| line.starts_with("FAKE.jsonl")), "{format}: {stdout}");
        if format == "concise" {
            let findings: Vec<&str> = stdout.lines().filter(|line| line.contains(" [")).collect();
            assert!(findings.iter().all(|line| line.starts_with("evil\\nFAKE.jsonl")), "{stdout}");
        }
    }
}

#[test]
fn no_output_format_prints_a_credential_and_full_masks_it_in_the_source_line() {
    let key = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIj3kLm";
    let dir = tempfile::tempdir().unwrap();
    let record = format!(
        "{{\"messages\": [{{\"role\": \"usr\", \"content\": \"Use {key} for the API.\"}}, {{\"role\": \"assistant\", \"content\": \"ok\"}}]}}\n"
    );
    std::fs::write(dir.path().join("keys.jsonl"), record).unwrap();
    // The random characters after the prefix: the redacted message keeps only the prefix and the
    // last four. The finding on the role comes first, and its window reaches into the key too.
    let body = &key[8..16];
    for format in ["full", "concise", "json", "json-lines", "github", "gitlab", "sarif", "junit"] {
        let output = ftlint()
            .current_dir(dir.path())
            .args(["check", "--no-tokens", "--color", "never", "--output-format", format, "keys.jsonl"])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.contains("FT701") || stdout.contains("secret-in-content"), "{format}: {stdout}");
        assert!(!stdout.contains(body), "{format} prints the key: {stdout}");
        if format == "full" {
            let masked = "*".repeat(key.chars().count());
            assert!(stdout.contains(&format!("Use {masked} for")), "{stdout}");
            assert!(stdout.contains("\"usr\", \"content\": \"Use ***"), "{stdout}");
            assert!(stdout.contains("sk-proj-…3kLm"), "the message keeps the redacted key: {stdout}");
        }
    }
}
