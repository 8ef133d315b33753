//! Property tests: generated scraped-looking documents → the invariants of STYLE.md §3
//! (habits 7 and 8), checked against the library API and, for a few, the real binary.
//!
//! Documents are built from a small vocabulary so that the interesting cases occur often:
//! exact repeats, repeats dressed differently (case, curly quotes, HTML entities, NBSP,
//! invisible characters, fullwidth letters), one-word edits, two lines run together (with a
//! space, a glued sentence end or nothing between them), titles with a `" | Site"` suffix,
//! teasers cut off with an ellipsis (at a word or inside one), LF, CRLF or a lone CR, blank-line separated
//! or plain lines, hard-wrapped paragraphs, leading blank lines, a BOM and a missing final
//! newline.
//!
//! Invariants:
//! - cleaning is idempotent (units auto, line and paragraph; library and binary);
//! - the output does not depend on the thread count (library in a local rayon pool, binary
//!   with `-j 1` / `-j 4`), and the binary prints what the library renders;
//! - the output's blocks are the kept input blocks, byte for byte and in order (a subsequence
//!   of the input's blocks);
//! - a document whose blocks share no word comes out unchanged;
//! - no word is lost, except the documented exceptions (a site suffix after `" | "`, the last,
//!   possibly cut, word before an ellipsis, and the words a near copy differs in);
//! - [`normalize`] is idempotent on text from a wide character set.
//!
//! Library properties run 64 cases, binary ones 16, so the file stays fast in debug builds.
//! The minimal counterexamples the properties once found are kept as the `*_regressions`
//! tests at the end.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use assert_cmd::Command;
use paradedup::{dedup_text, DocResult, Kind, Options, Unit};
use paradedup_engine::normalize::{for_each_token_split, normalize, normalize_with_splits};
use paradedup_engine::segment::segment;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Library properties: cheap, so many cases. `PARADEDUP_PROPTEST_CASES` raises it for a long
/// search (`PARADEDUP_PROPTEST_CASES=2000 cargo test --release --test properties`).
fn lib_cases() -> u32 {
    std::env::var("PARADEDUP_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}
/// Binary properties: each case starts processes (a quarter of the library's count).
fn bin_cases() -> u32 {
    (lib_cases() / 4).max(16)
}

// ---------------------------------------------------------------------------------------------
// Document generator
// ---------------------------------------------------------------------------------------------

/// Sentence words: short and common so that sentences share runs of words. Apostrophes and
/// double quotes give the curly-quote and entity dressings something to change.
const WORDS: &[&str] = &[
    "the",
    "council",
    "said",
    "new",
    "bridge",
    "would",
    "open",
    "in",
    "march",
    "after",
    "two",
    "years",
    "of",
    "work",
    "residents",
    "asked",
    "for",
    "more",
    "parking",
    "near",
    "old",
    "town",
    "station",
    "mayor",
    "budget",
    "vote",
    "delayed",
    "today",
    "road",
    "closed",
    "storm",
    "river",
    "don't",
    "it's",
    "\"plan\"",
    "2024",
    "café",
];

/// Site names for title suffixes: words used nowhere else.
const SITES: &[&str] = &["Hosted", "Daily Courier", "Metro News Online", "Site"];

/// How a repeated sentence is dressed. Every dressing keeps the words (tokens) as they are.
#[derive(Debug, Clone, Copy)]
enum Dress {
    Same,
    Upper,
    Lower,
    Title,
    Curly,
    Entities,
    Nbsp,
    Spaces,
    Invisible,
    Fullwidth,
}

/// How two sentences are run together.
#[derive(Debug, Clone, Copy)]
enum Glue {
    /// `end. Next`
    Space,
    /// `end.Next` (a glued sentence end)
    Glued,
    /// `endNext` (the period dropped, nothing between)
    Nothing,
}

/// One block of a document, in terms of the document's sentences (indices are taken modulo
/// the number of sentences).
#[derive(Debug, Clone)]
enum Piece {
    /// A sentence as written.
    Fresh(usize),
    /// A sentence again, dressed.
    Repeat(usize, Dress),
    /// A sentence with one word replaced: `(sentence, position, new word)`.
    Edit(usize, usize, usize),
    /// Two sentences run together.
    Glued(usize, usize, Glue),
    /// A sentence as a title with a site suffix: `(sentence, site)`.
    Titled(usize, usize),
    /// The first words of a sentence and an ellipsis: `(sentence, words kept, cut inside the
    /// next word, ellipsis form)`.
    Teaser(usize, usize, bool, usize),
}

/// How the blocks are laid out in the file.
#[derive(Debug, Clone)]
struct Layout {
    /// The line end: `\n`, `\r\n` or a lone `\r` (old Mac files).
    nl: &'static str,
    /// Blank lines between blocks (else one block per line).
    blank_lines: bool,
    /// With blank lines: hard-wrap blocks after this many words.
    wrap: Option<usize>,
    bom: bool,
    lead_blank: bool,
    final_newline: bool,
}

/// A generated document: sentences, the blocks made of them, and a layout.
#[derive(Debug, Clone)]
struct Doc {
    sentences: Vec<Vec<usize>>,
    pieces: Vec<Piece>,
    layout: Layout,
}

fn sentence() -> impl Strategy<Value = Vec<usize>> {
    prop_oneof![1..4usize, 4..12usize, 8..27usize].prop_flat_map(|n| vec(0..WORDS.len(), n..=n))
}

fn dress() -> impl Strategy<Value = Dress> {
    select(vec![
        Dress::Same,
        Dress::Upper,
        Dress::Lower,
        Dress::Title,
        Dress::Curly,
        Dress::Entities,
        Dress::Nbsp,
        Dress::Spaces,
        Dress::Invisible,
        Dress::Fullwidth,
    ])
}

/// Blocks.
fn piece() -> impl Strategy<Value = Piece> {
    let i = 0..8usize;
    let glue = select(vec![Glue::Space, Glue::Glued, Glue::Nothing]);
    prop_oneof![
        3 => i.clone().prop_map(Piece::Fresh),
        3 => (i.clone(), dress()).prop_map(|(i, d)| Piece::Repeat(i, d)),
        2 => (i.clone(), 0..30usize, 0..WORDS.len()).prop_map(|(i, k, w)| Piece::Edit(i, k, w)),
        2 => (i.clone(), i.clone(), glue).prop_map(|(i, j, g)| Piece::Glued(i, j, g)),
        1 => (i.clone(), 0..SITES.len()).prop_map(|(i, s)| Piece::Titled(i, s)),
        2 => (i, 0..30usize, any::<bool>(), 0..3usize)
            .prop_map(|(i, k, cut, e)| Piece::Teaser(i, k, cut, e)),
    ]
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop_oneof![3 => Just("\n"), 2 => Just("\r\n"), 1 => Just("\r")],
        any::<bool>(),
        prop_oneof![2 => Just(None), 1 => (3..9usize).prop_map(Some)],
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.7),
    )
        .prop_map(
            |(nl, blank_lines, wrap, bom, lead_blank, final_newline)| Layout {
                nl,
                blank_lines,
                wrap,
                bom,
                lead_blank,
                final_newline,
            },
        )
}

