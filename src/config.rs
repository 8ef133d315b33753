//! Configuration file: where `paradedup.toml` is, reading it, and showing the effective settings.
//!
//! Discovery walks up from the current folder: the first folder holding a `paradedup.toml` file
//! wins. The walk stops after a folder that holds `.git` (a file or a folder: the repository
//! root, worktrees and submodules included), or at the filesystem root, so a checkout never
//! picks up a file from the folders around it. `--config FILE` names the file instead;
//! `--no-config`, or a non-empty `PARADEDUP_NO_CONFIG` in the environment, skips discovery
//! (`--config` still applies then).
//!
//! What the file may hold (the schema) mirrors the flags and lives next to them in `cli`; this
//! module reads any schema with `toml` and turns its errors into [`Error::Config`] with the file,
//! line and column. Precedence is: a flag given on the command line, then the file, then the
//! built-in default. [`Entry`] records where each effective value came from, and
//! [`render_toml`] / [`render_json`] show them (`paradedup config`).

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// The file name looked for in the current folder and its parents.
pub const FILE_NAME: &str = "paradedup.toml";

/// Environment variable that, set to anything but the empty string, skips discovery.
pub const NO_CONFIG_ENV: &str = "PARADEDUP_NO_CONFIG";

/// Why no file was found, or was not looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotUsed {
    /// The walk reached a folder holding `.git` without finding a file.
    RepositoryRoot,
    /// The walk reached the filesystem root without finding a file.
    FilesystemRoot,
    /// The current folder could not be read.
    NoCurrentFolder,
    /// `--no-config` was given.
    NoConfigFlag,
    /// `PARADEDUP_NO_CONFIG` is set.
    NoConfigEnv,
}

/// Which configuration file applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// Named with `--config` (as given).
    Given(PathBuf),
    /// Found by walking up: the path relative to the current folder (`paradedup.toml`,
    /// `../paradedup.toml`, ...).
    Found(PathBuf),
    /// None applies.
    None(NotUsed),
}

impl Located {
    /// The file to read, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Located::Given(p) | Located::Found(p) => Some(p),
            Located::None(_) => None,
        }
    }

    /// One line for people: the file and how it was chosen.
    pub fn describe(&self) -> String {
        match self {
            Located::Given(p) => format!("{} (--config)", p.display()),
            Located::Found(p) => format!("{} (found from the current folder)", p.display()),
            Located::None(why) => format!(
                "none ({})",
                match why {
                    NotUsed::RepositoryRoot =>
                        "no paradedup.toml from the current folder up to the repository root",
                    NotUsed::FilesystemRoot =>
                        "no paradedup.toml from the current folder up to the filesystem root",
                    NotUsed::NoCurrentFolder => "the current folder cannot be read",
                    NotUsed::NoConfigFlag => "--no-config",
                    NotUsed::NoConfigEnv => "PARADEDUP_NO_CONFIG is set",
                }
            ),
        }
    }
}

/// Chooses the configuration file. `given`: `--config FILE`; `no_config`: `--no-config`;
/// `env_off`: `PARADEDUP_NO_CONFIG` is set; `cwd`: the current folder (absolute), `None` when it
/// cannot be read. Discovery stops at the first `paradedup.toml`, after a folder holding `.git`,
/// or at the filesystem root.
pub fn locate(given: Option<&Path>, no_config: bool, env_off: bool, cwd: Option<&Path>) -> Located {
    if let Some(p) = given {
        return Located::Given(p.to_path_buf());
    }
    if no_config {
        return Located::None(NotUsed::NoConfigFlag);
    }
    if env_off {
        return Located::None(NotUsed::NoConfigEnv);
    }
    let Some(start) = cwd else {
        return Located::None(NotUsed::NoCurrentFolder);
    };
    let mut dir = start;
    let mut relative = PathBuf::new();
    loop {
        if dir.join(FILE_NAME).is_file() {
            return Located::Found(relative.join(FILE_NAME));
        }
        if dir.join(".git").exists() {
            return Located::None(NotUsed::RepositoryRoot);
        }
        match dir.parent() {
            Some(parent) => {
                dir = parent;
                relative.push("..");
            }
            None => return Located::None(NotUsed::FilesystemRoot),
        }
    }
}

/// A configuration file read and parsed.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// The path as shown to people (as given, or relative to the current folder).
    pub path: PathBuf,
    /// Its text, for line numbers.
    pub text: String,
    /// The parsed settings.
    pub data: T,
}

impl<T> Loaded<T> {
    /// The folder that relative paths in the file are resolved against.
    pub fn folder(&self) -> &Path {
        self.path.parent().unwrap_or_else(|| Path::new(""))
    }

