//! From the paths on the command line to the list of inputs to check.
//!
//! A file named on the command line is always checked, whatever its extension, and whatever ignore
//! file or `exclude` pattern matches it: naming it is asking for it. A directory is walked for
//! `*.jsonl` files (and their `.jsonl.gz` / `.jsonl.zst` forms) in sorted order with ripgrep's
//! `ignore` crate, which skips what a dataset repository keeps out of its history: hidden files and
//! folders (`.git`, `.venv`, …), and what `.gitignore`, `.ignore`, `.git/info/exclude` and git's
//! global excludes file ignore (also outside a git checkout, and from the parents of the directory
//! named). `--no-ignore` turns the ignore files off (hidden entries stay skipped). Then the
//! configuration's [`Excludes`] (`exclude`, `extend-exclude`) leave out more. `-` is standard input.
//!
//! `--force-exclude` applies the configuration's excludes to paths named on the command line too:
//! pre-commit names every staged file, and a file the configuration excludes should stay out.
//!
//! `ftlint fix` walks with [`collect_confined`]: a file reached through a symbolic link inside a
//! directory named on the command line is fixed only if it lies inside that directory too, so
//! `ftlint fix data/` never rewrites a file elsewhere through a link. Such files are listed in
//! [`Walk::skipped`]; naming one on the command line fixes it. Compressed files under a directory
//! are listed there too: `fix` does not rewrite them (and refuses one named on the command line).
//!
//! [`explain`] serves `--show-files`: every data file under a directory, and for each one left out,
//! why.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;

use crate::source::{Input, ReadError, ReadErrorKind};

/// Folders of third-party packages, left out unless `exclude` replaces this list: they hold other
/// projects' test data, not this repository's datasets. Hidden folders (`.venv`, `.git`) are
/// skipped anyway.
pub const DEFAULT_EXCLUDE: [&str; 4] = ["node_modules", "site-packages", "__pypackages__", "venv"];

/// The inputs found, and the problems met on the way (each one makes the run exit 2).
#[derive(Debug, Default)]
pub struct Walk {
    pub inputs: Vec<Input>,
    pub errors: Vec<ReadError>,
    /// Files left out, each with the reason (only [`collect_confined`] leaves any out: links leading
    /// outside the directory, compressed files).
    pub skipped: Vec<String>,
}

/// Glob patterns that leave paths out of a directory walk, relative to the directory of the
/// configuration file that set them (the working directory when there is none).
///
/// A pattern matches a path relative to that directory (`data/raw`, `evals/*.jsonl`; `*` stops at
/// `/`, `**` crosses it), and a pattern without `/` also matches any file or folder of that name
/// anywhere (`raw`, `*.tmp.jsonl`). A folder that matches is not entered.
#[derive(Clone, Debug)]
pub struct Excludes {
    base: PathBuf,
    patterns: Vec<String>,
    full: GlobSet,
    /// Indexes into `patterns` of the patterns without a `/`, matched against names too.
    by_name: GlobSet,
    by_name_index: Vec<usize>,
    /// Where the patterns came from, for `--show-files`.
    origin: String,
    /// How many of the first patterns are the built-in [`DEFAULT_EXCLUDE`] list (a configuration
    /// file without `exclude` keeps them), so `--show-files` does not blame the file for them.
    defaults: usize,
}

impl Default for Excludes {
    fn default() -> Self {
        let patterns: Vec<String> = DEFAULT_EXCLUDE.iter().map(|p| (*p).to_owned()).collect();
        Excludes::new(Path::new("."), &patterns, "the default exclude list".to_owned())
            .expect("the default patterns are valid globs")
            .with_defaults(DEFAULT_EXCLUDE.len())
    }
}

/// Compiles a path glob the way `exclude` and `per-file-ignores` read it: `*` does not cross `/`.
pub fn path_glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern.trim_start_matches("./")).literal_separator(true).build()
}

