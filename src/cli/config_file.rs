//! The schema of `paradedup.toml` and how it goes under the flags.
//!
//! Every key mirrors a flag and is named after the flag's field (`--id-field` → `id_field`,
//! `--glob` → `globs`). Shared matching keys sit at the top level; `[clean]` and `[check]` hold
//! the keys of one subcommand. A value from the file replaces the flag's default only when the
//! flag was not given on the command line (clap's `ValueSource::CommandLine`), so a default
//! never hides a file value. Values are validated as they are read, so an error names the file,
//! line and column. Adding a key for a new flag takes two lines: a field in the table struct and
//! one `set`/`option`/`list` line in [`clean`] or [`check`].

use std::fmt;
use std::io::Write;
use std::marker::PhantomData;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Subcommand, ValueEnum};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::{
    parse_rate, parse_size, CheckArgs, CheckFormat, CleanArgs, Cli, Command, Format, InputArgs,
    Keep, Metric, OnError, Scope, Unit,
};
use crate::app::{CheckConfig, CleanConfig};
use crate::config::{self, Entry, Located, Origin, Table};
use crate::error::{Error, Result};

/// `config` arguments.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print JSON instead of TOML: {"schema_version", "file", "settings": {TABLE: {KEY:
    /// {"value", "origin", "source"}}}}, TABLE "" for the shared keys.
    #[arg(long, global = true)]
    pub json: bool,
    /// Show one subcommand's settings, with its flags applied.
    #[command(subcommand)]
    pub target: Option<ConfigTarget>,
}

/// The subcommand whose settings `config` shows.
#[derive(Debug, Subcommand)]
pub enum ConfigTarget {
    /// The shared and `[clean]` settings, with these clean flags applied.
    Clean(CleanArgs),
    /// The shared and `[check]` settings, with these check flags applied.
    Check(CheckArgs),
}

/// `clean`'s validated settings: the configuration file under the flags.
///
/// # Errors
/// An unreadable or invalid configuration file; see also [`CleanArgs::into_config`].
pub fn clean_config(
    mut args: CleanArgs,
    matches: &ArgMatches,
    located: &Located,
    color: bool,
    terminal: bool,
) -> Result<CleanConfig> {
    let file = load(located)?;
    let root = Cli::command();
    let (m, c) = subcommand(matches, &root, &["clean"])?;
    clean(&mut args, m, c, file.as_ref())?;
    args.into_config(color, terminal)
}

/// `check`'s validated settings: the configuration file under the flags.
///
/// # Errors
/// An unreadable or invalid configuration file; see also [`CheckArgs::into_config`].
pub fn check_config(
    mut args: CheckArgs,
    matches: &ArgMatches,
    located: &Located,
    color: bool,
) -> Result<CheckConfig> {
    let file = load(located)?;
    let root = Cli::command();
    let (m, c) = subcommand(matches, &root, &["check"])?;
    check(&mut args, m, c, file.as_ref())?;
    args.into_config(color)
}

/// `paradedup config`: writes the effective settings, each with its origin, as TOML (or JSON).
/// Without a subcommand, the shared, `[clean]` and `[check]` settings from defaults and the file.
///
/// # Errors
/// An unreadable or invalid configuration file, or the writer's error.
pub fn print_config(
    args: ConfigArgs,
    matches: &ArgMatches,
    located: &Located,
    out: &mut dyn Write,
) -> Result<()> {
    let file = load(located)?;
    let root = Cli::command();
    let entries = match args.target {
        Some(ConfigTarget::Clean(mut a)) => {
            let (m, c) = subcommand(matches, &root, &["config", "clean"])?;
            clean(&mut a, m, c, file.as_ref())?
        }
        Some(ConfigTarget::Check(mut a)) => {
            let (m, c) = subcommand(matches, &root, &["config", "check"])?;
            check(&mut a, m, c, file.as_ref())?
        }
        None => {
            // Each subcommand as if run without flags: defaults, then the file.
            let mut entries = Vec::new();
            for name in ["clean", "check"] {
                let m = root
                    .clone()
                    .try_get_matches_from(["paradedup", name])
                    .map_err(|e| Error::Usage(e.to_string()))?;
                let cli = Cli::from_arg_matches(&m).map_err(|e| Error::Usage(e.to_string()))?;
                let (sm, c) = subcommand(&m, &root, &[name])?;
                let found = match cli.command {
                    Command::Clean(mut a) => clean(&mut a, sm, c, file.as_ref())?,
                    Command::Check(mut a) => check(&mut a, sm, c, file.as_ref())?,
                    _ => Vec::new(),
                };
                // The shared keys once, from the first pass.
                let shared_done = !entries.is_empty();
                entries.extend(
                    found
                        .into_iter()
                        .filter(|e| !(shared_done && e.table == Table::Shared)),
                );
            }
            entries
        }
    };
    let text = if args.json {
        config::render_json(located, &entries)?
    } else {
        config::render_toml(located, &entries)
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("-", e))
}

