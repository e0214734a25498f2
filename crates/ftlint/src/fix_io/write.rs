//! Writing a fixed file so that nothing is ever lost or half-written.
//!
//! The fixed bytes go through [`crate::output`]: a temporary file beside the original (anonymous
//! until the last moment on Linux, so even `kill -9` leaves nothing), synced, given the original's
//! mode and owner, and renamed over it. Until that rename the original is untouched. A file that
//! cannot be replaced without losing something (read-only, hard-linked, an owner that cannot be
//! kept) is refused and left as it is. A file with nothing to fix is never rewritten.

use std::io::{self, Write};
use std::path::Path;

use crate::output::Target;
use crate::source::{self, Input};
use ftlint_linter::fix::{self, FixError, FixOptions, Fixed};
use ftlint_linter::settings::Settings;

/// Fixes the regular file at `path` in place; returns what was fixed (nothing written if nothing was).
pub fn fix_file(path: &Path, settings: &Settings, options: FixOptions) -> Result<Fixed, FixError> {
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(FixError::Io(io::Error::other("only regular files can be fixed in place")));
    }
    let source =
        source::open(&Input::Path(path.to_owned())).map_err(|e| FixError::Io(io::Error::other(e)))?;
    let fixed = fix::fix(source.bytes(), settings, options)?;
    if fixed.bytes == source.bytes() {
        return Ok(fixed);
    }
    // Through a symbolic link, the file it points to is what gets fixed; the link stays a link.
    let target = Target::new(path, &[]).map_err(|e| FixError::Io(io::Error::other(e.message)))?;
    let mut staged = target.stage().map_err(|e| FixError::Io(io::Error::other(e.message)))?;
    staged.write_all(&fixed.bytes)?;
    if let Some(change) = source.changed_since_open() {
        return Err(FixError::Io(io::Error::other(format!("{change}; it was left as it is"))));
    }
    // Unmap the original before replacing it (required on some systems, tidy on all).
    drop(source);
    staged.commit().map_err(|e| FixError::Io(io::Error::other(e.message)))?;
    Ok(fixed)
}
