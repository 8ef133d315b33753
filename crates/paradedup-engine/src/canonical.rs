//! Canonical: the blocks of one document and their features → which blocks stay.
//!
//! Deterministic, whatever the thread count: the parallel steps only compute facts per block
//! (collected in block order); every decision is taken sequentially in a fixed order.
//! 1. Exact and token-equal copies: the first copy stays.
//! 2. Contained blocks: every block covered by kept blocks is a candidate; candidates are taken
//!    largest first (the run-together teaser before its body paragraphs), and each is checked
//!    again against the blocks that still stay before it goes. Nothing unique is lost: a block
//!    goes only while the blocks that carry its content stay.
//! 3. Near copies among what is left (verified by [`crate::similarity`]): of a pair, the block
//!    with fewer tokens goes, so the fuller text stays; at equal length the later one goes.

use rayon::prelude::*;

use crate::candidates::{candidates, Lists};
use crate::fingerprint::{Features, HashMap64};
use crate::normalize::{fold_key, normalize};
use crate::similarity::{meaning_differs_in, similarity, Metric};
use crate::verify::{coverage, pieces, Coverage, GramSets, SharedGrams, MIN_RUN};
use crate::zones::{preference, zones, Zone};

/// Why a block was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Kind {
    /// Equal to an earlier block after normalization.
    Exact,
    /// The same passage as a kept block, with small differences.
    Near,
    /// Covered by one or more kept blocks.
    Contained,
    /// A short block repeated across many documents (corpus scope).
    Boilerplate,
    /// A kept block's repeated part, cut out of it (the rest of the block stays).
    Trimmed,
}

impl Kind {
    /// The kind of a removal whose carrier went in its turn with kind `next`: what the first
    /// block is to the blocks that carry the second, the weaker of the two promises. An exact
    /// copy is the block itself, so `exact` changes nothing; a step through a near copy may
    /// lose the words in which the copies differ, so the whole is `near`; a block contained in
    /// blocks that are themselves contained elsewhere is contained there.
    pub fn then(self, next: Kind) -> Kind {
        match (self, next) {
            (Kind::Exact, k) | (k, Kind::Exact) => k,
            (Kind::Near, _) | (_, Kind::Near) => Kind::Near,
            (Kind::Contained, _) | (_, Kind::Contained) => Kind::Contained,
            (Kind::Boilerplate, Kind::Boilerplate) => Kind::Boilerplate,
            (Kind::Trimmed, _) | (_, Kind::Trimmed) => Kind::Contained,
        }
    }

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Exact => "exact",
            Kind::Near => "near",
            Kind::Contained => "contained",
            Kind::Boilerplate => "boilerplate",
            Kind::Trimmed => "trimmed",
        }
    }
}

/// One removed block.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// Index of the removed block.
    pub block: usize,
    /// Why it was removed.
    pub kind: Kind,
    /// Evidence: similarity for exact/near, covered share for contained.
    pub score: f64,
    /// Kept blocks that carry its content, ascending.
    pub kept: Vec<usize>,
    /// Corpus scope: the ordinal (0-based, input order) of the earlier document that keeps the
    /// content.
    pub kept_in_document: Option<u64>,
    /// Why the blocks in [`Removal::kept`] stay rather than this one.
    pub why: Why,
}

/// Why one copy stays rather than another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Why {
    /// It comes first (`--keep first`, or copies in the same part of the page).
    Earlier,
    /// It is in the article body; this copy is in the head or the tail of the page.
    InBody,
    /// A heading or label: it is above the article and nearest to it (the headline rather than
    /// the title, or than a copy printed again further down).
    NearerArticle,
    /// It is the fuller text of a near copy.
    Fuller,
    /// Its content is spread over the kept blocks (a contained or run-together copy).
    Carried,
    /// Another document of the run holds it (corpus scope).
    EarlierDocument,
    /// The block repeats these words further on: the later copy, in the text it belongs to,
    /// stays.
    RepeatedInBlock,
}

impl Why {
    /// The words `--explain` and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Earlier => "the earlier copy stays",
            Why::InBody => "the copy in the article body stays",
            Why::NearerArticle => "the copy nearer the article stays",
            Why::Fuller => "the fuller copy stays",
            Why::Carried => "its content stays in the kept blocks",
            Why::EarlierDocument => "an earlier document keeps it",
            Why::RepeatedInBlock => "the block repeats it further on",
        }
    }
}

/// Which copy of a content stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Keep {
    /// The copy in the article body, else the one nearest to it (the zones of the page say where the article is).
    #[default]
    #[cfg_attr(
        feature = "clap",
        value(
            help = "The copy in the article body (the run of prose paragraphs), else the one nearest to it: the headline rather than the title, the paragraph rather than the description"
        )
    )]
    Body,
    /// The first copy in the document.
    #[cfg_attr(feature = "clap", value(help = "The first copy in the document"))]
    First,
}

/// Matching settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Least similarity for a near duplicate, in `[0, 1]`.
    pub threshold: f64,
    /// The similarity measure.
    pub metric: Metric,
    /// Which copy stays.
    pub keep: Keep,
    /// Cut the repeated part out of a block that also holds something unique (`--whole-blocks`
    /// turns it off).
    pub trim: bool,
}

/// Share of a carrier covered by two or more other kept blocks above which it counts as a
/// run-together copy of them rather than as the original.
pub const RUN_TOGETHER_SHARE: f64 = 0.7;

/// True when a block reads as a paragraph of prose: [`MIN_RUN`] words or more, ending a sentence
/// (full stops of the Latin, CJK, Arabic and Devanagari scripts; closing quotes and brackets
/// after it).
pub fn is_prose(text: &str, f: &Features) -> bool {
    f.tokens.len() >= MIN_RUN
        && text
            .trim_end()
            .trim_end_matches([
                '"', '\'', ')', ']', '\u{201D}', '\u{2019}', '\u{BB}', '\u{300D}', '\u{300F}',
                '\u{FF09}',
            ])
            .ends_with([
                '.', '!', '?', '\u{2026}', '\u{3002}', '\u{FF01}', '\u{FF1F}', '\u{FF0E}',
                '\u{061F}', '\u{06D4}', '\u{0964}', '\u{0965}',
            ])
}

/// Index of the last block of the lead-in: the first kept paragraph of prose (`prose[i]`, see
/// [`is_prose`]), or the last block when there is none. Titles, date lines and navigation come
/// before it, and so do the teasers that repeat the article's opening.
///
/// `*from` is a cursor that only moves forward: blocks before it are removed for good or no
/// prose, so the search does not start over at the top for every candidate (which made a
/// document without prose, where the lead-in is the whole document, quadratic).
fn lead_in_end(
    prose: &[bool],
    kept: &[bool],
    removed: &[Option<Removal>],
    from: &mut usize,
) -> usize {
    while *from < prose.len() && (!prose[*from] || removed[*from].is_some()) {
        *from += 1;
    }
    (*from..prose.len())
        .find(|&i| kept[i] && prose[i])
        .unwrap_or(prose.len().saturating_sub(1))
}

/// Most words a later block may add to a whole earlier block and still be its copy anywhere in
/// the document (button labels glued on: "...to a modern browser.GoogleFirefox"); a block that
/// adds more extends it, which only a teaser in the lead-in may be removed for.
const GLUED_TAIL_MAX: usize = 2;

/// Most words a copy may carry beside the content it repeats: a site name, a breadcrumb, the
/// label of a share box.
const RESIDUE_MAX: usize = 6;

/// Most words of the site name a page title carries beside its heading (`Team | AVANTEC`).
const TITLE_SITE_MAX: usize = 4;

/// Most words of a short label (a link, a button, a crumb) whose words mark a residue as
/// navigation.
const LABEL_WORDS_MAX: usize = 4;

/// Longest block (in characters) compared character by character for near copies.
pub const NEAR_MAX_CHARS: usize = 20_000;

/// Most rounds of steps 2 and 3; a round that removes nothing ends the loop earlier.
const MAX_ROUNDS: usize = 16;

/// Fewest tokens a block needs for fuzzy near matching; shorter blocks must be token-equal.
pub const NEAR_MIN_TOKENS: usize = MIN_RUN;

