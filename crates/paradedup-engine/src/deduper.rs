//! The engine's front door: a [`Deduper`] cleans one document at a time, a [`CorpusPass`] takes
//! documents in input order and also removes what an earlier one holds.
//!
//! ```
//! use paradedup_engine::{CorpusPass, Deduper, Options};
//!
//! let deduper = Deduper::new(Options::default());
//! let page = "Read more\n\nThe council met on Monday to vote on the new budget.\n\nRead more\n";
//! let cleaned = deduper.clean(page);
//! assert_eq!(cleaned.text(), "Read more\n\nThe council met on Monday to vote on the new budget.\n");
//! assert_eq!(cleaned.removals().len(), 1);
//!
//! // Corpus scope: the second document loses the paragraph the first one keeps.
//! let mut corpus = CorpusPass::new(Options::default(), None, None);
//! let first = "The council met on Monday to vote on the new budget for the year.\n";
//! let second = "The council met on Monday to vote on the new budget for the year.\n\nA new paragraph.\n";
//! assert_eq!(corpus.clean(first)?.text(), first);
//! assert_eq!(corpus.clean(second)?.text(), "A new paragraph.\n");
//! # Ok::<(), paradedup_engine::Error>(())
//! ```

use crate::canonical::{Removal, Trim};
use crate::corpus::{CorpusIndex, CrossRemoval};
use crate::error::Result;
use crate::segment::Block;
use crate::{dedup_text, DocResult, Options};

/// Cleans documents, each on its own, with one set of [`Options`].
#[derive(Debug, Clone, Default)]
pub struct Deduper {
    options: Options,
}

impl Deduper {
    /// A deduper with these options.
    pub fn new(options: Options) -> Self {
        Deduper { options }
    }

    /// The options it cleans with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Cleans one document: its duplicate, near-duplicate and contained blocks go, the rest
    /// stays in its original bytes and order. Parallel inside (rayon's global pool, or the pool
    /// it is run in).
    pub fn clean<'t>(&self, text: &'t str) -> Cleaned<'t> {
        Cleaned {
            text,
            result: dedup_text(text, &self.options),
            cross: Vec::new(),
        }
    }
}

/// One cleaned document: its text and what was decided.
#[derive(Debug, Clone)]
pub struct Cleaned<'t> {
    text: &'t str,
    result: DocResult,
    cross: Vec<CrossRemoval>,
}

impl Cleaned<'_> {
    /// The clean document.
    pub fn text(&self) -> String {
        self.result.render(self.text)
    }

    /// Writes the clean document.
    ///
    /// # Errors
    /// Returns the writer's error.
    pub fn write_to<W: std::io::Write + ?Sized>(&self, out: &mut W) -> std::io::Result<()> {
        self.result.write_to(self.text, out)
    }

    /// The document's blocks, in order (byte spans of the input).
    pub fn blocks(&self) -> &[Block] {
        &self.result.segmented.blocks
    }

    /// The removed blocks, in block order, with why and for what.
    pub fn removals(&self) -> &[Removal] {
        &self.result.removals
    }

    /// The kept blocks with a repeated part cut out, in block order (cuts as byte ranges of the
    /// input).
    pub fn trims(&self) -> &[Trim] {
        &self.result.trims
    }

    /// The blocks a corpus pass removed because an earlier document holds them (also among
    /// [`Cleaned::removals`]); empty outside a [`CorpusPass`].
    pub fn cross_removals(&self) -> &[CrossRemoval] {
        &self.cross
    }

    /// True when cleaning changes nothing.
    pub fn changes_nothing(&self) -> bool {
        self.result.changes_nothing()
    }

    /// The whole decision.
    pub fn result(&self) -> &DocResult {
        &self.result
    }

    /// The whole decision, owned.
    pub fn into_result(self) -> DocResult {
        self.result
    }
}

/// Corpus scope: documents passed in input order; besides its own repeats, each loses the
/// blocks that an earlier document holds (and, with `boilerplate_min_docs`, the short blocks
/// that many documents hold).
#[derive(Debug)]
pub struct CorpusPass {
    deduper: Deduper,
    index: CorpusIndex,
}

