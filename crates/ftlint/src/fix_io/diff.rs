//! `ftlint fix --diff`: the fixes as a unified diff with three lines of context, which `git apply`
//! and `patch -p1` both take. File names that need it are quoted the way git quotes them
//! (`"a/my data.jsonl"`, with `\t`, `\n`, `\"` and `\\` escaped), so a space, a tab or a newline in
//! a name cannot break the headers.
//!
//! Changes closer than twice the context share a hunk, as `diff -u` does. A hunk is bounded in size
//! and written as soon as it closes, so a file whose every line changes (CRLF everywhere) streams
//! instead of piling up in memory.

use std::collections::VecDeque;
use std::io::{self, Write};

use ftlint_linter::fix::LineSink;

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;

/// Lines of one hunk at most, before it is written out (the next one continues it).
const MAX_HUNK_LINES: usize = 1000;

pub struct DiffSink<'w> {
    out: &'w mut dyn Write,
    path: String,
    header_written: bool,
    /// The next line number in the original and in the fixed file.
    old_number: u64,
    new_number: u64,
    /// The last unchanged lines seen while no hunk is open: the context before the next change.
    before: VecDeque<Vec<u8>>,
    hunk: Option<Hunk>,
}

struct Hunk {
    old_start: u64,
    new_start: u64,
    old_count: u64,
    new_count: u64,
    /// Each line with its mark: ` ` context, `-` removed, `+` added.
    lines: Vec<(u8, Vec<u8>)>,
    /// Unchanged lines at the end of `lines`, since the last change.
    trailing: usize,
}

impl<'w> DiffSink<'w> {
    pub fn new(out: &'w mut dyn Write, path: &str) -> Self {
        DiffSink {
            out,
            path: path.to_owned(),
            header_written: false,
            old_number: 1,
            new_number: 1,
            before: VecDeque::with_capacity(CONTEXT + 1),
            hunk: None,
        }
    }

    /// Writes what is pending; call once the file is done.
    pub fn finish(mut self) -> io::Result<()> {
        if let Some(mut hunk) = self.hunk.take() {
            trim_trailing(&mut hunk, CONTEXT);
            self.write_hunk(&hunk)?;
        }
        Ok(())
    }

    fn write_hunk(&mut self, hunk: &Hunk) -> io::Result<()> {
        if !self.header_written {
            let (old, new) =
                (quote_path(&format!("a/{}", self.path)), quote_path(&format!("b/{}", self.path)));
            writeln!(self.out, "--- {old}\n+++ {new}")?;
            self.header_written = true;
        }
        // With no lines on a side, unified diffs name the line *before* the hunk on that side.
        let side = |start: u64, count: u64| {
            if count == 0 {
                format!("{},0", start.saturating_sub(1))
            } else {
                format!("{start},{count}")
            }
        };
        writeln!(
            self.out,
            "@@ -{} +{} @@",
            side(hunk.old_start, hunk.old_count),
            side(hunk.new_start, hunk.new_count)
        )?;
        for (mark, line) in &hunk.lines {
            self.out.write_all(&[*mark])?;
            self.out.write_all(line)?;
            if !line.ends_with(b"\n") {
                self.out.write_all(b"\n\\ No newline at end of file\n")?;
            }
        }
        Ok(())
    }

    /// The open hunk, opened with the context before it if there is none.
    fn open_hunk(&mut self) -> &mut Hunk {
        let before = &mut self.before;
        let (old_number, new_number) = (self.old_number, self.new_number);
        self.hunk.get_or_insert_with(|| {
            let context = before.len() as u64;
            let lines: Vec<(u8, Vec<u8>)> = before.drain(..).map(|line| (b' ', line)).collect();
            Hunk {
                old_start: old_number - context,
                new_start: new_number - context,
                old_count: context,
                new_count: context,
                lines,
                trailing: 0,
            }
        })
    }
}

/// Drops unchanged lines past `keep` from the end of a hunk and returns them, in order.
fn trim_trailing(hunk: &mut Hunk, keep: usize) -> Vec<Vec<u8>> {
    let extra = hunk.trailing.saturating_sub(keep);
    let dropped: Vec<Vec<u8>> = hunk.lines.drain(hunk.lines.len() - extra..).map(|(_, line)| line).collect();
    hunk.old_count -= extra as u64;
    hunk.new_count -= extra as u64;
    hunk.trailing -= extra;
    dropped
}

impl LineSink for DiffSink<'_> {
    fn keep(&mut self, raw: &[u8]) -> io::Result<()> {
        self.old_number += 1;
        self.new_number += 1;
        match &mut self.hunk {
            Some(hunk) => {
                hunk.lines.push((b' ', raw.to_vec()));
                hunk.old_count += 1;
                hunk.new_count += 1;
                hunk.trailing += 1;
                // More than twice the context since the last change: the next change gets a hunk
                // of its own, and the last lines seen become its context.
                if hunk.trailing > 2 * CONTEXT {
                    let mut hunk = self.hunk.take().expect("matched above");
                    let dropped = trim_trailing(&mut hunk, CONTEXT);
                    self.write_hunk(&hunk)?;
                    self.before = dropped.into_iter().rev().take(CONTEXT).rev().collect();
                }
            }
            None => {
                self.before.push_back(raw.to_vec());
                if self.before.len() > CONTEXT {
                    self.before.pop_front();
                }
            }
        }
        Ok(())
    }

    fn change(&mut self, _number: u64, old: &[u8], new: Option<&[u8]>) -> io::Result<()> {
        if self.hunk.as_ref().is_some_and(|hunk| hunk.lines.len() >= MAX_HUNK_LINES && hunk.trailing == 0) {
            let hunk = self.hunk.take().expect("checked above");
            self.write_hunk(&hunk)?;
        }
        let hunk = self.open_hunk();
        if !old.is_empty() {
            hunk.lines.push((b'-', old.to_vec()));
            hunk.old_count += 1;
        }
        if let Some(new) = new {
            hunk.lines.push((b'+', new.to_vec()));
            hunk.new_count += 1;
        }
        hunk.trailing = 0;
        if !old.is_empty() {
            self.old_number += 1;
        }
        if new.is_some() {
            self.new_number += 1;
        }
        Ok(())
    }
}

