//! `paradedup check`: the duplication rate (bytes `clean` would remove / bytes
//! in) against `--max-rate`, exit 1 above it and 0 otherwise, on the seed
//! article and on a folder walk; `--format json` parses and gives each file
//! its rate. Then the CI gate: `--max-blocks` and `--max-file-rate`, a baseline
//! written and honoured (edits elsewhere keep its ids, a new duplicate fails, a
//! gone one is reported stale), `.gitignore`, `--exclude` and the inline marker,
//! each reporter as a snapshot, and the SARIF log checked field by field
//! against the 2.1.0 schema. The error exits of `check` are in `errors.rs`.

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::util::{entries_under, fixture, json, paradedup, read, Run, SEED, SEED_EXPECTED};

/// The rate `check` must report for `input`: the bytes its expected clean
/// output lacks over its size. For the seed this is 1240 / 3362 = 0.3688.
fn rate_of(pairs: &[(&Path, &Path)]) -> f64 {
    let (mut removed, mut total) = (0_u64, 0_u64);
    for (input, expected) in pairs {
        let size = fs::metadata(input).unwrap().len();
        removed += size - fs::metadata(expected).unwrap().len();
        total += size;
    }
    let exact = |n: u64| f64::from(u32::try_from(n).unwrap());
    exact(removed) / exact(total)
}

fn seed_rate() -> f64 {
    rate_of(&[(&fixture(SEED), &fixture(SEED_EXPECTED))])
}

#[test]
fn seed_rate_is_what_the_fixtures_say() {
    // Guards the thresholds below: the seed loses line 4 and its newline.
    let removed = read(&fixture(SEED)).len() - read(&fixture(SEED_EXPECTED)).len();
    assert_eq!(removed, 1240);
    assert!((seed_rate() - 0.3688).abs() < 1e-4, "{}", seed_rate());
}

#[test]
fn check_exits_1_when_the_seed_rate_is_above_max_rate() {
    Run::of(
        paradedup()
            .arg("check")
            .arg(fixture(SEED))
            .args(["--max-rate", "0.36"]),
    )
    .expect_code(1);
}

#[test]
fn check_exits_0_when_the_seed_rate_is_below_max_rate() {
    Run::of(
        paradedup()
            .arg("check")
            .arg(fixture(SEED))
            .args(["--max-rate", "0.37"]),
    )
    .expect_code(0);
}

#[test]
fn check_exits_0_on_a_file_without_duplicates_even_at_zero() {
    Run::of(
        paradedup()
            .arg("check")
            .arg(fixture(SEED_EXPECTED))
            .args(["--max-rate", "0"]),
    )
    .expect_code(0);
}

#[test]
fn check_human_format_prints_a_verdict_on_stdout() {
    let run = Run::of(paradedup().arg("check").arg(fixture(SEED)).args([
        "--max-rate",
        "0.1",
        "--format",
        "human",
    ]));
    run.expect_code(1);
    assert!(
        !String::from_utf8_lossy(&run.stdout).trim().is_empty(),
        "human format printed nothing on stdout; stderr:\n{}",
        run.stderr
    );
}

/// The overall rate of the walk is that of `a/one.txt` and `b/c/two.md`
/// together; thresholds just below and just above it flip the exit code.
#[test]
fn check_on_a_folder_uses_the_overall_rate() {
    let rate = rate_of(&[
        (
            &fixture("tree/a/one.txt"),
            &fixture("tree-expected/a/one.txt"),
        ),
        (
            &fixture("tree/b/c/two.md"),
            &fixture("tree-expected/b/c/two.md"),
        ),
    ]);
    for (max, code) in [(rate - 0.01, 1), (rate + 0.01, 0)] {
        Run::of(
            paradedup()
                .arg("check")
                .arg(fixture("tree"))
                .arg("--max-rate")
                .arg(format!("{max:.4}")),
        )
        .expect_code(code);
    }
}

/// Every JSON object under `value` that names a file ending in `file_name`,
/// whatever the report's exact field names are.
fn objects_naming<'a>(value: &'a Value, file_name: &str, found: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            if map
                .values()
                .any(|v| v.as_str().is_some_and(|s| s.ends_with(file_name)))
            {
                found.push(value);
            }
            for v in map.values() {
                objects_naming(v, file_name, found);
            }
        }
        Value::Array(items) => {
            for v in items {
                objects_naming(v, file_name, found);
            }
        }
        _ => {}
    }
}

/// The numeric field `rate` of `object`, or else one named like a rate that
/// is not the threshold (`duplication_rate`, not `max_rate`).
fn rate_field(object: &Value) -> Option<f64> {
    let map = object.as_object()?;
    map.get("rate").and_then(Value::as_f64).or_else(|| {
        map.iter()
            .find(|(key, v)| {
                let key = key.to_ascii_lowercase();
                key.contains("rate") && !key.contains("max") && v.is_number()
            })
            .and_then(|(_, v)| v.as_f64())
    })
}

#[test]
fn check_json_parses_and_gives_each_file_its_rate() {
    let files = [
        (SEED, SEED_EXPECTED, "sputnik-belousov-dprk.txt"),
        ("tree/a/one.txt", "tree-expected/a/one.txt", "one.txt"),
        (
            "cases/trap-day-recap.txt",
            "cases/trap-day-recap.expected.txt",
            "trap-day-recap.txt",
        ),
    ];
    let mut cmd = paradedup();
    cmd.arg("check");
    for (input, _, _) in files {
        cmd.arg(fixture(input));
    }
    let run = Run::of(cmd.args(["--max-rate", "0.5", "--format", "json"]));
    run.expect_code(0);
    let json = json("check --format json", &run.stdout);
    for (input, expected, name) in files {
        let mut found = Vec::new();
        objects_naming(&json, name, &mut found);
        let rates: Vec<f64> = found.iter().filter_map(|o| rate_field(o)).collect();
        let want = rate_of(&[(&fixture(input), &fixture(expected))]);
        assert!(
            // 1e-4: the rate may be rounded to four decimals for people to read.
            rates.len() == 1 && (rates[0] - want).abs() < 1e-4,
            "{name}: expected one per-file rate {want}, found {rates:?} in\n{json:#}"
        );
    }
}

