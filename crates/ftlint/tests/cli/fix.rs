//! `ftlint fix`: what it changes, that it converges, and that it never loses the original.

use std::path::{Path, PathBuf};
use std::time::Duration;

use predicates::prelude::*;

use super::{check_json, findings, fixture, ftlint};

/// Twelve clean records without a BOM, with CRLF endings and blank lines between some of them.
fn messy_file(dir: &Path) -> (PathBuf, Vec<u8>) {
    let clean = std::fs::read(fixture("examples/train.jsonl")).unwrap();
    let text = String::from_utf8(clean[3..].to_vec()).unwrap();
    let mut messy = String::new();
    for (i, line) in text.lines().enumerate() {
        messy.push_str(line);
        messy.push_str("\r\n");
        if i % 4 == 0 {
            messy.push_str("  \n");
        }
    }
    let path = dir.join("train.jsonl");
    std::fs::write(&path, &messy).unwrap();
    (path, messy.into_bytes())
}

fn codes_of(path: &Path) -> Vec<String> {
    let (_, document) = check_json(&[path.to_str().unwrap()]);
    findings(&document).into_iter().map(|f| f.code).collect()
}

#[test]
fn safe_fixes_remove_their_findings_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = messy_file(dir.path());
    let before = codes_of(&path);
    assert!(before.contains(&"FT002".to_owned()) && before.contains(&"FT104".to_owned()), "{before:?}");
    ftlint()
        .arg("fix")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "train.jsonl: FT002 missing-bom: 1 fixed, FT104 blank-line: 3 fixed, FT105 crlf-line-ending: 12 fixed",
        ));
    let fixed = std::fs::read(&path).unwrap();
    assert_eq!(
        fixed,
        std::fs::read(fixture("examples/train.jsonl")).unwrap(),
        "fix restores the clean example"
    );
    assert_eq!(codes_of(&path), Vec::<String>::new());
    ftlint().arg("fix").arg(&path).assert().code(0).stdout(predicate::str::contains("nothing to fix"));
    assert_eq!(std::fs::read(&path).unwrap(), fixed);
}

#[test]
fn diff_shows_the_changes_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, original) = messy_file(dir.path());
    let output = ftlint().args(["fix", "--diff"]).arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(diff.starts_with(&format!("--- a/{}", path.display())), "{diff}");
    // Every line changes (CRLF), so the whole file is one hunk: 15 lines become 12.
    assert!(diff.contains("@@ -1,15 +1,12 @@\n-{\"messages\""), "{diff}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("train.jsonl: FT002 missing-bom: 1 to fix"));
    assert_eq!(std::fs::read(&path).unwrap(), original);
    let clean = fixture("examples/train.jsonl");
    ftlint().args(["fix", "--diff"]).arg(&clean).assert().code(0).stdout("");
}

#[test]
fn the_openai_profile_removes_the_bom_instead() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("train.jsonl");
    std::fs::copy(fixture("examples/train.jsonl"), &path).unwrap();
    ftlint().args(["fix", "--profile", "openai"]).arg(&path).assert().code(0);
    assert!(!std::fs::read(&path).unwrap().starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn the_profile_comes_from_the_configuration_file_unless_isolated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("train.jsonl");
    std::fs::copy(fixture("examples/train.jsonl"), &path).unwrap();
    std::fs::write(dir.path().join("ftlint.toml"), "profile = \"openai\"\n").unwrap();
    ftlint()
        .args(["fix", "--isolated"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("nothing to fix"));
    ftlint()
        .arg("fix")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("FT003 unexpected-bom: 1 fixed"));
    assert!(!std::fs::read(&path).unwrap().starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn unsafe_fixes_remove_unknown_keys_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("train.jsonl");
    let clean = std::fs::read_to_string(fixture("examples/train.jsonl")).unwrap();
    let with_ids: String = clean
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{{\"id\": {i}, {}\n", &l[l.find('{').unwrap() + 1..]))
        .collect();
    std::fs::write(&path, format!("\u{feff}{with_ids}")).unwrap();
    assert!(codes_of(&path).iter().all(|c| c == "FT210"));
    ftlint().arg("fix").arg(&path).assert().code(0).stdout(predicate::str::contains("nothing to fix"));
    ftlint()
        .args(["fix", "--unsafe-fixes"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("FT210 extra-top-level-key: 12 fixed"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), clean);
}

#[test]
fn a_crlf_file_passes_check_and_fix_removes_what_check_reports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("train.jsonl");
    let clean = std::fs::read(fixture("examples/train.jsonl")).unwrap();
    let crlf: Vec<u8> =
        clean.iter().flat_map(|&b| if b == b'\n' { vec![b'\r', b'\n'] } else { vec![b] }).collect();
    std::fs::write(&path, &crlf).unwrap();
    let (code, document) = check_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 0, "CRLF is only an info");
    assert_eq!(findings(&document).len(), 12);
    assert!(findings(&document).iter().all(|f| f.code == "FT105"));
    // Ignored, it is neither reported nor fixed: `--diff` then has nothing to show.
    ftlint().args(["fix", "--diff", "--ignore", "FT105"]).arg(&path).assert().code(0).stdout("");
    ftlint().args(["fix", "--diff", "--select", "crlf-line-ending"]).arg(&path).assert().code(1);
    ftlint()
        .arg("fix")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("FT105 crlf-line-ending: 12 fixed"));
    assert_eq!(std::fs::read(&path).unwrap(), clean);
    assert_eq!(codes_of(&path), Vec::<String>::new());
}

