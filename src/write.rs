//! Write: clean documents → standard output, a file, a mirrored folder, or the input itself.
//!
//! A file is written through a temporary file in the same folder that is renamed over the target
//! when complete, so a killed process leaves the old file intact. A device or FIFO
//! (`-o /dev/null`) is written in place: renaming over it would replace the device. Inputs are only ever written
//! with `--in-place`, which keeps the file's permissions, owner, group and extended attributes.
//!
//! New files get the permissions `cp` gives them (0666 less the umask). Temporary files are named
//! `.NAME.paradedup-tmp-XXXXXX` beside their target, and the run keeps a list of them and of the
//! folders it created for its outputs: [`abandon`] removes both when the process is
//! interrupted (the binary calls it on SIGINT, SIGTERM and SIGHUP), and
//! [`remove_created_folders`] removes the folders left empty by a failed run. SIGKILL cannot be
//! caught: what it leaves is named for what it is.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result};

/// What the run has on disk that is not finished: temporary files and the folders created for
/// outputs.
struct Pending {
    temporaries: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    temporaries: Vec::new(),
    folders: Vec::new(),
});

/// The list, also after a thread panicked while holding it (it stays consistent: every change
/// is one push or one removal).
fn pending() -> MutexGuard<'static, Pending> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes the temporary files being written and the empty folders the run created, and keeps
/// the list locked for good, so that no rename can follow: for a process about to end on a
/// signal.
pub fn abandon() {
    let mut p = pending();
    for t in p.temporaries.drain(..) {
        let _ = std::fs::remove_file(t);
    }
    remove_empty(&mut p.folders);
    // Held until the process ends: a writer that reaches its rename waits instead.
    std::mem::forget(p);
}

/// Removes the folders this run created for its outputs that are still empty (a run that failed
/// before writing into them leaves no skeleton behind).
pub fn remove_created_folders() {
    remove_empty(&mut pending().folders);
}

fn remove_empty(folders: &mut Vec<PathBuf>) {
    // Deepest first: a folder is empty once its created subfolders are gone.
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for f in folders.drain(..) {
        let _ = std::fs::remove_dir(f);
    }
}

/// Creates `dir` and its missing parents, and remembers the ones it created (under the lock,
/// so that an interruption cannot fall between creating a folder and listing it).
fn create_folders(dir: &Path) -> std::io::Result<()> {
    let mut p = pending();
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && std::fs::symlink_metadata(d).is_err())
        .map(Path::to_path_buf)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    p.folders.extend(missing);
    Ok(())
}

/// A temporary file on the pending list. It leaves the list when it leaves the disk (deleted,
/// or renamed into place), under the list's lock: an interruption finds every temporary file
/// that exists on the list, and no rename follows its cleanup.
struct Temporary(Option<tempfile::TempPath>);

impl Temporary {
    /// Creates the file and lists it, under the lock.
    fn create(
        builder: &tempfile::Builder<'_, '_>,
        dir: &Path,
    ) -> std::io::Result<(std::fs::File, Self)> {
        let mut p = pending();
        let (file, path) = builder.tempfile_in(dir)?.into_parts();
        p.temporaries.push(path.to_path_buf());
        Ok((file, Temporary(Some(path))))
    }

    /// Renames the file over `target` and takes it off the list, under the lock. When the
    /// rename fails, the file is deleted, also under the lock.
    fn persist(mut self, target: &Path) -> std::io::Result<()> {
        let Some(tmp) = self.0.take() else {
            return Ok(());
        };
        let mut p = pending();
        let listed = tmp.to_path_buf();
        let renamed = tmp.persist(target).map_err(|e| e.error);
        p.temporaries.retain(|t| *t != listed);
        renamed
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(tmp) = self.0.take() {
            let mut p = pending();
            let listed = tmp.to_path_buf();
            drop(tmp);
            p.temporaries.retain(|t| *t != listed);
        }
    }
}

/// The start of a temporary file's name: says whose it is and what it will become.
fn temporary_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Names are at most 255 bytes on most file systems: keep room for the rest.
    let mut cut = name.len().min(120);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}.paradedup-tmp-", &name[..cut])
}

/// Writes an output file atomically (temporary file in the same folder, synced, renamed over
/// the target, then the folder synced). A new file gets 0666 less the umask; a file that is
/// replaced keeps its permissions, and its owner, group and extended attributes as far as
/// this process may set them (an output folder shared with another user is no reason to fail).
///
/// # Errors
/// The folder is not writable, or the rename fails.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    replace(path, Keeping::AsFarAsAllowed, write)
}

/// Rewrites an input in place (`--in-place`), atomically as [`write_atomic`] does, keeping its
/// permissions, owner, group and extended attributes; a file whose owner, group or `user.*`
/// attributes (or ACLs) cannot be kept is not rewritten.
///
/// # Errors
/// As [`write_atomic`], and what cannot be kept.
pub fn rewrite_input(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    replace(path, Keeping::All, write)
}

/// How much of a replaced file's attributes must be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeping {
    /// Owner, group and data-carrying extended attributes, or the file is not replaced.
    All,
    /// What this process may set; permissions always.
    AsFarAsAllowed,
}

