//! Corpus scope: documents in input order → blocks that repeat an earlier document.
//!
//! After each document has been cleaned on its own, the documents pass one by one, in input
//! order, through an index of the blocks kept so far, so the first occurrence stays and the
//! result does not depend on the thread count. A block of [`MIN_TOKENS`] words or more goes
//! when an earlier document kept the same word sequence (`exact` when the normalized text is
//! equal, `near` when only punctuation differs, for blocks of [`NEAR_MIN_TOKENS`] words or
//! more). Shorter blocks ("Share", "Read more", a date)
//! are too short to say they were copied; with `boilerplate_min_docs` N, a short block goes from
//! the N-th document that holds it on (`boilerplate`). A short block is matched by its whole
//! normalized text, punctuation included: templates repeat their labels character for
//! character, while a headline "He almost fell down" and the sentence "He almost fell down."
//! in two articles are a coincidence of a few common words.
//!
//! Memory is exact, not a Bloom filter: one hash-map entry of [`ENTRY_BYTES`] per distinct long
//! block and per distinct short block, counted as it grows, so `max_memory` can stop the run
//! with a clear error before the machine swaps.

use crate::canonical::Kind;
use crate::canonical::Removal;
use crate::document::{
    dedup_text, in_lines, keeps_its_reading, reading_may_change, redecide, BlockKey, DocResult,
    Options,
};
use crate::error::{Error, Result};
use crate::fingerprint::HashMap64;
use crate::segment::Unit;

/// Fewest words for a block to be matched across documents.
pub const MIN_TOKENS: u32 = 8;

/// Fewest words for a block to be matched across documents when only its punctuation differs
/// (`near`); shorter blocks must have the same normalized text (`exact`).
pub const NEAR_MIN_TOKENS: u32 = 16;

/// Most times the corpus pass decides one document again (each time removes more blocks).
const MAX_REDECIDE: usize = 8;

/// Keeps the exact-text keys of blocks under [`NEAR_MIN_TOKENS`] words apart from the
/// word-sequence keys of longer ones in the same table.
const EXACT_ONLY: u64 = 0x5bd1_e995_9e37_79b9;

/// Bytes one index entry takes, hash-table overhead included (64-bit key, 16-byte value,
/// control byte, at the table's 7/8 maximum load). Measured figures are in the README.
pub const ENTRY_BYTES: u64 = 40;

/// A block removed because another document holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrossRemoval {
    /// Block index in this document.
    pub block: usize,
    /// Exact, near or boilerplate.
    pub kind: Kind,
    /// Ordinal (0-based, input order) of the document that keeps the content.
    pub kept_in: u64,
}

/// The corpus-wide index.
#[derive(Debug, Default)]
pub struct CorpusIndex {
    long: HashMap64<(u64, u64)>,
    short: HashMap64<(u32, u64)>,
    boilerplate_min_docs: Option<u32>,
    max_memory: Option<u64>,
    documents: u64,
}

impl CorpusIndex {
    /// A new, empty index.
    pub fn new(boilerplate_min_docs: Option<u32>, max_memory: Option<u64>) -> Self {
        CorpusIndex {
            boilerplate_min_docs,
            max_memory,
            ..CorpusIndex::default()
        }
    }