#[test]
fn check_marks_fixable_findings_and_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = messy_file(dir.path());
    let output =
        ftlint().args(["check", "--no-tokens", "--output-format", "concise"]).arg(&path).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("FT104 [*] [warning] blank line"), "{stdout}");
    assert!(stdout.ends_with("16 fixable with `ftlint fix`\n"), "{stdout}");
    let (_, document) = check_json(&[path.to_str().unwrap()]);
    let blank = document["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "FT104")
        .unwrap()
        .clone();
    assert_eq!(blank["fix"]["applicability"], "safe");
    assert_eq!(blank["fix"]["edits"][0]["length"], 3, "the blank line and its line feed: {blank}");
    assert_eq!(blank["fix"]["edits"][0]["content"], "");
    assert_eq!(blank["fix"]["edits"][0]["offset"], blank["offset"]);
}

#[cfg(unix)]
#[test]
fn permissions_are_kept_and_a_symlink_stays_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = messy_file(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    ftlint().arg("fix").arg(&link).assert().code(0);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    assert!(codes_of(&path).is_empty());
}

#[test]
fn standard_input_is_fixed_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let (_, messy) = messy_file(dir.path());
    let output = ftlint().args(["fix", "-"]).write_stdin(messy).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(output.stdout, std::fs::read(fixture("examples/train.jsonl")).unwrap());
    assert!(String::from_utf8_lossy(&output.stderr).contains("<stdin>: FT002 missing-bom: 1 fixed"));
}

/// A big file with a fix on every line, so writing it takes a while.
fn big_messy_file(dir: &Path) -> (PathBuf, Vec<u8>) {
    let record = br#"{"messages": [{"role": "user", "content": "What is the capital of France?"}, {"role": "assistant", "content": "Paris."}]}"#;
    let mut bytes = Vec::with_capacity(40 << 20);
    while bytes.len() < 40 << 20 {
        bytes.extend_from_slice(record);
        bytes.extend_from_slice(b"\r\n");
    }
    let path = dir.join("big.jsonl");
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

/// Files in `dir` other than `keep`.
fn litter(dir: &Path, keep: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p != keep).collect()
}

#[cfg(unix)]
#[test]
fn a_write_error_midway_leaves_the_original_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (path, original) = big_messy_file(dir.path());
    let binary = assert_cmd::cargo::cargo_bin("ftlint");
    // A file-size limit makes writes fail partway through, as a full disk would; SIGXFSZ is ignored
    // so the write returns an error instead of killing the process.
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f 2048; exec '{}' fix '{}'", binary.display(), path.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("big.jsonl"));
    assert!(std::fs::read(&path).unwrap() == original, "the original changed");
    assert_eq!(litter(dir.path(), &path), Vec::<PathBuf>::new(), "the temporary file is removed");
}

#[cfg(unix)]
#[test]
fn a_fix_killed_at_any_moment_leaves_the_original_or_the_whole_fix() {
    let dir = tempfile::tempdir().unwrap();
    let (path, original) = big_messy_file(dir.path());
    let fixed: Vec<u8> = {
        let mut f = b"\xEF\xBB\xBF".to_vec();
        f.extend(original.iter().filter(|&&b| b != b'\r'));
        f
    };
    let binary = assert_cmd::cargo::cargo_bin("ftlint");
    for delay_ms in [5, 20, 60, 150] {
        std::fs::write(&path, &original).unwrap();
        let mut child = std::process::Command::new(&binary).arg("fix").arg(&path).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&path).unwrap();
        assert!(now == original || now == fixed, "after {delay_ms} ms the file is half-written");
        for stray in litter(dir.path(), &path) {
            let name = stray.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.starts_with(".ftlint-fix-"), "unexpected file {name}");
            std::fs::remove_file(stray).unwrap();
        }
    }
}

