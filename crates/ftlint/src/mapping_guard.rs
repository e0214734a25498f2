//! Surviving a mapped file that shrinks while it is being checked.
//!
//! A memory-mapped file that another process truncates turns every read past its new end into a
//! `SIGBUS`, which kills the process with no message: the worst thing a CI gate can do. Each mapping
//! [`register`]s its address range here; the first registration installs a `SIGBUS` handler that, for
//! a fault inside a registered range, maps a page of zeros over the faulting page, marks the mapping as
//! changed and returns, so the read is retried and sees zeros. The check runs on to its end, and the
//! caller, seeing [`MappingGuard::truncated`], reports that the file changed under it (exit 2) instead
//! of trusting findings made on zeros. A fault anywhere else goes to the handler that was there before
//! (or the default action), exactly as if this module did not exist.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Once;

/// Mappings that can be guarded at once. ftlint maps one file at a time; the rest is headroom for
/// tests that run in parallel threads.
const SLOT_COUNT: usize = 64;

struct Slot {
    /// Claimed by a live guard.
    used: AtomicBool,
    /// Start address of the mapping; 0 while the slot is not (yet) published.
    start: AtomicUsize,
    len: AtomicUsize,
    /// A read past the file's end was patched with zeros.
    faulted: AtomicBool,
}

impl Slot {
    const fn new() -> Self {
        Slot {
            used: AtomicBool::new(false),
            start: AtomicUsize::new(0),
            len: AtomicUsize::new(0),
            faulted: AtomicBool::new(false),
        }
    }
}

static SLOTS: [Slot; SLOT_COUNT] = [const { Slot::new() }; SLOT_COUNT];
static PAGE_SIZE: AtomicUsize = AtomicUsize::new(4096);
static INSTALL: Once = Once::new();

/// Keeps one mapping registered; dropping it (before the mapping is unmapped) unregisters it.
#[derive(Debug)]
pub struct MappingGuard {
    slot: usize,
}

impl MappingGuard {
    /// Whether a read beyond the file's end was answered with zeros: the file shrank while mapped.
    pub fn truncated(&self) -> bool {
        SLOTS[self.slot].faulted.load(Ordering::Acquire)
    }
}

impl Drop for MappingGuard {
    fn drop(&mut self) {
        let slot = &SLOTS[self.slot];
        slot.start.store(0, Ordering::Release);
        slot.len.store(0, Ordering::Release);
        slot.faulted.store(false, Ordering::Release);
        slot.used.store(false, Ordering::Release);
    }
}

/// Registers the mapping `bytes`; `None` when every slot is taken (the mapping is then unguarded,
/// as every mapping is in most tools) or the platform has no `SIGBUS`.
pub fn register(bytes: &[u8]) -> Option<MappingGuard> {
    if bytes.is_empty() || !cfg!(unix) {
        return None;
    }
    INSTALL.call_once(install_handler);
    let index = SLOTS.iter().position(|slot| {
        slot.used.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire).is_ok()
    })?;
    let slot = &SLOTS[index];
    slot.faulted.store(false, Ordering::Release);
    // Length first, start last: the handler treats start == 0 as "not published".
    slot.len.store(bytes.len(), Ordering::Release);
    slot.start.store(bytes.as_ptr() as usize, Ordering::Release);
    Some(MappingGuard { slot: index })
}

#[cfg(unix)]
mod handler {
    use super::{Ordering, PAGE_SIZE, SLOTS};
    use std::sync::OnceLock;

    /// The `SIGBUS` action in place before ours, restored for faults that are not ours.
    static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();

