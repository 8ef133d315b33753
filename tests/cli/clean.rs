//! `paradedup clean`: the case fixtures and the seed article give their
//! expected bytes; input from a path, stdin or `-`; output to stdout, `-o`,
//! `--out-dir` (mirrored tree) or `--in-place` (atomic, no temp file left);
//! folder walks with `--glob`; the unit, report and explain flags; and the
//! same output whatever the thread count.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::util::{
    assert_same_tree, copy_dir, difference, entries_under, fixture, json, paradedup, read, Run,
    SEED, SEED_EXPECTED,
};

/// The `(name, input, expected)` triples of `fixtures/cases`, sorted by name.
fn cases() -> Vec<(String, PathBuf, PathBuf)> {
    let dir = fixture("cases");
    let mut cases: Vec<(String, PathBuf, PathBuf)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            Path::new(name)
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("txt"))
                && !name.ends_with(".expected.txt")
        })
        .map(|file| {
            let name = file.trim_end_matches(".txt").to_owned();
            let expected = dir.join(format!("{name}.expected.txt"));
            (name, dir.join(file), expected)
        })
        .collect();
    cases.sort();
    cases
}

/// Runs `clean` on each file and returns one message per file whose output is
/// not `expected` (or whose run failed), so one test reports every case.
fn failures<'a>(runs: impl Iterator<Item = (&'a str, &'a Path, &'a Path)>) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, input, expected) in runs {
        let Ok(want) = fs::read(expected) else {
            failures.push(format!("{name}: missing {}", expected.display()));
            continue;
        };
        let run = Run::of(paradedup().arg("clean").arg(input));
        if run.code != Some(0) {
            failures.push(format!(
                "{name}: exit code {:?}, stderr: {}",
                run.code, run.stderr
            ));
        } else if let Some(diff) = difference(&run.stdout, &want) {
            failures.push(format!("{name}:\n{diff}"));
        }
    }
    failures
}

#[test]
fn every_case_fixture_gives_its_expected_output() {
    let cases = cases();
    assert!(
        cases.len() >= 25,
        "expected the case fixtures under {}, found {}",
        fixture("cases").display(),
        cases.len()
    );
    let failures = failures(
        cases
            .iter()
            .map(|(n, i, e)| (n.as_str(), i.as_path(), e.as_path())),
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// `fixtures/cases/README.md` has one table row per case, so that the list a
/// reader sees is the list the tests run.
#[test]
fn case_readme_lists_every_case() {
    let readme = String::from_utf8(read(&fixture("cases/README.md"))).unwrap();
    let mut listed: Vec<&str> = readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `")?.split('`').next())
        .collect();
    listed.sort_unstable();
    let names: Vec<String> = cases().into_iter().map(|(name, _, _)| name).collect();
    assert_eq!(listed, names, "README rows vs case files");
}

/// Deduplicating a clean document changes nothing: every expected file (which
/// holds no duplicates) must come back unchanged.
#[test]
fn cleaning_an_expected_output_changes_nothing() {
    let mut files: Vec<(String, PathBuf)> = cases()
        .into_iter()
        .map(|(name, _, expected)| (name, expected))
        .collect();
    files.push(("seed".to_owned(), fixture(SEED_EXPECTED)));
    let failures = failures(
        files
            .iter()
            .map(|(n, e)| (n.as_str(), e.as_path(), e.as_path())),
    );
    assert!(
        failures.is_empty(),
        "{} of {} clean files changed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn seed_loses_only_its_run_together_teaser() {
    Run::of(paradedup().arg("clean").arg(fixture(SEED)))
        .expect_code(0)
        .expect_stdout("seed", &read(&fixture(SEED_EXPECTED)));
}

/// `--keep first` is the old rule: the first copy of each content stays, here the title and
/// the description above the article instead of the headline and the lede.
#[test]
fn keep_first_keeps_the_first_copy() {
    let input = read(&fixture("cases/keep-body-copies.txt"));
    let text = String::from_utf8(input.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Lines 6 (the headline), 8 (the lede) and 14 (the headline under "Most read") go.
    let expected: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| ![5, 7, 13].contains(i))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    Run::of(
        paradedup()
            .args(["clean", "--keep", "first"])
            .arg(fixture("cases/keep-body-copies.txt")),
    )
    .expect_code(0)
    .expect_stdout("--keep first", expected.as_bytes());
}

#[test]
fn stdin_is_read_without_a_path() {
    Run::of(paradedup().arg("clean").write_stdin(read(&fixture(SEED))))
        .expect_code(0)
        .expect_stdout("stdin", &read(&fixture(SEED_EXPECTED)));
}

#[test]
fn dash_reads_stdin() {
    Run::of(
        paradedup()
            .args(["clean", "-"])
            .write_stdin(read(&fixture(SEED))),
    )
    .expect_code(0)
    .expect_stdout("-", &read(&fixture(SEED_EXPECTED)));
}

#[test]
fn output_flag_writes_the_document_to_a_file() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("clean.txt");
    Run::of(
        paradedup()
            .arg("clean")
            .arg(fixture(SEED))
            .arg("-o")
            .arg(&out),
    )
    .expect_code(0)
    .expect_stdout("stdout with -o", b"");
    let diff = difference(&read(&out), &read(&fixture(SEED_EXPECTED)));
    assert!(diff.is_none(), "-o file:\n{}", diff.unwrap_or_default());
    assert_eq!(entries_under(tmp.path()), ["clean.txt"]);
}

#[test]
fn out_dir_mirrors_the_relative_paths_of_a_walk() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    Run::of(
        paradedup()
            .current_dir(fixture("tree"))
            .args(["clean", "."])
            .arg("--out-dir")
            .arg(&out),
    )
    .expect_code(0)
    .expect_stdout("stdout with --out-dir", b"");
    assert_same_tree(&out, &fixture("tree-expected"));
}

#[test]
fn out_dir_mirrors_the_relative_paths_of_named_files() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    Run::of(
        paradedup()
            .current_dir(fixture("tree"))
            .args(["clean", "a/one.txt", "b/c/two.md", "--out-dir"])
            .arg(&out),
    )
    .expect_code(0);
    assert_same_tree(&out, &fixture("tree-expected"));
}

