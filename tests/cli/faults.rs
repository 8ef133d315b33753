//! The fault matrix (issue 10): bad inputs and faults around the engine, one test each,
//! every one seen failing before its fix. Aliases of one file, broken compressed streams, a
//! closed standard output for `check`, owner and hard links under `--in-place`, FIFOs, the
//! thread bound, the umask, SIGINT/SIGTERM/SIGKILL during writes, dangling links, compressed
//! text, UTF-16, lone surrogates, `/dev/full`, empty output folders, lone-CR line endings,
//! empty folders and ambiguous records.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{entries_under, paradedup, read, Run};

/// Two lines, the second an exact copy of the first: cleaning keeps one.
const TWICE: &str = "The council said the new bridge would open in March after two years of work.\n\
                     The council said the new bridge would open in March after two years of work.\n";
const ONCE: &str = "The council said the new bridge would open in March after two years of work.\n";
/// Two unique lines.
const TWO: &str = "The council said the new bridge would open in March after two years of work.\n\
                   A second line that is unique and long enough to be a block of its own here.\n";

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, bytes).unwrap();
    p
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(data), &mut out).unwrap();
    out
}

/// A deterministic stream of words (no two lines alike), for inputs large enough that a
/// debug build takes a while over them.
fn words(seed: u64, n: usize) -> String {
    const POOL: [&str; 24] = [
        "river", "bridge", "council", "market", "winter", "harbour", "station", "garden", "museum",
        "lantern", "meadow", "quarry", "orchard", "tunnel", "village", "summit", "engine",
        "signal", "ledger", "canvas", "pepper", "falcon", "copper", "timber",
    ];
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        out.push(POOL[(x >> 59) as usize % POOL.len()].to_string() + &((x >> 40) % 97).to_string());
    }
    out.join(" ")
}

/// A JSONL shard of `records` records, each with a repeated paragraph, so that cleaning
/// changes every record (about 600 bytes a record).
fn big_shard(records: usize) -> String {
    let mut s = String::new();
    for i in 0..records {
        let a = words(i as u64 * 3, 30);
        let b = words(i as u64 * 3 + 1, 30);
        let text = format!("{a}\n{b}\n{a}\n");
        s.push_str(&serde_json::json!({ "id": i, "text": text }).to_string());
        s.push('\n');
    }
    s
}

/// Waits until a file whose name holds `.paradedup-tmp-` appears in `dir` (the run is then
/// writing), or the child ends. True when one appeared.
fn wait_for_temporary(dir: &Path, child: &mut Child) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if temporaries(dir).next().is_some() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

fn temporaries(dir: &Path) -> impl Iterator<Item = String> {
    entries_under(dir)
        .into_iter()
        .filter(|e| e.contains(".paradedup-tmp-"))
}

/// True when this process has signal `number` ignored (read from `/proc/self/status`).
fn ignored_here(number: i32) -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| u64::from_str_radix(l.strip_prefix("SigIgn:")?.trim(), 16).ok())
        })
        .is_some_and(|mask| mask & (1 << (number - 1)) != 0)
}

fn signal(child: &Child, name: &str) {
    let status = std::process::Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name} failed");
}

// 1. One file, many paths.

/// A symbolic link to a file of the same folder made the file a later document holding every
/// block of itself: corpus scope emptied it, in place.
#[test]
fn a_file_reached_through_a_link_is_read_once() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("f");
    write(&f, "a.txt", TWO.as_bytes());
    std::os::unix::fs::symlink("a.txt", f.join("latest.txt")).unwrap();
    let run = Run::of(
        paradedup()
            .args(["clean", "--scope", "corpus", "--in-place"])
            .arg(&f),
    );
    run.expect_code(0)
        .expect_stderr_contains("latest.txt: the same file as")
        .expect_stderr_contains("read once");
    assert_eq!(read(&f.join("a.txt")), TWO.as_bytes());
}

