//! Normalize: a block's text → its comparison key, and the key → word tokens.
//!
//! The key is for comparison only; output never shows it. Rules, in order: zero-width characters
//! and soft hyphens dropped, HTML entities decoded (named and numeric, repeatedly, so
//! `&amp;quot;` becomes `"`), Unicode NFKC, a glued sentence end split (`reported.Highlights` →
//! `reported. Highlights`), curly quotes and apostrophes and dashes unified, white
//! space (NBSP included) collapsed and trimmed, and case folded. The rules are applied again
//! until the key no longer changes (NFKC can make an entity: `＆amp;`), so normalizing a key
//! gives the same key. Tokens are runs of letters and digits; in scripts
//! written without spaces (Han, Hiragana, Katakana) every character is a token of its own.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// True for the invisible characters the key drops.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// Drops zero-width characters and soft hyphens (before anything looks at neighbours).
fn strip_invisible(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
}

/// Decodes HTML entities until none is left (scraped text is often encoded twice or more,
/// `&amp;amp;`). Every round that changes the text shortens it, so the loop ends.
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut cur: Cow<'_, str> = Cow::Borrowed(text);
    loop {
        let next = html_escape::decode_html_entities(cur.as_ref());
        if let Cow::Owned(s) = next {
            cur = Cow::Owned(s);
        } else {
            break;
        }
        if !cur.contains('&') {
            break;
        }
    }
    cur
}

/// Inserts a space after `.`, `!` or `?` when a lowercase letter precedes it and an uppercase
/// letter follows (`reported.Highlights`). Abbreviations such as `U.S.A` are left alone.
fn split_glued_sentences(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let glued = bytes
        .windows(3)
        .any(|w| matches!(w[1], b'.' | b'!' | b'?') && !w[0].is_ascii_uppercase() && w[2] >= b'A');
    if !glued {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if matches!(c, '.' | '!' | '?')
            && prev.is_some_and(char::is_lowercase)
            && chars.peek().is_some_and(|n| n.is_uppercase())
        {
            out.push(' ');
        }
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// Maps one character of NFKC text to its comparison form; `None` drops it.
pub(crate) fn unify(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' | '`' => '\'',
        // `»` stays: it also separates a title from its site ("Headline » Site").
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
        c if is_invisible(c) => return None,
        c => c,
    })
}

/// Returns the comparison key of `text`. With `fold_case` false the case is kept (used to tell
/// names apart when verifying near duplicates).
pub fn normalize(text: &str, fold_case: bool) -> String {
    normalize_with_splits(text, fold_case).0
}

/// The case-folded key of `text` (`normalize(text, true)`) from its case-preserving key
/// `cased` (`normalize(text, false)`): for ASCII text without `&`, normalization takes one round
/// (nothing to decode, strip or compose) and folding changes nothing but ASCII case, so
/// lowercasing `cased` gives the same key without a second pass over the text; any other text
/// is normalized again (a reference can appear only after a first round, `＆Hat;` or
/// `&amp;&#8203;Hat;`, and names are case-sensitive).
pub fn fold_key(text: &str, cased: &str) -> String {
    if text.is_ascii() && !text.contains('&') {
        cased.to_ascii_lowercase()
    } else {
        normalize(text, true)
    }
}

/// Like [`normalize`], and also returns the byte offsets in the key where two words were glued
/// together in the original (`WhatsAppCalendário`, `SubscribeSign In`: a lowercase letter
/// after at least two lowercase letters, then an uppercase one). Tokens split there; the key
/// itself stays whole so that copies differing only in case keep equal keys.
pub fn normalize_with_splits(text: &str, fold_case: bool) -> (String, Vec<usize>) {
    let (mut key, mut splits) = normalize_once(text, fold_case);
    // A key without `&` that is already in NFKC gives itself again (every other rule is
    // idempotent), so most keys need one round.
    if !key.contains('&') && (key.is_ascii() || is_nfkc(&key)) {
        return (key, splits);
    }
    // Apply the rules until nothing changes; the rounds after the first see no glued words.
    for _ in 0..8 {
        let (again, again_splits) = normalize_once(&key, fold_case);
        if again == key {
            break;
        }
        key = again;
        splits = again_splits;
    }
    (key, splits)
}

/// True when `text` is certainly in NFKC already (the quick check of UAX #15).
fn is_nfkc(text: &str) -> bool {
    unicode_normalization::is_nfkc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
}

fn normalize_once(text: &str, fold_case: bool) -> (String, Vec<usize>) {
    let visible = strip_invisible(text);
    let decoded = decode_entities(&visible);
    let decoded = match strip_invisible(&decoded) {
        Cow::Borrowed(_) => decoded,
        Cow::Owned(s) => Cow::Owned(s),
    };
    // NFKC before the glued-sentence rule, which must see the letters NFKC makes (`ǅ` → `Dž`).
    let nf: Cow<'_, str> = if decoded.is_ascii() || is_nfkc(&decoded) {
        decoded
    } else {
        Cow::Owned(decoded.nfkc().collect())
    };
    let split = split_glued_sentences(&nf);
    let mut out = String::with_capacity(split.len());
    let mut splits = Vec::new();
    let mut pending_space = false;
    let (mut p1, mut p2) = (false, false);
    let mut push = |c: char, out: &mut String| {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            p1 = false;
            p2 = false;
            return;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        let lower = c.is_lowercase();
        if p1 && p2 && c.is_uppercase() {
            splits.push(out.len());
        }
        p2 = p1;
        p1 = lower;
        if fold_case {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            out.push(c);
        }
    };
    for c in split.chars() {
        if let Some(c) = unify(c) {
            push(c, &mut out);
        }
    }
    (out, splits)
}

/// True for characters of scripts written without spaces between words, where every character
/// is a token.
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff     // Hiragana, Katakana
        | 0x3400..=0x4dbf   // CJK extension A
        | 0x4e00..=0x9fff   // CJK unified ideographs
        | 0xf900..=0xfaff   // CJK compatibility ideographs
        | 0x20000..=0x2ffff // CJK extensions B..
        | 0x0e00..=0x0e7f   // Thai
        | 0x0e80..=0x0eff   // Lao
        | 0x1000..=0x109f   // Myanmar
        | 0x1780..=0x17ff   // Khmer
    )
}