impl Excludes {
    /// Patterns relative to `base`; an error names the first pattern that is not a valid glob.
    pub fn new(base: &Path, patterns: &[String], origin: String) -> Result<Excludes, String> {
        let mut full = GlobSetBuilder::new();
        let mut by_name = GlobSetBuilder::new();
        let mut by_name_index = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let glob = path_glob(pattern.trim_end_matches('/'))
                .map_err(|e| format!("invalid glob `{pattern}`: {e}"))?;
            if !pattern.trim_end_matches('/').contains('/') {
                by_name.add(glob.clone());
                by_name_index.push(index);
            }
            full.add(glob);
        }
        let build = |set: GlobSetBuilder| set.build().map_err(|e| e.to_string());
        Ok(Excludes {
            base: absolute(base),
            patterns: patterns.to_vec(),
            full: build(full)?,
            by_name: build(by_name)?,
            by_name_index,
            origin,
            defaults: 0,
        })
    }

    /// Says that the first `count` patterns are the built-in [`DEFAULT_EXCLUDE`] list.
    pub fn with_defaults(mut self, count: usize) -> Excludes {
        self.defaults = count.min(self.patterns.len());
        self
    }

    /// Where the pattern at `index` comes from: the default exclude list or the configuration file.
    fn origin_of(&self, index: usize) -> String {
        if index < self.defaults {
            "the default exclude list".to_owned()
        } else {
            self.origin.clone()
        }
    }

    /// The patterns, as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// The directory the patterns are relative to.
    pub fn base(&self) -> &Path {
        &self.base
    }

    /// Whether `path` or a folder above it (below the patterns' directory) is left out: what
    /// `--force-exclude` asks of a path named on the command line.
    pub fn excludes_path(&self, path: &Path) -> bool {
        let absolute = absolute(path);
        let mut at = absolute.as_path();
        loop {
            if self.matching(at).is_some() {
                return true;
            }
            match at.parent() {
                Some(parent) if parent.starts_with(&self.base) && parent != self.base => at = parent,
                _ => return false,
            }
        }
    }

    /// The pattern that leaves `path` out, if one does.
    pub fn matching(&self, path: &Path) -> Option<&str> {
        self.matching_index(path).map(|index| self.patterns[index].as_str())
    }

    /// The index of the pattern that leaves `path` out, if one does.
    fn matching_index(&self, path: &Path) -> Option<usize> {
        let absolute = absolute(path);
        // The base is the configuration file's real directory; a path reached through a link (a
        // symlinked home or temporary directory) is compared by its real path.
        let real;
        let inside = match absolute.strip_prefix(&self.base) {
            Ok(relative) => Some(relative),
            Err(_) => {
                real = std::fs::canonicalize(&absolute).ok();
                real.as_deref().and_then(|real| real.strip_prefix(&self.base).ok())
            }
        };
        if let Some(relative) = inside {
            if let Some(&index) = self.full.matches(relative).first() {
                return Some(index);
            }
        }
        let name = path.file_name()?;
        let index = *self.by_name.matches(Path::new(name)).first()?;
        Some(self.by_name_index[index])
    }
}

/// How a walk decides what to leave out.
#[derive(Clone, Copy, Debug)]
pub struct Filters<'a> {
    /// Honour `.gitignore`, `.ignore` and git's exclude files (off with `--no-ignore`).
    pub ignore_files: bool,
    pub excludes: &'a Excludes,
    /// Leave out a path named on the command line that `excludes` matches (`--force-exclude`, for
    /// pre-commit and editors, which name every file).
    pub force_exclude: bool,
}

/// The inputs for `check`: every data file under each directory, links followed.
pub fn collect(paths: &[PathBuf], filters: Filters<'_>) -> Walk {
    collect_with(paths, filters, false)
}

/// The inputs for `fix`: as [`collect`], but files that a link inside a directory leads to outside
/// that directory are skipped.
pub fn collect_confined(paths: &[PathBuf], filters: Filters<'_>) -> Walk {
    collect_with(paths, filters, true)
}

