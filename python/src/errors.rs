//! Python exceptions, and the boundary that keeps a panic from reaching Python.
//!
//! The exception classes live in `paradedup/_errors.py` (an exception with two bases, such as
//! `OptionError(ParadedupError, ValueError)`, is one line of Python); they are looked up once.
//! A panic in the engine is caught where the work runs ([`guard`]) and raised as
//! `paradedup.InternalError`, never as PyO3's `PanicException` (a `BaseException` that
//! `except Exception` does not catch).

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// The exception classes of `paradedup._errors`.
#[derive(Debug, Clone, Copy)]
pub enum Class {
    /// A bad option value (also a `ValueError`).
    Option,
    /// Input the engine cannot take (also a `ValueError`).
    Input,
    /// A bug: the engine panicked.
    Internal,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Option => "OptionError",
            Class::Input => "InputError",
            Class::Internal => "InternalError",
        }
    }
}

static CLASSES: [PyOnceLock<Py<PyType>>; 3] =
    [PyOnceLock::new(), PyOnceLock::new(), PyOnceLock::new()];

/// The exception `class` with `message`.
pub fn error(py: Python<'_>, class: Class, message: String) -> PyErr {
    let cell = &CLASSES[class as usize];
    let found = cell.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        let module = py.import("paradedup._errors")?;
        Ok(module
            .getattr(class.name())?
            .cast_into::<PyType>()?
            .unbind())
    });
    match found {
        Ok(t) => PyErr::from_type(t.bind(py).clone(), message),
        // The package is broken (the module is missing): say so, with the original message.
        Err(e) => e,
    }
}

/// What went wrong in work done without the interpreter (no Python objects there).
#[derive(Debug)]
pub enum Failure {
    /// Bad input, with the message.
    Input(String),
    /// A panic, with its message.
    Panic(String),
    /// The thread pool could not start.
    Threads(String),
}

impl Failure {
    /// The Python exception for it.
    pub fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Input(m) => error(py, Class::Input, m),
            Failure::Panic(m) => error(
                py,
                Class::Internal,
                format!("paradedup panicked ({m}): a bug, please report it with the input"),
            ),
            Failure::Threads(m) => error(
                py,
                Class::Internal,
                format!("cannot start the thread pool: {m}"),
            ),
        }
    }
}

/// Runs `f`, turning a panic into [`Failure::Panic`] (`what` names the document).
pub fn guard<T>(what: impl FnOnce() -> String, f: impl FnOnce() -> T) -> Result<T, Failure> {
    catch_unwind(AssertUnwindSafe(f))
        .map_err(|payload| Failure::Panic(format!("{}: {}", what(), panic_message(&*payload))))
}

/// The message a panic was raised with.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "no message"
    }
}