/// A path as git writes it in a diff header: as it is when it holds only ordinary characters, else
/// in double quotes with C escapes, which `git apply` and GNU `patch` both read.
pub fn quote_path(path: &str) -> String {
    let needs_quotes = path.chars().any(|c| c.is_control() || matches!(c, ' ' | '"' | '\\'));
    if !needs_quotes {
        return path.to_owned();
    }
    let mut quoted = String::with_capacity(path.len() + 2);
    quoted.push('"');
    for c in path.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() => {
                let mut buffer = [0u8; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    quoted.push_str(&format!("\\{byte:03o}"));
                }
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;
    use ftlint_linter::fix::{fix, line_changes, FixOptions};
    use ftlint_linter::settings::{Profile, Settings};

    fn diff_named(bytes: &[u8], name: &str) -> String {
        let mut out = Vec::new();
        let mut sink = DiffSink::new(&mut out, name);
        let fixed = fix(bytes, &Settings::new(Profile::Openai), FixOptions::default()).unwrap();
        line_changes(bytes, &fixed, &mut sink).unwrap();
        sink.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    fn diff(bytes: &[u8]) -> String {
        diff_named(bytes, "t.jsonl")
    }

    #[test]
    fn hunks_carry_three_lines_of_context_and_exact_numbers() {
        let text = diff(b"{\"a\": 1}\n\n{\"b\": 2}\r\n{\"c\": 3}\n");
        assert_eq!(
            text,
            "--- a/t.jsonl\n+++ b/t.jsonl\n@@ -1,4 +1,3 @@\n {\"a\": 1}\n-\n-{\"b\": 2}\r\n+{\"b\": 2}\n {\"c\": 3}\n"
        );
    }

    #[test]
    fn changes_far_apart_get_hunks_of_their_own() {
        let mut text = String::from("\n");
        for i in 0..10 {
            text.push_str(&format!("{{\"n\": {i}}}\n"));
        }
        text.push('\n');
        let patch = diff(text.as_bytes());
        assert_eq!(patch.matches("@@ -").count(), 2, "{patch}");
        assert!(patch.contains("@@ -1,4 +1,3 @@\n-\n {\"n\": 0}\n"), "{patch}");
        assert!(patch.contains("@@ -9,4 +8,3 @@\n {\"n\": 7}\n {\"n\": 8}\n {\"n\": 9}\n-\n"), "{patch}");
    }

    #[test]
    fn nothing_to_fix_is_an_empty_diff() {
        assert_eq!(diff(b"{\"a\": 1}\n"), "");
    }

    #[test]
    fn names_with_spaces_tabs_and_quotes_are_quoted_as_git_does() {
        assert_eq!(quote_path("a/plain-name_1.jsonl"), "a/plain-name_1.jsonl");
        assert_eq!(quote_path("a/my data.jsonl"), "\"a/my data.jsonl\"");
        assert_eq!(quote_path("a/x\ty\n\"z\\"), "\"a/x\\ty\\n\\\"z\\\\\"");
        assert_eq!(quote_path("a/\u{1b}"), "\"a/\\033\"");
    }

    /// A file with changes at its start, its middle and its end, so every hunk but the last has
    /// lines after it: a diff without context fails to apply there.
    fn sample() -> Vec<u8> {
        let mut bytes = b"\xEF\xBB\xBF{\"a\": 1}\r\n\n".to_vec();
        for i in 0..12 {
            bytes.extend_from_slice(format!("{{\"n\": {i}}}\n").as_bytes());
            if i == 5 {
                bytes.extend_from_slice(b"  \n{\"mid\": 1}\r\n");
            }
        }
        bytes.extend_from_slice(b"{\"b\": 2}");
        bytes
    }

    fn applies_with(tool: &str, args: &[&str], name: &str) {
        let original = sample();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), &original).unwrap();
        if tool == "git"
            && !std::process::Command::new("git")
                .args(["init", "-q"])
                .current_dir(dir.path())
                .status()
                .is_ok_and(|s| s.success())
        {
            return; // no git on this system
        }
        let patch = diff_named(&original, name);
        let status = std::process::Command::new(tool)
            .args(args)
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                child.stdin.take().unwrap().write_all(patch.as_bytes())?;
                child.wait()
            });
        let Ok(status) = status else { return }; // the tool is not on this system
        assert!(status.success(), "{tool} rejected:\n{patch}");
        let fixed = fix(&original, &Settings::new(Profile::Openai), FixOptions::default()).unwrap();
        assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), fixed.bytes, "{tool}");
    }

    #[test]
    fn a_diff_applies_with_patch() {
        applies_with("patch", &["-p1", "--quiet", "--binary"], "t.jsonl");
        applies_with("patch", &["-p1", "--quiet", "--binary"], "my data.jsonl");
    }

    #[test]
    fn a_diff_applies_with_git_apply() {
        applies_with("git", &["apply", "-p1", "-"], "t.jsonl");
        applies_with("git", &["apply", "-p1", "-"], "my data.jsonl");
    }
}
