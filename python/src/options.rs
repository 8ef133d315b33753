//! Cleaning options from Python keyword arguments → engine [`Options`] and a thread count.
//!
//! Names, defaults and messages are the command line's (`src/cli.rs`: `--unit`, `--threshold`,
//! `--metric`, `--keep`, `--whole-blocks`, `-j/--threads`, and the rules of `cli::rules`); the
//! keyword replaces the flag in a message (`threshold 1.5 is outside 0..1`, as the command line
//! says `--threshold 1.5 is outside 0..1`). The rules themselves are the engine's
//! (`paradedup_engine::rules`), shared with the command line.

use paradedup_engine::{rules, Keep, Metric, Options, Unit};

/// Most worker threads per core (the command line's cap: the work is CPU-bound, so more only
/// costs memory and scheduling).
const THREADS_PER_CORE: usize = 4;
/// Fewest threads the cap allows, whatever the core count.
const THREADS_CAP_FLOOR: usize = 16;

/// The accepted names of `unit`, with their engine values.
const UNITS: [(&str, Unit); 3] = [
    ("auto", Unit::Auto),
    ("line", Unit::Line),
    ("paragraph", Unit::Paragraph),
];
/// The accepted names of `metric`.
const METRICS: [(&str, Metric); 3] = [
    ("levenshtein", Metric::Levenshtein),
    ("sorensen-dice", Metric::SorensenDice),
    ("jaro-winkler", Metric::JaroWinkler),
];
/// The accepted names of `keep`.
const KEEPS: [(&str, Keep); 2] = [("body", Keep::Body), ("first", Keep::First)];

/// Validated settings of a `Deduper`.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// What the engine cleans with.
    pub options: Options,
    /// The names as given (for `repr` and pickling).
    pub unit: &'static str,
    /// See [`Settings::unit`].
    pub metric: &'static str,
    /// See [`Settings::unit`].
    pub keep: &'static str,
    /// The thread count as given (`None`: all cores).
    pub threads: Option<usize>,
    /// Threads the pool gets (the request, capped; or all cores).
    pub workers: usize,
}

/// A thread request above the cap, for a warning: (requested, cap, cores).
pub type Capped = Option<(usize, usize, usize)>;

/// Keyword arguments as Python gave them.
pub struct Args<'a> {
    pub unit: &'a str,
    pub threshold: f64,
    pub metric: &'a str,
    pub keep: &'a str,
    pub whole_blocks: bool,
    pub threads: Option<i64>,
}

impl Settings {
    /// Validates `args`; the error is the message for `ValueError`. The second value is set when
    /// the thread request was capped (the caller warns).
    pub fn new(args: &Args<'_>) -> Result<(Self, Capped), String> {
        let (unit, unit_value) = choose("unit", args.unit, &UNITS)?;
        let (metric, metric_value) = choose("metric", args.metric, &METRICS)?;
        let (keep, keep_value) = choose("keep", args.keep, &KEEPS)?;
        let threshold = threshold(args.threshold).map_err(|e| format!("threshold {e}"))?;
        let threads = match args.threads {
            None => None,
            Some(n) => Some(threads(n).map_err(|e| format!("threads {e}"))?),
        };
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let cap = (cores * THREADS_PER_CORE).max(THREADS_CAP_FLOOR);
        let (workers, capped) = match threads {
            Some(n) if n > cap => (cap, Some((n, cap, cores))),
            Some(n) => (n, None),
            None => (cores, None),
        };
        let settings = Settings {
            options: Options {
                unit: unit_value,
                threshold,
                metric: metric_value,
                keep: keep_value,
                trim: !args.whole_blocks,
            },
            unit,
            metric,
            keep,
            threads,
            workers,
        };
        Ok((settings, capped))
    }

    /// True when blocks are never trimmed.
    pub fn whole_blocks(&self) -> bool {
        !self.options.trim
    }
}

/// The message for a capped thread request (the command line's note).
pub fn capped_message((requested, cap, cores): (usize, usize, usize)) -> String {
    format!(
        "threads={requested} is more than {THREADS_PER_CORE} threads per core; using {cap} ({cores} cores)"
    )
}

/// The entry of `table` named `value`, or clap's message for an invalid value.
fn choose<T: Copy>(
    key: &str,
    value: &str,
    table: &[(&'static str, T)],
) -> Result<(&'static str, T), String> {
    table
        .iter()
        .find(|(name, _)| *name == value)
        .copied()
        .ok_or_else(|| {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            format!(
                "invalid value '{value}' for {key} [possible values: {}]",
                names.join(", ")
            )
        })
}

/// The near-duplicate threshold: a number in 0..1 (the engine's rule).
fn threshold(v: f64) -> Result<f64, String> {
    rules::threshold(v)
}

/// Worker threads: at least 1 (the engine's rule; a negative count is below 1 too).
fn threads(n: i64) -> Result<usize, String> {
    rules::threads(usize::try_from(n).unwrap_or(0))
}
