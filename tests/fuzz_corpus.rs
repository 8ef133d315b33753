//! Fuzz corpus replay: every file of `fuzz/corpus/TARGET/`, and of `fuzz/crashes/TARGET/` (the
//! inputs that once broke an invariant, kept as regressions), through the checks of its AFL
//! target. The checks are `fuzz/src/checks.rs`, included here as a module: the AFL binaries
//! (the `fuzz/` package, which CI never builds) run the very same functions.
//!
//! The checks cut their input to a few kilobytes where they run the whole engine several times,
//! so the replay stays fast in a debug build. A failure names every file that broke an
//! invariant, with the message of the check.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// The files of `fuzz/{corpus,crashes}/target/`, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "crashes"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file() && p.file_name().is_some_and(|n| n != "README.md") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn replay(target: &str) {
    let check = checks::check_for(target);
    assert!(
        check.is_some(),
        "{target} is no target of fuzz/src/checks.rs"
    );
    let Some(check) = check else { return };
    let files = inputs(target);
    assert!(!files.is_empty(), "no corpus in fuzz/corpus/{target}/");
    let mut failures = Vec::new();
    for f in &files {
        let data = match std::fs::read(f) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{}: cannot read: {e}", f.display()));
                continue;
            }
        };
        let outcome = std::panic::catch_unwind(|| check(&data));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{}: {e}", f.display())),
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: panicked: {msg}", f.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs of {target} break an invariant:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn segment_normalize() {
    replay("segment_normalize");
}

#[test]
fn jsonl_record() {
    replay("jsonl_record");
}

#[test]
fn dedup_invariants() {
    replay("dedup_invariants");
}

#[test]
fn check_reporters() {
    replay("check_reporters");
}
