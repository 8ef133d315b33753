//! `paradedup check`: the duplication rate (bytes `clean` would remove / bytes
//! in) against `--max-rate`, exit 1 above it and 0 otherwise, on the seed
//! article and on a folder walk; `--format json` parses and gives each file
//! its rate. The error exits of `check` are in `errors.rs`.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{fixture, json, paradedup, read, Run, SEED, SEED_EXPECTED};

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
