//! Hostile inputs: whatever a dataset repository can hold, ftlint ends with a clear diagnostic and
//! exit 1 or 2, never a panic, a hang or a crash. The slow cases (hundreds of megabytes) are
//! `#[ignore]`d; run them with `cargo test --release --test cli hostile -- --ignored`.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use predicates::prelude::*;
use serde_json::Value;

use super::{fixture, ftlint};

/// A generous bound: every case here takes well under a second; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `ftlint check --output-format json` on a file holding `bytes`.
fn check_bytes(bytes: &[u8], extra: &[&str]) -> (Output, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.jsonl");
    std::fs::write(&path, bytes).unwrap();
    check_path(&path, extra)
}

fn check_path(path: &Path, extra: &[&str]) -> (Output, Value) {
    let output = ftlint()
        .args(["check", "--output-format", "json"])
        .args(extra)
        .arg(path)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_no_crash(&output);
    let document = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output, document)
}

fn assert_no_crash(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("a bug in ftlint"), "crashed: {stderr}");
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "ended by a signal or odd code: {:?}",
        output.status
    );
}

/// The codes reported for the first file, in order.
fn codes(document: &Value) -> Vec<String> {
    document["files"][0]["diagnostics"]
        .as_array()
        .map(|all| all.iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn first_message(document: &Value) -> String {
    document["files"][0]["diagnostics"][0]["message"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn json_nested_100000_levels_deep_is_invalid_json_not_a_stack_overflow() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let mut line = open.repeat(100_000);
        line.push('1');
        line.push_str(&close.repeat(100_000));
        line.push('\n');
        let (output, document) = check_bytes(line.as_bytes(), &["--ignore", "FT002"]);
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(codes(&document)[0], "FT102", "{open}");
        assert!(first_message(&document).contains("nested"), "{}", first_message(&document));
    }
}

#[test]
fn a_50_mb_string_is_checked_like_any_other() {
    let long = "a".repeat(50 << 20);
    let line = format!(
        "{{\"messages\": [{{\"role\": \"user\", \"content\": \"{long}\"}}, {{\"role\": \"assistant\", \"content\": \"ok\"}}]}}\n"
    );
    let (output, document) = check_bytes(line.as_bytes(), &["--ignore", "FT002"]);
    assert_no_crash(&output);
    assert_eq!(document["files"][0]["examples"], 1);
    assert!(!codes(&document).iter().any(|c| c == "FT102"), "{:?}", codes(&document));
}

#[test]
fn huge_numbers_nan_and_infinity_are_reported_not_fatal() {
    let digits = "7".repeat(10_000);
    let lines =
        format!("{digits}\n{{\"n\": {digits}.5}}\n{{\"n\": NaN}}\n{{\"n\": Infinity}}\n[-Infinity]\n");
    let (output, document) = check_bytes(lines.as_bytes(), &["--ignore", "FT002"]);
    assert_eq!(output.status.code(), Some(1));
    let found = codes(&document);
    // A bare number is valid JSON but not an object; the rest are not JSON at all (or a number too
    // large for a double, which Python's json would also refuse to round-trip).
    assert!(found.len() >= 5, "{found:?}");
    assert!(found.iter().filter(|c| *c == "FT102").count() >= 3, "{found:?}");
}

#[test]
fn lone_surrogates_and_nul_bytes_are_findings() {
    let lines: &[&[u8]] = &[
        br#"{"messages": [{"role": "user", "content": "\ud800"}]}"#,
        b"{\"messages\": [{\"role\": \"user\", \"content\": \"a\x00b\"}]}",
        b"\x00\x00\x00",
        b"{\"a\": 1}\x00",
    ];
    let bytes: Vec<u8> = lines.join(&b"\n"[..]);
    let (output, document) = check_bytes(&bytes, &["--ignore", "FT002"]);
    assert_eq!(output.status.code(), Some(1));
    let found = codes(&document);
    assert_eq!(found.iter().filter(|c| *c == "FT102").count(), 4, "{found:?}");
}

#[test]
fn a_bad_escape_followed_by_a_multibyte_character_is_reported_at_that_character() {
    // Found by fuzzing: the parser's column fell inside the U+FEFF after `\ud`.
    let line = "{\"a\": \"Weat\\ud\u{feff}y\"}\n";
    let (output, document) = check_bytes(line.as_bytes(), &["--ignore", "FT002,FT501"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes(&document), ["FT102"]);
    let column = document["files"][0]["diagnostics"][0]["column"].as_u64().unwrap();
    let found = line.chars().nth(column as usize - 1).unwrap();
    assert!(found == '\u{feff}' || found == 'd', "column {column} is at {found:?}");
}

#[test]
fn binary_files_renamed_to_jsonl_are_rejected_with_a_clear_finding() {
    // A PNG signature and header, and a gzip stream: what a mis-saved dataset often is.
    let png: &[u8] =
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00";
    let gzip: &[u8] =
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\xae\x05\x00\x43\xbf\xa6\xa3\x02\x00\x00\x00";
    let (output, document) = check_bytes(png, &[]);
    assert_eq!(output.status.code(), Some(1));
    let found = codes(&document);
    assert!(found.iter().any(|c| c == "FT101" || c == "FT102" || c == "FT004"), "{found:?}");
    // Compressed data is named as such, in one finding.
    let (output, document) = check_bytes(gzip, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes(&document), ["FT006"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_exits_2_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    ftlint()
        .arg("check")
        .arg(&a)
        .timeout(TIMEOUT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.jsonl").and(predicate::str::contains("symbolic links")));
    // Walking the folder does not follow the loop either; with nothing else in it, nothing is checked.
    let output = ftlint().arg("check").arg(dir.path()).timeout(TIMEOUT).output().unwrap();
    assert_no_crash(&output);
    assert_eq!(output.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.jsonl");
    std::fs::copy(fixture("examples/train.jsonl"), &path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root reads any file, so as root the check runs as an unprivileged user instead.
    let binary = assert_cmd::cargo::cargo_bin("ftlint");
    let mut command = if running_as_root() {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&binary);
        c
    } else {
        std::process::Command::new(&binary)
    };
    let output = command.arg("check").arg(&path).output().unwrap();
    assert_no_crash(&output);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("secret.jsonl: permission denied"));
}

/// Whether this process runs as root (reads `/proc/self/status`, no unsafe needed).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn no_path_argument_checks_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    ftlint()
        .arg("check")
        .current_dir(dir.path())
        .timeout(TIMEOUT)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no *.jsonl files found"));
    std::fs::copy(fixture("examples/train.jsonl"), dir.path().join("train.jsonl")).unwrap();
    ftlint().arg("check").current_dir(dir.path()).timeout(TIMEOUT).assert().code(0);
}

#[cfg(unix)]
#[test]
fn standard_input_closed_before_start_reads_as_an_empty_file() {
    let binary = assert_cmd::cargo::cargo_bin("ftlint");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec '{}' check - <&-", binary.display()))
        .output()
        .unwrap();
    assert_no_crash(&output);
    // The runtime reopens a closed standard input on /dev/null, so it reads as an empty file.
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("<stdin>: FT005 [error] file is empty"));
}

#[test]
fn a_file_truncated_while_mapped_is_reported_as_changed() {
    use ftlint::report::Collector;
    use ftlint::source::{self, Input};
    use ftlint_linter::check::check_bytes;
    use ftlint_linter::settings::{Profile, Settings};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("train.jsonl");
    let record = std::fs::read(fixture("examples/train.jsonl")).unwrap();
    let mut bytes = Vec::new();
    while bytes.len() < 1 << 20 {
        bytes.extend_from_slice(&record);
    }
    std::fs::write(&path, &bytes).unwrap();
    let opened = source::open(&Input::Path(path.clone())).unwrap();
    assert!(opened.is_mapped());
    assert_eq!(opened.changed_since_open(), None);
    // Another process cuts the file down while ftlint holds it mapped.
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(4096).unwrap();
    let mut collector = Collector::default();
    check_bytes(&opened.name, opened.bytes(), &Settings::new(Profile::Azure), &mut collector).unwrap();
    assert_eq!(opened.changed_since_open(), Some("the file was truncated while it was being checked"));
}

#[test]
fn a_file_rewritten_while_checked_is_reported_as_changed() {
    use ftlint::source::{self, Input};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("train.jsonl");
    std::fs::copy(fixture("examples/train.jsonl"), &path).unwrap();
    let opened = source::open(&Input::Path(path.clone())).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_modified(std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(86_400)).unwrap();
    assert_eq!(opened.changed_since_open(), Some("the file was modified while it was being checked"));
    drop(file);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        opened.changed_since_open(),
        Some("the file was removed or replaced while it was being checked")
    );
}

mod slow {
    //! Hundreds of megabytes each: run with `cargo test --release --test cli hostile -- --ignored`.

    use super::*;

    #[test]
    #[ignore = "writes 300 MB; run with --ignored in release"]
    fn one_line_of_300_mb() {
        let mut line = b"{\"messages\": [{\"role\": \"user\", \"content\": \"".to_vec();
        line.resize(300 << 20, b'x');
        line.extend_from_slice(b"\"}, {\"role\": \"assistant\", \"content\": \"ok\"}]}\n");
        let (output, document) = check_bytes(&line, &[]);
        assert_eq!(document["files"][0]["examples"], 1);
        assert_no_crash(&output);
    }

    #[test]
    #[ignore = "20 million lines; run with --ignored in release"]
    fn twenty_million_one_byte_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blank.jsonl");
        std::fs::write(&path, vec![b'\n'; 20_000_000]).unwrap();
        let output = ftlint()
            .args(["check", "--output-format", "concise", "--max-diagnostics", "10", "--ignore", "FT002"])
            .arg(&path)
            .timeout(Duration::from_secs(600))
            .output()
            .unwrap();
        assert_no_crash(&output);
        assert_eq!(output.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&output.stdout);
        // Every line is blank (a warning each) and the file has no example (FT005, the one error,
        // counted though the cap of 10 hides it).
        assert!(stdout.contains("1 error, 20000000 warnings"), "{stdout}");
    }

    #[test]
    #[ignore = "writes 512 MB; run with --ignored in release"]
    fn a_512_mb_file_where_every_line_is_an_error() {
        let line = b"{\"messages\": [{\"role\": \"user\", \"content\": \"never closed\"}\n";
        let mut bytes = Vec::with_capacity(512 << 20);
        while bytes.len() + line.len() <= 512 << 20 {
            bytes.extend_from_slice(line);
        }
        let lines = (bytes.len() / line.len()) as u64;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.jsonl");
        std::fs::write(&path, &bytes).unwrap();
        drop(bytes);
        for format in ["concise", "full"] {
            let output = ftlint()
                .args(["check", "--output-format", format])
                .arg(&path)
                .timeout(Duration::from_secs(600))
                .output()
                .unwrap();
            assert_no_crash(&output);
            assert_eq!(output.status.code(), Some(1));
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(stdout.contains(&format!("{lines} errors")), "{format}: {stdout}");
        }
    }
}

#[test]
fn a_sigbus_sent_by_another_process_ends_ftlint_at_once() {
    use std::os::unix::process::ExitStatusExt;

    // A mapped file installs the SIGBUS guard; the FIFO after it keeps ftlint waiting for input.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("train.jsonl");
    std::fs::copy(fixture("examples/train.jsonl"), &data).unwrap();
    let fifo = dir.path().join("later.jsonl");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ftlint"))
        .args(["check", "--no-tokens", "--output-format", "concise"])
        .arg(&data)
        .arg(&fifo)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until ftlint is blocked opening the FIFO (the mapped file is checked by then).
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "ftlint should be waiting on the FIFO");
    // SAFETY: kill has no memory-safety preconditions; the pid is our own child's.
    unsafe { libc_kill(child.id() as i32, 7) };
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(5) {
            // Swallowed: unblock and reap ftlint, then fail.
            let _ = std::fs::write(&fifo, b"");
            let _ = child.kill();
            let _ = child.wait();
            panic!("a SIGBUS from another process did not end ftlint");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.signal(), Some(7), "{status:?}");
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, signal: i32) -> i32;
}