/// `a.txt a.txt`, `a.txt ./a.txt`, `f f/a.txt`, and a second hard link: each one input.
#[test]
fn a_file_named_twice_is_read_once() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("f");
    let a = write(&f, "a.txt", TWO.as_bytes());
    fs::hard_link(&a, f.join("hard.md")).unwrap();
    for args in [
        vec!["f/a.txt", "f/a.txt"],
        vec!["f/a.txt", "./f/a.txt"],
        vec!["f", "f/a.txt"],
        vec!["f/a.txt", "f/hard.md"],
    ] {
        let run = Run::of(
            paradedup()
                .current_dir(tmp.path())
                .args(["clean", "--scope", "corpus", "--out-dir", "out"])
                .args(&args),
        );
        run.expect_code(0).expect_stderr_contains("read once");
        let out = entries_under(&tmp.path().join("out"));
        let files: Vec<&String> = out.iter().filter(|e| !e.ends_with('/')).collect();
        assert_eq!(files.len(), 1, "{args:?}: {out:?}");
        assert_eq!(read(&tmp.path().join("out").join(files[0])), TWO.as_bytes());
        fs::remove_dir_all(tmp.path().join("out")).unwrap();
    }
}

/// A JSONL shard and a link to it: every record's text became empty.
#[test]
fn a_shard_and_a_link_to_it_are_one_shard() {
    let tmp = tempfile::tempdir().unwrap();
    let shard = "{\"text\":\"The council said the new bridge would open in March after two years of work.\"}\n";
    write(tmp.path(), "d/a.jsonl", shard.as_bytes());
    std::os::unix::fs::symlink("a.jsonl", tmp.path().join("d/b.jsonl")).unwrap();
    let run = Run::of(paradedup().current_dir(tmp.path()).args([
        "clean",
        "--scope",
        "corpus",
        "--in-place",
        "d",
    ]));
    run.expect_code(0).expect_stderr_contains("read once");
    assert_eq!(read(&tmp.path().join("d/a.jsonl")), shard.as_bytes());
}

/// `check` counts a file once too: a link would double its duplicates and blocks.
#[test]
fn check_measures_a_linked_file_once() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "f/a.txt", TWICE.as_bytes());
    std::os::unix::fs::symlink("a.txt", tmp.path().join("f/b.txt")).unwrap();
    let run = Run::of(paradedup().current_dir(tmp.path()).args([
        "check",
        "--max-blocks",
        "1",
        "--format",
        "json",
        "f",
    ]));
    run.expect_code(0);
    let v = crate::util::json("verdict", &run.stdout);
    assert_eq!(v["files"].as_array().unwrap().len(), 1, "{v}");
}

// 2. Broken streams.

/// A gzip shard cut in half under `--on-error skip` gave exit 0 and half a shard ending in a
/// JSON fragment: a broken stream is an error, and the output shard is not written.
#[test]
fn a_truncated_gzip_shard_fails_even_when_skipping_bad_records() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = gzip(big_shard(400).as_bytes());
    write(tmp.path(), "in/cut.jsonl.gz", &whole[..whole.len() / 2]);
    for on_error in ["fail", "skip"] {
        let run = Run::of(paradedup().current_dir(tmp.path()).args([
            "clean",
            "--on-error",
            on_error,
            "in",
            "--out-dir",
            "out",
        ]));
        run.expect_code(2)
            .expect_stderr_contains("cut.jsonl.gz:")
            .expect_stderr_contains("truncated or corrupt gzip stream");
        assert!(
            !tmp.path().join("out").exists(),
            "{on_error}: {:?}",
            entries_under(tmp.path())
        );
    }
    let run =
        Run::of(
            paradedup()
                .current_dir(tmp.path())
                .args(["check", "--max-rate", "50%", "in"]),
        );
    run.expect_code(2)
        .expect_stderr_contains("truncated or corrupt gzip stream");
}

