//! The checkers: one per stage of the pipeline, and the only callers of rule functions.
//!
//! A checker decides which rules run on its view of the data and in what order; it never words a
//! finding itself. [`crate::check`] drives them over a file: [`file`](mod@file) before and after the lines,
//! [`line`](mod@line) on each line in parallel, which hands records to [`record`] (and that, in turn, their
//! conversations to [`conversation`], their strings to [`secrets`], their images to [`vision`] and their token counts to
//! [`tokens`]), and [`dataset`] on the records in line order.

pub mod conversation;
pub mod dataset;
pub mod file;
pub mod line;
pub mod record;
pub mod secrets;
pub mod tokens;
pub mod vision;
