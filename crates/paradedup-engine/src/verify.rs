//! Verify: one block and its kept candidates → how much of it the others carry.
//!
//! Coverage is counted per token, and only tokens inside long common runs count: a run shared
//! with another block counts when it is at least [`MIN_RUN`] tokens long, or is the whole of the
//! other block (2 tokens or more; a single word only inside a block of [`MIN_RUN`] tokens or
//! more). A short block inside longer text is no copy of it: "Entertainment" vs "Entertainment
//! News", "Calendário da Stock Car" vs "Calendário da Stock Car 2018". Plain
//! n-gram overlap is not enough: the seed's heading "Highlights From Belousov's Meeting with the
//! North Korean Defense Minister:" is covered word by word by short runs of two other lines, and
//! it is no duplicate.
//!
//! A block is redundant when every token is covered, except possibly a site suffix after a title
//! separator ("… | Hosted", "… - Reuters": at most 6 tokens, behind a covered part that is a
//! whole other block of 3 tokens or more) and the last, cut word of a block that ends in an ellipsis.

use crate::fingerprint::{seq_hash, Features};
use crate::negation::is_negation;

/// Shortest common run that counts on its own.
pub const MIN_RUN: usize = 8;

/// How a block is covered by a set of other blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Share of the block's tokens that are covered, in `[0, 1]`.
    pub score: f64,
    /// The block's content is carried by the others (see the module docs).
    pub redundant: bool,
    /// Indices of the blocks that carry it, ascending: when redundant, those that make it so;
    /// otherwise every block that covers some of it through long runs (none for a short block).
    pub carriers: Vec<usize>,
}

/// The block's 8-gram hashes with their positions, sorted (built once, then shared).
fn sorted_grams(f: &Features) -> &[(u64, u32)] {
    f.long_grams.get_or_init(|| {
        let mut v: Vec<(u64, u32)> = grams(&f.tokens, MIN_RUN)
            .into_iter()
            .enumerate()
            .map(|(j, g)| (g, u32::try_from(j).unwrap_or(u32::MAX)))
            .collect();
        v.sort_unstable();
        v.into_boxed_slice()
    })
}

fn grams(tokens: &[u64], k: usize) -> Vec<u64> {
    if tokens.len() < k {
        return Vec::new();
    }
    tokens.windows(k).map(seq_hash).collect()
}

/// The 8-grams that more than one block holds, as a two-level Bloom filter: a cheap upper bound
/// of what other blocks can cover of a block through long runs, so that a block none of whose
/// neighbours can carry it is not verified against each of them (formulaic text, where every
/// line shares a phrase with dozens of others, would otherwise verify every candidate of every
/// line).
///
/// Sound by construction: a gram seen a second time finds both its bits set in `once` and
/// sets both in `twice`, so a gram two blocks hold always reads as shared; a chance collision
/// (or a gram repeated inside one block) only lets more blocks through to the exact test. Two
/// bits per gram, in one word, keep those chances small (under 1 in 100 at 16 bits per gram), which matters:
/// one false "shared" gram can bridge the gap that proves a block uncovered.
#[derive(Debug)]
pub struct SharedGrams {
    once: Vec<u64>,
    twice: Vec<u64>,
    shift: u32,
}

/// Bits per gram in each level of [`SharedGrams`].
const BITS_PER_GRAM: usize = 16;

/// Largest [`SharedGrams`] level: 2^27 bits, 16 MiB each of the two.
const MAX_SHARED_BITS: u32 = 27;

impl SharedGrams {
    /// The filter of the 8-grams of `blocks` (indices into `feats`).
    pub fn new(feats: &[&Features], blocks: impl Iterator<Item = usize> + Clone) -> Self {
        let total: usize = blocks
            .clone()
            .filter_map(|i| feats.get(i))
            .map(|f| (f.tokens.len() + 1).saturating_sub(MIN_RUN))
            .sum();
        let bits = (total * BITS_PER_GRAM)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(6, MAX_SHARED_BITS);
        let mut set = Self {
            once: vec![0; 1 << (bits - 6)],
            twice: vec![0; 1 << (bits - 6)],
            shift: 64 - bits,
        };
        for f in blocks.filter_map(|i| feats.get(i)) {
            for w in f.tokens.windows(MIN_RUN) {
                let (word, bits) = set.slot(seq_hash(w));
                if set.once[word] & bits == bits {
                    set.twice[word] |= bits;
                } else {
                    set.once[word] |= bits;
                }
            }
        }
        set
    }