/// Two named inputs with the same file name must not be written to the same
/// output path: mirroring keeps them apart, and neither document is lost.
#[test]
fn out_dir_keeps_same_named_inputs_apart() {
    let tmp = TempDir::new().unwrap();
    for (dir, text) in [
        ("x", "Alpha line one here.\n"),
        ("y", "Beta line two here.\n"),
    ] {
        fs::create_dir(tmp.path().join(dir)).unwrap();
        fs::write(tmp.path().join(dir).join("page.txt"), text).unwrap();
    }
    Run::of(paradedup().current_dir(tmp.path()).args([
        "clean",
        "x/page.txt",
        "y/page.txt",
        "--out-dir",
        "out",
    ]))
    .expect_code(0);
    let out = tmp.path().join("out");
    assert_eq!(
        entries_under(&out),
        ["x/", "x/page.txt", "y/", "y/page.txt"],
        "one document overwrote the other"
    );
    assert_eq!(read(&out.join("x/page.txt")), b"Alpha line one here.\n");
    assert_eq!(read(&out.join("y/page.txt")), b"Beta line two here.\n");
}

#[test]
fn glob_replaces_the_default_file_patterns() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    Run::of(
        paradedup()
            .current_dir(fixture("tree"))
            .args(["clean", ".", "--glob", "*.csv", "--out-dir"])
            .arg(&out),
    )
    .expect_code(0);
    assert_eq!(entries_under(&out), ["skip.csv"]);
}

