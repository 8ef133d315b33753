//! Fuzz checks: raw input bytes → the invariants each fuzz target asserts, one `check_*`
//! function per target.
//!
//! One file serves two builds: the AFL binaries (`fuzz/src/bin/*.rs`, through the
//! `paradedup-fuzz` library) and the replay test of the root package
//! (`tests/fuzz_corpus.rs` includes it with `#[path]`, as the root package cannot depend on
//! the fuzz package), so a corpus file is checked in CI exactly as AFL checked it. A function
//! returns `Err(message)` naming the broken invariant and never panics on its own: a panic
//! comes from the library. The AFL harness turns an `Err` into a crash.
//!
//! Inputs are bytes; text is read from them with invalid UTF-8 replaced (as `--lossy` does),
//! and cut to a few kilobytes where a check runs the whole engine several times, so that AFL
//! keeps a useful speed and the replay stays fast in a debug build.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use paradedup::check::{self, DocPlace, Status, Thresholds, Verdict};
use paradedup::jsonl::{self, Slot, Splice};
use paradedup::CorpusIndex;
use paradedup::Keep;
use paradedup::Metric;
use paradedup::{dedup_text, DocResult, Kind, Options, Unit};
use paradedup_engine::fingerprint::{features, seq_hash, token_hash};
use paradedup_engine::normalize::{
    fold_key, for_each_token_split, normalize, normalize_with_splits,
};
use paradedup_engine::segment::{choose_unit, has_blank_line, segment};

/// What a check returns: `Err` names the broken invariant and the input.
pub type Outcome = Result<(), String>;

/// Longest text the segment and normalize checks read.
pub const MAX_SEGMENT_INPUT: usize = 64 * 1024;

/// Longest text the dedup check cleans (it cleans it six times or more).
pub const MAX_DEDUP_INPUT: usize = 6 * 1024;

/// Longest text of one document in the reporters check.
pub const MAX_REPORT_TEXT: usize = 2 * 1024;

macro_rules! ensure {
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            return Err(format!($($arg)+));
        }
    };
}

/// The text of `data` (invalid UTF-8 replaced), at most `max` bytes, cut at a character
/// boundary.
fn text_of(data: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(data);
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// The checks a target name stands for (the folder names of `fuzz/corpus/`).
pub fn check_for(target: &str) -> Option<fn(&[u8]) -> Outcome> {
    match target {
        "segment_normalize" => Some(check_segment_normalize),
        "jsonl_record" => Some(check_jsonl_record),
        "dedup_invariants" => Some(check_dedup_invariants),
        "check_reporters" => Some(check_reporters),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// segment_normalize
// ---------------------------------------------------------------------------------------------

/// A line as the README defines lines: `\n`, `\r\n` and a lone `\r` each end one, the text
/// after the last terminator is a line when it is not empty, and a BOM at the start of the
/// document belongs to no line (it stays in the lead). `(start, end)` of the content.
fn reference_lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut start = i;
    let mut out = Vec::new();
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i));
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push((start, i));
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < b.len() {
        out.push((start, b.len()));
    }
    out
}

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// The blocks `unit` (line or paragraph) makes of `text`, from [`reference_lines`]:
/// `(start, end, first_line, last_line)`.
fn reference_blocks(text: &str, unit: Unit) -> Vec<(usize, usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize, usize, usize)> = None;
    for (i, &(s, e)) in reference_lines(text).iter().enumerate() {
        if is_blank(&text[s..e]) {
            out.extend(open.take());
            continue;
        }
        match (unit, open.as_mut()) {
            (Unit::Paragraph, Some(b)) => {
                b.1 = e;
                b.3 = i + 1;
            }
            (Unit::Paragraph, None) => open = Some((s, e, i + 1, i + 1)),
            _ => out.push((s, e, i + 1, i + 1)),
        }
    }
    out.extend(open);
    out
}

/// Mirrors `fingerprint::is_separator` (a sign where a site suffix may start).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '|' | '-' | ':' | '·' | '•' | '/' | '»' | '›' | '>' | '~' | '*'
    )
}

/// The features of `text` as the documented rules make them (normalize, tokenize the key), to
/// compare with `fingerprint::features`, whose ASCII fast path must agree: `(key hash, sequence
/// hash, tokens, boundaries, ellipsis end, numeric tokens)`.
type ReferenceFeatures = (u64, u64, Vec<u64>, Vec<u32>, bool, Vec<u32>);

fn reference_features(text: &str) -> ReferenceFeatures {
    let (key, splits) = normalize_with_splits(text, true);
    let mut tokens = Vec::new();
    let mut boundaries = Vec::new();
    let mut numeric = Vec::new();
    let mut last_end = 0usize;
    let base = key.as_ptr() as usize;
    for_each_token_split(&key, &splits, |t| {
        let start = t.as_ptr() as usize - base;
        if !tokens.is_empty() {
            let gap = &key[last_end..start];
            if gap.contains(' ') && gap.chars().any(is_separator) {
                boundaries.push(u32::try_from(tokens.len()).unwrap_or(u32::MAX));
            }
        }
        last_end = start + t.len();
        if t.chars().any(char::is_numeric) {
            numeric.push(u32::try_from(tokens.len()).unwrap_or(u32::MAX));
        }
        tokens.push(token_hash(t.as_bytes()));
    });
    let ellipsis_end = key[last_end..].contains("...");
    (
        xxhash_rust::xxh3::xxh3_64(key.as_bytes()),
        seq_hash(&tokens),
        tokens,
        boundaries,
        ellipsis_end,
        numeric,
    )
}