/// A corrupt zstd shard: the same.
#[test]
fn a_corrupt_zstd_shard_fails_even_when_skipping_bad_records() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = zstd::encode_all(big_shard(200).as_bytes(), 3).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0x5a;
    }
    let shard = write(tmp.path(), "bad.jsonl.zst", &bytes);
    let out = tmp.path().join("clean.jsonl.zst");
    let run = Run::of(
        paradedup()
            .args(["clean", "--on-error", "skip", "-o"])
            .arg(&out)
            .arg(&shard),
    );
    run.expect_code(2)
        .expect_stderr_contains("truncated or corrupt zstd stream");
    assert!(!out.exists());
}

// 3. A closed standard output does not pass the gate.

fn check_with_closed_stdout(format: &str) -> Option<i32> {
    let tmp = tempfile::tempdir().unwrap();
    // Large enough that the verdict is written after the reader is gone.
    let mut doc = String::new();
    for i in 0..3000 {
        let line = words(i, 12);
        doc.push_str(&format!("{line}\n{line}\n"));
    }
    let input = write(tmp.path(), "dup.txt", doc.as_bytes());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paradedup"))
        .env("PARADEDUP_NO_CONFIG", "1")
        .args(["check", "--max-rate", "5%", "--format", format])
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait().unwrap().code()
}

/// `paradedup check --max-rate 5% dup.txt | head -1` exited 0: the verdict was lost with the
/// broken pipe.
#[test]
fn check_keeps_its_verdict_when_standard_output_closes() {
    for format in ["human", "json", "sarif"] {
        assert_eq!(check_with_closed_stdout(format), Some(1), "{format}");
    }
}

// 4. Owner, group, attributes and hard links under --in-place.

fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let p = write(tmp.path(), "probe", b"");
    fs::metadata(p).unwrap().uid() == 0
}

/// As root, `nobody:nogroup 640` became `root:root 640`.
#[test]
fn in_place_keeps_owner_group_mode_and_extended_attributes() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tmp = tempfile::tempdir().unwrap();
    let p = write(tmp.path(), "a.txt", TWICE.as_bytes());
    fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
    let owner = if running_as_root() {
        std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
        (65534, 65534)
    } else {
        let m = fs::metadata(&p).unwrap();
        (m.uid(), m.gid())
    };
    let xattrs = xattr::set(&p, "user.paradedup-test", b"kept").is_ok();
    let run = Run::of(paradedup().args(["clean", "--in-place"]).arg(&p));
    run.expect_code(0);
    assert_eq!(read(&p), ONCE.as_bytes());
    let m = fs::metadata(&p).unwrap();
    assert_eq!((m.uid(), m.gid()), owner);
    assert_eq!(m.permissions().mode() & 0o7777, 0o640);
    if xattrs {
        assert_eq!(
            xattr::get(&p, "user.paradedup-test").unwrap().as_deref(),
            Some(&b"kept"[..])
        );
    }
}

/// Its owner, not in its group, was told to "run as its owner". Needs root (to make the file)
/// and `setpriv` (to run as that owner); skipped otherwise.
#[test]
fn an_owner_outside_the_files_group_is_told_what_cannot_be_kept() {
    use std::os::unix::fs::PermissionsExt;
    let setpriv = Path::new("/usr/bin/setpriv");
    if !running_as_root() || !setpriv.exists() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("shared");
    fs::create_dir(&dir).unwrap();
    let p = write(&dir, "a.txt", TWICE.as_bytes());
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).unwrap();
    // Owned by nobody, in a group nobody is not a member of.
    std::os::unix::fs::chown(&p, Some(65534), Some(4242)).unwrap();
    let out = std::process::Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_paradedup"))
        .env("PARADEDUP_NO_CONFIG", "1")
        .args(["clean", "--in-place"])
        .arg(&p)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot keep its group 4242"), "{stderr}");
    assert!(!stderr.contains("run as its owner"), "{stderr}");
    assert_eq!(read(&p), TWICE.as_bytes());
}