// ---------------------------------------------------------------------------
// The CI gate.

/// Two paragraphs long enough to be matched (8+ words) and a third one.
const P: &str = "The council said the new bridge would open in March after two years of work.";
const Q: &str =
    "Residents asked for a second crossing further north to keep lorries off the high street.";
const R: &str =
    "A public meeting on the plans will be held in the library hall next Thursday evening.";

/// Runs `check` in `dir` with `args`, once.
fn check_in(dir: &Path, args: &[&str]) -> Run {
    Run::of(paradedup().current_dir(dir).arg("check").args(args))
}

fn stdout(run: &Run) -> String {
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// Writes `lines` as a file, one per line.
fn write_lines(path: &Path, lines: &[&str]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// The statuses of the duplicates in `check --format json` output, as
/// `(path, first line, status)`.
fn duplicates(run: &Run) -> Vec<(String, u64, String)> {
    let v = json("check --format json", &run.stdout);
    v["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["lines"][0].as_u64().unwrap(),
                d["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn max_blocks_counts_duplicate_blocks_overall() {
    // fixtures/tree holds one exact copy in each of its two files.
    for (max, code) in [("2", 0), ("1", 1), ("0", 1)] {
        let run = Run::of(
            paradedup()
                .arg("check")
                .arg(fixture("tree"))
                .args(["--max-blocks", max]),
        );
        run.expect_code(code);
    }
}

#[test]
fn max_file_rate_fails_on_the_one_file_above_it() {
    // The seed (36.88%) with a clean file: the overall rate (22.61%) passes the same limit.
    let run = Run::of(
        paradedup()
            .arg("check")
            .arg(fixture(SEED))
            .arg(fixture(SEED_EXPECTED))
            .args([
                "--max-file-rate",
                "0.36",
                "--max-rate",
                "0.36",
                "--format",
                "json",
            ]),
    );
    run.expect_code(1);
    let v = json("check", &run.stdout);
    let failures = v["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{v:#}");
    assert_eq!(failures[0]["threshold"], "max_file_rate");
    assert!(failures[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("sputnik-belousov-dprk.txt"));
    assert!(v["counted"]["rate"].as_f64().unwrap() < 0.36, "{v:#}");
    Run::of(
        paradedup()
            .arg("check")
            .arg(fixture(SEED))
            .arg(fixture(SEED_EXPECTED))
            .args(["--max-file-rate", "37%"]),
    )
    .expect_code(0);
}

#[test]
fn any_one_threshold_exceeded_fails() {
    // The rate passes (36.88% <= 50%), the block count does not (1 > 0).
    let run = Run::of(paradedup().arg("check").arg(fixture(SEED)).args([
        "--max-rate",
        "0.5",
        "--max-blocks",
        "0",
    ]));
    run.expect_code(1);
    let out = stdout(&run);
    assert!(out.contains("max rate 50.00%: pass"), "{out}");
    assert!(out.contains("max blocks 0: FAIL (1)"), "{out}");
    Run::of(paradedup().arg("check").arg(fixture(SEED)).args([
        "--max-rate",
        "0.5",
        "--max-blocks",
        "1",
    ]))
    .expect_code(0);
}

#[test]
fn check_without_any_threshold_is_a_usage_error() {
    let run = Run::of(paradedup().arg("check").arg(fixture(SEED)));
    run.expect_code(2)
        .expect_stderr_contains("check needs a threshold")
        .expect_stdout("nothing on stdout", b"");
}

#[test]
fn check_help_shows_examples() {
    let run = Run::of(paradedup().args(["check", "--help"]));
    run.expect_code(0);
    let out = stdout(&run);
    for needle in [
        "Examples:",
        "--write-baseline .paradedup-baseline.json",
        "--format sarif",
        "paradedup: ignore",
        "--max-file-rate",
    ] {
        assert!(out.contains(needle), "--help lacks {needle:?}:\n{out}");
    }
}

#[test]
fn baseline_is_written_then_honoured() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("docs/a.txt"), &["Title", P, Q, "Other", P]);
    write_lines(&dir.join("docs/b.txt"), &[R, "Notes", R]);

    // Without a baseline both copies count.
    check_in(dir, &["--max-blocks", "0", "docs"]).expect_code(1);
    // Writing one accepts them (no threshold needed).
    let run = check_in(dir, &["--write-baseline", "base.json", "docs"]);
    run.expect_code(0);
    let base = json("baseline", &read(&dir.join("base.json")));
    assert_eq!(base["schema_version"], 2);
    let entries = base["duplicates"].as_array().unwrap();
    let paths: Vec<&str> = entries
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["docs/a.txt", "docs/b.txt"]);
    // Written again: the same bytes.
    let first = read(&dir.join("base.json"));
    check_in(dir, &["--write-baseline", "base.json", "docs"]).expect_code(0);
    assert_eq!(read(&dir.join("base.json")), first);

    let gate = [
        "--baseline",
        "base.json",
        "--max-blocks",
        "0",
        "--format",
        "json",
        "docs",
    ];
    let run = check_in(dir, &gate);
    run.expect_code(0);
    assert_eq!(
        duplicates(&run),
        [
            ("docs/a.txt".to_string(), 5, "baseline".to_string()),
            ("docs/b.txt".to_string(), 3, "baseline".to_string())
        ]
    );

    // An edit elsewhere in the file (lines added above, a line changed) keeps the ids.
    write_lines(
        &dir.join("docs/a.txt"),
        &["New lead line", "Title, revised", P, Q, "Other", "More", P],
    );
    let run = check_in(dir, &gate);
    run.expect_code(0);
    assert_eq!(
        duplicates(&run)[0],
        ("docs/a.txt".to_string(), 7, "baseline".to_string())
    );

    // A new duplicate fails, and only it counts.
    write_lines(
        &dir.join("docs/a.txt"),
        &[
            "New lead line",
            "Title, revised",
            P,
            Q,
            "Other",
            "More",
            P,
            Q,
        ],
    );
    let run = check_in(dir, &gate);
    run.expect_code(1);
    let d = duplicates(&run);
    assert!(
        d.contains(&("docs/a.txt".to_string(), 8, "new".to_string())),
        "{d:?}"
    );
    assert!(
        d.contains(&("docs/a.txt".to_string(), 7, "baseline".to_string())),
        "{d:?}"
    );
    let v = json("check", &run.stdout);
    assert_eq!(v["counted"]["removed_by_kind"]["exact"], 1, "{v:#}");
    assert_eq!(v["overall"]["removed_by_kind"]["exact"], 3, "{v:#}");
    assert_eq!(v["baseline"]["known"], 2);
}

#[test]
fn a_baseline_id_survives_an_edit_of_the_copy_it_repeats() {
    // The near duplicate on line 7 is unchanged; only the kept paragraph it resembles gets a
    // word edited. The known duplicate must stay known (and its entry must not turn stale).
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let kept = "The committee will publish its final report on the river restoration project early next spring, after a long series of public hearings held across the valley.";
    let near = "The committee will release its final report on the river restoration project early next spring, after a long series of public hearings held across the valley.";
    let edited = "The committee will publish its complete report on the river restoration project early next spring, after a long series of public hearings held across the valley.";
    write_lines(&dir.join("a.txt"), &["Title", kept, "Other", near]);
    check_in(dir, &["--write-baseline", "base.json", "a.txt"]).expect_code(0);
    write_lines(&dir.join("a.txt"), &["Title", edited, "Other", near]);
    let run = check_in(
        dir,
        &[
            "--baseline",
            "base.json",
            "--max-blocks",
            "0",
            "--format",
            "json",
            "a.txt",
        ],
    );
    let v = json("check", &run.stdout);
    assert_eq!(v["duplicates"][0]["kind"], "near", "{v:#}");
    assert_eq!(v["duplicates"][0]["status"], "baseline", "{v:#}");
    assert_eq!(v["baseline"]["stale"].as_array().unwrap().len(), 0, "{v:#}");
    run.expect_code(0);
}

#[test]
fn previews_carry_no_control_characters_to_the_terminal() {
    // Scraped text can hold escape sequences: a preview must not retitle or clear the
    // terminal (or a CI log) of whoever reads the report.
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let evil = format!("\u{1b}]0;pwned\u{7}\u{1b}[2J{P}");
    // b.txt's entry goes stale: its preview is printed too.
    write_lines(&dir.join("b.txt"), &["Title", &evil, "Other", &evil]);
    check_in(dir, &["--write-baseline", "base.json", "b.txt"]).expect_code(0);
    write_lines(&dir.join("b.txt"), &["Title", &evil]);
    write_lines(&dir.join("a.txt"), &["Title", &evil, "Other", &evil]);
    for format in ["human", "github"] {
        let run = check_in(
            dir,
            &[
                "--baseline",
                "base.json",
                "--max-blocks",
                "0",
                "--format",
                format,
                "a.txt",
                "b.txt",
            ],
        );
        let out = stdout(&run);
        assert!(
            out.contains("stale") && out.contains("pwned"),
            "{format}: {out}"
        );
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "{format}: {out:?}"
        );
    }
}

#[test]
fn github_annotations_name_files_without_a_leading_dot_slash() {
    // `paradedup check .` shows `./docs/a.txt`; GitHub does not match `file=./docs/a.txt` to
    // the file of the pull request, so the annotation would never show on the diff.
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("docs/a.txt"), &["Title", P, Q, P]);
    let run = check_in(
        dir,
        &[
            "--max-blocks",
            "0",
            "--max-file-rate",
            "1%",
            "--format",
            "github",
            ".",
        ],
    );
    run.expect_code(1);
    let out = stdout(&run);
    assert!(
        out.starts_with("::warning file=docs/a.txt,line=4,endLine=4,"),
        "{out}"
    );
    // The messages too, as the README says: `PATH:N repeats PATH:K`, and the file whose rate
    // is above --max-file-rate.
    assert!(
        out.contains("::docs/a.txt:4 repeats docs/a.txt:2 (exact, score 1.000, id "),
        "{out}"
    );
    assert!(
        out.contains("::error title=paradedup check failed::docs/a.txt: rate "),
        "{out}"
    );
    assert!(!out.contains("./"), "{out}");
}

