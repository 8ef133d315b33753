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
    /// True when the path is a symbolic link (it reaches a file that has a name of its own).
    fn via_link(&self) -> bool {
        match &self.source {
            Source::Stdin => false,
            Source::File(p) => p
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink()),
        }
    }

    /// The path shown to people and in reports (`-` for standard input).
    pub fn display(&self) -> String {
        match &self.source {
            Source::Stdin => "-".to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

fn pattern_error(flag: &'static str, pattern: Option<&str>, source: globset::Error) -> Error {
    Error::Pattern {
        flag,
        pattern: pattern.map(String::from),
        source,
    }
}

/// Builds the glob set for folder walks.
///
/// # Errors
/// A glob that does not parse.
pub fn globs(patterns: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let g = Glob::new(p).map_err(|source| pattern_error("--glob", Some(p), source))?;
        b.add(g);
    }
    b.build()
        .map_err(|source| pattern_error("--glob", None, source))
}

/// An input reached a second time, by another path (a symbolic link, `./a.txt` after
/// `a.txt`, a file named and also found in a walked folder, a second hard link): it is read
/// once, under the name in [`Alias::kept`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The path that is skipped.
    pub skipped: String,
    /// The path the file is read under.
    pub kept: String,
}

/// The inputs of a run, each file once, and the aliases that were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    /// The inputs in order.
    pub inputs: Vec<Input>,
    /// Paths that reach a file already among the inputs.
    pub aliases: Vec<Alias>,
}

/// Expands paths into inputs. No path means standard input.
///
/// # Errors
/// A path that does not exist, or a folder that cannot be read.
pub fn discover(paths: &[PathBuf], globs: &GlobSet) -> Result<Discovered> {
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
                .map_err(|source| pattern_error("--exclude", Some(p), source))?;
            b.add(g);
        }
        let exclude = b
            .build()
            .map_err(|source| pattern_error("--exclude", None, source))?;
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
/// and every input is matched against `--exclude`. A file reached by several paths is one
/// input (see [`Alias`]).
///
/// # Errors
/// A path that does not exist, or a folder that cannot be read.
pub fn discover_with(
    paths: &[PathBuf],
    globs: &GlobSet,
    rules: Option<&WalkRules>,
) -> Result<Discovered> {
    let found = expand(paths, globs, rules)?;
    Ok(distinct(found))
}

/// Drops the inputs that reach a file already among them (same device and inode, or the same
/// canonical path where inodes are unknown; standard input given twice). Of a group, the first
/// path that is not a symbolic link is kept, in its own place; a group of links keeps its first.
/// Reading a file twice would make the second reading a later document holding every block,
/// and corpus scope would empty it: with `--in-place`, the file itself.
fn distinct(found: Vec<Input>) -> Discovered {
    use std::collections::HashMap;
    let ids: Vec<Option<FileId>> = found.iter().map(|i| FileId::of(&i.source)).collect();
    let links: Vec<bool> = found.iter().map(Input::via_link).collect();
    let mut keeper: HashMap<&FileId, usize> = HashMap::new();
    for (n, id) in ids.iter().enumerate() {
        let Some(id) = id else { continue };
        keeper
            .entry(id)
            .and_modify(|k| {
                if links[*k] && !links[n] {
                    *k = n;
                }
            })
            .or_insert(n);
    }
    let mut out = Discovered::default();
    for (n, input) in found.iter().enumerate() {
        match ids[n].as_ref().map(|id| keeper[id]) {
            Some(k) if k != n => out.aliases.push(Alias {
                skipped: input.display(),
                kept: found[k].display(),
            }),
            _ => out.inputs.push(input.clone()),
        }
    }
    out
}

/// What makes two paths the same input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    Stdin,
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Canonical(PathBuf),
}

impl FileId {
    fn of(source: &Source) -> Option<FileId> {
        match source {
            Source::Stdin => Some(FileId::Stdin),
            #[cfg(unix)]
            Source::File(p) => {
                use std::os::unix::fs::MetadataExt;
                let m = std::fs::metadata(p).ok()?;
                Some(FileId::Inode(m.dev(), m.ino()))
            }
            #[cfg(not(unix))]
            Source::File(p) => std::fs::canonicalize(p).ok().map(FileId::Canonical),
        }
    }
}

