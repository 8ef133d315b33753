//! Check: per-document results → duplicates with stable ids → a verdict against the thresholds,
//! rendered as a table, JSON, GitHub workflow commands, Markdown and SARIF, one module each.
//!
//! The duplication rate is the share of bytes `clean` would remove. A duplicate *counts* toward
//! the thresholds unless the baseline knows it ([`crate::baseline`]) or an inline marker exempts
//! it ([`MARKER`]). The verdict fails when any threshold given is exceeded: the overall counted
//! rate above `--max-rate`, more counted blocks than `--max-blocks`, or one file's counted rate
//! above `--max-file-rate`. Rendering takes a writer and prints nothing itself.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::baseline::{Baseline, Entry};
use crate::report::{self, DocumentReport, Figures, SCHEMA_VERSION};
use crate::DocResult;
use crate::Kind;
pub use duplicate::{final_ids, Duplicate, Status};
use duplicate::{id_of, span};

/// The inline marker: a line holding it exempts the block it belongs to and, when that block
/// is made only of marker lines (`<!-- paradedup: ignore -->` on a line of its own), the next
/// block. A duplicate is exempt when its own block is exempt, or when every block it repeats is.
pub const MARKER: &str = "paradedup: ignore";

/// The thresholds; each one given is checked, any one exceeded fails the check.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Thresholds {
    /// Highest overall counted rate (share of bytes).
    pub max_rate: Option<f64>,
    /// Most counted duplicate blocks overall.
    pub max_blocks: Option<u64>,
    /// Highest counted rate of any one file.
    pub max_file_rate: Option<f64>,
}

/// One measured document (a text file, or a JSONL record).
#[derive(Debug, Clone)]
pub struct Measured {
    /// The file, as shown.
    pub file: String,
    /// The file as the baseline names it ([`Duplicate::baseline_path`]).
    pub baseline_path: String,
    /// Figures as `clean` reports them (every removal).
    pub figures: Figures,
    /// Its duplicates, in block order; their status may still change (`--write-baseline`).
    pub duplicates: Vec<Duplicate>,
    /// Bytes before the first block, and the blocks (kept only when there are duplicates):
    /// enough to count the bytes of any subset of removals.
    lead_end: usize,
    blocks: Vec<crate::Block>,
}

impl Measured {
    /// Figures of the duplicates that count ([`Status::New`]).
    pub fn counted(&self) -> Figures {
        if self.duplicates.iter().all(|d| d.status == Status::New) {
            return self.figures.clone();
        }
        let mut removed = vec![false; self.blocks.len()];
        let mut cut = 0usize;
        let mut kinds = report::KindCounts::default();
        for d in self.duplicates.iter().filter(|d| d.status == Status::New) {
            match d.cut_bytes {
                Some(bytes) => cut += bytes,
                None => removed[d.block] = true,
            }
            kinds.add(d.kind);
        }
        // What `DocResult::write_to` writes: the lead, each kept block with its separator.
        let kept: Vec<&crate::Block> = self
            .blocks
            .iter()
            .zip(&removed)
            .filter(|(_, r)| !**r)
            .map(|(b, _)| b)
            .collect();
        let mut bytes_out = self.lead_end;
        for (k, b) in kept.iter().enumerate() {
            let sep = paradedup_engine::separator_after(&self.blocks, b, k + 1 == kept.len());
            bytes_out += b.end - b.start + sep.len();
        }
        let bytes_out = (bytes_out - cut) as u64;
        let n = removed.iter().filter(|r| **r).count() as u64;
        Figures {
            blocks_in: self.figures.blocks_in,
            blocks_out: self.figures.blocks_in - n,
            bytes_in: self.figures.bytes_in,
            bytes_out,
            rate: report::rate(self.figures.bytes_in, bytes_out),
            removed_by_kind: kinds,
        }
    }
}

/// Where a document comes from, for ids and locations.
#[derive(Debug, Clone, Copy)]
pub struct DocPlace<'a> {
    /// The file as shown.
    pub file: &'a str,
    /// The file as the baseline names it and ids hash it: relative to the baseline's folder
    /// ([`crate::baseline::Anchor::path_of`]), or [`path_as_shown`] without a baseline.
    pub baseline_path: &'a str,
    /// JSONL: the record's line.
    pub record_line: Option<u64>,
    /// JSONL: the record's id.
    pub record_id: Option<&'a str>,
}