/// A file with several hard links is refused unless asked; asked, the other name keeps the
/// old text.
#[test]
fn in_place_refuses_a_file_with_hard_links_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let p = write(tmp.path(), "a.txt", TWICE.as_bytes());
    let other = tmp.path().join("other.txt");
    fs::hard_link(&p, &other).unwrap();
    let run = Run::of(paradedup().args(["clean", "--in-place"]).arg(&p));
    run.expect_code(2)
        .expect_stderr_contains("has 2 hard links")
        .expect_stderr_contains("--break-hard-links");
    assert_eq!(read(&p), TWICE.as_bytes());
    let run = Run::of(
        paradedup()
            .args(["clean", "--in-place", "--break-hard-links"])
            .arg(&p),
    );
    run.expect_code(0);
    assert_eq!(read(&p), ONCE.as_bytes());
    assert_eq!(read(&other), TWICE.as_bytes());
}

// 5. Hangs.

/// `--in-place` on a FIFO blocked forever in `open`.
#[test]
fn in_place_refuses_a_fifo_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let run = Run::of(
        paradedup()
            .args(["clean", "--in-place"])
            .arg(&fifo)
            .timeout(Duration::from_secs(20)),
    );
    run.expect_code(2)
        .expect_stderr_contains("is not a regular file (a FIFO)");
}

/// `-j 20000` on a 184-byte file still ran after 60 s with 1 GB.
#[test]
fn a_huge_thread_count_is_capped_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let p = write(tmp.path(), "a.txt", TWICE.as_bytes());
    let run = Run::of(
        paradedup()
            .args(["clean", "-j", "100000"])
            .arg(&p)
            .timeout(Duration::from_secs(30)),
    );
    run.expect_code(0)
        .expect_stdout("capped run", ONCE.as_bytes())
        .expect_stderr_contains("-j 100000 is more than 4 threads per core; using");
}

// 6. Signals.

/// SIGINT and SIGTERM left 60-76 MB temporary files beside the target: now they are removed,
/// the input is untouched, and the process ends by the signal.
#[test]
fn sigint_and_sigterm_remove_the_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let shard = big_shard(40_000);
    for (name, number) in [("TERM", 15), ("INT", 2)] {
        // A signal this test run was started with ignored (SIGINT in a script's background
        // job) is inherited as ignored, and paradedup leaves it so (see the next test).
        if ignored_here(number) {
            eprintln!("SIG{name} is ignored in this test run: not sent");
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        let p = write(tmp.path(), "big.jsonl", shard.as_bytes());
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paradedup"))
            .env("PARADEDUP_NO_CONFIG", "1")
            .args(["clean", "-q", "-j", "1", "--in-place"])
            .arg(&p)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        assert!(
            wait_for_temporary(tmp.path(), &mut child),
            "{name}: the run ended before writing"
        );
        signal(&child, name);
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(number), "{name}: {status:?}");
        assert_eq!(temporaries(tmp.path()).count(), 0, "{name}");
        assert!(read(&p) == shard.as_bytes(), "{name}: the input changed");
    }
}

/// A run started with SIGHUP ignored (`nohup`, or SIGINT in a script's background job) was
/// killed by it: the handler replaced the inherited "ignore". A signal ignored at start stays
/// ignored, and the run finishes.
#[test]
fn a_signal_ignored_at_start_stays_ignored() {
    let shard = big_shard(40_000);
    let tmp = tempfile::tempdir().unwrap();
    let p = write(tmp.path(), "big.jsonl", shard.as_bytes());
    // `trap '' HUP` sets the disposition to ignore, which `exec` keeps.
    let mut child = std::process::Command::new("sh")
        .env("PARADEDUP_NO_CONFIG", "1")
        .args([
            "-c",
            "trap '' HUP && exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_paradedup"),
            "clean",
            "-q",
            "-j",
            "1",
            "--in-place",
        ])
        .arg(&p)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        wait_for_temporary(tmp.path(), &mut child),
        "the run ended before writing"
    );
    signal(&child, "HUP");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(read(&p) != shard.as_bytes(), "the input was not cleaned");
}

