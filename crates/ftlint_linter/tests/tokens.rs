//! Token counts against OpenAI's own Python tiktoken: `fixtures/tokens/expected.json` holds, per
//! record of `corpus.jsonl` (1,200 records in many scripts, with emoji sequences, code, whitespace
//! runs and special-token text) and of the seed examples, the `total` and `trained` counts that
//! `make_expected.py` computed with Python tiktoken under the same formula, for both encodings.

use std::path::{Path, PathBuf};

use ftlint_linter::model::shape::Format;
use ftlint_linter::tokens::{count, Encoding, ImageCost, TokenSettings};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/tokens")
}

fn settings(encoding: Encoding) -> TokenSettings {
    TokenSettings {
        model: "test".into(),
        encoding,
        max_example_tokens: 65_536,
        images: ImageCost::NoImages,
        epochs: None,
    }
}

/// Compares every record of `file` with its row in `expected`; returns the mismatches.
fn compare(file: &Path, expected: &[Value]) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let arena = bumpalo::Bump::new();
    let records: Vec<ftlint_linter::model::json::Value<'_>> = text
        .trim_start_matches('\u{FEFF}')
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| ftlint_linter::model::json::parse(line, &arena).unwrap().value)
        .collect();
    assert_eq!(records.len(), expected.len(), "{}: records vs expected rows", file.display());
    let mut mismatches = Vec::new();
    for (i, (record, row)) in records.iter().zip(expected).enumerate() {
        let format = match row["format"].as_str().unwrap() {
            "sft" => Format::Sft,
            "dpo" => Format::Dpo,
            "rft" => Format::Rft,
            other => panic!("unknown format {other}"),
        };
        for encoding in [Encoding::O200kBase, Encoding::Cl100kBase] {
            let tokens = count(record.as_object().unwrap(), format, Some(&settings(encoding)));
            let want = &row[encoding.as_str()];
            let got = (u64::from(tokens.total), u64::from(tokens.trained));
            let want = (want["total"].as_u64().unwrap(), want["trained"].as_u64().unwrap());
            if got != want {
                mismatches.push(format!(
                    "{} record {} ({encoding}): ftlint (total, trained) = {got:?}, tiktoken = {want:?}",
                    file.display(),
                    i + 1
                ));
            }
        }
    }
    mismatches
}

#[test]
fn counts_equal_python_tiktoken_on_every_record() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("expected.json")).unwrap()).unwrap();
    let corpus = expected["corpus.jsonl"].as_array().unwrap();
    assert!(corpus.len() >= 1000);
    let mut mismatches = compare(&dir().join("corpus.jsonl"), corpus);
    let seeds = expected["seed"].as_object().unwrap();
    assert_eq!(seeds.len(), 3, "the three seed example files");
    for (name, rows) in seeds {
        mismatches.extend(compare(&dir().join("seed").join(name), rows.as_array().unwrap()));
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}
