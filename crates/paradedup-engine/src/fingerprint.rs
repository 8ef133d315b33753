//! Fingerprint: a block's text → the hashes the later stages compare.
//!
//! Each block gets a hash of its normalized key (exact duplicates), a hash of its token sequence
//! (copies that differ only in punctuation), one stable 64-bit hash per token ([`token_hash`]: the
//! same text hashes the same in every run and on every machine), the token positions that
//! follow a title separator (`|`, ` - `, `:` …) and whether the block ends in an ellipsis.

use xxhash_rust::xxh3::xxh3_64;

use crate::chars::{self, is_separator};
use crate::normalize::{for_each_token_split, normalize_with_splits};

/// What the comparison stages know of one block.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// Hash of the normalized key.
    pub key_hash: u64,
    /// Hash of the token sequence ([`seq_hash`] of `tokens`).
    pub seq_hash: u64,
    /// One hash per token, in order.
    pub tokens: Box<[u64]>,
    /// Token indices `i` such that a separator (`|`, a spaced dash, `:`, `·`, `•`, `/`, `»`)
    /// stands between token `i - 1` and token `i`: where a site suffix may start.
    pub boundaries: Box<[u32]>,
    /// The block ends in an ellipsis (`...` or `…`): its last word may be cut.
    pub ellipsis_end: bool,
    /// Indices of the tokens that hold a digit (counters, dates, prices).
    pub numeric: Box<[u32]>,
    /// The block's winnowed 4-gram hashes, in text order, possibly repeated ([`minimizers`]; the
    /// index of [`crate::candidates`]).
    pub minimizers: Box<[u64]>,
    /// The block's 8-gram hashes with their positions, sorted; built the first time another
    /// block is compared with this one, then shared (see [`crate::verify`]).
    pub long_grams: std::sync::OnceLock<Box<[(u64, u32)]>>,
}

impl Features {
    fn with_minimizers(mut self) -> Self {
        self.minimizers = minimizers(&self.tokens);
        self
    }
}

/// A hasher for keys that are already well-mixed 64-bit hashes: it passes them through, which
/// makes hash-map lookups several times cheaper than the default SipHash.
#[derive(Debug, Default, Clone, Copy)]
pub struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(MIX);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Hash map keyed by 64-bit hashes.
pub type HashMap64<V> =
    std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<PassThrough>>;

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// [`token_hash`] of an ASCII word in lower case, lowered on the stack; `None` for a word over
/// 32 bytes.
#[inline]
pub(crate) fn lowered_token_hash(raw: &[u8]) -> Option<u64> {
    let mut buf = [0u8; 32];
    let low = buf.get_mut(..raw.len())?;
    low.copy_from_slice(raw);
    low.make_ascii_lowercase();
    Some(token_hash(low))
}

/// The hash of one normalized token: the same token hashes the same in every run and on every
/// machine. Tokens of up to 16 bytes (nearly all words) are read as two little-endian integers,
/// zero-padded, and mixed with their length by two 128-bit multiplications (the construction of
/// wyhash for short keys); longer tokens use xxh3.
#[inline]
pub fn token_hash(t: &[u8]) -> u64 {
    if t.len() > 16 {
        return xxh3_64(t);
    }
    let mut buf = [0u8; 16];
    buf[..t.len()].copy_from_slice(t);
    let (lo, hi) = words(&buf);
    short_token_hash(lo, hi, t.len())
}

/// The two little-endian integers of 16 bytes.
#[inline]
fn words(b: &[u8; 16]) -> (u64, u64) {
    let mut lo = [0u8; 8];
    let mut hi = [0u8; 8];
    lo.copy_from_slice(&b[..8]);
    hi.copy_from_slice(&b[8..]);
    (u64::from_le_bytes(lo), u64::from_le_bytes(hi))
}

/// [`token_hash`] of a token of `n` ≤ 16 bytes given as two zero-padded integers.
#[inline]
fn short_token_hash(lo: u64, hi: u64, n: usize) -> u64 {
    const S0: u64 = 0xa076_1d64_78bd_642f;
    const S1: u64 = 0xe703_7ed1_a0b4_28db;
    const S2: u64 = 0x8ebc_6af0_9c88_c6e3;
    let h = mum(lo ^ S0, hi ^ S1);
    mum(h ^ S2, (n as u64) ^ S1)
}

