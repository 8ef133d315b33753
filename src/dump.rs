//! Dumps: JSONL shards (plain, gzip or zstd; files or standard input) → cleaned shards, streamed.
//!
//! Records are read in batches, cleaned in parallel (document scope), then passed in input order
//! through the corpus index (corpus scope) and written in input order, one per line, so memory
//! in document scope does not grow with the size of the dump and the output does not depend on
//! the thread count. A record whose text is unchanged is written back byte for byte. Lines that
//! are not records (blank lines) pass through. Nothing is dropped: records out = records in.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::compress::{open, Compression, Sink};
use crate::error::{Error, Result};
use crate::jsonl::{self, Slot, Splice};
use crate::read::{Input, Source};
use crate::report::{self, DocumentReport};
use crate::CorpusIndex;
use crate::{dedup_text, DocResult, Options};

/// True when a path names a JSONL file (`.jsonl`, `.ndjson`, possibly a compression extension
/// after it: `.gz`, `.zst`, see [`crate::compress::split_name`]).
pub fn is_jsonl_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let stem = crate::compress::plain_name(&name);
    stem.ends_with(".jsonl") || stem.ends_with(".ndjson")
}

/// What to do with a record that cannot be read (`--on-error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnError {
    /// Stop with exit 2.
    Fail,
    /// Pass the line through and count it.
    Skip,
}

/// Whether and how figures are added to records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Annotate {
    /// Records get no extra field.
    No,
    /// Records get a `paradedup` field with their figures, and their text cleaned.
    Add,
    /// Records get the field; the text is left as it is (a dry run).
    Only,
}

/// Deduplication scope (`--scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// Inside each document.
    Document,
    /// Also across the documents of the run.
    Corpus,
}

/// Settings of a dump run.
#[derive(Debug, Clone)]
pub struct DumpConfig {
    /// Dotted path of the text field.
    pub field: Vec<String>,
    /// Dotted path of the id field.
    pub id_field: Vec<String>,
    /// Figures in records.
    pub annotate: Annotate,
    /// Replace invalid UTF-8 in a line with U+FFFD instead of failing.
    pub lossy: bool,
    /// Bad records.
    pub on_error: OnError,
}

/// Where one shard's output goes.
pub enum Target {
    /// Standard output (never compressed).
    Stdout,
    /// A file, written through a temporary file and renamed when complete, compressed as its
    /// name says.
    File(PathBuf),
    /// The input file itself (`--in-place`), written like [`Target::File`] but compressed as
    /// it was read (a gzip `dump.jsonl` stays gzip).
    Input(PathBuf),
}

/// Figures of a run, for the summary line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Records read.
    pub documents: u64,
    /// Lines passed through unchanged because they could not be read (`--on-error skip`).
    pub skipped: u64,
    /// The records' figures, summed.
    pub figures: report::Figures,
}

impl Summary {
    /// Adds one document's figures.
    pub fn add(&mut self, text: &str, result: &DocResult, bytes_out: usize) {
        self.documents += 1;
        self.figures += &report::Figures::of(text, result, bytes_out as u64);
    }

    /// The run's totals, as the report gives them.
    pub fn totals(&self) -> report::Totals {
        report::Totals {
            documents: self.documents,
            figures: self.figures.clone(),
        }
    }

    /// The summary line.
    pub fn line(&self, elapsed: std::time::Duration) -> String {
        let f = &self.figures;
        let k = &f.removed_by_kind;
        let removed = k.exact + k.near + k.contained + k.boilerplate;
        let secs = elapsed.as_secs_f64();
        #[expect(clippy::cast_precision_loss, reason = "byte counts are far below 2^52")]
        let mb = |b: u64| b as f64 / 1e6;
        let mut s = format!(
            "paradedup: {} documents, {} of {} blocks removed ({} exact, {} near, {} contained, {} boilerplate), {:.1} MB -> {:.1} MB, duplication rate {:.2}%, {:.1} s ({:.1} MB/s)",
            self.documents,
            removed,
            f.blocks_in,
            k.exact,
            k.near,
            k.contained,
            k.boilerplate,
            mb(f.bytes_in),
            mb(f.bytes_out),
            f.rate * 100.0,
            secs,
            if secs > 0.0 { mb(f.bytes_in) / secs } else { 0.0 },
        );
        if self.skipped > 0 {
            s.push_str(&format!(
                ", {} unreadable lines passed through",
                self.skipped
            ));
        }
        s
    }
}