    /// 1-based line and column of a byte offset in the file.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        position(&self.text, offset)
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The table (`[name]`) that holds the line at `offset`, `None` for the top level.
fn table_at(text: &str, offset: usize) -> Option<String> {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let before = &before[..before.rfind('\n').map_or(0, |i| i + 1)];
    before.lines().rev().find_map(|l| {
        let l = l.trim();
        (l.starts_with('[') && !l.starts_with("[[")).then(|| {
            l.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
    })
}

/// The key of a value at `offset` (`threshold`, `[clean] scope`): the text before `=` on its
/// line, when the offset is after it.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let eq = text[start..offset].find('=')?;
    let key = text[start..start + eq].trim();
    if key.is_empty() || key.starts_with('#') {
        return None;
    }
    Some(match table_at(text, offset) {
        Some(table) => format!("[{table}] {key}"),
        None => key.to_string(),
    })
}

/// Reads and parses the file at `path` with the schema `T` (which should deny unknown keys).
///
/// # Errors
/// [`Error::Io`] when it cannot be read; [`Error::Config`] naming the file, line and column when
/// it is not valid TOML, holds an unknown key, or a value is out of range.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let data = toml::from_str::<T>(&text).map_err(|e| {
        let start = e.span().map(|s: Range<usize>| s.start);
        let at = start.map(|s| position(&text, s));
        let mut message = e.message().trim().replace('\n', "; ");
        if let Some(rest) = message.strip_prefix("unknown field") {
            // TOML calls them keys; the table tells where the key is not allowed.
            message = match start.and_then(|s| table_at(&text, s)) {
                Some(table) => format!("unknown key{rest} (in [{table}])"),
                None => format!("unknown key{rest}"),
            };
        } else if let Some(key) = start.and_then(|s| key_at(&text, s)) {
            message = format!("{key}: {message}");
        }
        Error::Config {
            path: path.to_path_buf(),
            at,
            message,
        }
    })?;
    Ok(Loaded {
        path: path.to_path_buf(),
        text,
        data,
    })
}

/// The part of the configuration a setting belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Table {
    /// Top-level keys, shared by `clean` and `check`.
    Shared,
    /// `[clean]`.
    Clean,
    /// `[check]`.
    Check,
}

impl Table {
    /// The table's name (empty for the top level).
    pub fn name(self) -> &'static str {
        match self {
            Table::Shared => "",
            Table::Clean => "clean",
            Table::Check => "check",
        }
    }
}

/// Where an effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in default.
    Default,
    /// The configuration file, at this 1-based line.
    File {
        /// The file, as shown to people.
        path: PathBuf,
        /// 1-based line of the value.
        line: usize,
    },
    /// A flag on the command line (`--threshold`).
    Flag(String),
}

impl Origin {
    fn kind(&self) -> &'static str {
        match self {
            Origin::Default => "default",
            Origin::File { .. } => "file",
            Origin::Flag(_) => "flag",
        }
    }

    fn source(&self) -> Option<String> {
        match self {
            Origin::Default => None,
            Origin::File { path, line } => Some(format!("{}:{line}", path.display())),
            Origin::Flag(f) => Some(f.clone()),
        }
    }
}

/// One effective setting.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its table.
    pub table: Table,
    /// Its key in the file (the flag's name with `_` for `-`, but `globs` for `--glob`).
    pub key: &'static str,
    /// Its value; `None` when not set (then `unset` says what that means).
    pub value: Option<toml::Value>,
    /// Where it came from.
    pub origin: Origin,
    /// What no value means (`all cores`), shown when `value` is `None`.
    pub unset: &'static str,
}

/// The effective settings as TOML that can serve as a `paradedup.toml`: each value with a
/// comment naming its origin; settings without a value are comments.
pub fn render_toml(located: &Located, entries: &[Entry]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# paradedup: effective configuration");
    let _ = writeln!(out, "# file: {}", located.describe());
    let _ = writeln!(
        out,
        "# precedence: command-line flag, then file, then default"
    );
    let line = |e: &Entry| match &e.value {
        Some(v) => format!("{} = {v}", e.key),
        None => format!("# {} (not set: {})", e.key, e.unset),
    };
    let width = entries
        .iter()
        .filter(|e| e.value.is_some())
        .map(|e| line(e).len())
        .max()
        .unwrap_or(0);
    let mut table = None;
    for e in entries {
        if table != Some(e.table) {
            table = Some(e.table);
            out.push('\n');
            if e.table != Table::Shared {
                let _ = writeln!(out, "[{}]", e.table.name());
            }
        }
        let text = line(e);
        match (&e.value, e.origin.source()) {
            (Some(_), Some(source)) => {
                let _ = writeln!(out, "{text:width$}  # {}: {source}", e.origin.kind());
            }
            (Some(_), None) => {
                let _ = writeln!(out, "{text:width$}  # {}", e.origin.kind());
            }
            (None, _) => {
                let _ = writeln!(out, "{text}");
            }
        }
    }
    out
}

