//! ftlint: an offline validator and linter for fine-tuning datasets in the chat JSONL format of
//! OpenAI and Azure OpenAI.
//!
//! The modules follow the data, in order: [`walk`] turns paths into inputs, [`source`] gets their
//! bytes, [`encoding`] sniffs the text encoding, [`lines`] splits lines, the rules in [`rules`] check
//! the file, each line and each record ([`record`] decides a record's format, [`locate`] finds the
//! exact span of a JSON value, [`image`] reads embedded images' headers, [`dataset`] what the
//! records say together, [`tokens`] counts what the examples cost with [`tokenizer`], an exact and
//! fast BPE counter), [`check`] runs one file through all of it in parallel, and [`report`] prints
//! the findings. [`fix`] rewrites what can be fixed. [`app`] ties it to the command line in [`cli`],
//! with settings from [`config`] files. [`mapping_guard`] keeps a mapped file that shrinks under
//! ftlint from crashing it.

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod dataset;
pub mod diagnostic;
pub mod encoding;
pub mod fix;
pub mod image;
pub mod json;
pub mod lines;
pub mod locate;
pub mod mapping_guard;
pub mod position;
pub mod record;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod tokenizer;
pub mod tokens;
pub mod walk;
