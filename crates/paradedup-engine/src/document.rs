//! Document: one document's text → its [`DocResult`] (the blocks, what goes and what is cut).
//!
//! [`dedup_text`] segments the text, fingerprints each distinct block text once
//! (`BlockFeatures`) and runs [`canonical::decide`]; then the checks that make cleaning
//! idempotent: a document whose clean text `auto` would cut into other blocks is settled in
//! lines (`settle`), and a document with trims is read again (with the first reading's
//! features, by reference: `Memo`) and keeps its trims only when the second reading removes
//! nothing more. For the corpus pass: [`redecide`] (a document decided again without the blocks
//! earlier documents hold), [`keeps_its_reading`], [`reading_may_change`] and [`in_lines`].
//!
//! Below [`crate::corpus`] and [`crate::deduper`]; above the stages it runs.

use rayon::prelude::*;

use crate::canonical::{self, Removal};
use crate::segment::{self, Unit};
use crate::{candidates, fingerprint, similarity, trim};

/// Default near-duplicate threshold (a similarity under the default metric, normalized
/// Levenshtein), chosen by measurement on the dev set and the fixtures (README, "Choosing the
/// metric and threshold").
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
    /// Which copy of a content stays: the one in the article body (default) or the first.
    pub keep: canonical::Keep,
    /// Cut the repeated part out of a block that also holds something unique (default on;
    /// `--whole-blocks` turns it off and only whole blocks go).
    pub trim: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            unit: Unit::Auto,
            threshold: DEFAULT_THRESHOLD,
            metric: similarity::Metric::default(),
            keep: canonical::Keep::default(),
            trim: true,
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
    /// Kept blocks with a repeated part cut out, in block order; their `cuts` are byte ranges
    /// of the document (not of the block, as in `canonical::Decision`).
    pub trims: Vec<canonical::Trim>,
    /// `removed[i]` is true when block `i` goes.
    pub removed: Vec<bool>,
    /// What corpus-wide deduplication needs to know of each block.
    pub keys: Vec<BlockKey>,
    /// A block stayed because of other blocks (`canonical::Decision::fragile`); the corpus
    /// pass decides such a document again when it removes blocks from it.
    pub fragile: bool,
    /// `auto` reads the clean document in other blocks than the input (rare), so the document
    /// was cleaned again, in lines of the input, until stable. A second run reads the clean
    /// document in those other blocks: the corpus pass matches it the same way.
    pub settled: bool,
}

/// The comparison hashes of one block, for matching across documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockKey {
    /// Hash of the normalized text (exact copies).
    pub key_hash: u64,
    /// Hash of the word sequence (copies that differ in punctuation only).
    pub seq_hash: u64,
    /// Number of words.
    pub tokens: u32,
}

impl BlockKey {
    fn of(f: &fingerprint::Features) -> Self {
        BlockKey {
            key_hash: f.key_hash,
            seq_hash: f.seq_hash,
            tokens: u32::try_from(f.tokens.len()).unwrap_or(u32::MAX),
        }
    }
}

/// Deduplicates one document. Parallel inside (rayon): run it in a local pool to bound threads.
pub fn dedup_text(text: &str, options: &Options) -> DocResult {
    let mut seen = Seen::default();
    let result = dedup_reading(text, options, &Memo::default(), Some(&mut seen));
    if result.trims.is_empty() {
        return result;
    }
    // The clean text repeats most blocks byte for byte: their features are known.
    let memo = Memo::new(text, seen);
    // A trimmed block reads otherwise in a second run (fewer words, another end): the zones,
    // the coverage of other blocks and the block's own fate may change with it. Cleaning must
    // be idempotent, so the trims stand only when a second run on the clean text finds nothing
    // more; otherwise this document loses whole blocks only. (Only documents with a trim pay
    // for the second run.)
    let clean = result.render(text);
    if dedup_reading(&clean, options, &memo, None).changes_nothing() {
        return result;
    }
    dedup_reading(
        text,
        &Options {
            trim: false,
            ..*options
        },
        &memo,
        None,
    )
}