/// Expands paths into inputs, in order, aliases included.
fn expand(paths: &[PathBuf], globs: &GlobSet, rules: Option<&WalkRules>) -> Result<Vec<Input>> {
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

/// True when a file name is selected by `globs`, as it is or without a compression extension
/// (`notes.txt.gz` is read as `notes.txt`).
pub fn selects(globs: &GlobSet, name: &std::ffi::OsStr) -> bool {
    globs.is_match(name)
        || name
            .to_str()
            .is_some_and(|n| globs.is_match(crate::compress::plain_name(n)))
}

/// The files of a walk that match `globs`, in the walk's order. `selected` applies the walk's
/// other rules (check's ignore files and `--exclude`) to a path the walker could not follow.
///
/// A symbolic link whose target does not exist is skipped when no glob selects its name, and
/// is an error naming it when one does (it was meant as input).
fn collect(
    root: &Path,
    globs: &GlobSet,
    walker: impl Iterator<Item = walkdir::Result<walkdir::DirEntry>>,
    selected: &mut dyn FnMut(&Path) -> bool,
    out: &mut Vec<Input>,
) -> Result<()> {
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                if let Some((target, why)) = dangling_link(&path) {
                    let chosen = path.file_name().is_some_and(|n| selects(globs, n));
                    if !chosen || !selected(&path) {
                        continue;
                    }
                    let message = if why.kind() == std::io::ErrorKind::NotFound {
                        format!(
                            "dangling symbolic link: its target {} does not exist",
                            target.display()
                        )
                    } else {
                        // A loop of links, or a target in a folder that cannot be searched.
                        format!(
                            "symbolic link to {} cannot be followed: {why}",
                            target.display()
                        )
                    };
                    return Err(Error::io(&path, std::io::Error::new(why.kind(), message)));
                }
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("file system loop"));
                return Err(Error::io(path, source));
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        if !selects(globs, entry.file_name()) {
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

/// The target of `path` when it is a symbolic link that leads nowhere (its target is missing,
/// loops, or lies in a folder that cannot be searched), and why it cannot be followed.
fn dangling_link(path: &Path) -> Option<(PathBuf, std::io::Error)> {
    let link = path.symlink_metadata().ok()?;
    if !link.file_type().is_symlink() {
        return None;
    }
    let why = std::fs::metadata(path).err()?;
    Some((std::fs::read_link(path).ok()?, why))
}

fn walk(root: &Path, globs: &GlobSet, out: &mut Vec<Input>) -> Result<()> {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name();
    collect(root, globs, walker.into_iter(), &mut |_| true, out)
}

/// The walk of `check`: `.gitignore`, `.ignore` and `.git/info/exclude` are honoured, hidden
/// files are walked as `clean` walks them except `.git` folders, and `--exclude` prunes files
/// and folders. Same sorted order as [`walk`].
///
/// Ignore files are read as git reads them: in the walked folder and below, and in the folders
/// above it up to the repository root (the first folder holding `.git`, a folder or a file);
/// never above that root, so a stray `.gitignore` in a home folder or `/tmp` does not apply.
/// Outside any repository none above the walked folder is read. A nested repository under the
/// walked folder reads only its own. The user's global gitignore is never read, so the result
/// does not depend on the machine. The walked folder itself is walked even when a rule above it
/// ignores it: it was named.
fn walk_ignoring(
    root: &Path,
    globs: &GlobSet,
    rules: &WalkRules,
    out: &mut Vec<Input>,
) -> Result<()> {
    let base = std::fs::canonicalize(root)
        .or_else(|_| std::path::absolute(root))
        .map_err(|e| Error::io(root, e))?;
    // Shared by the walker's filter and the rule for paths it could not follow.
    let ignores = std::cell::RefCell::new(IgnoreFiles::new(&base));
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            if rel.as_os_str().is_empty() {
                return true;
            }
            let is_dir = e.file_type().is_dir();
            // git's own folder is never input (and a large one is slow to walk).
            if is_dir && e.file_name() == ".git" {
                return false;
            }
            !rules.excludes(e.path(), rel) && !ignores.borrow_mut().ignored(&base.join(rel), is_dir)
        });
    let mut selected = |path: &Path| {
        let rel = path.strip_prefix(root).unwrap_or(path);
        !rules.excludes(path, rel) && !ignores.borrow_mut().ignored(&base.join(rel), false)
    };
    collect(root, globs, walker, &mut selected, out)
}

/// The ignore files of one folder.
struct IgnoreLevel {
    /// `.ignore`, then `.gitignore`: the first that matches decides.
    files: [ignore::gitignore::Gitignore; 2],
    /// The folder holds `.git`: a repository root, with its `info/exclude`.
    exclude: Option<ignore::gitignore::Gitignore>,
}

/// The ignore files met in a walk, read once per folder; paths are absolute.
struct IgnoreFiles {
    /// The highest folder whose ignore files count: the repository root at or above the walked
    /// folder, or the walked folder outside a repository.
    top: PathBuf,
    levels: std::collections::HashMap<PathBuf, IgnoreLevel>,
}

impl IgnoreFiles {
    fn new(walked: &Path) -> Self {
        let top = walked
            .ancestors()
            .find(|d| d.join(".git").symlink_metadata().is_ok())
            .unwrap_or(walked)
            .to_path_buf();
        IgnoreFiles {
            top,
            levels: std::collections::HashMap::new(),
        }
    }