/// One line of input.
struct Line {
    number: u64,
    bytes: Vec<u8>,
}

/// A line after the parallel step.
enum Parsed {
    /// Not a record (blank line): passes through.
    Blank,
    /// A record and its cleaned text.
    Record {
        /// Where the text field's value lies in the line (or in `lossy`).
        span: std::ops::Range<usize>,
        /// Where the annotation goes.
        slot: Slot,
        /// The line with invalid UTF-8 replaced, when `--lossy` had to: the record is written
        /// from it.
        lossy: Option<String>,
        text: String,
        id: Option<String>,
        result: Box<DocResult>,
        /// The record as written, once [`finish`] has run.
        out: Option<Finished>,
    },
    /// Cannot be used.
    Bad(String),
}

/// A record ready to be written.
struct Finished {
    /// The new line; `None` writes the input line unchanged.
    line: Option<Vec<u8>>,
    /// Bytes of the clean text.
    bytes_out: usize,
    /// The text field could not be set (a message for the error).
    error: Option<String>,
}

fn parse_line(line: &Line, cfg: &DumpConfig, options: &Options) -> Parsed {
    let s: std::borrow::Cow<'_, str> = match crate::read::utf8(&line.bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) if cfg.lossy => String::from_utf8_lossy(&line.bytes),
        Err(e) => {
            return Parsed::Bad(format!(
            "invalid UTF-8 at byte offset {} of the line (use --lossy to replace invalid bytes)",
            e.valid_up_to()
        ))
        }
    };
    // A BOM before the first record is no part of it (it passes through with the line).
    let unmarked = s.trim_start_matches('\u{feff}');
    let base = s.len() - unmarked.len();
    let body = unmarked.trim_end_matches(['\n', '\r']);
    if body.trim().is_empty() {
        return Parsed::Blank;
    }
    let record = match jsonl::parse(body) {
        Ok(r) => r,
        Err(e) => return Parsed::Bad(e.to_string()),
    };
    let (text, span) = match record.text(&cfg.field, cfg.lossy) {
        Ok(t) => t,
        Err(e) => return Parsed::Bad(e.to_string()),
    };
    let id = record.id(&cfg.id_field);
    // The annotation's place matters only when records are annotated.
    let slot = match record.slot(ANNOTATION) {
        Ok(Slot::Value(r)) => Slot::Value(r.start + base..r.end + base),
        Ok(Slot::Append(at)) => Slot::Append(at + base),
        Err(e) if cfg.annotate != Annotate::No => return Parsed::Bad(e.to_string()),
        Err(_) => Slot::Append(base),
    };
    let span = span.start + base..span.end + base;
    let lossy = match s {
        std::borrow::Cow::Owned(s) => Some(s),
        std::borrow::Cow::Borrowed(_) => None,
    };
    let result = Box::new(dedup_text(&text, options));
    Parsed::Record {
        span,
        slot,
        lossy,
        text,
        id,
        result,
        out: None,
    }
}

/// The field `--annotate` writes.
pub const ANNOTATION: &str = "paradedup";

/// Figures added to an annotated record.
#[derive(Serialize)]
struct Annotation {
    blocks_removed: usize,
    /// Blocks that stay with a repeated part cut out.
    blocks_trimmed: usize,
    bytes_removed: usize,
    rate: f64,
}

/// Records per batch, and bytes per batch: what is held in memory at once. Three batches are
/// alive at a time (read, cleaned, written), so small batches keep the memory small; memory
/// touched for the first time is expensive (on a 2-core virtual machine, 4096 records per batch
/// spent about a tenth of the run zeroing new pages: `bench/dump.sh`, 132 MB → 32 MB peak).
const BATCH_RECORDS: usize = 512;
const BATCH_BYTES: usize = 8 << 20;

/// Everything a run shares across shards.
pub struct Run<'a> {
    /// Settings.
    pub cfg: &'a DumpConfig,
    /// Matching options.
    pub options: &'a Options,
    /// The corpus index, in corpus scope.
    pub corpus: Option<&'a mut CorpusIndex>,
    /// Figures so far.
    pub summary: &'a mut Summary,
    /// Reports of the records with removals, when a report was asked for.
    pub reports: Option<&'a mut Vec<DocumentReport>>,
    /// Raw bytes read so far (progress bar).
    pub progress: Arc<AtomicU64>,
    /// Documents seen so far (progress bar).
    pub done: Arc<AtomicU64>,
    /// Pool for the parallel steps.
    pub pool: &'a rayon::ThreadPool,
}

