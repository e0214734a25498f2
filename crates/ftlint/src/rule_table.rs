//! The README's table of rules, rendered from the registry so it cannot drift from it.
//!
//! `README.md` holds the table between `<!-- rules:start -->` and `<!-- rules:end -->`; a test
//! compares it with [`markdown`] and fails, printing the table it expected, when a rule is added,
//! renamed or re-documented without the README following. `FTLINT_BLESS=1 cargo test -p ftlint --lib
//! rule_table` rewrites it. Each column is one line of [`COLUMNS`], so adding one is a one-line change.

use ftlint_linter::rules::Rule;

/// One column of the table: its heading, and the text of a rule's cell (Markdown, on one line).
pub struct Column {
    pub heading: &'static str,
    pub cell: fn(Rule) -> String,
}

/// The columns of the README's table, left to right.
pub const COLUMNS: &[Column] = &[
    Column { heading: "code", cell: |rule| rule.code().to_owned() },
    Column { heading: "name", cell: |rule| rule.name().to_owned() },
    Column { heading: "default", cell: default_severity },
    Column { heading: "stage", cell: |rule| rule.stage().as_str().to_owned() },
    Column { heading: "fix", cell: |rule| rule.fix_availability().as_str().to_owned() },
    Column { heading: "what it reports", cell: summary },
];

/// The severity under the default profile (`azure`), and under `openai` where it differs.
fn default_severity(rule: Rule) -> String {
    use ftlint_linter::settings::Profile;
    let azure = rule.severity(Profile::Azure);
    let openai = rule.severity(Profile::Openai);
    if azure == openai {
        azure.as_str().to_owned()
    } else {
        format!("{azure} (openai: {openai})")
    }
}

/// The marker lines that enclose the generated table in the README.
pub const START_MARKER: &str = "<!-- rules:start -->";
pub const END_MARKER: &str = "<!-- rules:end -->";

/// The first sentence of the rule's "What it does" section, on one line: the section goes on with
/// the details, which `ftlint rule CODE` shows. A sentence that leads into a table or list (ending
/// in `:`) ends with a full stop instead, since the table is left out.
pub fn summary(rule: Rule) -> String {
    let docs = rule.docs();
    let section = docs.split_once("## What it does").map_or(docs, |(_, after)| after);
    let paragraph: Vec<&str> = section
        .lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect();
    let paragraph = paragraph.join(" ");
    let sentence = first_sentence(&paragraph);
    match sentence.strip_suffix(':') {
        Some(lead_in) => format!("{lead_in}."),
        None => sentence.to_owned(),
    }
}

/// Up to the first full stop that is followed by a space and a capital letter or a parenthesis (so
/// `e.g. a` and `2.5` do not end it), or the whole text.
fn first_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(2))
        .find(|&i| {
            bytes[i] == b'.'
                && bytes[i + 1] == b' '
                && (bytes[i + 2].is_ascii_uppercase() || bytes[i + 2] == b'(')
        })
        .map_or(text, |i| &text[..=i])
}

/// The table of every rule, in code order, as Markdown (ending with a newline).
pub fn markdown() -> String {
    let row = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut table = row(COLUMNS.iter().map(|column| column.heading.to_owned()).collect());
    table.push_str(&format!("|{}\n", "---|".repeat(COLUMNS.len())));
    for rule in Rule::ALL {
        table.push_str(&row(COLUMNS.iter().map(|column| escape_cell(&(column.cell)(*rule))).collect()));
    }
    table
}

/// A `|` inside a cell would end it early.
fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// `document` with the text between the markers replaced by `table`; `None` if a marker is missing.
pub fn splice(document: &str, table: &str) -> Option<String> {
    let (before, rest) = document.split_once(START_MARKER)?;
    let (_, after) = rest.split_once(END_MARKER)?;
    Some(format!("{before}{START_MARKER}\n{table}{END_MARKER}{after}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_table_matches_the_registry() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let table = markdown();
        let expected = splice(&readme, &table)
            .unwrap_or_else(|| panic!("README.md lacks the `{START_MARKER}` / `{END_MARKER}` lines"));
        if expected == readme {
            return;
        }
        if std::env::var_os("FTLINT_BLESS").is_some() {
            std::fs::write(&path, expected).unwrap();
            return;
        }
        panic!(
            "README.md's rule table differs from the registry. Expected, between the markers:\n\n{table}\n\
             Run `FTLINT_BLESS=1 cargo test -p ftlint --lib rule_table` to rewrite it."
        );
    }

    #[test]
    fn every_rule_has_a_one_line_summary_and_one_row() {
        let table = markdown();
        assert_eq!(table.lines().count(), Rule::ALL.len() + 2);
        for rule in Rule::ALL {
            let summary = summary(*rule);
            assert!(summary.len() > 20 && !summary.contains('\n'), "{rule}: {summary:?}");
            assert!(!summary.starts_with('#') && !summary.starts_with('|'), "{rule}: {summary:?}");
        }
        // A paragraph leading into a table ends with a full stop, and the table is left out.
        let content = summary(Rule::InvalidContent);
        assert!(content.ends_with("its role does not take.") && !content.contains("|---|"), "{content}");
        // Only the first sentence: the details are for `ftlint rule`.
        assert_eq!(summary(Rule::TooFewExamples), "Reports a training file with fewer than 10 examples.");
        assert_eq!(first_sentence("Counts e.g. 2.5 tokens. Then more."), "Counts e.g. 2.5 tokens.");
    }

    #[test]
    fn splice_replaces_only_what_lies_between_the_markers() {
        let document = format!("intro\n{START_MARKER}\nold\n{END_MARKER}\noutro\n");
        assert_eq!(
            splice(&document, "| a |\n").unwrap(),
            format!("intro\n{START_MARKER}\n| a |\n{END_MARKER}\noutro\n")
        );
        assert!(splice("no markers", "x").is_none());
    }
}