fn collect_with(paths: &[PathBuf], filters: Filters<'_>, confined: bool) -> Walk {
    let mut walk = Walk::default();
    for path in paths {
        if path.as_os_str() == "-" {
            walk.inputs.push(Input::Stdin);
            continue;
        }
        let name = path.to_string_lossy().into_owned();
        if filters.force_exclude && filters.excludes.excludes_path(path) {
            continue;
        }
        match std::fs::metadata(path) {
            Err(error) => walk.errors.push(ReadError::from_io(&name, error)),
            Ok(metadata) if metadata.is_dir() => walk_dir(path, filters, confined, &mut walk),
            Ok(_) => walk.inputs.push(Input::Path(path.clone())),
        }
    }
    walk
}

/// The walker every directory walk shares: sorted, links followed, hidden entries skipped, ignore
/// files as `filters` says, excluded folders not entered.
fn walker(root: &Path, filters: Filters<'_>) -> ignore::Walk {
    let excludes = filters.excludes.clone();
    let ignore_files = filters.ignore_files;
    WalkBuilder::new(root)
        .follow_links(true)
        .hidden(true)
        .ignore(ignore_files)
        .git_ignore(ignore_files)
        .git_global(ignore_files)
        .git_exclude(ignore_files)
        .parents(ignore_files)
        // A `.gitignore` says what the repository's author keeps out, also in an exported copy
        // without `.git` (a release tarball, a CI cache).
        .require_git(false)
        .sort_by_file_name(OsStr::cmp)
        .filter_entry(move |entry| entry.depth() == 0 || excludes.matching(entry.path()).is_none())
        .build()
}

