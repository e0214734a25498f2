//! Where the fixes that the linter plans go: written back to the file ([`write`]) or shown as a
//! unified diff ([`diff`]).

pub mod diff;
pub mod write;
