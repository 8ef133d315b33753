//! paradedup removes duplicate, near-duplicate and contained paragraphs from scraped text.
//!
//! The pipeline, one module per stage:
//! [`read`] (files, folders, standard input) → [`segment`] (blocks with exact byte spans) →
//! [`normalize`] (comparison keys only) → [`fingerprint`] (stable hashes) → [`candidates`]
//! (winnowed gram and whole-block indexes, never all pairs) → [`verify`] (coverage by long
//! common runs) and [`similarity`] (strsim, with a meaning guard) → [`canonical`] (what stays,
//! deterministically) → [`write`] (original bytes, atomic rewrites) and [`report`] (versioned
//! JSON). [`check`] turns the figures into a CI verdict.
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
pub mod candidates;
pub mod canonical;
pub mod check;
pub mod cli;
pub mod error;
pub mod fingerprint;
pub mod normalize;
pub mod read;
pub mod report;
pub mod segment;
pub mod similarity;
pub mod verify;
pub mod write;

use rayon::prelude::*;

pub use canonical::{Kind, Removal};
pub use error::{Error, Result};
pub use segment::Unit;

/// Default near-duplicate threshold (normalized Levenshtein similarity), chosen by measurement
/// on the dev set and the fixtures (README, "Choosing the threshold").
pub const DEFAULT_THRESHOLD: f64 = 0.85;

/// How documents are cleaned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// How documents are cut into blocks.
    pub unit: Unit,
    /// Least similarity for a near duplicate, in `[0, 1]`.
    pub threshold: f64,
    /// The similarity measure for near duplicates.
    pub metric: similarity::Metric,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            unit: Unit::Auto,
            threshold: DEFAULT_THRESHOLD,
            metric: similarity::Metric::default(),
        }
    }
}

/// The outcome for one document.
#[derive(Debug, Clone)]
pub struct DocResult {
    /// The document's blocks.
    pub segmented: segment::Segmented,
    /// The removed blocks, in block order.
    pub removals: Vec<Removal>,
    /// `removed[i]` is true when block `i` goes.
    pub removed: Vec<bool>,
}

/// Deduplicates one document. Parallel inside (rayon): run it in a local pool to bound threads.
pub fn dedup_text(text: &str, options: &Options) -> DocResult {
    let segmented = segment::segment(text, options.unit);
    let texts: Vec<&str> = segmented
        .blocks
        .iter()
        .map(|b| &text[b.start..b.end])
        .collect();
    let feats: Vec<fingerprint::Features> =
        texts.par_iter().map(|t| fingerprint::features(t)).collect();
    let removals = canonical::decide(
        &texts,
        &feats,
        canonical::Settings {
            threshold: options.threshold,
            metric: options.metric,
        },
    );
    let mut removed = vec![false; segmented.blocks.len()];
    for r in &removals {
        removed[r.block] = true;
    }
    DocResult {
        segmented,
        removals,
        removed,
    }
}

impl DocResult {
    /// Writes the clean document: the lead, then each kept block with the separator that
    /// followed it, the last kept block with the document's final separator.
    ///
    /// # Errors
    /// Returns the writer's error.
    pub fn write_to<W: std::io::Write + ?Sized>(
        &self,
        text: &str,
        out: &mut W,
    ) -> std::io::Result<()> {
        let blocks = &self.segmented.blocks;
        out.write_all(&text.as_bytes()[..self.segmented.lead_end])?;
        let kept: Vec<usize> = (0..blocks.len()).filter(|&i| !self.removed[i]).collect();
        for (k, &i) in kept.iter().enumerate() {
            let b = blocks[i];
            out.write_all(&text.as_bytes()[b.start..b.end])?;
            let sep = if k + 1 == kept.len() {
                blocks.last().map_or(b.end..b.sep_end, |l| l.end..l.sep_end)
            } else {
                b.end..b.sep_end
            };
            out.write_all(&text.as_bytes()[sep])?;
        }
        Ok(())
    }

    /// The clean document as a string.
    pub fn render(&self, text: &str) -> String {
        let mut v = Vec::with_capacity(text.len());
        // Writing to a Vec cannot fail.
        let _ = self.write_to(text, &mut v);
        String::from_utf8(v).unwrap_or_default()
    }

    /// Bytes of the clean document.
    pub fn bytes_out(&self, text: &str) -> usize {
        let mut counter = Counter(0);
        let _ = self.write_to(text, &mut counter);
        counter.0
    }
}

struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