/// True for the characters the key drops (`normalize::is_invisible`).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// Segmenting: the blocks of each unit are those the README's reading of lines gives, the lead,
/// blocks and separators cover the input in order, and `choose_unit` and `has_blank_line` read
/// lines as `segment` does (a BOM line, lone CR line ends). Normalizing: a key normalizes to
/// itself (with and without case folding), is trimmed with single spaces and no invisible
/// characters, the folded key made from the cased one is the folded key, and the features'
/// fast path agrees with the general rules.
///
/// # Errors
/// The first invariant broken.
pub fn check_segment_normalize(data: &[u8]) -> Outcome {
    let text = text_of(data, MAX_SEGMENT_INPUT);
    let text = text.as_str();
    let lines = reference_lines(text);
    let any_blank = lines.iter().any(|&(s, e)| is_blank(&text[s..e]));
    ensure!(
        has_blank_line(text) == any_blank,
        "has_blank_line is {} but segment reads {} blank line\ninput: {text:?}",
        has_blank_line(text),
        if any_blank { "a" } else { "no" }
    );
    let auto = segment(text, Unit::Auto).unit;
    ensure!(
        choose_unit(text) == auto,
        "choose_unit says {:?} but segment (auto) applies {auto:?}\ninput: {text:?}",
        choose_unit(text)
    );
    for unit in [Unit::Auto, Unit::Line, Unit::Paragraph] {
        let s = segment(text, unit);
        let applied = if unit == Unit::Auto { auto } else { unit };
        ensure!(
            s.unit == applied && s.unit != Unit::Auto,
            "segment({unit:?}) applied {:?}",
            s.unit
        );
        let got: Vec<(usize, usize, usize, usize)> = s
            .blocks
            .iter()
            .map(|b| (b.start, b.end, b.first_line, b.last_line))
            .collect();
        let want = reference_blocks(text, applied);
        ensure!(
            got == want,
            "segment({unit:?}) blocks {got:?}, the reading of lines gives {want:?}\ninput: {text:?}"
        );
        let first = s.blocks.first().map_or(text.len(), |b| b.start);
        ensure!(
            s.lead_end == first,
            "lead ends at {} but the first block starts at {first}\ninput: {text:?}",
            s.lead_end
        );
        let lead = &text[..s.lead_end];
        ensure!(
            is_blank(lead.strip_prefix('\u{feff}').unwrap_or(lead)),
            "the lead {lead:?} holds more than a BOM and blank lines"
        );
        for (i, b) in s.blocks.iter().enumerate() {
            let next = s.blocks.get(i + 1).map_or(text.len(), |n| n.start);
            ensure!(
                b.start < b.end && b.end <= b.sep_end && b.sep_end == next,
                "block {i} {b:?} does not tile the input (next start {next})\ninput: {text:?}"
            );
            let body = &text[b.start..b.end];
            ensure!(
                !body.starts_with(['\n', '\r']) && !body.ends_with(['\n', '\r']),
                "block {i} {body:?} starts or ends with a line break"
            );
            ensure!(
                is_blank(&text[b.end..b.sep_end]),
                "the separator after block {i} holds text: {:?}",
                &text[b.end..b.sep_end]
            );
        }
    }
    // Normalizing: the whole text (cut shorter: NFKC and entities may take several rounds),
    // and each line as a block.
    let short = &text[..floor_boundary(text, 4096)];
    check_normalize(short)?;
    for b in &segment(short, Unit::Line).blocks {
        check_normalize(&short[b.start..b.end])?;
        check_features(&short[b.start..b.end])?;
    }
    check_features(short)
}