/// kill -9 at any moment of `--in-place` and `--out-dir`: every file is old or new, never
/// partial; what is left behind is named for what it is.
#[test]
fn sigkill_leaves_every_file_old_or_new() {
    let tmp = tempfile::tempdir().unwrap();
    let originals: Vec<String> = (0..3).map(|k| big_shard(2_000 + k * 500)).collect();
    let src = tmp.path().join("src");
    for (k, o) in originals.iter().enumerate() {
        write(&src, &format!("s{k}.jsonl"), o.as_bytes());
    }
    // The clean shards, from a run that is not interrupted.
    let expected_dir = tmp.path().join("expected");
    Run::of(
        paradedup()
            .args(["clean", "-q"])
            .arg(&src)
            .arg("--out-dir")
            .arg(&expected_dir),
    )
    .expect_code(0);
    let expected: Vec<Vec<u8>> = (0..3)
        .map(|k| read(&expected_dir.join(format!("s{k}.jsonl"))))
        .collect();
    for delay_ms in [0u64, 3, 10, 30, 100, 300] {
        for in_place in [true, false] {
            let work = tmp.path().join(format!("work-{delay_ms}-{in_place}"));
            crate::util::copy_dir(&src, &work.join("in"));
            let out = work.join("out");
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_paradedup"));
            cmd.env("PARADEDUP_NO_CONFIG", "1")
                .args(["clean", "-q", "-j", "1"])
                .arg(work.join("in"))
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            if in_place {
                cmd.arg("--in-place");
            } else {
                cmd.arg("--out-dir").arg(&out);
            }
            let mut child = cmd.spawn().unwrap();
            wait_for_temporary(&work, &mut child);
            std::thread::sleep(Duration::from_millis(delay_ms));
            let _ = child.kill();
            let _ = child.wait();
            for k in 0..3 {
                let name = format!("s{k}.jsonl");
                if in_place {
                    let now = read(&work.join("in").join(&name));
                    assert!(
                        now == originals[k].as_bytes() || now == expected[k],
                        "{delay_ms} ms, in place: {name} is neither old nor new ({} bytes)",
                        now.len()
                    );
                } else if let Ok(now) = fs::read(out.join(&name)) {
                    assert!(
                        now == expected[k],
                        "{delay_ms} ms, out-dir: {name} is partial ({} bytes)",
                        now.len()
                    );
                }
            }
            for t in temporaries(&work) {
                assert!(
                    t.contains(".jsonl.paradedup-tmp-"),
                    "a leftover is not named for its target: {t}"
                );
            }
        }
    }
}

// 7. The umask.

/// New files were mode 0600 whatever the umask.
#[test]
fn new_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "in/a.txt", TWICE.as_bytes());
    let script = "umask 027 && exec \"$0\" \"$@\"";
    let sh = |args: &[&str]| {
        let mut c = std::process::Command::new("sh");
        c.current_dir(tmp.path())
            .env("PARADEDUP_NO_CONFIG", "1")
            .args(["-c", script, env!("CARGO_BIN_EXE_paradedup")])
            .args(args)
            .stdout(Stdio::null());
        let status = c.status().unwrap();
        assert!(status.success(), "{args:?}");
    };
    sh(&[
        "clean",
        "in/a.txt",
        "-o",
        "out.txt",
        "--report",
        "report.json",
    ]);
    sh(&["clean", "in", "--out-dir", "mirror"]);
    sh(&["check", "in", "--write-baseline", "baseline.json"]);
    for f in ["out.txt", "report.json", "mirror/a.txt", "baseline.json"] {
        let mode = fs::metadata(tmp.path().join(f))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o640, "{f}: {mode:o}");
    }
}

// 8. Dangling links.