/// The default `--glob` was described three ways (README: `*.txt` and `*.md`; `--help`: those
/// and JSONL; `paradedup config`: JSONL for clean only) while clean and check both walk text
/// and JSONL dumps. The list each one prints is now the one a walk keeps.
#[test]
fn default_globs_are_what_help_config_and_readme_say() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    let text = b"One line of text here.\n".to_vec();
    let record = b"{\"text\": \"One line of text here.\"}\n".to_vec();
    let gz = |data: &[u8]| {
        use std::io::Write as _;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    };
    let zst = |data: &[u8]| zstd::encode_all(data, 3).unwrap();
    let kept = [
        ("a.txt", text.clone()),
        ("b.md", text.clone()),
        ("c.jsonl", record.clone()),
        ("d.ndjson", record.clone()),
        ("e.jsonl.gz", gz(&record)),
        ("f.jsonl.zst", zst(&record)),
        ("g.ndjson.gz", gz(&record)),
        ("h.ndjson.zst", zst(&record)),
        ("k.txt.gz", gz(&text)),
    ];
    let skipped = [
        ("i.csv", text.clone()),
        ("j.json", record.clone()),
        ("l.markdown", text.clone()),
    ];
    for (name, bytes) in kept.iter().chain(&skipped) {
        fs::write(dir.join(name), bytes).unwrap();
    }
    let names: Vec<&str> = kept.iter().map(|(n, _)| *n).collect();

    let out = tmp.path().join("out");
    Run::of(
        paradedup()
            .args(["clean", "-q"])
            .arg(&dir)
            .arg("--out-dir")
            .arg(&out),
    )
    .expect_code(0);
    assert_eq!(entries_under(&out), names, "clean's walk");
    let run = Run::of(paradedup().current_dir(&dir).args([
        "check",
        "--max-blocks",
        "100",
        "--format",
        "json",
        ".",
    ]));
    run.expect_code(0);
    let verdict = json("check", &run.stdout);
    let checked: Vec<&str> = verdict["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().trim_start_matches("./"))
        .collect();
    assert_eq!(checked, names, "check's walk");

    // `c.jsonl` → `*.jsonl`; a compressed name is matched without its `.gz` or `.zst`.
    let mut globs: Vec<String> = Vec::new();
    for n in &names {
        let plain = n.trim_end_matches(".gz").trim_end_matches(".zst");
        let glob = format!("*{}", &plain[plain.find('.').unwrap()..]);
        if !globs.contains(&glob) {
            globs.push(glob);
        }
    }
    let listed = globs.join(", ");
    for sub in ["clean", "check"] {
        let run = Run::of(paradedup().args([sub, "--help"]));
        run.expect_code(0);
        let help = String::from_utf8(run.stdout.clone()).unwrap();
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        let want = format!("[default: {listed}]");
        assert!(help.contains(&want), "{sub} --help lacks {want:?}:\n{help}");
    }
    let config_line = format!("# globs (not set: {listed})");
    for args in [&["config"][..], &["config", "clean"], &["config", "check"]] {
        let run = Run::of(paradedup().args(args));
        run.expect_code(0);
        let shown = String::from_utf8(run.stdout.clone()).unwrap();
        assert!(shown.contains(&config_line), "{args:?}:\n{shown}");
    }
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&config_line),
        "README lacks {config_line:?}"
    );
    let prose = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let usage = format!("default `{}`", listed.replace(", ", "`, `"));
    assert!(prose.contains(&usage), "README lacks {usage:?}");
}

#[test]
fn glob_is_repeatable() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    Run::of(
        paradedup()
            .current_dir(fixture("tree"))
            .args(["clean", ".", "--glob", "*.csv", "--glob", "*.md"])
            .arg("--out-dir")
            .arg(&out),
    )
    .expect_code(0);
    assert_eq!(
        entries_under(&out),
        ["b/", "b/c/", "b/c/two.md", "skip.csv"]
    );
}

#[test]
fn in_place_rewrites_each_input_and_leaves_no_temp_file() {
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("tree");
    copy_dir(&fixture("tree"), &tree);
    let before = entries_under(&tree);
    Run::of(
        paradedup()
            .current_dir(&tree)
            .args(["clean", "--in-place", "."]),
    )
    .expect_code(0)
    .expect_stdout("stdout with --in-place", b"");
    assert_eq!(entries_under(&tree), before, "files were added or removed");
    for rel in ["a/one.txt", "b/c/two.md"] {
        let diff = difference(
            &read(&tree.join(rel)),
            &read(&fixture("tree-expected").join(rel)),
        );
        assert!(diff.is_none(), "{rel}:\n{}", diff.unwrap_or_default());
    }
    assert_eq!(
        read(&tree.join("skip.csv")),
        read(&fixture("tree/skip.csv")),
        "a file outside the globs was rewritten"
    );
}