/// Features computed in a first reading of a document, found again by block text.
#[derive(Default)]
struct Memo<'t> {
    /// [`memo_key`] of a block text → the text and the index of its features.
    index: fingerprint::HashMap64<(&'t str, usize)>,
    feats: Vec<fingerprint::Features>,
}

impl<'t> Memo<'t> {
    /// The features `seen` holds, for blocks of `text`.
    fn new(text: &'t str, seen: Seen) -> Self {
        let index = seen
            .ranges
            .into_iter()
            .enumerate()
            .map(|(k, r)| {
                let t = &text[r];
                (memo_key(t), (t, k))
            })
            .collect();
        Memo {
            index,
            feats: seen.feats,
        }
    }

    /// The features of `text`, whose [`memo_key`] is `key`, if known.
    fn get(&self, key: u64, text: &str) -> Option<&fingerprint::Features> {
        self.index
            .get(&key)
            .filter(|(known, _)| *known == text)
            .and_then(|&(_, k)| self.feats.get(k))
    }

    /// The features of `text`, if known.
    fn find(&self, text: &str) -> Option<&fingerprint::Features> {
        if self.index.is_empty() {
            return None;
        }
        self.get(memo_key(text), text)
    }
}

/// The key of a block text in a [`Memo`] (a lookup compares the text too).
fn memo_key(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Where [`decide_blocks`] leaves the features it computed (of a reading with trims), with the
/// byte range of a block of each.
#[derive(Default)]
struct Seen {
    ranges: Vec<std::ops::Range<usize>>,
    feats: Vec<fingerprint::Features>,
}

/// [`dedup_text`] before the check of its trims. Features of block texts in `memo` are taken
/// from there; those of the first reading go to `seen` when given and it has trims.
fn dedup_reading(text: &str, options: &Options, memo: &Memo, seen: Option<&mut Seen>) -> DocResult {
    let segmented = segment::segment(text, options.unit);
    let result = decide_blocks(text, options, segmented, &[], memo, seen);
    if options.unit != Unit::Auto || result.changes_nothing() {
        return result;
    }
    // Without a blank line, lines are the only reading, of the input and of any part of it.
    if result.segmented.unit == Unit::Line && !segment::has_blank_line(text) {
        return result;
    }
    // `auto` must read the clean document the way it read the input, or a second run would cut
    // it differently and remove more (cleaning must be idempotent). When the unit it would pick
    // for the clean document gives other blocks, the document is cleaned again with that unit
    // until a pass removes nothing, and the result is expressed in lines of the input.
    let clean = result.render(text);
    let unit = segment::choose_unit(&clean);
    if unit == result.segmented.unit || same_blocks(&clean) {
        return result;
    }
    settle_in_lines(text, options, &result)
}

/// True when lines and paragraphs cut `text` into the same blocks.
fn same_blocks(text: &str) -> bool {
    segment::segment(text, Unit::Paragraph)
        .blocks
        .iter()
        .all(|b| b.first_line == b.last_line)
}

/// Re-expresses `first` in lines of `text`, then cleans the kept lines again under `auto` until a
/// pass removes nothing (at most a few passes: each one removes at least one block).
fn settle_in_lines(text: &str, options: &Options, first: &DocResult) -> DocResult {
    let (lines, removed) = removals_in_lines(text, first);
    settle(text, options, lines, removed)
}

/// `result`'s decision re-expressed in lines of `text`: each removed block's lines go, with the
/// lines of its carriers. Keys are those of the lines; the result is neither fragile nor settled.
pub fn in_lines(text: &str, result: &DocResult) -> DocResult {
    if result.segmented.unit == Unit::Line {
        return result.clone();
    }
    let (lines, removed) = removals_in_lines(text, result);
    let trims = trims_in_lines(&lines, &result.trims);
    let mut keys = keys_of(text, &lines);
    trimmed_keys(text, &lines, &trims, &mut keys);
    DocResult {
        removed: removed.iter().map(Option::is_some).collect(),
        removals: removed.into_iter().flatten().collect(),
        trims,
        segmented: lines,
        keys,
        fragile: false,
        settled: false,
    }
}

/// `trims` (cuts as byte ranges of the document) re-expressed for the blocks of `segmented`:
/// each cut goes to the block that holds it whole; a cut across a block boundary is dropped
/// (the block keeps those bytes).
fn trims_in_lines(
    segmented: &segment::Segmented,
    trims: &[canonical::Trim],
) -> Vec<canonical::Trim> {
    let blocks = &segmented.blocks;
    let mut out: Vec<canonical::Trim> = Vec::new();
    for t in trims {
        for c in &t.cuts {
            let i = blocks.partition_point(|b| b.end < c.end);
            let Some(b) = blocks.get(i) else { continue };
            if c.start < b.start || c.end > b.end {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.block == i => last.cuts.push(c.clone()),
                _ => out.push(canonical::Trim {
                    block: i,
                    cuts: vec![c.clone()],
                    score: t.score,
                    kept: Vec::new(),
                    why: t.why,
                }),
            }
        }
    }
    out
}

/// The corpus keys of trimmed blocks: those of what stays of them, as a second run reads it.
fn trimmed_keys(
    text: &str,
    segmented: &segment::Segmented,
    trims: &[canonical::Trim],
    keys: &mut [BlockKey],
) {
    for t in trims {
        let b = segmented.blocks[t.block];
        let relative: Vec<std::ops::Range<usize>> = t
            .cuts
            .iter()
            .map(|c| c.start - b.start..c.end - b.start)
            .collect();
        let rest = trim::rest(&text[b.start..b.end], &relative);
        keys[t.block] = BlockKey::of(&fingerprint::features(&rest));
    }
}

/// The corpus keys of `segmented`'s blocks of `text`.
fn keys_of(text: &str, segmented: &segment::Segmented) -> Vec<BlockKey> {
    segmented
        .blocks
        .par_iter()
        .map(|b| BlockKey::of(&fingerprint::features(&text[b.start..b.end])))
        .collect()
}

/// The lines of `text`, and for each the removal of the block of `first` that holds it.
fn removals_in_lines(text: &str, first: &DocResult) -> (segment::Segmented, Vec<Option<Removal>>) {
    let lines = segment::segment(text, Unit::Line);
    let n = lines.blocks.len();
    // Index of the line that starts at each byte offset.
    let line_at = |offset: usize| lines.blocks.partition_point(|l| l.start < offset);
    let lines_of = |b: &segment::Block| line_at(b.start)..line_at(b.end);
    let mut removed: Vec<Option<Removal>> = vec![None; n];
    let mut apply =
        |r: &Removal, blocks: &[segment::Block], to_lines: &dyn Fn(usize) -> Vec<usize>| {
            let kept: Vec<usize> = r.kept.iter().flat_map(|&k| to_lines(k)).collect();
            for l in lines_of(&blocks[r.block]) {
                removed[l] = Some(Removal {
                    block: l,
                    kind: r.kind,
                    score: r.score,
                    kept: kept.clone(),
                    kept_in_document: None,
                    why: r.why,
                });
            }
        };
    let first_blocks = &first.segmented.blocks;
    for r in &first.removals {
        apply(r, first_blocks, &|k| lines_of(&first_blocks[k]).collect());
    }
    for r in removed.iter_mut().flatten() {
        r.kept_in_document = first
            .removals
            .iter()
            .find(|f| lines_of(&first_blocks[f.block]).contains(&r.block))
            .and_then(|f| f.kept_in_document);
    }
    (lines, removed)
}

/// The trims of a pass of [`settle`] (cuts as byte ranges of its clean text, whose kept lines
/// start at the offsets of `origin`) in lines of the input, each cut in the line that holds it
/// whole; `None` when a cut crosses a line break (it cannot be made in lines). `to_lines` maps
/// a block of the pass to the input lines it is made of.
fn trims_in_input_lines(
    lines: &segment::Segmented,
    origin: &[(usize, usize)],
    pass_trims: &[canonical::Trim],
    to_lines: impl Fn(usize) -> Vec<usize>,
) -> Option<Vec<canonical::Trim>> {
    let mut out: Vec<canonical::Trim> = Vec::new();
    for t in pass_trims {
        let kept: Vec<usize> = t.kept.iter().flat_map(|&k| to_lines(k)).collect();
        for c in &t.cuts {
            let i = origin.partition_point(|o| o.0 <= c.start).checked_sub(1)?;
            let (at, l) = origin[i];
            let b = lines.blocks[l];
            let cut = b.start + (c.start - at)..b.start + (c.end - at);
            if cut.end > b.end {
                return None;
            }
            match out.last_mut() {
                Some(last) if last.block == l => last.cuts.push(cut),
                _ => out.push(canonical::Trim {
                    block: l,
                    cuts: vec![cut],
                    score: t.score,
                    kept: kept.clone(),
                    why: t.why,
                }),
            }
        }
    }
    Some(out)
}

/// Cleans the kept lines of `text` again under `auto` until a pass removes nothing (at most a
/// few passes: each one removes at least one block), and returns the result in lines, with the
/// trims of that last pass when each of its cuts lies in one line.
fn settle(
    text: &str,
    options: &Options,
    lines: segment::Segmented,
    mut removed: Vec<Option<Removal>>,
) -> DocResult {
    let mut trims = Vec::new();
    for _ in 0..8 {
        let kept = KeptLines::of(text, &lines, &removed);
        let pass = dedup_with_unit(&kept.clean, options, Unit::Auto);
        let blocks = &pass.segmented.blocks;
        let to_lines = |k: usize| kept.lines_of(blocks[k]);
        if pass.removals.is_empty() {
            // A second run reads the clean text as this pass did and makes its trims (fuzzing
            // finding: dropping them broke idempotence). [`dedup_text`] keeps them only when
            // they stand, as it does for any trim.
            trims = trims_in_input_lines(&lines, &kept.origin, &pass.trims, to_lines)
                .unwrap_or_default();
            break;
        }
        remove_lines(&mut removed, &pass.removals, to_lines);
    }
    let removals = carriers_that_stay(text, options, &lines, &removed);
    let flags = removed.iter().map(Option::is_some).collect();
    let mut keys = keys_of(text, &lines);
    trimmed_keys(text, &lines, &trims, &mut keys);
    DocResult {
        segmented: lines,
        removals,
        trims,
        removed: flags,
        keys,
        fragile: false,
        settled: true,
    }
}

/// The clean text of the lines of a document that stay, with the input line each of its
/// lines comes from.
struct KeptLines {
    /// The lead, then each kept line with the separator after it.
    clean: String,
    /// (offset in `clean`, input line) of each kept line, in order.
    origin: Vec<(usize, usize)>,
}

impl KeptLines {
    /// The lines of `text` (cut as `lines`) with no removal in `removed`.
    fn of(text: &str, lines: &segment::Segmented, removed: &[Option<Removal>]) -> Self {
        let mut clean = String::new();
        let mut origin: Vec<(usize, usize)> = Vec::new();
        let kept: Vec<usize> = (0..lines.blocks.len())
            .filter(|&l| removed[l].is_none())
            .collect();
        clean.push_str(&text[..lines.lead_end]);
        for (k, &l) in kept.iter().enumerate() {
            let b = lines.blocks[l];
            origin.push((clean.len(), l));
            clean.push_str(&text[b.start..b.end]);
            clean.push_str(&text[segment::separator_after(&lines.blocks, &b, k + 1 == kept.len())]);
        }
        KeptLines { clean, origin }
    }

    /// The input line of the byte of `clean` at `offset` (the line before it, for a separator).
    fn input_line(&self, offset: usize) -> usize {
        let i = self
            .origin
            .partition_point(|o| o.0 <= offset)
            .saturating_sub(1);
        self.origin.get(i).map_or(0, |o| o.1)
    }

    /// The input lines that block `b` of `clean` is made of.
    fn lines_of(&self, b: segment::Block) -> Vec<usize> {
        (self.input_line(b.start)..=self.input_line(b.end.saturating_sub(1).max(b.start))).collect()
    }
}

/// Marks the input lines of each of a pass's `removals` removed (`to_lines` maps a block of the
/// pass to its input lines), kept for the lines of its carriers.
fn remove_lines(
    removed: &mut [Option<Removal>],
    removals: &[Removal],
    to_lines: impl Fn(usize) -> Vec<usize>,
) {
    for r in removals {
        let kept_lines: Vec<usize> = r.kept.iter().flat_map(|&k| to_lines(k)).collect();
        for l in to_lines(r.block) {
            removed[l] = Some(Removal {
                block: l,
                kind: r.kind,
                score: r.score,
                kept: kept_lines.clone(),
                kept_in_document: None,
                why: r.why,
            });
        }
    }
}

/// The removals of `removed` with carriers that stay: a line that a later pass removed passes
/// its own carriers on, and the kind and score are restated for those.
fn carriers_that_stay(
    text: &str,
    options: &Options,
    lines: &segment::Segmented,
    removed: &[Option<Removal>],
) -> Vec<Removal> {
    let line = |i: usize| &text[lines.blocks[i].start..lines.blocks[i].end];
    canonical::resolve_carriers(removed, |a, kind, carriers| {
        let feats: Vec<fingerprint::Features> = carriers
            .iter()
            .map(|&b| fingerprint::features(line(b)))
            .collect();
        let carriers: Vec<(usize, &str, &fingerprint::Features)> = carriers
            .iter()
            .zip(&feats)
            .map(|(&b, f)| (b, line(b), f))
            .collect();
        let a_feats = fingerprint::features(line(a));
        canonical::score_against(options.metric, kind, (line(a), &a_feats), &carriers)
    })
}

fn dedup_with_unit(text: &str, options: &Options, unit: Unit) -> DocResult {
    let segmented = segment::segment(text, unit);
    decide_blocks(text, options, segmented, &[], &Memo::default(), None)
}

/// Decides a segmented document; blocks with `gone[i]` true are left out (see
/// [`canonical::decide`]) and not marked removed.
fn decide_blocks(
    text: &str,
    options: &Options,
    segmented: segment::Segmented,
    gone: &[bool],
    memo: &Memo,
    seen: Option<&mut Seen>,
) -> DocResult {
    let texts: Vec<&str> = segmented
        .blocks
        .iter()
        .map(|b| &text[b.start..b.end])
        .collect();
    let features = BlockFeatures::new(&texts, memo);
    let feats = features.refs();
    let decision = canonical::decide(
        &texts,
        &feats,
        canonical::Settings {
            threshold: options.threshold,
            metric: options.metric,
            keep: options.keep,
            trim: options.trim,
        },
        gone,
    );
    let mut removed = vec![false; segmented.blocks.len()];
    for r in &decision.removals {
        removed[r.block] = true;
    }
    let trims: Vec<canonical::Trim> = decision
        .trims
        .into_iter()
        .map(|mut t| {
            let start = segmented.blocks[t.block].start;
            for c in &mut t.cuts {
                *c = c.start + start..c.end + start;
            }
            t
        })
        .collect();
    let mut keys: Vec<BlockKey> = feats.iter().map(|f| BlockKey::of(f)).collect();
    drop(feats);
    trimmed_keys(text, &segmented, &trims, &mut keys);
    // Only a reading with trims is read again (see [`dedup_text`]).
    if let Some(seen) = seen.filter(|_| !trims.is_empty()) {
        // Each computed text once, with the range of a block that holds it.
        let mut ranges = vec![0..0; features.computed.len()];
        for (&k, b) in features.of_block.iter().zip(&segmented.blocks).rev() {
            if k & KNOWN == 0 {
                ranges[k] = b.start..b.end;
            }
        }
        *seen = Seen {
            ranges,
            feats: features.computed,
        };
    }
    DocResult {
        segmented,
        removals: decision.removals,
        trims,
        removed,
        keys,
        fragile: decision.fragile,
        settled: false,
    }
}

/// The features of `texts`, computed once per distinct text (a document of a million copies of
/// one line holds one `Features`, not a million) and not at all for texts in `memo`.
struct BlockFeatures<'m> {
    /// The features computed for this reading, one per distinct text not in the memo.
    computed: Vec<fingerprint::Features>,
    /// Features found in the memo.
    known: Vec<&'m fingerprint::Features>,
    /// For each block, the index of its features in `computed`, or with [`KNOWN`] set, in
    /// `known`.
    of_block: Vec<usize>,
}

