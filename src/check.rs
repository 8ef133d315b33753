//! Check: per-document figures → a verdict against `--max-rate`, as a table or JSON.
//!
//! The duplication rate is the share of bytes `clean` would remove. The verdict fails when the
//! overall rate is above the threshold. Rendering takes a writer and prints nothing itself.

use std::io::Write;

use serde::Serialize;

use crate::report::{totals, DocumentReport, Figures, SCHEMA_VERSION};

/// One row of the check output.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileRow {
    /// Path as given.
    pub path: String,
    /// Figures of the file.
    #[serde(flatten)]
    pub figures: Figures,
}

/// The outcome of `check`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verdict {
    /// Version of this JSON shape (shared with the clean report).
    pub schema_version: u32,
    /// The threshold.
    pub max_rate: f64,
    /// True when the overall rate is at most `max_rate`.
    pub passed: bool,
    /// Number of files.
    pub documents: u64,
    /// Overall figures.
    pub overall: Figures,
    /// Files, highest rate first (then by path).
    pub files: Vec<FileRow>,
}

fn exact_rate(f: &Figures) -> f64 {
    if f.bytes_in == 0 {
        return 0.0;
    }
    #[expect(clippy::cast_precision_loss, reason = "byte counts are far below 2^52")]
    let r = (f.bytes_in - f.bytes_out.min(f.bytes_in)) as f64 / f.bytes_in as f64;
    r
}

/// Computes the verdict.
pub fn verdict(docs: &[DocumentReport], max_rate: f64) -> Verdict {
    let t = totals(docs);
    let mut files: Vec<FileRow> = docs
        .iter()
        .map(|d| FileRow {
            path: d.path.clone(),
            figures: d.figures.clone(),
        })
        .collect();
    files.sort_by(|a, b| {
        b.figures
            .rate
            .total_cmp(&a.figures.rate)
            .then_with(|| a.path.cmp(&b.path))
    });
    Verdict {
        schema_version: SCHEMA_VERSION,
        max_rate,
        // The exact share, not the rounded one shown: 0.00004 is above a maximum of 0.
        passed: exact_rate(&t.figures) <= max_rate,
        documents: t.documents,
        overall: t.figures,
        files,
    }
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// Writes the verdict as a table for people.
///
/// # Errors
/// The writer's error.
pub fn write_human<W: Write + ?Sized>(v: &Verdict, out: &mut W) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>8}  {:>12}  {:>12}  {:>9}  path",
        "rate", "removed B", "bytes", "blocks"
    )?;
    for f in &v.files {
        writeln!(
            out,
            "{:>8}  {:>12}  {:>12}  {:>9}  {}",
            pct(f.figures.rate),
            f.figures.bytes_in - f.figures.bytes_out,
            f.figures.bytes_in,
            format!(
                "{}/{}",
                f.figures.blocks_in - f.figures.blocks_out,
                f.figures.blocks_in
            ),
            f.path
        )?;
    }
    let o = &v.overall;
    writeln!(
        out,
        "overall: {} of {} bytes removable ({} blocks of {}: {} exact, {} near, {} contained) in {} files; max rate {}: {}",
        pct(o.rate),
        o.bytes_in,
        o.blocks_in - o.blocks_out,
        o.blocks_in,
        o.removed_by_kind.exact,
        o.removed_by_kind.near,
        o.removed_by_kind.contained,
        v.documents,
        pct(v.max_rate),
        if v.passed { "pass" } else { "FAIL" }
    )
}