/// A pre-commit hook checks only the staged files: the baseline entries of the files not
/// checked in this run are neither found nor stale.
#[test]
fn baseline_entries_of_files_not_checked_are_not_stale() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("a.txt"), &["Title", P, Q, P]);
    write_lines(&dir.join("b.txt"), &["Other", Q, P, Q]);
    check_in(dir, &["--write-baseline", "base.json", "a.txt", "b.txt"]).expect_code(0);
    let run = check_in(
        dir,
        &[
            "--baseline",
            "base.json",
            "--max-blocks",
            "0",
            "--format",
            "json",
            "a.txt",
        ],
    );
    run.expect_code(0);
    let v = json("check", &run.stdout);
    assert_eq!(v["baseline"]["stale"], serde_json::json!([]), "{v:#}");
    assert_eq!(v["baseline"]["known"], 1, "{v:#}");
}

/// The `(path, id)` of each entry of a baseline file.
fn entries(path: &Path) -> Vec<(String, String)> {
    json("baseline", &read(path))["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Paths in a baseline, and in its ids, are relative to the baseline file's folder: the same
/// checkout gives the same baseline from its root, from a subfolder, or with absolute paths,
/// and a baseline written one way gates runs made the other ways.
#[test]
fn baseline_ids_do_not_depend_on_the_folder_check_runs_in() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("docs/a.txt"), &["Title", P, Q, P]);
    write_lines(&dir.join("docs/sub/b.txt"), &["Other", R, R]);
    let docs = dir.join("docs");
    let abs = |rel: &str| dir.join(rel).to_str().unwrap().to_string();

    check_in(dir, &["--write-baseline", "base.json", "docs"]).expect_code(0);
    let expected = entries(&dir.join("base.json"));
    assert_eq!(
        expected.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["docs/a.txt", "docs/sub/b.txt"]
    );
    check_in(&docs, &["--write-baseline", "../from-docs.json", "."]).expect_code(0);
    assert_eq!(entries(&dir.join("from-docs.json")), expected);
    check_in(
        &docs.join("sub"),
        &["--write-baseline", &abs("absolute.json"), &abs("docs")],
    )
    .expect_code(0);
    assert_eq!(entries(&dir.join("absolute.json")), expected);

    // Gated from a subfolder, with the baseline written at the root.
    let run = check_in(
        &docs,
        &[
            "--baseline",
            "../base.json",
            "--max-blocks",
            "0",
            "--format",
            "json",
            ".",
        ],
    );
    run.expect_code(0);
    let v = json("check", &run.stdout);
    assert_eq!(v["baseline"]["known"], 2, "{v:#}");
    assert_eq!(v["baseline"]["stale"], serde_json::json!([]), "{v:#}");
    // Only one file checked (a hook passes the staged files): the other file's entry is
    // neither found nor stale.
    let run = check_in(
        &docs,
        &[
            "--baseline",
            "../base.json",
            "--max-blocks",
            "0",
            "--format",
            "json",
            "a.txt",
        ],
    );
    run.expect_code(0);
    let v = json("check", &run.stdout);
    assert_eq!(v["baseline"]["known"], 1, "{v:#}");
    assert_eq!(v["baseline"]["stale"], serde_json::json!([]), "{v:#}");

    // A baseline in a subfolder names the files from there; it gates the same way.
    check_in(dir, &["--write-baseline", "ci/base.json", "docs"]).expect_code(0);
    let in_ci = entries(&dir.join("ci/base.json"));
    assert_eq!(
        in_ci.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["../docs/a.txt", "../docs/sub/b.txt"]
    );
    check_in(
        &docs,
        &["--baseline", "../ci/base.json", "--max-blocks", "0", "."],
    )
    .expect_code(0);
    // Without a baseline the duplicates count, so the runs above could fail.
    check_in(&docs, &["--max-blocks", "0", "."]).expect_code(1);
}

