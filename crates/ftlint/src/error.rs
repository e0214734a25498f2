//! The errors of the command line, and the one place they reach standard error.
//!
//! A command returns an [`Error`] when it cannot go on (an unknown rule, an invalid configuration
//! file, an output file it cannot write); [`crate::app::run`] prints it once, as
//! `ftlint: error: …`, and exits 2. Some problems concern one input among several (a missing path, a
//! file that changed while it was checked): the run goes on with the others, so one typo in a path
//! list does not hide the findings in the rest, and the problem is printed at once with [`report`]
//! and makes the run exit 2 at the end. Both go through [`report`], so every error looks the same.

use std::fmt;
use std::io;

use crate::app::ExitStatus;

/// Why a command stopped.
#[derive(Debug)]
pub enum Error {
    /// ftlint could not do its job; the message says what and how to fix it.
    Failed(String),
    /// Standard output was closed by its reader (`ftlint check big.jsonl | head`): nothing more can
    /// be written, and nothing is wrong, so the run stops quietly.
    OutputClosed,
}

impl Error {
    /// An error with this message (without the `ftlint: error:` prefix, which [`report`] adds).
    pub fn new(message: impl fmt::Display) -> Self {
        Error::Failed(message.to_string())
    }

    /// An unknown rule code or name on the command line.
    pub fn unknown_rule(key: &str) -> Self {
        Error::new(format_args!("unknown rule `{key}`; `ftlint rules` lists them"))
    }

    /// The exit status of a run that stopped with this error.
    pub fn status(&self) -> ExitStatus {
        match self {
            Error::Failed(_) => ExitStatus::Error,
            Error::OutputClosed => ExitStatus::Success,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Failed(message) => f.write_str(message),
            Error::OutputClosed => f.write_str("standard output was closed"),
        }
    }
}

impl std::error::Error for Error {}

/// Writing the report failed. A closed pipe is not a failure of ftlint's; anything else (a full
/// disk) is.
impl From<io::Error> for Error {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Error::OutputClosed
        } else {
            Error::new(format_args!("cannot write output: {error}"))
        }
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(error: crate::config::ConfigError) -> Self {
        Error::new(error)
    }
}

/// Prints an error on standard error as `ftlint: error: …`. The only place ftlint prints one; a
/// closed standard output prints nothing.
pub fn report(error: &Error) {
    if let Error::Failed(message) = error {
        eprintln!("ftlint: error: {}", visible(message));
    }
}

/// A message as printed: messages name files and quote data, whose control characters (ESC, BEL)
/// are shown escaped so they cannot drive the terminal. Line breaks of ftlint's own multi-line
/// messages (a configuration error's excerpt) stay.
fn visible(message: &str) -> String {
    message.split('\n').map(|line| crate::report::escape_controls(line)).collect::<Vec<_>>().join("\n")
}

/// Prints a warning on standard error as `ftlint: warning: …`: something the user should know that
/// does not change the exit status.
pub fn warn(message: impl fmt::Display) {
    eprintln!("ftlint: warning: {}", visible(&message.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_quiet_and_succeeds_other_write_errors_fail() {
        let closed = Error::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(matches!(closed, Error::OutputClosed));
        assert_eq!(closed.status(), ExitStatus::Success);
        let full = Error::from(io::Error::other("no space left on device"));
        assert_eq!(full.to_string(), "cannot write output: no space left on device");
        assert_eq!(full.status(), ExitStatus::Error);
    }

    #[test]
    fn unknown_rules_point_at_the_rule_list() {
        assert_eq!(
            Error::unknown_rule("FT999").to_string(),
            "unknown rule `FT999`; `ftlint rules` lists them"
        );
    }
}
