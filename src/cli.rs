//! Command line: clap definitions → validated configuration. The only module that names clap
//! (with its children: `config_file`, the `paradedup.toml` schema laid under the flags, and
//! `generate`, completions and man pages).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::app::{
    CheckConfig, CheckFormat, CleanConfig, CorpusSettings, Format, InputConfig, Output,
    ReportTarget, Terminal,
};
use crate::config::{self, Located, NO_CONFIG_ENV};
use crate::dump::{Annotate, DumpConfig, OnError, Scope};
use crate::error::{Error, Result};
use crate::{Keep, Metric, Options, Unit, DEFAULT_THRESHOLD};

/// The file names a folder walk keeps when no `--glob` is given, for `clean` and `check` alike:
/// text and JSONL dumps (a glob also matches a name without its `.gz` or `.zst`, so these take
/// compressed files too). A macro so that the flag's help, `paradedup
/// config` and [`DEFAULT_GLOBS`] print one list.
macro_rules! default_globs {
    () => {
        "*.txt, *.md, *.jsonl, *.ndjson"
    };
}

/// The default `--glob` list, comma-separated (the same text as the flag's help and `paradedup
/// config` print).
pub const DEFAULT_GLOBS: &str = default_globs!();

mod config_file;
mod generate;

pub use config_file::{check_config, clean_config, print_config, ConfigArgs, ConfigTarget};
pub use generate::{completions, man, CompletionsArgs, ManArgs};

const EXIT_CODES: &str = "Exit codes:\n  0  success (check: no threshold exceeded)\n  1  check: a threshold exceeded (--max-rate, --max-blocks, --max-file-rate)\n  2  usage or input error (missing file, invalid UTF-8, binary file named, ...)";

const LONG_ABOUT: &str = "Remove duplicate, near-duplicate and contained paragraphs from scraped text.\n\nSettings come from the flags, then from paradedup.toml (in the current folder or the nearest folder above it, up to the repository root; or --config FILE), then from the built-in defaults. `paradedup config` shows the effective settings and where each comes from.";