/// Any generated document.
fn doc() -> impl Strategy<Value = Doc> {
    (vec(sentence(), 1..6), vec(piece(), 1..12), layout()).prop_map(
        |(sentences, pieces, layout)| Doc {
            sentences,
            pieces,
            layout,
        },
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A sentence's words joined by spaces, capitalized, without final punctuation.
fn plain(words: &[usize]) -> String {
    let s: Vec<&str> = words.iter().map(|&w| WORDS[w]).collect();
    capitalize(&s.join(" "))
}

fn dressed(text: &str, d: Dress) -> String {
    match d {
        Dress::Same => text.to_string(),
        Dress::Upper => text.to_uppercase(),
        Dress::Lower => text.to_lowercase(),
        Dress::Title => text
            .split(' ')
            .map(capitalize)
            .collect::<Vec<_>>()
            .join(" "),
        Dress::Curly => {
            let mut open = true;
            text.chars()
                .map(|c| match c {
                    '\'' => '\u{2019}',
                    '"' => {
                        open = !open;
                        if open {
                            '\u{201d}'
                        } else {
                            '\u{201c}'
                        }
                    }
                    c => c,
                })
                .collect()
        }
        Dress::Entities => text
            .replace('\'', "&#8217;")
            .replace('"', "&quot;")
            .replacen(' ', "&nbsp;", 1),
        Dress::Nbsp => text.replace(' ', "\u{a0}"),
        Dress::Spaces => text.replace(' ', "  ").replacen("  ", " \t", 1),
        Dress::Invisible => text
            .replacen(' ', " \u{200b}", 1)
            .replacen("ou", "o\u{ad}u", 1),
        Dress::Fullwidth => text
            .chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xff01).unwrap_or(c),
                c => c,
            })
            .collect(),
    }
}

