//! What normalization does to one non-ASCII character, looked up in a table.
//!
//! The fingerprint's fast path reads text a character at a time and must give exactly the key and
//! tokens that the general path (`normalize` then tokenize) gives. For a character that NFKC leaves
//! as it is, that depends on the character alone: its lowercase form, whether it is a space, a
//! letter or digit (and of a script written without spaces), a digit, upper or lower case, a
//! title separator, and its canonical combining class (NFKC reorders marks that are out of order).
//! [`info`] answers all of it from one table entry, built the first time a character of its
//! 256-character page is seen, so the per-character cost is a load instead of the several
//! binary searches of `char::is_alphabetic`, `char::is_numeric`, `char::to_lowercase` and the
//! NFKC quick check.

use std::sync::OnceLock;

use unicode_normalization::char::{canonical_combining_class, decompose_compatible};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::normalize::{is_unspaced_script, unify};

/// One character's entry: its lowercase form and its properties, packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info(u64);

const LOWER_MASK: u64 = 0x1f_ffff;
const CCC_SHIFT: u32 = 24;
/// NFKC changes the character, or its lowercase form is not one such character: the text
/// takes the general path.
const REFUSED: u64 = 1 << 32;
/// The NFKC quick check says "maybe": the character may compose with the one before it.
const MAYBE: u64 = 1 << 33;
/// White space: collapses into one space.
const SPACE: u64 = 1 << 34;
/// The lowercase form is a letter or a digit (part of a token).
const ALNUM: u64 = 1 << 35;
/// Of a script written without spaces: a token on its own.
const UNSPACED: u64 = 1 << 36;
/// A digit of any script (the token is numeric).
const NUMERIC: u64 = 1 << 37;
/// Uppercase, lowercase (for glued words and glued sentence ends).
const UPPER: u64 = 1 << 38;
const LOWER: u64 = 1 << 39;
/// A title separator (`·`, `•`, `»`, `›`).
const SEPARATOR: u64 = 1 << 40;
/// Normalization makes it the ASCII character in the low bits (a prime becomes `'`).
const ASCII: u64 = 1 << 41;
/// Its compatibility decomposition is itself: a mark after it composes with it alone.
const SIMPLE: u64 = 1 << 42;
/// NFKC makes it several characters, each as it is ([`expanded`]).
const EXPANDS: u64 = 1 << 43;

impl Info {
    /// The character the key holds (already lowercase).
    pub fn lower(self) -> char {
        char::from_u32((self.0 & LOWER_MASK) as u32).unwrap_or(char::REPLACEMENT_CHARACTER)
    }
    /// Its canonical combining class.
    pub fn ccc(self) -> u8 {
        (self.0 >> CCC_SHIFT) as u8
    }
    /// Normalization makes it this ASCII character.
    pub fn ascii(self) -> Option<u8> {
        (self.0 & ASCII != 0).then_some((self.0 & 0x7f) as u8)
    }
}

