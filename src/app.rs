//! App: validated configuration → a run of `clean` or `check`, with its exit status.
//!
//! This is where the stages meet I/O: inputs are read and cleaned in parallel batches, then
//! written in input order. Diagnostics go to the `err` writer the binary passes in (standard
//! error); nothing here prints on its own.

use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::read::{discover, globs, Discovered, Input};
use crate::report::{self, DocumentReport};
use crate::source::{Document, Sink, Source};
use crate::write::write_atomic;
use crate::{check, Options};

/// The documented exit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: success (and, for check, a rate at or under the threshold).
    Success,
    /// 1: check found a rate above the threshold.
    ThresholdExceeded,
    /// 2: usage or input error.
    Error,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::ThresholdExceeded => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Where clean documents go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Standard output (one input only).
    Stdout,
    /// One file (one input only).
    File(PathBuf),
    /// A folder mirroring the inputs' relative paths.
    Dir(PathBuf),
    /// Over each input, atomically.
    InPlace,
}

/// Where the JSON report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportTarget {
    /// Standard output.
    Stdout,
    /// A file.
    File(PathBuf),
}

/// What is read, and how.
#[derive(Debug, Clone)]
pub struct InputConfig {
    /// Paths (files, folders, `-`); empty means standard input.
    pub paths: Vec<PathBuf>,
    /// Globs for folder walks.
    pub globs: Vec<String>,
    /// Replace invalid UTF-8 instead of failing.
    pub lossy: bool,
    /// Worker threads (None: all cores; one more for JSONL dumps).
    pub threads: Option<usize>,
    /// Matching options.
    pub options: Options,
}

/// `clean` settings.
#[derive(Debug, Clone)]
pub struct CleanConfig {
    /// Inputs, and how documents are cleaned.
    pub input: InputConfig,
    /// How inputs are read: text documents, JSONL records, or by extension.
    pub format: Format,
    /// JSONL settings.
    pub dump: crate::dump::DumpConfig,
    /// Corpus scope, with its settings; `None` in document scope.
    pub corpus: Option<CorpusSettings>,
    /// Where documents go.
    pub output: Output,
    /// Where the report goes.
    pub report: Option<ReportTarget>,
    /// `--in-place` may rewrite a file that has other hard links (they keep the old text).
    pub break_hard_links: bool,
    /// What the terminal shows.
    pub terminal: Terminal,
}

/// Corpus scope's settings (the engine's [`crate::CorpusIndex`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CorpusSettings {
    /// A short block in this many documents is boilerplate.
    pub boilerplate_min_docs: Option<u32>,
    /// Most bytes the corpus index may take.
    pub max_memory: Option<u64>,
}

/// What `clean` shows on standard error, and how: nothing of it changes the output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    /// Explain each removal.
    pub explain: bool,
    /// Colour the explanation.
    pub color: bool,
    /// No progress bar and no summary line.
    pub quiet: bool,
    /// Standard error is a terminal (progress bar, summary line).
    pub stderr_is_terminal: bool,
}

/// How inputs are read (`--format` of clean, `--input-format` of check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// By extension.
    Auto,
    /// Text documents.
    Text,
    /// JSON Lines.
    Jsonl,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// A table for people (coloured on a terminal; NO_COLOR turns colour off).
    Human,
    /// JSON (schema in README).
    Json,
    /// GitHub Actions workflow commands: a warning at each duplicate, an error per threshold.
    Github,
    /// SARIF 2.1.0, for code scanning (github/codeql-action/upload-sarif).
    Sarif,
    /// A Markdown summary for a pull-request comment.
    Markdown,
}

/// `check` settings.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Inputs.
    pub input: InputConfig,
    /// The thresholds (at least one, unless a baseline is written).
    pub thresholds: check::Thresholds,
    /// Output format.
    pub format: CheckFormat,
    /// Colour the human table.
    pub color: bool,
    /// `--exclude` globs.
    pub exclude: Vec<String>,
    /// Known duplicates: only the others count.
    pub baseline: Option<PathBuf>,
    /// Record today's duplicates here.
    pub write_baseline: Option<PathBuf>,
    /// How inputs are read: text documents, JSONL records, or by extension.
    pub input_format: Format,
    /// JSONL dumps: the text and id fields, and what a bad record does.
    pub dump: crate::dump::DumpConfig,
}

