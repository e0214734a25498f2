//! Getting a file's bytes: memory-mapped when it is a regular file, read when it is a pipe; for
//! `check`, decompressed when the file is a `.gz` or `.zst` file ([`open_for_check`]).
//!
//! Mapping avoids copying a 512 MB file into the heap (and doubling memory); pages are faulted in as the
//! line splitter reaches them. Standard input, FIFOs, and any file the OS refuses to map are read into
//! memory instead, and never more than the upload limit and one byte: `head -c 1G /dev/urandom |
//! ftlint check -` or a file like `/proc/self/pagemap`, which reports a size of 0 and reads without
//! end, stops there, with [`Source::cut_off`] set and the file-size finding to say why. Devices are
//! refused: `/dev/zero` or `/dev/urandom` would never end.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use memmap2::Mmap;

use crate::mapping_guard::{self, MappingGuard};

/// Something to check: a path, or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    /// How the input is named in output: the path as given, or `<stdin>`.
    pub fn display_name(&self) -> String {
        match self {
            Input::Path(path) => path.to_string_lossy().into_owned(),
            Input::Stdin => "<stdin>".to_owned(),
        }
    }
}

/// A file's bytes, however they were obtained.
pub struct Source {
    pub name: String,
    data: Data,
    /// The input was longer than [`READ_LIMIT`] and only that much of it was read.
    pub cut_off: bool,
    /// Where a regular file came from and its size and modification time when opened, to notice a
    /// file rewritten while it was checked.
    origin: Option<(PathBuf, Stamp)>,
}

enum Data {
    /// The guard is declared first so it is dropped (unregistered) before the map is unmapped.
    Mapped {
        guard: Option<MappingGuard>,
        map: Mmap,
    },
    Owned(Vec<u8>),
}

/// What identifies a file's contents cheaply: size and modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(metadata: &std::fs::Metadata) -> Self {
        Stamp { len: metadata.len(), modified: metadata.modified().ok() }
    }
}

impl Source {
    /// Bytes that are already in memory (records a program serialized, rather than a file), checked
    /// as they are: nothing on disk can change under them.
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Source {
        Source { name, data: Data::Owned(bytes), cut_off: false, origin: None }
    }

    pub fn bytes(&self) -> &[u8] {
        match &self.data {
            Data::Mapped { map, .. } => map,
            Data::Owned(vec) => vec,
        }
    }

    pub fn is_mapped(&self) -> bool {
        matches!(self.data, Data::Mapped { .. })
    }

    /// Whether the file changed on disk since it was opened, and how; call it after the check. A
    /// check of a changing file mixes old and new bytes (or zeros, past a truncation), so its findings
    /// cannot be trusted.
    pub fn changed_since_open(&self) -> Option<&'static str> {
        if let Data::Mapped { guard: Some(guard), .. } = &self.data {
            if guard.truncated() {
                return Some("the file was truncated while it was being checked");
            }
        }
        let (path, opened) = self.origin.as_ref()?;
        match std::fs::metadata(path) {
            Ok(now) if Stamp::of(&now) == *opened => None,
            Ok(_) => Some("the file was modified while it was being checked"),
            Err(_) => Some("the file was removed or replaced while it was being checked"),
        }
    }
}

/// Why an input could not be read. Each means ftlint could not do its job (exit 2).
#[derive(Debug)]
pub struct ReadError {
    pub name: String,
    pub kind: ReadErrorKind,
}

#[derive(Debug)]
pub enum ReadErrorKind {
    NotFound,
    PermissionDenied,
    IsDirectory,
    /// A device or socket: reading it might never end.
    NotAFile(&'static str),
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.reason())
    }
}

