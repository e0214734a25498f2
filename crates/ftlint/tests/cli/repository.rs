//! A dataset repository as a team keeps one: raw exports ignored by git, evaluation files that are
//! small on purpose, an `ftlint.toml` that excludes and relaxes; what `check` walks and what
//! `--show-files` says about the rest.

use std::path::Path;

use crate::config::training_file;
use crate::{check_json, ftlint};

/// The repository: `.gitignore` leaves out `raw/`, the configuration excludes `scratch` and turns
/// FT501 (too few examples) off for `evals/`.
fn repository(root: &Path) {
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".gitignore"), "raw/\n").unwrap();
    std::fs::write(
        root.join("ftlint.toml"),
        "extend-exclude = [\"scratch\"]\n\n[per-file-ignores]\n\"evals/*.jsonl\" = [\"FT501\"]\n",
    )
    .unwrap();
    training_file(root, "data/train.jsonl", 10, false);
    training_file(root, "evals/small.jsonl", 2, false);
    training_file(root, "raw/export.jsonl", 1, false);
    training_file(root, "scratch/try.jsonl", 1, false);
    training_file(root, "data/.backup.jsonl", 1, false);
}

/// Each checked file's path (relative to `root`) and the codes found in it.
fn checked(root: &Path, args: &[&str]) -> Vec<(String, Vec<String>)> {
    let root_arg = root.to_str().unwrap();
    let mut all = vec![root_arg];
    all.extend_from_slice(args);
    let (_, document) = check_json(&all);
    document["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            let path = file["path"].as_str().unwrap();
            let path = path.strip_prefix(root_arg).unwrap_or(path).trim_start_matches('/').to_owned();
            let codes = file["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_owned())
                .collect();
            (path, codes)
        })
        .collect()
}

#[test]
fn gitignore_excludes_and_per_file_ignores_shape_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    repository(root);
    assert_eq!(
        checked(root, &[]),
        [("data/train.jsonl".to_owned(), vec![]), ("evals/small.jsonl".to_owned(), vec![])]
    );
    // --no-ignore brings the git-ignored export back (with its FT501); the excluded and hidden
    // files stay out.
    let with_ignored = checked(root, &["--no-ignore"]);
    let paths: Vec<&str> = with_ignored.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["data/train.jsonl", "evals/small.jsonl", "raw/export.jsonl"]);
    assert_eq!(with_ignored[2].1, ["FT501"]);
    // Without the configuration, the evaluation file's FT501 is back.
    let isolated = checked(root, &["--isolated"]);
    assert_eq!(isolated[1], ("evals/small.jsonl".to_owned(), vec!["FT501".to_owned()]));
}

#[test]
fn a_file_named_on_the_command_line_is_checked_whatever_ignores_it() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    let export = dir.path().join("raw/export.jsonl");
    let (code, document) = check_json(&[export.to_str().unwrap()]);
    assert_eq!(code, 1, "FT501 is an error");
    assert_eq!(document["files"][0]["diagnostics"][0]["code"], "FT501");
}