/// Most worker threads per core: the work is CPU-bound, so more only costs memory and
/// scheduling (`-j 100000` once drove a 2-core machine's load average to 700).
const THREADS_PER_CORE: usize = 4;
/// Fewest threads the cap allows, whatever the core count.
const THREADS_CAP_FLOOR: usize = 16;

/// The worker count for `requested` threads: at most [`THREADS_PER_CORE`] per core (at least
/// [`THREADS_CAP_FLOOR`]); a larger request is capped with a note.
fn workers(requested: Option<usize>, err: &mut dyn Write) -> Option<usize> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let cap = (cores * THREADS_PER_CORE).max(THREADS_CAP_FLOOR);
    match requested {
        Some(n) if n > cap => {
            let _ = writeln!(
                err,
                "paradedup: note: -j {n} is more than {THREADS_PER_CORE} threads per core; using {cap} ({cores} cores)"
            );
            Some(cap)
        }
        r => r,
    }
}

fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        b = b.num_threads(n);
    }
    b.build().map_err(|source| Error::Threads { source })
}

/// Says which paths were skipped because they reach a file already read, and fails when
/// nothing is left to read.
fn announce(found: Discovered, cfg: &InputConfig, err: &mut dyn Write) -> Result<Vec<Input>> {
    for a in &found.aliases {
        let _ = if a.skipped == a.kept {
            writeln!(
                err,
                "paradedup: warning: {}: given more than once: read once",
                a.kept
            )
        } else {
            writeln!(
                err,
                "paradedup: warning: {}: the same file as {}: read once, as {}",
                a.skipped, a.kept, a.kept
            )
        };
    }
    if found.inputs.is_empty() {
        return Err(Error::NoInput(format!(
            "no input files found in {} (the folder walk keeps {}; see --glob)",
            cfg.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            cfg.globs.join(" ")
        )));
    }
    Ok(found.inputs)
}