/// One accessor per flag bit of [`Info`].
macro_rules! flags {
    ($($(#[$doc:meta])* $name:ident = $flag:ident;)*) => {
        impl Info {
            $($(#[$doc])* pub fn $name(self) -> bool {
                self.0 & $flag != 0
            })*
        }
    };
}

flags! {
    /// The fast path cannot take it.
    refused = REFUSED;
    /// It may compose with the character before it.
    maybe = MAYBE;
    /// White space.
    space = SPACE;
    /// Part of a token.
    alnum = ALNUM;
    /// A token on its own.
    unspaced = UNSPACED;
    /// A digit.
    numeric = NUMERIC;
    /// Uppercase.
    upper = UPPER;
    /// Lowercase.
    is_lower = LOWER;
    /// A title separator.
    separator = SEPARATOR;
    /// NFKC makes it the characters of [`expanded`].
    expands = EXPANDS;
    /// Its compatibility decomposition is itself.
    simple = SIMPLE;
}

fn nfkc_of(c: char) -> IsNormalized {
    is_nfkc_quick(std::iter::once(c))
}

/// Computes the entry of `c` from the standard library's and `unicode-normalization`'s tables.
fn compute(c: char) -> Info {
    let refused = Info(REFUSED);
    let qc = nfkc_of(c);
    // A compatibility character that NFKC makes one other character (`，` → `,`, `Ａ` → `A`)
    // stands for that character; both must be starters, and the result must be NFKC for good
    // (so it composes with nothing before it).
    let (m, qc, simple) = if qc == IsNormalized::No {
        let mut nf = std::iter::once(c).nfkc();
        let (Some(m), None) = (nf.next(), nf.next()) else {
            return expansion(c).map_or(refused, |_| Info(EXPANDS));
        };
        let starters = canonical_combining_class(c) == 0 && canonical_combining_class(m) == 0;
        if !starters || nfkc_of(m) != IsNormalized::Yes {
            return refused;
        }
        (m, IsNormalized::Yes, 0)
    } else {
        let mut d = 0;
        decompose_compatible(c, |_| d += 1);
        (c, qc, if d == 1 { SIMPLE } else { 0 })
    };
    // A "maybe" character that decomposes recomposes from its parts, with what is before it.
    if qc == IsNormalized::Maybe && simple == 0 {
        return refused;
    }
    let ccc = u64::from(canonical_combining_class(m)) << CCC_SHIFT;
    let maybe = if qc == IsNormalized::Maybe { MAYBE } else { 0 };
    // `None`: an invisible character; the fast path maps those before it looks here.
    let Some(u) = unify(m) else {
        return refused;
    };
    let bits = ccc | maybe | simple;
    // An `&` that NFKC makes (`＆`) may start a reference that a second round decodes
    // (`＆amp;`): the general path's business.
    if u == '&' {
        return refused;
    }
    if u.is_ascii() {
        return Info(ASCII | u64::from(u32::from(u)) | bits);
    }
    if u.is_whitespace() {
        return Info(SPACE | bits);
    }
    let mut lowered = u.to_lowercase();
    let (Some(l), None) = (lowered.next(), lowered.next()) else {
        return refused;
    };
    // Uppercase without a lowercase form (`🅐`): after a folded letter and a full stop it makes
    // a glued sentence end in the general path's second round, which the fast path cannot see.
    if u.is_uppercase() && l == u {
        return refused;
    }
    let changed = l != u && nfkc_of(l) != IsNormalized::Yes;
    if changed || canonical_combining_class(l) != canonical_combining_class(m) {
        return refused;
    }
    let mut bits = u64::from(u32::from(l)) | bits;
    if l.is_alphanumeric() {
        bits |= ALNUM;
        if is_unspaced_script(l) {
            bits |= UNSPACED;
        }
    }
    if l.is_numeric() {
        bits |= NUMERIC;
    }
    if u.is_uppercase() {
        bits |= UPPER;
    }
    if u.is_lowercase() {
        bits |= LOWER;
    }
    if is_separator(u) {
        bits |= SEPARATOR;
    }
    Info(bits)
}

/// A title separator: where a site suffix may start (`Headline | Site`, `Title » Site`).
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        '|' | '-' | ':' | '·' | '•' | '/' | '»' | '›' | '>' | '~' | '*'
    )
}

/// What NFKC makes of a starter it replaces by several starters that it keeps as they are
/// (Thai `ำ` → `ํา`, `ﬁ` → `fi`, `™` → `TM`); `None` for any other character. Read in turn,
/// they give the key the general path gives.
fn expansion(c: char) -> Option<Box<[char]>> {
    if canonical_combining_class(c) != 0 {
        return None;
    }
    let chars: Box<[char]> = std::iter::once(c).nfkc().collect();
    let plain = |&m: &char| {
        m != '&' && canonical_combining_class(m) == 0 && nfkc_of(m) == IsNormalized::Yes
    };
    (chars.len() > 1 && chars.iter().all(plain)).then_some(chars)
}

const PAGES: usize = 0x11_0000 >> 8;

