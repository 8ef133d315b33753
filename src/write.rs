//! Write: clean documents → standard output, a file, a mirrored folder, or the input itself.
//!
//! A file is written through a temporary file in the same folder that is renamed over the target
//! when complete, so a killed process leaves the old file intact. A device or FIFO
//! (`-o /dev/null`) is written in place: renaming over it would replace the device. Inputs are only ever written
//! with `--in-place`, which keeps the file's permissions.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically (temporary file in the same folder, synced, renamed over
/// the target, then the folder synced).
///
/// # Errors
/// The folder is not writable, or the rename fails.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    // A symbolic link is followed: its target is rewritten, the link stays a link.
    let resolved = std::fs::canonicalize(path).ok();
    let path = resolved.as_deref().unwrap_or(path);
    if is_special(path) {
        return write_special(path, write);
    }
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().readonly() {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "read-only file: not rewritten",
                ),
            ));
        }
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // `-o out/clean.txt` and `--report out/report.json` create their folder, as shards do.
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".paradedup-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    {
        let mut buf = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buf).map_err(|e| Error::io(path, e))?;
        buf.flush().map_err(|e| Error::io(path, e))?;
    }
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the permissions of a file we replace.
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    // The rename is an update of the folder: without syncing it, a crash soon after can leave
    // the old file (or none) although the run reported success.
    sync_dir(dir).map_err(|e| Error::io(dir, e))
}

/// Syncs a folder, so that a rename into it survives a crash. On Unix the folder is opened
/// and synced; a folder that cannot be opened (no read permission) is left as it is, and so
/// is a file system that cannot sync folders. Elsewhere (Windows cannot open a folder as a
/// file) nothing is done.
///
/// # Errors
/// The sync failed.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let Ok(folder) = std::fs::File::open(dir) else {
            return Ok(());
        };
        match folder.sync_all() {
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Unsupported
                ) =>
            {
                Ok(())
            }
            r => r,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// True for an existing target that is not a regular file (`/dev/null`, a FIFO, a terminal):
/// it is written in place, since renaming a temporary file over it would replace the device.
pub fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Writes straight into a device or FIFO.
fn write_special(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    let mut buf = std::io::BufWriter::new(file);
    write(&mut buf).map_err(|e| Error::io(path, e))?;
    buf.flush().map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_dir_syncs_a_folder_and_tolerates_one_it_cannot_open() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(sync_dir(tmp.path()).is_ok());
        assert!(sync_dir(Path::new(".")).is_ok());
        assert!(sync_dir(&tmp.path().join("missing")).is_ok());
    }

    #[test]
    fn write_atomic_creates_the_folder_and_leaves_no_temporary_file() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("sub/out.txt");
        write_atomic(&target, |w| w.write_all(b"hello\n")).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"hello\n");
        let names: Vec<_> = std::fs::read_dir(tmp.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.txt"]);
    }
}
