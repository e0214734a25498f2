//! ftlint: an offline validator and linter for fine-tuning datasets in the chat JSONL format of
//! OpenAI and Azure OpenAI.
//!
//! The modules follow the data, in order: [`walk`] turns paths into inputs, [`source`] gets their
//! bytes, [`encoding`] sniffs the text encoding, [`lines`] splits lines, the rules in [`rules`] check
//! the file, each line and each record ([`record`] decides a record's format, [`locate`] finds the
//! exact span of a JSON value), [`check`]
//! runs one file through all of it in parallel, and [`report`] prints the findings. [`app`] ties it
//! to the command line in [`cli`]. [`tokenizer`] counts tokens exactly as OpenAI's encodings do.

pub mod app;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod encoding;
pub mod lines;
pub mod locate;
pub mod position;
pub mod record;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod tokenizer;
pub mod walk;
