//! Baseline: today's duplicates → a versioned JSON file, and back, for the ratchet of `check`.
//!
//! ```json
//! {
//!   "schema_version": 1,
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

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::check::{final_ids, Duplicate, Status};
use crate::error::{Error, Result};
use crate::write::write_atomic;

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// One known duplicate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The file, as shown when it was recorded.
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
        let file: File = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Usage(format!(
                "{}: not a paradedup baseline file: {e}",
                path.display()
            ))
        })?;
        if file.schema_version != BASELINE_VERSION {
            return Err(Error::Usage(format!(
                "{}: baseline schema_version {} is not supported (this paradedup writes {BASELINE_VERSION})",
                path.display(),
                file.schema_version
            )));
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
            path: d.path.clone(),
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
