//! `ftlint fix --diff`: the fixes as a unified diff with three lines of context, which `git apply`
//! and `patch -p1` both take. File names that need it are quoted the way git quotes them
//! (`"a/my data.jsonl"`, with `\t`, `\n`, `\"` and `\\` escaped), so a space, a tab or a newline in
//! a name cannot break the headers.
//!
//! Changes closer than twice the context share a hunk, as `diff -u` does. The difference is walked
//! twice, which costs little next to the check: first to plan the hunks (where each starts and ends
//! and how many lines it has on each side), then to print them. So a hunk's header is known before
//! its lines, and nothing but a few lines of context is held in memory, even when every line of a
//! large file changes (CRLF everywhere) and the whole file is one hunk.

use std::collections::VecDeque;
use std::io::{self, Write};

use ftlint_linter::fix::{line_changes, Fixed, LineSink};

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;

/// Writes the unified diff from `original` to `fixed` under the name `path`; nothing when they are
/// the same.
pub fn write_diff(out: &mut dyn Write, path: &str, original: &[u8], fixed: &Fixed) -> io::Result<()> {
    let mut planner = Planner::default();
    line_changes(original, fixed, &mut planner)?;
    let hunks = planner.finish();
    if hunks.is_empty() {
        return Ok(());
    }
    let (old, new) = (quote_path(&format!("a/{path}")), quote_path(&format!("b/{path}")));
    writeln!(out, "--- {old}\n+++ {new}")?;
    let mut printer = Printer { out, hunks: &hunks, next: 0, event: 0 };
    line_changes(original, fixed, &mut printer)
}

/// One hunk: the events (calls on the sink, in order) it covers, and its header's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hunk {
    first_event: usize,
    last_event: usize,
    old_start: u64,
    new_start: u64,
    old_count: u64,
    new_count: u64,
}

/// The first walk: where the hunks are.
#[derive(Default)]
struct Planner {
    event: usize,
    /// The next line number in the original and in the fixed file, 0 until the first line.
    old_number: u64,
    new_number: u64,
    /// Unchanged lines since the last change (or, with no hunk open, the last few): their events.
    pending: VecDeque<usize>,
    open: Option<Hunk>,
    hunks: Vec<Hunk>,
}

impl Planner {
    fn numbers(&mut self) -> (u64, u64) {
        (self.old_number.max(1), self.new_number.max(1))
    }

    /// Ends the open hunk with up to [`CONTEXT`] of the unchanged lines after it; the last
    /// [`CONTEXT`] of those stay as the next hunk's leading context.
    fn close(&mut self) {
        if let Some(mut hunk) = self.open.take() {
            let trailing = self.pending.len().min(CONTEXT);
            if trailing > 0 {
                hunk.last_event = self.pending[trailing - 1];
            }
            hunk.old_count += trailing as u64;
            hunk.new_count += trailing as u64;
            self.hunks.push(hunk);
            while self.pending.len() > CONTEXT {
                self.pending.pop_front();
            }
        }
    }

    fn finish(mut self) -> Vec<Hunk> {
        self.close();
        self.hunks
    }
}

impl LineSink for Planner {
    fn keep(&mut self, _raw: &[u8]) -> io::Result<()> {
        let (old, new) = self.numbers();
        self.old_number = old + 1;
        self.new_number = new + 1;
        self.pending.push_back(self.event);
        self.event += 1;
        match self.open {
            // More than twice the context since the last change: the next change gets a hunk of
            // its own.
            Some(_) if self.pending.len() > 2 * CONTEXT => self.close(),
            None if self.pending.len() > CONTEXT => {
                self.pending.pop_front();
            }
            _ => {}
        }
        Ok(())
    }