#[test]
fn default_run_never_writes_an_input() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("article.txt");
    fs::copy(fixture(SEED), &input).unwrap();
    Run::of(
        paradedup()
            .current_dir(tmp.path())
            .args(["clean", "article.txt"]),
    )
    .expect_code(0)
    .expect_stdout("stdout", &read(&fixture(SEED_EXPECTED)));
    assert_eq!(read(&input), read(&fixture(SEED)), "the input was modified");
    assert_eq!(entries_under(tmp.path()), ["article.txt"]);
}

#[test]
fn thread_count_does_not_change_the_output() {
    let tmp = TempDir::new().unwrap();
    let mut outs = Vec::new();
    for threads in ["1", "4"] {
        let out = tmp.path().join(format!("j{threads}"));
        Run::of(
            paradedup()
                .arg("clean")
                .arg(fixture(""))
                .args(["--threads", threads, "--out-dir"])
                .arg(&out),
        )
        .expect_code(0);
        outs.push(out);
    }
    assert!(
        entries_under(&outs[0]).len() > 20,
        "the walk of fixtures/ wrote too few files: {:?}",
        entries_under(&outs[0])
    );
    assert_same_tree(&outs[1], &outs[0]);
}

#[test]
fn short_thread_flag_gives_the_seed_output() {
    Run::of(
        paradedup()
            .arg("clean")
            .arg(fixture(SEED))
            .args(["-j", "4"]),
    )
    .expect_code(0)
    .expect_stdout("-j 4", &read(&fixture(SEED_EXPECTED)));
}

#[test]
fn paragraph_unit_flag_matches_auto_on_wrapped_markdown() {
    let input = fixture("cases/paragraph-rewrapped-markdown.txt");
    let expected = read(&fixture("cases/paragraph-rewrapped-markdown.expected.txt"));
    Run::of(
        paradedup()
            .arg("clean")
            .arg(&input)
            .args(["--unit", "paragraph"]),
    )
    .expect_code(0)
    .expect_stdout("--unit paragraph", &expected);
}

#[test]
fn line_unit_flag_matches_auto_on_plain_lines() {
    Run::of(
        paradedup()
            .arg("clean")
            .arg(fixture(SEED))
            .args(["--unit", "line"]),
    )
    .expect_code(0)
    .expect_stdout("--unit line", &read(&fixture(SEED_EXPECTED)));
}

#[test]
fn report_to_stdout_is_json_and_the_document_goes_to_the_output_file() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("clean.txt");
    let run = Run::of(
        paradedup()
            .arg("clean")
            .arg(fixture(SEED))
            .args(["--report", "-", "-o"])
            .arg(&out),
    );
    run.expect_code(0);
    let report = json("--report -", &run.stdout);
    assert!(report.is_object(), "report is not an object: {report}");
    assert_eq!(read(&out), read(&fixture(SEED_EXPECTED)));
}

#[test]
fn report_file_is_json_and_stdout_keeps_the_document() {
    let tmp = TempDir::new().unwrap();
    let report = tmp.path().join("report.json");
    Run::of(
        paradedup()
            .arg("clean")
            .arg(fixture(SEED))
            .arg("--report")
            .arg(&report),
    )
    .expect_code(0)
    .expect_stdout("stdout with --report FILE", &read(&fixture(SEED_EXPECTED)));
    let parsed = json("--report FILE", &read(&report));
    assert!(parsed.is_object(), "report is not an object: {parsed}");
}

/// `--explain` describes removals on stderr and leaves stdout alone: the seed
/// (one removal) must explain more than its clean version (no removal). Both
/// come from stdin so that no file name makes the two stderrs differ.
#[test]
fn explain_prints_removals_on_stderr_only() {
    let seed = Run::of(
        paradedup()
            .args(["clean", "--explain"])
            .write_stdin(read(&fixture(SEED))),
    );
    seed.expect_code(0)
        .expect_stdout("--explain", &read(&fixture(SEED_EXPECTED)));
    let clean = Run::of(
        paradedup()
            .args(["clean", "--explain"])
            .write_stdin(read(&fixture(SEED_EXPECTED))),
    );
    clean
        .expect_code(0)
        .expect_stdout("--explain on a clean file", &read(&fixture(SEED_EXPECTED)));
    assert!(
        seed.stderr.trim().len() > clean.stderr.trim().len(),
        "--explain should describe the removed teaser\n--- seed stderr ---\n{}\n--- clean stderr ---\n{}",
        seed.stderr,
        clean.stderr
    );
}