/// The bit of [`BlockFeatures::of_block`] that says "in `known`".
const KNOWN: usize = 1 << (usize::BITS - 1);

impl<'m> BlockFeatures<'m> {
    fn new(texts: &[&str], memo: &'m Memo) -> Self {
        let mut known = Vec::new();
        // First, for each block, the first block with the same text (itself if none), or its
        // index in `known`; then the index of its features.
        let mut of_block: Vec<usize> = (0..texts.len()).collect();
        {
            // (hash, block), sorted: equal texts side by side, the first one first. Sorting
            // takes less memory than a hash map of every distinct text.
            let mut by_hash: Vec<(u64, usize)> = texts
                .par_iter()
                .with_min_len(candidates::MIN_SPLIT)
                .map(|t| memo_key(t))
                .enumerate()
                .filter_map(|(i, h)| match memo.get(h, texts[i]) {
                    Some(_) => None,
                    None => Some((h, i)),
                })
                .collect();
            by_hash.par_sort_unstable();
            for group in by_hash.chunk_by(|a, b| a.0 == b.0) {
                for (at, &(_, i)) in group.iter().enumerate() {
                    // Usually one text per hash; a collision compares the texts.
                    if let Some(&(_, first)) = group[..at].iter().find(|x| texts[x.1] == texts[i]) {
                        of_block[i] = of_block[first];
                    }
                }
            }
        }
        let mut todo: Vec<usize> = Vec::new();
        for i in 0..texts.len() {
            let first = of_block[i];
            if first < i {
                of_block[i] = of_block[first];
            } else if let Some(f) = memo.find(texts[i]) {
                of_block[i] = known.len() | KNOWN;
                known.push(f);
            } else {
                of_block[i] = todo.len();
                todo.push(i);
            }
        }
        let computed = todo
            .par_iter()
            .with_min_len(candidates::MIN_SPLIT)
            .map(|&i| fingerprint::features(texts[i]))
            .collect();
        BlockFeatures {
            computed,
            known,
            of_block,
        }
    }

