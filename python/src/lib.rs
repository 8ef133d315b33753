//! `paradedup._paradedup`: the native half of the Python package `paradedup`, on the engine crate
//! (`paradedup-engine`) alone.
//!
//! The Python half (`python/paradedup/`) re-exports [`PyDeduper`] and the result classes, adds
//! the module-level functions, the exception classes (`_errors.py`) and the pyarrow glue
//! (`_arrow.py`, imported only when a pyarrow array is passed). Modules to come (`paradedup.ray`,
//! a datatrove step) build on `Deduper.clean_batch` from Python.
//!
//! Every call runs the engine without the interpreter (`Python::detach`, formerly
//! `allow_threads`), on a rayon pool of `threads` threads ([`pool`]); a panic is caught there
//! ([`errors::guard`]) and raised as `paradedup.InternalError`.

use paradedup_engine::{Deduper, DEFAULT_THRESHOLD};
use pyo3::exceptions::{PyRuntimeWarning, PyTypeError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

mod batch;
mod errors;
mod options;
mod outcome;
mod pool;

use errors::{guard, Class, Failure};
use options::{Args, Settings};
use outcome::{Outcome, PyOutcome, Removal, Trim};

/// Removes duplicate, near-duplicate and contained paragraphs from documents, with one set of
/// options (those of `paradedup clean`, with the same names and defaults).
///
/// Deduper(*, unit="auto", threshold=0.85, metric="levenshtein", keep="body",
/// whole_blocks=False, threads=None)
///
/// unit: "auto", "line" or "paragraph": how a document is cut into blocks.
/// threshold: least similarity (0..1) for a near duplicate, as `metric` measures it.
/// metric: "levenshtein", "sorensen-dice" or "jaro-winkler".
/// keep: "body" (the copy in the article body stays) or "first" (the first copy stays).
/// whole_blocks: remove whole blocks only, never cut the repeated part out of a block.
/// threads: worker threads (None: all cores). The output does not depend on it.
///
/// Raises OptionError (a ValueError) for a bad value, with the command line's message.
/// A Deduper holds no state between calls: it can be shared by threads and pickled.
#[pyclass(module = "paradedup", name = "Deduper", frozen)]
struct PyDeduper {
    settings: Settings,
    engine: Deduper,
}

#[pymethods]
impl PyDeduper {
    #[new]
    #[pyo3(signature = (
        *,
        unit = "auto",
        threshold = DEFAULT_THRESHOLD,
        metric = "levenshtein",
        keep = "body",
        whole_blocks = false,
        threads = None,
    ))]
    fn new(
        py: Python<'_>,
        unit: &str,
        threshold: f64,
        metric: &str,
        keep: &str,
        whole_blocks: bool,
        threads: Option<i64>,
    ) -> PyResult<Self> {
        let args = Args {
            unit,
            threshold,
            metric,
            keep,
            whole_blocks,
            threads,
        };
        let (settings, capped) =
            Settings::new(&args).map_err(|m| errors::error(py, Class::Option, m))?;
        if let Some(c) = capped {
            let message = std::ffi::CString::new(options::capped_message(c)).unwrap_or_default();
            PyErr::warn(py, &py.get_type::<PyRuntimeWarning>(), &message, 1)?;
        }
        Ok(PyDeduper {
            engine: Deduper::new(settings.options),
            settings,
        })
    }

    /// How documents are cut into blocks: "auto", "line" or "paragraph".
    #[getter]
    fn unit(&self) -> &'static str {
        self.settings.unit
    }

    /// Least similarity for a near duplicate.
    #[getter]
    fn threshold(&self) -> f64 {
        self.settings.options.threshold
    }

    /// The similarity measure for near duplicates.
    #[getter]
    fn metric(&self) -> &'static str {
        self.settings.metric
    }

    /// Which copy of a content stays: "body" or "first".
    #[getter]
    fn keep(&self) -> &'static str {
        self.settings.keep
    }

    /// True when only whole blocks go (no block is trimmed).
    #[getter]
    fn whole_blocks(&self) -> bool {
        self.settings.whole_blocks()
    }

    /// The thread count asked for (None: all cores).
    #[getter]
    fn threads(&self) -> Option<usize> {
        self.settings.threads
    }

    /// Cleans one document.
    ///
    /// Returns a Result: `.text` (the clean document), `.removals` and `.trims` (positions are
    /// UTF-8 byte offsets of `text`: `text.encode()[r.start:r.end]` is the removed block).
    /// The clean text is byte for byte what `paradedup clean` writes for this document.
    fn clean(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<PyOutcome> {
        let text = document(text, || "text".into())?;
        let outcome = self
            .run(py, || {
                guard(
                    || "the document".into(),
                    || Outcome::of(&self.engine.clean(&text)),
                )
            })
            .map_err(|f| f.into_py(py))?;
        Ok(outcome.into_py(py))
    }

    /// Cleans one document and returns the clean text only (`clean(text).text`, without the
    /// removals).
    fn clean_text(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<String> {
        let text = document(text, || "text".into())?;
        self.run(py, || {
            guard(|| "the document".into(), || self.engine.clean(&text).text())
        })
        .map_err(|f| f.into_py(py))
    }

    /// Cleans many documents in parallel (on `threads` threads, without the GIL) and returns
    /// their clean texts in input order, each the text `clean` gives for it.
    ///
    /// texts: a list (or tuple, or any iterable) of str, or a pyarrow StringArray,
    /// LargeStringArray or ChunkedArray of either; a pyarrow input gives a pyarrow array of the
    /// same type back (nulls stay null), read and written through its buffers, without a Python
    /// str per document.
    fn clean_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if is_pyarrow(texts)? {
            return self.clean_pyarrow(py, texts);
        }
        let docs = strings(texts)?;
        let clean = self
            .run(py, || batch::clean_texts(&self.engine, &docs))
            .map_err(|f| f.into_py(py))?;
        Ok(PyList::new(py, clean)?.into_any())
    }

    fn __repr__(&self) -> String {
        let s = &self.settings;
        let threads = s.threads.map_or("None".to_string(), |n| n.to_string());
        format!(
            "Deduper(unit='{}', threshold={}, metric='{}', keep='{}', whole_blocks={}, threads={threads})",
            s.unit,
            py_float(s.options.threshold),
            s.metric,
            s.keep,
            if s.whole_blocks() { "True" } else { "False" },
        )
    }

    /// Pickling (multiprocessing, Ray): a Deduper is its options.
    fn __getnewargs_ex__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let s = &self.settings;
        let kwargs = PyDict::new(py);
        kwargs.set_item("unit", s.unit)?;
        kwargs.set_item("threshold", s.options.threshold)?;
        kwargs.set_item("metric", s.metric)?;
        kwargs.set_item("keep", s.keep)?;
        kwargs.set_item("whole_blocks", s.whole_blocks())?;
        kwargs.set_item("threads", s.threads)?;
        Ok((PyTuple::empty(py), kwargs))
    }
}

