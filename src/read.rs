//! Read: paths on the command line → input documents, in a fixed order.
//!
//! `-` is standard input. A folder is walked recursively in sorted order, keeping the files
//! whose name matches one of the globs. A file named on the command line that is binary (holds a
//! NUL byte) is an error; one met in a folder walk is skipped with a warning. Invalid UTF-8 is an
//! error naming the byte offset, unless `lossy`, which replaces the invalid bytes.
//!
//! `check` walks with [`WalkRules`]: `.gitignore` (and `.ignore`, `.git/info/exclude`) files are
//! honoured and `--exclude` globs drop files and folders; the order is the same sorted one.
//! `clean` never reads ignore files: data folders are often git-ignored.

use std::io::Read;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

/// One input document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where to read it.
    pub source: Source,
    /// Its path relative to the folder it was found in (its file name when named directly):
    /// where `--out-dir` writes it.
    pub relative: PathBuf,
    /// Found in a folder walk (binary files are skipped, not errors).
    pub walked: bool,
}

impl Input {
    /// The path shown to people and in reports (`-` for standard input).
    pub fn display(&self) -> String {
        match &self.source {
            Source::Stdin => "-".to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// Builds the glob set for folder walks.
///
/// # Errors
/// A glob that does not parse.
pub fn globs(patterns: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let g = Glob::new(p).map_err(|e| Error::Usage(format!("invalid --glob {p:?}: {e}")))?;
        b.add(g);
    }
    b.build()
        .map_err(|e| Error::Usage(format!("invalid --glob: {e}")))
}

/// Expands paths into inputs. No path means standard input.
///
/// # Errors
/// A path that does not exist, or a folder that cannot be read.
pub fn discover(paths: &[PathBuf], globs: &GlobSet) -> Result<Vec<Input>> {
    discover_with(paths, globs, None)
}

/// How `check` walks folders: ignore files honoured, `--exclude` globs applied.
#[derive(Debug, Clone)]
pub struct WalkRules {
    /// `--exclude` globs: a file or folder goes when one matches its path relative to the
    /// walked folder, its path as shown, or its name. `*` does not match `/`; `**` does.
    pub exclude: GlobSet,
}

impl WalkRules {
    /// Builds the rules from `--exclude` globs.
    ///
    /// # Errors
    /// A glob that does not parse.
    pub fn new(exclude: &[String]) -> Result<Self> {
        let mut b = GlobSetBuilder::new();
        for p in exclude {
            // `vendor/` names a folder the way .gitignore does.
            let pattern = p.strip_suffix('/').unwrap_or(p);
            // `*` stays within a path component, as in .gitignore (`docs/*.md` is not
            // `docs/guide/x.md`); `**` crosses folders.
            let g = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| Error::Usage(format!("invalid --exclude {p:?}: {e}")))?;
            b.add(g);
        }
        let exclude = b
            .build()
            .map_err(|e| Error::Usage(format!("invalid --exclude: {e}")))?;
        Ok(WalkRules { exclude })
    }

    /// True when `path` (shown as given), relative to its walk root as `relative`, is excluded.
    pub fn excludes(&self, path: &Path, relative: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let shown = path.to_string_lossy();
        let shown = shown.strip_prefix("./").unwrap_or(&shown);
        self.exclude.is_match(relative)
            || self.exclude.is_match(shown)
            || path.file_name().is_some_and(|n| self.exclude.is_match(n))
    }
}

/// Expands paths into inputs; with `rules` (check), folders are walked honouring ignore files
/// and every input is matched against `--exclude`.
///
/// # Errors
/// A path that does not exist, or a folder that cannot be read.
pub fn discover_with(
    paths: &[PathBuf],
    globs: &GlobSet,
    rules: Option<&WalkRules>,
) -> Result<Vec<Input>> {
    if paths.is_empty() {
        return Ok(vec![Input {
            source: Source::Stdin,
            relative: PathBuf::from("stdin"),
            walked: false,
        }]);
    }
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input {
                source: Source::Stdin,
                relative: PathBuf::from("stdin"),
                walked: false,
            });
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_dir() {
            match rules {
                Some(rules) => walk_ignoring(p, globs, rules, &mut out)?,
                None => walk(p, globs, &mut out)?,
            }
        } else if rules.is_some_and(|r| r.excludes(p, &mirrored(p))) {
            // A file named on the command line (a pre-commit hook passes them) is excluded too.
            continue;
        } else {
            let relative = mirrored(p);
            out.push(Input {
                source: Source::File(p.clone()),
                relative,
                walked: false,
            });
        }
    }
    Ok(out)
}