    /// The gram's word and its two bits in it (one memory access per level): the word and the
    /// first bit from the top bits of the hash, the second bit from the hash mixed once more.
    fn slot(&self, gram: u64) -> (usize, u64) {
        let k = (gram >> self.shift) as usize;
        let second = (gram ^ (gram >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 58;
        (k / 64, (1 << (k % 64)) | (1 << second))
    }

    fn shared(&self, gram: u64) -> bool {
        let (word, bits) = self.slot(gram);
        self.twice.get(word).is_some_and(|w| w & bits == bits)
    }

    /// False when no set of other blocks of 8 tokens or more can make `a` redundant (see
    /// [`coverage`]): some token before a possible site suffix lies in no 8-gram that another
    /// block holds. Blocks shorter than 8 tokens cover through whole-block matches, which this
    /// set does not see: the caller lets `a` through when one of its candidates is that short.
    pub fn may_be_carried(&self, a: &Features) -> bool {
        let n = a.tokens.len();
        if n < MIN_RUN {
            return true;
        }
        // Every token before the last `SUFFIX_TOKENS + 1` must be covered (see `is_redundant`:
        // the uncovered tail is a site suffix of at most that many tokens, or a cut last word).
        let need = n.saturating_sub(SUFFIX_TOKENS + 1);
        // Tokens before `reach` lie in a shared gram that starts at or before the current one.
        let mut reach = 0;
        for (j, w) in a.tokens.windows(MIN_RUN).enumerate() {
            if reach >= need {
                return true;
            }
            if reach < j {
                return false;
            }
            if self.shared(seq_hash(w)) {
                reach = j + MIN_RUN;
            }
        }
        reach >= need
    }
}

/// The 8-grams of some blocks, each cut to its top 32 bits and sorted, in one array: a compact
/// first test for pairs ([`GramSets::may_cover_half`]) that reads one short stretch of memory per
/// block instead of each block's own list (a long document's blocks are far apart in memory,
/// and most pairs of formulaic text stop at this test).
#[derive(Debug, Default)]
pub struct GramSets {
    /// Block `i`'s grams are `grams[starts[i]..starts[i + 1]]` (empty when not wanted).
    starts: Vec<usize>,
    grams: Vec<u32>,
}

impl GramSets {
    /// The gram sets of the blocks `wanted` accepts.
    pub fn new(feats: &[&Features], wanted: impl Fn(usize) -> bool) -> Self {
        let mut starts = Vec::with_capacity(feats.len() + 1);
        let mut grams = Vec::new();
        starts.push(0);
        for (i, f) in feats.iter().enumerate() {
            if wanted(i) && f.tokens.len() >= MIN_RUN {
                let from = grams.len();
                grams.extend(
                    f.tokens
                        .windows(MIN_RUN)
                        .map(|w| (seq_hash(w) >> 32) as u32),
                );
                grams[from..].sort_unstable();
            }
            starts.push(grams.len());
        }
        Self { starts, grams }
    }

    fn of(&self, i: usize) -> &[u32] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&s), Some(&e)) => self.grams.get(s..e).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// [`may_cover_half`] for blocks `a` and `b` (with their features), counting the shared
    /// grams on the cut hashes first: a cut hash matches whenever the full one does, so the
    /// count only errs upwards, and a pair it rules out is ruled out for good.
    pub fn may_cover_half(&self, a: usize, fa: &Features, b: usize, fb: &Features) -> bool {
        let n = fa.tokens.len();
        let (ag, bg) = (self.of(a), self.of(b));
        if n >= MIN_RUN && !ag.is_empty() && !bg.is_empty() {
            let mut k = 0;
            let mut matched = 0;
            for &g in ag {
                while bg.get(k).is_some_and(|&x| x < g) {
                    k += 1;
                }
                matched += usize::from(bg.get(k) == Some(&g));
            }
            if 2 * MIN_RUN * matched < n {
                return false;
            }
        }
        may_cover_half(fa, fb)
    }
}

