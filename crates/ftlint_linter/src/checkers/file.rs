//! The file checker: the rules about the file's bytes as a whole, before its lines are split and
//! once they are all read.

use crate::context::FileContext;
use crate::encoding::Encoding;
use crate::rules::file::{
    compressed_file, file_too_large, missing_bom, no_examples, non_utf8_encoding, unexpected_bom,
};

/// Before the lines: size, compression, encoding, byte-order mark. `head` is the file's first
/// bytes. Returns whether the lines can be checked; a file that is compressed or not UTF-8 would
/// only produce noise.
pub fn check_start(ctx: &mut FileContext<'_>, encoding: Encoding, head: &[u8]) -> bool {
    file_too_large::check(ctx);
    if compressed_file::check(ctx, head) || non_utf8_encoding::check(ctx, encoding) {
        return false;
    }
    missing_bom::check(ctx, encoding);
    unexpected_bom::check(ctx, encoding);
    // (new file rules go above this line)
    true
}

/// Once every line is read: whether there was anything to read. `content_lines` counts the
/// non-blank lines.
pub fn check_end(ctx: &mut FileContext<'_>, encoding: Encoding, content_lines: u64) {
    no_examples::check(ctx, encoding, content_lines);
}