fn walk_dir(root: &Path, filters: Filters<'_>, confined: bool, walk: &mut Walk) {
    let before = walk.inputs.len();
    let skipped_before = walk.skipped.len();
    let real_root = if confined { std::fs::canonicalize(root).ok() } else { None };
    for entry in walker(root, filters) {
        match entry {
            Ok(entry) if is_data_file(&entry) => {
                // `ftlint fix` cannot rewrite a compressed file; walking a folder, it leaves them
                // be (naming one on the command line is refused with the reason).
                if confined && is_compressed(entry.path()) {
                    walk.skipped.push(format!(
                        "{}: skipped, `ftlint fix` does not rewrite compressed files; decompress it to fix it",
                        entry.path().display()
                    ));
                    continue;
                }
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
            Err(error) => walk.errors.push(read_error(root, error)),
        }
    }
    if walk.inputs.len() == before && walk.skipped.len() == skipped_before {
        let name = root.to_string_lossy().into_owned();
        walk.errors.push(ReadError {
            name,
            kind: ReadErrorKind::Io(std::io::Error::other(
                "no *.jsonl files found in this directory (hidden, git-ignored and excluded files are skipped; `ftlint check --show-files` says which)",
            )),
        });
    }
}

/// A walk error as a read error naming the path it happened at.
fn read_error(root: &Path, error: ignore::Error) -> ReadError {
    let mut path = None;
    let mut current = &error;
    let kind = loop {
        match current {
            ignore::Error::WithPath { path: at, err } => {
                path.get_or_insert_with(|| at.clone());
                current = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => current = err,
            ignore::Error::Loop { child, .. } => {
                path.get_or_insert_with(|| child.clone());
                break ReadErrorKind::Io(std::io::Error::other("symbolic link loop"));
            }
            ignore::Error::Io(io) => {
                break match io.kind() {
                    std::io::ErrorKind::PermissionDenied => ReadErrorKind::PermissionDenied,
                    std::io::ErrorKind::NotFound => ReadErrorKind::NotFound,
                    _ => ReadErrorKind::Io(std::io::Error::new(io.kind(), io.to_string())),
                }
            }
            other => break ReadErrorKind::Io(std::io::Error::other(other.to_string())),
        }
    };
    let name = path.as_deref().unwrap_or(root).to_string_lossy().into_owned();
    ReadError { name, kind }
}

fn is_data_file(entry: &ignore::DirEntry) -> bool {
    entry.file_type().is_some_and(|t| t.is_file()) && has_data_extension(entry.path())
}

/// `*.jsonl.gz`, `*.jsonl.zst`: what `check` reads decompressed and `fix` leaves alone.
fn is_compressed(path: &Path) -> bool {
    let name = path.file_name().map(|name| name.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    name.ends_with(".gz") || name.ends_with(".zst")
}

/// `*.jsonl`, and the compressed forms ftlint reads: `*.jsonl.gz`, `*.jsonl.zst`.
pub fn has_data_extension(path: &Path) -> bool {
    let Some(name) = path.file_name() else { return false };
    let name = name.to_string_lossy().to_ascii_lowercase();
    [".jsonl", ".jsonl.gz", ".jsonl.zst"].iter().any(|ext| name.ends_with(ext) && name.len() > ext.len())
}

/// One data file under a directory, and why it is left out (`None` when it is checked).
#[derive(Debug, PartialEq, Eq)]
pub struct Listed {
    pub path: PathBuf,
    pub skipped: Option<String>,
}

/// `--show-files` for one directory: every data file a walk without any filter finds (`.git` is
/// never entered), each with the reason it is left out, if it is.
pub fn explain(root: &Path, filters: Filters<'_>) -> Vec<Listed> {
    let checked: std::collections::HashSet<PathBuf> = walker(root, filters)
        .filter_map(Result::ok)
        .filter(is_data_file)
        .map(ignore::DirEntry::into_path)
        .collect();
    let everything = WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(true)
        .sort_by_file_name(OsStr::cmp)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    let mut listed = Vec::new();
    for entry in everything.filter_map(Result::ok).filter(is_data_file) {
        let path = entry.into_path();
        let skipped = if checked.contains(&path) { None } else { Some(why_left_out(root, &path, filters)) };
        listed.push(Listed { path, skipped });
    }
    listed
}

fn why_left_out(root: &Path, path: &Path, filters: Filters<'_>) -> String {
    let inside = path.strip_prefix(root).unwrap_or(path);
    let mut at = root.to_path_buf();
    for component in inside.components() {
        at.push(component);
        if component.as_os_str().as_encoded_bytes().first() == Some(&b'.') {
            return format!("hidden ({} starts with a dot)", at.display());
        }
        if let Some(index) = filters.excludes.matching_index(&at) {
            let pattern = &filters.excludes.patterns[index];
            let origin = filters.excludes.origin_of(index);
            return if index < filters.excludes.defaults {
                format!("{} matches `{pattern}` of {origin}", at.display())
            } else {
                format!("{} matches `{pattern}` in {origin}", at.display())
            };
        }
    }
    "ignored by a .gitignore, .ignore or git exclude file (`--no-ignore` checks it)".to_owned()
}

/// `path` made absolute against the working directory, without touching the file system (so a
/// pattern's base and a walked path compare alike even through links).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // `a/./b` and `a/b` are the same path for matching.
    joined.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_filters() -> (Excludes, bool) {
        (Excludes::default(), true)
    }

    fn relative(root: &Path, walk: &Walk) -> Vec<String> {
        walk.inputs
            .iter()
            .map(|input| match input {
                Input::Path(path) => path.strip_prefix(root).unwrap().to_string_lossy().into_owned(),
                Input::Stdin => unreachable!(),
            })
            .collect()
    }

    fn tree(root: &Path, files: &[(&str, &str)]) {
        for (file, text) in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    #[test]
    fn walks_jsonl_files_sorted_and_skips_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        tree(
            root,
            &[
                ("b/2.jsonl", "{}\n"),
                ("a.jsonl", "{}\n"),
                ("notes.txt", ""),
                (".git/x.jsonl", ""),
                ("C.JSONL", ""),
                (".hidden.jsonl", ""),
                ("z.jsonl.gz", ""),
                ("node_modules/pkg/test.jsonl", ""),
            ],
        );
        let (excludes, ignore_files) = all_filters();
        let walk = collect(
            &[root.to_path_buf()],
            Filters { ignore_files, excludes: &excludes, force_exclude: false },
        );
        assert!(walk.errors.is_empty());
        assert_eq!(relative(root, &walk), ["C.JSONL", "a.jsonl", "b/2.jsonl", "z.jsonl.gz"]);
    }

    /// A dataset repository: raw exports ignored by git, a scratch folder in `.ignore`, a
    /// configuration that excludes evaluation dumps.
    fn repository(root: &Path) {
        tree(
            root,
            &[
                (".git/HEAD", "ref: refs/heads/main\n"),
                (".git/info/exclude", "local-only.jsonl\n"),
                (".gitignore", "raw/\n*.tmp.jsonl\n"),
                (".ignore", "scratch/\n"),
                ("data/train.jsonl", "{}\n"),
                ("data/train.tmp.jsonl", "{}\n"),
                ("data/evals/dump.jsonl", "{}\n"),
                ("data/evals/keep.jsonl", "{}\n"),
                ("local-only.jsonl", "{}\n"),
                ("raw/export.jsonl", "{}\n"),
                ("scratch/try.jsonl", "{}\n"),
            ],
        );
    }

    #[test]
    fn ignore_files_and_excludes_leave_files_out_unless_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        repository(root);
        let excludes = Excludes::new(root, &["data/evals/dump*".to_owned()], "ftlint.toml".into()).unwrap();
        let filters = Filters { ignore_files: true, excludes: &excludes, force_exclude: false };
        let walk = collect(&[root.to_path_buf()], filters);
        assert!(walk.errors.is_empty(), "{:?}", walk.errors);
        assert_eq!(relative(root, &walk), ["data/evals/keep.jsonl", "data/train.jsonl"]);

        // Walking a folder below still reads the .gitignore above it.
        let walk = collect(&[root.join("data")], filters);
        assert_eq!(relative(root, &walk), ["data/evals/keep.jsonl", "data/train.jsonl"]);

        // A file named on the command line is checked whatever ignores it.
        let named = [root.join("raw/export.jsonl"), root.join("data/evals/dump.jsonl")];
        assert_eq!(collect(&named, filters).inputs.len(), 2);
        // Unless --force-exclude: then the excludes (not the ignore files) apply to it too.
        let forced = collect(&named, Filters { force_exclude: true, ..filters });
        assert_eq!(relative(root, &forced), ["raw/export.jsonl"]);

        // --no-ignore: the ignore files are off, hidden entries and excludes still apply.
        let walk = collect(&[root.to_path_buf()], Filters { ignore_files: false, ..filters });
        assert_eq!(
            relative(root, &walk),
            [
                "data/evals/keep.jsonl",
                "data/train.jsonl",
                "data/train.tmp.jsonl",
                "local-only.jsonl",
                "raw/export.jsonl",
                "scratch/try.jsonl"
            ]
        );
    }

    #[test]
    fn explain_blames_the_default_exclude_list_for_its_own_patterns() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        tree(root, &[("node_modules/x.jsonl", "{}\n"), ("tmp/y.jsonl", "{}\n")]);
        let mut patterns: Vec<String> = DEFAULT_EXCLUDE.iter().map(|p| (*p).to_owned()).collect();
        patterns.push("tmp".to_owned());
        let excludes = Excludes::new(root, &patterns, "ftlint.toml".into())
            .unwrap()
            .with_defaults(DEFAULT_EXCLUDE.len());
        let listed = explain(root, Filters { ignore_files: true, excludes: &excludes, force_exclude: false });
        let reasons: Vec<String> = listed.iter().map(|l| l.skipped.clone().unwrap()).collect();
        assert!(reasons[0].ends_with("matches `node_modules` of the default exclude list"), "{reasons:?}");
        assert!(reasons[1].ends_with("matches `tmp` in ftlint.toml"), "{reasons:?}");
    }

    #[test]
    fn explain_gives_each_left_out_file_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        repository(root);
        tree(root, &[(".cache/x.jsonl", "{}\n")]);
        let excludes = Excludes::new(root, &["dump.jsonl".to_owned()], "ftlint.toml".into()).unwrap();
        let listed = explain(root, Filters { ignore_files: true, excludes: &excludes, force_exclude: false });
        let reasons: Vec<(String, Option<String>)> = listed
            .iter()
            .map(|l| {
                let path = l.path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                let reason = l.skipped.as_ref().map(|r| r.replace(&root.display().to_string(), "ROOT"));
                (path, reason)
            })
            .collect();
        let expected: Vec<(String, Option<String>)> = [
            (".cache/x.jsonl", Some("hidden (ROOT/.cache starts with a dot)")),
            ("data/evals/dump.jsonl", Some("ROOT/data/evals/dump.jsonl matches `dump.jsonl` in ftlint.toml")),
            ("data/evals/keep.jsonl", None),
            ("data/train.jsonl", None),
            (
                "data/train.tmp.jsonl",
                Some("ignored by a .gitignore, .ignore or git exclude file (`--no-ignore` checks it)"),
            ),
            (
                "local-only.jsonl",
                Some("ignored by a .gitignore, .ignore or git exclude file (`--no-ignore` checks it)"),
            ),
            (
                "raw/export.jsonl",
                Some("ignored by a .gitignore, .ignore or git exclude file (`--no-ignore` checks it)"),
            ),
            (
                "scratch/try.jsonl",
                Some("ignored by a .gitignore, .ignore or git exclude file (`--no-ignore` checks it)"),
            ),
        ]
        .into_iter()
        .map(|(p, r)| (p.to_owned(), r.map(str::to_owned)))
        .collect();
        assert_eq!(reasons, expected);
    }

    #[test]
    fn patterns_match_relative_paths_and_bare_names() {
        let excludes = Excludes::new(
            Path::new("/repo"),
            &["evals/*.jsonl".to_owned(), "raw".to_owned(), "**/tmp/**".to_owned()],
            "x".into(),
        )
        .unwrap();
        assert_eq!(excludes.matching(Path::new("/repo/evals/a.jsonl")), Some("evals/*.jsonl"));
        assert_eq!(excludes.matching(Path::new("/repo/evals/sub/a.jsonl")), None, "* stops at /");
        assert_eq!(excludes.matching(Path::new("/repo/deep/raw")), Some("raw"));
        assert_eq!(excludes.matching(Path::new("/repo/a/tmp/b.jsonl")), Some("**/tmp/**"));
        assert_eq!(excludes.matching(Path::new("/repo/train.jsonl")), None);
        assert!(excludes.excludes_path(Path::new("/repo/deep/raw/x/y.jsonl")), "a folder above");
        assert!(!excludes.excludes_path(Path::new("/repo/deep/x/y.jsonl")));
        assert!(!excludes.excludes_path(Path::new("/elsewhere/raw.jsonl")));
        assert!(Excludes::new(Path::new("/"), &["a[".to_owned()], "x".into()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_path_through_a_link_matches_patterns_of_the_real_directory() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap().join("repo");
        tree(&real, &[("raw/x.jsonl", "{}\n")]);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let excludes = Excludes::new(&real, &["raw/*.jsonl".to_owned()], "x".into()).unwrap();
        assert_eq!(excludes.matching(&link.join("raw/x.jsonl")), Some("raw/*.jsonl"));
    }

    #[test]
    fn a_missing_path_and_an_empty_directory_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let (excludes, ignore_files) = all_filters();
        let walk = collect(
            &[dir.path().join("missing.jsonl"), dir.path().to_path_buf()],
            Filters { ignore_files, excludes: &excludes, force_exclude: false },
        );
        assert!(walk.inputs.is_empty());
        assert_eq!(walk.errors.len(), 2);
        assert!(matches!(walk.errors[0].kind, ReadErrorKind::NotFound));
    }
}
