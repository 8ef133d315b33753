//! Report: the outcome of a run → versioned JSON (`schema_version` 1).
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "tool": "paradedup",
//!   "options": { "unit": "auto", "threshold": 0.85, "metric": "levenshtein", "keep": "body" },
//!   "totals": { "documents": 1, "blocks_in": 18, "blocks_out": 17, "bytes_in": 3362,
//!               "bytes_out": 2122, "rate": 0.3688,
//!               "removed_by_kind": { "exact": 0, "near": 0, "contained": 1,
//!                                    "boilerplate": 0 } },
//!   "documents": [ { "path": "seed.txt", "unit": "line", "blocks_in": 18, "blocks_out": 17,
//!     "bytes_in": 3362, "bytes_out": 2122, "rate": 0.3688,
//!     "removed_by_kind": { "exact": 0, "near": 0, "contained": 1, "boilerplate": 0 },
//!     "removed": [ { "block": 3, "lines": [4, 4], "bytes": [279, 1518], "kind": "contained",
//!                    "score": 1.0, "kept_lines": [[6, 6], [7, 7]], "why": "carried" } ] } ]
//! }
//! ```
//! Lines are 1-based and inclusive; byte spans are 0-based, end exclusive, of the block without
//! its separator; a block of kind `trimmed` stays, less the byte spans in its `cuts`; `block` is the 0-based block index; `rate` = 1 − bytes_out / bytes_in, rounded
//! to 4 decimals, like `score`. Adding a field is compatible; renaming or removing one bumps
//! `schema_version`.

use serde::Serialize;

use crate::{DocResult, Options};
use crate::{Kind, Unit};

/// Version of the report schema.
pub const SCHEMA_VERSION: u32 = 1;

/// Options as recorded in the report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportOptions {
    /// Requested unit.
    pub unit: Unit,
    /// Near threshold.
    pub threshold: f64,
    /// Near similarity measure.
    pub metric: crate::Metric,
    /// Which copy stays.
    pub keep: crate::Keep,
    /// Repeated parts are cut out of blocks that also hold something unique (false with
    /// `--whole-blocks`).
    pub trim: bool,
}

/// Counts of removed blocks per kind.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct KindCounts {
    /// Exact copies.
    pub exact: u64,
    /// Near copies.
    pub near: u64,
    /// Contained blocks.
    pub contained: u64,
    /// Short blocks repeated across many documents (corpus scope).
    pub boilerplate: u64,
    /// Kept blocks with a repeated part cut out (counted apart: the block stays).
    pub trimmed: u64,
}

impl KindCounts {
    /// Counts one removal.
    pub fn add(&mut self, kind: Kind) {
        match kind {
            Kind::Exact => self.exact += 1,
            Kind::Near => self.near += 1,
            Kind::Contained => self.contained += 1,
            Kind::Boilerplate => self.boilerplate += 1,
            Kind::Trimmed => self.trimmed += 1,
        }
    }
    fn merge(&mut self, o: &KindCounts) {
        self.exact += o.exact;
        self.near += o.near;
        self.contained += o.contained;
        self.boilerplate += o.boilerplate;
        self.trimmed += o.trimmed;
    }
}

/// Figures of a document or of the whole run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Figures {
    /// Blocks read.
    pub blocks_in: u64,
    /// Blocks written.
    pub blocks_out: u64,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Share of bytes removed.
    pub rate: f64,
    /// Removed blocks per kind.
    pub removed_by_kind: KindCounts,
}

impl Figures {
    /// The figures of one cleaned document: `bytes_out` is the size of the clean document.
    pub fn of(text: &str, result: &DocResult, bytes_out: u64) -> Figures {
        let blocks = result.segmented.blocks.len() as u64;
        let mut removed_by_kind = KindCounts::default();
        for r in &result.removals {
            removed_by_kind.add(r.kind);
        }
        for _ in &result.trims {
            removed_by_kind.add(Kind::Trimmed);
        }
        let bytes_in = text.len() as u64;
        Figures {
            blocks_in: blocks,
            blocks_out: blocks - result.removals.len() as u64,
            bytes_in,
            bytes_out,
            rate: rate(bytes_in, bytes_out),
            removed_by_kind,
        }
    }
}

impl std::ops::AddAssign<&Figures> for Figures {
    /// Adds another set of figures; the rate is that of the sums.
    fn add_assign(&mut self, o: &Figures) {
        self.blocks_in += o.blocks_in;
        self.blocks_out += o.blocks_out;
        self.bytes_in += o.bytes_in;
        self.bytes_out += o.bytes_out;
        self.removed_by_kind.merge(&o.removed_by_kind);
        self.rate = rate(self.bytes_in, self.bytes_out);
    }
}