/// The matches and the clap definition of a (nested) subcommand.
fn subcommand<'a>(
    matches: &'a ArgMatches,
    root: &'a clap::Command,
    path: &[&str],
) -> Result<(&'a ArgMatches, &'a clap::Command)> {
    let (mut m, mut c) = (matches, root);
    for name in path {
        m = m
            .subcommand_matches(name)
            .ok_or_else(|| Error::Internal(format!("no matches for {name}")))?;
        c = c
            .find_subcommand(name)
            .ok_or_else(|| Error::Internal(format!("no subcommand {name}")))?;
    }
    Ok((m, c))
}

/// `paradedup.toml`: shared keys at the top level, then `[clean]` and `[check]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    unit: Option<Spanned<Choice<Unit>>>,
    threshold: Option<Spanned<Threshold>>,
    metric: Option<Spanned<Choice<Metric>>>,
    keep: Option<Spanned<Choice<Keep>>>,
    whole_blocks: Option<Spanned<bool>>,
    globs: Option<Spanned<Vec<String>>>,
    threads: Option<Spanned<Threads>>,
    lossy: Option<Spanned<bool>>,
    #[serde(default)]
    clean: CleanTable,
    #[serde(default)]
    check: CheckTable,
}

/// `[clean]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CleanTable {
    format: Option<Spanned<Choice<Format>>>,
    field: Option<Spanned<FieldPath>>,
    id_field: Option<Spanned<FieldPath>>,
    scope: Option<Spanned<Choice<Scope>>>,
    boilerplate_min_docs: Option<Spanned<MinDocs>>,
    max_memory: Option<Spanned<Size>>,
    on_error: Option<Spanned<Choice<OnError>>>,
}

/// `[check]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckTable {
    max_rate: Option<Spanned<Rate>>,
    max_blocks: Option<Spanned<u64>>,
    max_file_rate: Option<Spanned<Rate>>,
    format: Option<Spanned<Choice<CheckFormat>>>,
    exclude: Option<Spanned<Vec<String>>>,
    /// Relative to the file's folder.
    baseline: Option<Spanned<PathBuf>>,
    input_format: Option<Spanned<Choice<Format>>>,
    field: Option<Spanned<FieldPath>>,
    id_field: Option<Spanned<FieldPath>>,
    on_error: Option<Spanned<Choice<OnError>>>,
}

/// Reads the located file, if any.
///
/// # Errors
/// See [`config::load`].
pub fn load(located: &Located) -> Result<Option<config::Loaded<FileConfig>>> {
    located.path().map(config::load::<FileConfig>).transpose()
}

/// Puts the file under `clean`'s flags; returns the effective settings with their origins.
///
/// # Errors
/// A file value that does not fit with the others (`boilerplate_min_docs` without corpus scope).
pub fn clean(
    a: &mut CleanArgs,
    matches: &ArgMatches,
    command: &clap::Command,
    file: Option<&config::Loaded<FileConfig>>,
) -> Result<Vec<Entry>> {
    let (mut l, f) = Layer::with_shared(&mut a.input, matches, command, file);
    let c = &f.clean;
    l.table = Table::Clean;
    l.set("format", &mut a.format, &c.format);
    l.set("field", &mut a.field, &c.field);
    l.set("id_field", &mut a.id_field, &c.id_field);
    l.set("scope", &mut a.scope, &c.scope);
    let unset = "short blocks are not matched across documents";
    l.option(
        "boilerplate_min_docs",
        &mut a.boilerplate_min_docs,
        &c.boilerplate_min_docs,
        unset,
    );
    l.option("max_memory", &mut a.max_memory, &c.max_memory, "no limit");
    l.set("on_error", &mut a.on_error, &c.on_error);
    if let Some(v) = &c.boilerplate_min_docs {
        if a.scope != Scope::Corpus && !l.given("boilerplate_min_docs") {
            let message = "needs scope = \"corpus\"";
            return Err(l.error(v, "boilerplate_min_docs", message));
        }
    }
    Ok(l.entries)
}

