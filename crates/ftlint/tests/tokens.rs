//! Token figures through the command line: totals in the JSON report, model resolution, RFT
//! statistics, `--no-tokens`, image pricing.

use std::path::{Path, PathBuf};

use ftlint_linter::tokens::TokenSettings;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tokens")
}

#[test]
fn the_cli_reports_the_same_totals() {
    // The seed file of 10 chat examples through the whole pipeline: the JSON report's totals are
    // the sums of the per-record counts.
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("expected.json")).unwrap()).unwrap();
    let rows = expected["seed"]["clippy.jsonl"].as_array().unwrap();
    let sum = |key: &str| rows.iter().map(|r| r["o200k_base"][key].as_u64().unwrap()).sum::<u64>();
    let output = assert_cmd::Command::cargo_bin("ftlint")
        .unwrap()
        .args(["check", "--output-format", "json"])
        .arg(dir().join("seed/clippy.jsonl"))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let tokens = &report["files"][0]["tokens"];
    assert_eq!(tokens["encoding"], "o200k_base");
    assert_eq!(tokens["total"].as_u64(), Some(sum("total")));
    assert_eq!(tokens["trained"].as_u64(), Some(sum("trained")));
    let max = rows.iter().map(|r| r["o200k_base"]["total"].as_u64().unwrap()).max();
    assert_eq!(tokens["max_example"].as_u64(), max);
    let stats = &report["files"][0]["stats"];
    assert_eq!(stats["examples"], 10);
    assert_eq!(stats["epochs"], 10);
    assert_eq!(stats["billed_tokens_estimate"].as_u64(), Some(sum("total") * 10));
}

fn ftlint(args: &[&str], stdin: &str) -> (i32, String, String) {
    let output =
        assert_cmd::Command::cargo_bin("ftlint").unwrap().args(args).write_stdin(stdin).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

const RFT: &str = concat!(
    r#"{"messages": [{"role": "developer", "content": "Answer."}, {"role": "user", "content": "2+2?"}], "reference_answer": "4", "target": 4}"#,
    "\n",
    r#"{"messages": [{"role": "user", "content": "3+3?"}], "reference_answer": "6"}"#,
    "\n"
);

#[test]
fn an_unknown_model_exits_2_listing_the_known_ones_unless_given_by_hand() {
    let (code, stdout, stderr) = ftlint(&["check", "--model", "gpt-9", "-"], RFT);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("unknown model `gpt-9`") && stderr.contains("gpt-4.1-nano-2025-04-14"),
        "{stderr}"
    );
    let (code, stdout, stderr) = ftlint(
        &[
            "check",
            "--format",
            "rft",
            "--model",
            "gpt-9",
            "--encoding",
            "cl100k_base",
            "--max-example-tokens",
            "9",
            "--output-format",
            "json",
            "--ignore",
            "too-few-examples",
            "-",
        ],
        RFT,
    );
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["files"][0]["tokens"]["encoding"], "cl100k_base");
    assert_eq!(report["files"][0]["stats"]["max_example_tokens"], 9);
    let over: Vec<&Value> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "FT601")
        .collect();
    assert_eq!(over.len(), 2, "{stdout}");
    assert!(over[0]["message"].as_str().unwrap().contains("limit of 9 for gpt-9"), "{stdout}");
}

#[test]
fn rft_stats_list_the_keys_graders_see_and_epochs_can_be_given() {
    let (code, stdout, _) = ftlint(
        &["check", "--format", "rft", "--epochs", "2", "--output-format", "json", "--ignore", "FT501", "-"],
        RFT,
    );
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let stats = &report["files"][0]["stats"];
    assert_eq!(stats["grader_keys"], serde_json::json!({"reference_answer": 2, "target": 1}));
    assert_eq!((stats["examples"].as_u64(), stats["messages"].as_u64()), (Some(2), Some(3)));
    assert_eq!((stats["epochs"].as_u64(), stats["epochs_estimated"].as_bool()), (Some(2), Some(false)));
    let total = report["files"][0]["tokens"]["total"].as_u64().unwrap();
    assert_eq!(stats["billed_tokens_estimate"].as_u64(), Some(total * 2));
    assert!(ftlint(&["check", "--epochs", "51", "-"], RFT).0 == 2);
}

#[test]
fn no_tokens_leaves_the_token_figures_out_and_stats_are_opt_in_for_people() {
    let (_, stdout, _) =
        ftlint(&["check", "--format", "rft", "--no-tokens", "--output-format", "json", "-"], RFT);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert!(report["files"][0]["tokens"].is_null());
    assert!(report["files"][0]["stats"]["billed_tokens_estimate"].is_null());
    assert_eq!(report["files"][0]["stats"]["messages"], 3);

    let (_, plain, _) = ftlint(&["check", "--output-format", "concise", "-"], RFT);
    assert!(!plain.contains("tokens per example"), "{plain}");
    let (_, stats, _) = ftlint(&["check", "--stats", "--output-format", "concise", "-"], RFT);
    assert!(
        stats.contains("tokens per example: min") && stats.contains("epochs 25 (the default for 2 examples)"),
        "{stats}"
    );
    let (_, off, _) = ftlint(&["check", "--stats", "--no-tokens", "--output-format", "concise", "-"], RFT);
    assert!(off.contains("token counting off") && !off.contains("tokens per example"), "{off}");
}

#[test]
fn inline_images_of_known_size_are_priced_and_remote_ones_are_not() {
    // A real 1×1 RGB PNG (its header gives the size) and a remote image (its size is unknown).
    const PNG_1X1: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
    let record = format!(
        r#"{{"messages": [{{"role": "user", "content": [{{"type": "image_url", "image_url": {{"url": "{PNG_1X1}", "detail": "high"}}}}, {{"type": "image_url", "image_url": {{"url": "https://example.com/a.png"}}}}]}}, {{"role": "assistant", "content": "Two images."}}]}}"#
    );
    let (_, stdout, stderr) = ftlint(
        &["check", "--model", "gpt-4o-2024-08-06", "--output-format", "json", "-"],
        &format!("{record}\n"),
    );
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
    let cost = TokenSettings::resolve(Some("gpt-4o-2024-08-06"), None, None, None).unwrap().images;
    let expected =
        ftlint_linter::tokens::image_tokens(1, 1, ftlint_linter::tokens::Detail::High, cost).unwrap();
    assert!(expected > 0);
    assert_eq!(report["files"][0]["tokens"]["image_tokens"], expected, "{stdout}");
    assert_eq!(report["files"][0]["stats"]["images"], 2, "{stdout}");
    assert_eq!(report["files"][0]["stats"]["images_unknown_cost"], 1, "{stdout}");
}
