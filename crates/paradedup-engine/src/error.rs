//! Errors of the engine, and the byte counts their messages print ([`human_bytes`]).

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

/// A byte count for people: `512 B`, `12.5 KiB`, `300.0 MiB`, `1.2 GiB`.
pub fn human_bytes(b: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "display only")]
    let f = b as f64;
    match b {
        0..1024 => format!("{b} B"),
        1024..1_048_576 => format!("{:.1} KiB", f / 1024.0),
        1_048_576..1_073_741_824 => format!("{:.1} MiB", f / 1_048_576.0),
        _ => format!("{:.1} GiB", f / 1_073_741_824.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_in_the_largest_unit_under_them() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1024), "1.0 KiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(300 * 1_048_576), "300.0 MiB");
        assert_eq!(human_bytes(1_073_741_824 + 214_748_365), "1.2 GiB");
    }

    #[test]
    fn the_memory_limit_message_says_what_to_do() {
        let err = Error::MemoryLimit {
            needed: 3 * 1_048_576,
            limit: 2 * 1_048_576,
            documents: 12,
            blocks: 345,
        };
        assert_eq!(
            err.to_string(),
            "the corpus index needs 3.0 MiB after 12 documents (345 blocks), over --max-memory \
             2.0 MiB: raise it, or use --scope document"
        );
    }
}