    /// The features of each block.
    fn refs(&self) -> Vec<&fingerprint::Features> {
        self.of_block
            .iter()
            .map(|&k| {
                if k & KNOWN == 0 {
                    &self.computed[k]
                } else {
                    self.known[k & !KNOWN]
                }
            })
            .collect()
    }
}

/// True when removing blocks from `text` may change how it is read: `auto`, and a blank line
/// somewhere (without one, any part of the text reads in lines too).
pub fn reading_may_change(text: &str, options: &Options) -> bool {
    options.unit == Unit::Auto && segment::has_blank_line(text)
}

/// True when `text`, cleaned as `result` says and without the blocks with `gone[i]` true, is
/// still read in the same blocks by `auto` and a second run's decision inside the document
/// removes nothing more from it (the corpus pass removes those blocks; a record read in
/// paragraphs that would then read in lines would be cut differently by a second run, and
/// with its first paragraph gone another one is the lead-in, which can change what the record
/// keeps). Always true for an explicit unit, and for text without a blank line.
pub fn keeps_its_reading(text: &str, options: &Options, result: &DocResult, gone: &[bool]) -> bool {
    if !reading_may_change(text, options) {
        return true;
    }
    let mut without = result.clone();
    for (r, &g) in without.removed.iter_mut().zip(gone) {
        *r |= g;
    }
    let clean = without.render(text);
    if segment::choose_unit(&clean) != result.segmented.unit && !same_blocks(&clean) {
        return false;
    }
    // (A document `auto` settles in lines has removals: this covers that too.)
    dedup_text(&clean, options).removals.is_empty()
}

