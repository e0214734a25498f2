//! The layers of the linter crate hold: `scripts/check_layers.py` finds no import from `model/` into
//! `rules/` or `checkers/`, none from `rules/` into `checkers/`, and no rule calling another. Run
//! here so that `cargo test` (and CI) runs it; the script needs only python3.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/check_layers.py")
}

fn check_layers(src: &Path) -> Output {
    Command::new("python3")
        .arg(script())
        .arg(src)
        .output()
        .expect("python3 runs scripts/check_layers.py (install python3 to run this test)")
}

#[test]
fn the_linter_crate_keeps_its_layers() {
    let output = check_layers(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("no import crosses a layer"), "{stdout}");
}

#[test]
fn the_check_names_each_import_that_crosses_a_layer() {
    let root = std::env::temp_dir().join(format!("ftlint-layers-{}", std::process::id()));
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("model/role.rs", "use crate::checkers::record;\n");
    write("rules/record/a.rs", "use crate::rules::Rule;\nuse crate::rules::record::b;\n");
    write("rules/record/b.rs", "use crate::context::RecordContext;\nuse crate::rules::Rule;\n");
    write("checkers/record.rs", "use crate::rules::record::{a, b};\n");
    let output = check_layers(&root);
    std::fs::remove_dir_all(&root).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let problems: Vec<&str> = stdout.lines().collect();
    assert_eq!(problems.len(), 2, "{stdout}");
    assert!(problems[0].contains("model/role.rs:1: model/ must not import checkers/"), "{stdout}");
    assert!(problems[1].contains("rules/record/a.rs:2: a rule must not call another rule"), "{stdout}");
}