    /// The blocks of `result` this pass would remove (from document `doc`), without changing
    /// the index: long blocks an earlier document holds, and short blocks whose count would
    /// reach `boilerplate_min_docs` with this document (all their copies here).
    fn predict(&self, result: &DocResult, doc: u64) -> Vec<bool> {
        result
            .keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                if result.removed[i] || key.tokens == 0 {
                    return false;
                }
                if key.tokens >= MIN_TOKENS {
                    matches!(self.long.get(&self.index_of(key)), Some(&(_, first)) if first != doc)
                } else if let Some(n) = self.boilerplate_min_docs {
                    let held = self.short.get(&key.key_hash).map_or(0, |e| e.0);
                    held.saturating_add(1) >= n
                } else {
                    false
                }
            })
            .collect()
    }

    /// The key of a long block in the index: under [`NEAR_MIN_TOKENS`] words, only the same
    /// normalized text counts (a headline and a sentence with its words plus a full stop are a
    /// coincidence, not a copy); from there on, the same word sequence.
    fn index_of(&self, key: &BlockKey) -> u64 {
        if key.tokens >= NEAR_MIN_TOKENS {
            key.seq_hash
        } else {
            key.key_hash ^ EXACT_ONLY
        }
    }

    /// [`Self::pass`] on the reading a second run makes of the document: its clean text,
    /// deduplicated again (nothing more goes in the document itself), read in its own blocks.
    /// For a document that `auto` settled in lines ([`DocResult::settled`]), that reading is in
    /// other blocks; for a fragile one ([`DocResult::fragile`]), the blocks that stayed because
    /// of others may not be there to stay. The removals are mapped back to the blocks of `text`
    /// that make each removed block of the reading (the document is re-expressed in lines when
    /// the reading is finer than its blocks).
    fn pass_view(
        &mut self,
        text: &str,
        options: &Options,
        result: &mut DocResult,
    ) -> Result<Vec<CrossRemoval>> {
        let clean = result.render(text);
        let mut view = dedup_text(&clean, options);
        if view.settled {
            // Not settled in one reading after all (the rounds ran out): pass the blocks as
            // they are.
            result.settled = false;
            return self.pass_at(text, options, result, 1);
        }
        if view.segmented.unit == Unit::Line && result.segmented.unit != Unit::Line {
            *result = in_lines(text, result);
        }
        // Kept blocks in order, and where each starts in the clean text.
        let (kept, starts): (Vec<usize>, Vec<usize>) = result.kept_offsets().into_iter().unzip();
        let view_blocks = view.segmented.blocks.clone();
        let blocks_of = |v: usize| -> Vec<usize> {
            let b = view_blocks[v];
            let first = starts.partition_point(|&s| s <= b.start).saturating_sub(1);
            let last = starts.partition_point(|&s| s < b.end);
            kept[first..last.max(first + 1).min(kept.len())].to_vec()
        };
        let view_out = self.pass_at(&clean, options, &mut view, 1)?;
        let mut out = Vec::new();
        for c in &view_out {
            for l in blocks_of(c.block) {
                out.push(CrossRemoval {
                    block: l,
                    kind: c.kind,
                    kept_in: c.kept_in,
                });
            }
        }
        point_at_earlier_documents(&mut result.removals, &out);
        // What goes in the clean text's reading (the pass's removals, and the document's own if
        // that reading finds any) goes from the blocks that make it.
        for r in &view.removals {
            let carriers: Vec<usize> = r.kept.iter().flat_map(|&k| blocks_of(k)).collect();
            for l in blocks_of(r.block) {
                result.removed[l] = true;
                result.removals.push(Removal {
                    block: l,
                    kind: r.kind,
                    score: r.score,
                    kept: carriers.clone(),
                    kept_in_document: r.kept_in_document,
                    why: r.why,
                });
            }
        }
        result.removals.sort_by_key(|r| r.block);
        Ok(out)
    }

    /// Bytes the index holds now.
    pub fn memory(&self) -> u64 {
        (self.long.capacity() + self.short.capacity()) as u64 * ENTRY_BYTES
    }

    /// Number of distinct blocks indexed.
    pub fn entries(&self) -> usize {
        self.long.len() + self.short.len()
    }

    /// Passes the next document (in input order) through the index: marks its blocks that an
    /// earlier document holds as removed in `result`, and returns them.
    ///
    /// # Errors
    /// [`Error::MemoryLimit`] when the index would grow past `max_memory`.
    /// `text` is the document and `options` its matching options: when a block in it stayed
    /// because of others (a teaser below the lead-in, a carrier read as a run-together), or
    /// `auto` settled it in lines, and this pass removes blocks, the pass works on the reading a
    /// second run makes of it (its clean text, deduplicated again); there the document is
    /// decided again without the removed blocks (`document::redecide`) until the removals
    /// stop growing.
    /// When `auto` could read the document in other blocks without them (see
    /// `document::keeps_its_reading`), this pass removes nothing from it (its blocks still count
    /// as held here), so that a second run reads it the same way.
    pub fn pass(
        &mut self,
        text: &str,
        options: &Options,
        result: &mut DocResult,
    ) -> Result<Vec<CrossRemoval>> {
        self.pass_at(text, options, result, 0)
    }

    /// [`Self::pass`]; `depth` 1 when `text` is already the reading of a second run (see
    /// [`Self::pass_view`]).
    fn pass_at(
        &mut self,
        text: &str,
        options: &Options,
        result: &mut DocResult,
        depth: u8,
    ) -> Result<Vec<CrossRemoval>> {
        let doc = self.documents;
        if depth == 0
            && (result.settled || result.fragile)
            && self.predict(result, doc).contains(&true)
        {
            return self.pass_view(text, options, result);
        }
        let removes = self.may_remove(text, options, result, doc);
        self.documents += 1;
        let mut out = self.index_blocks(result, doc, removes);
        if self.boilerplate_min_docs.is_some() {
            short_repeats_go_too(result, doc, &mut out);
        }
        record_removals(result, &out);
        self.check_memory()?;
        Ok(out)
    }

    /// True when this pass may remove blocks from document `doc`: always, unless removing the
    /// blocks an earlier document holds would make `auto` read the document in other blocks
    /// (then a second run would cut it otherwise). A fragile document is decided again without
    /// those blocks first (`document::redecide`), and `result` takes that answer when it
    /// reads the same.
    fn may_remove(&self, text: &str, options: &Options, result: &mut DocResult, doc: u64) -> bool {
        let reading_matters = reading_may_change(text, options);
        // Most documents need neither check: look the blocks up twice only for those that do.
        if result.fragile || reading_matters {
            let mut gone = self.predict(result, doc);
            if gone.contains(&true) {
                // Deciding again can keep blocks that went in favour of the removed ones; those
                // may be held elsewhere too: repeat until the removals stop growing.
                let mut decided: Option<DocResult> = None;
                if result.fragile {
                    for _ in 0..MAX_REDECIDE {
                        let next =
                            redecide(text, options, decided.as_ref().unwrap_or(result), &gone);
                        let more = self.predict(&next, doc);
                        decided = Some(next);
                        if more == gone {
                            break;
                        }
                        gone = more;
                    }
                }
                // The reading is judged on the final answer: a block kept by deciding again can
                // be what makes the clean record read otherwise; the first answer, with the
                // blocks it predicted gone, is the fallback.
                let reads_the_same = |r: &DocResult, gone: &[bool]| {
                    !reading_matters || keeps_its_reading(text, options, r, gone)
                };
                match decided {
                    Some(next) if reads_the_same(&next, &gone) => {
                        *result = next;
                        true
                    }
                    Some(_) => reads_the_same(result, &self.predict(result, doc)),
                    None => reads_the_same(result, &gone),
                }
            } else {
                true
            }
        } else {
            true
        }
    }

    /// Indexes the kept blocks of document `doc` and returns those an earlier document holds
    /// (long blocks) or that reach `boilerplate_min_docs` documents (short ones), when
    /// `removes`; otherwise only indexes them.
    fn index_blocks(&mut self, result: &DocResult, doc: u64, removes: bool) -> Vec<CrossRemoval> {
        let mut out = Vec::new();
        let mut seen_short = std::collections::HashSet::new();
        for (i, key) in result.keys.iter().enumerate() {
            if result.removed[i] || key.tokens == 0 {
                continue;
            }
            if key.tokens >= MIN_TOKENS {
                let index = self.index_of(key);
                match self.long.get(&index) {
                    Some(&(key_hash, first)) if first != doc && removes => {
                        let kind = if key_hash == key.key_hash {
                            Kind::Exact
                        } else {
                            Kind::Near
                        };
                        out.push(CrossRemoval {
                            block: i,
                            kind,
                            kept_in: first,
                        });
                    }
                    Some(_) => {}
                    None => {
                        self.long.insert(index, (key.key_hash, doc));
                    }
                }
            } else if let Some(n) = self.boilerplate_min_docs {
                if !seen_short.insert(key.key_hash) {
                    continue;
                }
                let entry = self.short.entry(key.key_hash).or_insert((0, doc));
                entry.0 = entry.0.saturating_add(1);
                if entry.0 >= n && removes {
                    out.push(CrossRemoval {
                        block: i,
                        kind: Kind::Boilerplate,
                        kept_in: entry.1,
                    });
                }
            }
        }
        out
    }

    /// Stops the pass when the index has grown past `max_memory`.
    fn check_memory(&self) -> Result<()> {
        if let Some(limit) = self.max_memory {
            if self.memory() > limit {
                return Err(Error::MemoryLimit {
                    needed: self.memory(),
                    limit,
                    documents: self.documents,
                    blocks: self.entries(),
                });
            }
        }
        Ok(())
    }
}

