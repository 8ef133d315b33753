//! Negation words: the list that both comparison stages read, [`crate::verify`] (a run that
//! stops at a negation carries nothing) and [`crate::similarity`] (a negation added or dropped
//! keeps two near blocks apart). Above the fingerprint (tokens are compared by their hash),
//! below both.

use crate::fingerprint::token_hash;

/// Words that turn a statement around; a difference in one keeps two blocks apart.
pub(crate) const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "t",
    "nt", "isnt", "dont", "doesnt", "didnt", "wont", "cant", "non", "un", "nicht", "kein", "pas",
    "nao", "não", "nunca", "нет", "не",
];

/// True when a token hash is that of a negation word.
pub(crate) fn is_negation(token: u64) -> bool {
    static HASHES: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    HASHES
        .get_or_init(|| NEGATIONS.iter().map(|w| token_hash(w.as_bytes())).collect())
        .contains(&token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::features;

    #[test]
    fn every_listed_word_is_a_negation_and_other_words_are_not() {
        for w in NEGATIONS {
            assert!(is_negation(token_hash(w.as_bytes())), "{w}");
        }
        for w in ["note", "now", "on", "know", "nein", "yes", ""] {
            assert!(!is_negation(token_hash(w.as_bytes())), "{w}");
        }
    }

    #[test]
    fn tokens_of_a_block_are_negations_as_the_fingerprint_reads_them() {
        // Case and contractions fold into the listed tokens: "Don't" is "don" and "t".
        let f = features("They did NOT go, we Don't know, Нет");
        let negations: Vec<usize> = (0..f.tokens.len())
            .filter(|&i| is_negation(f.tokens[i]))
            .collect();
        assert_eq!(negations, [2, 6, 8]);
    }
}
