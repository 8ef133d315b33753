//! Errors of the engine.

use crate::corpus::human_bytes;

/// What can stop the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The corpus index would grow past its memory limit.
    #[error(
        "the corpus index needs {} after {documents} documents ({blocks} blocks), over --max-memory {}: raise it, or use --scope document",
        human_bytes(*needed),
        human_bytes(*limit)
    )]
    MemoryLimit {
        /// Bytes the index needs.
        needed: u64,
        /// The limit it was given.
        limit: u64,
        /// Documents indexed so far.
        documents: u64,
        /// Blocks indexed so far.
        blocks: usize,
    },
}

/// Result type of the engine.
pub type Result<T> = std::result::Result<T, Error>;