/// A short block repeated inside this document goes with its first copy when the pass removes
/// that one as boilerplate.
fn short_repeats_go_too(result: &DocResult, doc: u64, out: &mut Vec<CrossRemoval>) {
    let gone: std::collections::HashSet<u64> = out
        .iter()
        .filter(|c| c.kind == Kind::Boilerplate)
        .map(|c| result.keys[c.block].key_hash)
        .collect();
    let listed: std::collections::HashSet<usize> = out.iter().map(|c| c.block).collect();
    for (i, key) in result.keys.iter().enumerate() {
        if !result.removed[i]
            && key.tokens < MIN_TOKENS
            && gone.contains(&key.key_hash)
            && !listed.contains(&i)
        {
            out.push(CrossRemoval {
                block: i,
                kind: Kind::Boilerplate,
                kept_in: doc,
            });
        }
    }
    out.sort_by_key(|c| c.block);
}

/// Marks the blocks in `out` removed in `result`, each pointing at the earlier document that keeps
/// it, and points the in-document removals they carried at that document too.
fn record_removals(result: &mut DocResult, out: &[CrossRemoval]) {
    point_at_earlier_documents(&mut result.removals, out);
    for c in out {
        result.removed[c.block] = true;
        result.removals.push(Removal {
            block: c.block,
            kind: c.kind,
            score: 1.0,
            kept: Vec::new(),
            kept_in_document: Some(c.kept_in),
            why: crate::canonical::Why::EarlierDocument,
        });
    }
    result.removals.sort_by_key(|r| r.block);
}

