//! Similarity: the one user of strsim, and the guard that keeps near-but-distinct blocks apart.
//!
//! The score of two keys is strsim's normalized Levenshtein similarity on characters (1.0 for
//! equal keys; measured against Jaro-Winkler and Sørensen-Dice on the dev set, see README).
//! A high score is not enough: two blocks whose differing words hold a number, a negation, or a
//! swapped capitalized word (a name) say different things, however similar their characters.

use crate::fingerprint::{lowered_token_hash, token_hash};
use crate::normalize::{for_each_token, normalize};

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

/// Similarity under the default metric.
pub fn score(a: &str, b: &str) -> f64 {
    similarity(Metric::default(), a, b)
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

/// Words that turn a statement around; a difference in one keeps two blocks apart.
pub(crate) const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "t",
    "nt", "isnt", "dont", "doesnt", "didnt", "wont", "cant", "non", "un", "nicht", "kein", "pas",
    "nao", "não", "nunca", "нет", "не",
];

/// Words in one differing stretch from which two blocks count as saying different things.
const REWRITE_WORDS: usize = 4;

/// Largest token-grid the guard aligns; larger pairs are left apart (a conservative answer).
const MAX_CELLS: usize = 4_000_000;

/// True when the differences between two blocks change their meaning: a number or a negation
/// added, dropped or changed, or a capitalized word (not the first) replaced by another.
/// Wording edits ("Sign up to" vs "Subscribe to") and dropped names pass.
pub fn meaning_differs(a_text: &str, b_text: &str) -> bool {
    meaning_differs_in(&normalize(a_text, false), &normalize(b_text, false))
}

/// [`meaning_differs`] on the blocks' case-preserving keys (`normalize(text, false)`), for a
/// caller that has them already.
pub fn meaning_differs_in(a_key: &str, b_key: &str) -> bool {
    let a = words(a_key);
    let b = words(b_key);
    // Trim the common prefix and suffix, then align the middle by longest common subsequence.
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
    let am = &a[p..a.len() - s];
    let bm = &b[p..b.len() - s];
    if am.len().saturating_mul(bm.len()) > MAX_CELLS {
        return true;
    }
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
    let mut hunk_a: Vec<(usize, &Word)> = Vec::new();
    let mut hunk_b: Vec<(usize, &Word)> = Vec::new();
    let mut differs = false;
    let mut changed = 0usize;
    let mut close = |ha: &mut Vec<(usize, &Word)>, hb: &mut Vec<(usize, &Word)>| {
        let all = ha.iter().chain(hb.iter());
        let mut bad = false;
        for (_, w) in all {
            if w.digit || crate::verify::is_negation(w.folded) {
                bad = true;
            }
        }
        if !ha.is_empty() && !hb.is_empty() {
            // A capitalized word replaced is a name swapped, except a reworded sentence start
            // ("Sign up to" vs "Subscribe to"); one capitalized word for another is a name
            // anywhere ("Warren said" vs "Sanders said").
            let named =
                |h: &Vec<(usize, &Word)>| h.iter().any(|(pos, w)| *pos > 0 && w.capitalized);
            let one_for_one =
                ha.len() == 1 && hb.len() == 1 && ha[0].1.capitalized && hb[0].1.capitalized;
            if named(ha) || named(hb) || one_for_one {
                bad = true;
            }
        }
        // A rewritten or added clause of four words or more is a new statement, not an edit
        // (one sentence of a paragraph swapped for another).
        if ha.len() >= REWRITE_WORDS || hb.len() >= REWRITE_WORDS {
            bad = true;
        }
        changed += ha.len() + hb.len();
        ha.clear();
        hb.clear();
        differs |= bad;
    };
    while i < n || j < m {
        if i < n && j < m && am[i].folded == bm[j].folded {
            close(&mut hunk_a, &mut hunk_b);
            i += 1;
            j += 1;
        } else if j >= m || (i < n && lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
            hunk_a.push((p + i, &am[i]));
            i += 1;
        } else {
            hunk_b.push((p + j, &bm[j]));
            j += 1;
        }
    }
    close(&mut hunk_a, &mut hunk_b);
    // Many small differences add up to a rewrite too (short matches such as "and" can cut one
    // rewritten sentence into several hunks).
    differs || changed >= 2 * REWRITE_WORDS
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
