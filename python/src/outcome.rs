//! What `Deduper.clean` returns: the clean text, the blocks, the removals and the trims, as
//! Python objects. Every position is a UTF-8 byte offset of the input (`text.encode()[start:end]`),
//! the unit of the engine and of the command line's JSON report; not a `str` index.
//!
//! [`Outcome::of`] copies what a [`Cleaned`] holds into plain Rust values while the interpreter is
//! released; [`Outcome::into_py`] makes the Python objects afterwards.

use paradedup_engine::Cleaned;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// A byte range `(start, end)` of the input.
type Span = (usize, usize);

/// One removed block.
#[pyclass(module = "paradedup", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct Removal {
    /// Index of the removed block in `Result.blocks`.
    pub block: usize,
    /// UTF-8 byte offset in the input where the removed block starts.
    pub start: usize,
    /// UTF-8 byte offset in the input one past the removed block's last byte (the line break
    /// after it is not part of the block, and goes with it).
    pub end: usize,
    /// Why it went: "exact", "near" or "contained" ("boilerplate" only in corpus scope).
    pub kind: &'static str,
    /// Evidence: the similarity for "exact" and "near", the covered share for "contained".
    pub score: f64,
    /// Indexes in `Result.blocks` of the kept blocks that carry its content, ascending.
    pub kept_blocks: Vec<usize>,
    /// Byte ranges `(start, end)` of the input of those kept blocks: where the content stays.
    pub kept: Vec<Span>,
    /// Why the kept copy stays rather than this one, in the words of `paradedup clean --explain`.
    pub why: &'static str,
}

#[pymethods]
impl Removal {
    fn __repr__(&self) -> String {
        format!(
            "Removal(block={}, start={}, end={}, kind='{}', score={:.3}, kept={:?})",
            self.block, self.start, self.end, self.kind, self.score, self.kept
        )
    }
}

/// A kept block with a repeated part cut out (the rest of the block stays byte for byte).
#[pyclass(module = "paradedup", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct Trim {
    /// Index of the block in `Result.blocks`.
    pub block: usize,
    /// UTF-8 byte offset in the input where the block starts.
    pub start: usize,
    /// UTF-8 byte offset in the input one past the block's last byte.
    pub end: usize,
    /// The byte ranges `(start, end)` of the input cut out of the block, ascending.
    pub cuts: Vec<Span>,
    /// Share of the block's words cut.
    pub score: f64,
    /// Indexes in `Result.blocks` of the kept blocks that carry what was cut (the block itself
    /// when it repeats its own opening).
    pub kept_blocks: Vec<usize>,
    /// Byte ranges `(start, end)` of the input of those kept blocks.
    pub kept: Vec<Span>,
    /// Why the other copy stays rather than the part cut out.
    pub why: &'static str,
}

#[pymethods]
impl Trim {
    fn __repr__(&self) -> String {
        format!(
            "Trim(block={}, start={}, end={}, cuts={:?}, score={:.3})",
            self.block, self.start, self.end, self.cuts, self.score
        )
    }
}

/// The outcome of `Deduper.clean` for one document.
#[pyclass(module = "paradedup", name = "Result", frozen, get_all)]
pub struct PyOutcome {
    /// The clean document: the input without the removed blocks and the cut ranges, every
    /// other byte as it was.
    pub text: Py<PyString>,
    /// The document's blocks (lines or paragraphs) as byte ranges `(start, end)` of the input, in
    /// order; `Removal.block` and `Trim.block` index this list.
    pub blocks: Vec<Span>,
    /// The removed blocks, in document order.
    pub removals: Vec<Removal>,
    /// The kept blocks with a repeated part cut out, in document order.
    pub trims: Vec<Trim>,
}

#[pymethods]
impl PyOutcome {
    /// True when cleaning changed the document.
    #[getter]
    fn changed(&self) -> bool {
        !(self.removals.is_empty() && self.trims.is_empty())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let n = self.text.bind(py).len()?;
        Ok(format!(
            "Result(text=<{n} characters>, blocks={}, removals={}, trims={})",
            self.blocks.len(),
            self.removals.len(),
            self.trims.len()
        ))
    }
}

/// [`PyOutcome`] without Python objects, made while the interpreter is released.
pub struct Outcome {
    text: String,
    blocks: Vec<Span>,
    removals: Vec<Removal>,
    trims: Vec<Trim>,
}

impl Outcome {
    /// Copies what `cleaned` decided.
    pub fn of(cleaned: &Cleaned<'_>) -> Self {
        let blocks: Vec<Span> = cleaned.blocks().iter().map(|b| (b.start, b.end)).collect();
        let spans = |ks: &[usize]| -> Vec<Span> {
            ks.iter().filter_map(|&k| blocks.get(k).copied()).collect()
        };
        let span = |k: usize| blocks.get(k).copied().unwrap_or_default();
        let removals = cleaned
            .removals()
            .iter()
            .map(|r| {
                let (start, end) = span(r.block);
                Removal {
                    block: r.block,
                    start,
                    end,
                    kind: r.kind.as_str(),
                    score: r.score,
                    kept_blocks: r.kept.clone(),
                    kept: spans(&r.kept),
                    why: r.why.as_str(),
                }
            })
            .collect();
        let trims = cleaned
            .trims()
            .iter()
            .map(|t| {
                let (start, end) = span(t.block);
                Trim {
                    block: t.block,
                    start,
                    end,
                    cuts: t.cuts.iter().map(|c| (c.start, c.end)).collect(),
                    score: t.score,
                    kept_blocks: t.kept.clone(),
                    kept: spans(&t.kept),
                    why: t.why.as_str(),
                }
            })
            .collect();
        Outcome {
            text: cleaned.text(),
            blocks,
            removals,
            trims,
        }
    }

    /// The Python object.
    pub fn into_py(self, py: Python<'_>) -> PyOutcome {
        PyOutcome {
            text: PyString::new(py, &self.text).unbind(),
            blocks: self.blocks,
            removals: self.removals,
            trims: self.trims,
        }
    }
}