fn render_piece(p: &Piece, sentences: &[Vec<usize>]) -> String {
    let s = |i: usize| &sentences[i % sentences.len()];
    match *p {
        Piece::Fresh(i) => format!("{}.", plain(s(i))),
        Piece::Repeat(i, d) => dressed(&format!("{}.", plain(s(i))), d),
        Piece::Edit(i, k, w) => {
            let mut words = s(i).clone();
            let at = k % words.len();
            words[at] = w;
            format!("{}.", plain(&words))
        }
        Piece::Glued(i, j, g) => {
            let (a, b) = (plain(s(i)), plain(s(j)));
            match g {
                Glue::Space => format!("{a}. {b}."),
                Glue::Glued => format!("{a}.{b}."),
                Glue::Nothing => format!("{a}{b}."),
            }
        }
        Piece::Titled(i, site) => format!("{} | {}", plain(s(i)), SITES[site]),
        Piece::Teaser(i, k, cut, e) => {
            let words = s(i);
            let keep = 1 + k % words.len();
            let mut t = plain(&words[..keep]);
            if cut {
                if let Some(&next) = words.get(keep) {
                    let w: Vec<char> = WORDS[next].chars().collect();
                    let half: String = w[..w.len().div_ceil(2)].iter().collect();
                    t.push(' ');
                    t.push_str(&half);
                }
            }
            t.push_str(["...", " ...", "\u{2026}"][e % 3]);
            t
        }
    }
}

/// The blocks of a document as text (before layout).
fn blocks_of(d: &Doc) -> Vec<String> {
    d.pieces
        .iter()
        .map(|p| render_piece(p, &d.sentences))
        .collect()
}

/// Lays out block texts as a file.
fn lay_out(blocks: &[String], layout: &Layout) -> String {
    let nl = layout.nl;
    let mut s = String::new();
    if layout.bom {
        s.push('\u{feff}');
    }
    if layout.lead_blank {
        s.push_str(nl);
    }
    for (k, b) in blocks.iter().enumerate() {
        if k > 0 {
            s.push_str(nl);
            if layout.blank_lines {
                s.push_str(nl);
            }
        }
        match layout.wrap {
            Some(w) if layout.blank_lines => {
                let words: Vec<&str> = b.split(' ').collect();
                let lines: Vec<String> = words.chunks(w).map(|c| c.join(" ")).collect();
                s.push_str(&lines.join(nl));
            }
            _ => s.push_str(b),
        }
    }
    if layout.final_newline {
        s.push_str(nl);
    }
    s
}

fn render(d: &Doc) -> String {
    lay_out(&blocks_of(d), &d.layout)
}

/// A document whose blocks share no word: each word of a shuffled pool of distinct words is
/// used by one block only (several times within it at most), then blocks are dressed and laid
/// out like any other document.
fn disjoint_doc() -> impl Strategy<Value = String> {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "bu", "da", "fe", "go", "hi", "ju",
        "pe",
    ];
    let pool: Vec<String> = SYLLABLES
        .iter()
        .flat_map(|a| SYLLABLES.iter().map(move |b| format!("{a}{b}")))
        .collect();
    (
        Just(pool).prop_shuffle(),
        vec((1..12usize, any::<bool>(), dress()), 1..10),
        any::<bool>(),
        layout(),
    )
        .prop_map(|(pool, shapes, titles, layout)| {
            let mut next = 0usize;
            let blocks: Vec<String> = shapes
                .iter()
                .enumerate()
                .map(|(k, &(n, repeat_word, d))| {
                    let mut words: Vec<&str> =
                        pool[next..next + n].iter().map(String::as_str).collect();
                    next += n;
                    if repeat_word && n > 1 {
                        words[n - 1] = words[0];
                    }
                    let mut text = capitalize(&words.join(" "));
                    if titles && k % 3 == 1 && n > 2 {
                        // A title-like block: separator and a suffix, all its own words.
                        text =
                            format!("{} | {}", text, capitalize(&pool[next..next + 2].join(" ")));
                        next += 2;
                    } else if k % 4 == 3 {
                        text.push_str("...");
                    } else {
                        text.push('.');
                    }
                    dressed(&text, d)
                })
                .collect();
            lay_out(&blocks, &layout)
        })
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn options(unit: Unit) -> Options {
    Options {
        unit,
        ..Options::default()
    }
}

fn clean(text: &str, unit: Unit) -> String {
    dedup_text(text, &options(unit)).render(text)
}

const UNITS: [Unit; 3] = [Unit::Auto, Unit::Line, Unit::Paragraph];

fn unit_flag(unit: Unit) -> &'static str {
    match unit {
        Unit::Auto => "auto",
        Unit::Line => "line",
        Unit::Paragraph => "paragraph",
    }
}

