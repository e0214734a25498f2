//! Every file ftlint writes — a report (`--output-file`) or a fixed dataset (`ftlint fix`) — goes
//! through this module, so that nothing a user owns is ever lost, half-written or replaced by
//! something it was not.
//!
//! What happens to a target, by what it is:
//! - **A regular file** (or a path that does not exist yet) is replaced atomically: the new bytes
//!   go to a temporary file in the same directory, which is synced, given the target's mode and
//!   owner, and renamed over it. Until the rename the old file is untouched. On Linux the temporary
//!   file is anonymous (`O_TMPFILE`) until the moment before the rename, so even `kill -9` leaves
//!   nothing behind; elsewhere it is a `.ftlint-*.tmp` file that is removed on every error and (on
//!   Unix) on `SIGINT`, `SIGTERM` and `SIGHUP`.
//! - **A symbolic link** is followed: the file it points to is replaced and the link stays a link.
//! - **Not a regular file** (a terminal, `/dev/null`, a FIFO), or a name for one of the process's
//!   open files (`/dev/stdout`, `/dev/fd/N`, even when the shell redirected it to a file): written
//!   through, in place. Replacing a device node with a regular file is never what anyone meant, nor
//!   is cutting off the file a shell opened with `>>`.
//! - **Refused** (exit 2, nothing written): a target that is one of the inputs being checked; a
//!   file with more than one hard link (replacing it would split the links, writing in place would
//!   not be atomic); a read-only file; a file whose owner cannot be kept.
//!
//! `SIGXFSZ` (a file-size limit, `ulimit -f`) is ignored for the whole process by
//! [`ignore_file_size_signal`], so writing past the limit fails with `EFBIG`, the temporary file is
//! removed, and ftlint exits 2 with a message instead of being killed.

use std::fmt;
use std::fs::{self, File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a target cannot be written.
#[derive(Debug)]
pub struct OutputError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for OutputError {}

fn refuse(path: &Path, message: impl Into<String>) -> OutputError {
    OutputError { path: path.to_owned(), message: message.into() }
}

/// The identity of a file: device and inode. Two paths with the same identity are the same file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    #[cfg(unix)]
    pub fn of(metadata: &Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId { dev: metadata.dev(), ino: metadata.ino() })
    }

    #[cfg(not(unix))]
    pub fn of(_metadata: &Metadata) -> Option<FileId> {
        None
    }

    /// The identity of the file at `path`, following links; `None` if it does not exist.
    pub fn of_path(path: &Path) -> Option<FileId> {
        fs::metadata(path).ok().as_ref().and_then(FileId::of)
    }
}

/// A checked target, ready to be written.
#[derive(Debug)]
pub struct Target {
    /// The path as the user gave it, for messages.
    requested: PathBuf,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// Replace this regular file (the link's target, for a symlink), or create it.
    Replace { real: PathBuf, existing: Option<Metadata> },
    /// Not a regular file: open it and write into it.
    WriteThrough { real: PathBuf },
    /// One of the process's open files, named through `/dev/stdout` or `/dev/fd/N`: written
    /// through a duplicate of that descriptor, so its offset and append mode are the shell's.
    Descriptor(i32),
}

impl Target {
    /// Checks `path` as a place to write. `inputs` are the identities of the files the run reads:
    /// a target that is one of them is refused, since writing it would destroy the data.
    pub fn new(path: &Path, inputs: &[FileId]) -> Result<Target, OutputError> {
        let requested = path.to_owned();
        // What the path leads to, all links followed by the system itself.
        let existing = match fs::metadata(path) {
            Ok(metadata) => Some(metadata),
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(error) => return Err(refuse(path, error.to_string())),
        };
        if let Some(metadata) = &existing {
            if FileId::of(metadata).is_some_and(|id| inputs.contains(&id)) {
                return Err(refuse(
                    path,
                    "it is one of the files being checked, and writing there would replace the data; choose another path",
                ));
            }
            if metadata.is_dir() {
                return Err(refuse(path, "it is a directory"));
            }
            // A device, FIFO or socket, however it is reached: written through, by the path given.
            if !metadata.is_file() {
                return Ok(Target {
                    requested: requested.clone(),
                    kind: Kind::WriteThrough { real: requested },
                });
            }
        }
        // `/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N` name an open file of this process (the
        // shell's `> file` or `>> file`): writing through keeps what the shell set up (appending,
        // the same inode), where replacing would cut the shell's file off.
        if let Some(descriptor) = open_descriptor(path) {
            return Ok(Target { requested, kind: Kind::Descriptor(descriptor) });
        }
        let real = resolve_links(path).map_err(|e| refuse(path, e.to_string()))?;
        if let Some(metadata) = &existing {
            check_replaceable(path, metadata)?;
        }
        Ok(Target { requested, kind: Kind::Replace { real, existing } })
    }

