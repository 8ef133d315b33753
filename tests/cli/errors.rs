//! Exit code 2 and its messages: a missing file, invalid UTF-8 (file name and
//! byte offset; `--lossy` turns it into U+FFFD instead), a named binary file,
//! `check` with no input files or no blocks, and usage errors; in every case
//! nothing is written to `-o`. Also the non-errors next to them: a binary file
//! met during a walk is skipped with a warning, and an empty file gives an
//! empty document.

use std::fs;

use tempfile::TempDir;

use crate::util::{
    assert_same_tree, copy_dir, entries_under, fixture, invalid_utf8_document, paradedup, read,
    Run, SEED,
};

#[test]
fn missing_file_is_named_and_nothing_is_written() {
    let tmp = TempDir::new().unwrap();
    let missing = tmp.path().join("no-such-article.txt");
    Run::of(
        paradedup()
            .arg("clean")
            .arg(&missing)
            .arg("-o")
            .arg(tmp.path().join("out.txt")),
    )
    .expect_code(2)
    .expect_stdout("stdout", b"")
    .expect_stderr_contains("no-such-article.txt");
    assert!(
        entries_under(tmp.path()).is_empty(),
        "something was written"
    );
}

#[test]
fn invalid_utf8_names_the_file_and_the_byte_offset() {
    let tmp = TempDir::new().unwrap();
    let (bytes, offset) = invalid_utf8_document();
    fs::write(tmp.path().join("latin1-page.txt"), &bytes).unwrap();
    let run = Run::of(paradedup().current_dir(tmp.path()).args([
        "clean",
        "latin1-page.txt",
        "-o",
        "out.txt",
    ]));
    run.expect_code(2)
        .expect_stdout("stdout", b"")
        .expect_stderr_contains("latin1-page.txt");
    assert!(
        contains_number(&run.stderr, offset),
        "stderr should give the byte offset {offset}:\n{}",
        run.stderr
    );
    assert_eq!(entries_under(tmp.path()), ["latin1-page.txt"]);
}

/// Whether `text` contains `n` as a whole number (not inside a longer one).
fn contains_number(text: &str, n: usize) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .any(|digits| digits == n.to_string())
}

#[test]
fn check_fails_on_invalid_utf8_too() {
    let tmp = TempDir::new().unwrap();
    fs::write(
        tmp.path().join("latin1-page.txt"),
        invalid_utf8_document().0,
    )
    .unwrap();
    Run::of(paradedup().current_dir(tmp.path()).args([
        "check",
        "latin1-page.txt",
        "--max-rate",
        "0.5",
    ]))
    .expect_code(2)
    .expect_stderr_contains("latin1-page.txt");
}

#[test]
fn lossy_replaces_invalid_bytes_with_the_replacement_character() {
    let tmp = TempDir::new().unwrap();
    let (bytes, _) = invalid_utf8_document();
    fs::write(tmp.path().join("latin1-page.txt"), &bytes).unwrap();
    let expected = String::from_utf8_lossy(&bytes).into_owned();
    assert!(expected.contains('\u{FFFD}'));
    Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["clean", "--lossy", "latin1-page.txt"]),
    )
    .expect_code(0)
    .expect_stdout("--lossy", expected.as_bytes());
}

#[test]
fn named_binary_file_is_an_error() {
    let tmp = TempDir::new().unwrap();
    fs::write(
        tmp.path().join("photo.txt"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    )
    .unwrap();
    Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["clean", "photo.txt", "-o", "out.txt"]),
    )
    .expect_code(2)
    .expect_stdout("stdout", b"")
    .expect_stderr_contains("photo.txt");
    assert_eq!(entries_under(tmp.path()), ["photo.txt"]);
}

#[test]
fn named_file_with_nul_bytes_in_valid_utf8_is_an_error() {
    let tmp = TempDir::new().unwrap();
    fs::write(
        tmp.path().join("dump.txt"),
        b"Header line\n\x00\x00\x00\x00record\x00\n",
    )
    .unwrap();
    Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["clean", "dump.txt"]),
    )
    .expect_code(2)
    .expect_stdout("stdout", b"")
    .expect_stderr_contains("dump.txt");
}

#[test]
fn binary_file_in_a_walk_is_skipped_with_a_warning() {
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("tree");
    copy_dir(&fixture("tree"), &tree);
    fs::write(
        tree.join("a/blob.txt"),
        b"PK\x03\x04\x14\x00\x00\x00binary\x00data",
    )
    .unwrap();
    let out = tmp.path().join("out");
    Run::of(
        paradedup()
            .current_dir(&tree)
            .args(["clean", "."])
            .arg("--out-dir")
            .arg(&out),
    )
    .expect_code(0)
    .expect_stderr_contains("blob.txt");
    assert_same_tree(&out, &fixture("tree-expected"));
}