/// A rayon pool of `n` threads, built once.
#[expect(
    clippy::unwrap_used,
    reason = "test helper outside a #[test] fn: failing to build a pool should fail loudly"
)]
fn pool(n: usize) -> &'static rayon::ThreadPool {
    static ONE: OnceLock<rayon::ThreadPool> = OnceLock::new();
    static FOUR: OnceLock<rayon::ThreadPool> = OnceLock::new();
    let cell = if n == 1 { &ONE } else { &FOUR };
    cell.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    })
}

/// The block texts of `text` cut with `unit`.
fn block_texts(text: &str, unit: Unit) -> Vec<&str> {
    segment(text, unit)
        .blocks
        .iter()
        .map(|b| &text[b.start..b.end])
        .collect()
}

/// The tokens of a block as the engine sees them (entities decoded, NFKC, case folded, glued
/// words split).
fn words(text: &str) -> Vec<String> {
    let (key, splits) = normalize_with_splits(text, true);
    let mut v = Vec::new();
    for_each_token_split(&key, &splits, |t| v.push(t.to_string()));
    v
}

/// Words of `block` that may be lost when it goes: the tokens after its last
/// `" | "` (a site suffix, possibly wrapped) and its last token when it ends in an ellipsis (a cut word).
fn excused_words(block: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // The last `|` with white space (a space or a line break of a wrapped title) on both sides.
    // A removed paragraph can be reported line by line (auto mode), so the suffix may also open
    // its own line.
    let bar = block.char_indices().rev().find(|&(i, c)| {
        c == '|'
            && (i == 0 || block[..i].ends_with(char::is_whitespace))
            && block[i + 1..].starts_with(char::is_whitespace)
    });
    if let Some((at, _)) = bar {
        out.extend(words(&block[at..]));
    }
    let trimmed = block.trim_end();
    if trimmed.ends_with("...") || trimmed.ends_with('\u{2026}') {
        out.extend(words(block).pop());
    }
    out
}