    /// The path as the user gave it.
    pub fn path(&self) -> &Path {
        &self.requested
    }

    /// Opens the target for writing: a temporary file for a regular target, the target itself
    /// otherwise. Nothing is visible at the target until [`Staged::commit`].
    pub fn stage(&self) -> Result<Staged, OutputError> {
        let fail = |error: io::Error| refuse(&self.requested, error.to_string());
        match &self.kind {
            Kind::WriteThrough { real } => {
                let file = fs::OpenOptions::new().write(true).open(real).map_err(fail)?;
                Ok(Staged { file, temp: None, requested: self.requested.clone() })
            }
            Kind::Descriptor(descriptor) => {
                let file = duplicate(*descriptor).map_err(fail)?;
                Ok(Staged { file, temp: None, requested: self.requested.clone() })
            }
            Kind::Replace { real, existing } => {
                let temp = TempFile::create(real).map_err(fail)?;
                if let Some(metadata) = existing {
                    if let Err(error) = keep_mode_and_owner(&temp.file, metadata) {
                        return Err(refuse(&self.requested, error));
                    }
                } else {
                    // A temporary file is private (0600); a new file gets the usual permissions.
                    set_new_file_mode(&temp.file).map_err(fail)?;
                }
                let file = temp.file.try_clone().map_err(fail)?;
                Ok(Staged { file, temp: Some((temp, real.clone())), requested: self.requested.clone() })
            }
        }
    }
}

/// A write in progress. Dropping it without [`Staged::commit`] leaves the target as it was and
/// removes the temporary file.
pub struct Staged {
    file: File,
    /// The temporary file and the path it replaces; `None` when writing through.
    temp: Option<(TempFile, PathBuf)>,
    requested: PathBuf,
}

impl Staged {
    /// A second handle on the file being written, for a writer that must own its handle.
    pub fn writer(&self) -> io::Result<File> {
        self.file.try_clone()
    }

    /// Makes the written bytes the target's: syncs the temporary file and renames it over the target.
    pub fn commit(self) -> Result<(), OutputError> {
        let fail = |error: io::Error| refuse(&self.requested, error.to_string());
        let Some((temp, real)) = self.temp else {
            return Ok(());
        };
        temp.file.sync_all().map_err(fail)?;
        temp.persist(&real).map_err(fail)?;
        // The rename is durable once the directory entry is.
        if let Some(dir) = real.parent() {
            if let Ok(dir) = File::open(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// The descriptor that `path` names when it is, or links through, one of the names the system
/// gives a process's own open files: `/dev/stdout` (1), `/dev/stderr` (2), `/dev/fd/N`,
/// `/proc/self/fd/N`.
fn open_descriptor(path: &Path) -> Option<i32> {
    let descriptor_of = |p: &Path| -> Option<i32> {
        let text = p.to_str()?;
        match text {
            "/dev/stdout" => return Some(1),
            "/dev/stderr" => return Some(2),
            _ => {}
        }
        let own = std::process::id().to_string();
        let number = text
            .strip_prefix("/dev/fd/")
            .or_else(|| text.strip_prefix("/proc/self/fd/"))
            .or_else(|| text.strip_prefix("/proc/")?.strip_prefix(own.as_str())?.strip_prefix("/fd/"))?;
        number.parse().ok()
    };
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        if let Some(descriptor) = descriptor_of(&current) {
            return Some(descriptor);
        }
        current = next_link(&current).ok()??;
    }
    None
}

#[cfg(unix)]
fn duplicate(descriptor: i32) -> io::Result<File> {
    use std::os::unix::io::FromRawFd;
    // SAFETY: dup has no memory-safety preconditions; on success the new descriptor is ours alone,
    // so the `File` may own it.
    let copy = unsafe { libc::fcntl(descriptor, libc::F_DUPFD_CLOEXEC, 0) };
    if copy < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `copy` is a fresh descriptor that nothing else owns.
    Ok(unsafe { File::from_raw_fd(copy) })
}

#[cfg(not(unix))]
fn duplicate(_descriptor: i32) -> io::Result<File> {
    Err(io::Error::other("this system has no descriptors to write through"))
}

/// Follows symbolic links at `path` (a chain of them, to a file that may not exist yet) to the
/// path that will actually be written.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match next_link(&current)? {
            Some(next) => current = next,
            None => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Links followed in a chain at most: loops of links end in ELOOP for any real open, and 40 is the
/// kernel's own limit.
const MAX_LINKS: usize = 40;

/// Where the symbolic link at `path` leads (a relative target taken from the link's folder);
/// `None` when `path` is not a link or does not exist.
fn next_link(path: &Path) -> io::Result<Option<PathBuf>> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            let link = fs::read_link(path)?;
            Ok(Some(match path.parent() {
                Some(parent) if link.is_relative() => parent.join(link),
                _ => link,
            }))
        }
        _ => Ok(None),
    }
}