/// Version 1 baselines named files as given on the command line: they are refused with a
/// request to rewrite them, and rewriting works even where paradedup.toml names the old file.
#[test]
fn a_version_1_baseline_is_refused_and_can_be_rewritten() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("a.txt"), &["Title", P, P]);
    fs::write(
        dir.join("old.json"),
        r#"{"schema_version": 1, "tool": "paradedup", "duplicates": []}"#,
    )
    .unwrap();
    check_in(
        dir,
        &["--baseline", "old.json", "--max-blocks", "0", "a.txt"],
    )
    .expect_code(2)
    .expect_stderr_contains("old.json: baseline schema_version 1")
    .expect_stderr_contains("rewrite it with `paradedup check --write-baseline old.json");
    check_in(
        dir,
        &[
            "--baseline",
            "old.json",
            "--write-baseline",
            "old.json",
            "a.txt",
        ],
    )
    .expect_code(0);
    assert_eq!(
        json("baseline", &read(&dir.join("old.json")))["schema_version"],
        2
    );
    check_in(
        dir,
        &["--baseline", "old.json", "--max-blocks", "0", "a.txt"],
    )
    .expect_code(0);
}

#[test]
fn a_baseline_entry_no_longer_found_is_reported_stale_not_an_error() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("a.txt"), &["Title", P, Q, P]);
    check_in(dir, &["--write-baseline", "base.json", "a.txt"]).expect_code(0);
    let id = json("baseline", &read(&dir.join("base.json")))["duplicates"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The copy is gone.
    write_lines(&dir.join("a.txt"), &["Title", P, Q]);
    let run = check_in(
        dir,
        &["--baseline", "base.json", "--max-blocks", "0", "a.txt"],
    );
    run.expect_code(0);
    let out = stdout(&run);
    assert!(
        out.contains("1 stale entries") && out.contains(&format!("stale: {id} a.txt (exact)")),
        "{out}"
    );
    let run = check_in(
        dir,
        &[
            "--baseline",
            "base.json",
            "--max-blocks",
            "0",
            "--format",
            "json",
            "a.txt",
        ],
    );
    run.expect_code(0);
    let v = json("check", &run.stdout);
    assert_eq!(v["baseline"]["stale"][0]["id"], id.as_str(), "{v:#}");
    let run = check_in(
        dir,
        &[
            "--baseline",
            "base.json",
            "--max-blocks",
            "0",
            "--format",
            "github",
            "a.txt",
        ],
    );
    run.expect_code(0);
    assert!(stdout(&run).starts_with("::notice title=paradedup%3A stale baseline entry::"));
}

#[test]
fn a_missing_or_foreign_baseline_is_an_error() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("a.txt"), &["Title", P, P]);
    check_in(
        dir,
        &["--baseline", "none.json", "--max-blocks", "0", "a.txt"],
    )
    .expect_code(2)
    .expect_stderr_contains("none.json");
    // Each kind of unusable baseline, with the start of its message (the path first).
    let cases = [
        (
            "v9.json",
            r#"{"schema_version": 9, "duplicates": []}"#,
            "v9.json: baseline schema_version 9 is not supported (this paradedup writes 2)",
        ),
        (
            "v1.json",
            r#"{"schema_version": 1, "duplicates": []}"#,
            "v1.json: baseline schema_version 1 was written by an earlier paradedup, whose ids \
             depended on the folder check ran in; rewrite it with `paradedup check \
             --write-baseline v1.json PATH...`",
        ),
        (
            "bad.json",
            "[1, 2]",
            "bad.json: not a paradedup baseline file: ",
        ),
    ];
    for (name, content, message) in cases {
        fs::write(dir.join(name), content).unwrap();
        check_in(dir, &["--baseline", name, "--max-blocks", "0", "a.txt"])
            .expect_code(2)
            .expect_stderr_contains(message);
    }
}

#[test]
fn write_baseline_never_writes_over_an_input() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("a.txt"), &["Title", P, P]);
    check_in(dir, &["--write-baseline", "a.txt", "a.txt"])
        .expect_code(2)
        .expect_stderr_contains("write over the input");
    assert_eq!(
        read(&dir.join("a.txt")),
        format!("Title\n{P}\n{P}\n").as_bytes()
    );
}