/// The 128-bit product of `a` and `b`, folded to 64 bits.
#[inline]
fn mum(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

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

/// Computes the features of one block of original text.
pub fn features(text: &str) -> Features {
    features_ascii(text)
        .unwrap_or_else(|| features_general(text))
        .with_minimizers()
}

// Winnowing: the gram hashes a block is indexed by (see [`crate::candidates`]).

/// Tokens per indexed gram.
pub const GRAM: usize = 4;
/// Grams per winnowing window: runs of `GRAM + WINDOW - 1` = 8 tokens are always found.
pub const WINDOW: usize = 5;
/// The selected gram hashes of one block.
pub fn minimizers(tokens: &[u64]) -> Box<[u64]> {
    // A block shorter than a guaranteed run holds no run to find (whole short blocks have
    // their own index).
    if tokens.len() < GRAM + WINDOW - 1 {
        return Box::default();
    }
    GRAMS.with_borrow_mut(|(grams, picked)| {
        grams.clear();
        grams.extend(tokens.windows(GRAM).map(seq_hash));
        picked.clear();
        select(grams, picked);
        // Held for the whole document: exactly as long as it needs to be.
        let out = Box::from(picked.as_slice());
        // One huge block must not pin its size in every thread for the rest of the run.
        for v in [grams, picked] {
            if v.capacity() > GRAMS_KEEP {
                v.clear();
                v.shrink_to(GRAMS_KEEP);
            }
        }
        out
    })
}

/// Largest gram buffer a thread keeps between blocks (hashes).
const GRAMS_KEEP: usize = 1 << 17;

thread_local! {
    /// Gram hashes of the block being fingerprinted and the ones winnowing picks, reused from
    /// block to block.
    static GRAMS: std::cell::RefCell<(Vec<u64>, Vec<u64>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Winnowing: the rightmost minimum of each window of [`WINDOW`] grams.
fn select(grams: &[u64], out: &mut Vec<u64>) {
    if grams.len() <= WINDOW {
        if let Some(&m) = grams.iter().min() {
            out.push(m);
        }
        return;
    }
    // About 2 / (WINDOW + 1) of the positions are selected: one allocation, not a chain of them.
    out.reserve(grams.len() * 2 / (WINDOW + 1) + 4);
    // Rightmost minimum of each window, so a tie picks one position consistently; the minimum
    // is only searched again when it leaves the window.
    let mut best = 0;
    for i in 1..WINDOW {
        if grams[i] <= grams[best] {
            best = i;
        }
    }
    out.push(grams[best]);
    for w in 1..=grams.len() - WINDOW {
        let newest = w + WINDOW - 1;
        let prev = best;
        if best < w {
            best = w;
            for i in w + 1..=newest {
                if grams[i] <= grams[best] {
                    best = i;
                }
            }
        } else if grams[newest] <= grams[best] {
            best = newest;
        }
        if best != prev {
            out.push(grams[best]);
        }
    }
}

/// The character that the `&` at the start of `text` makes, as normalization decodes it
/// (`html_escape`), and how many bytes make it: a well-formed reference (`&name;`, `&#digits;`,
/// `&#xhex;`) that decodes to one character, or a bare `&`. A `&` (bare or decoded) counts only
/// when what follows cannot make a reference with it, even once decoded or rid of invisible
/// characters (normalization strips those and decodes again: `&amp;amp;`, `&&#97;mp;`,
/// `&\u{200b}amp;`): the end of the text, or an ASCII character other than `#`, a letter or `&`.
/// `None` for anything else (an unknown name, a reference to several characters), and the
/// text takes the general path.
fn entity(text: &[u8]) -> Option<(char, usize)> {
    // What follows `&` at `next` cannot make a reference with it.
    let plain = |next: usize| match text.get(next) {
        None => true,
        Some(&b) => b.is_ascii() && !matches!(b, b'#' | b'&' | b'a'..=b'z' | b'A'..=b'Z'),
    };
    if plain(1) {
        return Some(('&', 1));
    }
    let end = text.iter().take(34).position(|&b| b == b';')?;
    let well_formed = match text.get(1..end)? {
        [b'#', b'x' | b'X', hex @ ..] => {
            (1..=6).contains(&hex.len()) && hex.iter().all(u8::is_ascii_hexdigit)
        }
        [b'#', digits @ ..] => {
            (1..=7).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit)
        }
        [first, rest @ ..] => {
            first.is_ascii_alphabetic() && rest.iter().all(u8::is_ascii_alphanumeric)
        }
        [] => false,
    };
    if !well_formed {
        return None;
    }
    let reference = std::str::from_utf8(text.get(..=end)?).ok()?;
    let std::borrow::Cow::Owned(decoded) = html_escape::decode_html_entities(reference) else {
        return None;
    };
    let mut chars = decoded.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c != '&' || plain(end + 1) => Some((c, end + 1)),
        _ => None,
    }
}

/// What normalization makes of a non-ASCII character on the fast path.
enum Mapped {
    /// These ASCII characters.
    Ascii(&'static [u8]),
    /// A space.
    Space,
    /// Nothing (invisible characters).
    Nothing,
    /// A letter of a word: its lowercase form, and whether it is uppercase.
    Letter(char, bool),
}

/// Maps the typographic non-ASCII characters (curly quotes, dashes, the ellipsis, NBSP and other
/// spaces, soft hyphen, zero-width characters) to the ASCII that normalization would make of
/// them, and the Latin-1 letters (and `œ`) to their lowercase form, so the fast path can take
/// them; `None` for any other character.
fn asciify(c: char) -> Option<Mapped> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' => Mapped::Ascii(b"'"),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{00ab}' => Mapped::Ascii(b"\""),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Mapped::Ascii(b"-"),
        '\u{2026}' => Mapped::Ascii(b"..."),
        '\u{00a0}' | '\u{2002}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
            Mapped::Space
        }
        '\u{00ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => Mapped::Nothing,
        // Latin-1 letters and the ligature œ: NFKC leaves them as they are, and each lowercases
        // to one letter.
        '\u{00c0}'..='\u{00d6}' | '\u{00d8}'..='\u{00de}' => {
            Mapped::Letter(char::from_u32(u32::from(c) + 0x20)?, true)
        }
        '\u{0152}' => Mapped::Letter('\u{0153}', true),
        '\u{00df}'..='\u{00f6}' | '\u{00f8}'..='\u{00ff}' | '\u{0153}' => Mapped::Letter(c, false),
        _ => return None,
    })
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Builds the key and the token list of ASCII text in one pass.
#[derive(Default)]
struct AsciiKey {
    key: Vec<u8>,
    tokens: Vec<u64>,
    boundaries: Vec<u32>,
    numeric: Vec<u32>,
    tok_start: Option<usize>,
    tok_digit: bool,
    last_end: usize,
    gap_space: bool,
    gap_sep: bool,
}

impl AsciiKey {
    fn end_token(&mut self) {
        let Some(start) = self.tok_start.take() else {
            return;
        };
        let end = self.key.len();
        let i = u32::try_from(self.tokens.len()).unwrap_or(u32::MAX);
        if !self.tokens.is_empty() && self.gap_space && self.gap_sep {
            self.boundaries.push(i);
        }
        if self.tok_digit {
            self.numeric.push(i);
        }
        let n = end - start;
        let h = if n <= 16 {
            // [`token_hash`] of the token, without its copy of a variable length: zero padding
            // after the key, read with the token as 16 bytes, then dropped (calling `token_hash`
            // here makes the fingerprint bench 12 % slower).
            self.key.extend_from_slice(&[0u8; 16]);
            let mut buf = [0u8; 16];
            buf.copy_from_slice(&self.key[start..start + 16]);
            self.key.truncate(end);
            let (lo, hi) = words(&buf);
            short_token_hash(lo, hi, n)
        } else {
            xxh3_64(&self.key[start..end])
        };
        self.tokens.push(h);
        self.last_end = end;
        self.gap_space = false;
        self.gap_sep = false;
    }