    pub fn install() {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if let Ok(page) = usize::try_from(page) {
            if page.is_power_of_two() {
                PAGE_SIZE.store(page, Ordering::Release);
            }
        }
        // SAFETY: both structs are plain C data, zero is a valid value for each, and sigaction only
        // reads `action` and writes `previous`. SA_SIGINFO matches the three-argument handler type.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
            action.sa_flags = libc::SA_SIGINFO;
            libc::sigemptyset(&mut action.sa_mask);
            let mut previous: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, &action, &mut previous) == 0 {
                let _ = PREVIOUS.set(previous);
            }
        }
    }

    /// Runs in signal context: only atomics, `mmap` and `sigaction` (plain system calls, no locks and
    /// no allocation) are used.
    extern "C" fn on_sigbus(signal: libc::c_int, info: *mut libc::siginfo_t, _context: *mut libc::c_void) {
        // SAFETY: the kernel passes a valid siginfo_t for a handler installed with SA_SIGINFO, and
        // si_addr is defined for SIGBUS.
        let address = unsafe { (*info).si_addr() } as usize;
        let page = PAGE_SIZE.load(Ordering::Acquire);
        for slot in &SLOTS {
            let start = slot.start.load(Ordering::Acquire);
            let len = slot.len.load(Ordering::Acquire);
            if start == 0 || address < start || address >= start.saturating_add(len) {
                continue;
            }
            let base = address & !(page - 1);
            // SAFETY: `base` is the page-aligned start of a page inside a live read-only mapping of
            // ours (the slot stays published until the mapping's owner drops the guard, which happens
            // before it unmaps). Replacing that page with anonymous zeros (MAP_FIXED) changes nothing
            // any Rust reference relies on: the bytes behind it were unreadable anyway.
            let mapped = unsafe {
                libc::mmap(
                    base as *mut libc::c_void,
                    page,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            if mapped != libc::MAP_FAILED {
                slot.faulted.store(true, Ordering::Release);
                return;
            }
        }
        // Not ours (or patching failed). A signal sent by a process (`kill -BUS`, si_code <= 0)
        // has no faulting access to run again, so returning would swallow it, and so would the
        // previous action (the Rust runtime's stack-overflow handler, which resets to the default
        // and returns): it gets the default action at once. A fault outside our mappings gets the
        // previous action back and returns to the faulting access, which runs again and meets that
        // action, as if this handler had never been there.
        // SAFETY: `info` is valid as above; signal, sigaction and raise are async-signal-safe; the
        // struct is the one the kernel gave us at install.
        unsafe {
            if (*info).si_code <= 0 {
                libc::signal(signal, libc::SIG_DFL);
                libc::raise(signal);
                return;
            }
            match PREVIOUS.get() {
                Some(previous) => {
                    libc::sigaction(signal, previous, std::ptr::null_mut());
                }
                None => {
                    libc::signal(signal, libc::SIG_DFL);
                }
            }
        }
    }
}

#[cfg(unix)]
fn install_handler() {
    handler::install();
}

#[cfg(not(unix))]
fn install_handler() {}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reading_a_mapping_past_a_truncation_gives_zeros_and_is_noticed() {
        let mut file = tempfile::tempfile().unwrap();
        let page = PAGE_SIZE.load(Ordering::Acquire).max(4096);
        file.write_all(&vec![b'x'; page * 4]).unwrap();
        // SAFETY: the test owns the file; the truncation below is the point of the test.
        let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
        let guard = register(&map).expect("a free slot");
        assert!(!guard.truncated());
        file.set_len(page as u64).unwrap();
        // Without the guard this read kills the test process with SIGBUS.
        let tail = std::hint::black_box(&map[page * 2..page * 3]);
        assert!(tail.iter().all(|&b| b == 0));
        assert_eq!(map[0], b'x', "pages before the cut keep their bytes");
        assert!(guard.truncated());
        drop(guard);
    }

    #[test]
    fn a_fresh_guard_reports_no_truncation_and_slots_are_reused() {
        let bytes = vec![1u8; 100];
        for _ in 0..(SLOT_COUNT * 2) {
            let guard = register(&bytes).expect("slots are freed on drop");
            assert!(!guard.truncated());
        }
    }
}