/// Remove duplicate, near-duplicate and contained paragraphs from scraped text.
#[derive(Debug, Parser)]
#[command(name = "paradedup", version, about, after_help = EXIT_CODES, long_about = LONG_ABOUT)]
pub struct Cli {
    /// Read settings from FILE instead of the paradedup.toml found in the current folder or
    /// the nearest folder above it (the search stops at the repository root, a folder holding
    /// .git). Flags given on the command line override the file.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read no configuration file: built-in defaults and flags only (also when the environment
    /// sets PARADEDUP_NO_CONFIG to a non-empty value).
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The configuration file that applies: `--config`, else none with `--no-config` or
    /// `PARADEDUP_NO_CONFIG`, else the nearest `paradedup.toml` from the current folder up to
    /// the repository root.
    pub fn locate_config(&self) -> Located {
        let env_off = std::env::var_os(NO_CONFIG_ENV).is_some_and(|v| !v.is_empty());
        let cwd = std::env::current_dir().ok();
        config::locate(
            self.config.as_deref(),
            self.no_config,
            env_off,
            cwd.as_deref(),
        )
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write each document with every piece of unique content once, in input order and bytes.
    #[command(after_help = concat!(
        "Examples:\n",
        "  paradedup clean page.txt > page.clean.txt\n",
        "  paradedup clean --explain --report report.json -o out.txt page.txt\n",
        "  paradedup clean --out-dir clean/ scraped/\n",
        "  cat page.txt | paradedup clean -\n\n",
        "Exit codes:\n  0  success\n  2  usage or input error"
    ))]
    Clean(CleanArgs),
    /// Measure duplication and fail when a threshold is exceeded (a CI gate).
    #[command(after_help = concat!(
        "Examples:\n",
        "  paradedup check --max-rate 0.05 docs/\n",
        "  paradedup check --max-rate 5% --format json corpus/ > rate.json\n",
        "  paradedup check --max-blocks 0 --max-file-rate 20% \\\n",
        "      --exclude 'vendor/**' docs/\n",
        "  # accept today's duplicates, then fail on new ones only:\n",
        "  paradedup check --write-baseline .paradedup-baseline.json docs/\n",
        "  paradedup check --baseline .paradedup-baseline.json --max-blocks 0 docs/\n",
        "  paradedup check --max-rate 5% --format sarif docs/ > paradedup.sarif\n",
        "  # annotations in a GitHub Actions log:\n",
        "  paradedup check --max-blocks 0 --format github docs/\n",
        "  # each record of a JSONL dump is a document:\n",
        "  paradedup check --max-rate 5% --field content.body dump.jsonl.gz\n\n",
        "A block that holds a line with `paradedup: ignore` (e.g.\n",
        "`<!-- paradedup: ignore -->`) is exempt; a block made only of such lines\n",
        "exempts the next block too.\n\n",
        "Exit codes:\n  0  no threshold exceeded\n  1  a threshold exceeded\n  2  usage or input error, no threshold given, no input files, no blocks"
    ))]
    Check(CheckArgs),
    /// Print the effective configuration (TOML), with where each value comes from: a flag, the
    /// configuration file (and line) or the default.
    #[command(after_help = concat!(
        "Examples:\n",
        "  paradedup config                      # every setting and its origin\n",
        "  paradedup config --json               # the same as JSON\n",
        "  paradedup config check --max-rate 3%  # check's, with this flag\n",
        "  paradedup --no-config config > paradedup.toml   # every default\n",
        "  paradedup --config ci.toml config clean\n\n",
        "Exit codes:\n  0  success\n  2  unreadable or invalid configuration file, usage error"
    ))]
    Config(ConfigArgs),
    /// Print a shell completion script.
    #[command(after_help = concat!(
        "Examples:\n",
        "  paradedup completions bash \\\n",
        "      > ~/.local/share/bash-completion/completions/paradedup\n",
        "  paradedup completions zsh > ~/.zfunc/_paradedup\n",
        "  paradedup completions fish > ~/.config/fish/completions/paradedup.fish\n",
        "  paradedup completions powershell >> $PROFILE"
    ))]
    Completions(CompletionsArgs),
    /// Print a man page (roff) generated from the command line definition.
    #[command(after_help = concat!(
        "Examples:\n",
        "  paradedup man > paradedup.1\n",
        "  paradedup man check > paradedup-check.1\n",
        "  paradedup man | man -l -"
    ))]
    Man(ManArgs),
}

/// Options shared by clean and check.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, folders (walked recursively in sorted order) or `-` for standard input.
    /// No path reads standard input.
    pub paths: Vec<PathBuf>,
    /// File-name globs for folder walks (repeatable; they replace the default list).
    #[arg(
        long = "glob",
        value_name = "GLOB",
        help = concat!(
            "File-name globs for folder walks (repeatable; they replace the default list; a glob also matches a name without its .gz or .zst) [default: ",
            default_globs!(),
            "]"
        )
    )]
    pub globs: Vec<String>,
    /// How to cut documents into blocks.
    #[arg(long, value_enum, default_value_t = Unit::Auto)]
    pub unit: Unit,
    /// Least similarity (0..1) for a near duplicate, as --metric measures it (the metrics score
    /// the same pair differently). Lower finds more edited copies and risks merging look-alikes.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD, value_name = "F")]
    pub threshold: f64,
    /// Similarity measure for near duplicates (strsim).
    #[arg(long, value_enum, default_value_t = Metric::Levenshtein)]
    pub metric: Metric,
    /// Which copy of a content stays: `body` keeps the copy in the article body (found from
    /// the text: the run of prose paragraphs), else the nearest to it; `first` keeps the first.
    #[arg(long, value_enum, default_value_t = Keep::Body)]
    pub keep: Keep,
    /// Remove whole blocks only: never cut the repeated part out of a block that also holds
    /// something unique (a teaser run into its lead, a description that adds a sentence).
    #[arg(long)]
    pub whole_blocks: bool,
    /// Worker threads (default: all cores; one more for JSONL dumps). Output does not depend
    /// on it.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
}

