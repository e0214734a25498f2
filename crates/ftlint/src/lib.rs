//! The `ftlint` command line, a thin face over the `ftlint_linter` library.
//!
//! The modules follow a run, in order: [`cli`] parses the arguments, [`config`] finds and reads
//! configuration files, [`walk`] turns paths into inputs, [`source`] gets their bytes (mapping
//! large files, with [`mapping_guard`] keeping a mapped file that shrinks under ftlint from
//! crashing it), the linter checks them, and the reporters in [`report`] print the findings.
//! [`baseline`] drops the findings a baseline file accepts. [`fix_io`] writes the fixes the linter plans, or prints them as a diff; every file ftlint writes
//! (a report, a fixed dataset) goes through [`output`]. [`app`] ties it together; [`error`] is the
//! only place that prints errors. [`rule_table`] renders the README's table of rules; [`allocator`]
//! makes running out of memory an error (exit 2) instead of an abort.

pub mod allocator;
pub mod app;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod error;
pub mod fix_io;
pub mod mapping_guard;
pub mod output;
pub mod report;
pub mod rule_table;
pub mod source;
pub mod walk;