fn paradedup() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paradedup"));
    cmd.env_remove("RUST_LOG")
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs `paradedup clean <args> -` on `input` and returns stdout, failing on a non-zero exit.
fn run_clean(args: &[&str], input: &str) -> Result<String, TestCaseError> {
    let out = paradedup()
        .arg("clean")
        .args(args)
        .arg("-")
        .write_stdin(input)
        .output()
        .map_err(|e| TestCaseError::fail(format!("cannot run paradedup: {e}")))?;
    prop_assert!(
        out.status.success(),
        "paradedup clean {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).map_err(|e| TestCaseError::fail(format!("stdout: {e}")))
}

/// Checks the output of `result` on `text` against the input's blocks.
fn check_subsequence(text: &str, result: &DocResult) -> Result<(), TestCaseError> {
    let unit = result.segmented.unit;
    let out = result.render(text);
    let output = block_texts(&out, unit);
    // A trimmed block is the input block without its cuts (byte ranges inside it, in order),
    // and every word cut out is still in the output.
    let out_words: BTreeSet<String> = words(&out).into_iter().collect();
    let blocks = &result.segmented.blocks;
    let mut kept: Vec<String> = Vec::new();
    for (i, b) in blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| !result.removed[*i])
    {
        let mut s = String::new();
        let mut at = b.start;
        if let Some(t) = result.trims.iter().find(|t| t.block == i) {
            for c in &t.cuts {
                prop_assert!(
                    at <= c.start && c.start < c.end && c.end <= b.end,
                    "cut {c:?} outside block {b:?} or out of order\ninput: {text:?}"
                );
                for w in words(&text[c.clone()]) {
                    prop_assert!(
                        out_words.contains(&w),
                        "the cut word {w:?} is nowhere in the output\ninput: {text:?}\noutput: {out:?}"
                    );
                }
                s.push_str(&text[at..c.start]);
                at = c.end;
            }
        }
        s.push_str(&text[at..b.end]);
        kept.push(s);
    }
    let output: Vec<String> = output.iter().map(|s| (*s).to_string()).collect();
    prop_assert_eq!(
        output,
        kept,
        "output blocks are not the kept blocks (less their cuts)\ninput: {:?}",
        text
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: lib_cases(), ..ProptestConfig::default() })]

    /// Cleaning is idempotent: cleaning the output again changes nothing, with each unit.
    #[test]
    fn clean_is_idempotent(d in doc()) {
        let text = render(&d);
        for unit in UNITS {
            let once = clean(&text, unit);
            let twice = clean(&once, unit);
            prop_assert_eq!(&twice, &once, "unit {:?}, input {:?}", unit, text);
        }
    }

    /// The library's output is the same in a 1-thread and a 4-thread rayon pool.
    #[test]
    fn output_is_the_same_for_1_and_4_threads(d in doc()) {
        let text = render(&d);
        for unit in UNITS {
            let one = pool(1).install(|| dedup_text(&text, &options(unit)));
            let four = pool(4).install(|| dedup_text(&text, &options(unit)));
            prop_assert_eq!(&one.removals, &four.removals, "unit {:?}, input {:?}", unit, text);
            prop_assert_eq!(one.render(&text), four.render(&text));
        }
    }

    /// The output's blocks are input blocks, byte for byte and in input order (cut with the
    /// unit the input was cut with): exactly the blocks not removed.
    #[test]
    fn output_blocks_are_a_subsequence_of_input_blocks(d in doc()) {
        let text = render(&d);
        for unit in UNITS {
            check_subsequence(&text, &dedup_text(&text, &options(unit)))?;
        }
    }

    /// A document whose blocks share no word with each other comes out unchanged, byte for
    /// byte, with each unit.
    #[test]
    fn blocks_without_shared_words_are_all_kept(text in disjoint_doc()) {
        for unit in UNITS {
            let result = dedup_text(&text, &options(unit));
            prop_assert!(result.removals.is_empty(), "unit {:?} removed {:?} from {:?}", unit, result.removals, text);
            prop_assert_eq!(result.render(&text), text.clone());
        }
    }

    /// Unique content is never dropped: every word of the input is in the output, except the
    /// documented exceptions: the site suffix after `" | "` and the last (possibly cut) word
    /// before an ellipsis of a removed block, and the words in which a near copy differs from
    /// the fuller copy that stays (by design: "The. Same long sentence" and "Open. Same long
    /// sentence" are near copies, and the later one goes with its "open"). Any other lost word
    /// (through an exact or contained removal) is a bug.
    #[test]
    fn every_word_of_the_input_is_in_the_output(d in doc()) {
        let text = render(&d);
        for unit in UNITS {
            let result = dedup_text(&text, &options(unit));
            let out: BTreeSet<String> = words(&result.render(&text)).into_iter().collect();
            let blocks = &result.segmented.blocks;
            let block = |i: usize| &text[blocks[i].start..blocks[i].end];
            let mut excused = BTreeSet::new();
            for r in &result.removals {
                excused.extend(excused_words(block(r.block)));
                // In auto mode a removed paragraph may be reported line by line: look at the
                // run of removed blocks it belongs to as well.
                let mut first = r.block;
                while first > 0 && result.removed[first - 1] {
                    first -= 1;
                }
                let run: Vec<&str> = (first..=r.block).map(block).collect();
                excused.extend(excused_words(&run.join("\n")));
                if r.kind == Kind::Near {
                    excused.extend(words(block(r.block)));
                }
            }
            for r in &result.removals {
                let lost: Vec<String> = words(block(r.block))
                    .into_iter()
                    .filter(|w| !out.contains(w) && !excused.contains(w))
                    .collect();
                prop_assert!(
                    lost.is_empty(),
                    "unit {:?}: block {} ({:?}, {:?}) lost {:?}\ninput: {:?}",
                    unit, r.block, r.kind, block(r.block), lost, text
                );
            }
        }
    }

    /// Normalization is idempotent: a key normalizes to itself, with and without case folding.
    #[test]
    fn normalize_is_idempotent(s in wide_text()) {
        for fold in [true, false] {
            let once = normalize(&s, fold);
            prop_assert_eq!(normalize(&once, fold), once.clone(), "fold {}, input {:?}", fold, s);
        }
    }
}

/// Text from a wide character set: ASCII, quotes, dashes, NBSP and other spaces, zero-width
/// characters, soft hyphens, entities (whole and in pieces), fullwidth and compatibility
/// characters, combining marks, CJK, sentence ends.
fn wide_text() -> impl Strategy<Value = String> {
    const ATOMS: &[&str] = &[
        "a", "b", "Z", "Q", "x", " ", "  ", "\t", "\n", ".", "!", "?", "'", "\"", "`", "-", "|",
        "\u{2018}", "\u{2019}", "\u{201c}", "\u{201d}", "\u{00ab}", "\u{2032}", "\u{2033}",
        "\u{2013}", "\u{2014}", "\u{2212}", "\u{a0}", "\u{2009}", "\u{3000}", "\u{200b}",
        "\u{200d}", "\u{2060}", "\u{feff}", "\u{ad}", "&amp;", "&#8217;", "&#x2019;", "&quot;",
        "&nbsp;", "&lt;", "&", "amp;", "#", "x27;", ";", "Ａ", "ｂ", "１", "．", "＆", "É", "é",
        "e\u{301}", "\u{301}", "ß", "İ", "ﬁ", "…", "½", "\u{212a}", "Ω", "ǅ", "漢", "字", "カ",
        "ｶ", "。", "Ⓐ",
    ];
    vec(select(ATOMS), 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: bin_cases(), ..ProptestConfig::default() })]

    /// The binary's `clean` is idempotent with `--unit auto`, `line` and `paragraph`.
    #[test]
    fn binary_clean_is_idempotent(d in doc()) {
        let text = render(&d);
        for unit in UNITS {
            let args = ["--unit", unit_flag(unit)];
            let once = run_clean(&args, &text)?;
            let twice = run_clean(&args, &once)?;
            prop_assert_eq!(&twice, &once, "unit {:?}, input {:?}", unit, text);
        }
    }

    /// The binary prints the same bytes with `-j 1` and `-j 4`, and they are what the library
    /// renders.
    #[test]
    fn binary_output_is_the_same_for_1_and_4_threads(d in doc()) {
        let text = render(&d);
        let one = run_clean(&["-j", "1"], &text)?;
        let four = run_clean(&["-j", "4"], &text)?;
        prop_assert_eq!(&one, &four, "input {:?}", text);
        prop_assert_eq!(&one, &clean(&text, Unit::Auto), "binary and library differ on {:?}", text);
    }
}

