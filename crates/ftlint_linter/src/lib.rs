//! ftlint's linter: the bytes of a fine-tuning JSONL file in, diagnostics (with their fixes) out.
//!
//! This crate never prints, never reads the environment and never touches the file system: the
//! command line (`ftlint`), the Python package and any later face are thin layers over it. They
//! hand it bytes and a [`settings::Settings`], and receive findings through a [`sink::Sink`].
//!
//! The modules follow the data, in order: [`encoding`] sniffs the text encoding, [`lines`] splits
//! lines, and [`check`] runs one file through the [`checkers`], one per stage (the file, each line,
//! each record and its conversations and images, the dataset as a whole, tokens), in parallel with
//! the `parallel` feature. The checkers decide which of the [`rules`] run; each rule's file holds its
//! docs, its fix text and its detection, and reports through the one builder of [`context`].
//! [`model`] holds the types they share (the parsed JSON, formats, roles, messages, images),
//! [`locate`] finds the exact span of a JSON value, [`dataset`] keeps the record hashes the dataset
//! rules compare, and [`tokens`] counts what the examples cost with `ftlint_tokenizer`, an exact
//! and fast BPE counter. [`tool_schemas`] reads tool definitions once per distinct `tools` array
//! for the rules about their JSON Schemas. [`fix`] applies the fixes that findings carry.
//! [`grader`] reads an RFT job's grader (given as JSON text) and the record fields its templates
//! read.
//!
//! Layers: [`model`] imports no rule and no checker; rules import [`model`] and [`context`], never a
//! checker; only checkers call rules. `scripts/check_layers.py` enforces it.

pub mod check;
pub mod checkers;
pub mod context;
pub mod dataset;
pub mod diagnostic;
pub mod encoding;
pub mod fix;
pub mod grader;
pub mod lines;
pub mod locate;
pub mod model;
pub mod position;
pub mod rules;
pub mod settings;
pub mod sink;
pub mod tokens;
pub mod tool_schemas;