#[test]
fn write_baseline_refuses_a_folder_or_a_device() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("a.txt"), &["Title", P, P]);
    fs::create_dir(dir.join("folder")).unwrap();
    let mut special = vec!["folder"];
    if cfg!(unix) {
        special.extend(["/dev/null", "/dev/stdout"]);
    }
    for target in special {
        let run = Run::of(
            paradedup()
                .current_dir(dir)
                .args(["check", "--write-baseline", target, "a.txt"])
                .timeout(std::time::Duration::from_secs(20)),
        );
        run.expect_code(2)
            .expect_stderr_contains(&format!("--write-baseline {target}: not a regular file"));
        assert!(run.stdout.is_empty(), "{target}: {}", stdout(&run));
    }
    assert_eq!(entries_under(dir), ["a.txt", "folder/"]);
}

/// File names are data: a backtick must not end the Markdown code span that shows one, and a
/// control character must not reach the terminal.
#[cfg(unix)]
#[test]
fn reporters_show_odd_file_names_safely() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("docs/a`b.txt"), &["Title", P, P]);
    write_lines(&dir.join("docs/c\u{1b}[2J.txt"), &["Other", Q, Q]);
    let run = check_in(dir, &["--max-blocks", "0", "--format", "markdown", "docs"]);
    run.expect_code(1);
    let out = stdout(&run);
    assert!(out.contains("| ``docs/a`b.txt`` |"), "{out}");
    assert!(out.contains("| `docs/c\u{fffd}[2J.txt` |"), "{out}");
    let run = check_in(dir, &["--max-blocks", "0", "docs"]);
    run.expect_code(1);
    let out = stdout(&run);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(
        out.contains("docs/c\u{fffd}[2J.txt:3: exact duplicate"),
        "{out}"
    );
    assert!(out.contains("  docs/c\u{fffd}[2J.txt\n"), "{out}");
}

#[test]
fn check_honours_gitignore_and_clean_does_not() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("docs/a.txt"), &["Title", P, Q]);
    write_lines(&dir.join("docs/data/dump.txt"), &[R, R]);
    write_lines(&dir.join("docs/notes.txt"), &[Q, Q]);
    fs::write(dir.join(".gitignore"), "data/\nnotes.txt\n").unwrap();
    // The .gitignore above the walked folder counts inside its repository.
    fs::create_dir(dir.join(".git")).unwrap();
    let run = check_in(dir, &["--max-blocks", "0", "--format", "json", "docs"]);
    run.expect_code(0);
    let v = json("check", &run.stdout);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["docs/a.txt"]);
    // Without the .gitignore both duplicates count: the test above can fail.
    fs::remove_file(dir.join(".gitignore")).unwrap();
    check_in(dir, &["--max-blocks", "1", "docs"]).expect_code(1);
    // clean walks git-ignored data folders as before.
    fs::write(dir.join(".gitignore"), "data/\nnotes.txt\n").unwrap();
    Run::of(
        paradedup()
            .current_dir(dir)
            .args(["clean", "docs", "--out-dir", "out"]),
    )
    .expect_code(0);
    assert_eq!(
        read(&dir.join("out/data/dump.txt")),
        format!("{R}\n").as_bytes()
    );
    assert!(dir.join("out/notes.txt").exists());
}

/// The files of a `check --format json` run, sorted by path.
fn checked_files(run: &Run) -> Vec<String> {
    let mut files: Vec<String> = json("check", &run.stdout)["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    files.sort();
    files
}

/// Ignore files are read up to the repository root, as git reads them: a stray `.gitignore`
/// or `.ignore` above the checkout (a home folder, /tmp) never hides files. Outside any
/// repository none above the walked folder is read.
#[test]
fn ignore_files_above_the_repository_are_not_read() {
    let tmp = TempDir::new().unwrap();
    let top = tmp.path();
    fs::write(top.join(".gitignore"), "notes.txt\n").unwrap();
    fs::write(top.join(".ignore"), "todo.txt\n").unwrap();
    let args = ["--max-blocks", "9", "--format", "json", "docs"];
    let all = ["docs/a.txt", "docs/notes.txt", "docs/todo.txt"];
    // A repository whose .git is a folder, one whose .git is a file (a worktree, a submodule),
    // and a folder outside any repository.
    for (name, git) in [
        ("repo", Some(true)),
        ("worktree", Some(false)),
        ("plain", None),
    ] {
        let dir = top.join(name);
        write_lines(&dir.join("docs/a.txt"), &["Title", P, Q]);
        write_lines(&dir.join("docs/notes.txt"), &[R, R]);
        write_lines(&dir.join("docs/todo.txt"), &[Q, Q]);
        match git {
            Some(true) => fs::create_dir(dir.join(".git")).unwrap(),
            Some(false) => fs::write(dir.join(".git"), "gitdir: ../elsewhere/.git\n").unwrap(),
            None => {}
        }
        let run = check_in(&dir, &args);
        assert_eq!(checked_files(&run), all, "{name}: {}", run.stderr);
        // The repository's own ignore files count, above the walked folder too; outside a
        // repository only those of the walked folder and below.
        fs::write(dir.join(".gitignore"), "notes.txt\n").unwrap();
        let run = check_in(&dir, &args);
        let expected: &[&str] = if git.is_some() {
            &["docs/a.txt", "docs/todo.txt"]
        } else {
            &all
        };
        assert_eq!(checked_files(&run), expected, "{name}: {}", run.stderr);
        let run = check_in(
            &dir.join("docs"),
            &["--max-blocks", "9", "--format", "json", "."],
        );
        let expected: &[&str] = if git.is_some() {
            &["./a.txt", "./todo.txt"]
        } else {
            &["./a.txt", "./notes.txt", "./todo.txt"]
        };
        assert_eq!(checked_files(&run), expected, "{name}: {}", run.stderr);
    }
}

#[test]
fn check_never_walks_the_git_folder() {
    // `check .` at the top of a repository: git's own folder is no input (a large one would
    // also be slow to walk), as in every ignore-aware tool.
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("a.txt"), &["Title", P, Q]);
    write_lines(&dir.join(".git/info/notes.txt"), &[R, R]);
    write_lines(&dir.join("sub/.git/x.txt"), &[R, R]);
    let run = check_in(dir, &["--max-blocks", "0", "--format", "json", "."]);
    let v = json("check", &run.stdout);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["./a.txt"]);
    run.expect_code(0);
    // Other hidden folders are walked, as clean walks them.
    write_lines(&dir.join(".github/notes.txt"), &[R, R]);
    check_in(dir, &["--max-blocks", "0", "."]).expect_code(1);
}