/// `clean` flags.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Inputs and matching.
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the clean document to FILE (one input only; written atomically).
    #[arg(short, long, value_name = "FILE", conflicts_with_all = ["out_dir", "in_place"])]
    pub output: Option<PathBuf>,
    /// Write each clean document under DIR, mirroring the inputs' relative paths.
    #[arg(long, value_name = "DIR", conflicts_with = "in_place")]
    pub out_dir: Option<PathBuf>,
    /// Rewrite each input file atomically (temporary file in the same folder, then rename),
    /// keeping its permissions, owner, group and extended attributes. Only regular files; a
    /// file with several hard links is refused unless --break-hard-links.
    #[arg(long)]
    pub in_place: bool,
    /// With --in-place, rewrite a file that has other hard links: the named path gets the clean
    /// text, the other names keep the old one.
    #[arg(long, requires = "in_place")]
    pub break_hard_links: bool,
    /// Write the JSON report to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Print each removal on standard error: the block, its kind and score, where its content stays.
    #[arg(long)]
    pub explain: bool,
    /// Input format: `jsonl` reads one JSON object a line; `auto` picks JSONL for `.jsonl` and
    /// `.ndjson` files (also `.gz`, `.zst`), text for the rest and for standard input.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    pub format: Format,
    /// JSONL: the text field (a dotted path such as `content.body` reaches into objects).
    #[arg(long, default_value = "text", value_name = "PATH")]
    pub field: String,
    /// JSONL: the id field, shown in reports and errors.
    #[arg(long, default_value = "id", value_name = "PATH")]
    pub id_field: String,
    /// JSONL: add a `paradedup` field with each record's figures (blocks and bytes removed, rate).
    #[arg(long)]
    pub annotate: bool,
    /// JSONL: add the `paradedup` field and leave the text as it is (a dry run).
    #[arg(long, conflicts_with = "annotate")]
    pub annotate_only: bool,
    /// `document` deduplicates inside each document; `corpus` also removes a block that an
    /// earlier document of the run holds (exact and normalization-equal, 8+ words), keeping the
    /// first occurrence in input order.
    #[arg(long, value_enum, default_value_t = Scope::Document)]
    pub scope: Scope,
    /// Corpus scope: a short block (under 8 words) goes from the N-th document that holds it on
    /// (N ≥ 2: the first occurrence always stays).
    #[arg(long, value_name = "N")]
    pub boilerplate_min_docs: Option<u32>,
    /// Corpus scope: fail clearly when the corpus index would need more memory (e.g. 512M, 4G).
    /// It bounds the corpus index only, not the work on one document (about 5 to 14 times the
    /// document's size for a single huge document).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_memory: Option<u64>,
    /// JSONL: what to do with a malformed line, a record without the text field or a non-string
    /// text: `fail` (exit 2, naming the file and line) or `skip` (pass the line through
    /// unchanged, count it in the summary).
    #[arg(long, value_enum, default_value_t = OnError::Fail)]
    pub on_error: OnError,
    /// No progress bar, no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => {
            let unit = t[i..].to_ascii_uppercase();
            let m: u64 = match unit.trim_end_matches(['B', 'I']) {
                "" => 1,
                "K" => 1 << 10,
                "M" => 1 << 20,
                "G" => 1 << 30,
                "T" => 1 << 40,
                _ => return Err(format!("{s:?}: unknown unit (use K, M, G or T)")),
            };
            (&t[..i], m)
        }
        None => (t, 1),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a size (e.g. 512M, 4G)"))?;
    if v <= 0.0 {
        return Err(format!("{s:?} must be more than 0"));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "sizes far below 2^52"
    )]
    Ok((v * mult as f64) as u64)
}