fn explain(d: &Document, color: bool, err: &mut dyn Write) {
    use anstyle::{AnsiColor, Style};
    let bold = Style::new().bold();
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let dim = Style::new().dimmed();
    let paint = |s: Style, t: &str| -> String {
        if color {
            format!("{}{t}{}", s.render(), s.render_reset())
        } else {
            t.to_string()
        }
    };
    let blocks = &d.result.segmented.blocks;
    let lines = |a: usize, b: usize| {
        if a == b {
            format!("{a}")
        } else {
            format!("{a}-{b}")
        }
    };
    // The lines of the blocks that hold the content.
    let kept_in = |kept: &[usize]| -> Vec<String> {
        kept.iter()
            .map(|&k| lines(blocks[k].first_line, blocks[k].last_line))
            .collect()
    };
    for r in &d.result.removals {
        let b = blocks[r.block];
        let text = &d.text[b.start..b.end];
        let mut preview: String = text.chars().take(100).collect();
        if preview.len() < text.len() {
            preview.push('…');
        }
        let kept = kept_in(&r.kept);
        let _ = writeln!(
            err,
            "{}:{}: {} {} (score {:.3}), kept in line {} ({})",
            paint(bold, &d.input.display()),
            lines(b.first_line, b.last_line),
            paint(red, "removed"),
            r.kind.as_str(),
            r.score,
            paint(green, &kept.join(", ")),
            r.why.as_str()
        );
        let _ = writeln!(err, "    {}", paint(dim, &preview));
    }
    // A trimmed block stays; the part cut out is shown.
    for t in &d.result.trims {
        let b = blocks[t.block];
        let kept = kept_in(&t.kept);
        let _ = writeln!(
            err,
            "{}:{}: {} (score {:.3}), kept in line {} ({})",
            paint(bold, &d.input.display()),
            lines(b.first_line, b.last_line),
            paint(red, "trimmed"),
            t.score,
            paint(green, &kept.join(", ")),
            t.why.as_str()
        );
        for c in &t.cuts {
            let cut = &d.text[c.clone()];
            let mut shown: String = cut.chars().take(100).collect();
            if shown.len() < cut.len() {
                shown.push('…');
            }
            let _ = writeln!(err, "    cut: {}", paint(dim, &shown));
        }
    }
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// `--in-place` rewrites regular files only (reading a FIFO would wait for a writer forever,
/// and renaming over a device would replace it), and a file with other hard links only when
/// asked: the rename gives the named path a new file, and the other names keep the old text.
fn rewritable(p: &std::path::Path, break_hard_links: bool) -> Result<()> {
    let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
    if !meta.is_file() {
        return Err(Error::Usage(format!(
            "--in-place: {} is not a regular file ({}); only regular files are rewritten",
            p.display(),
            file_kind(&meta)
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 && !break_hard_links {
            return Err(Error::Usage(format!(
                "--in-place: {} has {} hard links; rewriting it would leave the other names with the old text (give --break-hard-links to rewrite this name only)",
                p.display(),
                meta.nlink()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = break_hard_links;
    Ok(())
}

/// What a file that is not a regular file is, for messages.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Rules that need the expanded inputs: one input for standard output or `-o`, and no output
/// file that is also an input (inputs are only rewritten with `--in-place`).
fn validate_outputs(cfg: &CleanConfig, inputs: &[Input]) -> Result<()> {
    let canon: Vec<(std::path::PathBuf, &std::path::Path)> = inputs
        .iter()
        .filter_map(|i| match &i.source {
            crate::read::Source::File(p) => std::fs::canonicalize(p).ok().map(|c| (c, p.as_path())),
            crate::read::Source::Stdin => None,
        })
        .collect();
    // Names an input that `target` would write over (existing files only).
    let over_input = |target: &std::path::Path| {
        std::fs::canonicalize(target).ok().and_then(|t| {
            canon
                .iter()
                .find(|(c, _)| *c == t)
                .map(|(_, p)| p.display().to_string())
        })
    };
    if let Some(ReportTarget::File(r)) = &cfg.report {
        if let Some(p) = over_input(r) {
            return Err(Error::Usage(format!(
                "--report would write over the input {p}"
            )));
        }
        if let Output::File(o) = &cfg.output {
            if r == o || same_file(r, o) {
                return Err(Error::Usage("--report and -o name the same file".into()));
            }
        }
    }
    if cfg.output == Output::InPlace {
        for i in inputs {
            if let crate::read::Source::File(p) = &i.source {
                rewritable(p, cfg.break_hard_links)?;
            }
        }
    }
    match &cfg.output {
        Output::Stdout | Output::File(_) if inputs.len() > 1 => Err(Error::Usage(format!(
            "{} inputs need --out-dir DIR or --in-place (standard output and -o take one)",
            inputs.len()
        ))),
        Output::File(out) => match over_input(out) {
            Some(p) => Err(Error::Usage(format!(
                "refusing to write over the input {p} (use --in-place to rewrite inputs)"
            ))),
            None => Ok(()),
        },
        Output::Dir(dir) => {
            let mut targets: Vec<(&std::path::Path, String)> = inputs
                .iter()
                .map(|i| (i.relative.as_path(), i.display()))
                .collect();
            targets.sort();
            if let Some(w) = targets.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(Error::Usage(format!(
                    "--out-dir would write {} and {} to the same file {}",
                    w[0].1,
                    w[1].1,
                    dir.join(w[0].0).display()
                )));
            }
            // No target may be any input, its own or another one's.
            for i in inputs {
                if let Some(p) = over_input(&dir.join(&i.relative)) {
                    return Err(Error::Usage(format!(
                        "--out-dir would write over the input {p} (use --in-place to rewrite inputs)"
                    )));
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Runs `clean`. A run that fails removes the output folders it created and left empty.
///
/// # Errors
/// Any input or output error; the run stops at the first one.
pub fn clean(cfg: &CleanConfig, stdout: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus> {
    let run = clean_inputs(cfg, stdout, err);
    if run.is_err() {
        crate::write::remove_created_folders();
    }
    run
}

fn clean_inputs(
    cfg: &CleanConfig,
    stdout: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus> {
    use crate::dump;
    use std::sync::atomic::AtomicU64;
    use std::sync::Arc;

    let started = std::time::Instant::now();
    let inputs = announce(
        discover(&cfg.input.paths, &globs(&cfg.input.globs)?)?,
        &cfg.input,
        err,
    )?;
    validate_outputs(cfg, &inputs)?;
    let source = Source::new(&inputs, cfg.format, &cfg.input);
    let any_jsonl = source.any_jsonl();
    let bytes_read = Arc::new(AtomicU64::new(0));
    let docs_done = Arc::new(AtomicU64::new(0));
    let show = cfg.terminal.stderr_is_terminal && !cfg.terminal.quiet;
    let progress = dump::Progress::start(
        show && any_jsonl,
        dump::total_size(&inputs),
        bytes_read.clone(),
        docs_done.clone(),
    );
    // A dump streams: this thread reads and writes, and sleeps while the workers clean a batch;
    // one worker more than the cores keeps them busy when a batch ends (100 MB dump, 2 cores:
    // 0.81 s with 2 workers, 0.75 s with 3, median of 7).
    let workers = workers(cfg.input.threads, err).or_else(|| {
        any_jsonl.then(|| std::thread::available_parallelism().map_or(1, usize::from) + 1)
    });
    let pool = pool(workers)?;
    let mut sink = Cleaning {
        cfg,
        pool: &pool,
        stdout: &mut *stdout,
        corpus: cfg
            .corpus
            .map(|c| crate::CorpusIndex::new(c.boilerplate_min_docs, c.max_memory)),
        summary: dump::Summary::default(),
        docs: cfg.report.is_some().then(Vec::new),
        bytes_read,
        docs_done,
    };
    source.run(&pool, &mut sink, err)?;
    let (summary, docs) = (sink.summary, sink.docs);
    progress.finish();
    stdout.flush().map_err(|e| Error::io("-", e))?;
    if let Some(target) = &cfg.report {
        // The listed documents are all the documents read, except JSONL records without
        // removals: the totals come from the run's own count.
        let rep = report::report_with_totals(
            &cfg.input.options,
            docs.unwrap_or_default(),
            summary.totals(),
        );
        let write = |w: &mut dyn Write| -> std::io::Result<()> {
            serde_json::to_writer_pretty(&mut *w, &rep)?;
            writeln!(w)
        };
        match target {
            ReportTarget::Stdout => write(stdout).map_err(|e| Error::io("-", e))?,
            ReportTarget::File(p) => write_atomic(p, write)?,
        }
    }
    if !cfg.terminal.quiet && (any_jsonl || cfg.terminal.stderr_is_terminal) {
        let _ = writeln!(err, "{}", summary.line(started.elapsed()));
    }
    Ok(ExitStatus::Success)
}

/// What `clean` does with each document: the corpus pass in corpus scope, the summary, the
/// explanation, the clean text and the report.
struct Cleaning<'a> {
    cfg: &'a CleanConfig,
    pool: &'a rayon::ThreadPool,
    stdout: &'a mut dyn Write,
    corpus: Option<crate::CorpusIndex>,
    summary: crate::dump::Summary,
    /// The documents' reports, when a report was asked for.
    docs: Option<Vec<DocumentReport>>,
    /// Raw bytes of dumps read so far (progress bar).
    bytes_read: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Records seen so far (progress bar).
    docs_done: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Sink for Cleaning<'_> {
    fn document(&mut self, mut d: Document, err: &mut dyn Write) -> Result<()> {
        let cfg = self.cfg;
        if let Some(c) = self.corpus.as_mut() {
            // In the pool: what the pass runs in parallel keeps to `-j`.
            self.pool
                .install(|| c.pass(&d.text, &cfg.input.options, &mut d.result))?;
        }
        self.summary.add(&d.text, &d.result, d.result.bytes_out());
        if cfg.terminal.explain {
            explain(&d, cfg.terminal.color, err);
        }
        write_document(cfg, &d, self.stdout)?;
        if let Some(docs) = self.docs.as_mut() {
            docs.push(report::document(&d.input.display(), &d.text, &d.result));
        }
        Ok(())
    }

    fn dump(&mut self, input: &Input) -> Result<()> {
        use crate::dump::Target;
        let target = match (&self.cfg.output, &input.source) {
            (Output::Stdout, _) | (Output::InPlace, crate::read::Source::Stdin) => Target::Stdout,
            (Output::File(p), _) => Target::File(p.clone()),
            (Output::Dir(d), _) => Target::File(d.join(&input.relative)),
            (Output::InPlace, crate::read::Source::File(p)) => Target::Input(p.clone()),
        };
        let mut run = crate::dump::Run {
            cfg: &self.cfg.dump,
            options: &self.cfg.input.options,
            corpus: self.corpus.as_mut(),
            summary: &mut self.summary,
            reports: self.docs.as_mut(),
            progress: self.bytes_read.clone(),
            done: self.docs_done.clone(),
            pool: self.pool,
        };
        crate::dump::clean_shard(&mut run, input, &target, self.stdout)
    }
}

fn write_document(cfg: &CleanConfig, d: &Document, stdout: &mut dyn Write) -> Result<()> {
    use crate::compress::{write_compressed, Compression};
    // A file is written compressed when its name says so (`notes.txt.gz`); an input rewritten
    // in place as it was read (a gzip `notes.txt`, a link `latest.txt` to `notes.txt.gz`).
    let to_file = |p: &std::path::Path| {
        let kind = Compression::of_path(p);
        write_atomic(p, |w| {
            write_compressed(w, kind, |w| d.result.write_to(&d.text, w))
        })
    };
    match &cfg.output {
        Output::Stdout => d
            .result
            .write_to(&d.text, stdout)
            .map_err(|e| Error::io("-", e)),
        Output::File(p) => to_file(p),
        Output::Dir(dir) => to_file(&dir.join(&d.input.relative)),
        Output::InPlace => match &d.input.source {
            // Nothing to change: leave the file (and its timestamps) alone.
            crate::read::Source::File(_) if d.result.changes_nothing() => Ok(()),
            crate::read::Source::File(p) => crate::write::rewrite_input(p, |w| {
                write_compressed(w, d.compression, |w| d.result.write_to(&d.text, w))
            }),
            crate::read::Source::Stdin => d
                .result
                .write_to(&d.text, stdout)
                .map_err(|e| Error::io("-", e)),
        },
    }
}

/// Runs `check`.
///
/// # Errors
/// Any input error, an unreadable baseline, and no input or no blocks at all
/// ([`Error::NoInput`]).
pub fn check(cfg: &CheckConfig, stdout: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus> {
    use crate::baseline::{self, Baseline};
    use crate::read::{discover_with, WalkRules};

    if let Some(p) = &cfg.write_baseline {
        // A baseline is a file that is written, then read back: a device, a FIFO or a folder
        // (`--write-baseline /dev/stdout`) would mix it into the output or block.
        if let Ok(meta) = std::fs::metadata(p) {
            if !meta.is_file() {
                return Err(Error::Usage(format!(
                    "--write-baseline {}: not a regular file ({}); name a file to create or replace",
                    p.display(),
                    if meta.is_dir() { "a folder" } else { "a device, FIFO or socket" }
                )));
            }
        }
    }
    let rules = WalkRules::new(&cfg.exclude)?;
    let inputs = announce(
        discover_with(&cfg.input.paths, &globs(&cfg.input.globs)?, Some(&rules))?,
        &cfg.input,
        err,
    )?;
    if let Some(p) = &cfg.write_baseline {
        let target = std::fs::canonicalize(p).ok();
        if let Some(i) = inputs.iter().find(|i| match &i.source {
            crate::read::Source::File(f) => {
                target.is_some() && std::fs::canonicalize(f).ok() == target
            }
            crate::read::Source::Stdin => false,
        }) {
            return Err(Error::Usage(format!(
                "--write-baseline would write over the input {}",
                i.display()
            )));
        }
    }
    // Writing a baseline accepts every duplicate found: a --baseline (from paradedup.toml, say)
    // would change nothing, and is not read (it may not exist yet, or be an old version).
    let known = match &cfg.write_baseline {
        Some(_) => None,
        None => cfg.baseline.as_deref().map(Baseline::load).transpose()?,
    };
    // With a baseline, paths in ids and entries are relative to its folder, so the same
    // checkout gives the same ids from any folder; without one, as shown.
    let anchor = cfg
        .write_baseline
        .as_deref()
        .or(cfg.baseline.as_deref())
        .map(baseline::Anchor::of)
        .transpose()?;
    let pool = pool(workers(cfg.input.threads, err))?;
    let mut sink = Measuring {
        cfg,
        pool: &pool,
        known: known.as_ref(),
        anchor: anchor.as_ref(),
        measured: Vec::new(),
    };
    Source::new(&inputs, cfg.input_format, &cfg.input).run(&pool, &mut sink, err)?;
    let mut measured = sink.measured;
    if measured.iter().all(|m| m.figures.blocks_in == 0) {
        return Err(Error::NoInput(
            "no text blocks found in the inputs: nothing to measure".into(),
        ));
    }
    let written;
    let baseline = match &cfg.write_baseline {
        Some(p) => {
            // Writing a baseline accepts today's duplicates: they are known from now on.
            let all: Vec<check::Duplicate> = measured
                .iter()
                .flat_map(|m| m.duplicates.iter().cloned())
                .collect();
            baseline::write(p, &all)?;
            for m in &mut measured {
                for d in &mut m.duplicates {
                    if d.status == check::Status::New {
                        d.status = check::Status::Baseline;
                    }
                }
            }
            written = Baseline::load(p)?;
            Some((p.display().to_string(), &written))
        }
        None => cfg
            .baseline
            .as_ref()
            .zip(known.as_ref())
            .map(|(p, b)| (p.display().to_string(), b)),
    };
    let v = check::verdict(
        measured,
        cfg.thresholds,
        baseline.as_ref().map(|(p, b)| (p.as_str(), *b)),
    );
    let res = match cfg.format {
        CheckFormat::Human => check::write_human(&v, cfg.color, stdout),
        CheckFormat::Json => check::write_json(&v, stdout),
        CheckFormat::Github => check::write_github(&v, stdout),
        CheckFormat::Sarif => check::write_sarif(&v, stdout),
        CheckFormat::Markdown => check::write_markdown(&v, stdout),
    };
    let status = if v.passed {
        ExitStatus::Success
    } else {
        ExitStatus::ThresholdExceeded
    };
    match res.and_then(|()| stdout.flush()) {
        // A reader that stops early (`paradedup check … | head -1`) does not change the
        // verdict: the gate still fails a job when a threshold is exceeded.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(status),
        Err(e) => Err(Error::io("-", e)),
        Ok(()) => Ok(status),
    }
}

/// What `check` does with each document: measure it against the baseline, if any.
struct Measuring<'a> {
    cfg: &'a CheckConfig,
    pool: &'a rayon::ThreadPool,
    known: Option<&'a crate::baseline::Baseline>,
    /// The baseline's folder: paths in ids are relative to it.
    anchor: Option<&'a crate::baseline::Anchor>,
    measured: Vec<check::Measured>,
}

impl Measuring<'_> {
    /// The path of `input` in baseline ids and entries: relative to the baseline's folder, so
    /// the same checkout gives the same ids from any folder; without a baseline, as shown.
    fn baseline_path(&self, input: &Input) -> String {
        match (self.anchor, &input.source) {
            (Some(a), crate::read::Source::File(p)) => a.path_of(p),
            _ => check::path_as_shown(&input.display()),
        }
    }
}

impl Sink for Measuring<'_> {
    fn document(&mut self, d: Document, _err: &mut dyn Write) -> Result<()> {
        let file = d.input.display();
        let key = self.baseline_path(&d.input);
        let place = check::DocPlace {
            file: &file,
            baseline_path: &key,
            record_line: None,
            record_id: None,
        };
        self.measured
            .push(check::measure(&place, &d.text, &d.result, self.known));
        Ok(())
    }

    fn dump(&mut self, input: &Input) -> Result<()> {
        let file = input.display();
        let key = self.baseline_path(input);
        let (known, measured) = (self.known, &mut self.measured);
        crate::dump::measure_shard(
            &self.cfg.dump,
            &self.cfg.input.options,
            self.pool,
            input,
            &mut |r| {
                let place = check::DocPlace {
                    file: &file,
                    baseline_path: &key,
                    record_line: Some(r.line),
                    record_id: r.id,
                };
                measured.push(check::measure(&place, r.text, r.result, known));
                Ok(())
            },
        )
    }
}