impl ReadError {
    /// Why the input could not be read, without its name (for reports that give the path apart).
    pub fn reason(&self) -> String {
        match &self.kind {
            ReadErrorKind::NotFound => "no such file or directory".to_owned(),
            ReadErrorKind::PermissionDenied => "permission denied".to_owned(),
            ReadErrorKind::IsDirectory => "is a directory".to_owned(),
            ReadErrorKind::NotAFile(what) => {
                format!("is a {what}, not a file; ftlint reads regular files, pipes and standard input (`-`)")
            }
            ReadErrorKind::Io(error) => error.to_string(),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    pub fn from_io(name: &str, error: io::Error) -> Self {
        let kind = match error.kind() {
            io::ErrorKind::NotFound => ReadErrorKind::NotFound,
            io::ErrorKind::PermissionDenied => ReadErrorKind::PermissionDenied,
            io::ErrorKind::IsADirectory => ReadErrorKind::IsDirectory,
            _ => ReadErrorKind::Io(error),
        };
        ReadError { name: name.to_owned(), kind }
    }
}

/// A compression `check` reads through: its name and the suffix a file name must end with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
}

impl Compression {
    /// The compression a file name promises (`.gz`, `.zst`, any case), if any.
    pub fn from_name(path: &Path) -> Option<Compression> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".gz") {
            Some(Compression::Gzip)
        } else if name.ends_with(".zst") {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// Whether `bytes` start with this compression's signature.
    fn signed(self, bytes: &[u8]) -> bool {
        match self {
            Compression::Gzip => bytes.starts_with(b"\x1F\x8B"),
            Compression::Zstd => bytes.starts_with(b"\x28\xB5\x2F\xFD"),
        }
    }
}

/// Reads an input for `check`: as [`open`], but a file whose name ends in `.gz` or `.zst` and whose
/// bytes are that compression is decompressed as it is read (never more than [`READ_LIMIT`] bytes
/// of uncompressed data: the upload limit applies to what the service would be given). Returns the
/// compression read through, if any. A compressed file under any other name is left as it is, for
/// FT006 to name. `fix` never calls this: it refuses compressed files.
pub fn open_for_check(input: &Input) -> Result<(Source, Option<Compression>), ReadError> {
    let source = open(input)?;
    let Input::Path(path) = input else { return Ok((source, None)) };
    let Some(compression) = Compression::from_name(path).filter(|c| c.signed(source.bytes())) else {
        return Ok((source, None));
    };
    let name = source.name.clone();
    let corrupt = |error: io::Error| ReadError {
        name: name.clone(),
        kind: ReadErrorKind::Io(io::Error::new(
            error.kind(),
            format!("cannot read it as {} data: {error}", compression.name()),
        )),
    };
    let compressed = source.bytes();
    let (bytes, cut_off) = match compression {
        Compression::Gzip => read_bounded(flate2::read::MultiGzDecoder::new(compressed), 0),
        Compression::Zstd => {
            zstd::stream::read::Decoder::with_buffer(compressed).and_then(|decoder| read_bounded(decoder, 0))
        }
    }
    .map_err(corrupt)?;
    let Source { name, origin, .. } = source;
    Ok((Source { name, data: Data::Owned(bytes), origin, cut_off }, Some(compression)))
}

/// Reads an input: maps a regular file, reads a pipe or standard input, refuses devices.
pub fn open(input: &Input) -> Result<Source, ReadError> {
    let name = input.display_name();
    match input {
        Input::Stdin => {
            let (bytes, cut_off) =
                read_bounded(io::stdin().lock(), 0).map_err(|e| ReadError::from_io(&name, e))?;
            Ok(Source { name, data: Data::Owned(bytes), origin: None, cut_off })
        }
        Input::Path(path) => open_path(path, name),
    }
}

fn open_path(path: &Path, name: String) -> Result<Source, ReadError> {
    let metadata = std::fs::metadata(path).map_err(|e| ReadError::from_io(&name, e))?;
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return Err(ReadError { name, kind: ReadErrorKind::IsDirectory });
    }
    if !file_type.is_file() && !is_fifo(&file_type) {
        return Err(ReadError { name, kind: ReadErrorKind::NotAFile(kind_of(&file_type)) });
    }
    let mut file = File::open(path).map_err(|e| ReadError::from_io(&name, e))?;
    if file_type.is_file() && metadata.len() > 0 {
        // SAFETY: the map is only read, never written. If another process rewrites the file while it
        // is mapped, reads may see the new bytes; if it truncates the file, reads past the new end
        // would fault with SIGBUS, which the mapping guard turns into zeros and a flag. Either way
        // `changed_since_open` tells the caller, who reports the check as unreliable.
        if let Ok(map) = unsafe { Mmap::map(&file) } {
            #[cfg(unix)]
            let _ = map.advise(memmap2::Advice::Sequential);
            let guard = mapping_guard::register(&map);
            let origin = Some((path.to_owned(), Stamp::of(&metadata)));
            return Ok(Source { name, data: Data::Mapped { guard, map }, origin, cut_off: false });
        }
    }
    let (bytes, cut_off) =
        read_bounded(&mut file, metadata.len()).map_err(|e| ReadError::from_io(&name, e))?;
    let origin = file_type.is_file().then(|| (path.to_owned(), Stamp::of(&metadata)));
    Ok(Source { name, data: Data::Owned(bytes), origin, cut_off })
}

