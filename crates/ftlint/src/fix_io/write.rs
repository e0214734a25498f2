//! Writing a fixed file so that nothing is ever lost or half-written.
//!
//! The fixed bytes are written to a temporary file in the same directory (same file system, so the
//! final rename is atomic), which is flushed, synced to disk and given the original's permissions
//! before it is renamed over the original. Until that rename the original is untouched; if anything
//! fails before it (a full disk, a kill), the temporary file is removed (or, after a kill, left as a
//! `.ftlint-fix-*.tmp` file) and the original is byte-identical. A file with nothing to fix is
//! never rewritten.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::source::{self, Input};
use ftlint_linter::fix::{self, FixError, FixOptions, Fixed};
use ftlint_linter::settings::Settings;

/// Fixes the regular file at `path` in place; returns what was fixed (nothing written if nothing was).
pub fn fix_file(path: &Path, settings: &Settings, options: FixOptions) -> Result<Fixed, FixError> {
    // Through a symbolic link, the file it points to is what gets fixed; the link stays a link.
    let target = fs::canonicalize(path)?;
    let metadata = fs::metadata(&target)?;
    if !metadata.is_file() {
        return Err(FixError::Io(io::Error::other("only regular files can be fixed in place")));
    }
    let source = source::open(&Input::Path(target.clone())).map_err(|e| FixError::Io(io::Error::other(e)))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let fixed = fix::fix(source.bytes(), settings, options)?;
    if fixed.bytes == source.bytes() {
        return Ok(fixed);
    }
    let temp = tempfile::Builder::new().prefix(".ftlint-fix-").suffix(".tmp").tempfile_in(dir)?;
    let mut out = BufWriter::with_capacity(1 << 20, temp);
    out.write_all(&fixed.bytes)?;
    let temp = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    temp.as_file().sync_all()?;
    fs::set_permissions(temp.path(), metadata.permissions())?;
    if source.changed_since_open().is_some() {
        return Err(FixError::Io(io::Error::other(
            "the file changed while it was being fixed; it was left as it is",
        )));
    }
    // Unmap the original before replacing it (required on some systems, tidy on all).
    drop(source);
    temp.persist(&target).map_err(|e| FixError::Io(e.error))?;
    // The rename is durable once the directory entry is; a failure here leaves the new file in place.
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(fixed)
}