impl<'a> std::iter::Sum<&'a Figures> for Figures {
    fn sum<I: Iterator<Item = &'a Figures>>(figures: I) -> Figures {
        figures.fold(Figures::default(), |mut sum, f| {
            sum += f;
            sum
        })
    }
}

/// One removed block.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RemovedBlock {
    /// 0-based block index.
    pub block: usize,
    /// First and last line, 1-based, inclusive.
    pub lines: [usize; 2],
    /// Byte span, end exclusive.
    pub bytes: [usize; 2],
    /// Why it went.
    pub kind: Kind,
    /// Similarity (exact, near) or covered share (contained).
    pub score: f64,
    /// Line ranges of the kept blocks that carry its content.
    pub kept_lines: Vec<[usize; 2]>,
    /// Corpus scope: the earlier document (0-based ordinal in input order) that keeps it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_in_document: Option<u64>,
    /// Why the kept copy stays rather than this one (`in-body`, `nearer-article`, `earlier`,
    /// `fuller`, `carried`, ...).
    pub why: crate::Why,
    /// For kind `trimmed`: the byte spans cut out of the block (0-based, end exclusive, of the
    /// document); the rest of the block stays.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cuts: Option<Vec<[usize; 2]>>,
}

/// One document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocumentReport {
    /// Path as given (`-` for standard input); for a JSONL record, `path:line`.
    pub path: String,
    /// The record's id (JSONL, `--id-field`), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Unit applied.
    pub unit: Unit,
    /// Figures.
    #[serde(flatten)]
    pub figures: Figures,
    /// Removed blocks, in input order.
    pub removed: Vec<RemovedBlock>,
}

/// Totals over the run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Totals {
    /// Documents processed.
    pub documents: u64,
    /// Summed figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `paradedup`.
    pub tool: &'static str,
    /// Options used.
    pub options: ReportOptions,
    /// Totals.
    pub totals: Totals,
    /// Per document, in input order.
    pub documents: Vec<DocumentReport>,
}

/// Rounds to 4 decimals so reports are stable and readable.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Share of bytes removed.
pub fn rate(bytes_in: u64, bytes_out: u64) -> f64 {
    if bytes_in == 0 {
        return 0.0;
    }
    #[expect(clippy::cast_precision_loss, reason = "byte counts are far below 2^52")]
    let r = (bytes_in - bytes_out.min(bytes_in)) as f64 / bytes_in as f64;
    round4(r)
}

/// Builds the report of one document.
pub fn document(path: &str, text: &str, result: &DocResult) -> DocumentReport {
    let blocks = &result.segmented.blocks;
    let lines_of = |k: &[usize]| -> Vec<[usize; 2]> {
        k.iter()
            .map(|&k| [blocks[k].first_line, blocks[k].last_line])
            .collect()
    };
    let mut removed: Vec<RemovedBlock> = result
        .removals
        .iter()
        .map(|r| {
            let b = blocks[r.block];
            RemovedBlock {
                block: r.block,
                lines: [b.first_line, b.last_line],
                bytes: [b.start, b.end],
                kind: r.kind,
                score: round4(r.score),
                kept_lines: lines_of(&r.kept),
                kept_in_document: r.kept_in_document,
                why: r.why,
                cuts: None,
            }
        })
        .collect();
    for t in &result.trims {
        let b = blocks[t.block];
        removed.push(RemovedBlock {
            block: t.block,
            lines: [b.first_line, b.last_line],
            bytes: [b.start, b.end],
            kind: Kind::Trimmed,
            score: round4(t.score),
            kept_lines: lines_of(&t.kept),
            kept_in_document: None,
            why: t.why,
            cuts: Some(t.cuts.iter().map(|c| [c.start, c.end]).collect()),
        });
    }
    removed.sort_by_key(|r| r.block);
    DocumentReport {
        path: path.to_string(),
        id: None,
        unit: result.segmented.unit,
        figures: Figures::of(text, result, result.bytes_out() as u64),
        removed,
    }
}

/// Sums document figures.
pub fn totals(docs: &[DocumentReport]) -> Totals {
    Totals {
        documents: docs.len() as u64,
        figures: docs.iter().map(|d| &d.figures).sum(),
    }
}

/// Builds the whole report.
pub fn report(options: &Options, documents: Vec<DocumentReport>) -> Report {
    let totals = totals(&documents);
    report_with_totals(options, documents, totals)
}

/// Builds the report when the documents listed are not all the documents read (JSONL lists
/// only the records with removals; `totals` counts every record).
pub fn report_with_totals(
    options: &Options,
    documents: Vec<DocumentReport>,
    totals: Totals,
) -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        tool: "paradedup",
        options: ReportOptions {
            unit: options.unit,
            threshold: options.threshold,
            metric: options.metric,
            keep: options.keep,
            trim: options.trim,
        },
        totals,
        documents,
    }
}