/// Refuses a regular file that cannot be replaced without losing something.
fn check_replaceable(path: &Path, metadata: &Metadata) -> Result<(), OutputError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if metadata.nlink() > 1 {
            return Err(refuse(
                path,
                format!(
                    "it has {} hard links; replacing it would leave the other names with the old bytes. \
                     Write elsewhere, or make it a single file first (`cp FILE tmp && mv tmp FILE`)",
                    metadata.nlink()
                ),
            ));
        }
        if metadata.mode() & 0o222 == 0 {
            return Err(refuse(
                path,
                format!(
                    "it is read-only (mode {:04o}); make it writable first if it should change",
                    metadata.mode() & 0o7777
                ),
            ));
        }
        // Root may write anything; everyone else needs write permission, as for any write.
        if !writable(path) {
            return Err(refuse(path, "permission denied"));
        }
    }
    #[cfg(not(unix))]
    if metadata.permissions().readonly() {
        return Err(refuse(path, "it is read-only; make it writable first if it should change"));
    }
    Ok(())
}

#[cfg(unix)]
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else { return false };
    // SAFETY: `c_path` is a valid NUL-terminated string that outlives the call.
    unsafe { libc::access(c_path.as_ptr(), libc::W_OK) == 0 }
}

/// Gives the temporary file the replaced file's mode and owner, or says why it cannot.
fn keep_mode_and_owner(file: &File, original: &Metadata) -> Result<(), String> {
    file.set_permissions(original.permissions()).map_err(|e| format!("cannot keep its permissions: {e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let current = file.metadata().map_err(|e| e.to_string())?;
        if (current.uid(), current.gid()) != (original.uid(), original.gid()) {
            std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).map_err(|e| {
                format!(
                    "cannot keep its owner ({}:{}): {e}; replacing it would change who owns it",
                    original.uid(),
                    original.gid()
                )
            })?;
            // fchown may clear set-user-ID bits; the mode is set again after it.
            file.set_permissions(original.permissions())
                .map_err(|e| format!("cannot keep its permissions: {e}"))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_new_file_mode(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o666 & !umask()))
}

/// The process's file-creation mask, which every file a program creates honours.
#[cfg(unix)]
fn umask() -> u32 {
    // Linux reports it without changing it; elsewhere it can only be read by setting it, which is
    // done once, before any thread could create a file meanwhile.
    static UMASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *UMASK.get_or_init(|| {
        let reported = fs::read_to_string("/proc/self/status").ok().and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("Umask:"))?;
            u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
        });
        reported.unwrap_or_else(|| {
            // SAFETY: umask only swaps the process's mask; it is set straight back.
            let mask = unsafe {
                let mask = libc::umask(0o022);
                libc::umask(mask);
                mask
            };
            // `mode_t` is u32 on Linux and u16 on macOS.
            #[allow(clippy::useless_conversion)]
            u32::from(mask)
        })
    })
}

#[cfg(not(unix))]
fn set_new_file_mode(_file: &File) -> io::Result<()> {
    Ok(())
}

/// A temporary file beside the file it will replace.
struct TempFile {
    file: File,
    /// The temporary file's name while it has one; `None` for an anonymous (`O_TMPFILE`) file.
    name: Option<PathBuf>,
}

impl TempFile {
    fn create(target: &Path) -> io::Result<TempFile> {
        let dir = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        #[cfg(target_os = "linux")]
        if let Some(file) = anonymous_file(dir)? {
            return Ok(TempFile { file, name: None });
        }
        // tempfile's error names the random temporary path, which means nothing to the user: name
        // the directory the target was to be written in instead.
        let named =
            tempfile::Builder::new().prefix(".ftlint-").suffix(".tmp").tempfile_in(dir).map_err(|error| {
                let reason = match error.kind() {
                    io::ErrorKind::NotFound => "no such directory".to_owned(),
                    io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
                    kind => io::Error::from(kind).to_string(),
                };
                io::Error::new(error.kind(), format!("cannot create a file in {}: {reason}", dir.display()))
            })?;
        let (file, path) = named.keep().map_err(|e| e.error)?;
        cleanup::register(&path);
        Ok(TempFile { file, name: Some(path) })
    }

