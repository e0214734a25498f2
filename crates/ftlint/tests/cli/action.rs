//! `scripts/action-entry.sh`, the GitHub Action's logic, run as the runner would run it: a fake
//! `GITHUB_*` environment and a stand-in `cargo` and `python` that "install" the ftlint under test.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `n` distinct, valid records (repeats would be FT502 findings).
fn good(n: usize) -> String {
    (0..n)
        .map(|i| format!("{{\"messages\": [{{\"role\": \"user\", \"content\": \"Hi {i}\"}}, {{\"role\": \"assistant\", \"content\": \"Hello\"}}]}}\n"))
        .collect()
}

struct Runner {
    _dir: tempfile::TempDir,
    dir: PathBuf,
}

impl Runner {
    /// A workspace with `good.jsonl` (BOM, 10 examples) and `bad.jsonl` (lines 1 and 2 are not JSON),
    /// and a stand-in cargo that logs its arguments and links the real binary into `--root`/bin.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_owned();
        let workspace = root.join("workspace");
        std::fs::create_dir(&workspace).unwrap();
        let good_text = format!("\u{FEFF}{}", good(10));
        std::fs::write(workspace.join("good.jsonl"), &good_text).unwrap();
        let bad = format!("\u{FEFF}{{\"a\": }}\n{{\"messages\": oops}}\n{}", good(8));
        std::fs::write(workspace.join("bad.jsonl"), bad).unwrap();
        let cargo = root.join("fake-cargo");
        std::fs::write(
            &cargo,
            "#!/usr/bin/env bash\n\
             printf '%s\\n' \"$*\" >> \"$FAKE_CARGO_LOG\"\n\
             while [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; shift; done\n\
             exe=; [ \"$RUNNER_OS\" = Windows ] && exe=.exe\n\
             mkdir -p \"$root/bin\" && ln -sf \"$FTLINT_UNDER_TEST\" \"$root/bin/ftlint$exe\"\n",
        )
        .unwrap();
        // `python -m venv DIR` makes DIR/bin/python (this script again); `python -m pip install …`
        // puts the ftlint under test beside it, as the wheel's console script would be. With
        // RUNNER_OS=Windows they are DIR/Scripts/python.exe and ftlint.exe, as on a Windows runner.
        let python = root.join("fake-python");
        std::fs::write(
            &python,
            "#!/usr/bin/env bash\n\
             printf 'python %s\\n' \"$*\" >> \"$FAKE_CARGO_LOG\"\n\
             bin=bin; exe=; [ \"$RUNNER_OS\" = Windows ] && bin=Scripts exe=.exe\n\
             if [ \"$1 $2\" = '-m venv' ]; then mkdir -p \"$3/$bin\" && cp \"$0\" \"$3/$bin/python$exe\"; exit 0; fi\n\
             [ -n \"$FAKE_PIP_FAILS\" ] && exit 1\n\
             ln -sf \"$FTLINT_UNDER_TEST\" \"$(dirname \"$0\")/ftlint$exe\"\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::create_dir(root.join("runner-temp")).unwrap();
        Runner { dir: root, _dir: dir }
    }

    /// Runs the entry script with the runner's variables plus `env`; exit code and stdout.
    fn run(&self, env: &[(&str, &str)]) -> (i32, String) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action-entry.sh");
        let mut cmd = Command::new("bash");
        cmd.arg(script)
            .current_dir(self.dir.join("workspace"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .env("HOME", &self.dir)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_WORKSPACE", self.dir.join("workspace"))
            .env("RUNNER_TEMP", self.dir.join("runner-temp"))
            .env("GITHUB_PATH", self.dir.join("github-path"))
            .env("GITHUB_STEP_SUMMARY", self.dir.join("step-summary.md"))
            .env("FTLINT_CARGO", self.dir.join("fake-cargo"))
            .env("FTLINT_PYTHON", self.dir.join("fake-python"))
            // The tests below of building from source say so; those of the wheel override it.
            .env("INPUT_INSTALL", "build")
            .env("FAKE_CARGO_LOG", self.dir.join("cargo.log"))
            .env("FTLINT_UNDER_TEST", assert_cmd::cargo::cargo_bin("ftlint"));
        for (key, value) in env {
            cmd.env(key, value);
        }
        let output = cmd.output().unwrap();
        (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap())
    }

    fn cargo_calls(&self) -> String {
        std::fs::read_to_string(self.dir.join("cargo.log")).unwrap_or_default()
    }

    fn install_root(&self) -> String {
        self.dir.join("runner-temp/ftlint").display().to_string()
    }
}

fn annotations(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| l.starts_with("::error") || l.starts_with("::warning")).collect()
}