impl PyDeduper {
    /// Runs `work` on this deduper's pool, with the interpreter released.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        work: impl FnOnce() -> Result<T, Failure> + Send,
    ) -> Result<T, Failure> {
        py.detach(|| {
            let pool =
                pool::pool(self.settings.workers).map_err(|e| Failure::Threads(e.to_string()))?;
            pool.install(work)
        })
    }

    /// `clean_batch` on a pyarrow array (see `paradedup/_arrow.py`).
    fn clean_pyarrow<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let arrow = py.import("paradedup._arrow")?;
        let (large, parts): (bool, Vec<ChunkParts>) =
            arrow.call_method1("split", (array,))?.extract()?;
        let chunks: Vec<batch::Chunk> = parts
            .into_iter()
            .map(
                |(offsets, data, validity, bit_offset, length)| batch::Chunk {
                    offsets,
                    data,
                    validity,
                    bit_offset,
                    length,
                },
            )
            .collect();
        let out = self
            .run(py, || batch::clean_arrow(&self.engine, &chunks, large))
            .map_err(|f| f.into_py(py))?;
        let out: Vec<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> = out
            .into_iter()
            .map(|c| (PyBytes::new(py, &c.offsets), PyBytes::new(py, &c.data)))
            .collect();
        arrow.call_method1("join", (array, out))
    }
}

/// One chunk as `paradedup._arrow.split` gives it: offsets, data, validity, bit offset, length.
type ChunkParts = (
    PyBackedBytes,
    PyBackedBytes,
    Option<PyBackedBytes>,
    usize,
    usize,
);

/// True for a pyarrow object (checked by module name, so pyarrow is imported only when given).
fn is_pyarrow(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let module = obj.get_type().getattr("__module__")?;
    Ok(module
        .cast::<PyString>()
        .is_ok_and(|m| m.to_cow().is_ok_and(|m| m.starts_with("pyarrow"))))
}

/// The documents of a list, a tuple or another iterable of str.
fn strings(texts: &Bound<'_, PyAny>) -> PyResult<Vec<PyBackedStr>> {
    if texts.is_instance_of::<PyString>() || texts.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "clean_batch takes a list of str (for one document, call clean)",
        ));
    }
    let mut docs = Vec::with_capacity(texts.len().unwrap_or(0));
    for (i, item) in texts.try_iter()?.enumerate() {
        docs.push(document(&item?, || format!("texts[{i}]"))?);
    }
    Ok(docs)
}

/// The UTF-8 text of a document (`what` names it in errors): a `TypeError` when it is not a
/// `str`, an `InputError` when it cannot be UTF-8 (a lone surrogate, `"\\ud800"`).
fn document(obj: &Bound<'_, PyAny>, what: impl Fn() -> String) -> PyResult<PyBackedStr> {
    if !obj.is_instance_of::<PyString>() {
        let type_name = obj
            .get_type()
            .name()
            .map_or_else(|_| "?".to_string(), |n| n.to_string());
        return Err(PyTypeError::new_err(format!(
            "{} is {type_name}, not str",
            what()
        )));
    }
    obj.extract::<PyBackedStr>().map_err(|e| {
        errors::error(
            obj.py(),
            Class::Input,
            format!("{} is not valid UTF-8: {e}", what()),
        )
    })
}

/// `v` as Python's `repr` writes a float (`0.85`, `1.0`).
fn py_float(v: f64) -> String {
    let s = v.to_string();
    if s.contains(['.', 'e', 'N', 'i']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// The native module.
#[pymodule]
fn _paradedup(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDeduper>()?;
    m.add_class::<PyOutcome>()?;
    m.add_class::<Removal>()?;
    m.add_class::<Trim>()?;
    m.add("DEFAULT_THRESHOLD", DEFAULT_THRESHOLD)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
