//! Rules about what a record's text must not carry into a model's weights: credentials (FT701)
//! and, when asked for, personal data (FT702 e-mail addresses, FT703 phone numbers; off by
//! default).
//!
//! Each file holds one rule's docs, its fix text and how it words a finding. The scan itself (one
//! prefilter pass over the record's raw text, then each kind's pattern on the decoded strings) is
//! [`crate::model::credential`]; the walk over a record's strings is the secrets checker's
//! ([`crate::checkers::secrets`]).

pub mod email_address;
pub mod phone_number;
pub mod secret_in_content;