    /// True when `path` is ignored: the closest folder whose ignore files match it decides
    /// (a `!` rule keeps it), up to the repository root or [`Self::top`]; then the
    /// repository's `info/exclude`.
    fn ignored(&mut self, path: &Path, is_dir: bool) -> bool {
        use ignore::Match;
        let mut dir = path.parent();
        while let Some(d) = dir {
            let level = self
                .levels
                .entry(d.to_path_buf())
                .or_insert_with(|| IgnoreLevel::read(d));
            for file in &level.files {
                match file.matched(path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
            if let Some(exclude) = &level.exclude {
                return exclude.matched(path, is_dir).is_ignore();
            }
            if d == self.top {
                break;
            }
            dir = d.parent();
        }
        false
    }
}

impl IgnoreLevel {
    fn read(dir: &Path) -> Self {
        let build = |files: &[PathBuf]| {
            let mut b = ignore::gitignore::GitignoreBuilder::new(dir);
            for f in files {
                if f.is_file() {
                    // As git does, a line that does not parse is skipped, not an error.
                    let _ = b.add(f);
                }
            }
            b.build()
                .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty())
        };
        let files = [
            build(&[dir.join(".ignore")]),
            build(&[dir.join(".gitignore")]),
        ];
        let dot_git = dir.join(".git");
        let exclude = dot_git
            .symlink_metadata()
            .ok()
            .map(|_| build(&[git_dir(&dot_git).join("info").join("exclude")]));
        IgnoreLevel { files, exclude }
    }
}

/// The folder that holds a repository's `info/exclude`: `.git` itself, or for a worktree or a
/// submodule (`.git` is a file, `gitdir: PATH`) the common folder of the repository it names.
fn git_dir(dot_git: &Path) -> PathBuf {
    if dot_git.is_dir() {
        return dot_git.to_path_buf();
    }
    let Some(named) = std::fs::read_to_string(dot_git).ok().and_then(|t| {
        t.lines()
            .find_map(|l| l.strip_prefix("gitdir:").map(|p| PathBuf::from(p.trim())))
    }) else {
        return dot_git.to_path_buf();
    };
    let folder = dot_git.parent().unwrap_or(Path::new("."));
    let gitdir = folder.join(named);
    match std::fs::read_to_string(gitdir.join("commondir")) {
        Ok(common) => gitdir.join(common.trim()),
        Err(_) => gitdir,
    }
}

/// Reads an input's bytes, decompressed, and the compression it was read with: a `.gz` or
/// `.zst` file by its extension, standard input (and a file whose extension names no
/// compression) by its magic bytes, which valid UTF-8 never starts with.
///
/// # Errors
/// The file cannot be read, or its compressed stream is truncated or corrupt.
pub fn read_bytes(input: &Input) -> Result<(Vec<u8>, crate::compress::Compression)> {
    use crate::compress::{decompress, Compression};
    let (raw, by_name) = match &input.source {
        Source::Stdin => {
            let mut v = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut v)
                .map_err(|e| Error::io("-", e))?;
            (v, Compression::None)
        }
        Source::File(p) => (
            std::fs::read(p).map_err(|e| Error::io(p, e))?,
            Compression::of_path(p),
        ),
    };
    let kind = match by_name {
        Compression::None => Compression::of_magic(&raw),
        k => k,
    };
    if kind == Compression::None {
        return Ok((raw, kind));
    }
    let bytes = decompress(&raw, kind).map_err(|e| Error::io(input.display(), e))?;
    Ok((bytes, kind))
}

/// The byte order of a text that looks like UTF-16: a byte order mark, or NUL in every other
/// byte of its start (text in a Latin script saved as UTF-16 without a mark).
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xff, 0xfe]) {
        return Some("UTF-16LE");
    }
    if bytes.starts_with(&[0xfe, 0xff]) {
        return Some("UTF-16BE");
    }
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    // Mostly NUL on one side, almost none on the other.
    if odd * 10 >= pairs * 7 && even * 20 <= pairs {
        Some("UTF-16LE")
    } else if even * 10 >= pairs * 7 && odd * 20 <= pairs {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// `bytes` as text when they are valid UTF-8: validated with SIMD (`simdutf8`, 10-20x the speed
/// of the standard library on text that is not ASCII), and again by the standard library only
/// to say where invalid bytes start. (A whole file read into a `String` is still validated by
/// `String::from_utf8`: skipping that would take `unsafe` code, which the crate forbids.)
pub(crate) fn utf8(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(_) => std::str::from_utf8(bytes),
    }
}

/// Turns bytes into text: UTF-16, binary and invalid UTF-8 are errors (the last unless `lossy`).
///
/// # Errors
/// [`Error::Utf16`] for UTF-16 text, [`Error::Binary`] for a NUL byte, [`Error::Utf8`] for
/// invalid UTF-8.
pub fn decode(path: &str, bytes: Vec<u8>, lossy: bool) -> Result<String> {
    if let Some(order) = utf16(&bytes) {
        return Err(Error::Utf16 {
            path: path.into(),
            order,
        });
    }
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
    fn utf8_says_where_invalid_bytes_start() {
        assert_eq!(utf8("Привет, мир".as_bytes()).ok(), Some("Привет, мир"));
        let bad = [b"\xd0\x9f\xd1".as_slice(), b"x"].concat();
        assert_eq!(utf8(&bad).map_err(|e| e.valid_up_to()), Err(2));
    }

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