#[test]
fn exclude_drops_files_and_folders() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("docs/a.txt"), &["Title", P, Q]);
    write_lines(&dir.join("docs/vendor/x/copy.txt"), &[R, R]);
    write_lines(&dir.join("docs/CHANGELOG.md"), &[Q, Q]);
    check_in(dir, &["--max-blocks", "0", "docs"]).expect_code(1);
    check_in(dir, &["--max-blocks", "0", "--exclude", "vendor", "docs"]).expect_code(1);
    check_in(
        dir,
        &[
            "--max-blocks",
            "0",
            "--exclude",
            "vendor",
            "--exclude",
            "CHANGELOG.md",
            "docs",
        ],
    )
    .expect_code(0);
    check_in(
        dir,
        &[
            "--max-blocks",
            "0",
            "--exclude",
            "docs/vendor/**",
            "--exclude",
            "*.md",
            "docs",
        ],
    )
    .expect_code(0);
    // A file named on the command line (as a pre-commit hook passes them) is excluded too.
    check_in(
        dir,
        &[
            "--max-blocks",
            "0",
            "--exclude",
            "*.md",
            "docs/a.txt",
            "docs/CHANGELOG.md",
        ],
    )
    .expect_code(0);
    check_in(dir, &["--max-blocks", "0", "--exclude", "[", "docs"])
        .expect_code(2)
        .expect_stderr_contains("invalid --exclude");
}

#[test]
fn an_exclude_star_stays_in_its_folder() {
    // As in .gitignore, `*` does not cross `/`: `docs/*.md` leaves out docs/top.md only, not
    // the Markdown files of every folder under docs/ (`**` reaches into them).
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    write_lines(&dir.join("docs/top.md"), &[Q, Q]);
    write_lines(&dir.join("docs/guide/deep.md"), &[R, R]);
    let run = check_in(
        dir,
        &[
            "--max-blocks",
            "0",
            "--exclude",
            "docs/*.md",
            "--format",
            "json",
            ".",
        ],
    );
    let v = json("check", &run.stdout);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["./docs/guide/deep.md"], "{v:#}");
    run.expect_code(1);
    check_in(
        dir,
        &["--max-blocks", "0", "--exclude", "docs/**/*.md", "."],
    )
    .expect_code(2);
}

#[test]
fn inline_marker_exempts_a_block_repeated_on_purpose() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    // Unmarked: the copy fails the gate.
    write_lines(&dir.join("a.md"), &["Intro", P, "Body", P]);
    check_in(dir, &["--max-blocks", "0", "a.md"]).expect_code(1);
    // A marker line of its own exempts the next block.
    write_lines(
        &dir.join("a.md"),
        &["Intro", P, "Body", "<!-- paradedup: ignore -->", P],
    );
    let run = check_in(dir, &["--max-blocks", "0", "--format", "json", "a.md"]);
    run.expect_code(0);
    assert_eq!(
        duplicates(&run),
        [("a.md".to_string(), 5, "ignored".to_string())]
    );
    // A marker inside the block (paragraph unit) exempts it; so does marking the kept copy.
    fs::write(
        dir.join("b.md"),
        format!("Intro\n\n{P}\n\nBody\n\n{P}\n<!-- paradedup: ignore -->\n"),
    )
    .unwrap();
    check_in(dir, &["--max-blocks", "0", "--unit", "paragraph", "b.md"]).expect_code(0);
    write_lines(
        &dir.join("c.md"),
        &["Intro", "paradedup: ignore", P, "Body", P],
    );
    check_in(dir, &["--max-blocks", "0", "c.md"]).expect_code(0);
    // A marker before an unrelated block exempts nothing else.
    write_lines(
        &dir.join("d.md"),
        &["paradedup: ignore", "Intro", P, "Body", P],
    );
    check_in(dir, &["--max-blocks", "0", "d.md"]).expect_code(1);
}

// ---------------------------------------------------------------------------
// Reporters: snapshots of each format on three fixtures (exact, near and
// contained copies), run from the repository root so paths are relative.

const REPORTED: [&str; 3] = [
    "fixtures/tree",
    "fixtures/seed/sputnik-belousov-dprk.txt",
    "fixtures/cases/near-wording-edit.txt",
];

fn report_format(format: &str) -> String {
    let run = Run::of(
        paradedup()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("check")
            .args(REPORTED)
            .args([
                "--max-rate",
                "10%",
                "--max-blocks",
                "4",
                "--max-file-rate",
                "35%",
            ])
            .args(["--format", format]),
    );
    run.expect_code(1);
    stdout(&run).replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[VERSION]\"",
    )
}

#[test]
fn reporter_human() {
    let out = report_format("human");
    assert!(!out.contains('\u{1b}'), "no colour when piped or NO_COLOR");
    insta::assert_snapshot!("check_human", out);
}

#[test]
fn reporter_json() {
    let out = report_format("json");
    json("check --format json", out.as_bytes());
    insta::assert_snapshot!("check_json", out);
}

#[test]
fn reporter_github() {
    let out = report_format("github");
    for line in out.lines() {
        assert!(
            line.starts_with("::warning file=") || line.starts_with("::error title="),
            "not a workflow command: {line}"
        );
    }
    insta::assert_snapshot!("check_github", out);
}

#[test]
fn reporter_markdown() {
    insta::assert_snapshot!("check_markdown", report_format("markdown"));
}

#[test]
fn reporter_sarif() {
    let out = report_format("sarif");
    sarif_is_valid(&json("sarif", out.as_bytes()));
    insta::assert_snapshot!("check_sarif", out);
}

