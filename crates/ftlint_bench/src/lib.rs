//! Benchmarks of ftlint and the data they run on: criterion benches (`benches/`), the token
//! comparisons against tiktoken-rs (`src/bin/`), the text extraction they share, and the generated
//! datasets they read ([`data`], written by `gen_dataset.py`).

pub mod data;
pub mod texts;