/// Slow (writes 600 MB into a pipe): `cargo test --release --test cli hostile -- --ignored`.
#[test]
#[ignore]
fn standard_input_longer_than_the_limit_is_read_only_to_the_limit() {
    use std::io::Write;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ftlint"))
        .args(["check", "--no-tokens", "--output-format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1 << 20];
        // ftlint stops reading at 512 MB and one byte; the rest of the writes meet a closed pipe.
        for _ in 0..600 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("reading stopped at the 512 MB upload limit"), "{stderr}");
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(codes(&document).contains(&"FT001".to_owned()), "{document}");
}

#[test]
fn running_out_of_memory_is_exit_2_with_a_message_not_an_abort() {
    // 100 MB of address space is less than the token vocabulary needs.
    let binary = assert_cmd::cargo::cargo_bin("ftlint");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v 100000; exec '{}' check \"$0\"", binary.display()))
        .arg(fixture("examples/train.jsonl"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("ftlint: error: out of memory"), "{stderr}");
}

#[test]
fn fix_diff_of_a_file_truncated_while_it_runs_prints_no_diff_and_exits_2() {
    use std::io::Read;
    // A file with a fix on every line, large enough that ftlint is still at work when it is caught.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let line = std::fs::read_to_string(fixture("examples/train.jsonl")).unwrap();
    let line = line.trim_start_matches('\u{feff}').lines().next().unwrap().to_owned() + "\r\n";
    std::fs::write(&path, line.repeat(100_000)).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ftlint"))
        .args(["fix", "--diff"])
        .arg(&path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // Once ftlint has the file mapped, stop it, cut the file down, and let it go on.
    let maps = format!("/proc/{pid}/maps");
    let needle = path.to_string_lossy().into_owned();
    let started = std::time::Instant::now();
    while !std::fs::read_to_string(&maps).unwrap_or_default().contains(&needle) {
        assert!(started.elapsed() < Duration::from_secs(20), "ftlint never mapped the file");
        std::thread::sleep(Duration::from_millis(2));
    }
    let signal = |name: &str| {
        assert!(std::process::Command::new("kill")
            .arg(name)
            .arg(pid.to_string())
            .status()
            .unwrap()
            .success());
    };
    signal("-STOP");
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(4096).unwrap();
    signal("-CONT");
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("while it was being checked; no diff is shown"), "{stderr}");
    assert!(!stdout.contains("@@"), "a diff of bytes that are not the file's: {stdout:.300}");
}