#[test]
fn the_action_installs_from_its_own_checkout_and_annotates_findings() {
    let runner = Runner::new();
    let action_path = env!("CARGO_MANIFEST_DIR");
    let (code, stdout) = runner.run(&[
        ("GITHUB_ACTION_PATH", action_path),
        ("FTLINT_ACTION_REPOSITORY", "owner/ftlint"),
        ("FTLINT_ACTION_REF", "main"),
        ("INPUT_PATHS", "good.jsonl\n  bad.jsonl "),
        ("INPUT_ARGS", ""),
        ("INPUT_VERSION", ""),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(
        runner.cargo_calls(),
        format!("install --locked --root {} --path {action_path}\n", runner.install_root())
    );
    let found = annotations(&stdout);
    assert_eq!(found.len(), 2, "{stdout}");
    assert!(found[0].starts_with("::error file=bad.jsonl,line=1,col=7,"), "{}", found[0]);
    assert!(found[0].contains("title=ftlint (FT102)::invalid JSON"), "{}", found[0]);
    assert!(found[1].starts_with("::error file=bad.jsonl,line=2,"), "{}", found[1]);
    assert!(stdout.contains("::group::Install ftlint from the action (main)"));
    let path_file = std::fs::read_to_string(runner.dir.join("github-path")).unwrap();
    assert_eq!(path_file, format!("{}/bin\n", runner.install_root()), "later steps can run ftlint");
}

#[test]
fn the_action_passes_a_clean_dataset_and_forwards_args() {
    let runner = Runner::new();
    let (code, stdout) = runner.run(&[
        ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR")),
        ("INPUT_PATHS", "good.jsonl"),
        ("INPUT_ARGS", "--profile openai --max-warnings 0"),
    ]);
    // Under the OpenAI profile the BOM is a warning, and --max-warnings 0 makes it fail.
    assert_eq!(code, 1, "{stdout}");
    let found = annotations(&stdout);
    assert_eq!(found.len(), 1, "{stdout}");
    assert!(found[0].starts_with("::warning file=good.jsonl,title=ftlint (FT003)::"), "{}", found[0]);
    // The step's summary on the run's page counts what the annotations show.
    let summary = std::fs::read_to_string(runner.dir.join("step-summary.md")).unwrap();
    assert!(summary.contains("| `FT003` unexpected-bom | 0 | 1 | 0 |"), "{summary}");

    let (code, stdout) =
        runner.run(&[("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR")), ("INPUT_PATHS", "good.jsonl")]);
    assert_eq!(code, 0, "{stdout}");
    assert!(annotations(&stdout).is_empty(), "{stdout}");
}

#[test]
fn the_action_installs_a_version_from_its_tag_or_its_ref_from_git() {
    let runner = Runner::new();
    let (code, _) = runner.run(&[
        ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR")),
        ("FTLINT_ACTION_REPOSITORY", "owner/ftlint"),
        ("INPUT_VERSION", "v1.2.3"),
        ("INPUT_PATHS", "good.jsonl"),
    ]);
    assert_eq!(code, 0);
    let root = runner.install_root();
    assert_eq!(
        runner.cargo_calls(),
        format!("install --locked --root {root} --git https://github.com/owner/ftlint --tag v1.2.3 ftlint\n")
    );

    // Without a checkout of its own, the action builds its ref from git.
    let runner = Runner::new();
    let (code, _) = runner.run(&[
        ("FTLINT_ACTION_REPOSITORY", "owner/ftlint"),
        ("FTLINT_ACTION_REF", "0123abc"),
        ("INPUT_PATHS", "good.jsonl"),
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        runner.cargo_calls(),
        format!(
            "install --locked --root {} --git https://github.com/owner/ftlint --rev 0123abc ftlint\n",
            runner.install_root()
        )
    );

    // With nothing to install from, it says so and fails as a tool failure.
    let runner = Runner::new();
    let (code, stdout) = runner.run(&[("INPUT_PATHS", "good.jsonl")]);
    assert_eq!(code, 2);
    assert!(stdout.starts_with("::error title=ftlint::cannot tell where to install ftlint from"), "{stdout}");
}

#[test]
fn the_action_installs_the_wheel_of_its_version_by_default() {
    let runner = Runner::new();
    let (code, stdout) = runner.run(&[
        ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR")),
        ("FTLINT_ACTION_REF", "v0.4.0"),
        ("INPUT_INSTALL", ""),
        ("INPUT_PATHS", "good.jsonl\nbad.jsonl"),
    ]);
    assert_eq!(code, 1, "{stdout}");
    let root = runner.install_root();
    assert_eq!(
        runner.cargo_calls(),
        format!(
            "python -m venv {root}/venv\npython -m pip install --quiet --disable-pip-version-check ftlint==0.4.0\n"
        ),
        "the release tag names the wheel; nothing is compiled"
    );
    assert_eq!(annotations(&stdout).len(), 2, "{stdout}");
    assert!(stdout.contains("::group::Install ftlint 0.4.0 (wheel)"), "{stdout}");
    let path_file = std::fs::read_to_string(runner.dir.join("github-path")).unwrap();
    assert_eq!(path_file, format!("{root}/bin\n"), "later steps can run ftlint");

    // A branch: the version of the action's checkout; an explicit version wins over both.
    for (reference, version, expected) in
        [("main", "", env!("CARGO_PKG_VERSION")), ("v0.4.0", "v1.2.3", "1.2.3")]
    {
        let runner = Runner::new();
        let (code, stdout) = runner.run(&[
            ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR")),
            ("FTLINT_ACTION_REF", reference),
            ("INPUT_VERSION", version),
            ("INPUT_INSTALL", "wheel"),
            ("INPUT_PATHS", "good.jsonl"),
        ]);
        assert_eq!(code, 0, "{stdout}");
        assert!(runner.cargo_calls().contains(&format!("ftlint=={expected}\n")), "{}", runner.cargo_calls());
    }
}

#[test]
fn on_windows_the_action_runs_the_wheel_from_scripts_and_ftlint_exe() {
    let runner = Runner::new();
    let (code, stdout) = runner.run(&[
        ("RUNNER_OS", "Windows"),
        ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR")),
        ("INPUT_VERSION", "0.4.0"),
        ("INPUT_INSTALL", "wheel"),
        ("INPUT_PATHS", "good.jsonl\nbad.jsonl"),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(annotations(&stdout).len(), 2, "{stdout}");
    let root = runner.install_root();
    assert!(runner.cargo_calls().contains("ftlint==0.4.0"), "{}", runner.cargo_calls());
    // The launcher is copied (no symlink without privileges) to bin/ftlint.exe, the one file the
    // script runs: there is no bin/ftlint.
    let installed = Path::new(&root).join("bin/ftlint.exe");
    assert!(std::fs::symlink_metadata(&installed).unwrap().file_type().is_file(), "{}", installed.display());
    assert!(!Path::new(&root).join("bin/ftlint").exists());

    // `cargo install` makes bin/ftlint.exe there too.
    let runner = Runner::new();
    let (code, stdout) = runner.run(&[
        ("RUNNER_OS", "Windows"),
        ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR")),
        ("INPUT_PATHS", "good.jsonl"),
    ]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn the_action_says_how_to_build_when_no_wheel_installs() {
    let runner = Runner::new();
    let (code, stdout) = runner.run(&[
        ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR")),
        ("INPUT_INSTALL", "wheel"),
        ("FAKE_PIP_FAILS", "1"),
        ("INPUT_PATHS", "good.jsonl"),
    ]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("set `install: build`"), "{stdout}");
    let (code, stdout) = runner.run(&[("INPUT_INSTALL", "conda"), ("INPUT_PATHS", "good.jsonl")]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("unknown install method `conda`"), "{stdout}");
}

#[test]
fn the_action_takes_paths_with_spaces_one_per_line() {
    let runner = Runner::new();
    let folder = runner.dir.join("workspace/my data");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(runner.dir.join("workspace/bad.jsonl"), folder.join("bad set.jsonl")).unwrap();
    let (code, stdout) = runner.run(&[
        ("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR")),
        ("INPUT_PATHS", "  my data/bad set.jsonl\n\ngood.jsonl  \n"),
    ]);
    assert_eq!(code, 1, "{stdout}");
    let found = annotations(&stdout);
    assert_eq!(found.len(), 2, "{stdout}");
    assert!(found[0].starts_with("::error file=my data/bad set.jsonl,line=1,"), "{}", found[0]);
}