/// A dangling link that no glob selects stopped the whole walk; a selected one is an error
/// that names it.
#[test]
fn dangling_links_are_skipped_unless_selected() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "f/a.txt", TWICE.as_bytes());
    std::os::unix::fs::symlink("nowhere", tmp.path().join("f/cache.bin")).unwrap();
    let clean = || {
        Run::of(
            paradedup()
                .current_dir(tmp.path())
                .args(["clean", "f", "--out-dir", "out"]),
        )
    };
    let check = || {
        Run::of(
            paradedup()
                .current_dir(tmp.path())
                .args(["check", "--max-rate", "90%", "f"]),
        )
    };
    clean().expect_code(0);
    check().expect_code(0);
    std::os::unix::fs::symlink("gone.txt", tmp.path().join("f/b.txt")).unwrap();
    clean()
        .expect_code(2)
        .expect_stderr_contains("f/b.txt: dangling symbolic link");
    check()
        .expect_code(2)
        .expect_stderr_contains("f/b.txt: dangling symbolic link");
}

/// A selected link that loops (`b.txt -> c.txt -> b.txt`) was reported as "its target c.txt
/// does not exist", though c.txt is there: the message names the real cause.
#[test]
fn a_link_loop_is_not_called_a_missing_target() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "f/a.txt", TWICE.as_bytes());
    std::os::unix::fs::symlink("c.txt", tmp.path().join("f/b.txt")).unwrap();
    std::os::unix::fs::symlink("b.txt", tmp.path().join("f/c.txt")).unwrap();
    let run = Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["clean", "f", "--out-dir", "out"]),
    );
    run.expect_code(2)
        .expect_stderr_contains("f/b.txt: symbolic link to c.txt cannot be followed")
        .expect_stderr_contains("symbolic links");
    assert!(!run.stderr.contains("does not exist"), "{}", run.stderr);
}

// 9. Compressed text.

/// `notes.txt.gz` was refused as a binary file: it is text, read as text, and written back
/// compressed under `--out-dir`; gzip on standard input too.
#[test]
fn compressed_text_is_read_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let gz = write(tmp.path(), "in/notes.txt.gz", &gzip(TWICE.as_bytes()));
    let zst = write(
        tmp.path(),
        "in/more.md.zst",
        &zstd::encode_all(TWICE.as_bytes(), 3).unwrap(),
    );
    for p in [&gz, &zst] {
        Run::of(paradedup().arg("clean").arg(p))
            .expect_code(0)
            .expect_stdout("compressed file", ONCE.as_bytes());
    }
    Run::of(paradedup().arg("clean").write_stdin(gzip(TWICE.as_bytes())))
        .expect_code(0)
        .expect_stdout("gzip on standard input", ONCE.as_bytes());
    // The default globs select them in a walk; the outputs keep name and compression.
    Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["clean", "in", "--out-dir", "out"]),
    )
    .expect_code(0);
    assert_eq!(
        gunzip(&read(&tmp.path().join("out/notes.txt.gz"))),
        ONCE.as_bytes()
    );
    assert_eq!(
        zstd::decode_all(&read(&tmp.path().join("out/more.md.zst"))[..]).unwrap(),
        ONCE.as_bytes()
    );
}

/// `x.jsonl.zstd` and `x.ndjson.gzip` were selected by the default globs (a glob is matched
/// without the compression extension) but read as text documents, not as JSONL: a record
/// repeated in the shard was removed as a duplicate line, records out < records in.
#[test]
fn every_compression_extension_of_a_shard_is_read_as_jsonl() {
    let tmp = tempfile::tempdir().unwrap();
    let record = "{\"id\":1,\"text\":\"The council said the new bridge would open in March.\"}\n";
    let shard = record.repeat(2);
    let zstd_shard = write(
        tmp.path(),
        "d/x.jsonl.zstd",
        &zstd::encode_all(shard.as_bytes(), 3).unwrap(),
    );
    let gzip_shard = write(tmp.path(), "d/y.ndjson.gzip", &gzip(shard.as_bytes()));
    Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["clean", "--in-place", "d"]),
    )
    .expect_code(0)
    .expect_stderr_contains("4 documents");
    assert_eq!(
        zstd::decode_all(&read(&zstd_shard)[..]).unwrap(),
        shard.as_bytes()
    );
    assert_eq!(gunzip(&read(&gzip_shard)), shard.as_bytes());
}