    fn change(&mut self, _number: u64, old: &[u8], new: Option<&[u8]>) -> io::Result<()> {
        let (old_number, new_number) = self.numbers();
        let context = self.pending.len() as u64;
        let event = self.event;
        match &mut self.open {
            None => {
                self.open = Some(Hunk {
                    first_event: self.pending.front().copied().unwrap_or(event),
                    last_event: event,
                    old_start: old_number - context,
                    new_start: new_number - context,
                    old_count: context,
                    new_count: context,
                });
            }
            // The unchanged lines since the last change join the hunk as its middle context.
            Some(hunk) => {
                hunk.old_count += context;
                hunk.new_count += context;
            }
        }
        self.pending.clear();
        let hunk = self.open.as_mut().expect("opened above");
        hunk.last_event = event;
        let removed = u64::from(!old.is_empty());
        let added = u64::from(new.is_some());
        hunk.old_count += removed;
        hunk.new_count += added;
        self.old_number = old_number + removed;
        self.new_number = new_number + added;
        self.event += 1;
        Ok(())
    }
}

/// The second walk: prints the lines of the planned hunks, each after its header.
struct Printer<'a, 'w> {
    out: &'a mut (dyn Write + 'w),
    hunks: &'a [Hunk],
    /// The hunk being printed or next to print.
    next: usize,
    event: usize,
}

impl Printer<'_, '_> {
    /// Prints the event's lines if a hunk covers it, opening the hunk with its header.
    fn event(&mut self, lines: &[(u8, &[u8])]) -> io::Result<()> {
        let event = self.event;
        self.event += 1;
        let Some(hunk) = self.hunks.get(self.next).copied() else { return Ok(()) };
        if event < hunk.first_event {
            return Ok(());
        }
        if event == hunk.first_event {
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
        }
        for (mark, line) in lines {
            self.out.write_all(&[*mark])?;
            self.out.write_all(line)?;
            if !line.ends_with(b"\n") {
                self.out.write_all(b"\n\\ No newline at end of file\n")?;
            }
        }
        if event == hunk.last_event {
            self.next += 1;
        }
        Ok(())
    }
}

impl LineSink for Printer<'_, '_> {
    fn keep(&mut self, raw: &[u8]) -> io::Result<()> {
        self.event(&[(b' ', raw)])
    }

    fn change(&mut self, _number: u64, old: &[u8], new: Option<&[u8]>) -> io::Result<()> {
        match (old.is_empty(), new) {
            (false, Some(new)) => self.event(&[(b'-', old), (b'+', new)]),
            (false, None) => self.event(&[(b'-', old)]),
            (true, Some(new)) => self.event(&[(b'+', new)]),
            (true, None) => self.event(&[]),
        }
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
    use ftlint_linter::fix::{fix, FixOptions};
    use ftlint_linter::settings::{Profile, Settings};

    fn diff_named(bytes: &[u8], name: &str) -> String {
        let mut out = Vec::new();
        let fixed = fix(bytes, &Settings::new(Profile::Openai), FixOptions::default()).unwrap();
        write_diff(&mut out, name, bytes, &fixed).unwrap();
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

    /// Every line ends in CRLF: one hunk over the whole file.
    fn every_line_changes() -> Vec<u8> {
        (0..1200).map(|i| format!("{{\"n\": {i}}}\r\n")).collect::<String>().into_bytes()
    }

    fn applies_with(tool: &str, args: &[&str], name: &str) {
        applies_with_bytes(tool, args, name, sample());
        applies_with_bytes(tool, args, name, every_line_changes());
    }

    fn applies_with_bytes(tool: &str, args: &[&str], name: &str, original: Vec<u8>) {
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
    fn a_long_run_of_changes_is_one_hunk_with_context() {
        let mut text = String::from("{\"head\": 1}\n");
        for i in 0..1500 {
            text.push_str(&format!("{{\"n\": {i}}}\r\n"));
        }
        text.push_str("{\"tail\": 1}\n");
        let patch = diff(text.as_bytes());
        assert_eq!(patch.matches("@@ -").count(), 1, "{:.200}", patch);
        assert!(patch.contains("@@ -1,1502 +1,1502 @@\n {\"head\": 1}\n"), "{:.200}", patch);
        assert!(patch.ends_with("+{\"n\": 1499}\n {\"tail\": 1}\n"));
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
