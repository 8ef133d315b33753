//! Baseline: today's duplicates → a versioned JSON file, and back, for the ratchet of `check`.
//!
//! ```json
//! {
//!   "schema_version": 2,
//!   "tool": "paradedup",
//!   "duplicates": [
//!     { "id": "3f2a…", "path": "docs/a.md", "kind": "exact", "preview": "Subscribe to …" }
//!   ]
//! }
//! ```
//! Entries are sorted by path, then id, so the file is the same for the same duplicates. Only
//! `id` is matched; `path`, `kind` and `preview` tell people what the entry was. Ids come from
//! content hashes ([`crate::check::measure`]), so an edit elsewhere in a file keeps them. The
//! file is written atomically. Unknown fields are allowed (a later compatible version may add
//! some); another `schema_version` is an error.
//!
//! Paths, in entries and in ids, are relative to the baseline file's folder, `/`-separated
//! ([`Anchor`]): the same checkout gives the same ids whether check runs at its root, in a
//! subfolder or with absolute paths. Version 1 used the path as given on the command line,
//! so its ids depended on the folder check ran in; it is refused with a request to rewrite it.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::duplicate::{final_ids, Duplicate, Status};
use crate::error::{BaselineProblem, Error, Result};
use crate::write::write_atomic;

/// Version of the baseline file format: 2 since paths are relative to the baseline's folder.
pub const BASELINE_VERSION: u32 = 2;

/// One known duplicate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The file, relative to the baseline file's folder, `/`-separated.
    pub path: String,
    /// The stable id.
    pub id: String,
    /// `exact`, `near`, `contained` or `boilerplate`.
    pub kind: String,
    /// The start of the block, for people.
    #[serde(default)]
    pub preview: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    schema_version: u32,
    #[serde(default)]
    tool: String,
    duplicates: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    entries: Vec<Entry>,
    ids: HashSet<String>,
}

impl Baseline {
    /// Reads a baseline file.
    ///
    /// # Errors
    /// The file cannot be read, is not a baseline, or has another `schema_version`.
    pub fn load(path: &Path) -> Result<Baseline> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let problem = |problem| Error::Baseline {
            path: path.to_path_buf(),
            problem,
        };
        let file: File = serde_json::from_slice(&bytes)
            .map_err(|e| problem(BaselineProblem::NotABaseline(e)))?;
        if file.schema_version == 1 {
            return Err(problem(BaselineProblem::FolderDependentIds {
                path: path.to_path_buf(),
            }));
        }
        if file.schema_version != BASELINE_VERSION {
            return Err(problem(BaselineProblem::UnknownVersion {
                found: file.schema_version,
                supported: BASELINE_VERSION,
            }));
        }
        let mut entries = file.duplicates;
        entries.sort();
        entries.dedup();
        let ids = entries.iter().map(|e| e.id.clone()).collect();
        Ok(Baseline { entries, ids })
    }

    /// True when the baseline knows `id`.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// The entries, sorted by path and id.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

/// Writes the duplicates that a marker does not exempt as a baseline, atomically. `duplicates`
/// are all those of the run, in input order: their final ids are numbered across documents
/// ([`final_ids`]), as [`crate::check::verdict`] numbers them.
///
/// # Errors
/// The file cannot be written.
pub fn write(path: &Path, duplicates: &[Duplicate]) -> Result<()> {
    let ids = final_ids(duplicates);
    let mut entries: Vec<Entry> = duplicates
        .iter()
        .zip(ids)
        .filter(|(d, _)| d.status != Status::Ignored)
        .map(|(d, id)| Entry {
            path: d.baseline_path.clone(),
            id,
            kind: d.kind.as_str().to_string(),
            preview: d.preview.clone(),
        })
        .collect();
    entries.sort();
    entries.dedup();
    let file = File {
        schema_version: BASELINE_VERSION,
        tool: "paradedup".to_string(),
        duplicates: entries,
    };
    write_atomic(path, |w| {
        serde_json::to_writer_pretty(&mut *w, &file).map_err(std::io::Error::from)?;
        writeln!(w)
    })
}

/// The folder that baseline paths are relative to: the baseline file's folder. A file's path
/// is taken relative to it as written (`..` resolved by name), else with symbolic links
/// resolved on both sides (`/tmp` and `/private/tmp` are one folder), else with `..` steps up
/// from it; always `/`-separated.
#[derive(Debug, Clone)]
pub struct Anchor {
    cwd: PathBuf,
    lexical: PathBuf,
    canonical: PathBuf,
}

impl Anchor {
    /// The anchor of the baseline file `baseline` (which may not exist yet).
    ///
    /// # Errors
    /// The current folder cannot be known.
    pub fn of(baseline: &Path) -> Result<Anchor> {
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        let folder = match baseline.parent() {
            Some(f) if !f.as_os_str().is_empty() => f,
            _ => Path::new("."),
        };
        let lexical = normalize(&cwd.join(folder));
        let canonical = canonical(&lexical);
        Ok(Anchor {
            cwd,
            lexical,
            canonical,
        })
    }

    /// The path of `file` (as given or walked) as baselines and ids name it. Standard input
    /// (`-`) stays `-`.
    pub fn path_of(&self, file: &Path) -> String {
        if file.as_os_str() == "-" {
            return "-".to_string();
        }
        let lexical = normalize(&self.cwd.join(file));
        if let Ok(rel) = lexical.strip_prefix(&self.lexical) {
            return slashed(rel);
        }
        let real = canonical(&lexical);
        if let Ok(rel) = real.strip_prefix(&self.canonical) {
            return slashed(rel);
        }
        let base: Vec<Component<'_>> = self.canonical.components().collect();
        let target: Vec<Component<'_>> = real.components().collect();
        let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
        if common == 0 {
            // Another drive: no relative path exists.
            return slashed(&real);
        }
        let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
        parts.extend(
            target[common..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        );
        parts.join("/")
    }
}

/// `p` without `.` components and with `..` resolved by name.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// `p` with symbolic links resolved, as far as it exists (a folder not created yet keeps the
/// rest of its path).
fn canonical(p: &Path) -> PathBuf {
    for existing in p.ancestors() {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return match p.strip_prefix(existing) {
                Ok(rest) if !rest.as_os_str().is_empty() => real.join(rest),
                _ => real,
            };
        }
    }
    p.to_path_buf()
}

/// A relative path with `/` separators.
fn slashed(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_names_files_relative_to_the_baseline_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("docs/sub")).unwrap();
        let a = Anchor::of(&root.join("base.json")).unwrap();
        assert_eq!(a.path_of(&root.join("docs/sub/../a.md")), "docs/a.md");
        assert_eq!(a.path_of(&root.join("./docs/./b.md")), "docs/b.md");
        assert_eq!(a.path_of(Path::new("-")), "-");
        // A baseline in a folder not created yet, beside the files.
        let ci = Anchor::of(&root.join("ci/new/base.json")).unwrap();
        assert_eq!(ci.path_of(&root.join("docs/a.md")), "../../docs/a.md");
    }

    #[test]
    fn a_version_1_file_asks_for_a_rewrite() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("b.json");
        std::fs::write(&p, r#"{"schema_version": 1, "duplicates": []}"#).unwrap();
        let e = Baseline::load(&p).unwrap_err().to_string();
        assert!(
            e.contains("schema_version 1") && e.contains("--write-baseline"),
            "{e}"
        );
    }
}
