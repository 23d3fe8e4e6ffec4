//! The allocator: jemalloc, the binary's global allocator (`main.rs`), and giving its free
//! memory back before `add`'s final merges.
//!
//! jemalloc replaced glibc's malloc because newsidx allocates and frees many small strings
//! and vectors across threads (`add`'s extraction and indexing threads, a batch of
//! searches), where jemalloc is faster. With jemalloc, `add` of the 2023-24 file took
//! 2.15–2.30 s against 2.43–2.57 s, `add` of the 100,000-article set 33.6–35.5 s against
//! 37.3–39.6 s with the same peak RSS, and a batch of 1,000 searches 0.80 s against
//! 0.87–0.92 s. Its cost: a one-off search has about 100 more page faults (45 of them in
//! jemalloc's constructor, which runs in every process) and takes 0.1–0.2 ms longer
//! (BENCHMARKS.md). glibc also needed its arenas limited (one per core) to keep
//! `add`'s peak RSS down, as memory freed in one arena was not reused by threads of another;
//! jemalloc returns freed memory to the arena it came from.

/// Give the memory the allocator holds free back to the system: after the last commit of a
/// run, when the indexing buffers and the extraction pipeline are gone and only the merges
/// remain (their input is memory-mapped and counts on top of what is still held). jemalloc
/// would return it by itself after about ten seconds; the merges start at once. On the
/// 100,000-article set, `add`'s peak RSS was 325 MB with this and 350 MB without.
pub fn release_free_memory() {
    // A failure only means nothing was returned, which is harmless.
    let _ = purge_jemalloc();
}

/// jemalloc's answer to `arena.<all>.purge` (4096 is `MALLCTL_ARENAS_ALL`): 0 when done.
#[cfg(not(target_env = "msvc"))]
fn purge_jemalloc() -> i32 {
    const PURGE_ALL_ARENAS: &[u8] = b"arena.4096.purge\0";
    // SAFETY: `arena.<i>.purge` takes no value and returns none: both pointer pairs are null,
    // and the name is a NUL-terminated string that outlives the call.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            PURGE_ALL_ARENAS.as_ptr().cast(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        )
    }
}

/// Where jemalloc is not used (MSVC): nothing to give back.
#[cfg(target_env = "msvc")]
fn purge_jemalloc() -> i32 {
    0
}

#[cfg(test)]
mod tests {
    #[test]
    fn jemalloc_knows_the_purge_control() {
        // ENOENT (2) if the control's name were wrong.
        assert_eq!(super::purge_jemalloc(), 0);
    }
}