/// True when `b` alone may cover half of `a` or more (both of [`MIN_RUN`] tokens or more): the
/// tokens of `a` inside an 8-gram that `b` holds, an upper bound of the share [`coverage`] gives
/// for `b` alone, reach half of `a`. One merge of the two sorted gram lists, no allocation in
/// the common case of a pair that shares a phrase or two.
pub fn may_cover_half(a: &Features, b: &Features) -> bool {
    let n = a.tokens.len();
    if n < MIN_RUN || b.tokens.len() < MIN_RUN {
        return true;
    }
    let (ag, bg) = (sorted_grams(a), sorted_grams(b));
    // The positions in `a` of the grams `b` holds, in the order of their hashes.
    let matched = || {
        let mut k = 0;
        ag.iter().filter_map(move |&(g, i)| {
            while bg.get(k).is_some_and(|x| x.0 < g) {
                k += 1;
            }
            bg.get(k).is_some_and(|x| x.0 == g).then_some(i)
        })
    };
    // Each matched gram covers at most its own 8 tokens: most pairs stop here, unallocated.
    if 2 * MIN_RUN * matched().count() < n {
        return false;
    }
    let mut matched: Vec<u32> = matched().collect();
    matched.sort_unstable();
    let mut covered = 0;
    let mut reach = 0;
    for &i in &matched {
        let (start, end) = (i as usize, i as usize + MIN_RUN);
        covered += end - start.max(reach).min(end);
        reach = reach.max(end);
    }
    2 * covered >= n
}

/// A stretch of `a` (tokens `a.0..a.1`) found again in `b` (tokens `b.0..b.1`).
#[derive(Debug, Clone, Copy)]
struct Span {
    a: (usize, usize),
    b: (usize, usize),
}

/// A run of tokens common to `a` and `b`: tokens `.0...1` of `a` are tokens `.2...3` of `b`.
type Run = (usize, usize, usize, usize);

/// The stretches of `a` that `b` carries: common runs of [`MIN_RUN`] tokens or more (none when
/// the two blocks differ in a number or a negation around them, see [`changes_meaning`]), and
/// the whole of a short `b`.
fn cover_by(a: &Features, a_grams: &[u64], b: &Features) -> Vec<Span> {
    let mut spans = Vec::new();
    // Runs of MIN_RUN tokens or more.
    if a.tokens.len() >= MIN_RUN && b.tokens.len() >= MIN_RUN {
        let runs = common_runs(equal_grams(a, a_grams, b));
        if !changes_meaning(a, b, &runs) {
            spans.extend(runs.iter().map(|r| Span {
                a: (r.0, r.1),
                b: (r.2, r.3),
            }));
        }
    }
    spans.extend(whole_inside(&a.tokens, &b.tokens));
    spans
}

/// The equal 8-grams of `a` (whose grams in text order are `a_grams`) and `b`, as (position in
/// `a`, first position in `b`), sorted. Found from the shorter side, so a page-long block
/// against many paragraphs costs each paragraph's length, not the page's, per comparison.
fn equal_grams(a: &Features, a_grams: &[u64], b: &Features) -> Vec<(usize, usize)> {
    let bg = sorted_grams(b);
    let mut matches: Vec<(usize, usize)> = Vec::new();
    if a.tokens.len() <= b.tokens.len() {
        for (i, g) in a_grams.iter().enumerate() {
            let k = bg.partition_point(|x| x.0 < *g);
            if let Some(&(h, j)) = bg.get(k) {
                if h == *g {
                    matches.push((i, j as usize));
                }
            }
        }
    } else {
        let ag = sorted_grams(a);
        let mut first_b: Vec<(u64, u32)> = bg.to_vec();
        first_b.dedup_by_key(|x| x.0);
        for &(g, j) in &first_b {
            let k = ag.partition_point(|x| x.0 < g);
            for &(h, i) in &ag[k..] {
                if h != g {
                    break;
                }
                matches.push((i as usize, j as usize));
            }
        }
        matches.sort_unstable();
    }
    matches
}

/// Equal 8-grams (see [`equal_grams`]) joined into runs: a gram that starts one token after the
/// previous one, in `a` and in `b` alike, extends its run.
fn common_runs(matches: Vec<(usize, usize)>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (i, j) in matches {
        match runs.last_mut() {
            Some(r) if r.1 + 1 - MIN_RUN == i && r.3 + 1 - MIN_RUN == j => {
                r.1 = i + MIN_RUN;
                r.3 = j + MIN_RUN;
            }
            _ => runs.push((i, i + MIN_RUN, j, j + MIN_RUN)),
        }
    }
    runs
}