/// The most ftlint reads of an input it cannot map: the upload limit and one byte more, enough to
/// report that the file is over the limit.
pub const READ_LIMIT: u64 = ftlint_linter::rules::file::file_too_large::LIMIT + 1;

/// Reads at most [`READ_LIMIT`] bytes; `size_hint` (the size the file system reports, 0 for pipes)
/// reserves memory up front, but never more than the limit. Returns the bytes and whether the
/// input went on past the limit.
fn read_bounded(reader: impl Read, size_hint: u64) -> io::Result<(Vec<u8>, bool)> {
    read_at_most(reader, size_hint, READ_LIMIT)
}

fn read_at_most(reader: impl Read, size_hint: u64, limit: u64) -> io::Result<(Vec<u8>, bool)> {
    let out_of_memory = |_| io::Error::new(io::ErrorKind::OutOfMemory, "out of memory");
    let limit_len = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(usize::try_from(size_hint.min(limit)).unwrap_or(0)).map_err(out_of_memory)?;
    let mut reader = reader;
    // `read_to_end` doubles the buffer as it fills: near the limit that is a second buffer of twice
    // the limit, and a copy of the first into it (mimalloc copies; over 1 GB resident for a 512 MB
    // limit). Here the buffer doubles up to `ONE_STEP_FROM`, and past that takes the rest of the
    // limit at once: pages not written yet cost no memory, and the last copy is small.
    const ONE_STEP_FROM: usize = 64 << 20;
    let mut chunk = vec![0u8; 64 * 1024];
    while bytes.len() < limit_len {
        let want = chunk.len().min(limit_len - bytes.len());
        let read = match reader.read(&mut chunk[..want]) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if bytes.capacity() - bytes.len() < read {
            let doubled = bytes.capacity().max(read) * 2;
            let grown = if doubled > ONE_STEP_FROM { limit_len } else { doubled.min(limit_len) };
            bytes.try_reserve_exact(grown - bytes.len()).map_err(out_of_memory)?;
        }
        bytes.extend_from_slice(&chunk[..read]);
    }
    // At the limit, one more byte tells an input of exactly that length from a longer one.
    let cut_off = bytes.len() as u64 >= limit && reader.read(&mut [0u8; 1])? > 0;
    Ok((bytes, cut_off))
}

#[cfg(unix)]
fn is_fifo(file_type: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    file_type.is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::FileType) -> bool {
    false
}

#[cfg(unix)]
fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_char_device() {
        "character device"
    } else if file_type.is_block_device() {
        "block device"
    } else if file_type.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn kind_of(_: &std::fs::FileType) -> &'static str {
    "special file"
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[test]
    fn reading_stops_at_the_limit_even_on_an_endless_input() {
        let (bytes, cut_off) = read_at_most(io::repeat(b'x'), 0, 10).unwrap();
        assert_eq!((bytes.len(), cut_off), (10, true));
        // A size the file system reports (1 TB) reserves no more than the limit.
        let (bytes, cut_off) = read_at_most(&b"short"[..], 1 << 40, 10).unwrap();
        assert_eq!((bytes, cut_off), (b"short".to_vec(), false));
        // Exactly the limit is all of it.
        let (bytes, cut_off) = read_at_most(&b"0123456789"[..], 0, 10).unwrap();
        assert_eq!((bytes.len(), cut_off), (10, false));
    }

    #[test]
    fn the_buffer_never_grows_past_the_limit() {
        let limit = 1_000_001;
        let (bytes, cut_off) = read_at_most(io::repeat(b'x'), 0, limit).unwrap();
        assert_eq!((bytes.len() as u64, cut_off), (limit, true));
        assert_eq!(bytes.capacity() as u64, limit, "no room held beyond the limit");
        let (bytes, cut_off) = read_at_most(&vec![b'y'; 300_000][..], 0, limit).unwrap();
        assert_eq!((bytes.len(), cut_off), (300_000, false));
        assert!(bytes.capacity() <= 2 * 300_000, "{}", bytes.capacity());
    }
}