/// Panics unless `v` is an object holding only `allowed` keys and all of `required`.
fn shape(v: &Value, what: &str, required: &[&str], allowed: &[&str]) {
    let map = v
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {v}"));
    for key in required {
        assert!(map.contains_key(*key), "{what} lacks required {key:?}: {v}");
    }
    for key in map.keys() {
        assert!(
            allowed.contains(&key.as_str()),
            "{what} has {key:?}, which the 2.1.0 schema does not allow (additionalProperties: false)"
        );
    }
}

fn message(v: &Value, what: &str) {
    shape(
        v,
        what,
        &["text"],
        &["text", "markdown", "id", "arguments", "properties"],
    );
    assert!(v["text"].is_string());
}

fn physical_location(v: &Value, what: &str) {
    shape(
        v,
        what,
        &["artifactLocation"],
        &[
            "address",
            "artifactLocation",
            "region",
            "contextRegion",
            "properties",
        ],
    );
    let uri = v["artifactLocation"]["uri"].as_str().unwrap();
    assert!(
        !uri.is_empty() && !uri.contains(' ') && !uri.contains('\\') && !uri.starts_with('/'),
        "{what}: uri {uri:?} is no relative URI reference"
    );
    shape(
        &v["artifactLocation"],
        what,
        &["uri"],
        &["uri", "uriBaseId", "index", "description", "properties"],
    );
    let region = &v["region"];
    shape(
        region,
        what,
        &["startLine"],
        &[
            "startLine",
            "startColumn",
            "endLine",
            "endColumn",
            "charOffset",
            "charLength",
            "byteOffset",
            "byteLength",
            "snippet",
            "message",
            "sourceLanguage",
            "properties",
        ],
    );
    let start = region["startLine"].as_u64().unwrap();
    let end = region["endLine"].as_u64().unwrap();
    assert!(start >= 1 && end >= start, "{what}: lines {start}..{end}");
}

/// The SARIF 2.1.0 schema's rules for every object the log holds: required
/// properties, no property the schema does not define, and the enumerations.
fn sarif_is_valid(log: &Value) {
    shape(
        log,
        "sarifLog",
        &["version", "runs"],
        &[
            "$schema",
            "version",
            "runs",
            "inlineExternalProperties",
            "properties",
        ],
    );
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().starts_with("https://"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    shape(
        run,
        "run",
        &["tool"],
        &[
            "tool",
            "invocations",
            "results",
            "properties",
            "artifacts",
            "originalUriBaseIds",
            "columnKind",
        ],
    );
    shape(
        &run["tool"],
        "tool",
        &["driver"],
        &["driver", "extensions", "properties"],
    );
    let driver = &run["tool"]["driver"];
    shape(
        driver,
        "driver",
        &["name"],
        &[
            "name",
            "version",
            "informationUri",
            "rules",
            "fullName",
            "semanticVersion",
            "organization",
            "properties",
        ],
    );
    assert_eq!(driver["name"], "paradedup");
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        rule_ids,
        ["exact", "near", "contained", "boilerplate", "trimmed"]
    );
    // SARIF 3.49.7: a rule's name is a readable identifier, not its id again (sarif-multitool
    // warns SARIF1001 when they are equal, whatever the case): PascalCase, one per rule.
    let names: Vec<&str> = rules.iter().map(|r| r["name"].as_str().unwrap()).collect();
    for (name, id) in names.iter().zip(&rule_ids) {
        assert!(!name.eq_ignore_ascii_case(id), "rule {id} is named {name}");
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "rule {id}: {name} is not PascalCase"
        );
    }
    let mut distinct = names.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), names.len(), "{names:?}");
    for r in rules {
        shape(
            r,
            "rule",
            &["id"],
            &[
                "id",
                "name",
                "shortDescription",
                "fullDescription",
                "defaultConfiguration",
                "helpUri",
                "help",
                "properties",
            ],
        );
        message(&r["shortDescription"], "rule.shortDescription");
        shape(
            &r["defaultConfiguration"],
            "configuration",
            &[],
            &["enabled", "level", "rank", "parameters", "properties"],
        );
    }
    for inv in run["invocations"].as_array().unwrap() {
        shape(
            inv,
            "invocation",
            &["executionSuccessful"],
            &[
                "executionSuccessful",
                "toolExecutionNotifications",
                "properties",
            ],
        );
        for n in inv["toolExecutionNotifications"].as_array().unwrap() {
            shape(
                n,
                "notification",
                &["message"],
                &["message", "level", "locations", "properties"],
            );
            message(&n["message"], "notification.message");
            assert_eq!(n["level"], "error");
        }
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "one result per duplicate");
    for r in results {
        shape(
            r,
            "result",
            &["message"],
            &[
                "ruleId",
                "ruleIndex",
                "level",
                "message",
                "locations",
                "relatedLocations",
                "partialFingerprints",
                "baselineState",
                "suppressions",
                "properties",
            ],
        );
        message(&r["message"], "result.message");
        let index = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(r["ruleId"], rule_ids[index], "ruleIndex points at ruleId");
        assert!(["none", "note", "warning", "error"].contains(&r["level"].as_str().unwrap()));
        let locations = r["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        shape(
            &locations[0],
            "location",
            &[],
            &[
                "id",
                "physicalLocation",
                "logicalLocations",
                "message",
                "annotations",
                "relationships",
                "properties",
            ],
        );
        physical_location(&locations[0]["physicalLocation"], "result location");
        let related = r["relatedLocations"].as_array().unwrap();
        assert!(!related.is_empty(), "the kept copy is a related location");
        for l in related {
            shape(
                l,
                "relatedLocation",
                &[],
                &[
                    "id",
                    "physicalLocation",
                    "logicalLocations",
                    "message",
                    "annotations",
                    "relationships",
                    "properties",
                ],
            );
            assert!(l["id"].as_u64().is_some());
            message(&l["message"], "relatedLocation.message");
            physical_location(&l["physicalLocation"], "related location");
        }
        let fp = r["partialFingerprints"].as_object().unwrap();
        assert!(fp
            .values()
            .all(|v| v.as_str().is_some_and(|s| s.len() == 16)));
    }
}