    /// Gives the temporary file the target's name, atomically replacing what was there.
    fn persist(mut self, target: &Path) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        if self.name.is_none() {
            // An anonymous file needs a name before it can be renamed: link it under a temporary
            // one (the only moment it is visible), then rename that over the target.
            let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let name = link_anonymous(&self.file, dir)?;
            self.name = Some(name);
        }
        let name = self.name.clone().expect("named above");
        fs::rename(&name, target)?;
        cleanup::forget();
        self.name = None;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(name) = self.name.take() {
            let _ = fs::remove_file(name);
            cleanup::forget();
        }
    }
}

/// An unnamed file in `dir` (`O_TMPFILE`): it has no name until it is linked, so a process that
/// dies before that leaves nothing. `None` where the file system does not support it.
#[cfg(target_os = "linux")]
fn anonymous_file(dir: &Path) -> io::Result<Option<File>> {
    use std::os::unix::fs::OpenOptionsExt;
    // Giving the file a name later goes through `/proc/self/fd`; without `/proc` (a chroot, a
    // minimal container) a named temporary file is used instead.
    if !Path::new("/proc/self/fd").is_dir() {
        return Ok(None);
    }
    match fs::OpenOptions::new().write(true).read(true).mode(0o600).custom_flags(libc::O_TMPFILE).open(dir) {
        Ok(file) => Ok(Some(file)),
        // Not supported by this kernel or file system: fall back to a named temporary file.
        Err(error)
            if matches!(
                error.raw_os_error(),
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL | libc::ENOENT)
            ) =>
        {
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// Links an `O_TMPFILE` file into `dir` under a fresh `.ftlint-*.tmp` name and returns the name.
#[cfg(target_os = "linux")]
fn link_anonymous(file: &File, dir: &Path) -> io::Result<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::AsRawFd;
    let proc_path = std::ffi::CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
    // Names no one can plant in advance: the process id, the time and a counter.
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    for attempt in 0..100u32 {
        let name = dir.join(format!(".ftlint-{}-{nanos:08x}-{attempt}.tmp", std::process::id()));
        let c_name = std::ffi::CString::new(name.as_os_str().as_bytes())?;
        // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
        let linked = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                proc_path.as_ptr(),
                libc::AT_FDCWD,
                c_name.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if linked == 0 {
            // Registered only once it is ours: a name that already existed is never removed.
            cleanup::register(&name);
            return Ok(name);
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::AlreadyExists {
            return Err(error);
        }
    }
    Err(io::Error::other("no free temporary name"))
}

/// Makes a file-size limit (`ulimit -f`) fail the write with `EFBIG` instead of killing ftlint with
/// `SIGXFSZ`, so the temporary file is removed and the error reported. Call once at start.
pub fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN has no preconditions.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Removing the named temporary file when ftlint is interrupted (`SIGINT`, `SIGTERM`, `SIGHUP`).
///
/// ftlint writes one file at a time, so one slot holds the name of the temporary file that
/// exists now, if any. The handler unlinks it and then lets the signal do what it would have
/// done (the default action), so the exit status still says how the process ended.
pub mod cleanup {
    use std::cell::UnsafeCell;
    use std::path::Path;
    use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
    use std::sync::Once;

    const CAPACITY: usize = 4096;

    struct Slot {
        /// Whether `name` holds a complete path to remove.
        armed: AtomicBool,
        /// Set while `name` is being written, so a second writer never interleaves.
        writing: AtomicU8,
        name: UnsafeCell<[u8; CAPACITY]>,
    }

    // SAFETY: `name` is written only by `register` while `armed` is false (the handler reads it only
    // when `armed` is true), and `writing` keeps two registering threads apart.
    unsafe impl Sync for Slot {}

    static SLOT: Slot = Slot {
        armed: AtomicBool::new(false),
        writing: AtomicU8::new(0),
        name: UnsafeCell::new([0; CAPACITY]),
    };
    static INSTALL: Once = Once::new();

    /// Remembers `path` as the temporary file to remove if a signal ends ftlint.
    pub fn register(path: &Path) {
        install();
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let bytes = path.as_os_str().as_bytes();
            if bytes.len() >= CAPACITY || bytes.contains(&0) {
                return;
            }
            while SLOT.writing.compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed).is_err() {
                std::hint::spin_loop();
            }
            SLOT.armed.store(false, Ordering::SeqCst);
            // SAFETY: `armed` is false, so the handler does not read `name`, and `writing` is held,
            // so no other thread writes it.
            unsafe {
                let name = &mut *SLOT.name.get();
                name[..bytes.len()].copy_from_slice(bytes);
                name[bytes.len()] = 0;
            }
            SLOT.armed.store(true, Ordering::SeqCst);
            SLOT.writing.store(0, Ordering::Release);
        }
    }

    /// The temporary file is gone or renamed: nothing to remove any more.
    pub fn forget() {
        SLOT.armed.store(false, Ordering::SeqCst);
    }

    fn install() {
        #[cfg(unix)]
        INSTALL.call_once(|| {
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                // SAFETY: a zeroed sigaction is a valid out-parameter; querying with a null new
                // action changes nothing. `on_signal` is an `extern "C" fn(c_int)`, the type
                // `signal` expects, and only makes async-signal-safe calls.
                unsafe {
                    let mut current: libc::sigaction = std::mem::zeroed();
                    libc::sigaction(signal, std::ptr::null(), &mut current);
                    // A signal the parent told us to ignore (nohup) stays ignored.
                    if current.sa_sigaction != libc::SIG_IGN {
                        libc::signal(signal, on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t);
                    }
                }
            }
        });
    }

    /// Runs in signal context: only `unlink`, `signal` and `raise`, all async-signal-safe.
    #[cfg(unix)]
    extern "C" fn on_signal(signal: libc::c_int) {
        if SLOT.armed.swap(false, Ordering::SeqCst) {
            // SAFETY: `armed` was true, so `name` holds a NUL-terminated path written before it was set.
            unsafe {
                libc::unlink((*SLOT.name.get()).as_ptr().cast());
            }
        }
        // SAFETY: restoring the default action and re-raising ends the process as the signal would have.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn write_all(target: &Target, bytes: &[u8]) -> Result<(), OutputError> {
        let mut staged = target.stage()?;
        staged.write_all(bytes).unwrap();
        staged.commit()
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".ftlint-"))
            .collect()
    }

    #[test]
    fn a_new_file_is_created_with_the_usual_permissions_and_no_temp_file_remains() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        write_all(&Target::new(&path, &[]).unwrap(), b"{}").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}");
        let mode = fs::metadata(&path).unwrap().mode() & 0o777;
        assert_ne!(mode & 0o044, 0, "a report is readable by others like any new file: {mode:o}");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn an_existing_file_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.jsonl");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_all(&Target::new(&path, &[]).unwrap(), b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
    }

    #[test]
    fn a_symlink_stays_a_link_and_its_target_gets_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_all(&Target::new(&link, &[]).unwrap(), b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn a_device_or_fifo_is_written_through_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid path string; mkfifo has no other preconditions.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write_all(&Target::new(&fifo, &[]).unwrap(), b"through").unwrap();
        assert_eq!(reader.join().unwrap(), b"through");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo_like());
    }

    trait FifoLike {
        fn is_fifo_like(&self) -> bool;
    }

    impl FifoLike for fs::FileType {
        fn is_fifo_like(&self) -> bool {
            use std::os::unix::fs::FileTypeExt;
            self.is_fifo()
        }
    }

    #[test]
    fn an_input_a_hard_linked_file_and_a_read_only_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("train.jsonl");
        fs::write(&input, b"data").unwrap();
        let id = FileId::of_path(&input).unwrap();
        let error = Target::new(&input, &[id]).unwrap_err();
        assert!(error.message.contains("one of the files being checked"), "{error}");
        // Through another name for the same file.
        let other = dir.path().join("other.jsonl");
        fs::hard_link(&input, &other).unwrap();
        let error = Target::new(&other, &[]).unwrap_err();
        assert!(error.message.contains("2 hard links"), "{error}");
        let readonly = dir.path().join("readonly.jsonl");
        fs::write(&readonly, b"data").unwrap();
        fs::set_permissions(&readonly, fs::Permissions::from_mode(0o444)).unwrap();
        let error = Target::new(&readonly, &[]).unwrap_err();
        assert!(error.message.contains("read-only"), "{error}");
        assert_eq!(fs::read(&input).unwrap(), b"data");
    }

    #[test]
    fn an_abandoned_write_leaves_the_target_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.jsonl");
        fs::write(&path, b"old").unwrap();
        let mut staged = Target::new(&path, &[]).unwrap().stage().unwrap();
        staged.write_all(b"half").unwrap();
        drop(staged);
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert!(leftovers(dir.path()).is_empty());
    }
}