/// True when the common `runs` of `a` and `b` do not say the same thing in the two blocks: a
/// run stops where they differ in a number or a negation ([`run_stops_at_a_changed_mark`]), or
/// `b` holds such a word between two runs that are adjacent in `a`
/// ([`other_inserts_a_mark`]).
fn changes_meaning(a: &Features, b: &Features, runs: &[Run]) -> bool {
    run_stops_at_a_changed_mark(a, b, runs) || other_inserts_a_mark(b, runs)
}

/// True when token `k` of `f` (whose tokens are `t`) holds a digit or is a negation.
fn marked(f: &Features, t: &[u64], k: usize) -> bool {
    f.numeric
        .binary_search(&u32::try_from(k).unwrap_or(u32::MAX))
        .is_ok()
        || is_negation(t[k])
}

/// True when a run stops at a word where the two blocks differ and one of them is a number or
/// a negation ("I was no vodka" vs "I was not no vodka", "20 people" vs "30 people"): the
/// blocks say different things there.
fn run_stops_at_a_changed_mark(a: &Features, b: &Features, runs: &[Run]) -> bool {
    let (at, bt) = (&a.tokens, &b.tokens);
    let differs_at =
        |ka: usize, kb: usize| at[ka] != bt[kb] && (marked(a, at, ka) || marked(b, bt, kb));
    runs.iter().any(|r| {
        (r.0 > 0 && r.2 > 0 && differs_at(r.0 - 1, r.2 - 1))
            || (r.1 < at.len() && r.3 < bt.len() && differs_at(r.1, r.3))
    })
}

/// True when two runs are adjacent in `a` but apart in `b` (`b` has words `a` lacks) and those
/// words hold a number or a negation ("would apply" vs "would not apply"): `b` says something
/// else and carries none of `a`.
fn other_inserts_a_mark(b: &Features, runs: &[Run]) -> bool {
    let bt = &b.tokens;
    runs.windows(2).any(|w| {
        let (r1, r2) = (w[0], w[1]);
        r2.0 <= r1.1
            && r2.2 > r1.3
            && (r1.3..r2.2)
                .any(|k| b.numeric.binary_search(&(k as u32)).is_ok() || is_negation(bt[k]))
    })
}

/// Every place where the whole of a short block (tokens `bt`, fewer than [`MIN_RUN`]) lies
/// inside a longer one (tokens `at`): a single word only inside a block of [`MIN_RUN`] tokens
/// or more.
fn whole_inside(at: &[u64], bt: &[u64]) -> Vec<Span> {
    let mut spans = Vec::new();
    if bt.len() < MIN_RUN && bt.len() < at.len() && (bt.len() >= 2 || at.len() >= MIN_RUN) {
        for i in 0..=at.len() - bt.len() {
            if at[i..i + bt.len()] == bt[..] {
                spans.push(Span {
                    a: (i, i + bt.len()),
                    b: (0, bt.len()),
                });
            }
        }
    }
    spans
}

/// A stretch of a block (tokens `start..end`) that another block carries: a common run of
/// [`MIN_RUN`] tokens or more, or the whole of a short other block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// The block that carries it.
    pub block: usize,
    /// First token of the stretch in the covered block.
    pub start: usize,
    /// One past its last token.
    pub end: usize,
}

/// Every stretch of `a` that one of `others` carries (the runs [`coverage`] counts), sorted by
/// position in `a`, then by block.
pub fn pieces<'f>(a: &Features, others: impl Iterator<Item = (usize, &'f Features)>) -> Vec<Piece> {
    let a_grams = grams(&a.tokens, MIN_RUN);
    let mut out: Vec<Piece> = others
        .flat_map(|(j, b)| {
            cover_by(a, &a_grams, b).into_iter().map(move |s| Piece {
                block: j,
                start: s.a.0,
                end: s.a.1,
            })
        })
        .collect();
    out.sort_by_key(|p| (p.start, p.block, p.end));
    out.dedup();
    out
}

fn mark(covered: &mut [bool], spans: &[Span]) {
    for s in spans {
        covered[s.a.0..s.a.1].iter_mut().for_each(|c| *c = true);
    }
}

