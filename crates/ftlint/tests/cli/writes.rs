//! Where `--output-file` writes, and where it refuses to: never over a file being checked, never a
//! device or FIFO replaced by a regular file, never a symbolic link replaced by a plain file, and no
//! temporary file left behind when the write fails.

use std::fs;
use std::os::unix::fs::FileTypeExt;

use super::{fixture, ftlint};

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".ftlint"))
        .collect()
}

#[test]
fn an_output_file_that_is_the_checked_file_is_refused_and_the_data_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("t.jsonl");
    fs::copy(fixture("examples/train.jsonl"), &data).unwrap();
    let before = fs::read(&data).unwrap();
    // Named as the input, and as a file inside the directory being checked.
    for args in [vec!["--output-file", "t.jsonl", "t.jsonl"], vec!["--output-file", "t.jsonl"]] {
        let output = ftlint().current_dir(dir.path()).arg("check").args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("cannot write t.jsonl: it is one of the files being checked"), "{stderr}");
        assert_eq!(fs::read(&data).unwrap(), before, "{args:?}");
    }
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn an_output_file_through_a_symlink_updates_the_link_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink("real.json", dir.path().join("report.json")).unwrap();
    let status = ftlint()
        .current_dir(dir.path())
        .args(["check", "--output-format", "json", "--output-file", "report.json"])
        .arg(fixture("examples/train.jsonl"))
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(0));
    assert!(fs::symlink_metadata(dir.path().join("report.json")).unwrap().file_type().is_symlink());
    let report: serde_json::Value = serde_json::from_slice(&fs::read(&real).unwrap()).unwrap();
    assert_eq!(report["summary"]["errors"], 0);
}

#[test]
fn an_output_fifo_is_written_through_and_stays_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let status = ftlint()
        .args(["check", "--output-format", "concise", "--output-file"])
        .arg(&fifo)
        .arg(fixture("examples/train.jsonl"))
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(0));
    assert!(reader.join().unwrap().contains("0 errors"));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_file_size_limit_fails_the_write_with_exit_2_and_leaves_nothing() {
    // `ulimit -f 1` allows 1 KiB per file; the JSON report of a file with many findings is larger.
    // Without SIGXFSZ ignored, the signal kills ftlint and a half-written temporary file remains.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bad.jsonl");
    fs::write(&data, "{oops\n".repeat(200)).unwrap();
    let binary = assert_cmd::cargo::cargo_bin("ftlint");
    let output = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "ulimit -f 1; exec '{}' check --output-format json --output-file out.json bad.jsonl",
            binary.display()
        ))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ftlint: error:"));
    assert!(!dir.path().join("out.json").exists());
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
}

#[test]
fn output_file_dev_stdout_writes_into_what_the_shell_opened() {
    // Appended twice to a file, and into a pipe: /dev/stdout is the shell's descriptor, never a
    // file to replace.
    let dir = tempfile::tempdir().unwrap();
    let binary = assert_cmd::cargo::cargo_bin("ftlint");
    let data = fixture("examples/train.jsonl");
    let script = format!(
        "for i in 1 2; do '{bin}' check --output-format concise --output-file /dev/stdout '{data}' >> out.txt; done; \
         '{bin}' check --output-format concise --output-file /dev/stdout '{data}' | cat > piped.txt",
        bin = binary.display(),
        data = data.display()
    );
    let status =
        std::process::Command::new("sh").current_dir(dir.path()).arg("-c").arg(&script).status().unwrap();
    assert!(status.success());
    let appended = fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert_eq!(appended.matches("0 errors").count(), 2, "{appended}");
    let piped = fs::read_to_string(dir.path().join("piped.txt")).unwrap();
    assert!(piped.contains("0 errors"), "{piped}");
    assert!(leftovers(dir.path()).is_empty());
}