/// The removals of `removed` (indexed by block), each pointed at blocks that stay: a carrier
/// removed in its turn is replaced by its own carriers (content moved on, never lost), and the
/// removal's kind and score are restated for the blocks it now names, so that they describe
/// the removed block against those (with lines A, A, B and B a near copy of A, the second A
/// is a near copy of B, with A's score against B, not an exact one). The kind follows
/// [`Kind::then`]. The score of an exact copy is 1; after one step that is not an exact copy,
/// that step's score (an exact copy has the same words and characters); after more,
/// `rescore(block, kind, carriers)` measures it (see [`score_against`]).
pub(crate) fn resolve_carriers(
    removed: &[Option<Removal>],
    rescore: impl Fn(usize, Kind, &[usize]) -> f64,
) -> Vec<Removal> {
    // Sized exactly: a document of repeated lines removes nearly every block.
    let mut out = Vec::with_capacity(removed.iter().flatten().count());
    for r in removed.iter().flatten() {
        let mut r = r.clone();
        let mut stack = std::mem::take(&mut r.kept);
        let mut stays = Vec::with_capacity(stack.len());
        let mut kind = r.kind;
        // The steps that are not exact copies, and the score of the last one.
        let mut steps = usize::from(r.kind != Kind::Exact);
        let mut step_score = r.score;
        let mut moved = false;
        let mut guard = 0usize;
        while let Some(b) = stack.pop() {
            guard += 1;
            if guard > 10_000 {
                break;
            }
            match removed.get(b).and_then(Option::as_ref) {
                Some(rb) => {
                    moved = true;
                    // The last step says why the blocks at the end of the chain stay.
                    r.why = rb.why;
                    kind = kind.then(rb.kind);
                    if rb.kind != Kind::Exact {
                        steps += 1;
                        step_score = rb.score;
                    }
                    stack.extend(rb.kept.iter().copied());
                }
                None => stays.push(b),
            }
        }
        stays.sort_unstable();
        stays.dedup();
        if moved {
            r.score = match (kind, steps) {
                (Kind::Exact, _) => 1.0,
                (_, 1) => step_score,
                _ => rescore(r.block, kind, &stays),
            };
            r.kind = kind;
        }
        r.kept = stays;
        out.push(r);
    }
    out
}

/// The score of a removed block `a` (text and features) of `kind` against the blocks that
/// carry its content: for a near copy of one block, their similarity (as the near step
/// measures it); otherwise (contained, or a near copy of a block whose content is spread over
/// several blocks) the share of its words that those blocks cover.
pub(crate) fn score_against(
    metric: Metric,
    kind: Kind,
    a: (&str, &Features),
    carriers: &[(usize, &str, &Features)],
) -> f64 {
    let key = |t: &str| fold_key(t, &normalize(t, false));
    match (kind, carriers) {
        (Kind::Near, [(_, text, _)]) => similarity(metric, &key(a.0), &key(text)),
        _ => coverage(a.1, carriers.iter().map(|&(b, _, f)| (b, f))).score,
    }
}

/// Groups `blocks` (ascending) by `key`; of each group of two or more, the block with the
/// smallest `rank` stays and `remove(goes, stays)` is called for each other one. Returns the
/// blocks that stay, ascending.
fn copies_of(
    blocks: &[usize],
    key: impl Fn(usize) -> u64,
    rank: impl Fn(usize) -> (u8, usize),
    mut remove: impl FnMut(usize, usize),
) -> Vec<usize> {
    // The first block of each key, and the later copies with the first one of their key.
    let mut first: HashMap64<usize> = HashMap64::default();
    first.reserve(blocks.len());
    let mut copies: Vec<(usize, usize)> = Vec::new();
    for &i in blocks {
        match first.entry(key(i)) {
            std::collections::hash_map::Entry::Occupied(e) => copies.push((*e.get(), i)),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    drop(first);
    if copies.is_empty() {
        return blocks.to_vec();
    }
    // Stable: within a group the copies stay in block order.
    copies.sort_by_key(|&(f, _)| f);
    let mut gone = vec![false; blocks.last().map_or(0, |&l| l + 1)];
    for group in copies.chunk_by(|x, y| x.0 == y.0) {
        let members = std::iter::once(group[0].0).chain(group.iter().map(|&(_, i)| i));
        let Some(stays) = members.clone().min_by_key(|&i| rank(i)) else {
            continue;
        };
        for goes in members.filter(|&i| i != stays) {
            gone[goes] = true;
            remove(goes, stays);
        }
    }
    blocks.iter().copied().filter(|&i| !gone[i]).collect()
}

/// The zone of each block, shared by the parallel steps and updated between rounds.
struct ZoneCells(Vec<std::sync::atomic::AtomicU8>);

impl ZoneCells {
    fn code(z: Zone) -> u8 {
        match z {
            Zone::Head => 0,
            Zone::Body => 1,
            Zone::Tail => 2,
            Zone::Page => 3,
        }
    }

    fn new(zones: &[Zone]) -> Self {
        ZoneCells(
            zones
                .iter()
                .map(|&z| std::sync::atomic::AtomicU8::new(Self::code(z)))
                .collect(),
        )
    }

    fn get(&self, i: usize) -> Zone {
        match self.0[i].load(std::sync::atomic::Ordering::Relaxed) {
            0 => Zone::Head,
            1 => Zone::Body,
            2 => Zone::Tail,
            _ => Zone::Page,
        }
    }

    /// Sets the zones; true when one changed.
    fn set(&self, zones: &[Zone]) -> bool {
        let mut changed = false;
        for (cell, &z) in self.0.iter().zip(zones) {
            let code = Self::code(z);
            changed |= cell.swap(code, std::sync::atomic::Ordering::Relaxed) != code;
        }
        changed
    }
}

/// What step 4 does with a block.
enum Fate {
    /// Its rest would go in a second run: it goes whole now.
    Remove(Removal),
    /// It stays with these cuts.
    Trim(Trim),
}

/// A kept block with a repeated part cut out (the trim stage).
#[derive(Debug, Clone, PartialEq)]
pub struct Trim {
    /// Index of the block.
    pub block: usize,
    /// Byte ranges of the block's text that go (relative to the block's start), ascending.
    pub cuts: Vec<std::ops::Range<usize>>,
    /// Share of the block's words cut.
    pub score: f64,
    /// Kept blocks that carry what was cut (the block itself when it repeats its own opening).
    pub kept: Vec<usize>,
    /// Why the other copy stays rather than this part.
    pub why: Why,
}

/// What [`decide`] found for one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The removals, in block order.
    pub removals: Vec<Removal>,
    /// The kept blocks that lose a repeated part, in block order.
    pub trims: Vec<Trim>,
    /// A block stayed because of other blocks: a teaser-like block below the lead-in, or a
    /// block whose carrier reads as a run-together of other kept blocks. Removing blocks (as
    /// the corpus pass may) can change the answer.
    pub fragile: bool,
}

/// The removal of block `goes`, a copy of block `stays` with the same text (`Exact`) or the
/// same words (`Near`, scored 1.0).
fn copy_removal(goes: usize, stays: usize, kind: Kind, why: Why) -> Removal {
    Removal {
        block: goes,
        kind,
        score: 1.0,
        kept: vec![stays],
        kept_in_document: None,
        why,
    }
}

/// What every step of [`decide`] reads of the document: its blocks, which of them are prose,
/// and where each sits on the page.
struct Page<'a> {
    texts: &'a [&'a str],
    feats: &'a [&'a Features],
    settings: Settings,
    gone: &'a [bool],
    prose: Vec<bool>,
    words: Vec<usize>,
    /// Recomputed from what stays whenever that changes (see `zones`): a second run must find
    /// the zones this one ends with.
    zone: ZoneCells,
}