#[test]
fn show_files_lists_what_is_checked_and_why_the_rest_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    repository(root);
    let output = ftlint().current_dir(root).args(["check", "--show-files", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let root_config = std::fs::canonicalize(root).unwrap().join("ftlint.toml");
    let expected = format!(
        "./data/.backup.jsonl: skipped, hidden (./data/.backup.jsonl starts with a dot)
./data/train.jsonl
./evals/small.jsonl (per-file-ignores: FT501)
./raw/export.jsonl: skipped, ignored by a .gitignore, .ignore or git exclude file (`--no-ignore` checks it)
./scratch/try.jsonl: skipped, ./scratch matches `scratch` in {}
",
        root_config.display()
    );
    assert_eq!(stdout, expected);
}

#[test]
fn config_schema_prints_the_committed_schema() {
    let output = ftlint().args(["config", "--schema"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ftlint.schema.json")).unwrap();
    assert_eq!(output.stdout, committed);
}

#[test]
fn show_settings_says_where_each_setting_comes_from() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    repository(root);
    std::fs::write(
        root.join("ftlint.toml"),
        "profile = \"openai\"\nepochs = 3\nextend-exclude = [\"scratch\"]\n[rules]\nblank-line = \"error\"\n[per-file-ignores]\n\"evals/*.jsonl\" = [\"FT501\"]\n",
    )
    .unwrap();
    let output = ftlint()
        .current_dir(root)
        .args(["check", "--show-settings", "--ignore", "FT105", "--model", "gpt-4o-mini", "data"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let config = std::fs::canonicalize(root).unwrap().join("ftlint.toml");
    for line in [
        format!("# Settings for data: {} and the flags", config.display()),
        "profile = \"openai\"".to_owned(),
        "model = \"gpt-4o-mini-2024-07-18\"".to_owned(),
        "epochs = 3".to_owned(),
        "exclude = [\"node_modules\", \"site-packages\", \"__pypackages__\", \"venv\", \"scratch\"]"
            .to_owned(),
        "\"evals/*.jsonl\" = [\"FT501\"]".to_owned(),
        "FT104 = \"error\"  # blank-line".to_owned(),
        "FT105 = \"off\"  # crlf-line-ending".to_owned(),
    ] {
        assert!(stdout.lines().any(|l| l.starts_with(&line)), "{line:?} not in:\n{stdout}");
    }
}

/// The README's dataset-repository recipe: its `ftlint.toml` and its `ftlint check` commands, in
/// order.
fn recipe() -> (String, Vec<Vec<String>>) {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("<!-- recipe:dataset-repository:start -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- recipe:dataset-repository:end -->").next())
        .expect("README.md has the dataset-repository recipe between its markers");
    let toml = section.split("```toml\n").nth(1).unwrap().split("```").next().unwrap().to_owned();
    let commands = section
        .lines()
        .filter_map(|line| line.find("ftlint check ").map(|at| &line[at..]))
        .map(|command| command.split_whitespace().skip(1).map(str::to_owned).collect())
        .collect();
    (toml, commands)
}

#[test]
fn the_readme_dataset_repository_recipe_gates_only_new_findings() {
    let (toml, commands) = recipe();
    // Adopt, gate, upload.
    assert_eq!(commands.len(), 3, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join("ftlint.toml"), toml).unwrap();
    // OpenAI profile: no byte-order marks. A blank line (FT104, a warning) is today's finding.
    let train = root.join("data/train.jsonl");
    training_file(root, "data/train.jsonl", 10, true);
    let text = std::fs::read_to_string(&train).unwrap().replace('\u{feff}', "");
    std::fs::write(&train, &text).unwrap();
    let eval = root.join("evals/small.jsonl");
    training_file(root, "evals/small.jsonl", 2, false);
    std::fs::write(&eval, std::fs::read_to_string(&eval).unwrap().replace('\u{feff}', "")).unwrap();
    std::fs::create_dir_all(root.join("raw")).unwrap();
    std::fs::write(root.join("raw/export.jsonl"), "not json\n").unwrap();

    let run = |args: &[String]| ftlint().current_dir(root).args(args).output().unwrap();
    let adopt = run(&commands[0]);
    assert_eq!(adopt.status.code(), Some(0), "{}", String::from_utf8_lossy(&adopt.stderr));
    let gate = run(&commands[1]);
    assert_eq!(gate.status.code(), Some(0), "{}", String::from_utf8_lossy(&gate.stdout));
    assert_eq!(String::from_utf8(gate.stdout).unwrap(), "", "nothing new to annotate");

    // A change adds a fault: the gate fails on it alone, and the SARIF log holds it alone.
    std::fs::write(&train, format!("{text}{{\"messages\": []}}\n")).unwrap();
    let gate = run(&commands[1]);
    assert_eq!(gate.status.code(), Some(1));
    let annotations = String::from_utf8(gate.stdout).unwrap();
    assert_eq!(annotations.lines().count(), 1, "{annotations}");
    assert!(annotations.contains("data/train.jsonl"), "{annotations}");
    let upload = run(&commands[2]);
    assert_eq!(upload.status.code(), Some(0));
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("ftlint.sarif")).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn show_settings_gives_the_levels_after_per_file_ignores() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    repository(root);
    let output =
        ftlint().current_dir(root).args(["check", "--show-settings", "evals/small.jsonl"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let ft501 = stdout.lines().find(|l| l.starts_with("FT501 ")).unwrap();
    assert!(ft501.starts_with("FT501 = \"off\"") && ft501.ends_with(", off by per-file-ignores"), "{ft501}");
    assert!(stdout.contains("# no grader"), "{stdout}");
}

#[test]
fn show_files_blames_the_default_exclude_list_not_the_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    repository(root);
    training_file(root, "node_modules/pkg/x.jsonl", 1, false);
    let output = ftlint().current_dir(root).args(["check", "--show-files", "."]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains(
            "./node_modules/pkg/x.jsonl: skipped, ./node_modules matches `node_modules` of the default exclude list\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("./scratch/try.jsonl: skipped, ./scratch matches `scratch` in /"), "{stdout}");
}

#[test]
fn the_pre_commit_hooks_match_data_files_in_any_case() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .unwrap();
    let patterns: Vec<&str> =
        manifest.lines().map(str::trim).filter_map(|line| line.strip_prefix("files: ")).collect();
    assert_eq!(patterns.len(), 2, "{manifest}");
    for pattern in patterns {
        // The walker takes `TRAIN.JSONL`; a staged file of that name must reach it too.
        assert_eq!(pattern, r"'(?i)\.jsonl(\.gz|\.zst)?$'");
    }
}

#[test]
fn force_exclude_leaves_out_standard_input_named_as_an_excluded_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    repository(root);
    // Faulty data: a blank line and a record that is not JSON.
    let data = "\n{broken\n";
    let stdin_as = |args: &[&str], name: &str| {
        let output = ftlint()
            .current_dir(root)
            .args(args)
            .args(["--force-exclude", "--stdin-filename", name, "-"])
            .write_stdin(data)
            .output()
            .unwrap();
        (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap())
    };
    // `scratch` is excluded: nothing is reported, and fix gives the input back unchanged.
    let (code, report) = stdin_as(&["check", "--output-format", "concise"], "scratch/try.jsonl");
    assert_eq!((code, report.as_str()), (0, "0 errors, 0 warnings in 0 files (0 examples checked)\n"));
    assert_eq!(stdin_as(&["fix"], "scratch/try.jsonl"), (0, data.to_owned()));
    let (code, listed) = stdin_as(&["check", "--show-files"], "scratch/try.jsonl");
    assert_eq!(code, 0);
    assert_eq!(
        listed,
        "scratch/try.jsonl (standard input): skipped, an `exclude` pattern matches it (--force-exclude)\n"
    );
    // A name that is not excluded is checked and fixed as before.
    let (code, report) = stdin_as(&["check", "--output-format", "concise"], "data/new.jsonl");
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("data/new.jsonl:"), "{report}");
    let (_, fixed) = stdin_as(&["fix"], "data/new.jsonl");
    assert_ne!(fixed, data);
    assert_eq!(stdin_as(&["check", "--show-files"], "data/new.jsonl").1, "data/new.jsonl (standard input)\n");
}
