//! Rayon thread pools, one per thread count, shared by every `Deduper` of the process.
//!
//! Building a pool starts its threads, so pools are kept: a `Deduper` (or the module-level
//! `clean`, which makes one per call) asks for the pool of its size at each call. Rayon's
//! global pool is never used: the engine's own parallel loops run in the pool they are called
//! from, so `threads` bounds all the work.
//!
//! After `os.fork()` the child has none of the parent's threads: a pool inherited from the parent
//! would never run a job. The pools remember the process id; in another process they are
//! forgotten (leaked, not dropped: dropping would signal threads that do not exist there) and
//! built anew. Multiprocessing, Ray workers and datatrove executors can therefore use the
//! package after a fork.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::{ThreadPool, ThreadPoolBuildError, ThreadPoolBuilder};

/// The pools of one process.
struct Pools {
    /// The process that built them.
    pid: u32,
    /// Pool by thread count.
    by_size: HashMap<usize, Arc<ThreadPool>>,
}

static POOLS: Mutex<Option<Pools>> = Mutex::new(None);

/// The pool of `threads` threads, built on first use in this process.
///
/// # Errors
/// The operating system refused to start the threads.
pub fn pool(threads: usize) -> Result<Arc<ThreadPool>, ThreadPoolBuildError> {
    // A panic while the lock was held cannot leave the map half-changed (one insert).
    let mut guard = POOLS.lock().unwrap_or_else(PoisonError::into_inner);
    let pid = std::process::id();
    if guard.as_ref().is_some_and(|p| p.pid != pid) {
        std::mem::forget(guard.take());
    }
    let pools = guard.get_or_insert_with(|| Pools {
        pid,
        by_size: HashMap::new(),
    });
    if let Some(p) = pools.by_size.get(&threads) {
        return Ok(Arc::clone(p));
    }
    let p = Arc::new(
        ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("paradedup-{i}"))
            .build()?,
    );
    pools.by_size.insert(threads, Arc::clone(&p));
    Ok(p)
}
