//! Errors of the library.
//!
//! Every error that concerns an input names its path, and where it makes sense the byte offset, as
//! fields rather than as formatted text (the ripgrep habit), so that callers can render them or
//! match on them. Messages are lowercase without a final period.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong while reading, cleaning or writing documents.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input or output could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder concerned (`-` for standard input or output).
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: io::Error,
    },
    /// An input is not valid UTF-8 (use `--lossy` to replace invalid bytes).
    #[error(
        "{path}: invalid UTF-8 at byte offset {offset} (use --lossy to replace invalid bytes)"
    )]
    Utf8 {
        /// The file concerned.
        path: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// An input is UTF-16 text (a byte order mark, or NUL in every other byte).
    #[error(
        "{path}: {order} text: paradedup reads UTF-8; convert it first (iconv -f {order} -t UTF-8 FILE > FILE.utf8)"
    )]
    Utf16 {
        /// The file concerned.
        path: PathBuf,
        /// `UTF-16LE` or `UTF-16BE`.
        order: &'static str,
    },
    /// A file named on the command line looks binary (it holds NUL bytes).
    #[error("{path}: binary file (NUL byte at offset {offset})")]
    Binary {
        /// The file concerned.
        path: PathBuf,
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// A line of a JSONL input cannot be used.
    #[error("{path}:{line}: {message}")]
    Jsonl {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// The options do not fit together, or a value is out of range.
    #[error("{0}")]
    Usage(String),
    /// A `--glob` or `--exclude` pattern does not parse.
    #[error("invalid {flag}{}: {source}", pattern.as_ref().map(|p| format!(" {p:?}")).unwrap_or_default())]
    Pattern {
        /// The flag that gave it: `--glob` or `--exclude`.
        flag: &'static str,
        /// The pattern, when one pattern is at fault (not the set as a whole).
        pattern: Option<String>,
        /// What globset said.
        #[source]
        source: globset::Error,
    },
    /// `check` found nothing to measure.
    #[error("{0}")]
    NoInput(String),
    /// The worker thread pool could not start.
    #[error("cannot start worker threads: {source}")]
    Threads {
        /// What rayon said.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// A baseline file (`check --baseline`) cannot be used.
    #[error("{}: {problem}", path.display())]
    Baseline {
        /// The baseline file.
        path: PathBuf,
        /// What is wrong with it.
        problem: BaselineProblem,
    },
    /// A bug in paradedup: something it relies on did not hold. Please report it.
    #[error("internal: {0}")]
    Internal(String),
    /// The engine stopped (the corpus index over `--max-memory`).
    #[error(transparent)]
    Engine(#[from] paradedup_engine::Error),
    /// A configuration file is not valid TOML, holds an unknown key, or a value out of range.
    #[error("{}{}: {message}", path.display(), at.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
    Config {
        /// The file concerned, as shown to people.
        path: PathBuf,
        /// 1-based line and column, when known.
        at: Option<(usize, usize)>,
        /// What is wrong (names the key).
        message: String,
    },
}

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineProblem {
    /// It is not JSON of a baseline's shape.
    #[error("not a paradedup baseline file: {0}")]
    NotABaseline(#[source] serde_json::Error),
    /// `schema_version` 1: ids depended on the folder `check` ran in.
    #[error("baseline schema_version 1 was written by an earlier paradedup, whose ids depended on the folder check ran in; rewrite it with `paradedup check --write-baseline {} PATH...` (ids are now relative to the baseline's folder)", path.display())]
    FolderDependentIds {
        /// The baseline file, for the command that rewrites it.
        path: PathBuf,
    },
    /// A `schema_version` this paradedup does not know.
    #[error(
        "baseline schema_version {found} is not supported (this paradedup writes {supported})"
    )]
    UnknownVersion {
        /// The file's version.
        found: u32,
        /// The version this paradedup writes.
        supported: u32,
    },
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// True when the error is a closed pipe on the output, which the binary treats as success.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Result type of the library.
pub type Result<T> = std::result::Result<T, Error>;