impl<'a> Page<'a> {
    fn new(
        texts: &'a [&'a str],
        feats: &'a [&'a Features],
        settings: Settings,
        gone: &'a [bool],
    ) -> Self {
        let prose: Vec<bool> = texts
            .iter()
            .zip(feats)
            .map(|(t, f)| is_prose(t, f))
            .collect();
        let words: Vec<usize> = feats.iter().map(|f| f.tokens.len()).collect();
        let present: Vec<bool> = (0..feats.len())
            .map(|i| !gone.get(i).copied().unwrap_or(false))
            .collect();
        let zone = ZoneCells::new(&zones(&prose, &words, &present));
        Page {
            texts,
            feats,
            settings,
            gone,
            prose,
            words,
            zone,
        }
    }

    fn is_gone(&self, i: usize) -> bool {
        self.gone.get(i).copied().unwrap_or(false)
    }

    /// Smaller is preferred to stay.
    fn rank(&self, i: usize) -> (u8, usize) {
        match self.settings.keep {
            Keep::First => (0, i),
            Keep::Body => preference(self.zone.get(i), i, self.prose[i]),
        }
    }

    /// Why block `stays` stays rather than block `goes`.
    fn why(&self, stays: usize, goes: usize) -> Why {
        match self.settings.keep {
            Keep::First => Why::Earlier,
            Keep::Body => match (self.zone.get(stays), self.zone.get(goes)) {
                (Zone::Body, Zone::Head | Zone::Tail) if self.prose[stays] => Why::InBody,
                (Zone::Head, Zone::Head) if stays > goes => Why::NearerArticle,
                (Zone::Head, Zone::Body | Zone::Tail) => Why::NearerArticle,
                _ => Why::Earlier,
            },
        }
    }

    /// The part of the page, better first: the body (or a page without one), the head, the tail.
    fn place(&self, i: usize) -> u8 {
        match self.zone.get(i) {
            Zone::Body | Zone::Page => 0,
            Zone::Head => 1,
            Zone::Tail => 2,
        }
    }

    /// With `--keep body`, content stays in the better place: a block may be carried only by
    /// blocks in the same part of the page or a better one (a paragraph of the body never goes
    /// for the description or a teaser box that contains it; the headline never goes for the
    /// title, the breadcrumb or the share box that quote it).
    fn may_carry(&self, b: usize, a: usize) -> bool {
        match (self.settings.keep, self.zone.get(a), self.zone.get(b)) {
            (Keep::First, _, _) | (_, Zone::Page, _) | (_, _, Zone::Page) => true,
            // A heading above the article is not carried by a longer label in it (a share box
            // quoting the headline); a paragraph of the body carries anything above it, and a
            // bare heading the copy with a site name (the title).
            (Keep::Body, Zone::Head, Zone::Body) => {
                self.prose[a]
                    || self.prose[b]
                    || self.feats[b].tokens.len() <= self.feats[a].tokens.len()
            }
            // Above the article, the copy nearer to it carries the one further up.
            (Keep::Body, Zone::Head, Zone::Head) => b > a,
            (Keep::Body, _, _) => self.place(b) <= self.place(a),
        }
    }

    /// Blocks that other blocks may carry only as the lesser copy: outside the body's prose.
    fn class(&self, i: usize) -> u8 {
        self.rank(i).0
    }
}

/// The page with its candidate pairs (from step 2 on): the blocks that may carry or repeat each
/// block.
struct Matching<'a> {
    page: &'a Page<'a>,
    cands: Lists,
    /// The blocks that take part in some candidate pair, either side.
    paired: Vec<bool>,
    shared: SharedGrams,
    label_cell: std::sync::OnceLock<HashMap64<(usize, bool)>>,
}

impl<'a> Matching<'a> {
    /// The candidates of the blocks `kept` after step 1.
    fn new(page: &'a Page<'a>, kept: &[bool]) -> Self {
        let n = page.feats.len();
        let cands = candidates(page.feats, kept);
        let mut paired = vec![false; n];
        for (a, list) in cands.iter().enumerate() {
            if !list.is_empty() {
                paired[a] = true;
                for &b in list {
                    paired[b as usize] = true;
                }
            }
        }
        // What other blocks can cover at most (see `SharedGrams`): most blocks of formulaic text
        // share a phrase with many others and none of them carries the block. Only kept blocks
        // carry (an exact copy removed in step 1 would make every gram of the copy it left look
        // shared); fewer stay kept from round to round.
        let shared = SharedGrams::new(page.feats, (0..n).filter(|&i| paired[i] && kept[i]));
        Matching {
            page,
            cands,
            paired,
            shared,
            label_cell: std::sync::OnceLock::new(),
        }
    }

    /// What other blocks can cover at most (see `SharedGrams`): most blocks of formulaic text
    /// share a phrase with many others and none of them carries the block. Only kept blocks
    /// carry (an exact copy removed in step 1 would make every gram of the copy it left look
    /// shared); fewer stay kept from round to round.
    fn may_be_carried(&self, a: usize) -> bool {
        self.cands[a]
            .iter()
            .any(|&b| self.page.feats[b as usize].tokens.len() < MIN_RUN)
            || self.shared.may_be_carried(self.page.feats[a])
    }

    /// 2. What the kept blocks that may carry block `a` cover of it.
    fn cover(&self, a: usize, kept: &[bool]) -> Coverage {
        coverage(
            self.page.feats[a],
            self.cands[a]
                .iter()
                .map(|&b| b as usize)
                .filter(|&b| kept[b] && self.page.may_carry(b, a))
                .map(|b| (b, self.page.feats[b])),
        )
    }

    /// The words of the page's short labels (links, buttons, crumbs): word -> (a block holding
    /// it, whether another block does too).
    /// Built when first asked (few documents ever ask).
    fn label_words(&self) -> &HashMap64<(usize, bool)> {
        self.label_cell.get_or_init(|| {
            let mut words: HashMap64<(usize, bool)> = HashMap64::default();
            for (i, f) in self.page.feats.iter().enumerate() {
                if self.page.is_gone(i) || f.tokens.is_empty() || f.tokens.len() > LABEL_WORDS_MAX {
                    continue;
                }
                for &t in &f.tokens {
                    words
                        .entry(t)
                        .and_modify(|e| e.1 |= e.0 != i)
                        .or_insert((i, false));
                }
            }
            words
        })
    }