#[test]
fn empty_file_gives_an_empty_document() {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("empty.txt"), b"").unwrap();
    Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["clean", "empty.txt"]),
    )
    .expect_code(0)
    .expect_stdout("empty file", b"");
}

#[test]
fn empty_stdin_gives_an_empty_document() {
    Run::of(paradedup().arg("clean").write_stdin(Vec::new()))
        .expect_code(0)
        .expect_stdout("empty stdin", b"");
}

#[test]
fn check_with_no_input_files_is_an_error() {
    let tmp = TempDir::new().unwrap();
    fs::create_dir(tmp.path().join("only-csv")).unwrap();
    fs::write(tmp.path().join("only-csv/table.csv"), b"a,b\n1,2\n").unwrap();
    Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["check", "only-csv", "--max-rate", "0.5"]),
    )
    .expect_code(2);
}

#[test]
fn check_with_no_blocks_is_an_error() {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("empty.txt"), b"").unwrap();
    Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["check", "empty.txt", "--max-rate", "0.5"]),
    )
    .expect_code(2);
}

#[test]
fn check_on_a_missing_file_is_an_error() {
    Run::of(paradedup().args(["check", "no-such-article.txt", "--max-rate", "0.5"]))
        .expect_code(2)
        .expect_stderr_contains("no-such-article.txt");
}

#[test]
fn many_inputs_need_out_dir_or_in_place() {
    let tmp = TempDir::new().unwrap();
    let a = tmp.path().join("a.txt");
    let b = tmp.path().join("b.txt");
    fs::copy(fixture(SEED), &a).unwrap();
    fs::copy(fixture("tree/a/one.txt"), &b).unwrap();
    Run::of(paradedup().arg("clean").arg(&a).arg(&b))
        .expect_code(2)
        .expect_stdout("stdout", b"");
    assert_eq!(read(&a), read(&fixture(SEED)), "an input was modified");
    assert_eq!(
        read(&b),
        read(&fixture("tree/a/one.txt")),
        "an input was modified"
    );
}

#[test]
fn report_on_stdout_needs_an_output_file() {
    Run::of(
        paradedup()
            .arg("clean")
            .arg(fixture(SEED))
            .args(["--report", "-"]),
    )
    .expect_code(2);
}

#[test]
fn threshold_outside_zero_to_one_is_a_usage_error() {
    Run::of(
        paradedup()
            .arg("clean")
            .arg(fixture(SEED))
            .args(["--threshold", "1.5"]),
    )
    .expect_code(2)
    .expect_stdout("stdout", b"");
}

#[test]
fn unknown_unit_is_a_usage_error() {
    Run::of(
        paradedup()
            .arg("clean")
            .arg(fixture(SEED))
            .args(["--unit", "sentence"]),
    )
    .expect_code(2)
    .expect_stdout("stdout", b"");
}

/// A folder that cannot be read during the walk is an error naming it (exit 2), for clean
/// and check alike. Root reads every folder, so as root the binary runs as `nobody` through
/// `setpriv` (util-linux) to meet the permission check.
#[test]
fn unreadable_folder_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let docs = dir.path().join("docs");
    let locked = docs.join("locked");
    fs::create_dir_all(&locked).unwrap();
    fs::write(docs.join("open.txt"), "a\nb\n").unwrap();
    fs::write(locked.join("hidden.txt"), "c\n").unwrap();
    fs::set_permissions(&docs, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();

    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if root {
        // `nobody` must be able to run the binary where this checkout lives.
        let probe = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_paradedup"))
            .arg("--version")
            .output();
        if !probe.is_ok_and(|o| o.status.success()) {
            eprintln!("skipped: running as root and `nobody` cannot run the test binary here");
            fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
            return;
        }
    }
    for sub in ["clean", "check"] {
        let mut cmd = if root {
            let mut c = assert_cmd::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(env!("CARGO_BIN_EXE_paradedup"));
            c.env("NO_COLOR", "1");
            c
        } else {
            paradedup()
        };
        cmd.arg(sub).arg(&docs);
        if sub == "clean" {
            cmd.arg("--out-dir").arg(dir.path().join("out"));
        } else {
            cmd.args(["--max-rate", "1"]);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{sub}: stderr {stderr}");
        assert!(
            stderr.contains("locked"),
            "{sub}: stderr names the folder: {stderr}"
        );
        assert!(
            stderr.contains("ermission denied"),
            "{sub}: stderr {stderr}"
        );
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}
