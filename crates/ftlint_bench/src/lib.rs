//! Benchmarks of ftlint and the data they run on: criterion benches (`benches/`), the token
//! comparisons against tiktoken-rs (`src/bin/`), and the text extraction they share.

pub mod texts;