/// True when `b` lies inside `a` as one of its parts: every token of `b` is in a span, except
/// words before the first span when that span opens `a`, and words after the last one when it
/// closes `a` (a run-together that starts or ends with a cut piece of its neighbour).
fn is_part(a: &Features, b: &Features, spans: &[Span]) -> bool {
    let mut in_a = vec![false; b.tokens.len()];
    for s in spans {
        in_a[s.b.0..s.b.1].iter_mut().for_each(|c| *c = true);
    }
    let (Some(first), Some(last)) = (
        spans.iter().min_by_key(|s| s.b.0),
        spans.iter().max_by_key(|s| s.b.1),
    ) else {
        return false;
    };
    let from = if first.a.0 == 0 { first.b.0 } else { 0 };
    let n = a.tokens.len();
    let closes = last.a.1 == n || (a.ellipsis_end && last.a.1 + 1 == n);
    let to = if closes { last.b.1 } else { b.tokens.len() };
    in_a[from..to].iter().all(|&c| c)
}

/// Computes how `others` (with their block indices) cover `a`.
///
/// Several blocks together carry `a` only as its parts (a run-together of them): a block that
/// also holds words `a` lacks is a variant, and variants of one paragraph that each swap a
/// different sentence cover each other without any being a copy. Such a block still counts
/// when it carries all of `a` on its own.
pub fn coverage<'f>(a: &Features, others: impl Iterator<Item = (usize, &'f Features)>) -> Coverage {
    let n = a.tokens.len();
    if n == 0 {
        return Coverage {
            score: 0.0,
            redundant: false,
            carriers: Vec::new(),
        };
    }
    let a_grams = grams(&a.tokens, MIN_RUN);
    let mut found: Vec<(usize, &Features, Vec<Span>)> = others
        .filter_map(|(j, b)| {
            let spans = cover_by(a, &a_grams, b);
            (!spans.is_empty()).then_some((j, b, spans))
        })
        .collect();
    found.sort_by_key(|c| c.0);
    found.dedup_by_key(|c| c.0);
    let mut covered = vec![false; n];
    for (_, _, spans) in &found {
        mark(&mut covered, spans);
    }
    let count = covered.iter().filter(|&&c| c).count();
    #[expect(
        clippy::cast_precision_loss,
        reason = "token counts are far below 2^52"
    )]
    let score = count as f64 / n as f64;
    // One block alone (the first that does, in block order).
    let alone = |covered: &mut Vec<bool>| {
        found.iter().find_map(|(j, b, spans)| {
            covered.iter_mut().for_each(|c| *c = false);
            mark(covered, spans);
            is_redundant(a, covered, &[(*j, b)]).then_some(*j)
        })
    };
    // A short block must be carried by one block alone (see `is_redundant`).
    let (redundant, carriers) = if n < MIN_RUN || found.len() == 1 {
        let j = alone(&mut covered);
        (j.is_some(), j.into_iter().collect())
    } else {
        let parts: Vec<(usize, &Features)> = found
            .iter()
            .filter(|(_, b, spans)| is_part(a, b, spans))
            .map(|(j, b, _)| (*j, *b))
            .collect();
        let mut by_parts = vec![false; n];
        for (_, _, spans) in found.iter().filter(|c| parts.iter().any(|p| p.0 == c.0)) {
            mark(&mut by_parts, spans);
        }
        if parts.len() > 1 && is_redundant(a, &by_parts, &parts) {
            (true, parts.iter().map(|p| p.0).collect())
        } else if let Some(j) = alone(&mut by_parts) {
            (true, vec![j])
        } else {
            (false, found.iter().map(|c| c.0).collect())
        }
    };
    Coverage {
        score,
        redundant,
        carriers,
    }
}

/// Longest uncovered site suffix.
const SUFFIX_TOKENS: usize = 6;

/// A block this long may sit anywhere inside another block and still count as its copy.
const LONG_INSIDE: usize = 3 * MIN_RUN;