/// Calls `f` with each token of a key, in order.
pub fn for_each_token(key: &str, f: impl FnMut(&str)) {
    for_each_token_split(key, &[], f);
}

/// Calls `f` with each token of a key, also cutting tokens at the byte offsets `splits`
/// (ascending), as returned by [`normalize_with_splits`].
pub fn for_each_token_split(key: &str, splits: &[usize], mut f: impl FnMut(&str)) {
    let mut start: Option<usize> = None;
    let mut next_split = splits.iter().copied().peekable();
    for (i, c) in key.char_indices() {
        while next_split.peek().is_some_and(|&s| s < i) {
            next_split.next();
        }
        if next_split.peek() == Some(&i) {
            if let Some(s) = start.take() {
                f(&key[s..i]);
            }
        }
        if c.is_alphanumeric() {
            if is_unspaced_script(c) {
                if let Some(s) = start.take() {
                    f(&key[s..i]);
                }
                f(&key[i..i + c.len_utf8()]);
            } else if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            f(&key[s..i]);
        }
    }
    if let Some(s) = start {
        f(&key[s..]);
    }
}

/// The tokens of a key, as owned strings (for tests and diagnostics).
#[cfg(test)]
pub fn tokens(key: &str) -> Vec<String> {
    let mut v = Vec::new();
    for_each_token(key, |t| v.push(t.to_string()));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(
            normalize("  Don\u{2019}t \u{201c}Stop\u{201d}  ", true),
            "don't \"stop\""
        );
        assert_eq!(
            normalize("Fish &amp; Chips &#8212; &quot;x&quot;", true),
            "fish & chips - \"x\""
        );
        assert_eq!(normalize("&amp;amp;", true), "&");
        assert_eq!(normalize("ＡＢＣ１", true), "abc1");
        assert_eq!(normalize("a\u{00a0}b\u{200b}c\u{00ad}d", true), "a bcd");
        assert_eq!(normalize("wait\u{2026}", true), "wait...");
        assert_eq!(
            normalize("reported.Highlights", true),
            "reported. highlights"
        );
        assert_eq!(normalize("U.S.A. Today", true), "u.s.a. today");
        assert_eq!(normalize("&amp;amp;amp;amp;amp;amp;", true), "&");
        assert_eq!(normalize("\u{ff06}amp;", true), "&");
        assert_eq!(normalize("e\u{200b}\u{301}", true), "\u{e9}");
        assert_eq!(normalize("\u{e9}.\u{200b}Z", false), "\u{e9}. Z");
        assert_eq!(normalize("\u{e9}.\u{1c5}", false), "\u{e9}. D\u{17e}");
        assert_eq!(normalize("A \u{2013} B \u{2014} C", false), "A - B - C");
    }

    #[test]
    fn tokens_split_words_and_unspaced_scripts() {
        assert_eq!(
            tokens("belousov's meeting, 2024"),
            ["belousov", "s", "meeting", "2024"]
        );
        assert_eq!(
            tokens("見出しiphone 12"),
            ["見", "出", "し", "iphone", "12"]
        );
        assert_eq!(tokens("악녀의 덫에"), ["악녀의", "덫에"]);
        let (key, splits) = normalize_with_splits("Share on WhatsAppCalendário iPhone", true);
        assert_eq!(key, "share on whatsappcalendário iphone");
        let mut t = Vec::new();
        for_each_token_split(&key, &splits, |x| t.push(x.to_string()));
        assert_eq!(t, ["share", "on", "whats", "app", "calendário", "iphone"]);
    }

    #[test]
    fn fold_key_normalizes_again_where_folding_makes_an_entity() {
        // `&aMp;` is no entity; folded, it is one, and the folded key decodes it. References
        // that appear only after a first round are decoded case-sensitively in each key.
        for t in [
            "Tom &aMp; Jerry",
            "\u{ff06}Hat;",
            "&amp;&#8203;Hat;",
            "x &amp;&#8203;UnderBar; y",
            "\u{ff06}NewLine;A",
            "ab&amp;&#x200b;period;Cd",
        ] {
            assert_eq!(
                fold_key(t, &normalize(t, false)),
                normalize(t, true),
                "{t:?}"
            );
        }
    }

    proptest::proptest! {
        /// The folded key made from the case-preserving one is the folded key.
        #[test]
        fn fold_key_is_the_folded_key(
            t in "([A-Za-z0-9 .,!?'&;#\\-]|amp;|Hat;|&#8203;|\u{200b}|\u{ff06}|\u{e9}|\u{130}|\u{2019}|\u{ff21}|\u{3a3}){0,60}"
        ) {
            proptest::prop_assert_eq!(fold_key(&t, &normalize(&t, false)), normalize(&t, true));
        }
    }
}
