//! paradedup removes duplicate, near-duplicate and contained paragraphs from scraped text.
//!
//! The engine (duplicates in one document and across documents) is the crate
//! `paradedup-engine`; this crate is the tool around it: [`read`] (files, folders, standard
//! input) → [`source`] (the document loop of clean and check) → the engine → [`write`](mod@write)
//! (original bytes, atomic rewrites) and [`report`] (versioned JSON). [`check`] turns the
//! figures into a CI verdict, with a [`baseline`] of known duplicates and SARIF output. For
//! dumps, [`jsonl`] reads and writes records field by field and [`dump`] streams (possibly
//! compressed) shards in batches, with the engine's [`CorpusIndex`] in corpus scope.
//! [`config`] finds and reads `paradedup.toml`, whose settings go under the flags; [`cli`]
//! and [`app`] make a run of them.
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
pub mod source;
pub mod write;

pub use error::{Error, Result};
// The engine (crates/paradedup-engine): its front door and the types the root package passes on.
pub use paradedup_engine::{
    dedup_text, in_lines, Block, BlockKey, Cleaned, CorpusIndex, CorpusPass, Deduper, DocResult,
    Keep, Kind, Metric, Options, Removal, Trim, Unit, Why, DEFAULT_THRESHOLD,
};
