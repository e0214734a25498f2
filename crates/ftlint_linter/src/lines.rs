//! Splitting a file's bytes into lines, in batches, without copying.
//!
//! A line ends at `\n` (found with memchr); a `\r` before it is dropped, so CRLF files read the same as
//! LF files; a last line without a final newline is still a line. Line 1 starts after a UTF-8
//! byte-order mark, if there is one. Lines are handed out in batches of bounded byte size, so the check
//! can work on one batch in parallel while memory stays bounded however many lines the file has.

/// One physical line of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: u64,
    /// Byte offset of the line's first byte in the file.
    pub start: usize,
    /// The line's bytes, without the `\n` and without a `\r` before it.
    pub text: &'a [u8],
}

impl Line<'_> {
    /// True for a line with nothing but spaces and tabs; JSON readers reject it as "no value".
    pub fn is_blank(&self) -> bool {
        self.text.iter().all(|&b| b == b' ' || b == b'\t' || b == b'\r')
    }
}

/// Where `line` ends in `bytes` with its line ending: past the `\n` and the `\r` before it that
/// [`Lines`] leaves out of [`Line::text`]. Fixes that delete a whole line delete up to here.
pub fn raw_end(bytes: &[u8], line: &Line<'_>) -> usize {
    let mut end = line.start + line.text.len();
    if bytes.get(end) == Some(&b'\r') {
        end += 1;
    }
    if bytes.get(end) == Some(&b'\n') {
        end += 1;
    }
    end
}

/// Yields the lines of `bytes` from `start`, numbered from 1.
#[derive(Clone, Debug)]
pub struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    next_number: u64,
}

impl<'a> Lines<'a> {
    /// Lines of `bytes`, with line 1 starting at byte `start` (past a byte-order mark).
    pub fn new(bytes: &'a [u8], start: usize) -> Self {
        Lines { bytes, pos: start.min(bytes.len()), next_number: 1 }
    }

    /// Clears `batch` and fills it with the next lines, until their bytes add up to at least
    /// `max_bytes` or there are `max_lines` of them (always at least one line while any remain).
    /// Returns false when none remain.
    pub fn next_batch(&mut self, max_bytes: usize, max_lines: usize, batch: &mut Vec<Line<'a>>) -> bool {
        batch.clear();
        let batch_start = self.pos;
        while self.pos - batch_start < max_bytes && batch.len() < max_lines.max(1) {
            match self.next() {
                Some(line) => batch.push(line),
                None => break,
            }
        }
        !batch.is_empty()
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        let rest = &self.bytes[self.pos..];
        if rest.is_empty() {
            return None;
        }
        let (len, consumed) = match memchr::memchr(b'\n', rest) {
            Some(i) => (i, i + 1),
            None => (rest.len(), rest.len()),
        };
        let mut text = &rest[..len];
        if let [head @ .., b'\r'] = text {
            text = head;
        }
        let line = Line { number: self.next_number, start: self.pos, text };
        self.pos += consumed;
        self.next_number += 1;
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(bytes: &[u8], start: usize) -> Vec<&[u8]> {
        Lines::new(bytes, start).map(|l| l.text).collect()
    }

    #[test]
    fn splits_lf_crlf_and_a_missing_final_newline() {
        assert_eq!(texts(b"a\nb\r\nc", 0), vec![&b"a"[..], b"b", b"c"]);
        assert_eq!(texts(b"a\n", 0), vec![&b"a"[..]]);
        assert_eq!(texts(b"a\n\nb\n", 0), vec![&b"a"[..], b"", b"b"]);
        assert!(texts(b"", 0).is_empty());
    }

    #[test]
    fn starts_after_the_bom_and_keeps_file_offsets() {
        let bytes = b"\xEF\xBB\xBF{}\n[]";
        let lines: Vec<Line> = Lines::new(bytes, 3).collect();
        assert_eq!(lines[0], Line { number: 1, start: 3, text: b"{}" });
        assert_eq!(lines[1], Line { number: 2, start: 6, text: b"[]" });
    }

    #[test]
    fn batches_cover_every_line_once() {
        let bytes = b"aaaa\nbb\nc\n\ndddddd\n";
        let mut lines = Lines::new(bytes, 0);
        let mut batch = Vec::new();
        let mut seen = Vec::new();
        while lines.next_batch(5, usize::MAX, &mut batch) {
            seen.extend(batch.iter().map(|l| l.number));
        }
        assert_eq!(seen, vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn batches_stop_at_the_line_limit() {
        let mut lines = Lines::new(b"a\nb\nc\nd\ne\n", 0);
        let mut batch = Vec::new();
        let mut sizes = Vec::new();
        while lines.next_batch(1 << 20, 2, &mut batch) {
            sizes.push(batch.len());
        }
        assert_eq!(sizes, [2, 2, 1]);
        // A limit of 0 still makes progress, one line at a time.
        let mut lines = Lines::new(b"a\nb\n", 0);
        assert!(lines.next_batch(1 << 20, 0, &mut batch));
        assert_eq!(batch.len(), 1);
    }

    proptest! {
        #[test]
        fn lines_rebuild_the_input(bytes in proptest::collection::vec(any::<u8>(), 0..400), start in 0usize..8) {
            let start = start.min(bytes.len());
            let mut rebuilt = Vec::new();
            for (expected_number, line) in (1..).zip(Lines::new(&bytes, start)) {
                prop_assert_eq!(line.number, expected_number);
                prop_assert_eq!(line.start, start + rebuilt.len());
                prop_assert!(!line.text.contains(&b'\n'));
                // The line's own bytes plus what was dropped after it rebuild the input exactly.
                let end = line.start + line.text.len();
                let mut tail = end;
                if bytes.get(tail) == Some(&b'\r') { tail += 1; }
                if bytes.get(tail) == Some(&b'\n') { tail += 1; }
                rebuilt.extend_from_slice(&bytes[line.start..tail]);
            }
            prop_assert_eq!(&rebuilt[..], &bytes[start..]);
        }
    }
}