/// A compressed file whose name does not say so (`notes.txt` holding gzip, a link
/// `latest.txt` to `notes.txt.gz`, a gzip `dump.jsonl`) is read by its magic bytes; `--in-place`
/// wrote it back plain, so `notes.txt.gz` held plain text. Rewritten in place, a file keeps the
/// compression it was read with.
#[test]
fn in_place_keeps_the_compression_a_file_was_read_with() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let shard = format!("{}\n", serde_json::json!({ "id": 1, "text": TWICE }));
    let clean_shard = format!("{}\n", serde_json::json!({ "id": 1, "text": ONCE }));
    write(d, "notes.txt", &gzip(TWICE.as_bytes()));
    write(d, "linked/notes.txt.gz", &gzip(TWICE.as_bytes()));
    std::os::unix::fs::symlink("linked/notes.txt.gz", d.join("latest.txt")).unwrap();
    write(d, "dump.jsonl", &gzip(shard.as_bytes()));
    Run::of(paradedup().current_dir(d).args([
        "clean",
        "-q",
        "--in-place",
        "notes.txt",
        "latest.txt",
        "dump.jsonl",
    ]))
    .expect_code(0);
    for (f, want) in [
        ("notes.txt", ONCE),
        ("linked/notes.txt.gz", ONCE),
        ("dump.jsonl", clean_shard.as_str()),
    ] {
        let now = read(&d.join(f));
        assert!(now.starts_with(&[0x1f, 0x8b]), "{f} is no longer gzip");
        assert_eq!(gunzip(&now), want.as_bytes(), "{f}");
    }
}

// 10. Clear errors.

/// UTF-16 was "binary file (NUL byte at offset 3)".
#[test]
fn utf16_is_named_with_how_to_convert() {
    let tmp = tempfile::tempdir().unwrap();
    let utf16le: Vec<u8> = "\u{feff}Hello there\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let bare_be: Vec<u8> = "Hello there, no mark\n"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let le = write(tmp.path(), "le.txt", &utf16le);
    let be = write(tmp.path(), "be.txt", &bare_be);
    Run::of(paradedup().arg("clean").arg(&le))
        .expect_code(2)
        .expect_stderr_contains("le.txt: UTF-16LE text")
        .expect_stderr_contains("iconv -f UTF-16LE -t UTF-8");
    Run::of(paradedup().arg("clean").arg(&be))
        .expect_code(2)
        .expect_stderr_contains("be.txt: UTF-16BE text");
    // Met in a folder walk, skipped with the same reason.
    Run::of(
        paradedup()
            .arg("check")
            .arg("--max-rate")
            .arg("50%")
            .arg(tmp.path()),
    )
    .expect_code(2)
    .expect_stderr_contains("UTF-16LE text")
    .expect_stderr_contains("skipped");
}

/// A lone surrogate escape (`"\ud800"`, which Python's `json.dumps` writes) was "field "text"
/// is not a string".
#[test]
fn a_lone_surrogate_is_named_and_lossy_replaces_it() {
    let tmp = tempfile::tempdir().unwrap();
    let line = "{\"text\":\"Odd \\ud800 text here.\\nOdd \\ud800 text here.\"}\n";
    let p = write(tmp.path(), "s.jsonl", line.as_bytes());
    Run::of(paradedup().arg("clean").arg(&p))
        .expect_code(2)
        .expect_stderr_contains("s.jsonl:1: field \"text\" holds a lone surrogate escape (\\ud800)")
        .expect_stderr_contains("--lossy");
    Run::of(paradedup().args(["clean", "--lossy"]).arg(&p))
        .expect_code(0)
        .expect_stdout(
            "lossy",
            "{\"text\":\"Odd \u{fffd} text here.\"}\n".as_bytes(),
        );
}