    /// 2b. A block outside the body's prose whose content is in better places, in order, but for
    /// a short label or site name at either end (`Home › News › Headline`, `Headline | Site`,
    /// `Share this story: Headline`), a cut last word (`the council appro…`), or headings that
    /// the body has too: a lead-in, title, breadcrumb or widget copy. It goes whole.
    fn copy_of_better(&self, b: usize, kept: &[bool]) -> Option<(Vec<usize>, f64)> {
        let f = &self.page.feats[b];
        let n = f.tokens.len();
        if self.page.settings.keep == Keep::First || self.page.class(b) == 0 || n == 0 {
            return None;
        }
        let better =
            |c: usize| c != b && kept[c] && self.page.may_carry(c, b) && !self.page.may_carry(b, c);
        let found = pieces(
            f,
            self.cands[b]
                .iter()
                .map(|&c| c as usize)
                .filter(|&c| better(c))
                .map(|c| (c, self.page.feats[c])),
        );
        let (covered, taken) = pieces_in_order(&found, n);
        // The copy is the longest covered stretch; a word covered beyond a gap (the site's
        // name, which its logo also prints) is part of the residue.
        let (first, end) = longest_stretch(&covered)?;
        let mut used = tokens_by_carrier(&taken, first..end);
        let (last, suffix) = self.cut_opening(b, &better, end - 1, &mut used);
        let core = last + 1 - first;
        // Residue: a few words (more in scripts where every character is a word).
        let most = RESIDUE_MAX.max(core / 2);
        // A short core with a label is often a label of its own ("© 2019 Site", "Tags: x").
        if first > most || suffix > most || first + suffix >= core || core < MIN_RUN {
            return None;
        }
        let whole = used.len() == 1 && self.page.feats[used[0].0].tokens.len() == core;
        if !self.residue_is_label(b, first, last, suffix, whole) {
            return None;
        }
        // One carrier holding the whole block is an ordinary contained copy (step 2 decides).
        if used.len() == 1 && first == 0 && suffix == 0 {
            return None;
        }
        // Pieces of words from several places are no copy: several carriers with a short piece
        // among them must sit together, as the parts of a run-together do.
        if used.len() > 1 && used.iter().any(|&(_, t)| t < MIN_RUN) {
            let span = used.last().map_or(0, |u| u.0) - used[0].0;
            if span > 3 * used.len() + 3 {
                return None;
            }
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "token counts are far below 2^52"
        )]
        let score = core as f64 / n as f64;
        let mut carriers: Vec<usize> = used.iter().map(|u| u.0).collect();
        carriers.dedup();
        Some((carriers, score))
    }

    /// The end of the copy in block `b` (covered up to token `last`) and the words after it,
    /// for a block cut with an ellipsis: its last word may be cut, and the words before it may
    /// be the opening of the next block that stays (`… all five. Our picks Most phones now
    /// la…`), which then joins `used`.
    fn cut_opening(
        &self,
        b: usize,
        better: &dyn Fn(usize) -> bool,
        last: usize,
        used: &mut Vec<(usize, usize)>,
    ) -> (usize, usize) {
        let f = &self.page.feats[b];
        let n = f.tokens.len();
        let suffix = n - 1 - last;
        let last_numeric = f.numeric.last().is_some_and(|&i| i as usize == n - 1);
        if !f.ellipsis_end || suffix == 0 || last_numeric {
            return (last, suffix);
        }
        let opening = &f.tokens[last + 1..n - 1];
        let after = used.last().map_or(0, |u| u.0);
        let next = (after + 1..self.page.feats.len().min(after + 5)).find(|&c| {
            better(c)
                && self.page.feats[c].tokens.len() > opening.len()
                && self.page.feats[c].tokens.starts_with(opening)
        });
        if let Some(c) = next {
            if !opening.is_empty() {
                used.push((c, opening.len()));
            }
            (n - 1, 0)
        } else if suffix == 1 {
            (last, 0)
        } else {
            (last, suffix)
        }
    }

    /// True when the words of block `b` around its copy (tokens `first..=last`, `suffix` words
    /// after it) are a label or site name: set off by a separator (`›`, `|`, `:`, a spaced
    /// dash), or, when the copy is the `whole` of one other block, glued to it by some sign
    /// (`標題_频道_网站`, `Headline (Site) - Portal`) or made of the page's navigation words.
    fn residue_is_label(
        &self,
        b: usize,
        first: usize,
        last: usize,
        suffix: usize,
        whole: bool,
    ) -> bool {
        let f = &self.page.feats[b];
        let set_off = |i: usize| {
            f.boundaries
                .binary_search(&u32::try_from(i).unwrap_or(u32::MAX))
                .is_ok()
        };
        // Navigation words: every word of the residue is the word of a short label of the page
        // (`Home News Business News Headline`, with `Home` and `Business News` links above).
        let labelled = |r: std::ops::Range<usize>| {
            !r.is_empty()
                && f.tokens[r].iter().all(|t| {
                    self.label_words()
                        .get(t)
                        .is_some_and(|&(owner, twice)| owner != b || twice)
                })
        };
        // Without a spaced separator, the label must still be set off by some sign (`_`, `(`,
        // `|`): a word glued on (`caféClosed`) may be content.
        let spans = if whole && !(set_off(first) && set_off(last + 1)) {
            crate::trim::token_spans(self.page.texts[b], f)
        } else {
            None
        };
        let signed = |k: usize| {
            spans
                .as_ref()
                .is_some_and(|sp| sets_off_label(&self.page.texts[b][sp[k - 1].end..sp[k].start]))
        };
        // Only before the heading: after it, a label's word may be what tells two links apart
        // (`… on Twitter`, `… on LinkedIn`).
        let ok_start =
            first == 0 || set_off(first) || (whole && (signed(first) || labelled(0..first)));
        let ok_end = suffix == 0 || set_off(last + 1) || (whole && signed(last + 1));
        ok_start && ok_end
    }

    /// 4 (decided in the rounds). A block that opens with a run it repeats further on loses the
    /// opening copy; a block outside the body's prose loses the parts that better places hold,
    /// when what stays of it is its own. A block whose rest a second run would remove anyway (an
    /// exact copy, or carried by the kept blocks) goes whole, in the round, so that later rounds
    /// see it gone; one whose rest is a near copy of another kept block stays whole.
    fn trim_fate(&self, b: usize, kept: &[bool]) -> Option<Fate> {
        let f = &self.page.feats[b];
        if !self.page.settings.trim || !kept[b] || f.tokens.len() < MIN_RUN {
            return None;
        }
        let better = |c: usize| {
            self.page.settings.keep == Keep::Body
                && self.page.class(b) > 0
                && self.page.may_carry(c, b)
                && !self.page.may_carry(b, c)
        };
        let why_kept = |c: usize| self.page.why(c, b);
        let trim = trim_of(
            b,
            self.page.texts,
            self.page.feats,
            kept,
            &self.cands,
            &better,
            &why_kept,
        )?;
        let rest = crate::trim::rest(self.page.texts[b], &trim.cuts);
        let rf = crate::fingerprint::features(&rest);
        let exact_elsewhere = rf.tokens.is_empty()
            || self.cands[b].iter().map(|&c| c as usize).any(|c| {
                c != b
                    && kept[c]
                    && (self.page.feats[c].key_hash == rf.key_hash
                        || self.page.feats[c].seq_hash == rf.seq_hash)
            });
        let carried = || {
            coverage(
                &rf,
                self.cands[b]
                    .iter()
                    .map(|&c| c as usize)
                    .filter(|&c| c != b && kept[c])
                    .map(|c| (c, self.page.feats[c])),
            )
            .redundant
        };
        if exact_elsewhere || carried() {
            return Some(Fate::Remove(Removal {
                block: b,
                kind: Kind::Contained,
                score: 1.0,
                kept: trim.kept,
                kept_in_document: None,
                why: Why::Carried,
            }));
        }
        let near_other = rf.tokens.len() >= NEAR_MIN_TOKENS && {
            // Normalized only for a candidate that passes the cheap test (few do).
            let mut cased: Option<String> = None;
            let mut key: Option<String> = None;
            self.cands[b].iter().map(|&c| c as usize).any(|c| {
                let (la, lc) = (rf.tokens.len(), self.page.feats[c].tokens.len());
                if c == b || !kept[c] || lc < NEAR_MIN_TOKENS || 4 * la.min(lc) < 3 * la.max(lc) {
                    return false;
                }
                // Cheap evidence first, as step 3 asks it: half of the rest in long runs of c.
                if coverage(&rf, std::iter::once((c, self.page.feats[c]))).score < 0.5 {
                    return false;
                }
                let cased = cased.get_or_insert_with(|| normalize(&rest, false));
                let c_cased = normalize(self.page.texts[c], false);
                if meaning_differs_in(cased, &c_cased) {
                    return false;
                }
                let key = key.get_or_insert_with(|| fold_key(&rest, cased));
                let ck = fold_key(self.page.texts[c], &c_cased);
                key.chars().count().max(ck.chars().count()) <= NEAR_MAX_CHARS
                    && similarity(self.page.settings.metric, key, &ck)
                        >= self.page.settings.threshold
            })
        };
        (!near_other).then_some(Fate::Trim(trim))
    }

    /// 1b. The page title: the first block that stays, a heading of the page with the site's
    /// name set off after it (`Team | Site`, `Headline (with Pictures) | Site`), however short
    /// the heading and wherever the page's body is. The heading further down stays. Asked of
    /// what stays, every round: a second run sees that first block.
    fn page_title(&self, st: &mut State) {
        if self.page.settings.keep == Keep::Body {
            if let Some(b) = st.kept.iter().position(|&k| k) {
                if let Some(c) = title_heading(
                    b,
                    self.page.texts,
                    self.page.feats,
                    &st.kept,
                    &self.cands[b],
                ) {
                    st.changed = true;
                    st.kept[b] = false;
                    st.removed[b] = Some(Removal {
                        block: b,
                        kind: Kind::Contained,
                        #[expect(
                            clippy::cast_precision_loss,
                            reason = "token counts are far below 2^52"
                        )]
                        score: self.page.feats[c].tokens.len() as f64
                            / self.page.feats[b].tokens.len() as f64,
                        kept: vec![c],
                        kept_in_document: None,
                        why: Why::NearerArticle,
                    });
                }
            }
        }
    }

    /// Step 2: the blocks `contained` found carried by kept blocks go, largest first, unless
    /// a carrier is a run-together of other kept blocks or the block is a teaser of later ones.
    fn contained(&self, mut contained: Vec<usize>, st: &mut State) {
        contained.sort_by(|&x, &y| {
            let kx = (self.page.feats[x].tokens.len(), self.page.texts[x].len(), x);
            let ky = (self.page.feats[y].tokens.len(), self.page.texts[y].len(), y);
            ky.cmp(&kx)
        });
        for a in contained {
            st.kept[a] = false;
            let mut c = self.cover_without_run_togethers(a, st);
            // A sentence or more that only later, longer blocks go on from is a teaser when it
            // sits in the lead-in (a standfirst above its article); further down it is an
            // earlier paragraph that a later one extends, and both stay. A teaser cut with an
            // ellipsis says what it is anywhere; so does a later copy with a word or two glued on
            // ("...browser.GoogleFirefox").
            let extension = c
                .carriers
                .iter()
                .map(|&b| {
                    self.page.feats[b]
                        .tokens
                        .len()
                        .saturating_sub(self.page.feats[a].tokens.len())
                })
                .max()
                .unwrap_or(0);
            if c.redundant
                && self.page.feats[a].tokens.len() >= MIN_RUN
                && !self.page.feats[a].ellipsis_end
                && extension > GLUED_TAIL_MAX
                && c.carriers.iter().all(|&b| b > a)
                && lead_in_end(&self.page.prose, &st.kept, &st.removed, &mut st.lead_from) < a
            {
                c.redundant = false;
                st.fragile = true;
            }
            if c.redundant {
                st.changed = true;
                st.removed[a] = Some(Removal {
                    block: a,
                    kind: Kind::Contained,
                    score: c.score,
                    kept: c.carriers,
                    kept_in_document: None,
                    why: Why::Carried,
                });
            } else {
                st.kept[a] = true;
            }
        }
    }

    /// What the kept blocks cover of block `a` (not kept while it is asked). A larger carrier
    /// that is itself mostly made of other kept blocks is a run-together copy that step 3 could
    /// not remove (a glued or edited word): the parts stay, so `a` may go only if it is covered
    /// without such carriers.
    fn cover_without_run_togethers(&self, a: usize, st: &mut State) -> Coverage {
        let feats = self.page.feats;
        let c = self.cover(a, &st.kept);
        if !c.redundant {
            return c;
        }
        let runs_together: Vec<usize> = c
            .carriers
            .iter()
            .copied()
            .filter(|&b| {
                feats[b].tokens.len() > feats[a].tokens.len() && {
                    st.kept[b] = false;
                    let cb = self.cover(b, &st.kept);
                    st.kept[b] = true;
                    // Made of two or more blocks: a variant of one block is no run-together.
                    cb.score >= RUN_TOGETHER_SHARE && cb.carriers.len() >= 2
                }
            })
            .collect();
        if runs_together.is_empty() {
            return c;
        }
        for &b in &runs_together {
            st.kept[b] = false;
        }
        let c = self.cover(a, &st.kept);
        for &b in &runs_together {
            st.kept[b] = true;
        }
        // Kept because a carrier reads as a run-together of other blocks: the answer changes
        // when one of those goes (see `Decision::fragile`).
        st.fragile |= !c.redundant;
        c
    }

    /// 2b (see [`Matching::copy_of_better`]), largest first as well.
    fn copies_of_better(&self, dirty: &[bool], st: &mut State) {
        let n = self.page.feats.len();
        let mut copies: Vec<usize> = (0..n)
            .filter(|&b| {
                dirty[b] && st.kept[b] && self.page.class(b) > 0 && !self.cands[b].is_empty()
            })
            .collect();
        copies.sort_by(|&x, &y| {
            let kx = (self.page.feats[x].tokens.len(), self.page.texts[x].len(), x);
            let ky = (self.page.feats[y].tokens.len(), self.page.texts[y].len(), y);
            ky.cmp(&kx)
        });
        for b in copies {
            st.kept[b] = false;
            match self.copy_of_better(b, &st.kept) {
                Some((carriers, score)) => {
                    st.changed = true;
                    let why = carriers
                        .first()
                        .map_or(Why::Carried, |&c| self.page.why(c, b));
                    st.removed[b] = Some(Removal {
                        block: b,
                        kind: Kind::Contained,
                        score,
                        kept: carriers,
                        kept_in_document: None,
                        why,
                    });
                }
                None => st.kept[b] = true,
            }
        }
    }

    /// Step 3: near copies among the kept blocks. Whether two blocks are near copies depends
    /// on them alone, so the pairs are only looked for in the first round.
    fn near_copies(&self, round: usize, st: &mut State) {
        let n = self.page.feats.len();
        let gram_sets = if round == 0 {
            GramSets::new(self.page.feats, |i| {
                st.kept[i] && self.paired[i] && self.page.words[i] >= NEAR_MIN_TOKENS
            })
        } else {
            GramSets::default()
        };
        let near_pairs: Vec<(usize, usize, f64, Why)> = (0..n)
            .into_par_iter()
            .with_min_len(crate::candidates::MIN_SPLIT)
            .filter(|&a| {
                round == 0 && st.kept[a] && self.page.feats[a].tokens.len() >= NEAR_MIN_TOKENS
            })
            .flat_map_iter(|a| {
                let mut out = Vec::new();
                let mut a_key: Option<String> = None;
                let mut a_cased: Option<String> = None;
                for &b in &self.cands[a] {
                    let b = b as usize;
                    if b <= a || !st.kept[b] || !self.may_be_near(a, b, &gram_sets) {
                        continue;
                    }
                    if let Some(s) = self.near_similarity(a, b, &mut a_cased, &mut a_key) {
                        let (loser, winner, reason) = self.near_winner(a, b);
                        out.push((loser, winner, s, reason));
                    }
                }
                out
            })
            .collect();
        let mut near_pairs = near_pairs;
        near_pairs.sort_by_key(|x| (x.0, x.1));
        for (loser, winner, s, reason) in near_pairs {
            if st.kept[loser] && st.kept[winner] {
                st.changed = true;
                st.kept[loser] = false;
                st.removed[loser] = Some(Removal {
                    block: loser,
                    kind: Kind::Near,
                    score: s,
                    kept: vec![winner],
                    kept_in_document: None,
                    why: reason,
                });
            }
        }
    }

    /// The cheap tests of a near pair: lengths within 4:3, and `b` alone covering half of `a`
    /// through long runs (bounded from `gram_sets` before it is counted), neither inside the
    /// other (a title and its headline are for step 2 to decide).
    fn may_be_near(&self, a: usize, b: usize, gram_sets: &GramSets) -> bool {
        let feats = self.page.feats;
        // Lengths from `words`, not `feats`: one block's features are far from the next
        // one's, and most pairs stop at these tests.
        let (la, lb) = (self.page.words[a], self.page.words[b]);
        if lb < NEAR_MIN_TOKENS || 4 * la.min(lb) < 3 * la.max(lb) {
            return false;
        }
        if !gram_sets.may_cover_half(a, feats[a], b, feats[b]) {
            return false;
        }
        let c = coverage(feats[a], std::iter::once((b, feats[b])));
        if c.score < 0.5 || c.redundant {
            return false;
        }
        !coverage(feats[b], std::iter::once((a, feats[a]))).redundant
    }

    /// The similarity of blocks `a` and `b` when they are near copies (at least the
    /// threshold): the meaning guard first (it works on words and is far cheaper than the
    /// character similarity), then the length bound of the threshold. `a_cased` and `a_key`
    /// keep `a`'s normalized forms from pair to pair.
    fn near_similarity(
        &self,
        a: usize,
        b: usize,
        a_cased: &mut Option<String>,
        a_key: &mut Option<String>,
    ) -> Option<f64> {
        let (texts, settings) = (self.page.texts, self.page.settings);
        let a_cased = a_cased.get_or_insert_with(|| normalize(texts[a], false));
        let b_cased = normalize(texts[b], false);
        if meaning_differs_in(a_cased, &b_cased) {
            return None;
        }
        let ak = a_key.get_or_insert_with(|| fold_key(texts[a], a_cased));
        let bk = fold_key(texts[b], &b_cased);
        let (ca, cb) = (ak.chars().count(), bk.chars().count());
        // The character similarity costs a length × length matrix: blocks longer than this
        // are left to the containment step.
        if ca.max(cb) > NEAR_MAX_CHARS {
            return None;
        }
        #[expect(clippy::cast_precision_loss, reason = "lengths far below 2^52")]
        let bound = 1.0 - ca.abs_diff(cb) as f64 / ca.max(cb).max(1) as f64;
        if bound < settings.threshold {
            return None;
        }
        let s = similarity(settings.metric, ak, &bk);
        (s >= settings.threshold).then_some(s)
    }

    /// Of near copies `a` and `b`: (the one that goes, the one that stays, why). The copy in the
    /// better part of the page stays; within one part, the fuller text, and at equal length the
    /// earlier one.
    fn near_winner(&self, a: usize, b: usize) -> (usize, usize, Why) {
        let (la, lb) = (self.page.words[a], self.page.words[b]);
        let (za, zb) = (self.page.rank(a).0, self.page.rank(b).0);
        if za != zb {
            let (l, w) = if za < zb { (b, a) } else { (a, b) };
            (l, w, self.page.why(w, l))
        } else if la < lb {
            (a, b, Why::Fuller)
        } else if la > lb {
            (b, a, Why::Fuller)
        } else {
            (b, a, Why::Earlier)
        }
    }

    /// 4 in the round: blocks whose rest would go anyway go now; the fates of the others are
    /// kept for after the rounds (a block's fate changes only when it is dirty).
    fn trim_fates(
        &self,
        dirty: &[bool],
        fates: &mut std::collections::BTreeMap<usize, Fate>,
        st: &mut State,
    ) {
        let n = self.page.feats.len();
        if self.page.settings.trim {
            for b in (0..n).filter(|&b| dirty[b]) {
                match self.trim_fate(b, &st.kept) {
                    Some(Fate::Remove(r)) => {
                        st.changed = true;
                        st.kept[b] = false;
                        st.removed[b] = Some(r);
                        fates.remove(&b);
                    }
                    Some(fate) => {
                        fates.insert(b, fate);
                    }
                    None => {
                        fates.remove(&b);
                    }
                }
            }
        }
    }

    /// The blocks whose answer may change in the next round: two hops from a removal (it
    /// changes its neighbours' coverage, and through the run-together test on those
    /// neighbours, the answer of the blocks they carry), and the lead-in, which a removal can
    /// pull later blocks into.
    fn next_dirty(&self, removed_before: &[bool], dirty: &mut [bool], st: &mut State) {
        let n = self.page.feats.len();
        dirty.iter_mut().for_each(|d| *d = false);
        // A removal can pull later blocks into the lead-in.
        dirty[..=lead_in_end(&self.page.prose, &st.kept, &st.removed, &mut st.lead_from)
            .min(n.saturating_sub(1))]
            .iter_mut()
            .for_each(|d| *d = true);
        for (b, &was) in removed_before.iter().enumerate() {
            if !was && !st.kept[b] {
                for &c in &self.cands[b] {
                    dirty[c as usize] = true;
                    for &d in &self.cands[c as usize] {
                        dirty[d as usize] = true;
                    }
                }
            }
        }
    }

    /// Step 4, the trims found in the rounds: the kept blocks whose fate is a trim (computed
    /// again when the rounds stopped before the answer `settled`).
    fn trims(
        &self,
        settled: bool,
        fates: &mut std::collections::BTreeMap<usize, Fate>,
        kept: &[bool],
    ) -> Vec<Trim> {
        let mut trims: Vec<Trim> = Vec::new();
        if self.page.settings.trim {
            for b in 0..self.page.feats.len() {
                let fate = if settled {
                    fates.remove(&b)
                } else {
                    self.trim_fate(b, kept)
                };
                if let (true, Some(Fate::Trim(t))) = (kept[b], fate) {
                    trims.push(t);
                }
            }
        }
        trims
    }
}

