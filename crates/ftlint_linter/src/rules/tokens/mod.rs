//! Rules about what examples and files cost in tokens (FT6xx). They read the counts of the token
//! stage ([`crate::tokens`]) and run only when counting is on.

pub mod dataset_too_large;
pub mod example_too_long;