/// Puts the file under `check`'s flags; returns the effective settings with their origins.
///
/// # Errors
/// None yet; the signature leaves room for checks across keys.
pub fn check(
    a: &mut CheckArgs,
    matches: &ArgMatches,
    command: &clap::Command,
    file: Option<&config::Loaded<FileConfig>>,
) -> Result<Vec<Entry>> {
    let (mut l, f) = Layer::with_shared(&mut a.input, matches, command, file);
    let k = &f.check;
    l.table = Table::Check;
    let unset = "check needs --max-rate or this key";
    l.option("max_rate", &mut a.max_rate, &k.max_rate, unset);
    l.option("max_blocks", &mut a.max_blocks, &k.max_blocks, "no limit");
    l.option(
        "max_file_rate",
        &mut a.max_file_rate,
        &k.max_file_rate,
        "no limit",
    );
    l.set("format", &mut a.format, &k.format);
    l.list("exclude", &mut a.exclude, &k.exclude, "none");
    let from_file = !l.given("baseline") && k.baseline.is_some();
    l.option("baseline", &mut a.baseline, &k.baseline, "none");
    if from_file {
        if let (Some(path), Some(folder)) = (a.baseline.as_mut(), file.map(|f| f.folder())) {
            *path = folder.join(&*path);
        }
    }
    l.set("input_format", &mut a.input_format, &k.input_format);
    l.set("field", &mut a.field, &k.field);
    l.set("id_field", &mut a.id_field, &k.id_field);
    l.set("on_error", &mut a.on_error, &k.on_error);
    Ok(l.entries)
}

/// The settings of a file that sets nothing.
static NO_FILE: std::sync::LazyLock<FileConfig> = std::sync::LazyLock::new(FileConfig::default);

impl<'a> Layer<'a> {
    /// A layer over the flags of `matches`, with the shared keys of the file (if any) set; and
    /// the file's settings.
    fn with_shared(
        input: &mut InputArgs,
        matches: &'a ArgMatches,
        command: &'a clap::Command,
        file: Option<&'a config::Loaded<FileConfig>>,
    ) -> (Self, &'a FileConfig) {
        let f = file.map_or(&*NO_FILE, |l| &l.data);
        let mut l = Layer::new(matches, command, file);
        shared(&mut l, input, f);
        (l, f)
    }
}

fn shared(l: &mut Layer<'_>, a: &mut InputArgs, f: &FileConfig) {
    l.table = Table::Shared;
    l.set("unit", &mut a.unit, &f.unit);
    l.set("threshold", &mut a.threshold, &f.threshold);
    l.set("metric", &mut a.metric, &f.metric);
    l.set("keep", &mut a.keep, &f.keep);
    l.set("whole_blocks", &mut a.whole_blocks, &f.whole_blocks);
    let unset = default_globs!();
    l.list("globs", &mut a.globs, &f.globs, unset);
    l.option(
        "threads",
        &mut a.threads,
        &f.threads,
        "all cores; one more for JSONL dumps",
    );
    l.set("lossy", &mut a.lossy, &f.lossy);
}

/// One pass of the file under one subcommand's flags.
struct Layer<'a> {
    matches: &'a ArgMatches,
    command: &'a clap::Command,
    file: Option<&'a config::Loaded<FileConfig>>,
    table: Table,
    entries: Vec<Entry>,
}

impl<'a> Layer<'a> {
    fn new(
        matches: &'a ArgMatches,
        command: &'a clap::Command,
        file: Option<&'a config::Loaded<FileConfig>>,
    ) -> Self {
        Layer {
            matches,
            command,
            file,
            table: Table::Shared,
            entries: Vec::new(),
        }
    }

    /// The flag was given on the command line (not defaulted).
    fn given(&self, id: &str) -> bool {
        self.matches.value_source(id) == Some(ValueSource::CommandLine)
    }

    /// `--long` of the argument `id`.
    fn flag(&self, id: &str) -> String {
        self.command
            .get_arguments()
            .find(|a| a.get_id() == id)
            .and_then(clap::Arg::get_long)
            .map_or_else(|| id.to_string(), |l| format!("--{l}"))
    }

