//! Similarity: the one user of strsim, and the guard that keeps near-but-distinct blocks apart.
//!
//! The score of two keys is strsim's normalized Levenshtein similarity on characters (1.0 for
//! equal keys; measured against Jaro-Winkler and Sørensen-Dice on the dev set, see README).
//! A high score is not enough: two blocks whose differing words hold a number, a negation, or a
//! swapped capitalized word (a name) say different things, however similar their characters.

use crate::fingerprint::{lowered_token_hash, token_hash};
use crate::negation::is_negation;
use crate::normalize::for_each_token;

/// A strsim similarity on normalized keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Metric {
    /// 1 − Levenshtein distance / longer length, on characters (the default: it charges every
    /// inserted or changed character, so a long shared prefix cannot hide a changed tail).
    #[default]
    #[cfg_attr(feature = "clap", value(help = "Normalized Levenshtein on characters"))]
    Levenshtein,
    /// Sørensen-Dice coefficient of character bigrams (order-insensitive, linear time).
    #[cfg_attr(feature = "clap", value(help = "Sørensen-Dice on character bigrams"))]
    SorensenDice,
    /// Jaro-Winkler (prefix-weighted; meant for short strings).
    #[cfg_attr(feature = "clap", value(help = "Jaro-Winkler"))]
    JaroWinkler,
}

/// Similarity of two normalized keys under `metric`, in `[0, 1]`, symmetric, 1 for equal keys.
pub fn similarity(metric: Metric, a: &str, b: &str) -> f64 {
    match metric {
        Metric::Levenshtein => strsim::normalized_levenshtein(a, b),
        Metric::SorensenDice => strsim::sorensen_dice(a, b),
        Metric::JaroWinkler => strsim::jaro_winkler(a, b),
    }
}

/// A token with the facts the guard needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    /// Hash of the lowercased token ([`crate::fingerprint::token_hash`]).
    folded: u64,
    capitalized: bool,
    digit: bool,
}

/// The words of a case-preserving key (`normalize(text, false)`).
fn words(key: &str) -> Vec<Word> {
    if key.is_ascii() {
        return ascii_words(key.as_bytes());
    }
    unicode_words(key)
}