impl CorpusPass {
    /// An empty pass. `boilerplate_min_docs`: a short block held by that many documents goes
    /// from all of them; `max_memory`: bytes the index may take before the pass stops with
    /// [`crate::Error::MemoryLimit`].
    pub fn new(
        options: Options,
        boilerplate_min_docs: Option<u32>,
        max_memory: Option<u64>,
    ) -> Self {
        CorpusPass {
            deduper: Deduper::new(options),
            index: CorpusIndex::new(boilerplate_min_docs, max_memory),
        }
    }

    /// Cleans the next document in input order.
    ///
    /// # Errors
    /// [`crate::Error::MemoryLimit`] when the index would grow past its limit.
    pub fn clean<'t>(&mut self, text: &'t str) -> Result<Cleaned<'t>> {
        let mut cleaned = self.deduper.clean(text);
        self.pass(&mut cleaned)?;
        Ok(cleaned)
    }

    /// Passes the next document in input order, already cleaned on its own (with the same
    /// options, for example by [`Deduper::clean`] on many documents in parallel): removes from
    /// it the blocks an earlier document holds.
    ///
    /// # Errors
    /// [`crate::Error::MemoryLimit`] when the index would grow past its limit.
    pub fn pass(&mut self, cleaned: &mut Cleaned<'_>) -> Result<()> {
        let options = *self.deduper.options();
        cleaned.cross = self
            .index
            .pass(cleaned.text, &options, &mut cleaned.result)?;
        Ok(())
    }

    /// Bytes the index takes now (an estimate: 40 bytes per distinct block).
    pub fn memory(&self) -> u64 {
        self.index.memory()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAGRAPH: &str = "The council met on Monday to vote on the new budget for the year.";

    #[test]
    fn a_deduper_cleans_as_dedup_text_does() {
        let text = format!("{PARAGRAPH}\n\nOther words here.\n\n{PARAGRAPH}\n");
        let cleaned = Deduper::default().clean(&text);
        let direct = dedup_text(&text, &Options::default());
        assert_eq!(cleaned.text(), direct.render(&text));
        assert_eq!(cleaned.removals(), &direct.removals[..]);
        assert_eq!(cleaned.blocks().len(), 3);
        assert!(cleaned.cross_removals().is_empty());
        let mut written = Vec::new();
        cleaned.write_to(&mut written).ok();
        assert_eq!(written, cleaned.text().as_bytes());
    }

    #[test]
    fn a_corpus_pass_removes_what_an_earlier_document_holds() {
        let mut pass = CorpusPass::new(Options::default(), None, None);
        let first = format!("{PARAGRAPH}\n");
        let second = format!("Its own words.\n\n{PARAGRAPH}\n");
        assert!(pass
            .clean(&first)
            .map(|c| c.changes_nothing())
            .unwrap_or(false));
        let Ok(cleaned) = pass.clean(&second) else {
            unreachable!("no memory limit")
        };
        assert_eq!(cleaned.text(), "Its own words.\n");
        assert_eq!(cleaned.cross_removals().len(), 1);
        assert_eq!(cleaned.cross_removals()[0].block, 1);
        assert_eq!(cleaned.cross_removals()[0].kept_in, 0);
        // Passing documents cleaned elsewhere gives the same answer.
        let mut other = CorpusPass::new(Options::default(), None, None);
        let deduper = Deduper::default();
        let (mut a, mut b) = (deduper.clean(&first), deduper.clean(&second));
        assert!(other.pass(&mut a).is_ok() && other.pass(&mut b).is_ok());
        assert_eq!(b.text(), cleaned.text());
    }

    #[test]
    fn a_corpus_pass_stops_at_its_memory_limit() {
        let mut pass = CorpusPass::new(Options::default(), None, Some(1));
        let err = pass.clean(&format!("{PARAGRAPH}\n")).err();
        assert!(
            matches!(err, Some(crate::Error::MemoryLimit { limit: 1, .. })),
            "{err:?}"
        );
    }
}
