//! Comments and docs cite the services' rules as `docs/service-rules.md §N`; every such citation must
//! name a section that exists, so renumbering the page cannot leave comments pointing at the wrong
//! rule. The research notes the code once cited are not part of the repository, so no file may
//! cite them by their file name.

use std::path::{Path, PathBuf};

const PAGE: &str = "docs/service-rules.md";

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every Rust and Markdown file under `dir`, skipping build output and hidden folders.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            sources(&path, found);
        } else if name.ends_with(".rs") || name.ends_with(".md") {
            found.push(path);
        }
    }
}

/// The section numbers cited after `docs/service-rules.md §` in `text`.
fn cited_sections(text: &str) -> Vec<u32> {
    let marker = format!("{PAGE} §");
    text.match_indices(&marker)
        .filter_map(|(at, _)| {
            let digits: String = text[at + marker.len()..].chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn every_citation_names_a_section_of_the_page() {
    let root = repository_root();
    let page = std::fs::read_to_string(root.join(PAGE)).unwrap();
    let sections: Vec<u32> = page
        .lines()
        .filter_map(|line| line.strip_prefix("## §"))
        .filter_map(|rest| rest.split(' ').next()?.parse().ok())
        .collect();
    assert!(sections.len() >= 8, "{PAGE} has sections {sections:?}");

    let mut files = vec![root.join("README.md")];
    sources(&root.join("crates"), &mut files);
    sources(&root.join("docs"), &mut files);
    // Spelled in two pieces so that this file does not cite them itself.
    let old_notes = ["RULES", "md"].join(".");
    let mut citations = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            !text.contains(&old_notes),
            "{} cites {old_notes}, which is not in the repository",
            file.display()
        );
        for section in cited_sections(&text) {
            citations += 1;
            assert!(
                sections.contains(&section),
                "{} cites {PAGE} §{section}, which does not exist",
                file.display()
            );
        }
    }
    // The token tables, the file limits and the record keys cite it at least.
    assert!(citations >= 10, "only {citations} citations found");
}

#[test]
fn citations_are_read_with_their_whole_number() {
    // Built at run time, so that the scan of this file does not find a section 12.
    let text = format!("see {PAGE} §{} and {PAGE} §3).", 12);
    assert_eq!(cited_sections(&text), [12, 3]);
    assert!(cited_sections("docs/service-rules.md without a section").is_empty());
}