    /// The file and the 1-based line and column of a value in it.
    fn at<T>(&self, v: &Spanned<T>) -> (PathBuf, (usize, usize)) {
        self.file.map_or((PathBuf::new(), (0, 0)), |f| {
            (f.path.clone(), f.position(v.span().start))
        })
    }

    /// An error about the value of `key` in the current table.
    fn error<T>(&self, v: &Spanned<T>, key: &str, message: &str) -> Error {
        let (path, at) = self.at(v);
        let message = match self.table {
            Table::Shared => format!("{key}: {message}"),
            t => format!("[{}] {key}: {message}", t.name()),
        };
        Error::Config {
            path,
            at: Some(at),
            message,
        }
    }

    /// The flag if given, else the file's value if set, else the default already in `slot`.
    fn origin<'f, F>(&self, id: &str, file: &'f Option<Spanned<F>>) -> (Origin, Option<&'f F>) {
        if self.given(id) {
            return (Origin::Flag(self.flag(id)), None);
        }
        match file {
            Some(v) => {
                let (path, (line, _)) = self.at(v);
                (Origin::File { path, line }, Some(v.get_ref()))
            }
            None => (Origin::Default, None),
        }
    }

    fn push(
        &mut self,
        key: &'static str,
        value: Option<toml::Value>,
        origin: Origin,
        unset: &'static str,
    ) {
        self.entries.push(Entry {
            table: self.table,
            key,
            value,
            origin,
            unset,
        });
    }

    /// A setting that always has a value.
    fn set<T: Show, F: FileValue<T>>(
        &mut self,
        id: &'static str,
        slot: &mut T,
        file: &Option<Spanned<F>>,
    ) {
        let (origin, value) = self.origin(id, file);
        if let Some(v) = value {
            *slot = v.value();
        }
        self.push(id, Some(slot.show()), origin, "");
    }

    /// A setting that may be unset (`unset` says what that means).
    fn option<T: Show, F: FileValue<T>>(
        &mut self,
        id: &'static str,
        slot: &mut Option<T>,
        file: &Option<Spanned<F>>,
        unset: &'static str,
    ) {
        let (origin, value) = self.origin(id, file);
        if let Some(v) = value {
            *slot = Some(v.value());
        }
        self.push(id, slot.as_ref().map(Show::show), origin, unset);
    }

    /// A list that replaces (never extends) the default; empty means the default.
    fn list(
        &mut self,
        id: &'static str,
        slot: &mut Vec<String>,
        file: &Option<Spanned<Vec<String>>>,
        unset: &'static str,
    ) {
        let (origin, value) = self.origin(id, file);
        if let Some(v) = value {
            slot.clone_from(v);
        }
        let shown = (!slot.is_empty()).then(|| slot.show());
        self.push(id, shown, origin, unset);
    }
}

/// A file value turned into the flag's type.
trait FileValue<T> {
    fn value(&self) -> T;
}

impl FileValue<u64> for u64 {
    fn value(&self) -> u64 {
        *self
    }
}

impl FileValue<PathBuf> for PathBuf {
    fn value(&self) -> PathBuf {
        self.clone()
    }
}

impl Show for PathBuf {
    fn show(&self) -> toml::Value {
        toml::Value::String(self.display().to_string())
    }
}

impl FileValue<bool> for bool {
    fn value(&self) -> bool {
        *self
    }
}

/// How an effective value is shown in `paradedup config`.
trait Show {
    fn show(&self) -> toml::Value;
}

impl Show for f64 {
    fn show(&self) -> toml::Value {
        toml::Value::Float(*self)
    }
}

impl Show for bool {
    fn show(&self) -> toml::Value {
        toml::Value::Boolean(*self)
    }
}

impl Show for String {
    fn show(&self) -> toml::Value {
        toml::Value::String(self.clone())
    }
}

impl Show for Vec<String> {
    fn show(&self) -> toml::Value {
        toml::Value::Array(self.iter().map(Show::show).collect())
    }
}

macro_rules! show_integer {
    ($($t:ty),*) => {$(
        impl Show for $t {
            fn show(&self) -> toml::Value {
                i64::try_from(*self).map_or_else(|_| toml::Value::String(self.to_string()), toml::Value::Integer)
            }
        }
    )*};
}
show_integer!(u32, u64, usize);