/// The flags of a corpus-scope run over a JSONL dump with `unit` (`auto` adds no `--unit`).
fn corpus_args(unit: &str) -> Vec<&str> {
    let mut args = vec![
        "--format",
        "jsonl",
        "--scope",
        "corpus",
        "--boilerplate-min-docs",
        "2",
    ];
    if unit != "auto" {
        args.extend(["--unit", unit]);
    }
    args
}

/// Cleans `dump` in corpus scope with `unit`, then cleans the output again: the same bytes.
#[expect(
    clippy::unwrap_used,
    reason = "a test helper: a failed run fails the test"
)]
fn assert_corpus_clean_twice_unchanged(dump: &str, unit: &str) {
    let args = corpus_args(unit);
    let once = run_clean(&args, dump).unwrap();
    let twice = run_clean(&args, &once).unwrap();
    assert_eq!(twice, once);
}

/// A JSONL dump of generated documents where later records repeat earlier ones, whole and
/// in part (the third record is the second then the first, run through as one text).
fn dump_of(docs: &[Doc]) -> String {
    let mut texts: Vec<String> = docs.iter().map(render).collect();
    texts.push(format!("{}\n{}", texts[1], texts[0]));
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}\n", serde_json::json!({ "id": i, "text": t })))
        .collect()
}

