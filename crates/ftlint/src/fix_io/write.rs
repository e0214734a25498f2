//! Writing a fixed file so that nothing is ever lost or half-written.
//!
//! The fixed bytes stream into a temporary file in the same directory (same file system, so the final
//! rename is atomic), which is flushed, synced to disk and given the original's permissions before it
//! is renamed over the original. Until that rename the original is untouched; if anything fails
//! before it (a full disk, a kill), the temporary file is removed (or, after a kill, left as a
//! `.ftlint-fix-*.tmp` file) and the original is byte-identical. Lines before the first change are not
//! written at all until a change is found, so a file with nothing to fix is never rewritten.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use tempfile::NamedTempFile;

use crate::source::{self, Input};
use ftlint_linter::fix::{fix_bytes, FixCounts, FixError, FixOptions, LineSink};
use ftlint_linter::settings::Settings;

/// Fixes the regular file at `path` in place; returns what was fixed (nothing written if nothing was).
pub fn fix_file(path: &Path, settings: &Settings, options: FixOptions) -> Result<FixCounts, FixError> {
    // Through a symbolic link, the file it points to is what gets fixed; the link stays a link.
    let target = fs::canonicalize(path)?;
    let metadata = fs::metadata(&target)?;
    if !metadata.is_file() {
        return Err(FixError::Io(io::Error::other("only regular files can be fixed in place")));
    }
    let source = source::open(&Input::Path(target.clone())).map_err(|e| FixError::Io(io::Error::other(e)))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut sink = TempFileSink { base: source.bytes(), dir, out: None };
    let counts = fix_bytes(source.bytes(), settings, options, &mut sink)?;
    let Some(out) = sink.out.take() else {
        return Ok(counts);
    };
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
    Ok(counts)
}

/// Streams the fixed file into a temporary file, created at the first change.
struct TempFileSink<'a> {
    /// The original's bytes: every line handed to the sink is a slice of them.
    base: &'a [u8],
    dir: &'a Path,
    out: Option<BufWriter<NamedTempFile>>,
}

impl TempFileSink<'_> {
    /// Where `slice` (a line of the original) starts in it; the end for an empty slice from elsewhere.
    fn offset_of(&self, slice: &[u8]) -> usize {
        let base = self.base.as_ptr() as usize;
        let at = slice.as_ptr() as usize;
        if at >= base && at <= base + self.base.len() {
            at - base
        } else {
            self.base.len()
        }
    }
}

impl LineSink for TempFileSink<'_> {
    fn keep(&mut self, raw: &[u8]) -> io::Result<()> {
        match &mut self.out {
            Some(out) => out.write_all(raw),
            // Before the first change there is nothing to write: the prefix is copied when one comes.
            None => Ok(()),
        }
    }

    fn change(&mut self, _number: u64, old: &[u8], new: Option<&[u8]>) -> io::Result<()> {
        if self.out.is_none() {
            let temp =
                tempfile::Builder::new().prefix(".ftlint-fix-").suffix(".tmp").tempfile_in(self.dir)?;
            let mut out = BufWriter::with_capacity(1 << 20, temp);
            let prefix_end = self.offset_of(old);
            out.write_all(&self.base[..prefix_end])?;
            self.out = Some(out);
        }
        let out = self.out.as_mut().expect("created above");
        out.write_all(new.unwrap_or_default())
    }
}