fn is_redundant(a: &Features, covered: &[bool], carriers: &[(usize, &Features)]) -> bool {
    let n = covered.len();
    // A short block made of pieces of several blocks is a coincidence of labels
    // ("medium-wide-browser-and-larger"), not a run-together copy.
    if carriers.len() > 1 && n < MIN_RUN {
        return false;
    }
    let mut end = n;
    // The last word of a block cut with an ellipsis may be cut too ("stun..."); a number is
    // never taken for a cut word ("Rekhi, 41,..." vs "Rekhi, 82,...").
    let last_numeric = a
        .numeric
        .last()
        .is_some_and(|&i| i as usize == end.saturating_sub(1));
    if a.ellipsis_end && end > 1 && !covered[end - 1] && !last_numeric {
        end -= 1;
    }
    let Some(first_gap) = covered[..end].iter().position(|&c| !c) else {
        // Wholly covered. A block inside a single other block is its copy when it starts that
        // block or a part of it after a separator (a teaser, a lede without its dateline), or
        // when it is long; a clause that merely recurs inside a paragraph is not.
        if let [(_, b)] = carriers {
            if n < LONG_INSIDE && !starts_part_of(a, b) {
                return false;
            }
        }
        return true;
    };
    // Only a site suffix may stay uncovered: a short tail after a separator, behind a core
    // that is a whole other block ("Headline | Site").
    let tail = end - first_gap;
    covered[first_gap..end].iter().all(|&c| !c)
        && tail <= SUFFIX_TOKENS
        && first_gap >= 3
        && a.boundaries
            .binary_search(&u32::try_from(first_gap).unwrap_or(u32::MAX))
            .is_ok()
        && carriers
            .iter()
            .any(|(_, b)| b.tokens[..] == a.tokens[..first_gap])
}