/// `check` flags.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inputs and matching.
    #[command(flatten)]
    pub input: InputArgs,
    /// Highest acceptable overall duplication rate (share of bytes): 0.05 or 5%. Also
    /// `max_rate` under `[check]` in paradedup.toml.
    #[arg(long, value_name = "R", value_parser = parse_rate)]
    pub max_rate: Option<f64>,
    /// Most duplicate blocks allowed overall (0: none).
    #[arg(long, value_name = "N")]
    pub max_blocks: Option<u64>,
    /// Highest acceptable duplication rate of any one file: 0.2 or 20%.
    #[arg(long, value_name = "R", value_parser = parse_rate)]
    pub max_file_rate: Option<f64>,
    /// The --max-rate to apply when no threshold is set, by a flag or in paradedup.toml (the
    /// pre-commit hook passes 5%, so a repository without settings still gets a gate). Not
    /// read from the file.
    #[arg(long, value_name = "R", value_parser = parse_rate)]
    pub default_max_rate: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Leave out files and folders matching GLOB (repeatable), on top of .gitignore; matched
    /// against the path under the walked folder, the path as given and the file name.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Known duplicates (a file written by --write-baseline): only the others count.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's duplicates in FILE (atomically) and accept them: exit 0 unless an error.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Input format, as clean's --format: `jsonl` reads one JSON object a line (each record a
    /// document); `auto` picks JSONL for `.jsonl` and `.ndjson` files (also `.gz`, `.zst`),
    /// text for the rest and for standard input.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    pub input_format: Format,
    /// JSONL: the text field (a dotted path such as `content.body` reaches into objects).
    #[arg(long, default_value = "text", value_name = "PATH")]
    pub field: String,
    /// JSONL: the id field, shown in reports and used in baseline ids.
    #[arg(long, default_value = "id", value_name = "PATH")]
    pub id_field: String,
    /// JSONL: what to do with a malformed line, a record without the text field or a non-string
    /// text: `fail` (exit 2, naming the file and line) or `skip` (leave it out of the figures).
    #[arg(long, value_enum, default_value_t = OnError::Fail)]
    pub on_error: OnError,
}

fn parse_rate(s: &str) -> std::result::Result<f64, String> {
    let (num, scale) = match s.strip_suffix('%') {
        Some(n) => (n, 100.0),
        None => (s, 1.0),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a rate (use 0.05 or 5%)"))?;
    let v = v / scale;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s:?} is outside 0..1 (0%..100%)"))
    }
}

/// The rules a setting's value must follow, the same for the flag and for `paradedup.toml`
/// (each caller adds where the value came from: the flag's name, or the file, line and key).
pub(crate) mod rules {
    pub use paradedup_engine::rules::{boilerplate_min_docs, threads, threshold};

    /// A JSONL field path: dot-separated names, none empty (`content.body`).
    pub fn field_path(path: &str) -> Result<Vec<String>, String> {
        if path.is_empty() || path.split('.').any(str::is_empty) {
            Err(format!("{path:?} is not a field path"))
        } else {
            Ok(path.split('.').map(String::from).collect())
        }
    }
}

/// `--field` and `--id-field`, checked by [`rules::field_path`] and split at the dots.
fn field_paths(field: &str, id_field: &str) -> Result<(Vec<String>, Vec<String>)> {
    let path =
        |flag: &str, p: &str| rules::field_path(p).map_err(|e| Error::Usage(format!("{flag} {e}")));
    Ok((path("--field", field)?, path("--id-field", id_field)?))
}

impl InputArgs {
    fn into_config(mut self) -> Result<InputConfig> {
        if self.globs.is_empty() {
            self.globs = DEFAULT_GLOBS.split(", ").map(String::from).collect();
        }
        rules::threshold(self.threshold).map_err(|e| Error::Usage(format!("--threshold {e}")))?;
        if let Some(n) = self.threads {
            rules::threads(n).map_err(|e| Error::Usage(format!("--threads {e}")))?;
        }
        Ok(InputConfig {
            paths: self.paths,
            globs: self.globs,
            lossy: self.lossy,
            threads: self.threads,
            options: Options {
                unit: self.unit,
                threshold: self.threshold,
                metric: self.metric,
                keep: self.keep,
                trim: !self.whole_blocks,
            },
        })
    }
}

