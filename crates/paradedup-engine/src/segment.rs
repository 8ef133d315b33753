//! Segment: a document's text → blocks with exact byte spans.
//!
//! A document is `lead, block₀, sep₀, block₁, sep₁, …, blockₙ, sepₙ`: every byte belongs to
//! exactly one of these, so writing the kept blocks with their separators reproduces the input
//! byte for byte when nothing is removed. `lead` holds a BOM and leading blank lines; `sepₙ` the
//! trailing bytes (a final newline, or nothing). A block never starts or ends with a line break.

/// How a document is cut into blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Unit {
    /// Decide per document (`choose_unit`: hard-wrapped paragraphs → paragraph, otherwise line).
    #[cfg_attr(
        feature = "clap",
        value(help = "Per document: hard-wrapped paragraphs → paragraph, otherwise line")
    )]
    Auto,
    /// Each non-blank line is a block.
    #[cfg_attr(feature = "clap", value(help = "Every non-blank line is a block"))]
    Line,
    /// Runs of non-blank lines separated by blank lines are blocks.
    #[cfg_attr(
        feature = "clap",
        value(help = "Blank-line separated paragraphs are blocks")
    )]
    Paragraph,
}

/// One block: a byte span of the document and its line range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Byte offset of the block's first byte.
    pub start: usize,
    /// Byte offset one past the block's last byte.
    pub end: usize,
    /// Byte offset one past the separator that follows the block (the next block's start, or
    /// the end of the document for the last block).
    pub sep_end: usize,
    /// 1-based number of the block's first line.
    pub first_line: usize,
    /// 1-based number of the block's last line.
    pub last_line: usize,
}

/// A segmented document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmented {
    /// Bytes before the first block (a BOM, leading blank lines).
    pub lead_end: usize,
    /// The blocks in input order.
    pub blocks: Vec<Block>,
    /// The unit that was applied (never `Auto`).
    pub unit: Unit,
}

/// The separator written after block `b` of `blocks` when it stays: its own, or for the last
/// block that stays (`last_kept`), the document's final separator (the one after the last
/// block), so that a clean document ends as its input did.
pub fn separator_after(blocks: &[Block], b: &Block, last_kept: bool) -> std::ops::Range<usize> {
    let from = if last_kept {
        blocks.last().unwrap_or(b)
    } else {
        b
    };
    from.end..from.sep_end
}

/// A line of the text: content span (without its terminator) and whether it is blank.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    /// End of the content, before `\r\n`, `\n` or `\r`.
    end: usize,
    blank: bool,
}

fn lines(text: &str, from: usize) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = from;
    while start < bytes.len() {
        let (content_end, next) = line_end(bytes, start);
        let content = &text[start..content_end];
        // Most lines start with a visible ASCII character: skip the full scan for them.
        let blank = match content.as_bytes().first() {
            Some(b) if b.is_ascii_graphic() => false,
            _ => content.chars().all(char::is_whitespace),
        };
        out.push(Line {
            start,
            end: content_end,
            blank,
        });
        start = next;
    }
    out
}

/// The end of the line that starts at `start` (before its terminator) and the start of the
/// next one. A line ends at `\n`, `\r\n` or a lone `\r` (old Mac files, some scrapers): a
/// text whose lines all end in `\r` is many lines, not one.
fn line_end(bytes: &[u8], start: usize) -> (usize, usize) {
    match memchr::memchr2(b'\n', b'\r', &bytes[start..]).map(|i| start + i) {
        Some(i) if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') => (i, i + 2),
        Some(i) => (i, i + 1),
        None => (bytes.len(), bytes.len()),
    }
}

/// Longest line (in chars) allowed inside a multi-line paragraph for `auto` to treat the
/// document as hard-wrapped prose. Scraped text puts whole paragraphs on one line; wrapped prose
/// and Markdown stay under about 100 columns.
const WRAPPED_LINE_MAX: usize = 160;

