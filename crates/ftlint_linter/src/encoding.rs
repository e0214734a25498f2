//! Sniffing a file's text encoding before anything splits it into lines.
//!
//! Fine-tuning files must be UTF-8. Editors on Windows still write UTF-16 ("Unicode" in Notepad) and
//! PowerShell's `>` wrote UTF-16LE for years; such a file splits into garbage lines, so it is caught
//! here once, for the whole file, instead of as thousands of line errors. A byte-order mark is the
//! sure sign; without one, the pattern of NUL bytes in the first kilobyte gives UTF-16 or UTF-32
//! away, because JSON text is almost all ASCII and ASCII in those encodings is padded with zeros.

/// The UTF-8 byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8 { bom: bool },
    Utf16Le { bom: bool },
    Utf16Be { bom: bool },
    Utf32Le { bom: bool },
    Utf32Be { bom: bool },
}

impl Encoding {
    /// The encoding's usual name, as `iconv` spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 { .. } => "UTF-8",
            Encoding::Utf16Le { .. } => "UTF-16LE",
            Encoding::Utf16Be { .. } => "UTF-16BE",
            Encoding::Utf32Le { .. } => "UTF-32LE",
            Encoding::Utf32Be { .. } => "UTF-32BE",
        }
    }

    pub const fn has_bom(self) -> bool {
        match self {
            Encoding::Utf8 { bom }
            | Encoding::Utf16Le { bom }
            | Encoding::Utf16Be { bom }
            | Encoding::Utf32Le { bom }
            | Encoding::Utf32Be { bom } => bom,
        }
    }

    /// Bytes of byte-order mark at the start of the file.
    pub const fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8 { bom: true } => 3,
            Encoding::Utf16Le { bom: true } | Encoding::Utf16Be { bom: true } => 2,
            Encoding::Utf32Le { bom: true } | Encoding::Utf32Be { bom: true } => 4,
            _ => 0,
        }
    }

    pub const fn is_utf8(self) -> bool {
        matches!(self, Encoding::Utf8 { .. })
    }
}

/// How many leading bytes the NUL-pattern heuristic looks at.
const SNIFF_LEN: usize = 1024;

/// Works out the encoding from the byte-order mark, or else from where NUL bytes fall.
pub fn detect(bytes: &[u8]) -> Encoding {
    // UTF-32LE's mark starts with UTF-16LE's, so it is tested first.
    if bytes.starts_with(b"\xFF\xFE\x00\x00") {
        return Encoding::Utf32Le { bom: true };
    }
    if bytes.starts_with(b"\x00\x00\xFE\xFF") {
        return Encoding::Utf32Be { bom: true };
    }
    if bytes.starts_with(UTF8_BOM) {
        return Encoding::Utf8 { bom: true };
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Encoding::Utf16Le { bom: true };
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Encoding::Utf16Be { bom: true };
    }
    sniff_nul_pattern(&bytes[..bytes.len().min(SNIFF_LEN)])
}

/// Without a mark: ASCII text in UTF-16 has a NUL in every other byte, in UTF-32 three of every four.
/// A binary file also has NULs, but not in such a regular pattern, and is left to the UTF-8 check.
fn sniff_nul_pattern(sample: &[u8]) -> Encoding {
    let plain = Encoding::Utf8 { bom: false };
    if sample.len() < 4 {
        return plain;
    }
    let mut nul_by_lane = [0usize; 4];
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            nul_by_lane[i % 4] += 1;
        }
    }
    let lane_len = sample.len() / 4;
    if lane_len == 0 {
        return plain;
    }
    // "Mostly NUL" and "almost never NUL", per lane of the 4-byte pattern.
    let mostly = |n: usize| n * 10 >= lane_len * 9;
    let rarely = |n: usize| n * 10 <= lane_len;
    let [a, b, c, d] = nul_by_lane;
    if rarely(a) && mostly(b) && mostly(c) && mostly(d) {
        Encoding::Utf32Le { bom: false }
    } else if mostly(a) && mostly(b) && mostly(c) && rarely(d) {
        Encoding::Utf32Be { bom: false }
    } else if rarely(a) && mostly(b) && rarely(c) && mostly(d) {
        Encoding::Utf16Le { bom: false }
    } else if mostly(a) && rarely(b) && mostly(c) && rarely(d) {
        Encoding::Utf16Be { bom: false }
    } else {
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    fn utf32le(text: &str) -> Vec<u8> {
        text.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect()
    }

    const LINE: &str = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n";

    #[test]
    fn marks_decide() {
        assert_eq!(detect(b"\xEF\xBB\xBF{}"), Encoding::Utf8 { bom: true });
        assert_eq!(detect(b"\xFF\xFE{\x00"), Encoding::Utf16Le { bom: true });
        assert_eq!(detect(b"\xFE\xFF\x00{"), Encoding::Utf16Be { bom: true });
        assert_eq!(detect(b"\xFF\xFE\x00\x00{\x00\x00\x00"), Encoding::Utf32Le { bom: true });
        assert_eq!(detect(b"\x00\x00\xFE\xFF\x00\x00\x00{"), Encoding::Utf32Be { bom: true });
    }

    #[test]
    fn nul_patterns_give_away_unmarked_utf16_and_utf32() {
        assert_eq!(detect(&utf16le(LINE)), Encoding::Utf16Le { bom: false });
        assert_eq!(detect(&utf16be(LINE)), Encoding::Utf16Be { bom: false });
        assert_eq!(detect(&utf32le(LINE)), Encoding::Utf32Le { bom: false });
    }

    #[test]
    fn utf8_and_binary_stay_utf8() {
        assert_eq!(detect(LINE.as_bytes()), Encoding::Utf8 { bom: false });
        assert_eq!(detect(b""), Encoding::Utf8 { bom: false });
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00";
        assert_eq!(detect(png), Encoding::Utf8 { bom: false });
    }
}