/// Decides `result`'s document again, its blocks cut the same way, as if the blocks with
/// `gone[i]` true were not there (the corpus pass removes them): a teaser kept below the lead-in
/// may now be in it. Those blocks are not marked removed in the result.
pub fn redecide(text: &str, options: &Options, result: &DocResult, gone: &[bool]) -> DocResult {
    decide_blocks(
        text,
        options,
        result.segmented.clone(),
        gone,
        &Memo::default(),
        None,
    )
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
        for r in self.pieces() {
            out.write_all(&text.as_bytes()[r])?;
        }
        Ok(())
    }

    /// Byte ranges of the input that make the clean document, in order: the lead, then each
    /// kept block (without the ranges a trim cuts out of it) with its separator (the last one
    /// with the document's final separator).
    fn pieces(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.pieces_by_block().map(|(_, r)| r)
    }

    /// [`Self::pieces`], each with the kept block it belongs to (`None` for the lead and the
    /// separators).
    fn pieces_by_block(
        &self,
    ) -> impl Iterator<Item = (Option<usize>, std::ops::Range<usize>)> + '_ {
        let blocks = &self.segmented.blocks;
        let last_kept = (0..blocks.len()).rev().find(|&i| !self.removed[i]);
        let lead = std::iter::once((None, 0..self.segmented.lead_end));
        let mut trims = self.trims.iter().peekable();
        lead.chain(
            (0..blocks.len())
                .filter(|&i| !self.removed[i])
                .flat_map(move |i| {
                    let b = blocks[i];
                    let sep = segment::separator_after(blocks, &b, Some(i) == last_kept);
                    while trims.next_if(|t| t.block < i).is_some() {}
                    let cuts: &[std::ops::Range<usize>] =
                        trims.next_if(|t| t.block == i).map_or(&[], |t| &t.cuts);
                    // The parts between the cuts, then the separator.
                    (0..=cuts.len())
                        .map(move |k| {
                            let start = k.checked_sub(1).map_or(b.start, |p| cuts[p].end);
                            let end = cuts.get(k).map_or(b.end, |c| c.start);
                            (Some(i), start..end)
                        })
                        .chain(std::iter::once((None, sep)))
                }),
        )
    }

    /// The kept blocks in order, each with the offset where it starts in the clean document.
    pub(crate) fn kept_offsets(&self) -> Vec<(usize, usize)> {
        let mut at = 0usize;
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (block, r) in self.pieces_by_block() {
            if let Some(i) = block {
                if out.last().is_none_or(|&(last, _)| last != i) {
                    out.push((i, at));
                }
            }
            at += r.len();
        }
        out
    }

    /// True when cleaning changes nothing: no block removed, none trimmed.
    pub fn changes_nothing(&self) -> bool {
        self.removals.is_empty() && self.trims.is_empty()
    }

    /// The clean document as a string.
    pub fn render(&self, text: &str) -> String {
        let mut s = String::with_capacity(self.bytes_out());
        for r in self.pieces() {
            // Blocks and separators start and end at character boundaries.
            s.push_str(text.get(r).unwrap_or_default());
        }
        s
    }

    /// Bytes of the clean document.
    pub fn bytes_out(&self) -> usize {
        self.pieces().map(|r| r.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removal(block: usize, kept: Vec<usize>) -> Removal {
        Removal {
            block,
            kind: canonical::Kind::Exact,
            score: 0.5,
            kept,
            kept_in_document: None,
            why: canonical::Why::Earlier,
        }
    }

    #[test]
    fn kept_lines_map_back_to_the_input_lines() {
        let text = "\nfirst\nsecond\nthird\n";
        let lines = segment::segment(text, Unit::Line);
        let kept = KeptLines::of(text, &lines, &[None, Some(removal(1, vec![0])), None]);
        assert_eq!(kept.clean, "\nfirst\nthird\n");
        assert_eq!(kept.origin, [(1, 0), (7, 2)]);
        // The lead and the first line's separator belong to the line before them.
        let at: Vec<usize> = (0..kept.clean.len()).map(|o| kept.input_line(o)).collect();
        assert_eq!(at, [0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2]);
        let pass = segment::segment(&kept.clean, Unit::Line);
        assert_eq!(kept.lines_of(pass.blocks[1]), [2]);
        let all: Vec<Option<Removal>> = (0..3).map(|l| Some(removal(l, vec![]))).collect();
        let nothing = KeptLines::of(text, &lines, &all);
        assert_eq!((nothing.clean.as_str(), nothing.origin.len()), ("\n", 0));
    }

    #[test]
    fn a_pass_removes_the_input_lines_of_its_blocks() {
        let mut removed = vec![None; 5];
        // Block k of the pass is made of input lines 2k and 2k + 1.
        remove_lines(&mut removed, &[removal(1, vec![0])], |k| {
            vec![2 * k, 2 * k + 1]
        });
        let gone: Vec<Option<(usize, Vec<usize>)>> = removed
            .iter()
            .map(|r| r.as_ref().map(|r| (r.block, r.kept.clone())))
            .collect();
        assert_eq!(
            gone,
            [
                None,
                None,
                Some((2, vec![0, 1])),
                Some((3, vec![0, 1])),
                None
            ]
        );
    }

    #[test]
    fn carriers_that_stay_replace_carriers_removed_later() {
        let line = "The river rose two metres overnight and the old bridge was closed to traffic";
        let text = format!("{line}\n{line}\n{line}\n");
        let lines = segment::segment(&text, Unit::Line);
        // Line 2 is carried by line 1, which a later pass removed as a copy of line 0.
        let removed = [None, Some(removal(1, vec![0])), Some(removal(2, vec![1]))];
        let removals = carriers_that_stay(&text, &Options::default(), &lines, &removed);
        let got: Vec<(usize, Vec<usize>)> =
            removals.iter().map(|r| (r.block, r.kept.clone())).collect();
        assert_eq!(got, [(1, vec![0]), (2, vec![0])]);
        // The score of the passed-on carrier is restated: the lines are equal.
        assert!((removals[1].score - 1.0).abs() < 1e-12, "{removals:?}");
    }

    #[test]
    fn blocks_with_the_same_text_share_one_computation() {
        let texts = [
            "one two three",
            "four",
            "one two three",
            "One two three",
            "four",
        ];
        let memo = Memo::default();
        let f = BlockFeatures::new(&texts, &memo);
        assert_eq!(f.computed.len(), 3);
        assert_eq!(f.of_block, [0, 1, 0, 2, 1]);
        let refs = f.refs();
        for (t, r) in texts.iter().zip(&refs) {
            assert_eq!(r.key_hash, fingerprint::features(t).key_hash);
        }
    }

    #[test]
    fn texts_of_the_first_reading_are_not_computed_again() {
        let first = "kept line\nother line\n";
        let seen = Seen {
            ranges: std::iter::once(0..9).collect(),
            feats: vec![fingerprint::features("kept line")],
        };
        let memo = Memo::new(first, seen);
        let texts = ["new line", "kept line", "new line", "kept line"];
        let f = BlockFeatures::new(&texts, &memo);
        assert_eq!(f.computed.len(), 1);
        assert_eq!(f.known.len(), 2);
        assert_eq!(f.of_block, [0, KNOWN, 0, KNOWN | 1]);
        // A text that only hashes like a known one is not taken for it.
        assert!(memo.get(memo_key("kept line"), "kept lime").is_none());
    }
}