macro_rules! show_choice {
    ($($t:ty),*) => {$(
        impl Show for $t {
            fn show(&self) -> toml::Value {
                toml::Value::String(
                    self.to_possible_value()
                        .map_or_else(String::new, |v| v.get_name().to_string()),
                )
            }
        }
    )*};
}
show_choice!(Unit, Metric, Keep, CheckFormat, Format, Scope, OnError);

/// One of the flag's values (`"line"`), by the names the flag takes.
#[derive(Debug)]
struct Choice<E>(E);

impl<E: ValueEnum + Clone> FileValue<E> for Choice<E> {
    fn value(&self) -> E {
        self.0.clone()
    }
}

impl<'de, E: ValueEnum> Deserialize<'de> for Choice<E> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        E::from_str(&s, false).map(Choice).map_err(|_| {
            let names: Vec<String> = E::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value)
                .map(|v| format!("\"{}\"", v.get_name()))
                .collect();
            de::Error::custom(format!(
                "unknown value \"{s}\", expected one of {}",
                names.join(", ")
            ))
        })
    }
}

/// A value of the file that follows one of [`crate::cli::rules`], the same rule as its flag:
/// `ruled!(/// doc\n Name(type) by rule)`.
macro_rules! ruled {
    ($(#[$doc:meta])* $name:ident($t:ty) by $rule:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        struct $name($t);

        impl FileValue<$t> for $name {
            fn value(&self) -> $t {
                self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                crate::cli::rules::$rule(<$t>::deserialize(d)?)
                    .map($name)
                    .map_err(de::Error::custom)
            }
        }
    };
}

ruled!(
    /// A number in 0..1 (the near-duplicate threshold).
    Threshold(f64) by threshold
);

/// A rate: a number in 0..1 (`0.05`) or a string (`"0.05"`, `"5%"`), as `--max-rate` takes.
#[derive(Debug)]
struct Rate(f64);

impl FileValue<f64> for Rate {
    fn value(&self) -> f64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(NumberOrText::<Rate>(PhantomData))
    }
}

/// A size in bytes: an integer or a string with a unit (`"512M"`), as `--max-memory` takes.
#[derive(Debug)]
struct Size(u64);

impl FileValue<u64> for Size {
    fn value(&self) -> u64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(NumberOrText::<Size>(PhantomData))
    }
}

/// Types read from a number or from the text its flag takes.
trait FromText: Sized {
    const EXPECTING: &'static str;
    fn from_text(s: &str) -> std::result::Result<Self, String>;
    fn from_f64(v: f64) -> std::result::Result<Self, String>;
}

impl FromText for Rate {
    const EXPECTING: &'static str = "a rate: 0.05 or \"5%\"";
    fn from_text(s: &str) -> std::result::Result<Self, String> {
        parse_rate(s).map(Rate)
    }
    fn from_f64(v: f64) -> std::result::Result<Self, String> {
        parse_rate(&v.to_string()).map(Rate)
    }
}

impl FromText for Size {
    const EXPECTING: &'static str = "a size: bytes, or \"512M\", \"4G\"";
    fn from_text(s: &str) -> std::result::Result<Self, String> {
        parse_size(s).map(Size)
    }
    fn from_f64(v: f64) -> std::result::Result<Self, String> {
        parse_size(&v.to_string()).map(Size)
    }
}

struct NumberOrText<T>(PhantomData<T>);

impl<T: FromText> Visitor<'_> for NumberOrText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<T, E> {
        T::from_text(s).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<T, E> {
        T::from_f64(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<T, E> {
        T::from_text(&v.to_string()).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<T, E> {
        T::from_text(&v.to_string()).map_err(E::custom)
    }
}

ruled!(
    /// Worker threads, at least 1.
    Threads(usize) by threads
);

ruled!(
    /// `boilerplate_min_docs`: at least 2, so the first occurrence always stays.
    MinDocs(u32) by boilerplate_min_docs
);

/// A JSONL field path (`text`, `content.body`).
#[derive(Debug)]
struct FieldPath(String);

impl FileValue<String> for FieldPath {
    fn value(&self) -> String {
        self.0.clone()
    }
}

impl<'de> Deserialize<'de> for FieldPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        super::rules::field_path(&s).map_err(de::Error::custom)?;
        Ok(FieldPath(s))
    }
}
