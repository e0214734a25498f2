//! What the packages ship besides code: the Python package's licence files.

use std::path::Path;

/// A wheel holds only files below its package folder, so `crates/ftlint_python` keeps its own copies
/// of the licences. They must be real files: a checkout without symlinks (Windows' default) turns a
/// symlink into a text file holding its target, and the wheel built there would ship that text.
#[test]
fn the_python_package_licences_are_real_copies_of_the_root_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["LICENSE", "LICENSE-MIT", "LICENSE-APACHE"] {
        let copy = root.join("crates/ftlint_python").join(name);
        let kind = std::fs::symlink_metadata(&copy).unwrap().file_type();
        assert!(kind.is_file() && !kind.is_symlink(), "{} must be a regular file", copy.display());
        let original = std::fs::read_to_string(root.join(name)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&copy).unwrap(),
            original,
            "{} differs from the root's",
            copy.display()
        );
    }
}