/// [`words`] of an ASCII key, a byte at a time: the tokens are its runs of letters and digits.
fn ascii_words(key: &[u8]) -> Vec<Word> {
    let mut out = Vec::with_capacity(key.len() / 5);
    let mut i = 0;
    while i < key.len() {
        if !key[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < key.len() && key[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let t = &key[start..i];
        let folded = lowered_token_hash(t).unwrap_or_else(|| token_hash(&t.to_ascii_lowercase()));
        out.push(Word {
            folded,
            capitalized: t.first().is_some_and(u8::is_ascii_uppercase),
            digit: t.iter().any(u8::is_ascii_digit),
        });
    }
    out
}

/// [`words`] of any key.
fn unicode_words(key: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut lower = String::new();
    for_each_token(key, |t| {
        lower.clear();
        if t.is_ascii() {
            lower.push_str(t);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(t.chars().flat_map(char::to_lowercase));
        }
        out.push(Word {
            folded: token_hash(lower.as_bytes()),
            capitalized: t.chars().next().is_some_and(char::is_uppercase),
            digit: t.chars().any(char::is_numeric),
        });
    });
    out
}

/// Words in one differing stretch from which two blocks count as saying different things.
const REWRITE_WORDS: usize = 4;

/// Largest token-grid the guard aligns; larger pairs are left apart (a conservative answer).
const MAX_CELLS: usize = 4_000_000;

/// True when the differences between two blocks change their meaning: a number or a negation
/// added, dropped or changed, or a capitalized word (not the first) replaced by another.
/// Wording edits ("Sign up to" vs "Subscribe to") and dropped names pass.
#[cfg(test)]
pub fn meaning_differs(a_text: &str, b_text: &str) -> bool {
    use crate::normalize::normalize;
    meaning_differs_in(&normalize(a_text, false), &normalize(b_text, false))
}

/// Whether the differences change the meaning, on the blocks' case-preserving keys (`normalize(text, false)`), for a
/// caller that has them already.
pub fn meaning_differs_in(a_key: &str, b_key: &str) -> bool {
    let a = words(a_key);
    let b = words(b_key);
    // Trim the common prefix and suffix, then align the middle by longest common subsequence.
    let (p, s) = common_ends(&a, &b);
    let am = &a[p..a.len() - s];
    let bm = &b[p..b.len() - s];
    if am.len().saturating_mul(bm.len()) > MAX_CELLS {
        return true;
    }
    let mut differs = false;
    let mut changed = 0usize;
    for_each_hunk(am, bm, p, |ha, hb| {
        differs |= hunk_changes_meaning(ha, hb);
        changed += ha.len() + hb.len();
    });
    // Many small differences add up to a rewrite too (short matches such as "and" can cut one
    // rewritten sentence into several hunks).
    differs || changed >= 2 * REWRITE_WORDS
}

/// The lengths of the common prefix of `a` and `b` and of their common suffix after it.
fn common_ends(a: &[Word], b: &[Word]) -> (usize, usize) {
    let mut p = 0;
    while p < a.len() && p < b.len() && a[p].folded == b[p].folded {
        p += 1;
    }
    let mut s = 0;
    while s < a.len() - p
        && s < b.len() - p
        && a[a.len() - 1 - s].folded == b[b.len() - 1 - s].folded
    {
        s += 1;
    }
    (p, s)
}

/// A word that differs, with its position in its block.
type Changed<'w> = (usize, &'w Word);

/// Calls `f` with each hunk of differing words of an alignment of `am` and `bm` by longest
/// common subsequence (the words of `am`, then those of `bm`; either may be empty, not both).
/// Positions count from `offset`, the words before `am` and `bm`.
fn for_each_hunk<'w>(
    am: &'w [Word],
    bm: &'w [Word],
    offset: usize,
    mut f: impl FnMut(&[Changed<'w>], &[Changed<'w>]),
) {
    let (n, m) = (am.len(), bm.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if am[i].folded == bm[j].folded {
                lcs[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
            };
        }
    }
    // Walk the alignment and collect hunks of differing tokens.
    let (mut i, mut j) = (0, 0);
    let mut hunk_a: Vec<Changed> = Vec::new();
    let mut hunk_b: Vec<Changed> = Vec::new();
    let mut close = |ha: &mut Vec<Changed<'w>>, hb: &mut Vec<Changed<'w>>| {
        if !ha.is_empty() || !hb.is_empty() {
            f(ha, hb);
        }
        ha.clear();
        hb.clear();
    };
    while i < n || j < m {
        if i < n && j < m && am[i].folded == bm[j].folded {
            close(&mut hunk_a, &mut hunk_b);
            i += 1;
            j += 1;
        } else if j >= m || (i < n && lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
            hunk_a.push((offset + i, &am[i]));
            i += 1;
        } else {
            hunk_b.push((offset + j, &bm[j]));
            j += 1;
        }
    }
    close(&mut hunk_a, &mut hunk_b);
}