/// True for the lines of `text` that hold [`MARKER`], per block: (block holds a marker, block is
/// only marker lines).
fn markers(text: &str, result: &DocResult) -> Vec<(bool, bool)> {
    result
        .segmented
        .blocks
        .iter()
        .map(|b| {
            let body = &text[b.start..b.end];
            if !body.contains(MARKER) {
                return (false, false);
            }
            let only = body
                .split(['\n', '\r'])
                .filter(|l| !l.trim().is_empty())
                .all(|l| l.contains(MARKER));
            (true, only)
        })
        .collect()
}

/// A file's path as ids and baselines name it without a baseline: as shown, `/` separators,
/// no leading `./`.
pub fn path_as_shown(file: &str) -> String {
    let p = file.replace('\\', "/");
    p.strip_prefix("./").unwrap_or(&p).to_string()
}

/// The path part of an id: the file as the baseline names it, and the record's id in a dump.
/// Never the record's line: a record added above would change every id after it (the ordinal
/// across the file's records tells equal duplicates apart, [`final_ids`]).
fn id_path(place: &DocPlace<'_>) -> String {
    let p = place.baseline_path;
    match place.record_id {
        Some(id) => format!("{p}#{id}"),
        None => p.to_string(),
    }
}

/// `s` without control characters (each becomes `�`): a preview of scraped text must not
/// move the cursor, retitle or clear the terminal or CI log it is printed to.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

fn preview(text: &str) -> String {
    let flat = printable(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    let mut p: String = flat.chars().take(80).collect();
    if p.len() < flat.len() {
        p.push('…');
    }
    p
}

/// Measures one document: its figures, its duplicates with their ids and status, and the
/// figures of the counted ones. `baseline` decides which are known.
pub fn measure(
    place: &DocPlace<'_>,
    text: &str,
    result: &DocResult,
    baseline: Option<&Baseline>,
) -> Measured {
    let rep: DocumentReport = report::document(place.file, text, result);
    let blocks = &result.segmented.blocks;
    let marks = markers(text, result);
    let exempt = |i: usize| marks[i].0 || (i > 0 && marks[i - 1].1);
    let path = id_path(place);
    let mut ordinals: HashMap<u64, u64> = HashMap::new();
    let mut duplicates = Vec::with_capacity(rep.removed.len());
    // The report lists removals and trims by block; each with the blocks that keep its content.
    let kept_of = |removed: &report::RemovedBlock| -> &[usize] {
        if removed.kind == Kind::Trimmed {
            result
                .trims
                .iter()
                .find(|t| t.block == removed.block)
                .map_or(&[], |t| &t.kept)
        } else {
            result
                .removals
                .iter()
                .find(|r| r.block == removed.block)
                .map_or(&[], |r| &r.kept)
        }
    };
    for removed in &rep.removed {
        let r_kept = kept_of(removed);
        let r_block = removed.block;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(path.as_bytes());
        h.update(&[0]);
        // The block's own text only: an edit of the copy it repeats (a typo fixed in the kept
        // paragraph of a near duplicate, in one of the paragraphs holding a teaser) keeps it.
        h.update(&result.keys[r_block].key_hash.to_le_bytes());
        let base = h.digest();
        let n = ordinals.entry(base).or_insert(0);
        let id = id_of(base, *n);
        *n += 1;
        let marked = exempt(r_block) || (!r_kept.is_empty() && r_kept.iter().all(|&k| exempt(k)));
        let status = if marked {
            Status::Ignored
        } else if baseline.is_some_and(|b| b.contains(&id)) {
            Status::Baseline
        } else {
            Status::New
        };
        let b = blocks[r_block];
        duplicates.push(Duplicate {
            block: r_block,
            id,
            base,
            path: place.file.to_string(),
            baseline_path: place.baseline_path.to_string(),
            record_line: place.record_line,
            record_id: place.record_id.map(str::to_string),
            lines: removed.lines,
            kind: removed.kind,
            score: removed.score,
            kept_lines: removed.kept_lines.clone(),
            status,
            preview: match removed.cuts.as_deref() {
                Some([c, ..]) => preview(&text[c[0]..c[1]]),
                _ => preview(&text[b.start..b.end]),
            },
            cut_bytes: removed
                .cuts
                .as_ref()
                .map(|cuts| cuts.iter().map(|c| c[1] - c[0]).sum()),
        });
    }
    let blocks = if duplicates.is_empty() {
        Vec::new()
    } else {
        blocks.to_vec()
    };
    Measured {
        file: place.file.to_string(),
        baseline_path: place.baseline_path.to_string(),
        figures: rep.figures,
        duplicates,
        lead_end: result.segmented.lead_end,
        blocks,
    }
}

/// One row of the check output: a file (a JSONL file sums its records).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileRow {
    /// Path as given.
    pub path: String,
    /// Documents in it (1 for a text file, its records for JSONL).
    pub documents: u64,
    /// Figures of the file, as `clean` reports them.
    #[serde(flatten)]
    pub figures: Figures,
    /// Figures of the duplicates that count (not in the baseline, not marked).
    pub counted: Figures,
}

