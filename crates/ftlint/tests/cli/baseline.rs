//! `--write-baseline` and `--baseline`: accepted findings are not reported, they survive a line
//! inserted above them, new ones are reported, and accepted findings that are gone come back as
//! info findings so the baseline file shrinks.

use crate::config::training_file;
use crate::ftlint;

/// Runs `ftlint check ARGS` in `dir` with JSON output; the exit code and `(code, severity, line)`
/// of every finding.
fn run(dir: &std::path::Path, args: &[&str]) -> (i32, Vec<(String, String, Option<u64>)>) {
    let output =
        ftlint().current_dir(dir).args(["check", "--output-format", "json"]).args(args).output().unwrap();
    let document: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    let found = document["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|file| file["diagnostics"].as_array().unwrap().clone())
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                d["line"].as_u64(),
            )
        })
        .collect();
    (output.status.code().unwrap(), found)
}

#[test]
fn a_baseline_accepts_known_findings_through_edits_and_reports_new_and_stale_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Ten examples and a blank line (FT104) after the first; an unknown key (FT2xx) on the third.
    let data = training_file(root, "data/train.jsonl", 10, true);
    let text = std::fs::read_to_string(&data).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[2] = lines[2].replacen('{', "{\"note\": 1, ", 1);
    std::fs::write(&data, lines.join("\n") + "\n").unwrap();

    let (_, before) = run(root, &[]);
    assert!(before.len() >= 2, "{before:?}");
    let (code, _) = run(root, &["--write-baseline", "ftlint-baseline.json", "data"]);
    assert_eq!(code, 0);
    let written = std::fs::read_to_string(root.join("ftlint-baseline.json")).unwrap();
    assert!(written.starts_with("{\"ftlint_baseline\": 1, \"findings\": [\n"), "{written}");
    assert!(written.contains("\"path\":\"data/train.jsonl\""), "{written}");

    // Everything is accepted.
    let (code, found) = run(root, &["--baseline", "ftlint-baseline.json", "data"]);
    assert_eq!((code, found), (0, vec![]));

    // A record inserted at the top moves every line: still nothing new.
    let record = "{\"messages\": [{\"role\": \"user\", \"content\": \"Top?\"}, {\"role\": \"assistant\", \"content\": \"Yes.\"}]}";
    lines.insert(0, record.to_owned());
    lines[1] = lines[1].trim_start_matches('\u{feff}').to_owned();
    lines[0].insert(0, '\u{feff}');
    std::fs::write(&data, lines.join("\n") + "\n").unwrap();
    let (code, found) = run(root, &["--baseline", "ftlint-baseline.json", "data"]);
    assert_eq!((code, found), (0, vec![]));

    // A new fault is reported; the blank line, removed, comes back as a stale info finding.
    lines.retain(|line| !line.is_empty());
    lines.push("{\"messages\": []}".to_owned());
    std::fs::write(&data, lines.join("\n") + "\n").unwrap();
    let (code, found) = run(root, &["--baseline", "ftlint-baseline.json", "data"]);
    assert_eq!(code, 1, "{found:?}");
    assert!(found.iter().any(|(c, s, line)| c != "FT104" && s == "error" && *line == Some(12)), "{found:?}");
    assert!(found.contains(&("FT104".to_owned(), "info".to_owned(), None)), "{found:?}");
    assert_eq!(found.iter().filter(|(_, s, _)| s == "info").count(), 1, "{found:?}");
    // A rule turned off is not checked, so its entries are not stale.
    let (_, found) = run(root, &["--baseline", "ftlint-baseline.json", "--ignore", "FT104", "data"]);
    assert!(!found.iter().any(|(c, _, _)| c == "FT104"), "{found:?}");
}

#[test]
fn an_unreadable_baseline_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    training_file(dir.path(), "train.jsonl", 10, false);
    std::fs::write(dir.path().join("b.json"), "[]").unwrap();
    let output =
        ftlint().current_dir(dir.path()).args(["check", "--baseline", "b.json", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("--baseline b.json: not a baseline file"), "{stderr}");
}

#[test]
fn write_baseline_refuses_the_report_path_and_standard_output_and_names_a_missing_folder() {
    let dir = tempfile::tempdir().unwrap();
    training_file(dir.path(), "train.jsonl", 10, true);
    let run = |args: &[&str]| {
        let output = ftlint().current_dir(dir.path()).arg("check").args(args).output().unwrap();
        (output.status.code().unwrap(), String::from_utf8(output.stderr).unwrap())
    };
    let (code, stderr) = run(&["--write-baseline", "b.json", "-o", "./b.json", "train.jsonl"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("it is also the --output-file"), "{stderr}");
    assert!(!dir.path().join("b.json").exists());

    let (code, stderr) = run(&["--write-baseline", "-", "train.jsonl"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not to standard output"), "{stderr}");
    assert!(!dir.path().join("-").exists());

    let (code, stderr) = run(&["--write-baseline", "/nonexistent-folder/b.json", "train.jsonl"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("/nonexistent-folder"), "{stderr}");
    assert!(!stderr.contains(".ftlint-") && !stderr.contains(".tmp"), "no temporary path: {stderr}");
}

#[test]
fn a_run_with_an_unreadable_input_writes_no_baseline() {
    let dir = tempfile::tempdir().unwrap();
    training_file(dir.path(), "train.jsonl", 10, true);
    let output = ftlint()
        .current_dir(dir.path())
        .args(["check", "--write-baseline", "b.json", "train.jsonl", "missing.jsonl"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("b.json: not written, since some inputs could not be checked"), "{stderr}");
    assert!(!dir.path().join("b.json").exists());
}

#[test]
fn entries_of_files_not_found_are_explained_by_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    training_file(root, "data/train.jsonl", 10, true);
    let (code, _) = run(root, &["--write-baseline", "b.json", "data"]);
    assert_eq!(code, 0);
    // Run from `data/`: the baseline's `data/train.jsonl` is not found from there.
    let output = ftlint()
        .current_dir(root.join("data"))
        .args(["check", "--baseline", "../b.json", "train.jsonl"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("files not found (such as data/train.jsonl)"), "{stderr}");
    assert!(stderr.contains("relative to the working directory it was written from"), "{stderr}");
}

#[test]
fn a_stale_entry_reads_an_ft_code_finding() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let data = training_file(root, "train.jsonl", 10, true);
    let (code, _) = run(root, &["--write-baseline", "b.json", "train.jsonl"]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&data, text.replace("\n\n", "\n")).unwrap();
    let output = ftlint()
        .current_dir(root)
        .args(["check", "--output-format", "concise", "--baseline", "b.json", "train.jsonl"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("the baseline accepts an FT104 finding"), "{stdout}");
}
