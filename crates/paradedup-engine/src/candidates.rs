//! Candidates: features of the kept blocks → for each block, the blocks that may cover it.
//!
//! Never all pairs. Two indexes feed the lists:
//! - winnowed token 4-grams (window 5): two blocks that share a run of 8 or more tokens are
//!   guaranteed to share a selected 4-gram, so every long common run is found while only about a
//!   third of the positions is indexed. A 4-gram held by more than [`MAX_POSTING`] blocks is too
//!   common to be evidence and is dropped;
//! - whole short blocks (1 to 7 tokens), looked up by sequence hash at every position of every
//!   block, for runs that are a whole other block ("Ratification of the Comprehensive Strategic
//!   Partnership Treaty" inside a run-together teaser) or the whole of this one.
//!
//! Time grows linearly with the number of tokens, up to the size of the postings lists.

use rayon::prelude::*;

use crate::fingerprint::{extend, Features, HashMap64, GRAM, WINDOW};

/// Longest run the whole-block index handles; longer runs are found by the gram index.
pub const SHORT: usize = 7;
/// Postings longer than this are dropped (boilerplate 4-grams such as "one of the most").
pub const MAX_POSTING: usize = 64;
/// Most blocks one block is compared with through shared grams (or one per 8 of its tokens, if
/// more): the strongest evidence first (grams shared with few other blocks weigh more).
/// Ordinary pages never come near it; in formulaic text (phrases that recur in dozens of
/// lines) it keeps the work per block bounded.
pub const MAX_CANDIDATES: usize = 32;

/// Blocks per parallel task: small documents run in one task (splitting costs more than it
/// saves, and a dump already runs many documents side by side).
pub const MIN_SPLIT: usize = 512;

/// Sorts in parallel when that pays off.
fn sort<T: Ord + Send>(v: &mut [T]) {
    if v.len() > 50_000 {
        v.par_sort_unstable();
    } else {
        v.sort_unstable();
    }
}

/// Largest bit set of short blocks' first tokens (2^20 bits, 128 KiB: it stays in cache).
const FIRST_BITS: usize = 1 << 20;

/// Largest bit set of short blocks' sequence hashes (2^23 bits, 1 MiB). Both sets are sized to
/// the number of short blocks (16 bits each), so a small document does not pay for them.
const SEQ_BITS: usize = 1 << 23;

