//! One duplicate as `check` reports it and the baseline records it: where it is, what it
//! repeats, its status and its stable id. The baseline reads this module, not the rest of check.

use std::collections::HashMap;

use serde::Serialize;

use crate::Kind;

/// Whether a duplicate counts toward the thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Counts: not in the baseline, not exempted by a marker.
    New,
    /// Known: recorded in the baseline.
    Baseline,
    /// Exempted by an inline marker.
    Ignored,
}

/// One duplicate block: where it is, what it repeats, and its stable id.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Duplicate {
    /// 0-based index of the block in its document.
    #[serde(skip)]
    pub block: usize,
    /// Stable id: a hash of the path ([`Duplicate::baseline_path`], and the record's id in a
    /// dump), the normalized text of
    /// the block (not of the blocks it repeats), and its ordinal among equal duplicates of the
    /// file (never a line number). [`crate::check::measure`] numbers the duplicates of its one document;
    /// [`crate::check::verdict`] and [`crate::baseline::write`] number them across the documents of a file
    /// (the records of a dump), which gives the final ids.
    pub id: String,
    /// The hash of everything in the id but the ordinal.
    #[serde(skip)]
    pub base: u64,
    /// The file, as shown.
    pub path: String,
    /// The file as the baseline names it: relative to the baseline's folder when there is one
    /// ([`crate::baseline::Anchor`]), else as shown without `./`.
    #[serde(skip)]
    pub baseline_path: String,
    /// JSONL: the 1-based line of the record in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_line: Option<u64>,
    /// JSONL: the record's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    /// First and last line of the block (1-based; in the record's text for JSONL).
    pub lines: [usize; 2],
    /// Why it is a duplicate.
    pub kind: Kind,
    /// Similarity (exact, near) or covered share (contained), 4 decimals.
    pub score: f64,
    /// Line ranges of the kept blocks that carry its content.
    pub kept_lines: Vec<[usize; 2]>,
    /// Whether it counts.
    pub status: Status,
    /// The start of the block, for people (not part of the id).
    #[serde(skip)]
    pub preview: String,
    /// For kind `trimmed`: the bytes cut out of the block (which stays).
    #[serde(skip)]
    pub cut_bytes: Option<usize>,
}

impl Duplicate {
    /// The file line to point at: the block's first line, or the record's line for JSONL.
    pub fn line(&self) -> usize {
        match self.record_line {
            Some(l) => usize::try_from(l).unwrap_or(usize::MAX),
            None => self.lines[0],
        }
    }

    /// The last file line of the block (the record's line for JSONL).
    pub fn end_line(&self) -> usize {
        match self.record_line {
            Some(_) => self.line(),
            None => self.lines[1],
        }
    }

    /// File lines of the kept copies (the record's line for JSONL, once).
    pub fn kept_file_lines(&self) -> Vec<[usize; 2]> {
        match self.record_line {
            Some(_) => vec![[self.line(), self.line()]],
            None => self.kept_lines.clone(),
        }
    }

    /// `path:line`, or `path:record-line` for JSONL.
    pub fn location(&self) -> String {
        format!("{}:{}", self.path, self.line())
    }

    /// Where its content stays, for messages: `line 6, 7-9` (in the record's text for JSONL).
    pub fn kept_text(&self) -> String {
        let kept: Vec<String> = self.kept_lines.iter().map(|r| span(*r)).collect();
        if kept.is_empty() {
            return "an earlier block".to_string();
        }
        let what = if kept.len() == 1 && !kept[0].contains('-') {
            "line"
        } else {
            "lines"
        };
        format!("{what} {}", kept.join(", "))
    }

    /// One sentence: `contained block (score 1.000) repeats line 6, 7 of the same file`.
    pub fn message(&self) -> String {
        let within = match self.record_line {
            Some(_) => format!(
                "line {} of the record's text repeats {} of the same record",
                span(self.lines),
                self.kept_text()
            ),
            None => format!("repeats {} of the same file", self.kept_text()),
        };
        format!(
            "{} duplicate (score {:.3}): {within}",
            self.kind.as_str(),
            self.score
        )
    }
}

pub(super) fn span(r: [usize; 2]) -> String {
    if r[0] == r[1] {
        r[0].to_string()
    } else {
        format!("{}-{}", r[0], r[1])
    }
}

/// The id of the `ordinal`-th duplicate with this `base`.
pub(super) fn id_of(base: u64, ordinal: u64) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&base.to_le_bytes());
    h.update(&ordinal.to_le_bytes());
    format!("{:016x}", h.digest())
}

/// The final ids of duplicates given in input order: equal bases are numbered in order across
/// all of them, so equal duplicates in several records of one dump get distinct ids.
pub fn final_ids<'a>(duplicates: impl IntoIterator<Item = &'a Duplicate>) -> Vec<String> {
    let mut ordinals: HashMap<u64, u64> = HashMap::new();
    duplicates
        .into_iter()
        .map(|d| {
            let n = ordinals.entry(d.base).or_insert(0);
            let id = id_of(d.base, *n);
            *n += 1;
            id
        })
        .collect()
}