/// The pieces of `found` taken in order (each from the same block as the one before it, or a
/// later one, and covering a word not covered yet), and the words of a block of `n` words they
/// cover.
fn pieces_in_order(
    found: &[crate::verify::Piece],
    n: usize,
) -> (Vec<bool>, Vec<&crate::verify::Piece>) {
    let mut covered = vec![false; n];
    let mut taken: Vec<&crate::verify::Piece> = Vec::new();
    for p in found {
        if taken.last().is_some_and(|last| p.block < last.block)
            || covered[p.start..p.end].iter().all(|&c| c)
        {
            continue;
        }
        covered[p.start..p.end].iter_mut().for_each(|c| *c = true);
        taken.push(p);
    }
    (covered, taken)
}

/// The longest run of covered words (the first of equal ones), as `start..end` bounds.
fn longest_stretch(covered: &[bool]) -> Option<(usize, usize)> {
    let n = covered.len();
    let mut best: Option<(usize, usize)> = None;
    let mut k = 0;
    while k < n {
        if !covered[k] {
            k += 1;
            continue;
        }
        let start = k;
        while k < n && covered[k] {
            k += 1;
        }
        if best.is_none_or(|(s, e)| k - start > e - s) {
            best = Some((start, k));
        }
    }
    best
}

/// The carriers of the pieces `taken`, in order, with the number of words of `stretch` each
/// covers.
fn tokens_by_carrier(
    taken: &[&crate::verify::Piece],
    stretch: std::ops::Range<usize>,
) -> Vec<(usize, usize)> {
    let mut used: Vec<(usize, usize)> = Vec::new(); // (block, tokens it covers)
    for p in taken {
        let (s, e) = (p.start.max(stretch.start), p.end.min(stretch.end));
        if s >= e {
            continue;
        }
        match used.last_mut() {
            Some(u) if u.0 == p.block => u.1 += e - s,
            _ => used.push((p.block, e - s)),
        }
    }
    used
}

