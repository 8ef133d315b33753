//! The paradedup engine: duplicate, near-duplicate and contained paragraphs found in one
//! document, and across documents in input order, with no command line, no file handling and
//! no terminal.
//!
//! The pipeline, one module per stage: [`segment`] (blocks with exact byte spans) →
//! [`normalize`] (comparison keys only) → [`fingerprint`] (stable hashes) → [`candidates`]
//! (winnowed gram and whole-block indexes, never all pairs) → [`verify`] (coverage by long
//! common runs) and [`similarity`] (strsim, with a meaning guard) → [`canonical`] (what stays,
//! deterministically; [`zones`] say where the article is, [`trim`] cuts a repeated part out of a
//! block). [`document`] reads one document with them (and reads it again where cleaning must
//! stay idempotent); [`corpus`] removes blocks that an earlier document holds.
//!
//! Start at [`Deduper`] (one document) and [`CorpusPass`] (documents in input order):
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

pub mod candidates;
pub mod canonical;
mod chars;
pub mod corpus;
pub mod deduper;
pub mod document;
pub mod error;
pub mod fingerprint;
mod negation;
pub mod normalize;
pub mod segment;
pub mod similarity;
pub mod trim;
pub mod verify;
pub mod zones;

pub use canonical::{Kind, Removal};
pub use deduper::{Cleaned, CorpusPass, Deduper};
// The reading of one document, under the paths it had when it lived here.
pub use document::{
    dedup_text, in_lines, keeps_its_reading, reading_may_change, redecide, BlockKey, DocResult,
    Options, DEFAULT_THRESHOLD,
};
pub use error::{Error, Result};
pub use segment::Unit;

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
        assert!(!crate::reading_may_change(text, &options));
        let gone = [false, false];
        assert!(crate::keeps_its_reading(text, &options, &result, &gone));
        assert_eq!(
            crate::redecide(text, &options, &result, &gone).removed,
            [false, true]
        );
        let key: crate::BlockKey = result.keys[0];
        assert_eq!(key, result.keys[1]);
    }
}