/// Cleans one shard from `input` into `out`.
///
/// # Errors
/// Unreadable input, a bad record with [`OnError::Fail`], a write error, or the corpus index
/// over its memory limit.
pub fn clean_shard(
    run: &mut Run<'_>,
    input: &Input,
    target: &Target,
    stdout: &mut dyn Write,
) -> Result<()> {
    let shown = input.display();
    let (mut reader, read_as) = open(input, run.progress.clone())?;
    let (p, kind, rewrite) = match target {
        Target::Stdout => {
            let mut sink = Sink::new(Box::new(&mut *stdout), Compression::None)
                .map_err(|e| Error::io("-", e))?;
            stream(run, &shown, &mut reader, &mut sink, "-")?;
            return sink.finish().map_err(|e| Error::io("-", e));
        }
        Target::File(p) => (p, Compression::of_path(p), false),
        Target::Input(p) => (p, read_as, true),
    };
    // The shared atomic writer: temporary file and rename (devices and FIFOs written in place,
    // read-only files refused, the folder created). A failure while streaming is kept aside
    // and returned as it is.
    let mut failure: Option<Error> = None;
    let keeping = if rewrite {
        crate::write::Keeping::All
    } else {
        crate::write::Keeping::AsFarAsAllowed
    };
    let written = crate::write::replace(p, keeping, |w| {
        let mut sink = Sink::new(Box::new(w), kind)?;
        if let Err(e) = stream(
            run,
            &shown,
            &mut reader,
            &mut sink,
            &p.display().to_string(),
        ) {
            failure = Some(e);
            return Err(std::io::Error::other("the shard could not be read"));
        }
        sink.finish()
    });
    match failure {
        Some(e) => Err(e),
        None => written,
    }
}

/// A batch of whole lines (at most [`BATCH_RECORDS`] lines or about [`BATCH_BYTES`] bytes), and
/// the error that cut the stream, if any. Sets `eof` at the end.
fn read_batch(
    reader: &mut dyn BufRead,
    number: &mut u64,
    eof: &mut bool,
) -> (Vec<Line>, Option<std::io::Error>) {
    let mut batch: Vec<Line> = Vec::new();
    let mut bytes = 0usize;
    while batch.len() < BATCH_RECORDS && bytes < BATCH_BYTES {
        let mut buf = Vec::new();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => {
                *eof = true;
                break;
            }
            Ok(n) => {
                *number += 1;
                bytes += n;
                batch.push(Line {
                    number: *number,
                    bytes: buf,
                });
            }
            Err(e) => {
                // A truncated or corrupt compressed stream: the rest of the shard cannot be
                // read, and the shard fails (see `read_failure`).
                *eof = true;
                return (batch, Some(e));
            }
        }
    }
    (batch, None)
}

/// One record as `check` sees it: its line in the file, its id, its text and the result.
pub struct Record<'r> {
    /// 1-based line of the record in the file.
    pub line: u64,
    /// The record's id (`--id-field`), when it has one.
    pub id: Option<&'r str>,
    /// The record's text field.
    pub text: &'r str,
    /// Its blocks and removals (document scope).
    pub result: &'r DocResult,
}

