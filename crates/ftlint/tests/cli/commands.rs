//! `--version`, `--help`, `ftlint rules`, `ftlint rule` and `ftlint completions`.

use predicates::prelude::*;

use crate::ftlint;

#[test]
fn version_and_help_are_complete() {
    ftlint().arg("--version").assert().success().stdout(format!("ftlint {}\n", env!("CARGO_PKG_VERSION")));
    ftlint()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("check").and(predicate::str::contains("Exit status")));
    ftlint().args(["check", "--help"]).assert().success().stdout(
        predicate::str::contains("--output-format")
            .and(predicate::str::contains("--profile"))
            .and(predicate::str::contains("--max-diagnostics"))
            .and(predicate::str::contains("standard input")),
    );
}

#[test]
fn rules_lists_every_rule() {
    let output = ftlint().arg("rules").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    for (code, name) in [("FT001", "file-too-large"), ("FT005", "no-examples"), ("FT102", "invalid-json")] {
        assert!(stdout.lines().any(|l| l.starts_with(code) && l.contains(name)), "{code}: {stdout}");
    }
    // The last column says whether `ftlint fix` fixes the rule's findings, and how safely.
    assert!(stdout.lines().next().unwrap().ends_with(" fix"), "{stdout}");
    let fix_of = |code: &str| stdout.lines().find(|l| l.starts_with(code)).unwrap().split_whitespace().last();
    assert_eq!(fix_of("FT104"), Some("safe"));
    assert_eq!(fix_of("FT105"), Some("safe"));
    assert_eq!(fix_of("FT210"), Some("unsafe"));
    assert_eq!(fix_of("FT102"), Some("-"));
}

#[test]
fn rules_show_the_severity_of_the_profile_and_the_other_where_they_differ() {
    let row = |args: &[&str], code: &str| {
        let output = ftlint().args(args).output().unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        stdout.lines().find(|l| l.starts_with(code)).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert_eq!(
        row(&["rules"], "FT310"),
        "FT310 too-many-images warning record - (error under --profile openai)"
    );
    assert_eq!(
        row(&["rules", "--profile", "openai"], "FT310"),
        "FT310 too-many-images error record - (warning under --profile azure)"
    );
    assert_eq!(row(&["rules", "--profile", "openai"], "FT102"), "FT102 invalid-json error line -");
    let docs = ftlint().args(["rule", "FT405", "--profile", "openai"]).output().unwrap();
    let docs = String::from_utf8(docs.stdout).unwrap();
    assert!(
        docs.ends_with(
            "Default severity: warning under --profile openai, error under --profile azure. Stage: record.\n\
             Fix: none; the finding needs a person.\n"
        ),
        "{docs}"
    );
}

#[test]
fn rule_prints_docs_by_code_or_name() {
    let by_code = ftlint().args(["rule", "FT101"]).output().unwrap();
    let by_name = ftlint().args(["rule", "invalid-utf8"]).output().unwrap();
    assert_eq!(by_code.stdout, by_name.stdout);
    let docs = String::from_utf8(by_code.stdout).unwrap();
    assert!(docs.starts_with("# FT101 invalid-utf8"), "{docs}");
    assert!(docs.contains("## How to fix"));
    assert!(docs.trim_end().ends_with("Fix: none; the finding needs a person."), "{docs}");
    let blank = String::from_utf8(ftlint().args(["rule", "FT104"]).output().unwrap().stdout).unwrap();
    assert!(
        blank.contains("Use instead") && blank.contains("Fix: safe; `ftlint fix` applies it."),
        "{blank}"
    );
    ftlint().args(["rule", "FT999"]).assert().code(2).stderr(predicate::str::contains("unknown rule"));
}

#[test]
fn completions_are_printed_for_each_shell() {
    let output = ftlint().args(["completions", "bash"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let bash = String::from_utf8(output.stdout).unwrap();
    assert!(bash.contains("_ftlint()"), "{bash}");
    assert!(bash.contains("check"), "{bash}");
    assert!(bash.contains("--output-format"), "{bash}");
    assert!(bash.contains("--stdin-filename"), "every flag is completed: {bash}");
    // Each shell gets a script of its own that knows the subcommands.
    for (shell, marker) in [
        ("zsh", "#compdef ftlint"),
        ("fish", "complete -c ftlint"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[ftlint]"),
    ] {
        let output = ftlint().args(["completions", shell]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("output-format"), "{shell}: {script}");
    }
    ftlint()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'tcsh'"));
}
