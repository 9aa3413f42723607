//! Memory a stage freed, given back to the system. mimalloc keeps each
//! thread's freed pages for that thread's next allocations, and gives them
//! back some time after: a stage that frees much (a build's search index,
//! the preview's large pass) leaves the process that much larger while the
//! next stage allocates in other sizes. A template edit's pass in the
//! preview at 100,000 articles, which holds 400 MB of changed pages until
//! its commit, left the preview at 1.3 GB resident where it had been 0.9
//! before. Asked at the end of each such stage, from outside the thread
//! pool's work.

/// Gives back the pages freed by every thread of the pool, then by this
/// one. Costs a few milliseconds; call it between stages, never from
/// inside the pool's work.
#[cfg(not(feature = "system-alloc"))]
pub fn release_freed_memory() {
    // SAFETY: mi_collect only returns free pages of the calling thread's
    // heap (and abandoned ones) to the system; it touches no live block.
    // Where mimalloc is not the program's allocator (the tests), it finds
    // nothing to return.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) };
}

/// With glibc's allocator there is nothing to ask.
#[cfg(feature = "system-alloc")]
pub fn release_freed_memory() {}