impl CleanArgs {
    /// Validates the flags. `color`: colour the explanation; `terminal`: standard error is a
    /// terminal (progress bar, summary line).
    ///
    /// # Errors
    /// Out-of-range values and flags that do not fit together.
    pub fn into_config(self, color: bool, terminal: bool) -> Result<CleanConfig> {
        let report = self.report.map(|p| {
            if p.as_os_str() == "-" {
                ReportTarget::Stdout
            } else {
                ReportTarget::File(p)
            }
        });
        let output = match (self.output, self.out_dir, self.in_place) {
            (Some(p), _, _) if p.as_os_str() == "-" => Output::Stdout,
            (Some(p), _, _) => Output::File(p),
            (None, Some(d), _) => Output::Dir(d),
            (None, None, true) => Output::InPlace,
            (None, None, false) => Output::Stdout,
        };
        if report == Some(ReportTarget::Stdout) && output == Output::Stdout {
            return Err(Error::Usage(
                "--report - writes the report to standard output: send the document elsewhere with -o, --out-dir or --in-place".into(),
            ));
        }
        if self.boilerplate_min_docs.is_some() && self.scope != Scope::Corpus {
            return Err(Error::Usage(
                "--boilerplate-min-docs needs --scope corpus".into(),
            ));
        }
        if let Some(n) = self.boilerplate_min_docs {
            rules::boilerplate_min_docs(n)
                .map_err(|e| Error::Usage(format!("--boilerplate-min-docs {e}")))?;
        }
        let (field, id_field) = field_paths(&self.field, &self.id_field)?;
        if (self.annotate || self.annotate_only)
            && self.field.split('.').next() == Some(crate::dump::ANNOTATION)
        {
            return Err(Error::Usage(format!(
                "--field {:?} is inside the field that --annotate writes ({:?}): name another text field, or drop --annotate",
                self.field,
                crate::dump::ANNOTATION
            )));
        }
        let lossy = self.input.lossy;
        let mut input = self.input.into_config()?;
        // The corpus pass matches and removes whole blocks in input order, and its idempotence
        // rests on the first-copy rule inside records: in corpus scope the first copy stays
        // and no block is trimmed.
        if self.scope == Scope::Corpus {
            input.options.trim = false;
            input.options.keep = Keep::First;
        }
        Ok(CleanConfig {
            break_hard_links: self.break_hard_links,
            input,
            output,
            report,
            format: self.format,
            dump: DumpConfig {
                field,
                id_field,
                annotate: if self.annotate_only {
                    Annotate::Only
                } else if self.annotate {
                    Annotate::Add
                } else {
                    Annotate::No
                },
                lossy,
                on_error: self.on_error,
            },
            corpus: (self.scope == Scope::Corpus).then_some(CorpusSettings {
                boilerplate_min_docs: self.boilerplate_min_docs,
                max_memory: self.max_memory,
            }),
            terminal: Terminal {
                explain: self.explain,
                color,
                quiet: self.quiet,
                stderr_is_terminal: terminal,
            },
        })
    }
}

impl CheckArgs {
    /// Validates the flags. `color`: colour the human table (standard output is a terminal and
    /// `NO_COLOR` is not set).
    ///
    /// # Errors
    /// Out-of-range values, and no threshold at all (unless a baseline is written).
    pub fn into_config(self, color: bool) -> Result<CheckConfig> {
        let mut thresholds = crate::check::Thresholds {
            max_rate: self.max_rate,
            max_blocks: self.max_blocks,
            max_file_rate: self.max_file_rate,
        };
        if thresholds == crate::check::Thresholds::default() {
            // Only when nothing else sets a threshold: the file's or the user's own win.
            thresholds.max_rate = self.default_max_rate;
        }
        if thresholds == crate::check::Thresholds::default() && self.write_baseline.is_none() {
            // A gate without a limit would always pass.
            return Err(Error::Usage(
                "check needs a threshold: --max-rate R, --max-blocks N or --max-file-rate R (or the same keys under [check] in paradedup.toml)".into(),
            ));
        }
        let (field, id_field) = field_paths(&self.field, &self.id_field)?;
        let dump = DumpConfig {
            field,
            id_field,
            annotate: Annotate::No,
            lossy: self.input.lossy,
            on_error: self.on_error,
        };
        Ok(CheckConfig {
            dump,
            input: self.input.into_config()?,
            thresholds,
            format: self.format,
            input_format: self.input_format,
            color,
            exclude: self.exclude,
            baseline: self.baseline,
            write_baseline: self.write_baseline,
        })
    }
}