/// True when `a`'s opening tokens occur in `b` at its start or right after a separator.
fn starts_part_of(a: &Features, b: &Features) -> bool {
    let k = a.tokens.len().min(MIN_RUN);
    let head = &a.tokens[..k];
    b.tokens.windows(k).enumerate().any(|(p, w)| {
        w == head
            && (p == 0
                || b.boundaries
                    .binary_search(&u32::try_from(p).unwrap_or(u32::MAX))
                    .is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::features;

    fn cov(a: &str, others: &[&str]) -> Coverage {
        let fa = features(a);
        let fo: Vec<Features> = others.iter().map(|o| features(o)).collect();
        coverage(&fa, fo.iter().enumerate())
    }

    /// Features of `n` distinct words `w0 w1 ...`, with `extra` put in before word `at`.
    fn numbered(n: usize, at: usize, extra: &str) -> Features {
        let mut words: Vec<String> = (0..n)
            .map(|i| format!("w{}x", char::from(b'a' + i as u8)))
            .collect();
        if !extra.is_empty() {
            words.insert(at, extra.to_string());
        }
        features(&words.join(" "))
    }

    #[test]
    fn equal_grams_are_found_from_either_side_in_order_of_a() {
        // b is a with one word in front: every gram of a is in b one token later.
        let a = numbered(10, 0, "");
        let b = numbered(10, 0, "zz");
        let want = vec![(0, 1), (1, 2), (2, 3)];
        assert_eq!(equal_grams(&a, &grams(&a.tokens, MIN_RUN), &b), want);
        // From the other side (a longer than b): the same pairs, turned around.
        let back = equal_grams(&b, &grams(&b.tokens, MIN_RUN), &a);
        assert_eq!(back, vec![(1, 0), (2, 1), (3, 2)]);
        let other = numbered(3, 0, "");
        assert!(equal_grams(&a, &grams(&a.tokens, MIN_RUN), &other).is_empty());
    }

    #[test]
    fn consecutive_grams_join_into_one_run() {
        assert_eq!(
            common_runs(vec![(0, 5), (1, 6), (2, 7), (3, 20), (12, 0)]),
            vec![(0, 10, 5, 15), (3, 11, 20, 28), (12, 20, 0, 8)]
        );
        assert!(common_runs(Vec::new()).is_empty());
    }

    #[test]
    fn a_run_that_stops_at_a_changed_number_changes_the_meaning() {
        let runs_of =
            |a: &Features, b: &Features| common_runs(equal_grams(a, &grams(&a.tokens, MIN_RUN), b));
        let a = features("the council said that 20 people from the old town came to the meeting");
        let b = features("the council said that 30 people from the old town came to the meeting");
        let runs = runs_of(&a, &b);
        assert_eq!(runs, vec![(5, 14, 5, 14)]);
        assert!(run_stops_at_a_changed_mark(&a, &b, &runs));
        assert!(changes_meaning(&a, &b, &runs));
        // A changed plain word at the same place is a wording edit.
        let a = features("the council said that big crowds from the old town came to the meeting");
        let c =
            features("the council said that small crowds from the old town came to the meeting");
        let runs = runs_of(&a, &c);
        assert!(!run_stops_at_a_changed_mark(&a, &c, &runs));
        assert!(!changes_meaning(&a, &c, &runs));
    }

    #[test]
    fn a_negation_between_two_runs_of_the_other_block_changes_the_meaning() {
        let a = numbered(16, 0, "");
        let runs_of = |b: &Features| common_runs(equal_grams(&a, &grams(&a.tokens, MIN_RUN), b));
        // "not" inside the inserted words: the runs stop at plain words on both sides.
        let b = numbered(16, 8, "also not really");
        let runs = runs_of(&b);
        assert_eq!(runs, vec![(0, 8, 0, 8), (8, 16, 11, 19)]);
        assert!(other_inserts_a_mark(&b, &runs));
        assert!(!run_stops_at_a_changed_mark(&a, &b, &runs));
        assert!(cover_by(&a, &grams(&a.tokens, MIN_RUN), &b).is_empty());
        // Other inserted words are no change of meaning: both runs carry a.
        let c = numbered(16, 8, "also very really");
        let runs = runs_of(&c);
        assert!(!other_inserts_a_mark(&c, &runs));
        assert!(!changes_meaning(&a, &c, &runs));
        assert_eq!(cover_by(&a, &grams(&a.tokens, MIN_RUN), &c).len(), 2);
    }

    #[test]
    fn a_short_block_is_found_whole_inside_a_longer_one() {
        let at: Vec<u64> = vec![1, 2, 3, 2, 3];
        let found: Vec<(usize, usize)> = whole_inside(&at, &[2, 3]).iter().map(|s| s.a).collect();
        assert_eq!(found, vec![(1, 3), (3, 5)]);
        // One word counts only inside a block of MIN_RUN tokens or more.
        assert!(whole_inside(&at, &[2]).is_empty());
        let long: Vec<u64> = (0..8).collect();
        assert_eq!(whole_inside(&long, &[5]).len(), 1);
        // A block of MIN_RUN tokens or more is no short block; nor is one as long as `at`.
        assert!(whole_inside(&long, &long).is_empty());
        assert!(whole_inside(&[1, 2], &[1, 2]).is_empty());
    }

    #[test]
    fn title_with_site_suffix_is_covered_by_its_headline() {
        let c = cov(
            "UK Tories under fire for Twitter name switch during debate | Hosted",
            &["UK Tories under fire for Twitter name switch during debate"],
        );
        assert!(c.redundant);
        assert_eq!(c.carriers, vec![0]);
    }

    #[test]
    fn title_with_a_guillemet_separator_is_covered_by_its_headline() {
        let c = cov(
            "Bridge reopens after eight months of repairs \u{bb} Harbour Times",
            &["Bridge reopens after eight months of repairs"],
        );
        assert!(c.redundant);
    }

    #[test]
    fn headline_is_not_covered_by_a_longer_paragraph_without_separator() {
        let c = cov(
            "Day one of the summit",
            &["Day one of the summit was marked by long talks about trade and energy"],
        );
        assert!(!c.redundant);
    }

    #[test]
    fn full_paragraph_is_not_covered_by_its_truncated_teaser() {
        let para = "Photos which were released online and are making the rounds on social media show the actress looking absolutely stunning";
        let teaser = "Photos which were released online and are making the rounds on social media show the actress looking absolutely stun...";
        assert!(cov(teaser, &[para]).redundant);
        assert!(!cov(para, &[teaser]).redundant);
    }

    #[test]
    fn a_number_before_an_ellipsis_is_no_cut_word() {
        let a =
            "The victim was identified by police as local shop owner Raminder Singh Rekhi, 41,...";
        let b =
            "The victim was identified by police as local shop owner Raminder Singh Rekhi, 82,...";
        assert!(!cov(a, &[b]).redundant);
    }

    #[test]
    fn short_label_inside_a_sentence_is_not_covered() {
        assert!(
            !cov(
                "Politics",
                &["Politics is the art of the possible, he said"]
            )
            .redundant
        );
        assert!(
            !cov(
                "Read more",
                &["Read more about the trial in our live coverage of the day"]
            )
            .redundant
        );
    }

    #[test]
    fn heading_covered_only_by_short_runs_is_not_redundant() {
        let c = cov(
            "Highlights From Belousov\u{2019}s Meeting with the North Korean Defense Minister:",
            &[
                "Highlights From Belousov\u{2019}s Meeting With Kim Jong-un:",
                "\"Currently, the military departments\" North Korea\u{2019}s defense minister said, adding that the North Korean Defense Minister agreed",
            ],
        );
        assert!(!c.redundant);
    }

    #[test]
    fn a_negation_inserted_in_the_other_block_is_no_cover() {
        let a = "The committee said the new parking rules would apply to residents of the old town from March";
        let b = "The committee said the new parking rules would not apply to residents of the old town from March";
        assert!(!cov(a, &[b]).redundant);
        assert!(!cov(b, &[a]).redundant);
    }

    #[test]
    fn run_together_is_covered_by_its_parts() {
        let c = cov(
            "Experience is thrilled to have Junior Gaspard as our new President and CEO. We asked him to share some insights into the business of Exp\u{2026}",
            &[
                "Experience is thrilled to have Junior Gaspard as our new President and CEO.",
                "We asked him to share some insights into the business of Experience and what is next.",
            ],
        );
        assert!(c.redundant);
        assert_eq!(c.carriers, vec![0, 1]);
    }

    #[test]
    fn variants_that_swap_different_sentences_are_no_parts() {
        let s1 = "The festival committee met on Monday evening to plan the summer programme.";
        let s2 =
            "Members agreed that the opening concert would move from the church to the square.";
        let s3 = "Volunteers will be needed to set up the stage and the lights during the week.";
        let x = "A local brewery has offered to sponsor the beer tent for the whole weekend.";
        let y = "The committee chair thanked the council for the grant that pays for the events.";
        let c = cov(
            &format!("{s1} {s2} {s3}"),
            &[&format!("{s1} {s2} {x}"), &format!("{y} {s2} {s3}")],
        );
        assert!(!c.redundant);
        assert_eq!(c.carriers, vec![0, 1], "both still cover some of it");
        // The same words as parts: a run-together.
        let c = cov(&format!("{s1} {s2} {s3}"), &[s1, &format!("{s2} {s3}")]);
        assert!(c.redundant);
    }

    /// Word lists from a vocabulary of a few words, so that 8-word runs recur often: a block
    /// and others made of its pieces (some with a word inserted or swapped) and of other words.
    fn block_and_others() -> impl proptest::strategy::Strategy<Value = (String, Vec<String>)> {
        use proptest::prelude::*;
        const VOCAB: &[&str] = &[
            "ab", "cd", "ef", "gh", "ij", "no", "not", "7", "kl", "|", "mn…",
        ];
        let word = proptest::sample::select(VOCAB);
        (proptest::collection::vec(word.clone(), 1..40)).prop_flat_map(move |base| {
            let n = base.len();
            let other = (
                0..=n,
                0..=n,
                proptest::option::of((0..40usize, word.clone())),
                any::<bool>(),
            )
                .prop_map({
                    let base = base.clone();
                    move |(i, j, edit, fresh)| {
                        let (i, j) = (i.min(j), i.max(j));
                        let mut w: Vec<&str> = if fresh {
                            base.iter().rev().copied().collect()
                        } else {
                            base[i..j].to_vec()
                        };
                        if let Some((at, x)) = edit {
                            let at = at.min(w.len());
                            w.insert(at, x);
                        }
                        w.join(" ")
                    }
                });
            (Just(base.join(" ")), proptest::collection::vec(other, 1..6))
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// The cheap bounds never stop a block that the exact test would find carried, or a pair
        /// in which one block covers half of the other.
        #[test]
        fn the_bounds_never_hide_a_cover((a, others) in block_and_others()) {
            let mut feats = vec![features(&a)];
            feats.extend(others.iter().map(|o| features(o)));
            let refs: Vec<&Features> = feats.iter().collect();
            let shared = SharedGrams::new(&refs, 0..feats.len());
            let sets = GramSets::new(&refs, |_| true);
            let c = coverage(&feats[0], feats.iter().enumerate().skip(1));
            let short_other = feats[1..].iter().any(|f| f.tokens.len() < MIN_RUN);
            if c.redundant && !short_other {
                proptest::prop_assert!(shared.may_be_carried(&feats[0]), "{a:?} / {others:?}");
            }
            for (j, f) in feats.iter().enumerate().skip(1) {
                let one = coverage(&feats[0], std::iter::once((j, f)));
                if one.score >= 0.5 {
                    proptest::prop_assert!(may_cover_half(&feats[0], f), "{a:?} / {:?}", others[j - 1]);
                    proptest::prop_assert!(sets.may_cover_half(0, &feats[0], j, f));
                }
            }
        }
    }
}