#[test]
fn check_measures_jsonl_records_and_points_at_their_lines() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let record = |id: &str, parts: &[&str]| {
        serde_json::json!({ "id": id, "body": { "text": parts.join("\n") } }).to_string()
    };
    let lines = [
        record("a", &["Title", P, Q]),
        String::new(),
        record("b", &["Title", P, Q, P]),
    ];
    fs::write(dir.join("d.jsonl"), lines.join("\n") + "\n").unwrap();
    // The text field is nested: without --field the records have no `text`.
    check_in(dir, &["--max-blocks", "0", "d.jsonl"])
        .expect_code(2)
        .expect_stderr_contains("d.jsonl:1: no field \"text\"");
    let run = check_in(
        dir,
        &[
            "--max-blocks",
            "0",
            "--field",
            "body.text",
            "--format",
            "github",
            "d.jsonl",
        ],
    );
    run.expect_code(1);
    let out = stdout(&run);
    assert!(
        out.starts_with("::warning file=d.jsonl,line=3,endLine=3,"),
        "the record on line 3: {out}"
    );
    assert!(
        out.contains("line 4 of the record's text repeats line 2"),
        "{out}"
    );
    // One file row, two documents; the same record copied into another record is no duplicate
    // (each record is deduplicated on its own).
    let run = check_in(
        dir,
        &[
            "--max-blocks",
            "1",
            "--field",
            "body.text",
            "--format",
            "json",
            "d.jsonl",
        ],
    );
    run.expect_code(0);
    let v = json("check", &run.stdout);
    assert_eq!(v["documents"], 2);
    assert_eq!(v["files"].as_array().unwrap().len(), 1);
    assert_eq!(v["duplicates"][0]["record_id"], "b");
    // A folder walk takes dumps too.
    check_in(dir, &["--max-blocks", "0", "--field", "body.text", "."]).expect_code(1);
}

/// check reads its inputs as clean does: `--input-format` overrides the extension both ways,
/// and `--on-error skip` leaves a bad record out instead of failing.
#[test]
fn check_reads_inputs_as_clean_does() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let record = |parts: &[&str]| serde_json::json!({ "text": parts.join("\n") }).to_string();
    // A dump under a text name: by extension it is one text document of two JSON lines; read
    // as JSONL it is two records, and the second repeats a paragraph.
    let dump = [record(&[P, Q]), record(&[P, Q, P])].join("\n") + "\n";
    fs::write(dir.join("dump.txt"), &dump).unwrap();
    let documents = |args: &[&str]| {
        let mut all = vec!["--max-blocks", "0", "--format", "json"];
        all.extend_from_slice(args);
        let run = check_in(dir, &all);
        let v = json("check", &run.stdout);
        (run.code.unwrap_or(-1), v["documents"].as_u64().unwrap())
    };
    assert_eq!(documents(&["dump.txt"]).1, 1);
    assert_eq!(documents(&["--input-format", "jsonl", "dump.txt"]), (1, 2));
    // And the other way: a .jsonl file read as text.
    fs::write(dir.join("notes.jsonl"), format!("{P}\n{P}\n")).unwrap();
    check_in(dir, &["--max-blocks", "0", "notes.jsonl"])
        .expect_code(2)
        .expect_stderr_contains("notes.jsonl:1:");
    assert_eq!(
        documents(&["--input-format", "text", "notes.jsonl"]),
        (1, 1)
    );
    // A bad record: an error naming the line, or skipped and left out of the figures.
    fs::write(dir.join("bad.jsonl"), format!("{dump}{{\"body\": 1}}\n")).unwrap();
    check_in(dir, &["--max-blocks", "0", "bad.jsonl"])
        .expect_code(2)
        .expect_stderr_contains("bad.jsonl:3:");
    assert_eq!(documents(&["--on-error", "skip", "bad.jsonl"]), (1, 2));
    // An empty field path is refused, for the id as for the text.
    check_in(dir, &["--max-blocks", "0", "--id-field", "", "dump.txt"])
        .expect_code(2)
        .expect_stderr_contains("--id-field \"\" is not a field path");
}

/// The statuses of the duplicates of `check --format json` output, as
/// `(record_line, status)`.
fn record_statuses(run: &Run) -> Vec<(u64, String)> {
    let v = json("check --format json", &run.stdout);
    v["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["record_line"].as_u64().unwrap(),
                d["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn jsonl_baseline_ids_survive_records_added_above_and_count_new_copies() {
    // Records without an id: their duplicates must not be tied to the record's line, or a
    // record added at the top of the dump turns every known duplicate into a new one.
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let record = |parts: &[&str]| serde_json::json!({ "text": parts.join("\n") }).to_string();
    let dump = |records: &[String]| {
        fs::write(dir.join("d.jsonl"), records.join("\n") + "\n").unwrap();
    };
    let a = record(&["Title one", P, Q, P]);
    let b = record(&["Title two", R, "Notes", R]);
    dump(&[a.clone(), b.clone()]);
    check_in(dir, &["--write-baseline", "base.json", "d.jsonl"]).expect_code(0);
    let gate = [
        "--baseline",
        "base.json",
        "--max-blocks",
        "0",
        "--format",
        "json",
        "d.jsonl",
    ];

    // A record added above, and the two records swapped: still the same known duplicates.
    dump(&[record(&["A new record on top"]), b.clone(), a.clone()]);
    let run = check_in(dir, &gate);
    assert_eq!(
        record_statuses(&run),
        [(2, "baseline".to_string()), (3, "baseline".to_string())],
        "{}",
        stdout(&run)
    );
    run.expect_code(0);
    let v = json("check", &run.stdout);
    assert_eq!(v["baseline"]["stale"].as_array().unwrap().len(), 0, "{v:#}");

    // Another record with the same repeated paragraph is a new duplicate: it fails.
    dump(&[a.clone(), b.clone(), a.clone()]);
    let run = check_in(dir, &gate);
    assert_eq!(
        record_statuses(&run),
        [
            (1, "baseline".to_string()),
            (2, "baseline".to_string()),
            (3, "new".to_string())
        ],
        "{}",
        stdout(&run)
    );
    run.expect_code(1);
}
