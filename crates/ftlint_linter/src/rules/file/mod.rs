//! Rules that look at the file as a whole, before it is split into lines: its size, its text
//! encoding and byte-order mark, and whether it holds any example at all.

pub mod compressed_file;
pub mod file_too_large;
pub mod missing_bom;
pub mod no_examples;
pub mod non_utf8_encoding;
pub mod unexpected_bom;