/// Slow, and holds 512 MB: `cargo test --release --test cli hostile -- --ignored`.
#[test]
#[ignore]
fn a_compressed_file_over_the_limit_is_named_by_what_is_known_and_read_only_to_the_limit() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.jsonl.zst");
    // 600 MB of one byte, twenty kilobytes compressed.
    let mut encoder = zstd::stream::write::Encoder::new(std::fs::File::create(&path).unwrap(), 1).unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..600 {
        encoder.write_all(&chunk).unwrap();
    }
    encoder.finish().unwrap();
    let compressed = std::fs::metadata(&path).unwrap().len();
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("ftlint"))
        .args(["check", "--no-tokens", "--select", "FT001", "--output-format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let message = document["files"][0]["diagnostics"][0]["message"].as_str().unwrap().to_owned();
    assert_eq!(
        message,
        format!(
            "file decompresses to more than the 512 MB upload limit (536870912 bytes; it is {compressed} bytes compressed); reading stopped there, so the rest was not checked"
        )
    );
    // The decompressed bytes are held once, not copied into a buffer twice their size (1.1 GB).
    // SAFETY: getrusage only writes into the struct it is given.
    let peak_kib = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage.ru_maxrss
    };
    assert!(peak_kib < 800 * 1024, "peak resident memory {peak_kib} KiB");
}
