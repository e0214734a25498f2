//! From the paths on the command line to the list of inputs to check.
//!
//! A file named on the command line is always checked, whatever its extension. A directory is walked
//! for `*.jsonl` files in sorted order, skipping hidden folders (`.git`, `.venv`, …). `.gitignore` is
//! deliberately not honoured: datasets are often ignored by git (kept in LFS, DVC or a bucket) and are
//! exactly what should be checked. `-` is standard input.
//!
//! `ftlint fix` walks with [`collect_confined`]: a file reached through a symbolic link inside a
//! directory named on the command line is fixed only if it lies inside that directory too, so
//! `ftlint fix data/` never rewrites a file elsewhere through a link. Such files are listed in
//! [`Walk::skipped`]; naming one on the command line fixes it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::source::{Input, ReadError, ReadErrorKind};

/// The inputs found, and the problems met on the way (each one makes the run exit 2).
#[derive(Debug, Default)]
pub struct Walk {
    pub inputs: Vec<Input>,
    pub errors: Vec<ReadError>,
    /// Files left out, each with the reason (only [`collect_confined`] leaves any out).
    pub skipped: Vec<String>,
}

/// The inputs for `check`: every `*.jsonl` file under each directory, links followed.
pub fn collect(paths: &[PathBuf]) -> Walk {
    collect_with(paths, false)
}

/// The inputs for `fix`: as [`collect`], but files that a link inside a directory leads to outside
/// that directory are skipped.
pub fn collect_confined(paths: &[PathBuf]) -> Walk {
    collect_with(paths, true)
}

fn collect_with(paths: &[PathBuf], confined: bool) -> Walk {
    let mut walk = Walk::default();
    for path in paths {
        if path.as_os_str() == "-" {
            walk.inputs.push(Input::Stdin);
            continue;
        }
        let name = path.to_string_lossy().into_owned();
        match std::fs::metadata(path) {
            Err(error) => walk.errors.push(ReadError::from_io(&name, error)),
            Ok(metadata) if metadata.is_dir() => walk_dir(path, confined, &mut walk),
            Ok(_) => walk.inputs.push(Input::Path(path.clone())),
        }
    }
    walk
}

fn walk_dir(root: &Path, confined: bool, walk: &mut Walk) {
    let before = walk.inputs.len();
    let skipped_before = walk.skipped.len();
    let real_root = if confined { std::fs::canonicalize(root).ok() } else { None };
    let entries = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in entries {
        match entry {
            Ok(entry) if entry.file_type().is_file() && has_jsonl_extension(entry.path()) => {
                if let Some(real_root) = &real_root {
                    let inside =
                        std::fs::canonicalize(entry.path()).is_ok_and(|real| real.starts_with(real_root));
                    if !inside {
                        walk.skipped.push(format!(
                            "{}: skipped, a symbolic link leads outside {}; name it on the command line to fix it",
                            entry.path().display(),
                            root.display()
                        ));
                        continue;
                    }
                }
                walk.inputs.push(Input::Path(entry.into_path()));
            }
            Ok(_) => {}
            Err(error) => {
                let name = error.path().unwrap_or(root).to_string_lossy().into_owned();
                let kind = if error.loop_ancestor().is_some() {
                    ReadErrorKind::Io(std::io::Error::other("symbolic link loop"))
                } else {
                    match error.into_io_error() {
                        Some(io) => return_kind(io),
                        None => ReadErrorKind::Io(std::io::Error::other("cannot walk")),
                    }
                };
                walk.errors.push(ReadError { name, kind });
            }
        }
    }
    if walk.inputs.len() == before && walk.skipped.len() == skipped_before {
        let name = root.to_string_lossy().into_owned();
        walk.errors.push(ReadError {
            name,
            kind: ReadErrorKind::Io(std::io::Error::other(
                "no *.jsonl files found in this directory (hidden folders are skipped)",
            )),
        });
    }
}

fn return_kind(error: std::io::Error) -> ReadErrorKind {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => ReadErrorKind::PermissionDenied,
        std::io::ErrorKind::NotFound => ReadErrorKind::NotFound,
        _ => ReadErrorKind::Io(error),
    }
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn has_jsonl_extension(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("jsonl"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_jsonl_files_sorted_and_skips_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for file in ["b/2.jsonl", "a.jsonl", "notes.txt", ".git/x.jsonl", "C.JSONL"] {
            std::fs::write(root.join(file), "{}\n").unwrap();
        }
        let walk = collect(&[root.to_path_buf()]);
        assert!(walk.errors.is_empty());
        let found: Vec<PathBuf> = walk
            .inputs
            .iter()
            .map(|input| match input {
                Input::Path(path) => path.strip_prefix(root).unwrap().to_path_buf(),
                Input::Stdin => unreachable!(),
            })
            .collect();
        assert_eq!(found, vec![PathBuf::from("C.JSONL"), "a.jsonl".into(), "b/2.jsonl".into()]);
    }

    #[test]
    fn a_missing_path_and_an_empty_directory_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let walk = collect(&[dir.path().join("missing.jsonl"), dir.path().to_path_buf()]);
        assert!(walk.inputs.is_empty());
        assert_eq!(walk.errors.len(), 2);
        assert!(matches!(walk.errors[0].kind, ReadErrorKind::NotFound));
    }
}
