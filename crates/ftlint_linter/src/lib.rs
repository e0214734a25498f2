//! ftlint's linter: the bytes of a fine-tuning JSONL file in, diagnostics (with their fixes) out.
//!
//! This crate never prints, never reads the environment and never touches the file system: the
//! command line (`ftlint`), the Python package and any later face are thin layers over it. They
//! hand it bytes and a [`settings::Settings`], and receive findings through a [`sink::Sink`].
//!
//! The modules follow the data, in order: [`encoding`] sniffs the text encoding, [`lines`] splits
//! lines, the rules in [`rules`] check the file, each line and each record ([`record`] decides a
//! record's format, [`locate`] finds the exact span of a JSON value, [`image`] reads embedded
//! images' headers, [`dataset`] what the records say together, [`tokens`] counts what the examples
//! cost with `ftlint_tokenizer`, an exact and fast BPE counter), and [`check`] runs one file through
//! all of it, in parallel with the `parallel` feature. [`fix`] applies the fixes that findings
//! carry.

pub mod check;
pub mod dataset;
pub mod diagnostic;
pub mod encoding;
pub mod fix;
pub mod image;
pub mod json;
pub mod lines;
pub mod locate;
pub mod position;
pub mod record;
pub mod rules;
pub mod settings;
pub mod sink;
pub mod tokens;
