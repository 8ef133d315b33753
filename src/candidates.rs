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

use std::collections::HashMap;

use rayon::prelude::*;

use crate::fingerprint::{extend, seq_hash, Features};

/// Tokens per indexed gram.
pub const GRAM: usize = 4;
/// Grams per winnowing window: runs of `GRAM + WINDOW - 1` = 8 tokens are always found.
pub const WINDOW: usize = 5;
/// Longest run the whole-block index handles; longer runs are found by the gram index.
pub const SHORT: usize = 7;
/// Postings longer than this are dropped (boilerplate 4-grams such as "one of the most").
pub const MAX_POSTING: usize = 64;

/// The selected gram hashes of one block.
fn minimizers(tokens: &[u64], out: &mut Vec<u64>) {
    if tokens.len() < GRAM {
        return;
    }
    let grams: Vec<u64> = tokens.windows(GRAM).map(seq_hash).collect();
    if grams.len() <= WINDOW {
        if let Some(&m) = grams.iter().min() {
            out.push(m);
        }
        return;
    }
    let mut last: Option<usize> = None;
    for w in 0..=grams.len() - WINDOW {
        // Rightmost minimum of the window, so a tie picks one position consistently.
        let mut best = w;
        for i in w..w + WINDOW {
            if grams[i] <= grams[best] {
                best = i;
            }
        }
        if last != Some(best) {
            out.push(grams[best]);
            last = Some(best);
        }
    }
}

/// For each block, the sorted indices of other kept blocks that may share a long run with it or
/// cover it in part. `kept[i]` false excludes block `i` on both sides.
pub fn candidates(feats: &[Features], kept: &[bool]) -> Vec<Vec<u32>> {
    let n = feats.len();
    // Gram index: (gram hash, block) sorted by hash.
    let mut postings: Vec<(u64, u32)> = feats
        .par_iter()
        .enumerate()
        .filter(|(i, _)| kept[*i])
        .flat_map_iter(|(i, f)| {
            let mut m = Vec::new();
            minimizers(&f.tokens, &mut m);
            m.sort_unstable();
            m.dedup();
            let id = u32::try_from(i).unwrap_or(u32::MAX);
            m.into_iter().map(move |h| (h, id))
        })
        .collect();
    postings.par_sort_unstable();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut s = 0;
    while s < postings.len() {
        let mut e = s + 1;
        while e < postings.len() && postings[e].0 == postings[s].0 {
            e += 1;
        }
        let group = &postings[s..e];
        if group.len() >= 2 && group.len() <= MAX_POSTING {
            for x in group {
                for y in group {
                    if x.1 != y.1 {
                        pairs.push((x.1, y.1));
                    }
                }
            }
        }
        s = e;
    }
    drop(postings);

    // Whole-short-block index: sequence hash → block (token-equal blocks were merged before, so
    // one block per sequence among the kept ones).
    let mut short: HashMap<u64, u32> = HashMap::new();
    for (i, f) in feats.iter().enumerate() {
        if kept[i] && !f.tokens.is_empty() && f.tokens.len() <= SHORT {
            short
                .entry(f.seq_hash)
                .or_insert(u32::try_from(i).unwrap_or(u32::MAX));
        }
    }
    if !short.is_empty() {
        let found: Vec<(u32, u32)> = feats
            .par_iter()
            .enumerate()
            .filter(|(i, _)| kept[*i])
            .flat_map_iter(|(i, f)| {
                let id = u32::try_from(i).unwrap_or(u32::MAX);
                let t = &f.tokens;
                let mut out = Vec::new();
                for s in 0..t.len() {
                    let mut h = crate::fingerprint::seq_hash(&[]);
                    for (l, &tok) in t[s..].iter().take(SHORT).enumerate() {
                        h = extend(h, tok);
                        let len = l + 1;
                        if len == t.len() {
                            break;
                        }
                        if let Some(&b) = short.get(&h) {
                            if b != id {
                                // b is whole inside this block: b may cover this block, and this
                                // block may cover b.
                                out.push((id, b));
                                out.push((b, id));
                            }
                        }
                    }
                }
                out
            })
            .collect();
        pairs.extend(found);
    }
    pairs.par_sort_unstable();
    pairs.dedup();
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (a, b) in pairs {
        if let Some(l) = lists.get_mut(a as usize) {
            l.push(b);
        }
    }
    lists
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
        let c = candidates(&f, &[true; 5]);
        assert_eq!(c[0], vec![1, 4]);
        assert!(c[2].is_empty());
        assert!(c[3].contains(&4));
        assert!(c[4].contains(&3));
    }
}
