//! Shared helpers for the `cli` integration tests: build a `paradedup` command,
//! find fixtures, copy fixture trees into a temp dir, list the files of a
//! folder, and compare bytes with a message that shows where they differ.
//!
//! Each command is run once and every assertion is made on that one output
//! (`Run`), so a second run can never hide a failure of the first.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A `paradedup` command with a predictable environment (no colour codes in
/// stderr, no inherited logging settings, and no `paradedup.toml` discovery:
/// a stray file above the checkout must not change what the tests see; the
/// configuration tests in `config.rs` turn discovery back on in a sandbox).
pub fn paradedup() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paradedup"));
    cmd.env_remove("RUST_LOG")
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .env("PARADEDUP_NO_CONFIG", "1");
    cmd
}

/// Absolute path of `rel` under the repository's `fixtures/` folder.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// The seed article, its expected clean output, and the bytes it loses.
pub const SEED: &str = "seed/sputnik-belousov-dprk.txt";
pub const SEED_EXPECTED: &str = "seed/sputnik-belousov-dprk.expected.txt";

/// Reads a whole file, naming it when that fails.
pub fn read(path: &Path) -> Vec<u8> {
    let bytes = fs::read(path);
    assert!(bytes.is_ok(), "cannot read {}: {bytes:?}", path.display());
    bytes.unwrap()
}

/// Parses `bytes` as JSON, showing them when they are not JSON.
pub fn json(label: &str, bytes: &[u8]) -> serde_json::Value {
    let parsed = serde_json::from_slice(bytes);
    assert!(
        parsed.is_ok(),
        "{label} is not JSON ({:?}):\n{}",
        parsed.as_ref().err(),
        String::from_utf8_lossy(bytes)
    );
    parsed.unwrap()
}

/// The one observed run of a command.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    /// Runs `cmd` once and keeps its exit code, stdout and stderr.
    pub fn of(cmd: &mut Command) -> Run {
        let out = cmd.output().expect("paradedup could not be started");
        Run {
            code: out.status.code(),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Panics unless the exit code is `code`, showing both streams.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        );
        self
    }

    /// Panics unless stdout is exactly `expected`.
    pub fn expect_stdout(&self, label: &str, expected: &[u8]) -> &Run {
        let diff = difference(&self.stdout, expected);
        assert!(
            diff.is_none(),
            "{label}: stdout differs\n{}\n--- stderr ---\n{}",
            diff.unwrap_or_default(),
            self.stderr
        );
        self
    }

    /// Panics unless stdout mentions `needle`.
    pub fn expect_stdout_contains(&self, needle: &str) -> &Run {
        let out = String::from_utf8_lossy(&self.stdout);
        assert!(
            out.contains(needle),
            "stdout should mention {needle:?}, got:\n{out}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }

    /// Panics unless stderr mentions `needle`.
    pub fn expect_stderr_contains(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr should mention {needle:?}, got:\n{}",
            self.stderr
        );
        self
    }
}

/// Panics unless `actual == expected`, showing where they first differ.
pub fn assert_same_bytes(label: &str, actual: &[u8], expected: &[u8]) {
    if let Some(diff) = difference(actual, expected) {
        panic!("{label}:\n{diff}");
    }
}

/// `None` when `actual == expected`, else a description of the first
/// differing byte with some escaped context on both sides.
pub fn difference(actual: &[u8], expected: &[u8]) -> Option<String> {
    if actual == expected {
        return None;
    }
    let at = actual
        .iter()
        .zip(expected)
        .position(|(a, e)| a != e)
        .unwrap_or(actual.len().min(expected.len()));
    let window = |bytes: &[u8]| {
        let start = at.saturating_sub(40);
        let end = (at + 60).min(bytes.len());
        escape(&bytes[start.min(end)..end])
    };
    let mut msg = String::new();
    writeln!(
        msg,
        "  first difference at byte {at} (actual {} bytes, expected {} bytes)",
        actual.len(),
        expected.len()
    )
    .unwrap();
    writeln!(msg, "  actual:   ...{}...", window(actual)).unwrap();
    write!(msg, "  expected: ...{}...", window(expected)).unwrap();
    Some(msg)
}

/// Shows bytes as text with control characters, invalid UTF-8 and invisible
/// characters escaped, so CRLF, a BOM or a missing newline can be seen.
pub fn escape(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).escape_debug().to_string()
}

/// Copies the folder `src` into `dst` (created), recursively.
pub fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Every file and folder under `dir`, as sorted `/`-separated relative paths
/// (folders end in `/`), so temp files and stray outputs show up.
pub fn entries_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if path.is_dir() {
                out.push(format!("{rel}/"));
                walk(root, &path, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Panics unless the folders `actual` and `expected` hold the same entries
/// with the same bytes, listing every difference.
pub fn assert_same_tree(actual: &Path, expected: &Path) {
    let got = entries_under(actual);
    let want = entries_under(expected);
    assert_eq!(got, want, "entries under {}", actual.display());
    let failures: Vec<String> = want
        .iter()
        .filter(|rel| !rel.ends_with('/'))
        .filter_map(|rel| {
            difference(&read(&actual.join(rel)), &read(&expected.join(rel)))
                .map(|d| format!("{rel}:\n{d}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Bytes that invalid UTF-8 tests use: valid text, then a lone 0xFF at the
/// returned offset, then more valid text.
pub fn invalid_utf8_document() -> (Vec<u8>, usize) {
    let mut bytes = b"Bridge Works Start on Monday\nThe contractor said the first lane closures would begin at six in the morning. "
        .to_vec();
    let offset = bytes.len();
    bytes.push(0xFF);
    bytes.extend_from_slice(b" Delays of up to twenty minutes are expected.\n");
    (bytes, offset)
}