/// True when one hunk of differing words (`ha` in one block, `hb` in the other) changes what
/// the blocks say: a number or a negation in it, a capitalized word (a name) replaced, or a
/// clause of [`REWRITE_WORDS`] words or more rewritten or added.
fn hunk_changes_meaning(ha: &[Changed], hb: &[Changed]) -> bool {
    if ha
        .iter()
        .chain(hb)
        .any(|(_, w)| w.digit || is_negation(w.folded))
    {
        return true;
    }
    if !ha.is_empty() && !hb.is_empty() {
        // A capitalized word replaced is a name swapped, except a reworded sentence start
        // ("Sign up to" vs "Subscribe to"); one capitalized word for another is a name
        // anywhere ("Warren said" vs "Sanders said").
        let named = |h: &[Changed]| h.iter().any(|(pos, w)| *pos > 0 && w.capitalized);
        let one_for_one =
            ha.len() == 1 && hb.len() == 1 && ha[0].1.capitalized && hb[0].1.capitalized;
        if named(ha) || named(hb) || one_for_one {
            return true;
        }
    }
    // A rewritten or added clause of four words or more is a new statement, not an edit
    // (one sentence of a paragraph swapped for another).
    ha.len() >= REWRITE_WORDS || hb.len() >= REWRITE_WORDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_keys_read_the_same_words_on_the_byte_path() {
        for key in [
            "Sign up to the Daily Briefing, 7 days a week.",
            "O'Neil said: \"we're NOT done\" (2019) -- x86_64 A1b2",
            "  trailing space and a-very-long-hyphenated-word-that-goes-on-and-on-past-32-bytes ",
            "",
            "...",
        ] {
            assert_eq!(ascii_words(key.as_bytes()), unicode_words(key), "{key:?}");
        }
    }

    #[test]
    fn common_ends_are_the_shared_prefix_and_suffix() {
        let (a, b) = (words("one two three four"), words("One two six four"));
        assert_eq!(common_ends(&a, &b), (2, 1));
        // The suffix is counted after the prefix: equal keys are all prefix.
        assert_eq!(common_ends(&a, &a), (4, 0));
        let (a, b) = (words("a b"), words("a b c b"));
        assert_eq!(common_ends(&a, &b), (2, 0));
        assert_eq!(common_ends(&[], &b), (0, 0));
    }

    /// The hunks of two keys, as the positions of their words.
    fn hunks(a: &str, b: &str) -> Vec<(Vec<usize>, Vec<usize>)> {
        let (a, b) = (words(a), words(b));
        let mut out = Vec::new();
        for_each_hunk(&a[1..], &b[1..], 1, |ha, hb| {
            let pos = |h: &[Changed]| h.iter().map(|c| c.0).collect::<Vec<usize>>();
            out.push((pos(ha), pos(hb)));
        });
        out
    }

    #[test]
    fn hunks_are_the_stretches_between_aligned_words() {
        // Positions count from the offset (the first word is left out here).
        assert_eq!(
            hunks("x the red car is here", "x the blue car was seen here"),
            vec![(vec![2], vec![2]), (vec![4], vec![4, 5])]
        );
        assert_eq!(hunks("x a b", "x a b"), Vec::new());
        assert_eq!(hunks("x a b", "x a c b"), vec![(vec![], vec![2])]);
        assert_eq!(hunks("x", "x c d"), vec![(vec![], vec![1, 2])]);
    }

    #[test]
    fn a_hunk_changes_the_meaning_with_a_number_a_negation_a_name_or_a_clause() {
        let check = |a: &str, b: &str| {
            let (a, b) = (words(a), words(b));
            let at: Vec<Changed> = a.iter().enumerate().collect();
            let bt: Vec<Changed> = b.iter().enumerate().collect();
            hunk_changes_meaning(&at, &bt)
        };
        assert!(check("20", "30"));
        assert!(check("", "not"));
        assert!(check("Warren", "Sanders"));
        assert!(check("x Warren", "x her"));
        assert!(check("", "and then it rained"));
        // A lowercase word for another, a reworded sentence start, a short clause: edits.
        assert!(!check("big", "large"));
        assert!(!check("Sign up", "Subscribe"));
        assert!(!check("", "and then"));
    }

    #[test]
    fn score_is_one_for_equal_and_symmetric() {
        for m in [
            Metric::Levenshtein,
            Metric::SorensenDice,
            Metric::JaroWinkler,
        ] {
            assert!((similarity(m, "abc", "abc") - 1.0).abs() < f64::EPSILON);
            let (x, y) = (
                similarity(m, "abcd x", "abce x"),
                similarity(m, "abce x", "abcd x"),
            );
            assert!((x - y).abs() < 1e-12);
        }
    }

    #[test]
    fn guard() {
        assert!(meaning_differs(
            "Day 1 recap of the show",
            "Day 2 recap of the show"
        ));
        assert!(meaning_differs(
            "The minister said it works",
            "The minister said it does not work"
        ));
        assert!(meaning_differs(
            "Then John Smith said yes",
            "Then Jane Smith said yes"
        ));
        assert!(!meaning_differs(
            "Sign up to our newsletter for exclusive updates",
            "Subscribe to our newsletter for exclusive updates"
        ));
        assert!(meaning_differs(
            "The court heard the case on Monday. And just at the moment.",
            "The court heard the case on Monday. These very honest and incorruptible."
        ));
        assert!(!meaning_differs(
            "Video Shows Dramatic Rescue of Kidnapped Fort Worth Girl",
            "Video Shows Dramatic Rescue of Kidnapped Girl"
        ));
    }
}