/// What the rounds of [`decide`] change.
struct State {
    removed: Vec<Option<Removal>>,
    kept: Vec<bool>,
    /// See [`Decision::fragile`].
    fragile: bool,
    /// This round removed a block.
    changed: bool,
    /// Where [`lead_in_end`] looks from.
    lead_from: usize,
}

/// Step 1: exact and token-equal copies. Of each set, the preferred copy stays.
fn exact_copies(page: &Page<'_>) -> Vec<Option<Removal>> {
    let (n, feats) = (page.feats.len(), page.feats);
    let mut removed: Vec<Option<Removal>> = vec![None; n];
    let live: Vec<usize> = (0..n)
        // A block without a word (a code fence, `}`, `---`, `***`) is structure, not content:
        // its repeats stay.
        .filter(|&i| !feats[i].tokens.is_empty() && !page.is_gone(i))
        .collect();
    let exact_keepers = copies_of(
        &live,
        |i| feats[i].key_hash,
        |i| page.rank(i),
        |goes, stays| {
            removed[goes] = Some(copy_removal(
                goes,
                stays,
                Kind::Exact,
                page.why(stays, goes),
            ))
        },
    );
    // The same words; only punctuation differs. Scored 1.0 without a character comparison (it
    // would cost a Levenshtein matrix per copy).
    copies_of(
        &exact_keepers,
        |i| feats[i].seq_hash,
        |i| page.rank(i),
        |goes, stays| {
            removed[goes] = Some(copy_removal(goes, stays, Kind::Near, page.why(stays, goes)))
        },
    );

    removed
}

/// Decides the removals of one document. `texts[i]` is block `i`'s original text; `gone[i]`
/// true (where given) means block `i` is already removed by someone else (the corpus pass): it
/// is neither kept nor reported, as if the document did not hold it.
pub fn decide(texts: &[&str], feats: &[&Features], settings: Settings, gone: &[bool]) -> Decision {
    let n = feats.len();
    let page = Page::new(texts, feats, settings, gone);
    let removed = exact_copies(&page);

    let kept: Vec<bool> = removed
        .iter()
        .enumerate()
        .map(|(i, r)| r.is_none() && !page.is_gone(i))
        .collect();
    let m = Matching::new(&page, &kept);
    let mut st = State {
        removed,
        kept,
        fragile: false,
        changed: false,
        lead_from: 0,
    };

    // Steps 2 and 3 repeat until a round removes nothing: a removal can take away the reason
    // another block was kept (a run-together carrier losing one of its parts), and the result
    // must not change when the clean document is cleaned again.
    // Only blocks next to a removal (sharing candidates with it) can change their answer.

    let mut dirty = vec![true; n];
    // Few blocks have a fate: kept by block, not one slot per block.
    let mut fates: std::collections::BTreeMap<usize, Fate> = std::collections::BTreeMap::new();
    let mut settled = false;
    for round in 0..MAX_ROUNDS {
        st.changed = false;
        // The zones of what stays now; when they move, every block may answer otherwise.
        if settings.keep == Keep::Body && page.zone.set(&zones(&page.prose, &page.words, &st.kept))
        {
            dirty.iter_mut().for_each(|d| *d = true);
        }
        let contained: Vec<usize> = (0..n)
            .into_par_iter()
            .with_min_len(crate::candidates::MIN_SPLIT)
            .filter(|&a| {
                dirty[a]
                    && st.kept[a]
                    && !m.cands[a].is_empty()
                    && m.may_be_carried(a)
                    && m.cover(a, &st.kept).redundant
            })
            .collect();
        let removed_before: Vec<bool> = st.kept.iter().map(|k| !k).collect();
        m.page_title(&mut st);
        m.contained(contained, &mut st);
        m.copies_of_better(&dirty, &mut st);
        m.near_copies(round, &mut st);
        m.trim_fates(&dirty, &mut fates, &mut st);
        if !st.changed {
            settled = true;
            break;
        }
        m.next_dirty(&removed_before, &mut dirty, &mut st);
    }

    let trims = m.trims(settled, &mut fates, &st.kept);

    // Point every removal at blocks that stay, its kind and score restated for them.
    let out = resolve_carriers(&st.removed, |a, kind, carriers| {
        let carriers: Vec<(usize, &str, &Features)> =
            carriers.iter().map(|&b| (b, texts[b], feats[b])).collect();
        score_against(settings.metric, kind, (texts[a], feats[a]), &carriers)
    });
    Decision {
        removals: out,
        trims,
        fragile: st.fragile,
    }
}

/// The kept block (of `cands`) that title `b` opens with, the rest of `b` being a site name of
/// at most [`TITLE_SITE_MAX`] words set off by a separator or a sign (`|`, `-`, `(`, `_`). Only
/// the opening, and only when every word of the rest is printed elsewhere on the page.
fn title_heading(
    b: usize,
    texts: &[&str],
    feats: &[&Features],
    kept: &[bool],
    cands: &[u32],
) -> Option<usize> {
    let f = &feats[b];
    let n = f.tokens.len();
    if !(2..=3 * MIN_RUN).contains(&n) {
        return None;
    }
    let spans = crate::trim::token_spans(texts[b], f)?;
    // A sign between tokens k - 1 and k.
    let signed = |k: usize| sets_off_label(&texts[b][spans[k - 1].end..spans[k].start]);
    let c = cands.iter().map(|&c| c as usize).find(|&c| {
        let t = &feats[c].tokens;
        let k = t.len();
        c != b
            && kept[c]
            && k > 0
            && k < n
            && n - k <= TITLE_SITE_MAX
            && f.tokens[..k] == t[..]
            && signed(k)
    })?;
    // The site's name and any tag before it (`(with Pictures)`) are printed elsewhere on the
    // page (its logo, the copyright line): else the words after the heading may be the page's
    // own name (`Library - Opening Hours`, with the logo `Library` above), which would be lost.
    let k = feats[c].tokens.len();
    let elsewhere = f.tokens[k..]
        .iter()
        .all(|t| (0..feats.len()).any(|o| o != b && kept[o] && feats[o].tokens.contains(t)));
    elsewhere.then_some(c)
}