/// Where the first line starts: after a leading BOM, which stays in the lead and belongs to no
/// line (a line holding only a BOM is blank, as [`segment`] reads it).
fn first_line_start(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// True when some line of `text` is blank (empty or white space only), as [`segment`] reads
/// lines.
pub fn has_blank_line(text: &str) -> bool {
    // The same reading as `lines`: a line ends at `\n`, `\r\n` or a lone `\r`; the text after
    // the last terminator is a line only when it is not empty; a leading BOM is no part of the
    // first line.
    let bytes = text.as_bytes();
    let mut start = first_line_start(text);
    while start < bytes.len() {
        let (end, next) = line_end(bytes, start);
        if text[start..end].chars().all(char::is_whitespace) {
            return true;
        }
        start = next;
    }
    false
}

/// Decides the unit for `auto`: a document whose blank-line separated paragraphs hold several
/// lines, all of them short (hard-wrapped prose, Markdown), is cut into paragraphs; any other
/// document into lines. Paragraphs of one line each give the same blocks either way.
pub fn choose_unit(text: &str) -> Unit {
    choose_unit_of(text, &lines(text, first_line_start(text)))
}

fn choose_unit_of(text: &str, ls: &[Line]) -> Unit {
    let mut multi_line_paragraph = false;
    let mut run = 0usize;
    let mut long_line_in_run = false;
    let mut any_blank_between = false;
    let mut seen_content = false;
    for l in ls {
        if l.blank {
            if seen_content {
                any_blank_between = true;
            }
            if run >= 2 {
                multi_line_paragraph = true;
                if long_line_in_run {
                    return Unit::Line;
                }
            }
            run = 0;
            long_line_in_run = false;
        } else {
            seen_content = true;
            run += 1;
            // A line of at most WRAPPED_LINE_MAX bytes has at most as many characters.
            let line = &text[l.start..l.end];
            if line.len() > WRAPPED_LINE_MAX && line.chars().count() > WRAPPED_LINE_MAX {
                long_line_in_run = true;
            }
        }
    }
    if run >= 2 {
        multi_line_paragraph = true;
        if long_line_in_run {
            return Unit::Line;
        }
    }
    if multi_line_paragraph && any_blank_between {
        Unit::Paragraph
    } else {
        Unit::Line
    }
}

/// Cuts `text` into blocks. A leading BOM stays in the lead.
pub fn segment(text: &str, unit: Unit) -> Segmented {
    let ls = lines(text, first_line_start(text));
    let unit = match unit {
        Unit::Auto => choose_unit_of(text, &ls),
        u => u,
    };
    // (start, end, first_line, last_line) of each block.
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize, usize, usize)> = None;
    for (i, l) in ls.iter().enumerate() {
        let lineno = i + 1;
        if l.blank {
            if let Some(b) = open.take() {
                spans.push(b);
            }
            continue;
        }
        match (unit, open.as_mut()) {
            (Unit::Paragraph, Some(b)) => {
                b.1 = l.end;
                b.3 = lineno;
            }
            (Unit::Paragraph, None) => open = Some((l.start, l.end, lineno, lineno)),
            _ => spans.push((l.start, l.end, lineno, lineno)),
        }
    }
    if let Some(b) = open.take() {
        spans.push(b);
    }
    let lead_end = spans.first().map_or(text.len(), |s| s.0);
    let mut blocks = Vec::with_capacity(spans.len());
    for (i, &(start, end, first_line, last_line)) in spans.iter().enumerate() {
        let sep_end = spans.get(i + 1).map_or(text.len(), |n| n.0);
        blocks.push(Block {
            start,
            end,
            sep_end,
            first_line,
            last_line,
        });
    }
    Segmented {
        lead_end,
        blocks,
        unit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_kept_block_takes_the_final_separator() {
        let doc = "one\n\ntwo\n\nthree";
        let s = segment(doc, Unit::Paragraph);
        let b = &s.blocks;
        assert_eq!(&doc[separator_after(b, &b[0], false)], "\n\n");
        // Block 0 last to stay: the document ends as the input did (no final newline).
        assert_eq!(&doc[separator_after(b, &b[0], true)], "");
        let doc = "one\n\ntwo\n";
        let s = segment(doc, Unit::Paragraph);
        assert_eq!(&doc[separator_after(&s.blocks, &s.blocks[0], true)], "\n");
    }

    fn texts(doc: &str, unit: Unit) -> Vec<&str> {
        segment(doc, unit)
            .blocks
            .iter()
            .map(|b| &doc[b.start..b.end])
            .collect()
    }

    #[test]
    fn lines_keep_crlf_and_trailing_space_out_of_separators() {
        let doc = "a \r\n\r\nb\r\nc";
        assert_eq!(texts(doc, Unit::Line), vec!["a ", "b", "c"]);
        let s = segment(doc, Unit::Line);
        assert_eq!(s.blocks[0].sep_end, 6);
        assert_eq!(s.blocks[2].sep_end, doc.len());
        assert_eq!(s.blocks[2].first_line, 4);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let doc = "one\rtwo\r\rthree\r\nfour\r";
        assert_eq!(texts(doc, Unit::Line), vec!["one", "two", "three", "four"]);
        assert_eq!(
            texts(doc, Unit::Paragraph),
            vec!["one\rtwo", "three\r\nfour"]
        );
        let s = segment(doc, Unit::Line);
        assert_eq!(s.blocks[3].first_line, 5);
        assert_eq!(s.blocks[3].sep_end, doc.len());
    }

    #[test]
    fn paragraphs_join_lines() {
        let doc = "\n\nx y\nz\n\n  \nw\n";
        let s = segment(doc, Unit::Paragraph);
        assert_eq!(s.lead_end, 2);
        assert_eq!(texts(doc, Unit::Paragraph), vec!["x y\nz", "w"]);
        assert_eq!((s.blocks[0].first_line, s.blocks[0].last_line), (3, 4));
    }

    #[test]
    fn bom_stays_in_lead() {
        let doc = "\u{feff}a\nb";
        let s = segment(doc, Unit::Line);
        assert_eq!(s.lead_end, 3);
        assert_eq!(texts(doc, Unit::Line), vec!["a", "b"]);
    }

    #[test]
    fn auto_picks_lines_for_plain_lines_and_paragraphs_for_wrapped_prose() {
        assert_eq!(choose_unit("a\nb\nc\n"), Unit::Line);
        assert_eq!(choose_unit("a\n\nb\n\nc\n"), Unit::Line);
        assert_eq!(choose_unit("a b\nc d\n\ne f\ng\n"), Unit::Paragraph);
        let long = "x".repeat(300);
        assert_eq!(choose_unit(&format!("a\n{long}\n\nb\n")), Unit::Line);
    }

    #[test]
    fn has_blank_line_reads_lines_as_segment_does() {
        for t in [
            "",
            "a",
            "a\n",
            "a\n\n",
            "a\r\n\r\nb",
            "\n",
            " \nb",
            "a\nb\n",
            "a\n \t\n",
            "a\r\n",
            "a\n\u{a0}\nb",
            "\r\n",
            "a\rb\r",
            "a\r\rb",
            "a\r \r\nb",
            "\r",
            "\u{feff}",
            "\u{feff}\na",
            "\u{feff}\r\na",
            "\u{feff}a\nb",
            "\u{feff} \nb",
        ] {
            assert_eq!(
                has_blank_line(t),
                lines(t, first_line_start(t)).iter().any(|l| l.blank),
                "{t:?}"
            );
        }
    }

    /// Fuzzing finding F3: a line holding only a BOM is blank for `segment` (the BOM stays in
    /// the lead) and was a line of text for `choose_unit` and `has_blank_line`, so `auto`
    /// could announce paragraphs and cut lines (`fuzz/corpus/segment_normalize/bom-*`).
    #[test]
    fn a_bom_line_reads_the_same_for_every_function() {
        for t in [
            "\u{feff}\na\n\nb\n",
            "\u{feff}\r\nTitle here\r\n\r\nTitle here\r\n",
        ] {
            assert_eq!(choose_unit(t), segment(t, Unit::Auto).unit, "{t:?}");
            assert_eq!(choose_unit(t), Unit::Line, "{t:?}");
            assert!(has_blank_line(t), "{t:?}");
        }
        let t = "\u{feff}\na b\nc d\n\ne\n";
        assert_eq!(choose_unit(t), Unit::Paragraph);
        assert_eq!(segment(t, Unit::Auto).unit, Unit::Paragraph);
    }
}