proptest! {
    // A fixed seed: this property has failed on rare inputs before (the regression tests
    // below), and CI must not fail by chance. To search for new cases, set `cases` to some
    // thousands and `rng_seed` to `RngSeed::Random` here (7,500 random cases passed on
    // 2026-11-28).
    #![proptest_config(ProptestConfig {
        cases: bin_cases(),
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261128),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Corpus scope over a dump, in lines, in paragraphs and with `auto`: the same bytes with
    /// `-j 1` and `-j 4`, and cleaning the output again changes nothing (the corpus pass feeds
    /// its removals back into the in-document decision).
    #[test]
    fn binary_corpus_scope_is_idempotent_and_thread_independent(docs in vec(doc(), 2..4)) {
        let dump = dump_of(&docs);
        for unit in ["line", "paragraph", "auto"] {
            let args = corpus_args(unit);
            let one = run_clean(&[&args[..], &["-j", "1"]].concat(), &dump)?;
            let four = run_clean(&[&args[..], &["-j", "4"]].concat(), &dump)?;
            prop_assert_eq!(&one, &four, "unit {}, dump {:?}", unit, dump);
            let twice = run_clean(&args, &one)?;
            prop_assert_eq!(&twice, &one, "unit {}, dump {:?}", unit, dump);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Minimal counterexamples found by the properties above (fixed; kept as regression tests)
// ---------------------------------------------------------------------------------------------

/// Minimal inputs on which cleaning twice removes more than cleaning once.
#[test]
fn idempotence_regressions() {
    let cases: &[(&str, Unit)] = &[
        // A teaser whose carriers stop being run-together copies only after a near copy two
        // hops away goes: the later rounds must look two hops around each removal.
        ("Near.\n\nClosed asked said bridge\nresidents would would bridge\nafter bridge don't open\nopen ...\n\nAsked the.\n\nCouncil theNew.\n\nClosed asked said bridge\nresidents would would bridge\nafter bridge don't open\nopen the said |\nDaily Courier\n\nCouncil the.\n\nClosed asked said bridge\nresidents would would budget\nafter bridge don't open\nopen the said.\n\nClosed asked said bridge\nresidents would would bridge\nafter bridge don't open\nopen the said |\nSite\n\nCouncil…\n\nVote the.\n\nNew.\n", Unit::Auto),
        // A teaser survives the first pass: its two longer carriers are near copies of each
        // other, so each counts as a run-together copy of the other and neither may cover it.
        // The near step then removes one of them, and the second pass removes the teaser.
        (
            "The council said the new bridge would open March.\n\
             The council said the new bridge would open...\n\
             The council said the new bridge would open in March.\n",
            Unit::Line,
        ),
        (
            "The council said the new bridge would open March.\n\n\
             The council said the new bridge would open...\n\n\
             The council said the new bridge would open in March.\n",
            Unit::Paragraph,
        ),
        // Auto picks paragraphs (a two-line paragraph after a blank line); once the teaser
        // paragraph goes, the output has no blank line, auto picks lines, and the second line
        // is a copy of the first.
        (
            "Residents asked for more parking near the old station\u{2026}\n\n\
             Residents asked for more parking near the old station today.\n\
             residents asked for more parking near the old station today.\n",
            Unit::Auto,
        ),
        // Found by fuzzing (`fuzz/crashes/dedup_invariants/settled-lines-keep-last-trims`):
        // auto reads paragraphs and, once the repeated line `a 0` goes, settles the document
        // in lines; the last settling pass reads the clean text in paragraphs and cuts the
        // repeated opening of the first line, but settling kept whole lines only, so the
        // second run made that cut.
        (
            concat!(
                "0000leS0adiaMi0000000 00l00d000le000adeS0 ManyWay0 00\u{2026}0000leS0adiaMi0000000 00l00d000le000adeS0 ManyWay0 00\na 0\n\na 0\n",
                "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            ),
            Unit::Auto,
        ),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(text, unit)| {
            let once = clean(text, unit);
            let twice = clean(&once, unit);
            (twice != once)
                .then(|| format!("{unit:?} {text:?}\n  once:  {once:?}\n  twice: {twice:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Minimal inputs whose comparison key is not its own key.
#[test]
fn normalize_regressions() {
    let cases: &[(&str, bool)] = &[
        // Entities are decoded before NFKC, so a fullwidth ampersand makes a new entity.
        ("\u{ff06}amp;", true),
        // Entities are decoded at most four rounds.
        ("&amp;amp;amp;amp;amp;", true),
        // Zero-width characters and soft hyphens are dropped after NFKC, so the mark that
        // followed them composes only on the second pass.
        ("e\u{200b}\u{301}", true),
        ("e\u{ad}\u{301}", true),
        // The glued sentence end is split before zero-width characters are dropped.
        ("\u{e9}.\u{200b}Z", false),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(s, fold)| {
            let once = normalize(s, fold);
            let twice = normalize(&once, fold);
            (twice != once).then(|| format!("{s:?} (fold {fold}): {once:?} then {twice:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Found by the corpus property: with `--unit auto`, a record read in paragraphs lost a
/// paragraph to the corpus pass and then read in lines, where a second run found a repeat
/// inside the paragraph that remained. The corpus pass now leaves such a record alone.
#[test]
fn corpus_scope_auto_unit_regression() {
    let dump = concat!(
        "{\"id\":0,\"text\":\"The.\\nThe.\"}\n",
        "{\"id\":1,\"text\":\"The.\\n\"}\n",
        "{\"id\":2,\"text\":\"The.\\n\\nThe.\\nThe.\"}\n",
    );
    assert_corpus_clean_twice_unchanged(dump, "auto");
}

/// Found by the corpus property with `--unit auto`: record 2 is settled in lines by `auto` (its
/// clean text reads in paragraphs, see `dedup_text`); the pass matched its lines, while a second
/// run reads paragraphs that record 0 holds. The pass now matches a settled record the way a
/// second run reads it.
#[test]
fn corpus_scope_auto_unit_settled_regression() {
    let dump = concat!(
        "{\"id\":0,\"text\":\"The the the the\\n| Hosted\\n\\nThe the the the.The\\nthe the the.\\n\\nCouncil the the the.\\n\\nThe the the the\\n| Daily Courier\\n\\nThe the the the.\"}\n",
        "{\"id\":1,\"text\":\"Station bridge station station the station residents the residents bridge bridge. Station bridge station station the station residents the residents bridge bridge.\\r\\nStation Bridge Station Station The Station Residents The Residents Bridge Bridge.\\r\\nStation bridge station station the station residents the residents bridge bridge.Station bridge station station the station residents the residents bridge bridge.\\r\\nstation bridge station station the station residents the residents bridge bridge.\\r\\n\"}\n",
        "{\"id\":2,\"text\":\"Station bridge station station the station residents the residents bridge bridge. Station bridge station station the station residents the residents bridge bridge.\\r\\nStation Bridge Station Station The Station Residents The Residents Bridge Bridge.\\r\\nStation bridge station station the station residents the residents bridge bridge.Station bridge station station the station residents the residents bridge bridge.\\r\\nstation bridge station station the station residents the residents bridge bridge.\\r\\n\\nThe the the the\\n| Hosted\\n\\nThe the the the.The\\nthe the the.\\n\\nCouncil the the the.\\n\\nThe the the the\\n| Daily Courier\\n\\nThe the the the.\"}\n",
    );
    assert_corpus_clean_twice_unchanged(dump, "auto");
}

/// Found by the corpus property with `--unit paragraph` (400 random cases): in the record,
/// teasers cut with an ellipsis stayed because their carrier (the lede) read as a run-together
/// of other blocks; the corpus pass removed the lede (an earlier record holds it) and a second
/// run then removed the teasers. The pass now decides such a record again without the blocks
/// it removes.
#[test]
fn corpus_scope_teaser_redecide_regression() {
    let dump = include_str!("../fixtures/jsonl/corpus-teaser-redecide.jsonl");
    assert_corpus_clean_twice_unchanged(dump, "paragraph");
}

/// Found by the corpus property with `--unit line` (1,500 random cases): deciding a record again
/// without the blocks an earlier record holds kept a line that had gone in their favour; that
/// line was held elsewhere too, and a second run removed it. The pass now repeats the decision
/// until its removals stop growing.
#[test]
fn corpus_scope_redecide_until_stable_regression() {
    let dump = include_str!("../fixtures/jsonl/corpus-redecide-grows.jsonl");
    assert_corpus_clean_twice_unchanged(dump, "line");
}

/// Found by the corpus property with `--unit auto` (4,000 random cases): in record 2, a
/// paragraph made of two copies of another stayed because the pass decided the record again
/// without that other paragraph (record 1 holds it), and the clean record then read in lines, in
/// which a second run removed the repeat. The pass now works on the reading a second run makes
/// of a fragile record (its clean text).
#[test]
fn corpus_scope_auto_unit_fragile_view_regression() {
    let dump = concat!(
        "{\"id\":0,\"text\":\"The.\"}\n",
        "{\"id\":1,\"text\":\"The don't don't don't the.\\n\\nThe don't don't don't the.\\n\\nFor said the the the the the the\\nthe the the the the the the the.\\nFor said the the the the the the\\nthe the the the the the the the.\\n\\nWork closed today.\\n\\nFor said the the the the the the\\nthe the the the the the the the.\\n\\nYears road in. For said the the the\\nthe the the the the the the the\\nthe the the.\\n\\nThe don't don't don't the.\\n\\ntwo closed today.\\n\\nThe don't don't don't the.\\n\\n2024 road council.\\n\"}\n",
        "{\"id\":2,\"text\":\"The don't don't don't the.\\n\\nThe don't don't don't the.\\n\\nFor said the the the the the the\\nthe the the the the the the the.\\nFor said the the the the the the\\nthe the the the the the the the.\\n\\nWork closed today.\\n\\nFor said the the the the the the\\nthe the the the the the the the.\\n\\nYears road in. For said the the the\\nthe the the the the the the the\\nthe the the.\\n\\nThe don't don't don't the.\\n\\ntwo closed today.\\n\\nThe don't don't don't the.\\n\\n2024 road council.\\n\\nThe.\"}\n",
    );
    assert_corpus_clean_twice_unchanged(dump, "auto");
}

/// Found by the corpus property with `--unit auto`: the pass removed record 2's first paragraph
/// (record 1 holds it) and the record still read in paragraphs; a second run, which no longer
/// sees that paragraph, decided the rest of the record otherwise (another lead-in), settled it
/// in lines and then found lines that records 0 and 1 hold. The pass now leaves such a record
/// alone.
#[test]
fn corpus_scope_auto_unit_lead_in_regression() {
    let dump = concat!(
        "{\"id\":0,\"text\":\"Don't. Don't.\\nDon't.\\nDon't.\\nDon't. Don't.\\nDon't.\\nDon't.\"}\n",
        "{\"id\":1,\"text\":\"Council the the the the the the the.\\n\\nThe the the the the the the the. The the the the the the the the.\\n\\nThe the the the the the the the.\"}\n",
        "{\"id\":2,\"text\":\"Council the the the the the the the.\\n\\nThe the the the the the the the. The the the the the the the the.\\n\\nThe the the the the the the the.\\nDon't. Don't.\\nDon't.\\nDon't.\\nDon't. Don't.\\nDon't.\\nDon't.\"}\n",
    );
    assert_corpus_clean_twice_unchanged(dump, "auto");
}
