//! The allocator of the `ftlint` binary: mimalloc, and exit 2 with a message when memory runs out.
//!
//! mimalloc instead of the system allocator: a record becomes a tree of small values that is built
//! and freed on two threads at once, which glibc's malloc serves slowly.
//!
//! Rust's answer to a failed allocation is to print "memory allocation of N bytes failed" and
//! abort (SIGABRT, exit 134), which a CI system reports as a crash. ftlint instead says what
//! happened and exits 2, the status for "ftlint could not do its job", like every other error.

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc;

/// mimalloc, with out-of-memory turned into a message and exit status 2.
pub struct Allocator;

impl Allocator {
    #[cold]
    fn out_of_memory(layout: Layout) -> ! {
        // No allocation from here on: the message is formatted into a stack buffer and written
        // with one system call, and the process ends without running destructors.
        let mut buffer = [0u8; 256];
        let mut cursor = std::io::Cursor::new(&mut buffer[..]);
        let _ = std::io::Write::write_fmt(
            &mut cursor,
            format_args!(
                "ftlint: error: out of memory (an allocation of {} bytes failed); \
                 free memory or raise the limit (`ulimit -v`), or check smaller files\n",
                layout.size()
            ),
        );
        let written = usize::try_from(cursor.position()).unwrap_or(0);
        #[cfg(unix)]
        // SAFETY: `buffer[..written]` is initialised memory that outlives the call; `_exit` takes
        // no pointers and never returns.
        unsafe {
            libc::write(2, buffer.as_ptr().cast(), written);
            libc::_exit(2);
        }
        #[cfg(not(unix))]
        {
            // Standard error is unbuffered: this write allocates nothing.
            let _ = std::io::Write::write_all(&mut std::io::stderr(), &buffer[..written]);
            std::process::exit(2);
        }
    }
}

// SAFETY: every call is forwarded unchanged to mimalloc, a correct allocator; a null result (out of
// memory) ends the process instead of being returned. Ending the process is always sound; it also
// ends fallible requests (`try_reserve`) that could have recovered, which ftlint makes nowhere it
// could: its one `try_reserve` (reading an input) would exit 2 on failure anyway.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees about `layout`.
        let pointer = unsafe { MiMalloc.alloc(layout) };
        if pointer.is_null() {
            Self::out_of_memory(layout);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let pointer = unsafe { MiMalloc.alloc_zeroed(layout) };
        if pointer.is_null() {
            Self::out_of_memory(layout);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from this allocator (so from mimalloc) with this `layout`.
        unsafe { MiMalloc.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees about `pointer`, `layout` and `new_size`.
        let moved = unsafe { MiMalloc.realloc(pointer, layout, new_size) };
        if moved.is_null() {
            Self::out_of_memory(Layout::from_size_align(new_size, layout.align()).unwrap_or(layout));
        }
        moved
    }
}
