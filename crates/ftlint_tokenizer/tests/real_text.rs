//! The counter against tiktoken-rs on real text: source code, documentation and translations in
//! many scripts, taken from what this machine has, as the benchmark corpus
//! (`crates/ftlint_bench/real_corpus.py`) takes it, but small enough for every test run.
//!
//! The fixed corpus of `tokenizer.rs` is dense in awkward characters; real text is where the memos
//! miss, pieces are new, and every branch of the hand-written splitters and of the merge loop is
//! taken in the proportions a dataset takes them. Sources: this repository's own files (always
//! there), the crates in cargo's registry, and the gettext catalogs under `/usr/share/locale` (the
//! translated messages of installed programs, in a few hundred languages), each read up to a
//! budget, in sorted order so that a run is repeatable.

use std::path::{Path, PathBuf};

use ftlint_tokenizer::{Encoding, LongPieces, Tokenizer};

/// Bytes of text taken from each source.
const BUDGET: usize = 600_000;
/// Bytes taken from one file at most, so that one large file does not fill a source's budget.
const PER_FILE: usize = 12_000;

fn files_under(root: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if !path.ends_with("target")
                && !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                files_under(&path, keep, out);
            }
        } else if keep(&path) {
            out.push(path);
        }
    }
}

/// Texts from the files under `root` that `keep` accepts, up to the budget, every `stride`-th file.
fn texts_from(root: &Path, keep: &dyn Fn(&Path) -> bool, stride: usize) -> Vec<String> {
    let mut files = Vec::new();
    files_under(root, keep, &mut files);
    let mut out = Vec::new();
    let mut total = 0;
    for path in files.iter().step_by(stride.max(1)) {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let mut end = text.len().min(PER_FILE);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        total += end;
        out.push(text[..end].to_owned());
        if total > BUDGET {
            break;
        }
    }
    out
}

/// The translated strings of a gettext `.mo` catalog, one text per catalog.
fn catalog_text(bytes: &[u8]) -> Option<String> {
    let word = |at: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(u32::from_le_bytes(b))
    };
    // Little-endian catalogs only, which is what every machine this runs on writes.
    if word(0)? != 0x9504_12de {
        return None;
    }
    let (count, translations) = (word(8)? as usize, word(16)? as usize);
    let mut out = String::new();
    for i in 0..count.min(400) {
        let len = word(translations + 8 * i)? as usize;
        let at = word(translations + 8 * i + 4)? as usize;
        if let Ok(text) = std::str::from_utf8(bytes.get(at..at + len)?) {
            // Plural forms are separated by NUL.
            out.extend(text.split('\0').map(|t| format!("{t}\n")));
        }
    }
    Some(out)
}

fn real_corpus() -> Vec<String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut texts = texts_from(
        &repo,
        &|p| {
            p.extension()
                .is_some_and(|e| ["rs", "md", "py", "toml", "jsonl", "yml"].contains(&&*e.to_string_lossy()))
        },
        1,
    );
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(registry) = cargo_home.map(|c| c.join("registry/src")) {
        texts.extend(texts_from(&registry, &|p| p.extension().is_some_and(|e| e == "rs" || e == "md"), 37));
    }
    let mut catalogs = Vec::new();
    files_under(Path::new("/usr/share/locale"), &|p| p.extension().is_some_and(|e| e == "mo"), &mut catalogs);
    let mut total = 0;
    // Every few catalogs, so that many languages come in before the budget is reached.
    for path in catalogs.iter().step_by(7) {
        if let Some(text) = std::fs::read(path).ok().and_then(|b| catalog_text(&b)) {
            total += text.len();
            texts.push(text);
        }
        if total > BUDGET {
            break;
        }
    }
    texts
}

#[test]
fn real_text_matches_tiktoken() {
    let texts = real_corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    // This repository alone has more than this; a machine with a registry and catalogs has more.
    assert!(bytes > 300_000, "only {bytes} bytes of real text found");
    for (encoding, reference) in [
        (Encoding::O200kBase, tiktoken_rs::o200k_base_singleton()),
        (Encoding::Cl100kBase, tiktoken_rs::cl100k_base_singleton()),
    ] {
        let ours = Tokenizer::get(encoding);
        // Whole texts, and their lines alone, which start pieces at other places, with tiktoken's
        // counts.
        let parts: Vec<(&str, usize)> = texts
            .iter()
            .flat_map(|text| std::iter::once(text.as_str()).chain(text.lines().step_by(5)))
            .map(|part| (part, reference.encode_ordinary(part).len()))
            .collect();
        let mut mismatches = Vec::new();
        // The default state, then each encoder of long new pieces with no memo, so that every piece
        // is counted anew by it: this corpus is too small for the default state to switch from
        // the one to the other.
        for long_pieces in [LongPieces::Auto, LongPieces::BpeCrate, LongPieces::Backtracking] {
            let mut state = match long_pieces {
                LongPieces::Auto => ours.new_state(),
                _ => ours.new_state_for_long_pieces(Some(0), long_pieces),
            };
            for &(part, expected) in &parts {
                let got = ours.count_with(&mut state, part);
                if got != expected {
                    mismatches.push(format!(
                        "{long_pieces:?}: {got} != {expected}: {:?}",
                        part.chars().take(80).collect::<String>()
                    ));
                }
            }
        }
        assert!(
            mismatches.is_empty(),
            "{encoding}: {} mismatches, first {:?}",
            mismatches.len(),
            &mismatches[..mismatches.len().min(5)]
        );
    }
}
