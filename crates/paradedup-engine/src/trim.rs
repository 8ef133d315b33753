//! Trim: the repeated part of a block that also holds something unique, as byte ranges to cut.
//!
//! Two shapes are cut: a block that opens with a run of words it repeats further on (a teaser
//! run into its lead: `Teaser sentence.Teaser sentence and the rest of the lead`), and a block
//! outside the article's prose made of a copy of better-placed text and words of its own (a
//! description that is the lede plus a sentence found nowhere else, a caption that is a sentence
//! of the body plus a photo credit). The canonical step decides which blocks (see
//! [`crate::canonical`]); this module finds where the words lie in the original bytes and where
//! a cut may fall.
//!
//! A cut falls only where a reader accepts one: after a sentence end (glued ones included:
//! `reported.Highlights`), at a line break, or at a separator (` | `, ` - `, `:`, `›`). It never
//! falls inside a word, and never leaves a piece without a letter. The words are located by
//! reading the text again token by token; when that reading does not give exactly the tokens
//! of the block's features (an HTML entity inside a word, say), the block is not trimmed.

use std::ops::Range;

use crate::fingerprint::{lowered_token_hash, token_hash, Features};
use crate::normalize::{is_unspaced_script, normalize};

/// Characters that the comparison key drops inside a word.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// The byte span of every token of `text`, in order, when they are the tokens of `f`.
pub fn token_spans(text: &str, f: &Features) -> Option<Vec<Range<usize>>> {
    let spans = if text.is_ascii() {
        ascii_spans(text.as_bytes(), f.tokens.len())?
    } else {
        unicode_spans(text, f.tokens.len())?
    };
    if spans.len() != f.tokens.len() {
        return None;
    }
    let same = spans.iter().zip(&f.tokens).all(|(span, &t)| {
        // An ASCII word (letters and digits) normalizes to its lower case: no allocation.
        let raw = &text.as_bytes()[span.clone()];
        if let Some(h) = raw.is_ascii().then(|| lowered_token_hash(raw)).flatten() {
            return h == t;
        }
        let word: String = text[span.clone()]
            .chars()
            .filter(|&c| !is_invisible(c))
            .collect();
        token_hash(normalize(&word, true).as_bytes()) == t
    });
    same.then_some(spans)
}

/// Word spans as they are read, a character at a time.
struct Spans {
    spans: Vec<Range<usize>>,
    start: Option<usize>,
    /// Lowercase letters just before, for the glued-word split (`WhatsAppCalendário`).
    p1: bool,
    p2: bool,
}

impl Spans {
    fn new(words: usize) -> Self {
        Spans {
            spans: Vec::with_capacity(words),
            start: None,
            p1: false,
            p2: false,
        }
    }

    /// A letter or digit at byte `i`.
    fn word_char(&mut self, i: usize, upper: bool, lower: bool) {
        match self.start {
            Some(s) if self.p1 && self.p2 && upper => {
                self.spans.push(s..i);
                self.start = Some(i);
            }
            Some(_) => {}
            None => self.start = Some(i),
        }
        self.p2 = self.p1;
        self.p1 = lower;
    }

    /// Anything else at byte `i`: the word before ends there.
    fn gap(&mut self, i: usize) {
        if let Some(s) = self.start.take() {
            self.spans.push(s..i);
        }
        (self.p1, self.p2) = (false, false);
    }

    /// The spans of a text of `len` bytes.
    fn end(mut self, len: usize) -> Vec<Range<usize>> {
        if let Some(s) = self.start {
            self.spans.push(s..len);
        }
        self.spans
    }
}

/// The word spans of an ASCII text, as [`unicode_spans`] reads them, a byte at a time.
fn ascii_spans(text: &[u8], words: usize) -> Option<Vec<Range<usize>>> {
    let mut spans = Spans::new(words);
    for (i, &c) in text.iter().enumerate() {
        if c == b'&' {
            return None;
        }
        if c.is_ascii_alphanumeric() {
            spans.word_char(i, c.is_ascii_uppercase(), c.is_ascii_lowercase());
        } else {
            spans.gap(i);
        }
    }
    Some(spans.end(text.len()))
}

/// The byte span of every word of `text`: runs of letters and digits (invisible characters
/// skipped), each character of an unspaced script on its own, and a glued word split before a
/// capital that follows two lowercase letters (`WhatsAppCalendário`). `None` when the text
/// holds a character reference (decoded into the key, so not read here).
fn unicode_spans(text: &str, words: usize) -> Option<Vec<Range<usize>>> {
    let mut spans = Spans::new(words);
    for (i, c) in text.char_indices() {
        if c == '&' {
            return None;
        }
        if is_invisible(c) {
            continue;
        }
        if is_unspaced_script(c) {
            spans.gap(i);
            spans.spans.push(i..i + c.len_utf8());
        } else if c.is_alphanumeric() {
            spans.word_char(i, c.is_uppercase(), c.is_lowercase());
        } else {
            spans.gap(i);
        }
    }
    Some(spans.end(text.len()))
}

/// True when the text between two words is a place to cut: it holds a sentence end, a line
/// break or a separator.
fn cuttable(gap: &str) -> bool {
    gap.chars().any(|c| {
        matches!(
            c,
            '.' | '!'
                | '?'
                | '\u{2026}'
                | '\u{3002}'
                | '\u{FF01}'
                | '\u{FF1F}'
                | '\n'
                | '\r'
                | '|'
                | ':'
                | '-'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{203A}'
                | '\u{BB}'
                | '>'
                | '/'
                | '\u{2022}'
                | '\u{B7}'
        )
    })
}

