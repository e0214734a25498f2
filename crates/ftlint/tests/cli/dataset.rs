//! Dataset rules across a whole file and across files: the example minimum, duplicates, a
//! validation file against its training files, and the majority format under `--format auto`.

use crate::config::training_file;
use crate::{check_json, findings, found};

fn sft(i: usize) -> String {
    format!(
        "{{\"messages\": [{{\"role\": \"user\", \"content\": \"Q{i}\"}}, {{\"role\": \"assistant\", \"content\": \"A{i}\"}}]}}"
    )
}

fn dpo(i: usize) -> String {
    format!(
        "{{\"input\": {{\"messages\": [{{\"role\": \"user\", \"content\": \"Q{i}\"}}]}}, \"preferred_output\": [{{\"role\": \"assistant\", \"content\": \"A{i}\"}}], \"non_preferred_output\": [{{\"role\": \"assistant\", \"content\": \"B{i}\"}}]}}"
    )
}

fn file(dir: &std::path::Path, name: &str, lines: &[String]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("\u{FEFF}{}\n", lines.join("\n"))).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn the_validation_file_is_compared_with_every_training_file_and_has_no_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let a = file(dir.path(), "a.jsonl", &(0..10).map(sft).collect::<Vec<_>>());
    let b = file(dir.path(), "b.jsonl", &(10..20).map(sft).collect::<Vec<_>>());
    // Three examples: fine for a validation file. Line 2 is line 6 of a.jsonl, line 3 line 3 of b.
    let valid = file(dir.path(), "valid.jsonl", &[sft(100), sft(5), sft(12)]);
    let (code, document) = check_json(&[dir.path().to_str().unwrap(), "--validation", &valid]);
    assert_eq!(code, 0);
    let files = document["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    // The directory holds valid.jsonl, but it is checked once, last, as the validation file.
    assert_eq!(paths, [a.as_str(), b.as_str(), valid.as_str()]);
    let overlap = files[2]["diagnostics"].as_array().unwrap();
    let rows: Vec<(u64, &str)> =
        overlap.iter().map(|d| (d["line"].as_u64().unwrap(), d["message"].as_str().unwrap())).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].0, 2);
    assert!(rows[0].1.contains(&format!("`{a}` at line 6")), "{}", rows[0].1);
    assert_eq!(rows[1].0, 3);
    assert!(rows[1].1.contains(&format!("`{b}` at line 3")), "{}", rows[1].1);
    assert!(overlap.iter().all(|d| d["code"] == "FT503" && d["severity"] == "warning"));
}

#[test]
fn a_short_training_file_is_one_error_and_an_empty_one_is_only_no_examples() {
    let dir = tempfile::tempdir().unwrap();
    let short = training_file(dir.path(), "short.jsonl", 9, false);
    let (code, document) = check_json(&[short.to_str().unwrap()]);
    assert_eq!((code, findings(&document)), (1, vec![found("FT501", None, None)]));
    assert_eq!(
        document["files"][0]["diagnostics"][0]["message"],
        "Training file has 9 example(s), but must have at least 10 examples"
    );
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "\u{FEFF}").unwrap();
    let (_, document) = check_json(&[empty.to_str().unwrap()]);
    assert_eq!(findings(&document), vec![found("FT005", None, None)]);
}

#[test]
fn duplicates_are_found_within_a_file_not_across_training_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<String> = (0..10).map(sft).collect();
    lines.push(sft(3).replace(": ", ":"));
    let a = file(dir.path(), "a.jsonl", &lines);
    let b = file(dir.path(), "b.jsonl", &(0..10).map(sft).collect::<Vec<_>>());
    let (code, document) = check_json(&[&a, &b]);
    assert_eq!(code, 0);
    assert_eq!(findings(&document), vec![found("FT502", Some(11), Some(1))]);
    assert!(document["files"][0]["diagnostics"][0]["message"].as_str().unwrap().contains("repeats line 4"));
    assert_eq!(document["files"][1]["diagnostics"], serde_json::json!([]));
}

#[test]
fn under_auto_the_minority_format_is_reported_after_the_other_findings() {
    let dir = tempfile::tempdir().unwrap();
    // Mostly DPO; SFT records at lines 2 and 5, and a broken line 7 reported in line order first.
    let mut lines: Vec<String> = (0..12).map(dpo).collect();
    lines[1] = sft(1);
    lines[4] = sft(4);
    lines[6] = "{oops".to_owned();
    let path = file(dir.path(), "mixed.jsonl", &lines);
    // Only these two rules: the DPO record rules are not what this test is about.
    let (code, document) = check_json(&["--select", "FT102,FT202", &path]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&document),
        vec![
            found("FT102", Some(7), Some(2)),
            found("FT202", Some(2), Some(1)),
            found("FT202", Some(5), Some(1))
        ]
    );
    let message = document["files"][0]["diagnostics"][1]["message"].as_str().unwrap();
    assert!(message.contains("SFT format") && message.contains("(9 of 11) are DPO"), "{message}");

    // A tie goes to the first record's format.
    let tie: Vec<String> = (0..12).map(|i| if i % 2 == 0 { sft(i) } else { dpo(i) }).collect();
    let path = file(dir.path(), "tie.jsonl", &tie);
    let (_, document) = check_json(&["--select", "mixed-formats", &path]);
    let lines: Vec<Option<u64>> = findings(&document).iter().map(|f| f.line).collect();
    assert_eq!(lines, (0..6).map(|k| Some(2 * k + 2)).collect::<Vec<_>>());

    // Turned off, or with `--format` named, the majority is not computed.
    let (_, document) = check_json(&["--select", "FT202,FT501", "--ignore", "mixed-formats", &path]);
    assert_eq!(findings(&document), vec![]);
    let (_, document) = check_json(&["--select", "FT202", "--format", "dpo", &path]);
    let lines: Vec<Option<u64>> = findings(&document).iter().map(|f| f.line).collect();
    assert_eq!(lines, (0..6).map(|k| Some(2 * k + 1)).collect::<Vec<_>>(), "each SFT record, in line order");
}
