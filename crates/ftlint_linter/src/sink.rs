//! Where the findings of a check go: the [`Sink`] trait, which the check (the producer) owns and
//! every consumer implements — the command line's reporters, the Python package, a test's
//! [`Collector`].
//!
//! The check calls a sink from one thread, in file order and line order, so a sink never sorts and
//! never locks. A sink's error (a closed pipe, a full disk) stops the check and is returned from it.

use std::io;

use crate::check::FileOutcome;
use crate::diagnostic::Diagnostic;

/// What a sink knows of the file being checked.
pub struct FileHeader<'a> {
    /// The name the file is reported under (a path, `-`, or `<records>`).
    pub path: &'a str,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// Receives the findings of a check as they are made.
pub trait Sink {
    /// The check of a file starts.
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()>;
    /// One finding; `source` is the whole file, for showing the line it sits on.
    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], diagnostic: &Diagnostic)
        -> io::Result<()>;
    /// The check of a file ends; `outcome` holds its counts and figures.
    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()>;
    /// The check has read `done` of the file's bytes. Called about every few megabytes; the default
    /// does nothing.
    fn progress(&mut self, _file: &FileHeader<'_>, _done: u64) {}
}

impl<S: Sink + ?Sized> Sink for Box<S> {
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()> {
        (**self).start_file(file)
    }

    fn diagnostic(
        &mut self,
        file: &FileHeader<'_>,
        source: &[u8],
        diagnostic: &Diagnostic,
    ) -> io::Result<()> {
        (**self).diagnostic(file, source, diagnostic)
    }

    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        (**self).end_file(file, outcome)
    }

    fn progress(&mut self, file: &FileHeader<'_>, done: u64) {
        (**self).progress(file, done);
    }
}

/// Keeps every finding in memory, with the name of its file.
#[derive(Debug, Default)]
pub struct Collector {
    pub diagnostics: Vec<(String, Diagnostic)>,
}

impl Sink for Collector {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        Ok(())
    }

    fn diagnostic(
        &mut self,
        file: &FileHeader<'_>,
        _source: &[u8],
        diagnostic: &Diagnostic,
    ) -> io::Result<()> {
        self.diagnostics.push((file.path.to_owned(), diagnostic.clone()));
        Ok(())
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        Ok(())
    }
}