/// Byte ranges of `text` to cut so that the tokens `from..to` go (`to` exclusive), or `None`
/// when the cut would fall where a reader does not accept one, or leave a piece without a
/// letter. A cut that opens the block takes the punctuation and space after the words, one in
/// the middle or at the end takes the space before them.
pub fn cut(text: &str, spans: &[Range<usize>], from: usize, to: usize) -> Option<Range<usize>> {
    let n = spans.len();
    if from >= to || to > n || (from == 0 && to == n) {
        return None;
    }
    let gap = |k: usize| &text[spans[k - 1].end..spans[k].start];
    if from > 0 && !cuttable(gap(from)) {
        return None;
    }
    if to < n && !cuttable(gap(to)) {
        return None;
    }
    let range = if from == 0 {
        // The words and what separates them from the rest: `Teaser.` + ` ` or `… `.
        0..spans[to].start
    } else {
        // From the end of the sentence before: keep its full stop, drop the space.
        let before = &text[spans[from - 1].end..spans[from].start];
        let keep = before.len()
            - before
                .trim_start_matches(|c: char| !c.is_whitespace())
                .len();
        let start = spans[from - 1].end + keep;
        let end = if to == n { text.len() } else { spans[to].start };
        // A cut in the middle keeps one space between what is left.
        let end = if to < n {
            let tail = &text[start..end];
            start + tail.trim_end().len()
        } else {
            end
        };
        start..end
    };
    let left = [&text[..range.start], &text[range.end..]];
    let letters = |s: &str| s.chars().any(char::is_alphabetic);
    // Every piece left holds a letter.
    if (range.start > 0 && !letters(left[0])) || (range.end < text.len() && !letters(left[1])) {
        return None;
    }
    Some(range)
}

/// `text` without the byte ranges of `cuts` (ascending, disjoint).
pub fn rest(text: &str, cuts: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for c in cuts {
        out.push_str(&text[at..c.start]);
        at = c.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A block that opens with a run of [`crate::verify::MIN_RUN`] words or more which it repeats
/// further on, at a place to cut: the number of opening tokens to cut (the repeated run; the
/// second copy stays, in the lead it belongs to).
pub fn self_repeat(f: &Features, min_run: usize) -> Option<usize> {
    // A run repeated more than twice loses every copy but the last at once (a second run
    // must find nothing more to cut).
    let mut total = 0usize;
    while let Some(k) = repeat_at_start(&f.tokens[total..], min_run) {
        total += k;
    }
    (total > 0).then_some(total)
}

/// [`self_repeat`] for one copy: the length of the opening run of `t` that recurs later.
fn repeat_at_start(t: &[u64], min_run: usize) -> Option<usize> {
    let n = t.len();
    if n < 2 * min_run {
        return None;
    }
    let head = &t[..min_run];
    (min_run..=n - min_run).find_map(|j| {
        // The first token alone rules out nearly every position, without a slice comparison.
        if t[j] != head[0] || t[j..j + min_run] != *head {
            return None;
        }
        // The opening run goes on as far as it matches, but not into its own repeat.
        let k = (0..j.min(n - j)).take_while(|&k| t[k] == t[j + k]).count();
        (k >= min_run).then_some(k)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::features;

    #[test]
    fn token_spans_follow_the_features() {
        let text = "Mayor’s plan: WhatsAppCalendário, 12 (of 20) 東京都 soft\u{ad}ware";
        let f = features(text);
        let spans = token_spans(text, &f).unwrap();
        let words: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(
            words,
            [
                "Mayor",
                "s",
                "plan",
                "Whats",
                "App",
                "Calendário",
                "12",
                "of",
                "20",
                "東",
                "京",
                "都",
                "soft\u{ad}ware"
            ]
        );
        assert!(token_spans("Fish &amp; chips", &features("Fish &amp; chips")).is_none());
    }

    #[test]
    fn ascii_text_reads_the_same_spans_on_the_byte_path() {
        for text in [
            "WhatsAppNews: the reportedHighlights, 12 (of 20) -- x86_64 A1b2 iPhone McDonald",
            "  spaces  and\ttabs.Glued end ",
            "",
            "Fish &amp; chips",
        ] {
            assert_eq!(
                ascii_spans(text.as_bytes(), 0),
                unicode_spans(text, 0),
                "{text:?}"
            );
        }
    }

    #[test]
    fn cuts_fall_at_sentence_ends_and_keep_letters() {
        let text = "The council met today.The council met today and voted for the budget.";
        let f = features(text);
        let spans = token_spans(text, &f).unwrap();
        let k = self_repeat(&f, 4).unwrap();
        assert_eq!(k, 4);
        let r = cut(text, &spans, 0, k).unwrap();
        assert_eq!(
            &text[r.end..],
            "The council met today and voted for the budget."
        );
        // A cut inside a sentence is refused.
        assert!(cut(text, &spans, 0, 2).is_none());
        // A cut at the end keeps the full stop before it.
        let text = "Photo credit here. The council met today and voted.";
        let spans = token_spans(text, &features(text)).unwrap();
        let r = cut(text, &spans, 3, spans.len()).unwrap();
        assert_eq!(&text[..r.start], "Photo credit here.");
        assert_eq!(r.end, text.len());
        // Nothing without a letter is left behind.
        let text = "2019. The council met today and voted.";
        let spans = token_spans(text, &features(text)).unwrap();
        assert!(cut(text, &spans, 1, spans.len()).is_none());
    }

    #[test]
    fn no_self_repeat_without_a_second_copy() {
        let f = features("one two three four five six seven eight nine ten");
        assert_eq!(self_repeat(&f, 4), None);
        // The opening run never reaches into its own copy.
        // Every copy but the last goes.
        let f = features("a b c d a b c d a b c d x");
        assert_eq!(self_repeat(&f, 4), Some(8));
    }
}
