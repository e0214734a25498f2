//! Byte offsets to the line and column a person sees.
//!
//! Columns count characters, not bytes, as editors and ruff do; the count must also work on a prefix
//! that is not valid UTF-8 (an invalid-UTF-8 finding points just past the valid part), so it counts
//! the bytes that start a character rather than decoding.

/// The number of characters in `bytes`, counting every byte that is not a UTF-8 continuation byte.
///
/// On valid UTF-8 this equals `str::chars().count()`. Positions are only ever reported with valid
/// UTF-8 before them on their line (an invalid-UTF-8 finding points at the first bad byte), so what
/// invalid input would count never reaches a user.
pub fn char_count(bytes: &[u8]) -> u64 {
    // Continuation bytes are 0b10xx_xxxx; everything else starts a character.
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count() as u64
}

/// The 1-based column of `offset` within `line` (both relative to the start of the line).
pub fn column_at(line: &[u8], offset: usize) -> u64 {
    char_count(&line[..offset.min(line.len())]) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(char_count("añ€😀".as_bytes()), 4);
        assert_eq!(column_at("añ€😀x".as_bytes(), "añ€😀".len()), 5);
    }
}
