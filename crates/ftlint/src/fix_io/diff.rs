//! `ftlint fix --diff`: the fixes as a unified diff (zero lines of context), which `patch -p1`
//! or `git apply` can apply. Runs of adjacent changed lines become one hunk, bounded in size so a
//! file whose every line changes (CRLF everywhere) streams instead of piling up in memory.

use std::io::{self, Write};

use ftlint_linter::fix::LineSink;

/// Lines of one hunk at most, before it is written out.
const MAX_HUNK_LINES: usize = 1000;

pub struct DiffSink<'w> {
    out: &'w mut dyn Write,
    path: String,
    header_written: bool,
    /// The next line number in the fixed file.
    new_number: u64,
    hunk: Hunk,
}

#[derive(Default)]
struct Hunk {
    old_start: u64,
    new_start: u64,
    removed: Vec<Vec<u8>>,
    added: Vec<Vec<u8>>,
}

impl<'w> DiffSink<'w> {
    pub fn new(out: &'w mut dyn Write, path: &str) -> Self {
        DiffSink { out, path: path.to_owned(), header_written: false, new_number: 1, hunk: Hunk::default() }
    }

    /// Writes what is pending; call once the file is done.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush_hunk()
    }

    fn flush_hunk(&mut self) -> io::Result<()> {
        if self.hunk.removed.is_empty() && self.hunk.added.is_empty() {
            return Ok(());
        }
        if !self.header_written {
            writeln!(self.out, "--- a/{}\n+++ b/{}", self.path, self.path)?;
            self.header_written = true;
        }
        let hunk = std::mem::take(&mut self.hunk);
        // With no lines on a side, unified diffs name the line *before* the hunk on that side.
        let side = |start: u64, count: usize| {
            if count == 0 {
                format!("{},0", start.saturating_sub(1))
            } else {
                format!("{start},{count}")
            }
        };
        writeln!(
            self.out,
            "@@ -{} +{} @@",
            side(hunk.old_start, hunk.removed.len()),
            side(hunk.new_start, hunk.added.len())
        )?;
        for (sign, lines) in [(b'-', &hunk.removed), (b'+', &hunk.added)] {
            for line in lines {
                self.out.write_all(&[sign])?;
                self.out.write_all(line)?;
                if !line.ends_with(b"\n") {
                    self.out.write_all(b"\n\\ No newline at end of file\n")?;
                }
            }
        }
        Ok(())
    }
}

impl LineSink for DiffSink<'_> {
    fn keep(&mut self, _raw: &[u8]) -> io::Result<()> {
        self.flush_hunk()?;
        self.new_number += 1;
        Ok(())
    }

    fn change(&mut self, number: u64, old: &[u8], new: Option<&[u8]>) -> io::Result<()> {
        if self.hunk.removed.len() >= MAX_HUNK_LINES {
            self.flush_hunk()?;
        }
        if self.hunk.removed.is_empty() && self.hunk.added.is_empty() {
            self.hunk.old_start = number;
            self.hunk.new_start = self.new_number;
        }
        if !old.is_empty() {
            self.hunk.removed.push(old.to_vec());
        }
        if let Some(new) = new {
            self.hunk.added.push(new.to_vec());
            self.new_number += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ftlint_linter::fix::{fix, line_changes, FixOptions};
    use ftlint_linter::settings::{Profile, Settings};

    fn diff(bytes: &[u8]) -> String {
        let mut out = Vec::new();
        let mut sink = DiffSink::new(&mut out, "t.jsonl");
        let fixed = fix(bytes, &Settings::new(Profile::Openai), FixOptions::default()).unwrap();
        line_changes(bytes, &fixed, &mut sink).unwrap();
        sink.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn dropped_and_changed_lines_become_hunks_with_exact_numbers() {
        let text = diff(b"{\"a\": 1}\n\n{\"b\": 2}\r\n{\"c\": 3}\n");
        assert_eq!(text, "--- a/t.jsonl\n+++ b/t.jsonl\n@@ -2,2 +2,1 @@\n-\n-{\"b\": 2}\r\n+{\"b\": 2}\n");
    }

    #[test]
    fn nothing_to_fix_is_an_empty_diff() {
        assert_eq!(diff(b"{\"a\": 1}\n"), "");
    }

    #[test]
    fn a_diff_applies_with_patch() {
        let original = b"\xEF\xBB\xBF{\"a\": 1}\r\n\n{\"b\": 2}";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.jsonl"), original).unwrap();
        let patch = diff(original);
        let status = std::process::Command::new("patch")
            .args(["-p1", "--quiet", "--binary"])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                child.stdin.take().unwrap().write_all(patch.as_bytes())?;
                child.wait()
            });
        let Ok(status) = status else { return }; // no `patch` on this system
        assert!(status.success(), "{patch}");
        let fixed = fix(original, &Settings::new(Profile::Openai), FixOptions::default()).unwrap();
        assert_eq!(std::fs::read(dir.path().join("t.jsonl")).unwrap(), fixed.bytes);
    }
}