/// An in-document removal whose carrier the corpus pass just removed points at the earlier
/// document that keeps it, with the kind of both steps ([`Kind::then`]: an exact copy of a
/// block that goes as boilerplate or near is boilerplate or near). The score stays: the corpus
/// pass removes equal texts and word sequences only.
fn point_at_earlier_documents(removals: &mut [Removal], out: &[CrossRemoval]) {
    for r in removals {
        let gone: Vec<&CrossRemoval> = out.iter().filter(|c| r.kept.contains(&c.block)).collect();
        if let Some(c) = gone.first() {
            r.kept.retain(|k| !out.iter().any(|c| c.block == *k));
            r.kept_in_document = Some(c.kept_in);
            r.kind = gone.iter().fold(r.kind, |k, c| k.then(c.kind));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 18 words.
    const LONG: &str =
        "The council met on Monday evening to vote on the new budget for the coming year in full";

    /// Passes `docs` in order through a fresh index; the removals of each.
    fn pass_all(docs: &[&str], boilerplate: Option<u32>) -> Vec<Vec<CrossRemoval>> {
        let mut index = CorpusIndex::new(boilerplate, None);
        let options = Options::default();
        docs.iter()
            .map(|d| {
                let mut result = dedup_text(d, &options);
                index.pass(d, &options, &mut result).unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn a_long_block_goes_from_later_documents_exact_or_near() {
        let first = format!("{LONG}.\n");
        let exact = format!("Own words.\n\n{LONG}.\n");
        let near = format!("{}!\n", LONG.to_uppercase().replace(' ', " , "));
        let out = pass_all(&[&first, &exact, &near], None);
        assert!(out[0].is_empty());
        let hit = |block, kind| CrossRemoval {
            block,
            kind,
            kept_in: 0,
        };
        assert_eq!(out[1], [hit(1, Kind::Exact)]);
        // Same words, other punctuation and case: a near copy from 16 words on.
        assert_eq!(out[2], [hit(0, Kind::Near)]);
    }

    #[test]
    fn under_sixteen_words_only_the_same_text_counts() {
        let words = "one two three four five six seven eight nine ten";
        let out = pass_all(&[&format!("{words}.\n"), &format!("{words}!\n")], None);
        assert!(out[1].is_empty(), "{:?}", out[1]);
        let out = pass_all(&[&format!("{words}.\n"), &format!("{words}.\n")], None);
        assert_eq!(out[1].len(), 1);
    }

    #[test]
    fn short_blocks_go_only_as_boilerplate_from_the_nth_document() {
        let doc = |own: &str| format!("Read more\n\n{own} has its own words here.\n\nRead more\n");
        let (a, b, c) = (doc("Alpha"), doc("Beta"), doc("Gamma"));
        // Without the option, short blocks are never matched across documents.
        assert!(pass_all(&[&a, &b, &c], None).iter().all(Vec::is_empty));
        let out = pass_all(&[&a, &b, &c], Some(3));
        assert!(out[0].is_empty() && out[1].is_empty());
        // The third holder loses it, with its repeat inside the document (block 2 was already
        // removed in the document itself as an exact copy of block 0).
        assert_eq!(out[2].len(), 1);
        assert_eq!(
            (out[2][0].block, out[2][0].kind, out[2][0].kept_in),
            (0, Kind::Boilerplate, 0)
        );
    }

    #[test]
    fn removals_point_at_the_earlier_document() {
        let first = format!("{LONG}.\n");
        let second = format!("Own words.\n\n{LONG}.\n\n{LONG}.\n");
        let mut index = CorpusIndex::new(None, None);
        let options = Options::default();
        let mut r1 = dedup_text(&first, &options);
        assert!(index.pass(&first, &options, &mut r1).is_ok());
        let mut r2 = dedup_text(&second, &options);
        assert!(index.pass(&second, &options, &mut r2).is_ok());
        assert_eq!(r2.removed, [false, true, true]);
        // The in-document copy (block 2, carried by block 1) now points at document 0 too.
        let docs: Vec<Option<u64>> = r2.removals.iter().map(|r| r.kept_in_document).collect();
        assert_eq!(docs, [Some(0), Some(0)]);
        assert_eq!(r2.render(&second), "Own words.\n");
    }

    #[test]
    fn the_index_counts_its_memory_and_stops_at_the_limit() {
        let options = Options::default();
        let one = format!("{LONG}.\n\nAnd a second paragraph of words in this one document.\n");
        let mut free = CorpusIndex::new(None, None);
        let mut r = dedup_text(&one, &options);
        assert!(free.pass(&one, &options, &mut r).is_ok());
        assert_eq!(free.entries(), 2);
        let needed = free.memory();
        assert!(needed >= 2 * ENTRY_BYTES);
        let mut tight = CorpusIndex::new(None, Some(needed - 1));
        let mut r = dedup_text(&one, &options);
        let err = tight.pass(&one, &options, &mut r).err();
        assert!(
            matches!(err, Some(Error::MemoryLimit { needed: n, documents: 1, blocks: 2, .. }) if n == needed),
            "{err:?}"
        );
    }
}