/// Runs `ftlint fix ARGS` in `dir`; returns the exit code and standard error.
fn fix_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = ftlint().current_dir(dir).arg("fix").args(args).output().unwrap();
    (output.status.code().unwrap(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".ftlint"))
        .collect()
}

#[test]
fn a_bom_only_file_keeps_one_bom_under_azure_and_loses_it_under_openai() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl");
    for (profile, expected) in [("azure", &b"\xEF\xBB\xBF"[..]), ("openai", &b""[..])] {
        std::fs::write(&path, b"\xEF\xBB\xBF\n\n").unwrap();
        for _ in 0..2 {
            let (code, stderr) = fix_in(dir.path(), &["--profile", profile, "a.jsonl"]);
            assert_eq!(code, 0, "{stderr}");
        }
        assert_eq!(std::fs::read(&path).unwrap(), expected, "{profile}");
    }
}

#[test]
fn a_read_only_or_hard_linked_file_is_refused_and_left_as_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (path, original) = messy_file(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (code, stderr) = fix_in(dir.path(), &["train.jsonl"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(!stderr.contains("nothing to fix"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), original);

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::hard_link(&path, dir.path().join("other-name.jsonl")).unwrap();
    let (code, stderr) = fix_in(dir.path(), &["train.jsonl"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("2 hard links"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn the_owner_of_a_fixed_file_is_kept() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = messy_file(dir.path());
    // Only root can give a file to someone else; as anyone else the file is already the user's.
    if std::os::unix::fs::chown(&path, Some(1234), Some(5678)).is_err() {
        return;
    }
    let (code, stderr) = fix_in(dir.path(), &["train.jsonl"]);
    assert_eq!(code, 0, "{stderr}");
    let metadata = std::fs::metadata(&path).unwrap();
    assert_eq!((metadata.uid(), metadata.gid()), (1234, 5678));
    assert!(!codes_of(&path).contains(&"FT104".to_owned()));
}

#[test]
fn a_symlink_inside_a_folder_never_leads_fix_outside_it() {
    let outside = tempfile::tempdir().unwrap();
    let (victim, original) = messy_file(outside.path());
    let tree = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&victim, tree.path().join("linked.jsonl")).unwrap();
    let (code, stderr) = fix_in(tree.path(), &["."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("skipped, a symbolic link leads outside"), "{stderr}");
    assert_eq!(std::fs::read(&victim).unwrap(), original, "a file outside the tree was rewritten");
    // Named on the command line, the link is followed: the file it points to is fixed.
    let (code, stderr) = fix_in(tree.path(), &["linked.jsonl"]);
    assert_eq!(code, 0, "{stderr}");
    assert_ne!(std::fs::read(&victim).unwrap(), original);
    assert!(std::fs::symlink_metadata(tree.path().join("linked.jsonl")).unwrap().file_type().is_symlink());
}

#[test]
fn an_interrupted_fix_leaves_no_temporary_file_and_the_original_whole() {
    // A large file with a fix on every line keeps ftlint writing long enough to be interrupted.
    let dir = tempfile::tempdir().unwrap();
    let line = std::fs::read_to_string(fixture("examples/train.jsonl")).unwrap();
    let line = line.trim_start_matches('\u{feff}').lines().next().unwrap().to_owned() + "\r\n";
    let original = line.repeat(60_000).into_bytes();
    let path = dir.path().join("big.jsonl");
    for (signal, delay_ms) in [(15, 150), (2, 300), (1, 450), (9, 300)] {
        std::fs::write(&path, &original).unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ftlint"))
            .current_dir(dir.path())
            .args(["fix", "big.jsonl"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        assert!(std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap()
            .success());
        let _ = child.wait();
        assert!(temp_files(dir.path()).is_empty(), "signal {signal}: {:?}", temp_files(dir.path()));
        let now = std::fs::read(&path).unwrap();
        // Either untouched or completely fixed: never a mixture.
        assert!(now == original || !now.contains(&b'\r'), "signal {signal}: half-written file");
    }
}
