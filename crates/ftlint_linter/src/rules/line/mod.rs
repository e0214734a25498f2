//! Rules that look at one physical line: is it blank, how does it end, is it UTF-8, is it JSON, is it
//! an object.
//!
//! These run in parallel, one line per task, and each reports its finding at an exact byte range of
//! the line through [`crate::context::LineContext`].

pub mod blank_line;
pub mod crlf_line_ending;
pub mod invalid_json;
pub mod invalid_utf8;
pub mod not_an_object;