/// True when the text between two words sets a label or site name off the words before it: a
/// sign (`|`, `_`, `(`, `»`, a dash), or any mark with no space (`finished.ShareTweet`). The
/// punctuation of a sentence followed by a space is not one (`Headline. More.` goes on with a
/// sentence of its own), nor is an apostrophe.
fn sets_off_label(gap: &str) -> bool {
    let mark = |c: char| !c.is_alphanumeric() && !c.is_whitespace() && c != '\'' && c != '’';
    let sentence = |c: char| {
        matches!(
            c,
            '.' | ','
                | ';'
                | '!'
                | '?'
                | '…'
                | '。'
                | '、'
                | '，'
                | '；'
                | '！'
                | '？'
                | '"'
                | '“'
                | '”'
        )
    };
    if gap.chars().any(char::is_whitespace) {
        gap.chars().any(|c| mark(c) && !sentence(c))
    } else {
        gap.chars().any(mark)
    }
}

/// The trim of kept block `b`, if it has one: its opening copy of a run it repeats, or (with
/// `better(c)` true for the blocks that may carry its parts) the parts that kept better-placed
/// blocks hold, in runs of [`MIN_RUN`] words or more.
fn trim_of(
    b: usize,
    texts: &[&str],
    feats: &[&Features],
    kept: &[bool],
    cands: &Lists,
    better: &dyn Fn(usize) -> bool,
    why_kept: &dyn Fn(usize) -> Why,
) -> Option<Trim> {
    let (text, f) = (texts[b], &feats[b]);
    let n = f.tokens.len();
    #[expect(
        clippy::cast_precision_loss,
        reason = "token counts are far below 2^52"
    )]
    let share = |k: usize| k as f64 / n as f64;
    if let Some(k) = crate::trim::self_repeat(f, MIN_RUN) {
        let spans = crate::trim::token_spans(text, f)?;
        if let Some(r) = crate::trim::cut(text, &spans, 0, k) {
            return Some(Trim {
                block: b,
                cuts: vec![r],
                score: share(k),
                kept: vec![b],
                why: Why::RepeatedInBlock,
            });
        }
    }
    let carriers_of: Vec<usize> = cands[b]
        .iter()
        .map(|&c| c as usize)
        .filter(|&c| c != b && kept[c] && better(c))
        .collect();
    // Most blocks have no better place to be carried by: no pieces to look for.
    if carriers_of.is_empty() {
        return None;
    }
    let found = pieces(f, carriers_of.iter().map(|&c| (c, feats[c])));
    let stretches = long_stretches(&found);
    if stretches.is_empty() {
        return None;
    }
    let spans = crate::trim::token_spans(text, f)?;
    let Cuts {
        cuts,
        mut carriers,
        gone,
    } = cuts_of(text, &spans, stretches);
    let rest = crate::trim::rest(text, &cuts);
    if cuts.is_empty() || !rest.chars().any(char::is_alphabetic) {
        return None;
    }
    carriers.sort_unstable();
    carriers.dedup();
    let why = carriers.first().map_or(Why::Carried, |&c| why_kept(c));
    Some(Trim {
        block: b,
        cuts,
        score: share(gone),
        kept: carriers,
        why,
    })
}

/// A stretch of a block's tokens (`start..end`) covered by long runs, with the blocks that
/// carry them.
#[derive(Debug, PartialEq)]
struct Stretch {
    start: usize,
    end: usize,
    by: Vec<usize>,
}

/// The covered stretches made of pieces of [`MIN_RUN`] tokens or more (sorted by start, as
/// [`pieces`] gives them): overlapping or touching pieces make one stretch.
fn long_stretches(found: &[crate::verify::Piece]) -> Vec<Stretch> {
    let mut stretches: Vec<Stretch> = Vec::new();
    for p in found.iter().filter(|p| p.end - p.start >= MIN_RUN) {
        match stretches.last_mut() {
            Some(last) if p.start <= last.end => {
                last.end = last.end.max(p.end);
                last.by.push(p.block);
            }
            _ => stretches.push(Stretch {
                start: p.start,
                end: p.end,
                by: vec![p.block],
            }),
        }
    }
    stretches
}

/// What [`cuts_of`] cuts out of a block.
#[derive(Debug, PartialEq)]
struct Cuts {
    /// Byte ranges of the block, in order, apart.
    cuts: Vec<std::ops::Range<usize>>,
    /// The blocks that carry what is cut, in stretch order, possibly repeated.
    carriers: Vec<usize>,
    /// Tokens cut.
    gone: usize,
}