/// With standard output on `/dev/full`, the error line was printed twice.
#[test]
fn a_full_standard_output_is_one_error() {
    let tmp = tempfile::tempdir().unwrap();
    let p = write(tmp.path(), "a.txt", TWICE.as_bytes());
    for sub in ["clean", "check"] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_paradedup"))
            .env("PARADEDUP_NO_CONFIG", "1")
            .arg(sub)
            .args(if sub == "check" {
                vec!["--max-rate", "5%"]
            } else {
                vec![]
            })
            .arg(&p)
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{sub}: {stderr}");
        assert_eq!(
            stderr.matches("paradedup: error:").count(),
            1,
            "{sub}: {stderr}"
        );
        assert!(
            stderr.contains("No space left on device"),
            "{sub}: {stderr}"
        );
    }
}

/// A failed run left the empty folders it made for its outputs.
#[test]
fn a_failed_run_leaves_no_empty_output_folders() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "in/sub/bad.jsonl", b"{\"text\": 1}\n");
    write(tmp.path(), "keep/existing.txt", b"x\n");
    for out in ["out/deep", "keep/new"] {
        Run::of(
            paradedup()
                .current_dir(tmp.path())
                .args(["clean", "in", "--out-dir", out]),
        )
        .expect_code(2)
        .expect_stderr_contains("bad.jsonl:1");
    }
    assert!(!tmp.path().join("out").exists());
    assert_eq!(
        entries_under(&tmp.path().join("keep")),
        vec!["existing.txt".to_string()]
    );
}

/// Lone-CR line endings were read as one line.
#[test]
fn lone_carriage_returns_end_lines() {
    let doc = TWICE.replace('\n', "\r");
    Run::of(paradedup().arg("clean").write_stdin(doc))
        .expect_code(0)
        .expect_stdout("lone CR", ONCE.replace('\n', "\r").as_bytes());
}

/// `clean` on an empty folder exited 0 silently while `check` exited 2.
#[test]
fn an_empty_folder_is_an_error_for_clean_as_for_check() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("empty")).unwrap();
    for args in [
        vec!["clean", "empty"],
        vec!["check", "--max-rate", "5%", "empty"],
    ] {
        Run::of(paradedup().current_dir(tmp.path()).args(&args))
            .expect_code(2)
            .expect_stderr_contains("no input files found in empty");
    }
}

/// A folder whose every file is skipped (binary, UTF-16): `clean` exited 0 with nothing
/// written, while `check` exited 2.
#[test]
fn a_folder_whose_every_file_is_skipped_is_an_error_for_clean_as_for_check() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "f/bin.txt", b"a\0b\n");
    for args in [
        vec!["clean", "f", "--out-dir", "out"],
        vec!["clean", "f", "--in-place"],
        vec!["check", "--max-rate", "5%", "f"],
    ] {
        Run::of(paradedup().current_dir(tmp.path()).args(&args))
            .expect_code(2)
            .expect_stderr_contains("bin.txt: binary file")
            .expect_stderr_contains("every file found was skipped");
    }
}

// 11. Ambiguous records.

/// With two `text` keys the first was cleaned, while Python's json and serde's `Value` read
/// the last: refused, as a bad record that `--on-error skip` passes through.
#[test]
fn a_record_with_two_text_fields_is_ambiguous() {
    let tmp = tempfile::tempdir().unwrap();
    let line = "{\"text\":\"Same line here.\\nSame line here.\",\"text\":\"Other.\"}\n";
    let p = write(tmp.path(), "dk.jsonl", line.as_bytes());
    Run::of(paradedup().arg("clean").arg(&p))
        .expect_code(2)
        .expect_stderr_contains("dk.jsonl:1: field \"text\" appears more than once");
    Run::of(paradedup().args(["clean", "--on-error", "skip"]).arg(&p))
        .expect_code(0)
        .expect_stdout("skipped", line.as_bytes());
}
