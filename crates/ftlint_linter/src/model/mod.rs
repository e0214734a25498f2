//! The types every stage and rule shares, and no rule logic: the parsed JSON tree ([`json`]), the
//! record's shape and format ([`shape`]), message roles ([`role`]), the messages of a conversation
//! as the rules see them ([`message`]), what an embedded image is ([`image`]), what credentials and personal data look like in text
//! ([`credential`]) and what the check
//! of one record leaves for the file-wide stages ([`facts`]).
//!
//! Nothing here imports a rule or a checker, so every rule and checker can import all of it.

pub mod credential;
pub mod facts;
pub mod image;
pub mod json;
pub mod message;
pub mod role;
pub mod shape;