/// A limit or a measured value: a rate, or a count of blocks (written as a JSON integer).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Amount {
    /// A share, 0..1.
    Rate(f64),
    /// A number of blocks.
    Blocks(u64),
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Amount::Rate(r) => write!(f, "{}", pct(*r)),
            Amount::Blocks(n) => write!(f, "{n}"),
        }
    }
}

/// One of `check`'s thresholds (written as its name in `paradedup.toml`: `max_rate`, ...).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// `--max-rate`: the overall duplication rate.
    MaxRate,
    /// `--max-blocks`: duplicate blocks overall.
    MaxBlocks,
    /// `--max-file-rate`: the duplication rate of any one file.
    MaxFileRate,
}

/// A threshold that was exceeded.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Failure {
    /// Which one.
    pub threshold: Threshold,
    /// The limit given.
    pub limit: Amount,
    /// The value measured.
    pub value: Amount,
    /// The file, for `max_file_rate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Failure {
    /// For people: `overall rate 36.88% is above --max-rate 5.00%`.
    pub fn describe(&self) -> String {
        match self.threshold {
            Threshold::MaxBlocks => format!(
                "{} duplicate blocks are more than --max-blocks {}",
                self.value, self.limit
            ),
            Threshold::MaxFileRate => format!(
                "{}: rate {} is above --max-file-rate {}",
                self.path.as_deref().unwrap_or("-"),
                self.value,
                self.limit
            ),
            Threshold::MaxRate => format!(
                "overall rate {} is above --max-rate {}",
                self.value, self.limit
            ),
        }
    }
}

/// The baseline's part of the verdict.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BaselineSummary {
    /// The baseline file.
    pub path: String,
    /// Duplicates found that the baseline knows (they do not count).
    pub known: u64,
    /// Entries of the baseline no longer found: fixed, or changed (reported, not an error).
    pub stale: Vec<Entry>,
}

/// The outcome of `check`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verdict {
    /// Version of this JSON shape (shared with the clean report).
    pub schema_version: u32,
    /// Always `paradedup`.
    pub tool: &'static str,
    /// `--max-rate`, when given.
    pub max_rate: Option<f64>,
    /// `--max-blocks`, when given.
    pub max_blocks: Option<u64>,
    /// `--max-file-rate`, when given.
    pub max_file_rate: Option<f64>,
    /// True when no threshold is exceeded.
    pub passed: bool,
    /// The thresholds exceeded.
    pub failures: Vec<Failure>,
    /// Number of documents (files, and JSONL records).
    pub documents: u64,
    /// Overall figures, as `clean` reports them.
    pub overall: Figures,
    /// Overall figures of the duplicates that count.
    pub counted: Figures,
    /// Duplicates exempted by an inline marker.
    pub ignored: u64,
    /// The baseline, with `--baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineSummary>,
    /// Files, highest counted rate first (then by path).
    pub files: Vec<FileRow>,
    /// Every duplicate, in input order, with its status.
    pub duplicates: Vec<Duplicate>,
}

/// The exact share of bytes removed (not rounded): 0.00004 is above a maximum of 0.
fn exact_rate(f: &Figures) -> f64 {
    if f.bytes_in == 0 {
        return 0.0;
    }
    #[expect(clippy::cast_precision_loss, reason = "byte counts are far below 2^52")]
    let r = (f.bytes_in - f.bytes_out.min(f.bytes_in)) as f64 / f.bytes_in as f64;
    r
}

fn sum(figs: &[&Figures]) -> Figures {
    figs.iter().copied().sum()
}

fn removed_blocks(f: &Figures) -> u64 {
    f.blocks_in - f.blocks_out.min(f.blocks_in)
}

