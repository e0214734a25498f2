//! File-level checks: size, encoding, byte-order mark, emptiness, blank lines, line endings.

use crate::{check_fixture, check_json, findings, fixture, found};

#[test]
fn the_example_dataset_is_clean() {
    assert_eq!(check_fixture("examples/train.jsonl", &[]), (0, vec![]));
    assert_eq!(check_fixture("examples/train-openai.jsonl", &["--profile", "openai"]), (0, vec![]));
}

#[test]
fn the_azure_guide_examples_are_valid() {
    // Azure's own sample records (fixtures/seed-examples/README.md): two files are excerpts of fewer
    // than 10 examples, and the vision example's image is a URL that cannot be fetched offline.
    let seeds = fixture("seed-examples");
    let (code, document) = check_json(&[seeds.to_str().unwrap()]);
    assert_eq!(code, 1, "only the 10-example minimum is an error");
    let mut found: Vec<(String, Vec<String>)> = document["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            let path = std::path::Path::new(file["path"].as_str().unwrap());
            let codes = file["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_owned());
            (path.file_name().unwrap().to_string_lossy().into_owned(), codes.collect())
        })
        .collect();
    found.sort();
    let expected: Vec<(String, Vec<String>)> = [
        ("clippy.jsonl", &[][..]),
        ("marv-multiturn-weights.jsonl", &["FT501"]),
        ("vision.jsonl", &["FT312", "FT501"]),
    ]
    .iter()
    .map(|(name, codes)| ((*name).to_owned(), codes.iter().map(|c| (*c).to_owned()).collect()))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_missing_bom_is_a_warning_under_azure_and_can_be_raised_to_an_error() {
    assert_eq!(check_fixture("file/missing-bom.jsonl", &[]), (0, vec![found("FT002", None, None)]));
    assert_eq!(
        check_fixture("file/missing-bom.jsonl", &["--error", "missing-bom"]),
        (1, vec![found("FT002", None, None)])
    );
    assert_eq!(check_fixture("file/missing-bom.jsonl", &["--ignore", "FT002"]), (0, vec![]));
    assert_eq!(check_fixture("file/missing-bom.jsonl", &["--profile", "openai"]), (0, vec![]));
}

#[test]
fn a_bom_is_a_warning_under_openai_only() {
    assert_eq!(
        check_fixture("file/bom.jsonl", &["--profile", "openai"]),
        (0, vec![found("FT003", None, None)])
    );
    assert_eq!(check_fixture("file/bom.jsonl", &[]), (0, vec![]));
}

#[test]
fn utf16_and_utf32_are_errors_with_or_without_a_bom() {
    for name in
        ["file/utf16le-bom.jsonl", "file/utf16le.jsonl", "file/utf16be.jsonl", "file/utf32le-bom.jsonl"]
    {
        assert_eq!(check_fixture(name, &[]), (1, vec![found("FT004", None, None)]), "{name}");
    }
}

#[test]
fn empty_files_and_files_without_examples_are_errors() {
    assert_eq!(
        check_fixture("file/empty.jsonl", &["--profile", "openai"]),
        (1, vec![found("FT005", None, None)])
    );
    assert_eq!(check_fixture("file/only-bom.jsonl", &[]), (1, vec![found("FT005", None, None)]));
    let (code, found_in_blank) = check_fixture("file/only-blank-lines.jsonl", &[]);
    assert_eq!(code, 1);
    assert_eq!(found_in_blank.last(), Some(&found("FT005", None, None)));
    assert_eq!(found_in_blank.iter().filter(|f| f.code == "FT104").count(), 4);
}

#[test]
fn blank_lines_are_warnings_at_their_line() {
    assert_eq!(
        check_fixture("file/blank-lines.jsonl", &[]),
        (0, vec![found("FT104", Some(2), Some(1)), found("FT104", Some(8), Some(1))])
    );
}

#[test]
fn crlf_and_a_missing_final_newline_are_accepted() {
    // CRLF passes, with a fixable info per line so that `fix` changes nothing `check` did not show.
    let (code, found) = check_fixture("file/crlf.jsonl", &[]);
    assert_eq!(code, 0);
    assert!(!found.is_empty() && found.iter().all(|f| f.code == "FT105"), "{found:?}");
    assert_eq!(check_fixture("file/crlf.jsonl", &["--ignore", "crlf-line-ending"]), (0, vec![]));
    assert_eq!(check_fixture("file/no-final-newline.jsonl", &[]), (0, vec![]));
}

#[test]
fn invalid_utf8_points_at_the_first_bad_byte_and_other_lines_are_still_checked() {
    let (code, document) = check_json(&[crate::fixture("file/invalid-utf8.jsonl").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(
        crate::findings(&document),
        vec![found("FT101", Some(1), Some(152)), found("FT101", Some(7), Some(240))]
    );
    let bytes = std::fs::read(crate::fixture("file/invalid-utf8.jsonl")).unwrap();
    let first = &document["files"][0]["diagnostics"][0];
    let offset = first["offset"].as_u64().unwrap() as usize;
    assert_eq!(bytes[offset], 0xE9);
    assert_eq!(first["length"], 1);
    // The ten other lines parsed.
    assert_eq!(document["files"][0]["examples"], 10);
}

#[cfg(unix)]
#[test]
fn a_file_over_512_mb_is_an_error_and_the_rest_is_still_checked() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(
        br#"{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}"#,
    )
    .unwrap();
    file.write_all(b"\n").unwrap();
    // A sparse file: 512 MB of NUL bytes on disk costs nothing.
    file.set_len(536_870_912 + 1).unwrap();
    drop(file);
    let (code, document) = check_json(&["--profile", "openai", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let found = crate::findings(&document);
    assert_eq!(found[0], crate::found("FT001", None, None));
    // Line 2 (the NUL bytes) was still checked.
    assert_eq!(found[1].code, "FT102");
    assert_eq!(found[1].line, Some(2));
    assert_eq!(document["files"][0]["examples"], 1);
    assert_eq!(document["files"][0]["bytes"], 536_870_913u64);
}

#[test]
fn compressed_files_are_named_as_such_not_reported_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let plain = fixture("examples/train.jsonl");
    // Names that hide the compression: the file is named, not read (`.jsonl.gz` and `.jsonl.zst`
    // files are read, below).
    for (tool, name, format) in [("gzip", "train.jsonl", "gzip"), ("zstd", "upload.jsonl", "zstd")] {
        let path = dir.path().join(name);
        let compressed = std::process::Command::new(tool).arg("-c").arg(&plain).output();
        let Ok(compressed) = compressed else { continue }; // the tool is not on this system
        std::fs::write(&path, compressed.stdout).unwrap();
        let (code, document) = check_json(&[path.to_str().unwrap()]);
        assert_eq!(code, 1);
        let codes: Vec<String> = findings(&document).into_iter().map(|f| f.code).collect();
        assert_eq!(codes, ["FT006"], "{name}: one finding, not a flood of FT101");
        let message = document["files"][0]["diagnostics"][0]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("file is {format}-compressed data")), "{message}");
        // Fix refuses it, and leaves it as it is.
        let before = std::fs::read(&path).unwrap();
        let output = super::ftlint().arg("fix").arg(&path).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("decompress it first"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}

/// A dataset with findings on several lines, as JSONL text.
fn faulty_dataset() -> Vec<u8> {
    let mut text = String::new();
    for i in 0..12 {
        text.push_str(&format!(
            "{{\"messages\": [{{\"role\": \"user\", \"content\": \"Q{i}\"}}, {{\"role\": \"assistant\", \"content\": \"A{i}\"}}]}}\n"
        ));
    }
    text.push_str("{\"messages\": [{\"role\": \"human\", \"content\": \"x\"}]}\n\n{broken\n");
    text.into_bytes()
}

#[test]
fn gzip_and_zstd_files_are_checked_with_the_findings_of_their_uncompressed_form() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let bytes = faulty_dataset();
    let plain = dir.path().join("train.jsonl");
    std::fs::write(&plain, &bytes).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    std::fs::write(dir.path().join("train.jsonl.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(dir.path().join("train.JSONL.ZST"), zstd::encode_all(&bytes[..], 3).unwrap()).unwrap();

    let (code, document) = check_json(&[plain.to_str().unwrap()]);
    assert_eq!(code, 1);
    let expected = findings(&document);
    assert!(expected.len() >= 3, "{expected:?}");
    for name in ["train.jsonl.gz", "train.JSONL.ZST"] {
        let path = dir.path().join(name);
        let output = super::ftlint().args(["check", "--output-format", "json"]).arg(&path).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{name}");
        let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(findings(&document), expected, "{name}");
        assert_eq!(document["files"][0]["path"], path.to_str().unwrap());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("-compressed JSONL; the fine-tuning services take uncompressed JSONL"),
            "{stderr}"
        );
        // Fix refuses it, and leaves it as it is.
        let before = std::fs::read(&path).unwrap();
        let output = super::ftlint().arg("fix").arg(&path).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
    // A directory walk finds them too.
    let (_, document) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(document["files"].as_array().unwrap().len(), 3);

    // Corrupt compressed data is an error naming the format, not a flood of findings.
    let corrupt = dir.path().join("corrupt.jsonl.gz");
    std::fs::write(&corrupt, b"\x1F\x8B\x08\x00garbage").unwrap();
    let output = super::ftlint().arg("check").arg(&corrupt).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("cannot read it as gzip data"), "{stderr}");
}

/// A folder with a plain and a gzip-compressed copy of [`faulty_dataset`]; returns the folder's
/// path and the compressed file's.
fn plain_and_gzip(dir: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let bytes = faulty_dataset();
    std::fs::write(dir.join("train.jsonl"), &bytes).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    let compressed = dir.join("more.jsonl.gz");
    std::fs::write(&compressed, gz.finish().unwrap()).unwrap();
    compressed
}

#[test]
fn fix_of_a_folder_skips_its_compressed_files_and_fixes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let compressed = plain_and_gzip(dir.path());
    let before = std::fs::read(&compressed).unwrap();
    let plain_before = std::fs::read(dir.path().join("train.jsonl")).unwrap();
    let output = super::ftlint().arg("fix").arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("more.jsonl.gz: skipped, `ftlint fix` does not rewrite compressed files"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&compressed).unwrap(), before);
    assert_ne!(
        std::fs::read(dir.path().join("train.jsonl")).unwrap(),
        plain_before,
        "the plain file is fixed"
    );
}

#[test]
fn findings_of_a_compressed_file_are_not_offered_as_fixable() {
    let dir = tempfile::tempdir().unwrap();
    let compressed = plain_and_gzip(dir.path());
    let run = |path: &std::path::Path| {
        let output =
            super::ftlint().args(["check", "--output-format", "concise"]).arg(path).output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let plain = run(&dir.path().join("train.jsonl"));
    assert!(plain.contains("[*]") && plain.contains("fixable with `ftlint fix`"), "{plain}");
    let stdout = run(&compressed);
    assert!(!stdout.contains("[*]"), "{stdout}");
    assert!(!stdout.contains("fixable with"), "{stdout}");
    let output =
        super::ftlint().args(["check", "--output-format", "json"]).arg(&compressed).output().unwrap();
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = document["files"][0]["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().all(|d| d["fix"].is_null()), "no fix edits into the decompressed bytes");
    assert!(
        diagnostics
            .iter()
            .any(|d| d["help"].as_str().is_some_and(|h| h.contains("after decompressing the file"))),
        "{diagnostics:?}"
    );
}
