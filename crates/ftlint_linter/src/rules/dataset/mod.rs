//! Rules that look at a file's records together: how many there are, which repeat, and which also
//! sit in the training files when the file is a validation file. Their state lives in
//! [`crate::dataset`]; each file here holds one rule's docs and the wording of its findings.

pub mod duplicate_example;
pub mod too_few_examples;
pub mod validation_overlap;