/// Computes the verdict. Documents of one file (JSONL records) are consecutive and make one row.
/// The ids are numbered across all documents ([`final_ids`]); with a baseline, the status of
/// each duplicate not exempted by a marker is decided again by its final id.
pub fn verdict(
    mut measured: Vec<Measured>,
    thresholds: Thresholds,
    baseline: Option<(&str, &Baseline)>,
) -> Verdict {
    let ids = final_ids(measured.iter().flat_map(|m| &m.duplicates));
    let mut ids = ids.into_iter();
    for d in measured.iter_mut().flat_map(|m| &mut m.duplicates) {
        if let Some(id) = ids.next() {
            d.id = id;
        }
        if let Some((_, b)) = baseline {
            if d.status != Status::Ignored {
                d.status = if b.contains(&d.id) {
                    Status::Baseline
                } else {
                    Status::New
                };
            }
        }
    }
    let documents = measured.len() as u64;
    // Baseline entries of files this run did not check (a hook given only the staged files)
    // are neither found nor stale.
    let checked: BTreeSet<String> = measured.iter().map(|m| m.baseline_path.clone()).collect();
    let mut groups: Vec<(String, u64, Vec<Figures>, Vec<Figures>)> = Vec::new();
    let mut duplicates = Vec::new();
    for m in measured {
        let counted = m.counted();
        match groups.last_mut() {
            Some(g) if g.0 == m.file => {
                g.1 += 1;
                g.2.push(m.figures.clone());
                g.3.push(counted);
            }
            _ => groups.push((m.file.clone(), 1, vec![m.figures.clone()], vec![counted])),
        }
        duplicates.extend(m.duplicates);
    }
    let mut files: Vec<FileRow> = groups
        .into_iter()
        .map(|(path, documents, all, counted)| FileRow {
            path,
            documents,
            figures: sum(&all.iter().collect::<Vec<_>>()),
            counted: sum(&counted.iter().collect::<Vec<_>>()),
        })
        .collect();
    let overall = sum(&files.iter().map(|f| &f.figures).collect::<Vec<_>>());
    let counted = sum(&files.iter().map(|f| &f.counted).collect::<Vec<_>>());
    files.sort_by(|a, b| {
        exact_rate(&b.counted)
            .total_cmp(&exact_rate(&a.counted))
            .then_with(|| a.path.cmp(&b.path))
    });
    let mut failures = Vec::new();
    if let Some(max) = thresholds.max_rate {
        let r = exact_rate(&counted);
        if r > max {
            failures.push(Failure {
                threshold: Threshold::MaxRate,
                limit: Amount::Rate(max),
                value: Amount::Rate(report::round4(r)),
                path: None,
            });
        }
    }
    if let Some(max) = thresholds.max_blocks {
        let n = removed_blocks(&counted);
        if n > max {
            failures.push(Failure {
                threshold: Threshold::MaxBlocks,
                limit: Amount::Blocks(max),
                value: Amount::Blocks(n),
                path: None,
            });
        }
    }
    if let Some(max) = thresholds.max_file_rate {
        for f in &files {
            let r = exact_rate(&f.counted);
            if r > max {
                failures.push(Failure {
                    threshold: Threshold::MaxFileRate,
                    limit: Amount::Rate(max),
                    value: Amount::Rate(report::round4(r)),
                    path: Some(f.path.clone()),
                });
            }
        }
    }
    let baseline = baseline.map(|(path, b)| {
        let found: BTreeSet<&str> = duplicates.iter().map(|d| d.id.as_str()).collect();
        BaselineSummary {
            path: path.to_string(),
            known: duplicates
                .iter()
                .filter(|d| d.status == Status::Baseline)
                .count() as u64,
            stale: b
                .entries()
                .iter()
                .filter(|e| {
                    !found.contains(e.id.as_str()) && checked.contains(&path_as_shown(&e.path))
                })
                .cloned()
                .collect(),
        }
    });
    Verdict {
        schema_version: SCHEMA_VERSION,
        tool: "paradedup",
        max_rate: thresholds.max_rate,
        max_blocks: thresholds.max_blocks,
        max_file_rate: thresholds.max_file_rate,
        passed: failures.is_empty(),
        failures,
        documents,
        overall,
        counted,
        ignored: duplicates
            .iter()
            .filter(|d| d.status == Status::Ignored)
            .count() as u64,
        baseline,
        files,
        duplicates,
    }
}

pub mod duplicate;
mod github;
mod human;
mod json;
mod markdown;
mod sarif;
mod style;

pub use github::write_github;
pub use human::write_human;
pub use json::write_json;
pub use markdown::write_markdown;
pub use sarif::write_sarif;
use style::pct;