    /// A letter of a word given as its (non-ASCII) lowercase bytes.
    fn push_letter(&mut self, bytes: &[u8], split_before: bool) {
        if split_before {
            self.end_token();
        }
        if self.tok_start.is_none() {
            self.tok_start = Some(self.key.len());
            self.tok_digit = false;
        }
        self.key.extend_from_slice(bytes);
    }

    /// A non-ASCII sign that is no letter or digit (`·`, `。`, a Thai tone mark).
    fn push_other(&mut self, bytes: &[u8], separator: bool) {
        self.end_token();
        self.gap_sep |= separator;
        self.key.extend_from_slice(bytes);
    }

    fn push(&mut self, c: u8, split_before: bool) {
        if c.is_ascii_alphanumeric() {
            if split_before {
                self.end_token();
            }
            if self.tok_start.is_none() {
                self.tok_start = Some(self.key.len());
                self.tok_digit = false;
            }
            self.tok_digit |= c.is_ascii_digit();
        } else {
            self.end_token();
            if c == b' ' {
                self.gap_space = true;
            } else if is_separator(char::from(c)) {
                self.gap_sep = true;
            }
        }
        self.key.push(c);
    }
}

/// The same result as [`features_general`] for text whose only non-ASCII characters, written
/// out or as character references (`&#8217;`, `&nbsp;`: see [`entity`]), are the ones
/// [`asciify`] maps (typographic characters, Latin-1 letters), in one pass over the bytes (most
/// scraped text is such; this path is about 3 times faster). `None` for any other text.
fn features_ascii(text: &str) -> Option<Features> {
    let text = text.as_bytes();
    KEY.with_borrow_mut(|(key, tokens)| {
        key.clear();
        tokens.clear();
        tokens.reserve(text.len() / 5 + 1);
        let mut k = AsciiKey {
            key: std::mem::take(key),
            tokens: std::mem::take(tokens),
            ..AsciiKey::default()
        };
        let f = ascii_pass(text, &mut k);
        *key = std::mem::take(&mut k.key);
        *tokens = std::mem::take(&mut k.tokens);
        // One huge block must not pin its size in every thread for the rest of the run.
        if key.capacity() > KEY_KEEP {
            key.clear();
            key.shrink_to(KEY_KEEP);
        }
        if tokens.capacity() > KEY_KEEP / 8 {
            tokens.clear();
            tokens.shrink_to(KEY_KEEP / 8);
        }
        f
    })
}

/// Largest key buffer a thread keeps between blocks (bytes).
const KEY_KEEP: usize = 1 << 20;

