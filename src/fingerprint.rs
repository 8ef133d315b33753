//! Fingerprint: a block's text → the hashes the later stages compare.
//!
//! Each block gets a hash of its normalized key (exact duplicates), a hash of its token sequence
//! (copies that differ only in punctuation), one stable 64-bit hash per token (xxh3, seedless, so
//! the same text hashes the same in every run and on every machine), the token positions that
//! follow a title separator (`|`, ` - `, `:` …) and whether the block ends in an ellipsis.

use xxhash_rust::xxh3::xxh3_64;

use crate::normalize::{for_each_token_split, normalize_with_splits};

/// What the comparison stages know of one block.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// Hash of the normalized key.
    pub key_hash: u64,
    /// Hash of the token sequence ([`seq_hash`] of `tokens`).
    pub seq_hash: u64,
    /// One hash per token, in order.
    pub tokens: Vec<u64>,
    /// Token indices `i` such that a separator (`|`, a spaced dash, `:`, `·`, `•`, `/`, `»`)
    /// stands between token `i - 1` and token `i`: where a site suffix may start.
    pub boundaries: Vec<u32>,
    /// The block ends in an ellipsis (`...` or `…`): its last word may be cut.
    pub ellipsis_end: bool,
    /// Indices of the tokens that hold a digit (counters, dates, prices).
    pub numeric: Vec<u32>,
}

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// Extends a sequence hash by one token hash. The same fold is used for whole blocks and for
/// runs inside blocks, so a run of block A hashes like a whole block B with the same tokens.
#[inline]
pub fn extend(h: u64, token: u64) -> u64 {
    (h.rotate_left(23) ^ token).wrapping_mul(MIX)
}

/// Hash of a token sequence.
#[inline]
pub fn seq_hash(tokens: &[u64]) -> u64 {
    tokens.iter().fold(MIX, |h, &t| extend(h, t))
}

fn is_separator(c: char) -> bool {
    matches!(c, '|' | '-' | ':' | '·' | '•' | '/' | '»' | '›' | '~' | '*')
}

/// Computes the features of one block of original text.
pub fn features(text: &str) -> Features {
    let (key, splits) = normalize_with_splits(text, true);
    let mut tokens = Vec::with_capacity(key.len() / 5 + 1);
    let mut boundaries = Vec::new();
    let mut numeric = Vec::new();
    let mut last_end = 0usize;
    let base = key.as_ptr() as usize;
    for_each_token_split(&key, &splits, |t| {
        let start = t.as_ptr() as usize - base;
        if !tokens.is_empty() {
            let gap = &key[last_end..start];
            if gap.contains(' ') && gap.chars().any(is_separator) {
                if let Ok(i) = u32::try_from(tokens.len()) {
                    boundaries.push(i);
                }
            }
        }
        last_end = start + t.len();
        if t.bytes().any(|b| b.is_ascii_digit()) || t.chars().any(char::is_numeric) {
            if let Ok(i) = u32::try_from(tokens.len()) {
                numeric.push(i);
            }
        }
        tokens.push(xxh3_64(t.as_bytes()));
    });
    let tail = &key[last_end..];
    let ellipsis_end = tail.contains("...");
    Features {
        key_hash: xxh3_64(key.as_bytes()),
        seq_hash: seq_hash(&tokens),
        tokens,
        boundaries,
        ellipsis_end,
        numeric,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_boundary_and_ellipsis() {
        let f = features("UK Tories under fire | Hosted");
        assert_eq!(f.tokens.len(), 5);
        assert_eq!(f.boundaries, vec![4]);
        assert!(!f.ellipsis_end);
        let g = features("Kim Jong-un said the talks were stun\u{2026}");
        assert!(
            g.boundaries.is_empty(),
            "a hyphen inside a word is no separator"
        );
        assert!(g.ellipsis_end);
    }

    #[test]
    fn same_tokens_same_sequence_hash() {
        assert_eq!(
            features("Hello, world!").seq_hash,
            features("hello world").seq_hash
        );
        assert_ne!(
            features("Hello, world!").key_hash,
            features("hello world").key_hash
        );
    }
}
