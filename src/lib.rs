//! paradedup removes duplicate, near-duplicate and contained paragraphs from scraped text.
//!
//! The pipeline, one module per stage:
//! [`read`] (files, folders, standard input) → [`segment`] (blocks with exact byte spans) →
//! [`normalize`] (comparison keys only) → [`fingerprint`] (stable hashes) → [`candidates`]
//! (winnowed gram and whole-block indexes, never all pairs) → [`verify`] (coverage by long
//! common runs) and [`similarity`] (strsim, with a meaning guard) → [`canonical`] (what stays,
//! deterministically) → [`write`](mod@write) (original bytes, atomic rewrites) and [`report`] (versioned
//! JSON). [`check`] turns the figures into a CI verdict, with a [`baseline`] of known duplicates
//! and [`sarif`] output. For dumps, [`jsonl`] reads and writes
//! records field by field, [`dump`] streams (possibly compressed) shards in batches, and
//! [`corpus`] removes blocks that an earlier document holds. [`config`] finds and reads
//! `paradedup.toml`, whose settings go under the flags.
//!
//! ```
//! use paradedup::{dedup_text, Options};
//!
//! let doc = "Headline here for the story today | Site\n\
//!            Headline here for the story today\n\
//!            Body text.\n\
//!            Body text.\n";
//! let result = dedup_text(doc, &Options::default());
//! assert_eq!(result.render(doc), "Headline here for the story today\nBody text.\n");
//! ```

pub mod app;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod compress;
pub mod config;
pub mod dump;
pub mod error;
pub mod jsonl;
pub mod read;
pub mod report;
pub mod sarif;
pub mod source;
pub mod write;

pub use error::{Error, Result};
// The engine (crates/paradedup-engine), under the paths it had before it was a crate of its own.
pub use paradedup_engine::{
    candidates, canonical, corpus, dedup_text, fingerprint, in_lines, keeps_its_reading, normalize,
    reading_may_change, redecide, segment, similarity, trim, verify, zones, BlockKey, DocResult,
    Kind, Options, Removal, Unit, DEFAULT_THRESHOLD,
};