/// Measures one shard for `check`: every record is a document, deduplicated on its own, and
/// handed to `visit` in input order. Blank lines are skipped; a bad record is an error naming
/// the file and line, or skipped with [`OnError::Skip`].
///
/// # Errors
/// Unreadable input, a bad record with [`OnError::Fail`], or `visit`'s error.
pub fn measure_shard(
    cfg: &DumpConfig,
    options: &Options,
    pool: &rayon::ThreadPool,
    input: &Input,
    visit: &mut dyn FnMut(Record<'_>) -> Result<()>,
) -> Result<()> {
    let shown = input.display();
    let (mut reader, _) = open(input, Arc::new(AtomicU64::new(0)))?;
    let mut number = 0u64;
    let mut eof = false;
    while !eof {
        let (batch, stream_error) = read_batch(&mut reader, &mut number, &mut eof);
        let parsed: Vec<Parsed> = pool.install(|| {
            batch
                .par_iter()
                .map(|l| parse_line(l, cfg, options))
                .collect()
        });
        for (line, p) in batch.iter().zip(parsed) {
            match p {
                Parsed::Blank => {}
                Parsed::Bad(message) => {
                    if cfg.on_error == OnError::Fail {
                        return Err(Error::Jsonl {
                            path: shown.clone().into(),
                            line: line.number,
                            message,
                        });
                    }
                }
                Parsed::Record {
                    text, id, result, ..
                } => visit(Record {
                    line: line.number,
                    id: id.as_deref(),
                    text: &text,
                    result: &result,
                })?,
            }
        }
        if let Some(e) = stream_error {
            return Err(read_failure(&shown, number + 1, e));
        }
    }
    Ok(())
}

fn stream(
    run: &mut Run<'_>,
    shown: &str,
    reader: &mut dyn BufRead,
    out: &mut dyn Write,
    out_name: &str,
) -> Result<()> {
    let mut number = 0u64;
    let mut eof = false;
    let mut current = read_batch(reader, &mut number, &mut eof);
    let mut pending: Option<Cleaned> = None;
    loop {
        let (batch, stream_error) = current;
        if batch.is_empty() && stream_error.is_none() {
            break;
        }
        let (cfg, options, pool) = (run.cfg, run.options, run.pool);
        // Cleaning, and in document scope rendering and serializing, run in the pool; while it
        // works, this thread writes the batch before and reads the batch after.
        let document_scope = run.corpus.is_none();
        let mut parsed: Vec<Parsed> = Vec::new();
        let mut written = Ok(());
        let mut next = (Vec::new(), None);
        pool.in_place_scope(|scope| {
            scope.spawn(|_| {
                parsed = batch
                    .par_iter()
                    .map(|l| {
                        let mut p = parse_line(l, cfg, options);
                        if document_scope {
                            finish(&mut p, l, cfg);
                        }
                        p
                    })
                    .collect();
            });
            if let Some(before) = pending.take() {
                written = emit_batch(run, shown, before, out, out_name);
            }
            if written.is_ok() && stream_error.is_none() && !eof {
                next = read_batch(reader, &mut number, &mut eof);
            }
        });
        written?;
        // The corpus pass runs in input order, then the records it changed are rendered.
        if let Some(corpus) = run.corpus.as_deref_mut() {
            // In the pool, so that what the pass runs in parallel (deciding a record again)
            // keeps to `-j` instead of rayon's global pool.
            pool.install(|| -> Result<()> {
                for p in &mut parsed {
                    if let Parsed::Record { result, text, .. } = p {
                        corpus.pass(text, options, result)?;
                    }
                }
                Ok(())
            })?;
            pool.install(|| {
                parsed
                    .par_iter_mut()
                    .zip(batch.par_iter())
                    .for_each(|(p, l)| finish(p, l, cfg));
            });
        }
        pending = Some(Cleaned {
            batch,
            parsed,
            stream_error,
            number,
        });
        current = next;
    }
    match pending {
        Some(last) => emit_batch(run, shown, last, out, out_name),
        None => Ok(()),
    }
}

/// A batch after the parallel step, waiting to be written.
struct Cleaned {
    batch: Vec<Line>,
    parsed: Vec<Parsed>,
    /// A truncated or corrupt compressed stream that ended the shard after this batch.
    stream_error: Option<std::io::Error>,
    /// Lines read when the batch ended.
    number: u64,
}

/// Writes a batch in input order, then reports the stream error that ended it, if any.
fn emit_batch(
    run: &mut Run<'_>,
    shown: &str,
    cleaned: Cleaned,
    out: &mut dyn Write,
    out_name: &str,
) -> Result<()> {
    for (line, p) in cleaned.batch.iter().zip(cleaned.parsed) {
        emit(run, shown, line, p, out, out_name)?;
    }
    match cleaned.stream_error {
        // A damaged stream is never a shorter shard, whatever `--on-error` says: that is for
        // malformed records, and the rest of this shard cannot be read at all.
        Some(e) => Err(read_failure(shown, cleaned.number + 1, e)),
        None => Ok(()),
    }
}

/// The error for a shard whose stream stopped at `line`: a damaged compressed stream names the
/// line it reached, any other read error is an I/O error of the file.
fn read_failure(shown: &str, line: u64, e: std::io::Error) -> Error {
    if crate::compress::is_broken_stream(&e) {
        Error::Jsonl {
            path: shown.into(),
            line,
            message: format!("{e} (the shard is not written)"),
        }
    } else {
        Error::io(shown, e)
    }
}

fn emit(
    run: &mut Run<'_>,
    shown: &str,
    line: &Line,
    parsed: Parsed,
    out: &mut dyn Write,
    out_name: &str,
) -> Result<()> {
    let write_err = |e: std::io::Error| Error::io(out_name, e);
    match parsed {
        Parsed::Blank => out.write_all(&line.bytes).map_err(write_err),
        Parsed::Bad(message) => match run.cfg.on_error {
            OnError::Fail => Err(Error::Jsonl {
                path: shown.into(),
                line: line.number,
                message,
            }),
            OnError::Skip => {
                run.summary.skipped += 1;
                out.write_all(&line.bytes).map_err(write_err)
            }
        },
        Parsed::Record {
            text,
            id,
            result,
            out: finished,
            ..
        } => {
            // `finish` has run on every record (see `stream`).
            let finished = finished.unwrap_or(Finished {
                line: None,
                bytes_out: text.len(),
                error: None,
            });
            if let Some(message) = finished.error {
                return Err(Error::Jsonl {
                    path: shown.into(),
                    line: line.number,
                    message,
                });
            }
            run.summary.add(&text, &result, finished.bytes_out);
            run.done.fetch_add(1, Ordering::Relaxed);
            if let Some(reports) = run.reports.as_deref_mut() {
                if !result.changes_nothing() {
                    let mut r =
                        report::document(&format!("{shown}:{}", line.number), &text, &result);
                    r.id = id;
                    reports.push(r);
                }
            }
            let bytes = finished.line.as_deref().unwrap_or(&line.bytes);
            out.write_all(bytes).map_err(write_err)
        }
    }
}

/// Renders and serializes a cleaned record (in parallel; after the corpus pass in corpus
/// scope). Blank and bad lines are left as they are.
fn finish(parsed: &mut Parsed, line: &Line, cfg: &DumpConfig) {
    let Parsed::Record {
        span,
        slot,
        lossy,
        text,
        result,
        out,
        ..
    } = parsed
    else {
        return;
    };
    if result.changes_nothing() && cfg.annotate == Annotate::No {
        *out = Some(Finished {
            line: None,
            bytes_out: text.len(),
            error: None,
        });
        return;
    }
    let clean = result.render(text);
    let mut splice = Splice::default();
    let mut edited = Ok(());
    if cfg.annotate != Annotate::Only {
        edited = splice.value(span.clone(), clean.as_str());
    }
    if cfg.annotate != Annotate::No && edited.is_ok() {
        let removed = text.len() - clean.len();
        let figures = Annotation {
            blocks_removed: result.removals.len(),
            blocks_trimmed: result.trims.len(),
            bytes_removed: removed,
            rate: report::rate(text.len() as u64, clean.len() as u64),
        };
        edited = splice.field(slot.clone(), ANNOTATION, &figures);
    }
    let source = lossy.as_ref().map_or(&line.bytes[..], |s| s.as_bytes());
    *out = Some(match edited {
        Ok(()) => Finished {
            line: Some(splice.apply(source)),
            bytes_out: clean.len(),
            error: None,
        },
        Err(e) => Finished {
            line: None,
            bytes_out: clean.len(),
            error: Some(e.to_string()),
        },
    });
}

/// Reads the size of the inputs for the progress bar (0 for standard input).
pub fn total_size(inputs: &[Input]) -> u64 {
    inputs
        .iter()
        .map(|i| match &i.source {
            Source::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Source::Stdin => 0,
        })
        .sum()
}

/// A progress bar on standard error when `show`, hidden otherwise; updated from the shared
/// counters by a ticker thread until the returned guard is dropped.
pub struct Progress {
    bar: indicatif::ProgressBar,
    stop: Arc<std::sync::atomic::AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts the bar.
    pub fn start(show: bool, total: u64, bytes: Arc<AtomicU64>, docs: Arc<AtomicU64>) -> Self {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        if !show {
            return Progress {
                bar: indicatif::ProgressBar::hidden(),
                stop,
                ticker: None,
            };
        }
        let bar = if total > 0 {
            indicatif::ProgressBar::new(total)
        } else {
            indicatif::ProgressBar::new_spinner()
        };
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        let (b, s) = (bar.clone(), stop.clone());
        let started = Instant::now();
        let ticker = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                b.set_position(bytes.load(Ordering::Relaxed));
                let n = docs.load(Ordering::Relaxed);
                let secs = started.elapsed().as_secs_f64().max(1e-3);
                #[expect(clippy::cast_precision_loss, reason = "display only")]
                let rate = n as f64 / secs;
                b.set_message(format!("{n} docs ({rate:.0}/s)"));
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        });
        Progress {
            bar,
            stop,
            ticker: Some(ticker),
        }
    }

    /// Stops and clears the bar.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}