fn floor_boundary(text: &str, max: usize) -> usize {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

fn check_normalize(t: &str) -> Outcome {
    for fold in [true, false] {
        let key = normalize(t, fold);
        let again = normalize(&key, fold);
        ensure!(
            again == key,
            "normalize is not idempotent (fold {fold}): {t:?} → {key:?} → {again:?}"
        );
        let (with_splits, splits) = normalize_with_splits(t, fold);
        ensure!(
            with_splits == key,
            "normalize_with_splits gives {with_splits:?}, normalize {key:?} for {t:?}"
        );
        ensure!(
            splits.windows(2).all(|w| w[0] < w[1])
                && splits
                    .iter()
                    .all(|&s| s < key.len() && key.is_char_boundary(s)),
            "splits {splits:?} are not ascending offsets inside the key {key:?}"
        );
        ensure!(
            !key.starts_with(' ')
                && !key.ends_with(' ')
                && !key.contains("  ")
                && !key.chars().any(|c| c != ' ' && c.is_whitespace())
                && !key.chars().any(is_invisible),
            "the key {key:?} of {t:?} keeps white space or invisible characters"
        );
        let mut bad = None;
        for_each_token_split(&key, &splits, |tok| {
            if tok.is_empty() || !tok.chars().all(char::is_alphanumeric) {
                bad = Some(tok.to_string());
            }
        });
        ensure!(bad.is_none(), "token {bad:?} of {key:?} is not a word");
    }
    let folded = fold_key(t, &normalize(t, false));
    ensure!(
        folded == normalize(t, true),
        "fold_key gives {folded:?}, the folded key is {:?} for {t:?}",
        normalize(t, true)
    );
    Ok(())
}

fn check_features(t: &str) -> Outcome {
    let f = features(t);
    let got = (
        f.key_hash,
        f.seq_hash,
        f.tokens.to_vec(),
        f.boundaries.to_vec(),
        f.ellipsis_end,
        f.numeric.to_vec(),
    );
    let want = reference_features(t);
    ensure!(
        got == want,
        "features disagree with the general rules for {t:?}:\n  got  {got:?}\n  want {want:?}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// jsonl_record
// ---------------------------------------------------------------------------------------------

/// The field `--annotate` writes.
const ANNOTATION: &str = "paradedup";

/// A line as the dump reads it: without a BOM before it and without its line terminator; the
/// offset of the body in the line.
fn record_body(line: &str) -> (&str, usize) {
    let unmarked = line.trim_start_matches('\u{feff}');
    let base = line.len() - unmarked.len();
    (unmarked.trim_end_matches(['\n', '\r']), base)
}

/// A JSONL line (byte 0 chooses the text field's path and `--lossy`; the rest up to the
/// first `\n` is the line): a line that is a JSON object parses; its text is the decoded JSON
/// string at the span it names; splicing the text back unchanged (and the annotation in, as
/// `--annotate` does) gives a line that parses to the same record, every byte outside the
/// edits kept; splicing another text in gives that text back.
///
/// # Errors
/// The first invariant broken.
pub fn check_jsonl_record(data: &[u8]) -> Outcome {
    let Some((&opts, rest)) = data.split_first() else {
        return Ok(());
    };
    let lossy = opts & 1 != 0;
    let path: Vec<String> = match (opts >> 1) & 3 {
        1 => vec!["content".into(), "body".into()],
        2 => vec!["a".into(), "b".into(), "c".into()],
        _ => vec!["text".into()],
    };
    let rest = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(rest);
    let (body, base) = record_body(&line);
    let value = serde_json::from_str::<serde_json::Value>(body).ok();
    let record = match jsonl::parse(body) {
        Ok(r) => r,
        Err(e) => {
            ensure!(
                !value.as_ref().is_some_and(serde_json::Value::is_object),
                "a JSON object is refused: {e}\nline: {body:?}"
            );
            return Ok(());
        }
    };
    let _ = record.id(&["id".to_string()]);
    let _ = record.id(&path);
    let Ok((text, span)) = record.text(&path, lossy) else {
        return Ok(());
    };
    ensure!(
        span.end <= body.len()
            && body.is_char_boundary(span.start)
            && body.is_char_boundary(span.end),
        "span {span:?} outside the line {body:?}"
    );
    let raw = &body[span.clone()];
    ensure!(
        raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"'),
        "span {span:?} is no string literal: {raw:?}"
    );
    if let Ok(decoded) = serde_json::from_str::<String>(raw) {
        ensure!(
            decoded == text,
            "text {text:?} is not the decoded literal {decoded:?}"
        );
    }
    // Lossy decoding replaced something: the record is no longer the same.
    let unchanged = serde_json::from_str::<String>(raw).is_ok();
    let slot = record.slot(ANNOTATION);
    let span = span.start + base..span.end + base;
    let annotation = serde_json::json!({"blocks_removed": 1, "bytes_removed": 2, "rate": 0.5});
    for (new_text, annotate) in [
        (text.clone(), false),
        (text.clone(), true),
        (text.chars().rev().collect::<String>(), false),
        (text.chars().take(text.chars().count() / 2).collect(), true),
    ] {
        let mut splice = Splice::default();
        splice
            .value(span.clone(), new_text.as_str())
            .map_err(|e| format!("splice of {new_text:?}: {e}"))?;
        let slot = match (&slot, annotate) {
            (_, false) => None,
            (Ok(Slot::Value(r)), true) => Some(Slot::Value(r.start + base..r.end + base)),
            (Ok(Slot::Append(at)), true) => Some(Slot::Append(at + base)),
            (Err(_), true) => continue,
        };
        if let Some(slot) = slot.clone() {
            splice
                .field(slot, ANNOTATION, &annotation)
                .map_err(|e| format!("annotation: {e}"))?;
        }
        let out = splice.apply(line.as_bytes());
        let out = String::from_utf8(out).map_err(|e| format!("spliced line is not UTF-8: {e}"))?;
        let (out_body, _) = record_body(&out);
        let again = jsonl::parse(out_body).map_err(|e| {
            format!("spliced line does not parse: {e}\nline: {body:?}\nout: {out_body:?}")
        })?;
        let (t, _) = again.text(&path, false).map_err(|e| {
            format!("spliced line lost its text: {e}\nline: {body:?}\nout: {out_body:?}")
        })?;
        ensure!(
            t == new_text,
            "spliced {new_text:?}, read back {t:?}\nline: {body:?}\nout: {out_body:?}"
        );
        // Every byte before the text's value stays (the annotation goes after it or in
        // another field's place).
        let first_edit = match &slot {
            Some(Slot::Value(r)) => r.start.min(span.start),
            Some(Slot::Append(at)) => (*at).min(span.start),
            None => span.start,
        };
        ensure!(
            out.as_bytes()[..first_edit] == line.as_bytes()[..first_edit],
            "bytes before the edits changed\nline: {line:?}\nout: {out:?}"
        );
        if new_text == text && unchanged {
            if let Some(before) = &value {
                let mut after: serde_json::Value = serde_json::from_str(out_body)
                    .map_err(|e| format!("spliced line is no JSON for serde_json: {e}"))?;
                if annotate {
                    let got = after
                        .as_object_mut()
                        .and_then(|o| o.remove(ANNOTATION))
                        .ok_or_else(|| format!("annotation missing in {out_body:?}"))?;
                    ensure!(
                        got == annotation,
                        "annotation read back as {got:?}\nout: {out_body:?}"
                    );
                    let mut before = before.clone();
                    if let Some(o) = before.as_object_mut() {
                        o.remove(ANNOTATION);
                    }
                    ensure!(
                        after == before,
                        "the record changed: {before:?} → {after:?}\nout: {out_body:?}"
                    );
                } else {
                    ensure!(
                        &after == before,
                        "the record changed: {before:?} → {after:?}\nout: {out_body:?}"
                    );
                }
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// dedup_invariants
// ---------------------------------------------------------------------------------------------

/// A rayon pool of 1 or 2 threads, built once.
fn pool(n: usize) -> Result<&'static rayon::ThreadPool, String> {
    static ONE: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    static TWO: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let cell = if n == 1 { &ONE } else { &TWO };
    cell.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok())
        .as_ref()
        .ok_or_else(|| format!("cannot build a rayon pool of {n} threads"))
}

/// The options byte 0 chooses, and whether the run is in corpus scope (documents separated
/// by U+001E) with `--boilerplate-min-docs 2`.
fn dedup_options(opts: u8) -> (Options, bool, Option<u32>) {
    let unit = match opts & 3 {
        1 => Unit::Line,
        2 => Unit::Paragraph,
        _ => Unit::Auto,
    };
    let metric = match (opts >> 5) & 3 {
        1 => Metric::SorensenDice,
        2 => Metric::JaroWinkler,
        _ => Metric::Levenshtein,
    };
    let corpus = opts & 16 != 0;
    let mut options = Options {
        unit,
        metric,
        trim: opts & 4 == 0,
        keep: if opts & 8 == 0 {
            Keep::Body
        } else {
            Keep::First
        },
        ..Options::default()
    };
    if corpus {
        // As the command line sets them for corpus scope.
        options.trim = false;
        options.keep = Keep::First;
    }
    (options, corpus, (opts & 128 != 0).then_some(2))
}

/// The words of a text as the engine compares them: normalized tokens, cut where two words
/// were glued together (`split`) or not. Both readings count: a copy that differs in case only
/// (`WarniNg`) has the key of `Warning` but cuts it in two words.
fn words_in(text: &str, split: bool) -> Vec<String> {
    let (key, splits) = normalize_with_splits(text, true);
    let mut v = Vec::new();
    let splits: &[usize] = if split { &splits } else { &[] };
    for_each_token_split(&key, splits, |t| v.push(t.to_string()));
    v
}

/// The words of a text, in both readings (see [`words_in`]).
fn words(text: &str) -> Vec<String> {
    let mut v = words_in(text, true);
    v.extend(words_in(text, false));
    v
}

/// Cleans `docs` in corpus scope as `clean --scope corpus` does: each document on its own,
/// then through the corpus index in input order.
fn clean_corpus(
    docs: &[&str],
    options: &Options,
    boilerplate: Option<u32>,
) -> Result<Vec<DocResult>, String> {
    let mut index = CorpusIndex::new(boilerplate, None);
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        let mut r = dedup_text(d, options);
        index
            .pass(d, options, &mut r)
            .map_err(|e| format!("corpus pass: {e}"))?;
        out.push(r);
    }
    Ok(out)
}

/// The result is well formed: flags match the removals, carriers and trimmed blocks stay,
/// cuts are ordered ranges inside their block.
fn check_shape(text: &str, r: &DocResult) -> Outcome {
    let blocks = &r.segmented.blocks;
    ensure!(
        r.removed.len() == blocks.len() && r.keys.len() == blocks.len(),
        "{} flags, {} keys for {} blocks",
        r.removed.len(),
        r.keys.len(),
        blocks.len()
    );
    ensure!(
        r.removals.windows(2).all(|w| w[0].block < w[1].block),
        "removals not in block order: {:?}",
        r.removals
    );
    ensure!(
        r.removals.len() == r.removed.iter().filter(|&&x| x).count()
            && r.removals
                .iter()
                .all(|x| r.removed.get(x.block) == Some(&true)),
        "removed flags {:?} do not match the removals {:?}",
        r.removed,
        r.removals
    );
    for x in &r.removals {
        ensure!(
            x.kept
                .iter()
                .all(|&k| k != x.block && r.removed.get(k) == Some(&false)),
            "removal {x:?} names a carrier that does not stay\ninput: {text:?}"
        );
    }
    ensure!(
        r.trims.windows(2).all(|w| w[0].block < w[1].block),
        "trims not in block order"
    );
    for t in &r.trims {
        let b = blocks
            .get(t.block)
            .ok_or_else(|| format!("trim of block {} of {}", t.block, blocks.len()))?;
        ensure!(
            r.removed.get(t.block) == Some(&false),
            "trimmed block {} is removed",
            t.block
        );
        ensure!(!t.cuts.is_empty(), "trim of block {} cuts nothing", t.block);
        let mut at = b.start;
        for c in &t.cuts {
            ensure!(
                at <= c.start
                    && c.start < c.end
                    && c.end <= b.end
                    && text.is_char_boundary(c.start)
                    && text.is_char_boundary(c.end),
                "cut {c:?} outside block {b:?} or out of order\ninput: {text:?}"
            );
            at = c.end;
        }
        ensure!(
            t.kept.iter().all(|&k| r.removed.get(k) == Some(&false)),
            "trim {t:?} names a carrier that does not stay"
        );
    }
    Ok(())
}

/// The output is made of input bytes in order: read with the unit the input was cut with, its
/// blocks are the kept input blocks, byte for byte, less the cut ranges.
fn check_subsequence(text: &str, r: &DocResult) -> Outcome {
    let mut out = r.render(text);
    // A U+FEFF inside the input (a zero-width no-break space) that opens the output once the
    // blocks before it are gone reads as a BOM there: a second run leaves it in the lead. The
    // bytes are the same; compare with a placeholder of the same length in its place.
    let new_bom = out.starts_with('\u{feff}') && !text.starts_with('\u{feff}');
    if new_bom {
        out.replace_range(..3, "\u{fffe}");
    }
    let output: Vec<&str> = segment(&out, r.segmented.unit)
        .blocks
        .iter()
        .map(|b| &out[b.start..b.end])
        .collect();
    let mut kept: Vec<String> = Vec::new();
    let mut trims = r.trims.iter().peekable();
    for (i, b) in r.segmented.blocks.iter().enumerate() {
        if r.removed[i] {
            continue;
        }
        let mut s = String::new();
        let mut at = b.start;
        if let Some(t) = trims.next_if(|t| t.block == i) {
            for c in &t.cuts {
                s.push_str(&text[at..c.start]);
                at = c.end;
            }
        }
        s.push_str(&text[at..b.end]);
        if new_bom && kept.is_empty() && s.starts_with('\u{feff}') {
            s.replace_range(..3, "\u{fffe}");
        }
        kept.push(s);
    }
    let lead = &text[..r.segmented.lead_end];
    ensure!(
        out.starts_with(lead),
        "the output does not start with the lead {lead:?}"
    );
    ensure!(
        output == kept,
        "output blocks are not the kept input blocks (less their cuts), unit {:?}\n  output {output:?}\n  kept   {kept:?}\ninput: {text:?}",
        r.segmented.unit
    );
    Ok(())
}

/// The words of `text` the output lacks, and where (token positions, of how many), in the
/// reading that loses fewer ([`words_in`]).
fn lost_words(text: &str, out_words: &BTreeSet<String>) -> (Vec<String>, Vec<usize>, usize) {
    let mut best: Option<(Vec<String>, Vec<usize>, usize)> = None;
    for split in [true, false] {
        let ws = words_in(text, split);
        let lost_at: Vec<usize> = (0..ws.len())
            .filter(|&i| !out_words.contains(&ws[i]))
            .collect();
        let lost: Vec<String> = lost_at.iter().map(|&i| ws[i].clone()).collect();
        if best.as_ref().is_none_or(|b| lost.len() < b.0.len()) {
            best = Some((lost, lost_at, ws.len()));
        }
    }
    best.unwrap_or_default()
}

/// True when the words lost lie at the ends of the text only, as a site name, a breadcrumb,
/// a share label or a cut last word may: a run at the start of at most `most` words and a run
/// at the end of at most one more (the verify and canonical steps allow six, or half the block
/// where every character is a word), around a core that stays.
fn lost_at_ends_only(lost_at: &[usize], n: usize) -> bool {
    let most = 6.max(n / 2);
    (0..=most.min(n)).any(|p| {
        let s = lost_at.iter().find(|&&l| l >= p).map_or(0, |&l| n - l);
        s <= most + 1 && p + s < n
    })
}

/// Where the words of a removed block that the output lacks may be: nowhere for an exact copy,
/// anywhere for a near copy (the words in which it differs go with it), and for a contained
/// block only at its ends ([`lost_at_ends_only`]). `texts` are the readings of the block to try:
/// the block, and the run of removed blocks it was decided with (`auto` reports a paragraph it
/// settled in lines line by line).
fn check_lost_words(
    texts: &[String],
    kind: Kind,
    out_words: &BTreeSet<String>,
    what: &str,
) -> Outcome {
    if kind == Kind::Near {
        return Ok(());
    }
    let mut first_error = None;
    for t in texts {
        let (lost, lost_at, n) = lost_words(t, out_words);
        if lost.is_empty() || (kind == Kind::Contained && lost_at_ends_only(&lost_at, n)) {
            return Ok(());
        }
        first_error
            .get_or_insert_with(|| format!("{what} ({kind:?}) {t:?} lost the words {lost:?}"));
    }
    Err(first_error.unwrap_or_default())
}

/// Every word of the input is in the output but for the documented exceptions
/// ([`check_lost_words`]); a kept block keeps its words, and the words cut out of it are in the
/// output.
fn check_words(docs: &[(&str, &DocResult)], out_words: &BTreeSet<String>) -> Outcome {
    for (text, r) in docs {
        let blocks = &r.segmented.blocks;
        let body = |i: usize| &text[blocks[i].start..blocks[i].end];
        let removal = |i: usize| r.removals.iter().find(|x| x.block == i);
        for i in 0..blocks.len() {
            let Some(x) = removal(i) else {
                let (lost, _, _) = lost_words(body(i), out_words);
                let cut = r.trims.iter().any(|t| t.block == i);
                ensure!(
                    cut || lost.is_empty(),
                    "kept block {i} {:?} lost the words {lost:?}\ninput: {text:?}",
                    body(i)
                );
                continue;
            };
            // The run of removed blocks around this one that went the same way.
            let same = |j: usize| removal(j).is_some_and(|y| y.kind == x.kind && y.kept == x.kept);
            let mut first = i;
            while first > 0 && same(first - 1) {
                first -= 1;
            }
            let mut last = i;
            while last + 1 < blocks.len() && same(last + 1) {
                last += 1;
            }
            let run: Vec<&str> = (first..=last).map(body).collect();
            let texts = [body(i).to_string(), run.join("\n")];
            check_lost_words(&texts, x.kind, out_words, &format!("block {i}"))
                .map_err(|e| format!("{e}\ninput: {text:?}"))?;
        }
        for t in &r.trims {
            for c in &t.cuts {
                let (lost, _, _) = lost_words(&text[c.clone()], out_words);
                ensure!(
                    lost.is_empty(),
                    "the words {lost:?} cut out of block {} are nowhere in the output\ninput: {text:?}",
                    t.block
                );
            }
        }
    }
    Ok(())
}

/// Cleaning (byte 0 chooses the options; the rest is the text, documents separated by U+001E
/// in corpus scope): the output is the same with 1 and 2 threads, made of input bytes in order
/// (kept blocks less their cut ranges), keeps every word of the input (but for the
/// documented exceptions), and cleaning it again changes nothing.
///
/// # Errors
/// The first invariant broken.
pub fn check_dedup_invariants(data: &[u8]) -> Outcome {
    let Some((&opts, rest)) = data.split_first() else {
        return Ok(());
    };
    let text = text_of(rest, MAX_DEDUP_INPUT);
    let (options, corpus, boilerplate) = dedup_options(opts);
    let context = |e: String| format!("{e}\noptions: {options:?}, corpus scope {corpus}");
    if corpus {
        let docs: Vec<&str> = text.splitn(4, '\u{1e}').collect();
        check_corpus(&docs, &options, boilerplate).map_err(context)
    } else {
        check_document(&text, &options).map_err(context)
    }
}

fn check_document(text: &str, options: &Options) -> Outcome {
    let one = pool(1)?.install(|| dedup_text(text, options));
    let two = pool(2)?.install(|| dedup_text(text, options));
    let out = one.render(text);
    ensure!(
        one.removals == two.removals && one.trims == two.trims && two.render(text) == out,
        "1 and 2 threads differ\n  1: {:?} {:?}\n  2: {:?} {:?}\ninput: {text:?}",
        one.removals,
        one.trims,
        two.removals,
        two.trims
    );
    check_shape(text, &one)?;
    check_subsequence(text, &one)?;
    let out_words: BTreeSet<String> = words(&out).into_iter().collect();
    check_words(&[(text, &one)], &out_words)?;
    let again = pool(2)?.install(|| dedup_text(&out, options));
    let twice = again.render(&out);
    ensure!(
        twice == out,
        "cleaning is not idempotent: a second run removes {:?}, trims {:?}\ninput:  {text:?}\nonce:   {out:?}\ntwice:  {twice:?}",
        again.removals,
        again.trims
    );
    Ok(())
}

fn check_corpus(docs: &[&str], options: &Options, boilerplate: Option<u32>) -> Outcome {
    let one = pool(1)?.install(|| clean_corpus(docs, options, boilerplate))?;
    let two = pool(2)?.install(|| clean_corpus(docs, options, boilerplate))?;
    let outs: Vec<String> = docs.iter().zip(&one).map(|(d, r)| r.render(d)).collect();
    for (i, (d, (a, b))) in docs.iter().zip(one.iter().zip(&two)).enumerate() {
        ensure!(
            a.removals == b.removals && b.render(d) == outs[i],
            "document {i}: 1 and 2 threads differ\n  1: {:?}\n  2: {:?}\ninput: {docs:?}",
            a.removals,
            b.removals
        );
        check_shape(d, a).map_err(|e| format!("document {i}: {e}"))?;
        check_subsequence(d, a).map_err(|e| format!("document {i}: {e}"))?;
    }
    let out_words: BTreeSet<String> = outs.iter().flat_map(|o| words(o)).collect();
    let pairs: Vec<(&str, &DocResult)> = docs.iter().copied().zip(one.iter()).collect();
    check_words(&pairs, &out_words).map_err(|e| format!("{e}\ndocuments: {docs:?}"))?;
    let out_refs: Vec<&str> = outs.iter().map(String::as_str).collect();
    let again = pool(2)?.install(|| clean_corpus(&out_refs, options, boilerplate))?;
    let twice: Vec<String> = out_refs
        .iter()
        .zip(&again)
        .map(|(d, r)| r.render(d))
        .collect();
    ensure!(
        twice == outs,
        "corpus scope is not idempotent\ninput: {docs:?}\nonce:  {outs:?}\ntwice: {twice:?}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// check_reporters
// ---------------------------------------------------------------------------------------------

/// A baseline file's text with the given entries `(path, id, kind, preview)`.
fn baseline_json(entries: &[(String, String, String, String)]) -> String {
    let dups: Vec<serde_json::Value> = entries
        .iter()
        .map(|(path, id, kind, preview)| {
            serde_json::json!({"path": path, "id": id, "kind": kind, "preview": preview})
        })
        .collect();
    serde_json::json!({"schema_version": 2, "tool": "paradedup", "duplicates": dups}).to_string()
}

/// Loads a baseline from its text through a file of its own.
fn load_baseline(json: &str) -> Result<paradedup::baseline::Baseline, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "paradedup-fuzz-baseline-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let b = paradedup::baseline::Baseline::load(&path);
    let _ = std::fs::remove_file(&path);
    b.map_err(|e| format!("baseline does not load: {e}"))
}

/// The verdict byte 0 and the documents (`path \x1f text \x1f path \x1f text …`) describe.
fn fuzzed_verdict(opts: u8, fields: &[&str]) -> Result<Verdict, String> {
    let thresholds = Thresholds {
        max_rate: (opts & 1 != 0).then_some(0.0),
        max_blocks: (opts & 2 != 0).then_some(0),
        max_file_rate: (opts & 4 != 0).then_some(0.0),
    };
    let jsonl = opts & 8 != 0;
    let same_file = opts & 64 != 0;
    let docs: Vec<(&str, &str)> = fields
        .chunks(2)
        .take(3)
        .map(|c| (c[0], c.get(1).copied().unwrap_or_default()))
        .collect();
    let results: Vec<DocResult> = docs
        .iter()
        .map(|(_, t)| dedup_text(t, &Options::default()))
        .collect();
    let measure_all = |baseline: Option<&paradedup::baseline::Baseline>| {
        docs.iter()
            .zip(&results)
            .enumerate()
            .map(|(i, ((path, text), result))| {
                let file = if same_file { docs[0].0 } else { path };
                let shown = check::path_as_shown(file);
                let place = DocPlace {
                    file,
                    baseline_path: &shown,
                    record_line: jsonl.then_some(i as u64 + 1),
                    record_id: jsonl.then_some(*path),
                };
                check::measure(&place, text, result, baseline)
            })
            .collect::<Vec<_>>()
    };
    let first = check::verdict(measure_all(None), thresholds, None);
    if opts & 16 == 0 {
        return Ok(first);
    }
    // A baseline that knows every other duplicate, and has a stale entry for the first file
    // whose fields come from the input.
    let mut entries: Vec<(String, String, String, String)> = first
        .duplicates
        .iter()
        .step_by(2)
        .map(|d| {
            (
                d.baseline_path.clone(),
                d.id.clone(),
                d.kind.as_str().to_string(),
                d.preview.clone(),
            )
        })
        .collect();
    if let Some((path, text)) = docs.first() {
        entries.push((
            check::path_as_shown(path),
            format!("stale-{path}"),
            (*path).to_string(),
            (*text).to_string(),
        ));
    }
    let baseline = load_baseline(&baseline_json(&entries))?;
    let display = format!("{}.baseline.json", docs.first().map_or("", |d| d.0));
    Ok(check::verdict(
        measure_all(Some(&baseline)),
        thresholds,
        Some((&display, &baseline)),
    ))
}

/// `s` without ANSI SGR sequences (`ESC [ … m`).
fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// The cells of a Markdown table row, counted by splitting at pipes that are not escaped. With
/// `parity`, a pipe is escaped after an odd number of backslashes (a backslash escapes the
/// next character, CommonMark); without, after any backslash (GFM's table scanner and
/// markdown-it).
fn cells(row: &str, parity: bool) -> usize {
    let inner = row.strip_prefix('|').unwrap_or(row).trim_end();
    let mut count = 1;
    let mut backslashes = 0usize;
    let mut ends_with_pipe = false;
    for c in inner.chars() {
        ends_with_pipe = false;
        if c == '|' {
            let escaped = if parity {
                backslashes % 2 == 1
            } else {
                backslashes > 0
            };
            if !escaped {
                count += 1;
                ends_with_pipe = true;
            }
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
    // A pipe that ends the row closes the last cell.
    if ends_with_pipe {
        count -= 1;
    }
    count
}

fn check_github(text: &str, expected_lines: usize) -> Outcome {
    ensure!(
        !text.contains('\r'),
        "GitHub commands hold a carriage return: {text:?}"
    );
    let lines: Vec<&str> = text.lines().collect();
    ensure!(
        lines.len() == expected_lines,
        "{} GitHub command lines, {expected_lines} expected:\n{text}",
        lines.len()
    );
    for l in lines {
        let rest = ["::warning ", "::notice ", "::error "]
            .iter()
            .find_map(|p| l.strip_prefix(p))
            .ok_or_else(|| format!("not a workflow command: {l:?}"))?;
        let (props, data) = rest
            .split_once("::")
            .ok_or_else(|| format!("no `::` before the message: {l:?}"))?;
        for p in props.split(',') {
            let (k, v) = p
                .split_once('=')
                .ok_or_else(|| format!("property {p:?} without `=` in {l:?}"))?;
            ensure!(
                matches!(k, "file" | "line" | "endLine" | "title"),
                "unknown property {k:?} in {l:?}"
            );
            ensure!(
                !v.contains([':', ',']) && escapes_ok(v, &["25", "0D", "0A", "3A", "2C"]),
                "property {k}={v:?} is not escaped in {l:?}"
            );
        }
        ensure!(
            escapes_ok(data, &["25", "0D", "0A"]),
            "message {data:?} is not escaped"
        );
    }
    Ok(())
}

/// Every `%` in `s` starts one of `escapes`.
fn escapes_ok(s: &str, escapes: &[&str]) -> bool {
    s.match_indices('%')
        .all(|(i, _)| escapes.iter().any(|e| s[i + 1..].starts_with(e)))
}

fn check_markdown(text: &str) -> Outcome {
    let mut header: Option<usize> = None;
    for l in text.lines() {
        ensure!(
            !l.chars().any(char::is_control),
            "Markdown line holds a control character: {l:?}"
        );
        if !l.starts_with('|') {
            header = None;
            continue;
        }
        for parity in [false, true] {
            let n = cells(l, parity);
            match header {
                None => header = Some(n),
                Some(h) => ensure!(
                    n == h,
                    "Markdown row has {n} cells, its table {h} ({}): {l:?}",
                    if parity {
                        "a backslash escapes the next character"
                    } else {
                        "a backslash before a pipe escapes it"
                    }
                ),
            }
        }
    }
    Ok(())
}

fn check_sarif(text: &str, v: &Verdict) -> Outcome {
    let log: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("SARIF does not parse: {e}"))?;
    ensure!(
        log["version"] == "2.1.0",
        "SARIF version {:?}",
        log["version"]
    );
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .ok_or("SARIF without rules")?;
    let results = run["results"].as_array().ok_or("SARIF without results")?;
    let new = v
        .duplicates
        .iter()
        .filter(|d| d.status == Status::New)
        .count();
    ensure!(
        results.len() == new,
        "{} SARIF results for {new} counted duplicates",
        results.len()
    );
    for r in results {
        let i = r["ruleIndex"].as_u64().ok_or("result without ruleIndex")?;
        let rule = usize::try_from(i)
            .ok()
            .and_then(|i| rules.get(i))
            .ok_or("ruleIndex out of range")?;
        ensure!(
            rule["id"] == r["ruleId"],
            "ruleId {} is not rule {i}",
            r["ruleId"]
        );
        let locations = r["locations"].as_array().into_iter().flatten();
        let related = r["relatedLocations"].as_array().into_iter().flatten();
        for loc in locations.chain(related) {
            let p = &loc["physicalLocation"];
            let uri = p["artifactLocation"]["uri"]
                .as_str()
                .ok_or("location without uri")?;
            let path = uri.strip_prefix("file://").unwrap_or(uri);
            ensure!(
                path.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~/%".contains(c))
                    && escapes_hex(path),
                "uri {uri:?} is not percent-encoded"
            );
            let start = p["region"]["startLine"].as_u64().unwrap_or(0);
            let end = p["region"]["endLine"].as_u64().unwrap_or(0);
            ensure!(
                start >= 1 && end >= start,
                "region {start}-{end} in {uri:?}"
            );
        }
    }
    Ok(())
}

/// Every `%` in `s` is followed by two hex digits.
fn escapes_hex(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || b.get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    })
}

/// The reporters of `check` (byte 0 chooses thresholds, JSONL places, a baseline, colour;
/// the rest is `path \x1f text \x1f path \x1f text …`): every writer writes; the human table
/// holds no control character but its colours; JSON and SARIF parse and list the duplicates;
/// GitHub writes one escaped workflow command per line; Markdown table rows keep their column
/// count however a path is spelt.
///
/// # Errors
/// The first invariant broken.
pub fn check_reporters(data: &[u8]) -> Outcome {
    let Some((&opts, rest)) = data.split_first() else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(rest);
    let fields: Vec<String> = text
        .split('\u{1f}')
        .take(6)
        .map(|f| text_of(f.as_bytes(), MAX_REPORT_TEXT))
        .collect();
    let fields: Vec<&str> = fields.iter().map(AsRef::as_ref).collect();
    let v = fuzzed_verdict(opts, &fields)?;
    let color = opts & 32 != 0;
    let io = |what: &str, e: std::io::Error| format!("{what} writer failed: {e}");
    let mut human = Vec::new();
    check::write_human(&v, color, &mut human).map_err(|e| io("human", e))?;
    let mut json = Vec::new();
    check::write_json(&v, &mut json).map_err(|e| io("json", e))?;
    let mut github = Vec::new();
    check::write_github(&v, &mut github).map_err(|e| io("github", e))?;
    let mut markdown = Vec::new();
    check::write_markdown(&v, &mut markdown).map_err(|e| io("markdown", e))?;
    let mut sarif = Vec::new();
    paradedup::check::write_sarif(&v, &mut sarif).map_err(|e| io("sarif", e))?;
    let utf8 = |what: &str, b: Vec<u8>| {
        String::from_utf8(b).map_err(|e| format!("{what} output is not UTF-8: {e}"))
    };
    let human = strip_sgr(&utf8("human", human)?);
    ensure!(
        !human.chars().any(|c| c != '\n' && c.is_control()),
        "the human table holds a control character: {human:?}"
    );
    let json: serde_json::Value = serde_json::from_str(&utf8("json", json)?)
        .map_err(|e| format!("JSON verdict does not parse: {e}"))?;
    ensure!(
        json["passed"] == v.passed
            && json["duplicates"].as_array().map(Vec::len) == Some(v.duplicates.len()),
        "JSON verdict does not match: {json}"
    );
    let stale = v.baseline.as_ref().map_or(0, |b| b.stale.len());
    let new = v
        .duplicates
        .iter()
        .filter(|d| d.status == Status::New)
        .count();
    check_github(&utf8("github", github)?, new + stale + v.failures.len())?;
    check_markdown(&utf8("markdown", markdown)?)?;
    check_sarif(&utf8("sarif", sarif)?, &v)?;
    Ok(())
}
