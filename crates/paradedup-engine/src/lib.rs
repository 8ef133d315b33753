//! The paradedup engine: duplicate, near-duplicate and contained paragraphs found in one
//! document, and across documents in input order, with no command line, no file handling and
//! no terminal.
//!
//! Start at [`Deduper`] (one document) and [`CorpusPass`] (documents in input order); what
//! they return ([`Cleaned`], [`DocResult`], [`Removal`], [`Trim`], [`Block`]) and how they are
//! set ([`Options`], [`Unit`], [`Metric`], [`Keep`]) are at the crate root too. Nothing else is
//! public: the stages are modules of their own (segment → normalize → fingerprint →
//! candidates → verify and similarity → canonical, with zones and trim; document reads one
//! document with them, corpus removes what an earlier document holds), described in
//! ARCHITECTURE.md at the repository root. Benchmarks, property tests and fuzz targets reach
//! them with the `internals` feature, with no promise of stability.
//!
//!
//! ```
//! use paradedup_engine::{Deduper, Options};
//!
//! let doc = "Headline here for the story today | Site\n\
//!            Headline here for the story today\n\
//!            Body text.\n\
//!            Body text.\n";
//! let cleaned = Deduper::new(Options::default()).clean(doc);
//! assert_eq!(cleaned.text(), "Headline here for the story today\nBody text.\n");
//! ```

/// The stages: private, or public and hidden from the docs with the `internals` feature
/// (benchmarks, property tests and fuzz targets; no stability promise).
macro_rules! stages {
    ($($stage:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $stage;
        #[cfg(not(feature = "internals"))]
        mod $stage;
    )*};
}

stages!(
    candidates,
    canonical,
    corpus,
    document,
    fingerprint,
    normalize,
    segment,
    similarity,
    trim,
    verify,
    zones,
);
mod chars;
mod deduper;
mod error;
mod negation;
pub mod rules;

pub use canonical::{Keep, Kind, Removal, Trim, Why};
pub use corpus::{CorpusIndex, CrossRemoval, ENTRY_BYTES, MIN_TOKENS, NEAR_MIN_TOKENS};
pub use deduper::{Cleaned, CorpusPass, Deduper};
pub use document::{dedup_text, in_lines, BlockKey, DocResult, Options, DEFAULT_THRESHOLD};
pub use error::{Error, Result};
pub use segment::{separator_after, Block, Segmented, Unit};
pub use similarity::Metric;

#[cfg(test)]
mod tests {
    /// The root paths the root package and the fuzz targets use still lead to the document
    /// reading.
    #[test]
    fn the_document_reading_is_reachable_from_the_crate_root() {
        let options = crate::Options::default();
        assert!((options.threshold - crate::DEFAULT_THRESHOLD).abs() < f64::EPSILON);
        let text = "A line of text that is long enough.\nA line of text that is long enough.\n";
        let result: crate::DocResult = crate::dedup_text(text, &options);
        assert_eq!(result.removals.len(), 1);
        assert_eq!(result.removals[0].kind, crate::Kind::Exact);
        assert_eq!(result.render(text), "A line of text that is long enough.\n");
        let lines = crate::in_lines(text, &result);
        assert_eq!(lines.removed, result.removed);
        let gone = [false, false];
        assert!(crate::document::keeps_its_reading(
            text, &options, &result, &gone
        ));
        let key: crate::BlockKey = result.keys[0];
        assert_eq!(key, result.keys[1]);
    }
}
