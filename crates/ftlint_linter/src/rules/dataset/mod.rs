//! Rules that look at a file's records together: how many there are, which repeat, and which also
//! sit in the training files when the file is a validation file. The dataset checker
//! ([`crate::checkers::dataset`]) feeds them the records in line order; the record hashes and the
//! training index they compare live in [`crate::dataset`].

pub mod duplicate_example;
pub mod too_few_examples;
pub mod too_many_examples;
pub mod validation_overlap;
