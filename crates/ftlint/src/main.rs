//! The `ftlint` binary: runs [`ftlint::app::run`] and turns a panic into a short message and exit 2
//! instead of a backtrace.

use std::process::ExitCode;

/// mimalloc, with running out of memory an error (exit 2) rather than an abort.
#[global_allocator]
static ALLOCATOR: ftlint::allocator::Allocator = ftlint::allocator::Allocator;

fn main() -> ExitCode {
    // A file-size limit makes a write fail (and its temporary file go) instead of killing ftlint.
    ftlint::output::ignore_file_size_signal();
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "ftlint: internal error: {payload}{location}\n\
             This is a bug in ftlint, not in your data. Please report it with the command you ran."
        );
    }));
    match std::panic::catch_unwind(|| ftlint::app::run(std::env::args_os())) {
        Ok(status) => status.into(),
        Err(_) => ExitCode::from(2),
    }
}