/// The entries of 256 code points, and the expansions of those that have one.
struct Page {
    entries: [Info; 256],
    expansions: [Option<Box<[char]>>; 256],
}

/// The table: one lazily built page per 256 code points.
static TABLE: [OnceLock<Box<Page>>; PAGES] = [const { OnceLock::new() }; PAGES];

fn page(cp: usize) -> &'static Page {
    TABLE[cp >> 8].get_or_init(|| {
        let base = (cp >> 8) << 8;
        let mut page = Box::new(Page {
            entries: [Info(REFUSED); 256],
            expansions: [const { None }; 256],
        });
        for k in 0..256 {
            if let Some(ch) = u32::try_from(base + k).ok().and_then(char::from_u32) {
                page.entries[k] = compute(ch);
                if page.entries[k].expands() {
                    page.expansions[k] = expansion(ch);
                }
            }
        }
        page
    })
}

/// The entry of `c`.
#[inline]
pub fn info(c: char) -> Info {
    let cp = u32::from(c) as usize;
    page(cp).entries[cp & 0xff]
}

/// The characters NFKC makes of `c` when [`Info::expands`]; empty otherwise.
pub fn expanded(c: char) -> &'static [char] {
    let cp = u32::from(c) as usize;
    page(cp).expansions[cp & 0xff].as_deref().unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_of_some_characters() {
        let d = info('Д');
        assert_eq!(d.lower(), 'д');
        assert!(d.alnum() && d.upper() && !d.is_lower() && !d.refused());
        let k = info('漢');
        assert!(k.alnum() && k.unspaced() && k.lower() == '漢');
        let t = info('\u{e48}'); // Thai tone mark: no letter, combining class 107
        assert!(!t.alnum() && t.ccc() == 107);
        assert!(info('\u{0130}').refused(), "İ lowercases to two characters");
        assert_eq!(
            info('\u{ff21}').ascii(),
            Some(b'A'),
            "a fullwidth letter stands for its ASCII one"
        );
        assert_eq!(info('\u{ff0c}').ascii(), Some(b','));
        assert!(
            info('\u{fb01}').expands(),
            "NFKC makes the ligature two letters"
        );
        assert_eq!(expanded('\u{e33}'), ['\u{e4d}', '\u{e32}'], "Thai sara am");
        assert!(
            info('\u{b4}').refused(),
            "NFKC makes the acute a space and a mark"
        );
        assert!(info('\u{301}').maybe(), "a combining acute may compose");
        assert!(info('\u{1680}').space());
        assert!(info('·').separator());
        assert!(info('\u{663}').numeric());
        assert_eq!(info('\u{2032}').ascii(), Some(b'\''));
    }

    #[test]
    fn title_separators_are_signs_between_a_headline_and_a_site() {
        for c in ['|', '-', ':', '·', '•', '/', '»', '›', '>', '~', '*'] {
            assert!(is_separator(c), "{c:?}");
        }
        for c in ['.', ',', '(', '\'', 'a', ' ', '–'] {
            assert!(!is_separator(c), "{c:?}");
        }
        // The table says the same of the non-ASCII ones.
        assert!(info('»').separator() && info('›').separator());
        assert!(!info('é').separator());
    }

    #[test]
    fn the_table_gives_each_character_its_computed_entry() {
        // Whole pages: the first character of a page, the last, and ones in between.
        for c in [
            '\u{100}',
            '\u{1ff}',
            'ß',
            'Ж',
            '\u{e33}',
            '\u{fb01}',
            '\u{10ffff}',
        ] {
            assert_eq!(info(c), compute(c), "{c:?}");
            assert_eq!(expanded(c), expansion(c).as_deref().unwrap_or(&[]), "{c:?}");
        }
        // A surrogate's slot holds no character: the page keeps it refused.
        assert!(page(0xd800).entries[0].refused());
        assert_eq!(expanded('ß'), &[] as &[char]);
        assert_eq!(expanded('\u{2122}'), ['T', 'M'], "™");
    }
}