/// The byte ranges of `text` (whose token spans are `spans`) that cut out `stretches`: a
/// stretch that cannot be cut cleanly ([`crate::trim::cut`]), or whose cut would overlap the
/// one before, stays.
fn cuts_of(text: &str, spans: &[std::ops::Range<usize>], stretches: Vec<Stretch>) -> Cuts {
    let mut out = Cuts {
        cuts: Vec::new(),
        carriers: Vec::new(),
        gone: 0,
    };
    for Stretch { start, end, by } in stretches {
        let Some(r) = crate::trim::cut(text, spans, start, end) else {
            continue;
        };
        if out.cuts.last().is_some_and(|last| r.start < last.end) {
            continue;
        }
        out.cuts.push(r);
        out.carriers.extend(by);
        out.gone += end - start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::features;

    const PRE: &str =
        "The regional health authority has opened three new vaccination centres in rural towns,";
    const POST: &str = "appointments online or by telephone, and staff expect the centres to handle several thousand visits each week during the busy winter months ahead.";

    fn line(middle: &str) -> String {
        format!("{PRE} {middle} {POST}")
    }

    fn decide_texts(texts: &[&str]) -> Vec<Removal> {
        let feats: Vec<Features> = texts.iter().map(|t| features(t)).collect();
        let settings = Settings {
            threshold: crate::DEFAULT_THRESHOLD,
            metric: Metric::default(),
            keep: Keep::default(),
            trim: true,
        };
        let feats: Vec<&Features> = feats.iter().collect();
        decide(texts, &feats, settings, &[]).removals
    }

    fn settings(keep: Keep) -> Settings {
        Settings {
            threshold: crate::DEFAULT_THRESHOLD,
            metric: Metric::default(),
            keep,
            trim: true,
        }
    }

    /// A page: a heading, two prose paragraphs (the body), and `tail` after them.
    fn page_texts(tail: &str) -> Vec<String> {
        vec![
            "Vaccination centres open".to_string(),
            line("allowing residents to book"),
            format!("{POST} A second paragraph of the article goes on with its own words."),
            tail.to_string(),
        ]
    }

    /// Runs `f` on the page of `texts` (`gone` as `decide` takes it).
    fn on_page<S: AsRef<str>>(texts: &[S], keep: Keep, gone: &[bool], f: impl FnOnce(&Page<'_>)) {
        let texts: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
        let feats: Vec<Features> = texts.iter().map(|t| features(t)).collect();
        let feats: Vec<&Features> = feats.iter().collect();
        f(&Page::new(&texts, &feats, settings(keep), gone));
    }

    #[test]
    fn step_1_keeps_the_preferred_copy_of_each_set() {
        // The heading printed again below the article: with `--keep body` the copy nearer the
        // article (above it) stays, with `--keep first` the first one; either way one goes.
        let texts = page_texts("Vaccination centres open");
        for keep in [Keep::Body, Keep::First] {
            on_page(&texts, keep, &[], |page| {
                let removed = exact_copies(page);
                let gone: Vec<usize> = (0..4).filter(|&i| removed[i].is_some()).collect();
                assert_eq!(gone, [3], "{keep:?}");
                assert_eq!(
                    removed[3].as_ref().map(|r| (r.kind, r.kept.clone())),
                    Some((Kind::Exact, vec![0]))
                );
            });
        }
        // A block gone already (the corpus pass) neither stays nor goes.
        on_page(&texts, Keep::Body, &[true], |page| {
            let removed = exact_copies(page);
            assert!(removed[0].is_none() && removed[3].is_none());
        });
    }

    #[test]
    fn only_blocks_in_a_part_as_good_may_carry_with_keep_body() {
        let texts = page_texts("Share this: allowing residents to book");
        on_page(&texts, Keep::Body, &[], |page| {
            assert_eq!(page.zone.get(1), Zone::Body);
            assert_eq!(page.zone.get(3), Zone::Tail);
            // The body carries what is below it; a line below does not carry the body.
            assert!(page.may_carry(1, 3));
            assert!(!page.may_carry(3, 1));
            assert!(page.rank(1) < page.rank(3));
            assert_eq!(page.why(1, 3), Why::InBody);
        });
        on_page(&texts, Keep::First, &[], |page| {
            assert!(page.may_carry(3, 1));
            assert_eq!(page.why(1, 3), Why::Earlier);
        });
    }

    #[test]
    fn a_block_is_covered_by_the_kept_blocks_that_hold_its_runs() {
        on_page(&page_texts(PRE), Keep::Body, &[], |page| {
            let kept = vec![true; 4];
            let m = Matching::new(page, &kept);
            assert!(m.cands[3].contains(&1));
            assert!(m.may_be_carried(3));
            let c = m.cover(3, &kept);
            assert!(c.redundant && c.carriers == [1], "{c:?}");
            // Without its carrier, nothing holds it.
            assert!(!m.cover(3, &[true, false, true, true]).redundant);
        });
    }

    #[test]
    fn the_copy_is_the_longest_covered_stretch() {
        let covered = [true, false, true, true, true, false, true, true, true];
        assert_eq!(longest_stretch(&covered), Some((2, 5)));
        assert_eq!(longest_stretch(&[false, false]), None);
        let piece = |block, start, end| crate::verify::Piece { block, start, end };
        let found = [
            piece(4, 2, 4),
            piece(2, 3, 5),
            piece(5, 3, 5),
            piece(5, 0, 1),
        ];
        let (covered, taken) = pieces_in_order(&found, 6);
        // The piece of block 2 comes from an earlier block than the one before it: not taken.
        assert_eq!(covered, [true, false, true, true, true, false]);
        let blocks: Vec<usize> = taken.iter().map(|p| p.block).collect();
        assert_eq!(blocks, [4, 5, 5]);
        // Words of the stretch 2..5 by carrier, in order (overlaps count for each piece).
        assert_eq!(tokens_by_carrier(&taken, 2..5), [(4, 2), (5, 2)]);
    }

    #[test]
    fn long_pieces_that_overlap_or_touch_make_one_stretch() {
        let piece = |block, start, end| crate::verify::Piece { block, start, end };
        let stretch = |start, end, by: &[usize]| Stretch {
            start,
            end,
            by: by.to_vec(),
        };
        let found = [
            piece(1, 0, 8),
            piece(2, 4, 12),
            piece(3, 12, 20),
            // Shorter than MIN_RUN: a whole short block, not a long run.
            piece(4, 20, 23),
            piece(5, 30, 40),
        ];
        assert_eq!(
            long_stretches(&found),
            [stretch(0, 20, &[1, 2, 3]), stretch(30, 40, &[5])]
        );
        assert!(long_stretches(&[piece(1, 0, 7)]).is_empty());
    }

    #[test]
    fn stretches_are_cut_where_they_can_be_and_apart() {
        let text = "One two three four. Five six seven eight. Nine ten eleven twelve.";
        let f = features(text);
        let spans = crate::trim::token_spans(text, &f).unwrap();
        let stretch = |start, end, by: usize| Stretch {
            start,
            end,
            by: vec![by],
        };
        // The second sentence; then the rest from it, whose cut overlaps; then a stretch that
        // does not end at a sentence end and the whole block, which cannot be cut.
        assert!(crate::trim::cut(text, &spans, 4, 12).is_some());
        assert!(crate::trim::cut(text, &spans, 9, 12).is_none());
        let cut = cuts_of(
            text,
            &spans,
            vec![
                stretch(4, 8, 7),
                stretch(4, 12, 8),
                stretch(9, 12, 8),
                stretch(0, 12, 9),
            ],
        );
        assert_eq!(cut.cuts.len(), 1);
        assert_eq!(
            crate::trim::rest(text, &cut.cuts),
            "One two three four. Nine ten eleven twelve."
        );
        assert_eq!((cut.carriers, cut.gone), (vec![7], 4));
        // Two sentences apart are both cut, each for its carrier.
        let cut = cuts_of(text, &spans, vec![stretch(0, 4, 2), stretch(8, 12, 1)]);
        assert_eq!(crate::trim::rest(text, &cut.cuts), "Five six seven eight.");
        assert_eq!((cut.carriers, cut.gone), (vec![2, 1], 8));
    }

    #[test]
    fn of_near_copies_the_fuller_or_better_placed_stays() {
        let (a, b) = (
            line("allowing residents to book"),
            line("so that residents can book"),
        );
        on_page(&[&a, &b], Keep::Body, &[], |page| {
            let m = Matching::new(page, &[true, true]);
            let s = m.near_similarity(0, 1, &mut None, &mut None);
            assert!(
                s.is_some_and(|s| (s - near_score(&a, &b)).abs() < 1e-12),
                "{s:?}"
            );
            // Same part of the page: the fuller text stays.
            assert_eq!(m.near_winner(0, 1), (0, 1, Why::Fuller));
            assert_eq!(m.near_winner(1, 0), (0, 1, Why::Fuller));
        });
        // A negation is no near copy, however similar the characters.
        let not = line("not allowing residents to book");
        on_page(&[&a, &not], Keep::Body, &[], |page| {
            let m = Matching::new(page, &[true, true]);
            assert_eq!(m.near_similarity(0, 1, &mut None, &mut None), None);
        });
    }

    fn near_score(a: &str, b: &str) -> f64 {
        let key = |t: &str| fold_key(t, &normalize(t, false));
        similarity(Metric::default(), &key(a), &key(b))
    }

    #[test]
    fn kinds_compose_with_exact_as_the_identity() {
        use Kind::{Boilerplate, Contained, Exact, Near};
        for k in [Exact, Near, Contained, Boilerplate] {
            assert_eq!(Exact.then(k), k);
            assert_eq!(k.then(Exact), k);
        }
        for k in [Near, Contained, Boilerplate] {
            assert_eq!(Near.then(k), Near);
            assert_eq!(k.then(Near), Near);
        }
        assert_eq!(Contained.then(Contained), Contained);
        assert_eq!(Contained.then(Boilerplate), Contained);
        assert_eq!(Boilerplate.then(Boilerplate), Boilerplate);
    }

    /// A, A, B with B a near copy of A: the second A goes as an exact copy of the first,
    /// which then goes as a near copy of B. Both now say what they are to B.
    #[test]
    fn an_exact_copy_of_a_near_copy_is_near_to_the_block_that_stays() {
        let (a, b) = (
            line("allowing residents to book"),
            line("so that residents can book"),
        );
        let removals = decide_texts(&[&a, &a, &b]);
        assert_eq!(removals.len(), 2, "{removals:?}");
        for r in &removals {
            assert_eq!((r.kind, r.kept.as_slice()), (Kind::Near, &[2][..]), "{r:?}");
            assert!((r.score - near_score(&a, &b)).abs() < 1e-12, "{r:?}");
        }
    }

    /// A, B, C, each a near copy of the next (with more words): A's content stays in C, so
    /// its score is A against C, not against B.
    #[test]
    fn a_near_copy_of_a_near_copy_is_scored_against_the_block_that_stays() {
        let (a, b, c) = (
            line("allowing residents to book"),
            line("so that residents can book"),
            line("so that the residents can then book"),
        );
        let removals = decide_texts(&[&a, &b, &c]);
        assert_eq!(removals.len(), 2, "{removals:?}");
        let first = &removals[0];
        assert_eq!((first.block, first.kind), (0, Kind::Near));
        assert_eq!(first.kept, [2]);
        assert!(
            (first.score - near_score(&a, &c)).abs() < 1e-12,
            "{first:?}"
        );
        assert!((first.score - near_score(&a, &b)).abs() > 1e-3, "{first:?}");
    }

    /// A, A, B with B holding all of A and more: both copies of A are contained in B.
    #[test]
    fn an_exact_copy_of_a_contained_block_is_contained() {
        let (a, b) = (
            line("allowing residents to book"),
            line("allowing all residents to book"),
        );
        let removals = decide_texts(&[&a, &a, &b]);
        assert_eq!(removals.len(), 2, "{removals:?}");
        for r in &removals {
            assert_eq!(
                (r.kind, r.kept.as_slice()),
                (Kind::Contained, &[2][..]),
                "{r:?}"
            );
            assert!((r.score - 1.0).abs() < 1e-12, "{r:?}");
        }
    }
}