thread_local! {
    /// Evidence per block of the document (zero between uses), reused from block to block.
    static EVIDENCE: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// For each block, the sorted indices of other kept blocks that may share a long run with it or
/// cover it in part. `kept[i]` false excludes block `i` on both sides.
pub fn candidates(feats: &[&Features], kept: &[bool]) -> Lists {
    let n = feats.len();
    let grams = GramIndex::new(feats, kept);
    let lists: Vec<Vec<u32>> = (0..n)
        .into_par_iter()
        .with_min_len(MIN_SPLIT)
        .map(|a| {
            let most = MAX_CANDIDATES.max(feats[a].tokens.len() / (GRAM + WINDOW - 1));
            grams.strongest(a, most)
        })
        .collect();
    drop(grams);
    Lists::from(join_pairs(lists, short_block_pairs(feats, kept)))
}

/// The shared winnowed grams of a document, and which of them each block holds.
struct GramIndex {
    /// One integer per (gram, block), the block in the low bits and the top of the gram hash
    /// above them, sorted.
    postings: Vec<u64>,
    id_mask: u64,
    /// The grams of each block that other blocks hold too, as ranges of `postings`:
    /// `member[starts[b]..starts[b + 1]]`.
    starts: Vec<usize>,
    member: Vec<(u32, u32)>,
    /// Number of blocks.
    n: usize,
}

impl GramIndex {
    /// The index of the kept blocks' winnowed grams. Equal tops are one gram (a chance
    /// collision of the shortened hash only adds a candidate, which verification rejects).
    fn new(feats: &[&Features], kept: &[bool]) -> Self {
        let n = feats.len();
        let bits = usize::BITS - n.leading_zeros();
        let id_mask = (1u64 << bits) - 1;
        let total: usize = feats.iter().map(|f| f.minimizers.len()).sum();
        let mut postings: Vec<u64> = Vec::with_capacity(total);
        for (i, f) in feats.iter().enumerate() {
            if kept[i] {
                let id = i as u64;
                postings.extend(f.minimizers.iter().map(|&h| (h & !id_mask) | id));
            }
        }
        sort(&mut postings);
        // A gram selected twice in one block counts once.
        postings.dedup();
        let groups = shared_grams(&postings, id_mask);
        let mut index = GramIndex {
            postings,
            id_mask,
            starts: Vec::new(),
            member: Vec::new(),
            n,
        };
        index.memberships(&groups);
        index
    }

    /// The block of a posting.
    fn block(&self, p: u64) -> u32 {
        u32::try_from(p & self.id_mask).unwrap_or(u32::MAX)
    }

    /// Each block's groups, by a counting sort on the block: a block's candidates are read from
    /// its own grams' postings, with no list of all pairs (phrase-heavy text would make it
    /// hundreds of pairs per block).
    fn memberships(&mut self, groups: &[(u32, u32)]) {
        let n = self.n;
        let mut starts = vec![0usize; n + 1];
        for &(rs, re) in groups {
            for &p in &self.postings[rs as usize..re as usize] {
                starts[self.block(p) as usize + 1] += 1;
            }
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut member: Vec<(u32, u32)> = vec![(0, 0); starts[n]];
        let mut next = starts.clone();
        for &(rs, re) in groups {
            for &p in &self.postings[rs as usize..re as usize] {
                let b = self.block(p) as usize;
                member[next[b]] = (rs, re);
                next[b] += 1;
            }
        }
        self.starts = starts;
        self.member = member;
    }

    /// The (at most `most`) blocks with the strongest evidence of sharing a run with block `a`,
    /// sorted by block.
    fn strongest(&self, a: usize, most: usize) -> Vec<u32> {
        let own = &self.member[self.starts[a]..self.starts[a + 1]];
        if own.is_empty() {
            return Vec::new();
        }
        let mut scored = self.evidence(a, own);
        if scored.len() > most {
            // The strongest evidence first; equal evidence, the nearer block (copies in a
            // page sit near each other more often than not), then the lower one.
            let near = |b: u32| (b as usize).abs_diff(a);
            // A total order, so the strongest `most` are the same whatever the selection
            // does with the rest; the list is sorted by block below.
            scored.select_nth_unstable_by(most - 1, |x, y| {
                y.0.total_cmp(&x.0)
                    .then(near(x.1).cmp(&near(y.1)))
                    .then(x.1.cmp(&y.1))
            });
            scored.truncate(most);
        }
        let mut list: Vec<u32> = scored.into_iter().map(|(_, b)| b).collect();
        list.sort_unstable();
        list
    }

    /// Evidence per other block: the grams block `a` shares with it (`own`), each weighing
    /// 1 / (blocks holding it), summed into one slot per block. The rarest grams are added
    /// first, so each block's sum is the same whatever the order of the grams in the text.
    fn evidence(&self, a: usize, own: &[(u32, u32)]) -> Vec<(f64, u32)> {
        let mut own = own.to_vec();
        own.sort_unstable_by_key(|&(rs, re)| (re - rs, rs));
        EVIDENCE.with_borrow_mut(|weights| {
            if weights.len() < self.n {
                weights.resize(self.n, 0.0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for &(rs, re) in &own {
                let w = 1.0 / f64::from(re - rs);
                for &p in &self.postings[rs as usize..re as usize] {
                    let b = self.block(p);
                    if b as usize != a {
                        let slot = &mut weights[b as usize];
                        if *slot == 0.0 {
                            touched.push(b);
                        }
                        *slot += w;
                    }
                }
            }
            touched
                .into_iter()
                .map(|b| (std::mem::take(&mut weights[b as usize]), b))
                .collect()
        })
    }
}

/// The grams that two to [`MAX_POSTING`] blocks share, as ranges of the sorted `postings`.
fn shared_grams(postings: &[u64], id_mask: u64) -> Vec<(u32, u32)> {
    let mut groups: Vec<(u32, u32)> = Vec::new(); // (range start, range end)
    let mut s = 0;
    while s < postings.len() {
        let top = postings[s] & !id_mask;
        let mut e = s + 1;
        while e < postings.len() && postings[e] & !id_mask == top {
            e += 1;
        }
        if e - s >= 2 && e - s <= MAX_POSTING {
            groups.push((
                u32::try_from(s).unwrap_or(u32::MAX),
                u32::try_from(e).unwrap_or(u32::MAX),
            ));
        }
        s = e;
    }
    groups
}

/// The pairs (either way) of a kept short block and a kept block that holds it whole.
fn short_block_pairs(feats: &[&Features], kept: &[bool]) -> Vec<(u32, u32)> {
    let index = ShortIndex::new(feats, kept);
    if index.short.is_empty() {
        return Vec::new();
    }
    feats
        .par_iter()
        .with_min_len(MIN_SPLIT)
        .enumerate()
        .filter(|(i, _)| kept[*i])
        .flat_map_iter(|(i, f)| index.pairs_in(u32::try_from(i).unwrap_or(u32::MAX), &f.tokens))
        .collect()
}

/// The whole-short-block index: sequence hash → block (token-equal blocks were merged before,
/// so one block per sequence among the kept ones), with bit sets that reject most positions
/// before the map is probed.
struct ShortIndex {
    short: HashMap64<u32>,
    /// Bit l set: some short block has l tokens; other lengths are not looked up.
    lengths: u32,
    max_len: usize,
    /// First tokens of the short blocks, as a bit set: a run can only match at a position whose
    /// token starts some short block, and most positions are rejected by one bit test.
    firsts: Vec<u64>,
    first_mask: usize,
    /// The same for the short blocks' sequence hashes.
    seqs: Vec<u64>,
    seq_mask: usize,
}

impl ShortIndex {
    fn new(feats: &[&Features], kept: &[bool]) -> Self {
        let is_short =
            |i: usize, f: &Features| kept[i] && !f.tokens.is_empty() && f.tokens.len() <= SHORT;
        let mut short: HashMap64<u32> = HashMap64::default();
        let mut lengths = 0u32;
        for (i, f) in feats.iter().enumerate() {
            if is_short(i, f) {
                lengths |= 1 << f.tokens.len();
                short
                    .entry(f.seq_hash)
                    .or_insert(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        let wanted = (short.len() * 16).next_power_of_two().max(64);
        // Powers of two: a bit is picked with a mask (a `%` by a size the compiler cannot know is
        // a power of two costs a division at every token).
        let first_mask = wanted.min(FIRST_BITS) - 1;
        let seq_mask = wanted.min(SEQ_BITS) - 1;
        let mut firsts = vec![0u64; (first_mask + 1) / 64];
        let mut seqs = vec![0u64; (seq_mask + 1) / 64];
        for (i, f) in feats.iter().enumerate() {
            if is_short(i, f) {
                let bit = (f.tokens[0] as usize) & first_mask;
                firsts[bit / 64] |= 1 << (bit % 64);
                let bit = (f.seq_hash >> 40) as usize & seq_mask;
                seqs[bit / 64] |= 1 << (bit % 64);
            }
        }
        ShortIndex {
            short,
            lengths,
            max_len: (32 - lengths.leading_zeros()) as usize,
            firsts,
            first_mask,
            seqs,
            seq_mask,
        }
    }

    /// The short blocks whole inside block `id` (tokens `t`) and shorter than it, each pair both
    /// ways: the short block may cover this block, and this block may cover it.
    fn pairs_in(&self, id: u32, t: &[u64]) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for s in 0..t.len() {
            let bit = (t[s] as usize) & self.first_mask;
            if self.firsts[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let mut h = crate::fingerprint::seq_hash(&[]);
            for (l, &tok) in t[s..].iter().take(self.max_len).enumerate() {
                h = extend(h, tok);
                let len = l + 1;
                if len == t.len() {
                    break;
                }
                if self.lengths & (1 << len) == 0 {
                    continue;
                }
                let bit = (h >> 40) as usize & self.seq_mask;
                if self.seqs[bit / 64] & (1 << (bit % 64)) == 0 {
                    continue;
                }
                if let Some(&b) = self.short.get(&h) {
                    if b != id {
                        out.push((id, b));
                        out.push((b, id));
                    }
                }
            }
        }
        out
    }
}

/// The short-block pairs joined to the gram candidates' lists (sorted by block, so each block
/// once in `touched`).
fn join_pairs(mut lists: Vec<Vec<u32>>, mut pairs: Vec<(u32, u32)>) -> Vec<Vec<u32>> {
    sort(&mut pairs);
    pairs.dedup();
    let mut touched: Vec<u32> = Vec::new();
    for (a, b) in pairs {
        if let Some(l) = lists.get_mut(a as usize) {
            l.push(b);
            if touched.last() != Some(&a) {
                touched.push(a);
            }
        }
    }
    for a in touched {
        let l = &mut lists[a as usize];
        l.sort_unstable();
        l.dedup();
    }
    lists
}

/// One list of block indices per block, held in one allocation (the lists of a large document
/// are held until it is decided: one `Vec` each would cost 24 bytes a block more).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lists {
    /// List `i` is `items[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    items: Vec<u32>,
}

impl Lists {
    /// The number of lists.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// True when there are no lists.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lists in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u32]> {
        self.starts.windows(2).map(|w| &self.items[w[0]..w[1]])
    }
}

impl From<Vec<Vec<u32>>> for Lists {
    fn from(lists: Vec<Vec<u32>>) -> Self {
        let mut starts = Vec::with_capacity(lists.len() + 1);
        let mut items = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        starts.push(0);
        for l in lists {
            items.extend_from_slice(&l);
            starts.push(items.len());
        }
        Lists { starts, items }
    }
}

impl std::ops::Index<usize> for Lists {
    type Output = [u32];

    fn index(&self, i: usize) -> &[u32] {
        &self.items[self.starts[i]..self.starts[i + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::features;

    #[test]
    fn long_run_and_whole_block_are_found() {
        let docs = [
            "one two three four five six seven eight nine ten eleven",
            "zero one two three four five six seven eight nine",
            "unrelated words here",
            "alpha beta gamma six seven eight",
            "six seven",
        ];
        let f: Vec<Features> = docs.iter().map(|d| features(d)).collect();
        let f: Vec<&Features> = f.iter().collect();
        let c = candidates(&f, &[true; 5]);
        assert_eq!(c[0], vec![1, 4]);
        assert!(c[2].is_empty());
        assert!(c[3].contains(&4));
        assert!(c[4].contains(&3));
    }

    #[test]
    fn lists_read_back_as_built() {
        let lists = Lists::from(vec![vec![2, 5], vec![], vec![0]]);
        assert_eq!(lists.len(), 3);
        assert_eq!(&lists[0], &[2, 5]);
        assert!(lists[1].is_empty());
        assert_eq!(lists.iter().collect::<Vec<_>>(), [&[2, 5][..], &[], &[0]]);
        assert!(Lists::from(Vec::new()).is_empty());
    }

    /// Made-up words `w{seed}_{k}`: blocks share only what a test gives them.
    fn words(seed: usize, n: usize) -> String {
        (0..n).map(|k| format!("w{seed}x{k} ")).collect()
    }

    #[test]
    fn a_block_keeps_its_strongest_candidates_past_the_cap() {
        // Block 0 shares one 8-word phrase with 40 lines (weak evidence: a gram in 41 blocks),
        // and two rare phrases with the last block, far below.
        let phrase = words(1, 8);
        let (rare_a, rare_b) = (words(2, 8), words(3, 8));
        let mut docs = vec![format!("{phrase}{rare_a}{}{rare_b}", words(4, 3))];
        docs.extend((0..40).map(|i| format!("{}{phrase}{}", words(100 + i, 3), words(200 + i, 3))));
        docs.push(format!("{rare_a}{}{rare_b}", words(5, 2)));
        let f: Vec<Features> = docs.iter().map(|d| features(d)).collect();
        let f: Vec<&Features> = f.iter().collect();
        let c = candidates(&f, &vec![true; docs.len()]);
        assert_eq!(c[0].len(), MAX_CANDIDATES);
        assert!(
            c[0].contains(&41),
            "the block with the rare phrases: {:?}",
            &c[0]
        );
        // A block of many words is compared with one block per 8 of its words.
        let parts: Vec<String> = (0..40).map(|i| words(300 + i, 9)).collect();
        let mut docs = vec![parts.concat()];
        docs.extend(parts);
        let f: Vec<Features> = docs.iter().map(|d| features(d)).collect();
        let f: Vec<&Features> = f.iter().collect();
        let c = candidates(&f, &vec![true; docs.len()]);
        assert_eq!(c[0], (1..=40).collect::<Vec<u32>>());
    }
}