/// [`write_atomic`] or [`rewrite_input`], as `keeping` says.
///
/// # Errors
/// See those.
pub fn replace(
    path: &Path,
    keeping: Keeping,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    // A symbolic link is followed: its target is rewritten, the link stays a link.
    let resolved = std::fs::canonicalize(path).ok();
    let path = resolved.as_deref().unwrap_or(path);
    if is_special(path) {
        return write_special(path, write);
    }
    let existing = std::fs::metadata(path).ok();
    if existing
        .as_ref()
        .is_some_and(|meta| meta.permissions().readonly())
    {
        return Err(Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "read-only file: not rewritten",
            ),
        ));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // `-o out/clean.txt` and `--report out/report.json` create their folder, as shards do.
    create_folders(dir).map_err(|e| Error::io(dir, e))?;
    let mut builder = tempfile::Builder::new();
    let prefix = temporary_prefix(path);
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        // As `cp` and editors do: the umask decides (tempfile's default is 0600).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let (mut file, tmp) = Temporary::create(&builder, dir).map_err(|e| Error::io(dir, e))?;
    {
        let mut buf = std::io::BufWriter::new(&mut file);
        write(&mut buf).map_err(|e| Error::io(path, e))?;
        buf.flush().map_err(|e| Error::io(path, e))?;
    }
    if let Some(meta) = &existing {
        keep_attributes(path, meta, &file, keeping)?;
    }
    file.sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e))?;
    // The rename is an update of the folder: without syncing it, a crash soon after can leave
    // the old file (or none) although the run reported success.
    sync_dir(dir).map_err(|e| Error::io(dir, e))
}

/// Gives the new file what the file it replaces had: owner and group (before the mode: a change
/// of owner clears the set-user-id bit), permissions, extended attributes (ACLs among them).
fn keep_attributes(
    path: &Path,
    meta: &std::fs::Metadata,
    tmp: &std::fs::File,
    keeping: Keeping,
) -> Result<()> {
    #[cfg(unix)]
    {
        let kept = keep_owner(path, meta, tmp).and_then(|()| keep_xattrs(path, tmp));
        if keeping == Keeping::All {
            kept?;
        }
    }
    #[cfg(not(unix))]
    let _ = keeping;
    tmp.set_permissions(meta.permissions())
        .map_err(|e| Error::io(path, e))
}

#[cfg(unix)]
fn keep_owner(path: &Path, meta: &std::fs::Metadata, tmp: &std::fs::File) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let owned = || {
        tmp.metadata()
            .map(|m| (m.uid(), m.gid()))
            .map_err(|e| Error::io(path, e))
    };
    let want = (meta.uid(), meta.gid());
    let before = owned()?;
    if before == want {
        return Ok(());
    }
    // Root may give any owner and group; the owner may give a group they are a member of.
    let changed = std::os::unix::fs::fchown(tmp, Some(want.0), Some(want.1));
    // Checked again: some file systems accept a change they do not make.
    if changed.is_ok() && owned()? == want {
        return Ok(());
    }
    let why = if before.0 == want.0 {
        format!(
            "cannot keep its group {} (this user is not a member of it): not rewritten (run as root, or change its group first)",
            want.1
        )
    } else {
        format!(
            "cannot keep its owner and group ({}:{}): not rewritten (run as its owner, or as root)",
            want.0, want.1
        )
    };
    let kind = changed
        .err()
        .map_or(std::io::ErrorKind::PermissionDenied, |e| e.kind());
    Err(Error::io(path, std::io::Error::new(kind, why)))
}

/// Copies the extended attributes of `path` to the new file. Those that carry data or access
/// rules (`user.*`, POSIX ACLs) must be kept; the others (`security.*`, `trusted.*`) are kept
/// when the platform lets this process set them.
#[cfg(unix)]
fn keep_xattrs(path: &Path, tmp: &std::fs::File) -> Result<()> {
    use xattr::FileExt;
    if !xattr::SUPPORTED_PLATFORM {
        return Ok(());
    }
    let unsupported = |e: &std::io::Error| e.kind() == std::io::ErrorKind::Unsupported;
    let names = match xattr::list(path) {
        Ok(names) => names,
        Err(e) if unsupported(&e) => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    for name in names {
        let Some(value) = xattr::get(path, &name).map_err(|e| Error::io(path, e))? else {
            continue;
        };
        if let Err(e) = tmp.set_xattr(&name, &value) {
            let shown = name.to_string_lossy();
            if shown.starts_with("user.") || shown.starts_with("system.posix_acl") {
                return Err(Error::io(
                    path,
                    std::io::Error::new(
                        e.kind(),
                        format!("cannot keep its extended attribute {shown}: {e}: not rewritten"),
                    ),
                ));
            }
        }
    }
    Ok(())
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

    /// The cleanup on a signal removes what is on the list: a temporary file must not be on
    /// disk and off the list, even for a moment (it was, between unlisting a failed write's
    /// file and deleting it).
    #[test]
    fn a_temporary_file_on_disk_is_always_on_the_list() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let tmp = tempfile::tempdir().unwrap();
        let dir = std::fs::canonicalize(tmp.path()).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let watcher = {
            let (dir, stop) = (dir.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    // Spinning: a blocked waiter wakes up too late to see the moment.
                    let Ok(p) = PENDING.try_lock() else { continue };
                    for e in std::fs::read_dir(&dir).unwrap() {
                        let path = e.unwrap().path();
                        if !p.temporaries.contains(&path) {
                            return Some(path);
                        }
                    }
                }
                None
            })
        };
        for _ in 0..10_000 {
            let failed = write_atomic(&dir.join("a.txt"), |w| {
                w.write_all(b"partial")?;
                Err(std::io::Error::other("the input broke"))
            });
            assert!(failed.is_err());
        }
        stop.store(true, Ordering::Relaxed);
        assert_eq!(watcher.join().unwrap(), None);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    }

    #[test]
    fn temporary_names_say_what_they_are() {
        assert_eq!(
            temporary_prefix(Path::new("out/a.txt")),
            ".a.txt.paradedup-tmp-"
        );
        let long = "é".repeat(200);
        assert!(temporary_prefix(Path::new(&long)).len() < 140);
    }
}