thread_local! {
    /// The fast path's key and token buffers, reused from block to block (the tokens a block
    /// keeps are copied out at their exact length: they are held for the whole document).
    static KEY: std::cell::RefCell<(Vec<u8>, Vec<u64>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// State of the slow lane of [`ascii_pass`]: the last two characters pushed (as normalization
/// sees them) and whether a space is due.
struct Lane {
    pending_space: bool,
    /// Case of the last two pushed characters, for glued words ("WhatsAppCalendar").
    p1: bool,
    p2: bool,
    /// The last two characters, after mapping (for glued sentence ends).
    prev: [u8; 2],
    /// Canonical combining class of the last character (NFKC reorders marks out of order).
    ccc: u8,
    /// The last character, as NFKC sees it (a mark may compose with it), and whether its
    /// compatibility decomposition is itself (else no mark may follow it on this path).
    last: char,
    simple: bool,
}

impl Lane {
    /// The lane at the start of a block.
    fn new() -> Self {
        Lane {
            pending_space: false,
            p1: false,
            p2: false,
            prev: [0, 0],
            ccc: 0,
            last: '\0',
            simple: true,
        }
    }

    /// After an ASCII character `c` went into the key: no mark before it is pending, and a mark
    /// after it may compose with it.
    #[inline]
    fn after_ascii(&mut self, c: char) {
        self.ccc = 0;
        self.last = c;
        self.simple = true;
    }

    /// The rules before a non-space character (`upper`, `lower`: its case; `shown`: what
    /// `prev` keeps of it): the pending space, a glued sentence end, a glued word. Returns
    /// whether the character starts a new token inside a word.
    fn step(&mut self, k: &mut AsciiKey, upper: bool, lower: bool, shown: u8) -> bool {
        let mut split_here = false;
        if self.pending_space {
            k.push(b' ', false);
            self.pending_space = false;
        } else if upper
            && matches!(self.prev[1], b'.' | b'!' | b'?')
            && self.prev[0].is_ascii_lowercase()
        {
            // A glued sentence end: "reported.Highlights" (no glued word after a space).
            k.push(b' ', false);
            self.p1 = false;
        } else if upper && self.p1 && self.p2 {
            split_here = true;
        }
        self.p2 = self.p1;
        self.p1 = lower;
        self.prev = [self.prev[1], shown];
        split_here
    }

    /// A non-ASCII letter ([`Mapped::Letter`]): the same rules as an ASCII one in [`Lane::push`].
    fn push_letter(&mut self, k: &mut AsciiKey, lower: char, upper: bool) {
        // `prev` only tells lowercase letters from the rest: an ASCII stand-in will do.
        let split_here = self.step(k, upper, !upper, if upper { b'A' } else { b'a' });
        let mut buf = [0u8; 4];
        k.push_letter(lower.encode_utf8(&mut buf).as_bytes(), split_here);
    }

    /// A non-ASCII character of the table ([`chars::info`]) that NFKC leaves as it is: a
    /// letter or digit, or another sign; `lower` is what the key holds.
    fn push_char(&mut self, k: &mut AsciiKey, info: chars::Info, lower: &[u8]) {
        let shown = if info.is_lower() {
            b'a'
        } else if info.upper() {
            b'A'
        } else {
            b'#'
        };
        let split_here = self.step(k, info.upper(), info.is_lower(), shown);
        if !info.alnum() {
            k.push_other(lower, info.separator());
        } else if info.unspaced() {
            k.end_token();
            k.push_letter(lower, false);
            k.tok_digit |= info.numeric();
            k.end_token();
        } else {
            k.push_letter(lower, split_here);
            k.tok_digit |= info.numeric();
        }
    }

    fn space(&mut self, k: &AsciiKey) {
        self.pending_space = !k.key.is_empty();
        self.p1 = false;
        self.p2 = false;
        self.prev = [self.prev[1], b' '];
    }

    // Inlined at every call, as the compiler chose before `ascii_pass` was cut into helpers:
    // after the cut it kept it out of line, and the fingerprint bench ran 2 to 4 % slower.
    #[inline(always)]
    fn push(&mut self, k: &mut AsciiKey, raw: u8) {
        if is_space(raw) {
            self.space(k);
            return;
        }
        let split_here = self.step(k, raw.is_ascii_uppercase(), raw.is_ascii_lowercase(), raw);
        let c = if raw == b'`' {
            b'\''
        } else {
            raw.to_ascii_lowercase()
        };
        k.push(c, split_here);
    }
}

/// `0x01` in every byte.
const ONES: u64 = u64::MAX / 255;
/// `0x80` in every byte.
const HIGH: u64 = ONES * 0x80;

/// The bytes of `w` that are ASCII lowercase letters or digits (their high bit set), and those
/// that are digits, eight bytes at a time.
#[inline]
fn word_bytes(w: u64) -> (u64, u64) {
    // With the high bits cleared, adding `0x80 - c` to a byte sets its high bit exactly when the
    // byte is at least `c`, and never carries into the next byte.
    let x = w & !HIGH;
    let at_least = |c: u64| x + ONES * (0x80 - c);
    let lower = at_least(0x61) & !at_least(0x7b);
    let digit = at_least(0x30) & !at_least(0x3a);
    let ascii = !w & HIGH;
    ((lower | digit) & ascii, digit & ascii)
}

/// The end of the run of ASCII lowercase letters and digits that starts at `i`, and whether it
/// holds a digit. Eight bytes at a time: one branch per word instead of one per byte.
#[inline]
fn word_run(text: &[u8], i: usize) -> (usize, bool) {
    let mut j = i;
    let mut digit = false;
    while let Some(chunk) = text.get(j..j + 8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        let (word, digits) = word_bytes(u64::from_le_bytes(b));
        let stop = !word & HIGH;
        if stop != 0 {
            let n = stop.trailing_zeros() as usize / 8;
            // The digit bits of the first `n` bytes only.
            let inside = if n == 0 { 0 } else { u64::MAX >> (64 - 8 * n) };
            return (j + n, digit || digits & inside != 0);
        }
        digit |= digits != 0;
        j += 8;
    }
    while j < text.len() && (text[j].is_ascii_lowercase() || text[j].is_ascii_digit()) {
        digit |= text[j].is_ascii_digit();
        j += 1;
    }
    (j, digit)
}

/// Any other non-ASCII character that NFKC keeps, or maps to one character, in the order NFKC
/// keeps (`info` is its entry); `None` where the general path must decide.
#[inline]
fn table_char(lane: &mut Lane, k: &mut AsciiKey, c: char, info: chars::Info) -> Option<()> {
    let ccc = info.ccc();
    if info.refused()
        || info.expands()
        || (ccc != 0 && lane.ccc > ccc)
        || (info.maybe() && (lane.ccc != 0 || !lane.simple || composes(lane.last, c)))
    {
        return None;
    }
    lane.ccc = ccc;
    lane.last = c;
    lane.simple = info.simple();
    if let Some(b) = info.ascii() {
        lane.push(k, b);
    } else if info.space() {
        lane.space(k);
    } else {
        let mut buf = [0u8; 4];
        lane.push_char(k, info, info.lower().encode_utf8(&mut buf).as_bytes());
    }
    Some(())
}

/// True when the mark `c` composes with `last` or with its lowercase form: the general path
/// folds case, then normalizes the key again (`W` + ring above: `ẘ`).
fn composes(last: char, c: char) -> bool {
    let low = if last.is_ascii() {
        last.to_ascii_lowercase()
    } else {
        chars::info(last).lower()
    };
    unicode_normalization::char::compose(last, c).is_some()
        || unicode_normalization::char::compose(low, c).is_some()
}

/// The character of valid UTF-8 `text` that starts at `i` (a lead byte), and its width.
#[inline]
fn decode_utf8(text: &[u8], i: usize) -> Option<(char, usize)> {
    let b = |k: usize| text.get(i + k).map(|&x| u32::from(x & 0x3f));
    let lead = u32::from(text[i]);
    let (cp, width) = match lead {
        0xc0..=0xdf => (((lead & 0x1f) << 6) | b(1)?, 2),
        0xe0..=0xef => (((lead & 0x0f) << 12) | (b(1)? << 6) | b(2)?, 3),
        _ => (
            ((lead & 0x07) << 18) | (b(1)? << 12) | (b(2)? << 6) | b(3)?,
            4,
        ),
    };
    Some((char::from_u32(cp)?, width))
}

/// The features of `text` read in one pass over its bytes, into `k`: runs of lowercase letters
/// and digits go in whole (the fast lane), other characters one at a time through the [`Lane`];
/// `None` when a character needs the general path.
fn ascii_pass(text: &[u8], k: &mut AsciiKey) -> Option<Features> {
    let mut lane = Lane::new();
    let mut i = 0;
    while i < text.len() {
        let raw = text[i];
        // Fast lane: a run of lowercase letters and digits goes into the key as it is.
        if raw.is_ascii_lowercase() || raw.is_ascii_digit() {
            i = push_word_run(&mut lane, k, text, i);
            continue;
        }
        // A character reference: the character it stands for, as if it were written out.
        let (c, width) = if raw == b'&' {
            entity(&text[i..])?
        } else if raw.is_ascii() {
            lane.push(k, raw);
            lane.after_ascii(char::from(raw));
            i += 1;
            continue;
        } else {
            decode_utf8(text, i)?
        };
        i += width;
        push_decoded(&mut lane, k, c)?;
    }
    Some(finish(k))
}

/// The fast lane of [`ascii_pass`]: the run of ASCII lowercase letters and digits that starts at
/// `i` goes into the key as it is, and the lane learns its last two characters. Returns where
/// the run ends.
#[inline]
fn push_word_run(lane: &mut Lane, k: &mut AsciiKey, text: &[u8], i: usize) -> usize {
    if lane.pending_space {
        k.push(b' ', false);
        lane.pending_space = false;
    }
    let (j, digit) = word_run(text, i);
    if k.tok_start.is_none() {
        k.tok_start = Some(k.key.len());
        k.tok_digit = false;
    }
    k.tok_digit |= digit;
    // Short runs (most words) as one fixed 8- or 16-byte copy, cut back to the run: a
    // call to `memcpy` per word costs more than the copy.
    let len = k.key.len();
    match text.get(i..i + 16) {
        Some(chunk) if j - i <= 16 => {
            if j - i <= 8 {
                k.key.extend_from_slice(&chunk[..8]);
            } else {
                k.key.extend_from_slice(chunk);
            }
            k.key.truncate(len + (j - i));
        }
        _ => k.key.extend_from_slice(&text[i..j]),
    }
    if j - i >= 2 {
        lane.p2 = text[j - 2].is_ascii_lowercase();
        lane.prev = [text[j - 2], text[j - 1]];
    } else {
        lane.p2 = lane.p1;
        lane.prev = [lane.prev[1], text[j - 1]];
    }
    lane.p1 = text[j - 1].is_ascii_lowercase();
    lane.after_ascii(char::from(text[j - 1]));
    j
}

/// A character of `text` that is no plain ASCII byte (written out or as a reference), as
/// normalization reads it: ASCII, a character [`asciify`] maps, one NFKC expands into several
/// kept characters, or another one of the table; `None` where the general path must decide.
#[inline]
fn push_decoded(lane: &mut Lane, k: &mut AsciiKey, c: char) -> Option<()> {
    if c.is_ascii() {
        lane.push(k, c as u8);
        lane.after_ascii(c);
        return Some(());
    }
    if let Some(m) = asciify(c) {
        push_mapped(lane, k, m);
        return Some(());
    }
    let info = chars::info(c);
    if info.expands() {
        push_expanded(lane, k, c)
    } else {
        table_char(lane, k, c, info)
    }
}

/// A character [`asciify`] maps, pushed as what it maps to (invisible characters leave no
/// trace, not even in the lane).
#[inline]
fn push_mapped(lane: &mut Lane, k: &mut AsciiKey, m: Mapped) {
    match m {
        Mapped::Ascii(bytes) => {
            for &b in bytes {
                lane.push(k, b);
            }
        }
        Mapped::Space => lane.space(k),
        Mapped::Nothing => return,
        Mapped::Letter(lower, upper) => lane.push_letter(k, lower, upper),
    }
    lane.ccc = 0;
    lane.simple = false;
}

/// A character that NFKC expands into several characters it keeps (`ﬁ`, `½`), read in turn;
/// no mark may follow it on this path.
#[inline]
fn push_expanded(lane: &mut Lane, k: &mut AsciiKey, c: char) -> Option<()> {
    for &m in chars::expanded(c) {
        if m.is_ascii() {
            lane.push(k, m as u8);
            lane.ccc = 0;
        } else {
            table_char(lane, k, m, chars::info(m))?;
        }
    }
    lane.simple = false;
    Some(())
}

/// The features of the key and tokens `k` holds once the text is read.
fn finish(k: &mut AsciiKey) -> Features {
    k.end_token();
    let ellipsis_end = k.key[k.last_end..].windows(3).any(|w| w == b"...");
    Features {
        key_hash: xxh3_64(&k.key),
        seq_hash: seq_hash(&k.tokens),
        tokens: k.tokens.as_slice().into(),
        boundaries: std::mem::take(&mut k.boundaries).into_boxed_slice(),
        ellipsis_end,
        numeric: std::mem::take(&mut k.numeric).into_boxed_slice(),
        minimizers: Box::default(),
        long_grams: std::sync::OnceLock::new(),
    }
}

/// Features of any text: normalize, then tokenize the key.
fn features_general(text: &str) -> Features {
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
        tokens.push(token_hash(t.as_bytes()));
    });
    let tail = &key[last_end..];
    let ellipsis_end = tail.contains("...");
    Features {
        key_hash: xxh3_64(key.as_bytes()),
        seq_hash: seq_hash(&tokens),
        // Held for the whole document: no more than an eighth of it unused (mimalloc keeps
        // the whole block when a reallocation shrinks it by less than half).
        tokens: if tokens.capacity() - tokens.len() > tokens.len() / 8 {
            tokens.as_slice().into()
        } else {
            tokens.into_boxed_slice()
        },
        boundaries: boundaries.into_boxed_slice(),
        ellipsis_end,
        numeric: numeric.into_boxed_slice(),
        minimizers: Box::default(),
        long_grams: std::sync::OnceLock::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    /// The fast path takes `s` and agrees with the general path.
    fn assert_agree(s: &str) {
        let (a, b) = (features_ascii(s).unwrap(), features_general(s));
        assert_eq!(agreed(&a), agreed(&b), "{s:?}");
    }

    /// What the fast path and the general path must agree on, side by side.
    fn agreed(f: &Features) -> (u64, u64, &[u64], &[u32], &[u32], bool) {
        (
            f.key_hash,
            f.seq_hash,
            &f.tokens,
            &f.boundaries,
            &f.numeric,
            f.ellipsis_end,
        )
    }

    #[test]
    fn a_word_run_goes_into_the_key_whole_and_the_lane_learns_its_end() {
        let (mut lane, mut k) = (Lane::new(), AsciiKey::default());
        assert_eq!(push_word_run(&mut lane, &mut k, b"abc1 Def", 0), 4);
        assert_eq!((k.key.as_slice(), k.tok_digit), (&b"abc1"[..], true));
        assert_eq!((lane.prev, lane.p2, lane.p1), ([b'c', b'1'], true, false));
        assert_eq!((lane.last, lane.ccc, lane.simple), ('1', 0, true));
        // A pending space goes in first; a run of one letter shifts what the lane knew.
        lane.pending_space = true;
        assert_eq!(push_word_run(&mut lane, &mut k, b"x.", 0), 1);
        assert_eq!(k.key, b"abc1 x");
        assert_eq!((lane.prev, lane.p2, lane.p1), ([b'1', b'x'], false, true));
        // A run longer than 16 bytes, at the end of the text.
        let long = b"abcdefghijklmnopqrstu";
        let (mut lane, mut k) = (Lane::new(), AsciiKey::default());
        assert_eq!(push_word_run(&mut lane, &mut k, long, 0), long.len());
        assert_eq!(k.key, long);
        assert!(!k.tok_digit);
    }

    #[test]
    fn mapped_characters_go_in_as_their_ascii_and_invisible_ones_leave_no_trace() {
        let (mut lane, mut k) = (Lane::new(), AsciiKey::default());
        lane.ccc = 9;
        push_mapped(&mut lane, &mut k, Mapped::Nothing);
        assert!(k.key.is_empty());
        assert_eq!((lane.ccc, lane.simple), (9, true));
        push_mapped(&mut lane, &mut k, Mapped::Ascii(b"..."));
        assert_eq!(k.key, b"...");
        assert_eq!((lane.ccc, lane.simple), (0, false));
        push_mapped(&mut lane, &mut k, Mapped::Letter('\u{e9}', true));
        assert_eq!(k.key, "...\u{e9}".as_bytes());
        assert_eq!(k.tokens.len(), 0, "the word is still open");
    }

    #[test]
    fn decoded_characters_take_their_lane_or_the_general_path() {
        let key_of = |cs: &[char]| {
            let (mut lane, mut k) = (Lane::new(), AsciiKey::default());
            for &c in cs {
                push_decoded(&mut lane, &mut k, c)?;
            }
            Some(String::from_utf8(k.key).unwrap())
        };
        assert_eq!(
            key_of(&['A', '\u{c9}', '\u{2019}']).as_deref(),
            Some("a\u{e9}'")
        );
        // A ligature: the two letters NFKC makes of it.
        assert_eq!(key_of(&['\u{fb01}', 'x']).as_deref(), Some("fix"));
        assert_eq!(key_of(&['\u{414}']).as_deref(), Some("\u{434}"));
        // A character whose lowercase form is two characters: the general path decides.
        assert_eq!(key_of(&['\u{130}']), None);
    }

    #[test]
    fn an_expanded_character_leaves_no_mark_to_compose_with() {
        let (mut lane, mut k) = (Lane::new(), AsciiKey::default());
        assert_eq!(push_expanded(&mut lane, &mut k, '\u{fb01}'), Some(()));
        assert_eq!(k.key, b"fi");
        assert!(!lane.simple);
    }

    #[test]
    fn finish_closes_the_last_word_and_sees_a_final_ellipsis() {
        let (mut lane, mut k) = (Lane::new(), AsciiKey::default());
        for &b in b"Two words..." {
            lane.push(&mut k, b);
        }
        let f = finish(&mut k);
        assert_eq!(f.tokens.len(), 2);
        assert!(f.ellipsis_end);
        assert_eq!(f.key_hash, features("Two words...").key_hash);
        let mut k = AsciiKey::default();
        let f = finish(&mut k);
        assert!(f.tokens.is_empty() && !f.ellipsis_end);
    }

    #[test]
    fn winnowing_picks_the_rightmost_minimum_of_each_window_once() {
        let mut out = Vec::new();
        select(&[9, 3, 7, 3, 8, 2, 6], &mut out);
        assert_eq!(out, [3, 2]);
        out.clear();
        select(&[4, 1, 1], &mut out);
        assert_eq!(out, [1], "a short list: its minimum");
        out.clear();
        select(&[], &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn blocks_that_share_a_long_run_share_a_minimizer() {
        let run: Vec<u64> = (100..100 + (GRAM + WINDOW - 1) as u64)
            .map(|t| t.wrapping_mul(MIX))
            .collect();
        let mut a: Vec<u64> = vec![1, 2, 3];
        a.extend(&run);
        let mut b = run.clone();
        b.extend([7, 8, 9, 10, 11]);
        let (ma, mb) = (minimizers(&a), minimizers(&b));
        assert!(ma.iter().any(|g| mb.contains(g)), "{ma:?} / {mb:?}");
        // Shorter than a guaranteed run: nothing to index.
        assert!(minimizers(&run[1..]).is_empty());
        assert_eq!(minimizers(&run).len(), 1);
    }

    #[test]
    fn suffix_boundary_and_ellipsis() {
        let f = features("UK Tories under fire | Hosted");
        assert_eq!(f.tokens.len(), 5);
        assert_eq!(*f.boundaries, [4]);
        assert!(!f.ellipsis_end);
        let g = features("Kim Jong-un said the talks were stun\u{2026}");
        assert!(
            g.boundaries.is_empty(),
            "a hyphen inside a word is no separator"
        );
        assert!(g.ellipsis_end);
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_general_path() {
        // A small deterministic generator over the characters that matter to the rules.
        let alphabet: Vec<char> =
            "aZ b.Cx!?  \t\r\n|-:/`'\"9...yQrs,Tt(\u{2019}\u{201c}\u{2014}\u{2026}\u{a0}\u{ad}\u{200b}\u{ab}"
                .chars()
                .collect();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..400 {
            let mut s = String::new();
            for _ in 0..(len % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                s.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            assert_agree(&s);
        }
        for s in [
            "Share this on WhatsAppCalendar 2018",
            "reported.Highlights | Site - x",
            "U.S.A. Today",
            "wait...",
        ] {
            assert_agree(s);
        }
    }

    /// Characters around the fast path's rules: ASCII letters of both cases, digits, sentence
    /// ends, separators, every typographic character `asciify` maps, and some it does not.
    const RICH: &[char] = &[
        'a', 'b', 'z', 'A', 'B', 'Z', '0', '9', '.', '!', '?', ',', ';', ' ', '\t', '\n', '\r',
        '\u{b}', '\u{c}', '|', '-', ':', '/', '*', '~', '`', '\'', '"', '(', ')', '_', '\u{1c}',
        '\u{2018}', '\u{2019}', '\u{201a}', '\u{201b}', '\u{201c}', '\u{201d}', '\u{201e}',
        '\u{201f}', '\u{ab}', '\u{2010}', '\u{2011}', '\u{2013}', '\u{2014}', '\u{2015}',
        '\u{2212}', '\u{2026}', '\u{a0}', '\u{2002}', '\u{2009}', '\u{200a}', '\u{202f}',
        '\u{205f}', '\u{3000}', '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}',
        '\u{feff}', '\u{c0}', '\u{c9}', '\u{d6}', '\u{d8}', '\u{de}', '\u{df}', '\u{e0}', '\u{e9}',
        '\u{ef}', '\u{f6}', '\u{f8}', '\u{fc}', '\u{ff}', '\u{152}', '\u{153}',
    ];

    /// Characters of other scripts and signs the fast path takes through its table: letters of
    /// both cases, digits of other scripts, signs, separators, spaces, emoji, CJK.
    const SCRIPTS: &[char] = &[
        '\u{d7}',
        '\u{f7}',
        '\u{178}',
        '\u{85}',
        '\u{2028}',
        '\u{1680}',
        '\u{b7}',
        '\u{203a}',
        '\u{bb}',
        '\u{2022}',
        '\u{2032}',
        '\u{1f600}',
        '\u{20000}',
        '\u{5b57}',
        '\u{3002}',
        'Д',
        'д',
        'Ё',
        'Σ',
        'σ',
        'ς',
        'ά',
        'ب',
        '٣',
        '،',
        'ש',
        'क',
        'ि',
        '्',
        '।',
        'ก',
        'ิ',
        '่',
        'ุ',
        '๓',
        '한',
        'ł',
        'Ł',
        'ș',
        'ő',
        'ı',
        '\u{96}',
        '\u{e000}',
        '\u{ff0c}',
        '\u{ff21}',
        '\u{ff0e}',
        '\u{ff01}',
        '\u{ff1a}',
        '\u{ff5c}',
        '\u{3000}',
        '\u{ff10}',
        'ｶ',
        '\u{aa}',
        '\u{b2}',
        '\u{b5}',
        '\u{ff0d}',
        '\u{1d400}',
        '\u{e33}',
        '\u{1c5}',
        '\u{2033}',
        '\u{fb01}',
        'ǆ',
        '\u{2474}',
        '\u{bd}',
        '\u{2122}',
        '\u{3392}',
        '\u{fdfa}',
        '\u{2100}',
        'W',
        'Α',
        'Ρ',
    ];

    /// Characters that NFKC changes, or that lowercase to several: the fast path refuses the text.
    const REFUSED: &[char] = &[
        '\u{130}',
        '\u{b4}',
        '\u{ff06}',
        '\u{fe60}',
        '\u{344}',
        '\u{1f150}',
    ];

    /// Marks that may compose with the character before them or come out of order: taken or
    /// refused depending on their neighbours.
    const MARKS: &[char] = &[
        '\u{301}',
        '\u{323}',
        '\u{93c}',
        '\u{e48}',
        '\u{e38}',
        '\u{1161}',
        '\u{11a8}',
        '\u{654}',
        '\u{9be}',
        '\u{3099}',
        '\u{30a}',
        '\u{308}',
        '\u{342}',
        '\u{313}',
        '\u{16121}',
        '\u{1611e}',
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        #[test]
        fn fast_path_agrees_with_the_general_path_on_rich_text(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    30 => proptest::sample::select(RICH),
                    20 => proptest::sample::select(SCRIPTS),
                    1 => proptest::sample::select(REFUSED),
                    4 => proptest::sample::select(MARKS),
                ],
                0..80,
            )
        ) {
            use proptest::prop_assert_eq;
            let s: String = chars.into_iter().collect();
            let accepted = features_ascii(&s);
            if !s.chars().any(|c| MARKS.contains(&c)) {
                proptest::prop_assert_eq!(
                    accepted.is_some(),
                    !s.chars().any(|c| REFUSED.contains(&c)),
                    "accepted {:?}",
                    s
                );
            }
            if let Some(a) = accepted {
                let b = features_general(&s);
                prop_assert_eq!(agreed(&a), agreed(&b), "{:?}", s);
            }
        }
    }

    #[test]
    fn marks_and_signs_that_change_in_a_second_round_agree() {
        // Found by fuzzing the two paths against each other: a mark that composes only with the
        // lowercase letter, a "maybe" character that decomposes, an uppercase sign without a
        // lowercase form that makes a glued sentence end once the letter before is folded.
        for s in [
            "W\u{30a}",
            "Y\u{30a}",
            "T\u{308}",
            "J\u{30c}",
            "H\u{331}",
            "\u{391}\u{342}",
            "\u{3a1}\u{313}",
            "W&#778;",
            "\u{1611e}\u{16121}",
            "\u{16d63}\u{16d68}",
            "\u{1138b}\u{113c5}",
            "A.\u{1f150} & x",
            "A.\u{1f150}x\u{301}",
            "J?\u{1f181}&",
        ] {
            if let Some(a) = features_ascii(s) {
                assert_eq!(agreed(&a), agreed(&features_general(s)), "{s:?}");
            }
        }
    }

    #[test]
    fn text_of_every_script_takes_the_fast_path() {
        for s in [
            "Съешь же ещё этих мягких французских булок, да выпей чаю.",
            "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Σοφός",
            "نص حكيم له سر قاطع وذو شأن عظيم، مكتوب على ثوب أخضر ٣٤",
            "עטלף אבק נס דרך מזגן שהתפוצץ כי חם",
            "ऋषियों को सताने वाले दुष्ट राक्षसों के राजा रावण का सर्वनाश करने वाले",
            "เป็นมนุษย์สุดประเสริฐเลิศคุณค่า กว่าบรรดาฝูงสัตว์เดรัจฉาน",
            "天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。",
            "키스의 고유조건은 입술끼리 만나야 하고 특별한 기술은 필요치 않다",
            "Pchnąć w tę łódź jeża lub ośm skrzyń fig. Žluťoučký kůň úpěl ďábelské ódy; ș ț ő ű",
        ] {
            assert!(features_ascii(s).is_some(), "{s:?}");
            assert_agree(s);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// Long words of mixed case, some with a dropped or mapped character inside, at every
        /// distance from the end of the text (the 16 bytes read for a token's hash).
        #[test]
        fn fast_path_agrees_with_the_general_path_on_long_words(
            words in proptest::collection::vec(
                ("[a-zA-Z0-9]{1,20}", proptest::sample::select(&[
                    " ", ".", ", ", "-", "\u{ad}", "\u{200b}", "\u{e9}", "\u{c9}", "'", "\u{2019}",
                    "", "\n",
                ][..])),
                0..8,
            )
        ) {
            let s: String = words.iter().flat_map(|(w, sep)| [w.as_str(), *sep]).collect();
            let (a, b) = (features_ascii(&s).unwrap(), features_general(&s));
            proptest::prop_assert_eq!(agreed(&a), agreed(&b), "{:?}", s);
        }
    }

    #[test]
    fn character_references_take_the_fast_path() {
        for s in [
            "It&#8217;s &ldquo;here&rdquo;&nbsp;now",
            "A&#x2019;B &amp; c",
            "x&#65;y",
            "Tom & Jerry",
            "caf&#769;",
            "&#150;",
        ] {
            assert_agree(s);
        }
        // Left to the general path: an unknown name, a reference decoded twice, one that stands
        // for a character the fast path does not map, a `&` that may start a reference.
        for s in [
            "&bogus; x",
            "&amp;amp; x",
            "&amp;#8217;",
            "a &b",
            "e&#769;",
            "&&#97;mp; x",
            "x &&#76;T; y",
            "&\u{200b}amp; x",
            "a &\u{ad}lt; b",
        ] {
            assert!(features_ascii(s).is_none(), "{s:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// Words with character references among and inside them: wherever the fast path takes
        /// the text, it must agree with normalization, which decodes references first.
        #[test]
        fn fast_path_agrees_with_the_general_path_on_references(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    3 => "[a-zA-Z0-9]{1,8}",
                    1 => proptest::sample::select(&[
                        " ", ".", ". ", "\n", "'", "&", "& ", ";",
                        "&#8217;", "&#x2019;", "&#X201C;", "&rsquo;", "&ldquo;", "&rdquo;",
                        "&nbsp;", "&NBSP;", "&amp;", "&AMP;", "&amp;amp;", "&amp;#8217;", "&quot;",
                        "&QUOT;", "&#39;", "&#00039;", "&apos;", "&lt;", "&gt;", "&#65;",
                        "&#97;", "&#46;", "&#10;", "&#9;", "&#32;", "&#173;", "&shy;", "&#8203;",
                        "&#xFEFF;", "&#769;", "&#150;", "&#0;", "&#xD800;", "&#1114112;",
                        "&eacute;", "&Eacute;", "&Ouml;", "&oelig;", "&OElig;", "&szlig;",
                        "&hellip;", "&mdash;", "&ndash;", "&minus;", "&times;", "&copy;",
                        "&sup2;", "&NotEqualTilde;", "&bogus;", "&#8217", "&nbsp", "&#x;",
                        "&#;", "&;", "&1;", "&#x0002019;", "&#00000008217;", "& amp;", "&&",
                        "&#38;", "&#x26;", "&#97;", "amp;", "mp;", "lt;", "LT;", "Hat;", "\u{200b}",
                        "\u{ad}", "&#8203;", "\u{ff06}", "\u{ff06}amp;", "\u{fe60}lt;", "\u{ff1b}", "\u{ff03}", "\u{ff41}mp;",
                    ][..]).prop_map(|r: &str| r.to_string()),
                    // A `&`, then what may join it into a reference once decoded or stripped.
                    1 => (
                        proptest::sample::select(&["&", "&amp;", "&#38;", "x&"][..]),
                        proptest::sample::select(&[
                            "&#97;", "&#x61;", "&#38;", "\u{200b}", "\u{ad}", "&#8203;", "&#173;",
                            "&", "#", "a", " ", "\u{e9}",
                        ][..]),
                        proptest::sample::select(&["mp;", "amp;", "lt;", "LT;", "Hat;", "#8217;", "x"][..]),
                    ).prop_map(|(a, b, c)| format!("{a}{b}{c}")),
                ],
                0..16,
            )
        ) {
            let s: String = parts.concat();
            if let Some(a) = features_ascii(&s) {
                let b = features_general(&s);
                proptest::prop_assert_eq!(agreed(&a), agreed(&b), "{:?}", s);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn word_run_matches_a_byte_by_byte_scan(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..40),
            start in 0usize..40,
        ) {
            let i = start % bytes.len();
            let mut j = i;
            while j < bytes.len() && (bytes[j].is_ascii_lowercase() || bytes[j].is_ascii_digit()) {
                j += 1;
            }
            let digit = bytes[i..j].iter().any(u8::is_ascii_digit);
            proptest::prop_assert_eq!(word_run(&bytes, i), (j, digit));
        }

        #[test]
        fn token_hash_reads_only_the_token(t in "[a-z0-9]{1,20}", pad in "[a-z0-9]{0,20}") {
            // The fast path reads 16 bytes after the token's start: what follows must not count.
            let k = features_ascii(&format!("{t} {pad}")).unwrap();
            let alone = features_general(&t);
            proptest::prop_assert_eq!(k.tokens.first(), alone.tokens.first());
        }
    }

    #[test]
    fn token_hashes_differ() {
        let words = [
            "a",
            "b",
            "ab",
            "ba",
            "a0",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "",
        ];
        let mut hashes: Vec<u64> = words.iter().map(|w| token_hash(w.as_bytes())).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), words.len());
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