/// The effective settings as JSON: `{"schema_version": 1, "file": PATH|null, "settings":
/// {"": {KEY: {"value", "origin", "source"}}, "clean": {...}, "check": {...}}}`, where `origin`
/// is `default`, `file` or `flag` and `source` is `FILE:LINE`, the flag, or null.
///
/// # Errors
/// A value that JSON cannot hold (never for the settings paradedup has).
pub fn render_json(located: &Located, entries: &[Entry]) -> Result<String> {
    use serde_json::{json, Map, Value};
    let mut tables: Map<String, Value> = Map::new();
    for e in entries {
        let value = match &e.value {
            Some(v) => serde_json::to_value(v)
                .map_err(|err| Error::Internal(format!("{}: {err}", e.key)))?,
            None => Value::Null,
        };
        let table = tables
            .entry(e.table.name())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(t) = table {
            t.insert(
                e.key.to_string(),
                json!({ "value": value, "origin": e.origin.kind(), "source": e.origin.source() }),
            );
        }
    }
    let doc = json!({
        "schema_version": 1,
        "file": located.path().map(|p| p.display().to_string()),
        "settings": tables,
    });
    serde_json::to_string_pretty(&doc)
        .map(|s| s + "\n")
        .map_err(|err| Error::Internal(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(paths: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for p in paths {
            let full = dir.path().join(p);
            if let Some(folder) = p.strip_suffix('/') {
                std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            } else {
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(full, "").unwrap();
            }
        }
        dir
    }

    #[test]
    fn discovery_finds_the_nearest_file_upwards() {
        let t = tree(&[".git/", "paradedup.toml", "a/paradedup.toml", "a/b/c/"]);
        let at = |rel: &str| locate(None, false, false, Some(&t.path().join(rel)));
        assert_eq!(at("a/b/c"), Located::Found("../../paradedup.toml".into()));
        assert_eq!(at("a"), Located::Found("paradedup.toml".into()));
        assert_eq!(at(""), Located::Found("paradedup.toml".into()));
    }

    #[test]
    fn discovery_stops_at_the_repository_root() {
        // The outer file is above the repository (`repo/.git`): never used.
        let t = tree(&["paradedup.toml", "repo/.git/", "repo/sub/"]);
        let found = locate(None, false, false, Some(&t.path().join("repo/sub")));
        assert_eq!(found, Located::None(NotUsed::RepositoryRoot));
        // A `.git` file (worktree, submodule) is a boundary too.
        let t = tree(&["paradedup.toml", "wt/.git", "wt/x/"]);
        let found = locate(None, false, false, Some(&t.path().join("wt/x")));
        assert_eq!(found, Located::None(NotUsed::RepositoryRoot));
    }

    #[test]
    fn a_file_in_the_repository_root_is_found() {
        let t = tree(&["repo/.git/", "repo/paradedup.toml", "repo/sub/"]);
        let found = locate(None, false, false, Some(&t.path().join("repo/sub")));
        assert_eq!(found, Located::Found("../paradedup.toml".into()));
    }

    #[test]
    fn flags_and_environment_come_before_discovery() {
        let t = tree(&[".git/", "paradedup.toml"]);
        let cwd = Some(t.path());
        let given = Path::new("other.toml");
        assert_eq!(
            locate(Some(given), true, true, cwd),
            Located::Given(given.into())
        );
        assert_eq!(
            locate(None, true, false, cwd),
            Located::None(NotUsed::NoConfigFlag)
        );
        assert_eq!(
            locate(None, false, true, cwd),
            Located::None(NotUsed::NoConfigEnv)
        );
        assert_eq!(
            locate(None, false, false, None),
            Located::None(NotUsed::NoCurrentFolder)
        );
    }

    #[test]
    fn positions_and_tables() {
        let text = "a = 1\n[clean]\nfoo = 2\n";
        assert_eq!(position(text, 0), (1, 1));
        assert_eq!(position(text, 14), (3, 1));
        assert_eq!(table_at(text, 14).as_deref(), Some("clean"));
        assert_eq!(table_at(text, 2), None);
        // An unknown table's own header is not the table the error is in.
        assert_eq!(table_at(text, 7), None);
        assert_eq!(key_at(text, 20).as_deref(), Some("[clean] foo"));
        assert_eq!(key_at(text, 4).as_deref(), Some("a"));
        assert_eq!(key_at(text, 0), None);
    }
}
