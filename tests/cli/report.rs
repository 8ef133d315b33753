//! `paradedup clean --report -`: the JSON report is a versioned contract
//! (`schema_version` 1), so snapshots guard its exact text for the seed article
//! and for a run over three case fixtures that together show every removal
//! kind; and its figures must add up: totals are the sums of the documents, and
//! `bytes_in - bytes_out` is the real size difference between each input and
//! the file written for it.
//!
//! Inputs are named relative to the repository root (the tests' working
//! directory), so the paths in the report are stable; the temp dir the output
//! goes to is replaced by `[TMP]` should it ever appear.

use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::util::{json, paradedup, read, Run, SEED};

/// Case fixtures whose removals are exact, near and contained (two kinds of
/// contained: a title with a site suffix and a run-together description).
const CASES: [&str; 3] = [
    "fixtures/cases/exact-duplicate.txt",
    "fixtures/cases/near-wording-edit.txt",
    "fixtures/cases/cjk-japanese.txt",
];

/// The seed article, relative to the repository root.
fn seed() -> String {
    format!("fixtures/{SEED}")
}

/// Runs `clean --report -` from the repository root with `args`, expects exit
/// 0 and returns the run.
fn report_run(args: &[&str]) -> Run {
    let run = Run::of(
        paradedup()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["clean", "--report", "-"])
            .args(args),
    );
    run.expect_code(0);
    run
}

/// The report text with the temp dir replaced by `[TMP]`.
fn redacted(run: &Run, tmp: &TempDir) -> String {
    let text = String::from_utf8(run.stdout.clone()).unwrap();
    text.replace(&tmp.path().display().to_string(), "[TMP]")
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn report_of_the_seed_article() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out.txt");
    let run = report_run(&["-o", path_str(&out), &seed()]);
    json("report", &run.stdout);
    insta::assert_snapshot!("report_seed", redacted(&run, &tmp));
}

#[test]
fn report_of_three_cases_with_every_removal_kind() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let mut args = vec!["--out-dir", path_str(&out)];
    args.extend(CASES);
    let run = report_run(&args);
    json("report", &run.stdout);
    insta::assert_snapshot!("report_three_cases", redacted(&run, &tmp));
}

fn u(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is not a count in {v}"))
}

/// Checks the report `r` of a run whose inputs are `inputs` (relative to the
/// repository root) and whose outputs are `outputs`, in the same order.
fn check_figures(r: &Value, inputs: &[&str], outputs: &[&Path]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = r["documents"].as_array().unwrap();
    assert_eq!(docs.len(), inputs.len());
    let totals = &r["totals"];
    assert_eq!(u(totals, "documents"), docs.len() as u64);
    for key in ["blocks_in", "blocks_out", "bytes_in", "bytes_out"] {
        let sum: u64 = docs.iter().map(|d| u(d, key)).sum();
        assert_eq!(u(totals, key), sum, "totals.{key}");
    }
    for kind in ["exact", "near", "contained"] {
        let sum: u64 = docs.iter().map(|d| u(&d["removed_by_kind"], kind)).sum();
        assert_eq!(
            u(&totals["removed_by_kind"], kind),
            sum,
            "totals.removed_by_kind.{kind}"
        );
    }
    for ((doc, input), output) in docs.iter().zip(inputs).zip(outputs) {
        assert_eq!(doc["path"], *input);
        let size_in = read(&root.join(input)).len() as u64;
        let size_out = read(output).len() as u64;
        assert_eq!(u(doc, "bytes_in"), size_in, "{input}: bytes_in");
        assert_eq!(u(doc, "bytes_out"), size_out, "{input}: bytes_out");
        assert_eq!(
            u(doc, "bytes_in") - u(doc, "bytes_out"),
            size_in - size_out,
            "{input}: bytes removed"
        );
        let removed = doc["removed"].as_array().unwrap();
        assert_eq!(
            u(doc, "blocks_in") - u(doc, "blocks_out"),
            removed.len() as u64,
            "{input}: blocks removed"
        );
        for kind in ["exact", "near", "contained"] {
            let n = removed.iter().filter(|b| b["kind"] == kind).count() as u64;
            assert_eq!(u(&doc["removed_by_kind"], kind), n, "{input}: {kind}");
        }
    }
    let (bytes_in, bytes_out) = (u(totals, "bytes_in"), u(totals, "bytes_out"));
    let rate = ((bytes_in - bytes_out) as f64 / bytes_in as f64 * 10_000.0).round() / 10_000.0;
    assert_eq!(totals["rate"].as_f64(), Some(rate), "totals.rate");
}

#[test]
fn report_totals_are_the_sums_of_documents_and_bytes_match_the_files() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let mut args = vec!["--out-dir", path_str(&out)];
    args.extend(CASES);
    let run = report_run(&args);
    let outputs: Vec<_> = CASES.iter().map(|c| out.join(c)).collect();
    let outputs: Vec<&Path> = outputs.iter().map(|p| p.as_path()).collect();
    check_figures(&json("report", &run.stdout), &CASES, &outputs);
}

#[test]
fn report_bytes_of_the_seed_match_the_written_file() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out.txt");
    let seed = seed();
    let run = report_run(&["-o", path_str(&out), &seed]);
    check_figures(&json("report", &run.stdout), &[&seed], &[&out]);
}