/// The path under `--out-dir` of a file named on the command line: its relative path as given,
/// without `.`, `..` and root components (`a/one.txt` → `a/one.txt`, `/tmp/x.txt` →
/// `tmp/x.txt`).
fn mirrored(p: &Path) -> PathBuf {
    use std::path::Component;
    let kept: PathBuf = p
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    if kept.as_os_str().is_empty() {
        p.to_path_buf()
    } else {
        kept
    }
}

fn walk(root: &Path, globs: &GlobSet, out: &mut Vec<Input>) -> Result<()> {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
            let source = e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("file system loop"));
            Error::io(path, source)
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        if !globs.is_match(entry.file_name()) {
            continue;
        }
        let path = entry.path().to_path_buf();
        let relative = path
            .strip_prefix(root)
            .map_or_else(|_| path.clone(), Path::to_path_buf);
        out.push(Input {
            source: Source::File(path),
            relative,
            walked: true,
        });
    }
    Ok(())
}

/// The walk of `check`: `.gitignore`, `.ignore` and `.git/info/exclude` are honoured (also
/// outside a git repository; the user's global gitignore is not read, so the result does not
/// depend on the machine), hidden files are walked as `clean` walks them except `.git` folders,
/// and `--exclude` prunes files and folders. Same sorted order as [`walk`].
fn walk_ignoring(
    root: &Path,
    globs: &GlobSet,
    rules: &WalkRules,
    out: &mut Vec<Input>,
) -> Result<()> {
    let prune_root = root.to_path_buf();
    let prune = rules.clone();
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .git_ignore(true)
        .git_exclude(true)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(true)
        .sort_by_file_name(std::cmp::Ord::cmp)
        .filter_entry(move |e| {
            let rel = e.path().strip_prefix(&prune_root).unwrap_or(e.path());
            if rel.as_os_str().is_empty() {
                return true;
            }
            // git's own folder is never input (and a large one is slow to walk).
            if e.file_name() == ".git" && e.file_type().is_some_and(|t| t.is_dir()) {
                return false;
            }
            !prune.excludes(e.path(), rel)
        })
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| walk_error(root, e))?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if !globs.is_match(entry.file_name()) {
            continue;
        }
        let path = entry.path().to_path_buf();
        let relative = path
            .strip_prefix(root)
            .map_or_else(|_| path.clone(), Path::to_path_buf);
        out.push(Input {
            source: Source::File(path),
            relative,
            walked: true,
        });
    }
    Ok(())
}

/// An error of the ignore-aware walk, as the path it concerns and its I/O cause.
fn walk_error(root: &Path, e: ignore::Error) -> Error {
    fn path_of(e: &ignore::Error) -> Option<PathBuf> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path.clone()),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Partial(errs) => errs.first().and_then(path_of),
            ignore::Error::Loop { child, .. } => Some(child.clone()),
            _ => None,
        }
    }
    let path = path_of(&e).unwrap_or_else(|| root.to_path_buf());
    let message = e.to_string();
    let source = e
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other(message));
    Error::io(path, source)
}

/// Reads an input's bytes.
///
/// # Errors
/// The file cannot be read.
pub fn read_bytes(input: &Input) -> Result<Vec<u8>> {
    match &input.source {
        Source::Stdin => {
            let mut v = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut v)
                .map_err(|e| Error::io("-", e))?;
            Ok(v)
        }
        Source::File(p) => std::fs::read(p).map_err(|e| Error::io(p, e)),
    }
}

/// Turns bytes into text: binary and invalid UTF-8 are errors (the latter unless `lossy`).
///
/// # Errors
/// [`Error::Binary`] for a NUL byte, [`Error::Utf8`] for invalid UTF-8.
pub fn decode(path: &str, bytes: Vec<u8>, lossy: bool) -> Result<String> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::Binary {
            path: path.into(),
            offset,
        });
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            if lossy {
                Ok(String::from_utf8_lossy(e.as_bytes()).into_owned())
            } else {
                Err(Error::Utf8 {
                    path: path.into(),
                    offset: e.utf8_error().valid_up_to(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_offset() {
        let e = decode("x.txt", b"ab\xffc".to_vec(), false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.txt: invalid UTF-8 at byte offset 2 (use --lossy to replace invalid bytes)"
        );
        assert_eq!(
            decode("x.txt", b"ab\xffc".to_vec(), true).unwrap(),
            "ab\u{fffd}c"
        );
        assert!(matches!(
            decode("x", b"a\0".to_vec(), false),
            Err(Error::Binary { offset: 1, .. })
        ));
    }
}
