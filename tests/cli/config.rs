//! `paradedup.toml`: discovery from the current folder up to the repository
//! root, `--config FILE`, `--no-config` and `PARADEDUP_NO_CONFIG`, flags over
//! the file and the file over defaults, errors that name the file, line and
//! key (exit 2), and `paradedup config` (TOML snapshot, JSON, and output that
//! reads back as a configuration file).
//!
//! Every test runs in a sandbox: a temp dir holding `repo/.git/` (so the walk
//! up stops at `repo/`) and, above the repository, a `paradedup.toml` that is
//! not TOML. A run that read that decoy would fail, so no test can pass by
//! reading a file it should not, and none can pick up a stray file from the
//! folders around the temp dir.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::util::{fixture, json, paradedup, read, Run, SEED, SEED_EXPECTED};

/// A temp dir with a repository `repo/` (holding `.git/`) and a broken
/// `paradedup.toml` above it.
struct Sandbox {
    tmp: TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let tmp = TempDir::new().unwrap();
        fs::create_dir_all(tmp.path().join("repo/.git")).unwrap();
        fs::write(tmp.path().join("paradedup.toml"), "this is = not [toml\n").unwrap();
        Sandbox { tmp }
    }

    fn repo(&self) -> PathBuf {
        self.tmp.path().join("repo")
    }

    /// Writes `text` to `rel` under the repository, creating folders.
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.repo().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    /// Creates the folder `rel` under the repository.
    fn folder(&self, rel: &str) -> PathBuf {
        let path = self.repo().join(rel);
        fs::create_dir_all(&path).unwrap();
        path
    }
}

/// `paradedup` run from `dir` with discovery on (the shared helper turns it
/// off for every other test).
fn paradedup_in(dir: &Path) -> assert_cmd::Command {
    let mut cmd = paradedup();
    cmd.env_remove("PARADEDUP_NO_CONFIG").current_dir(dir);
    cmd
}

fn stdout(run: &Run) -> String {
    String::from_utf8(run.stdout.clone()).unwrap()
}

/// The seed's rate is 36.88%: `max_rate` from a file at 40% passes, at 30%
/// fails, so the exit code shows whether the file was read.
#[test]
fn a_file_in_a_parent_folder_is_found() {
    let s = Sandbox::new();
    s.write("paradedup.toml", "[check]\nmax_rate = \"40%\"\n");
    let deep = s.folder("docs/a/b");
    Run::of(paradedup_in(&deep).arg("check").arg(fixture(SEED))).expect_code(0);
    s.write("paradedup.toml", "[check]\nmax_rate = \"30%\"\n");
    Run::of(paradedup_in(&deep).arg("check").arg(fixture(SEED))).expect_code(1);
}

#[test]
fn the_nearest_file_wins() {
    let s = Sandbox::new();
    s.write("paradedup.toml", "[check]\nmax_rate = \"30%\"\n");
    s.write("docs/paradedup.toml", "[check]\nmax_rate = \"40%\"\n");
    let deep = s.folder("docs/a");
    Run::of(paradedup_in(&deep).arg("check").arg(fixture(SEED))).expect_code(0);
}

/// The decoy above `repo/` is not TOML: reading it would exit 2.
#[test]
fn the_search_stops_at_the_repository_root() {
    let s = Sandbox::new();
    let sub = s.folder("sub");
    let run = Run::of(paradedup_in(&sub).arg("config"));
    run.expect_code(0);
    assert!(
        stdout(&run).contains(
            "# file: none (no paradedup.toml from the current folder up to the repository root)"
        ),
        "{}",
        stdout(&run)
    );
}

/// Without `.git` the walk goes on and finds the decoy (two folders up).
#[test]
fn without_a_repository_the_search_goes_on_upwards() {
    let s = Sandbox::new();
    let outside = s.tmp.path().join("plain/sub");
    fs::create_dir_all(&outside).unwrap();
    Run::of(paradedup_in(&outside).arg("config"))
        .expect_code(2)
        .expect_stderr_contains("../../paradedup.toml:1:");
}

#[test]
fn config_flag_names_the_file_and_beats_discovery() {
    let s = Sandbox::new();
    s.write("paradedup.toml", "[check]\nmax_rate = \"30%\"\n");
    s.write("ci/strict.toml", "[check]\nmax_rate = \"40%\"\n");
    Run::of(
        paradedup_in(&s.repo())
            .args(["check", "--config", "ci/strict.toml"])
            .arg(fixture(SEED)),
    )
    .expect_code(0);
    // Before the subcommand too (a global flag), and still read with the
    // environment switch set: it only turns discovery off.
    Run::of(
        paradedup_in(&s.repo())
            .env("PARADEDUP_NO_CONFIG", "1")
            .args(["--config", "ci/strict.toml", "check"])
            .arg(fixture(SEED)),
    )
    .expect_code(0);
}

#[test]
fn a_missing_config_file_is_an_error() {
    let s = Sandbox::new();
    Run::of(paradedup_in(&s.repo()).args(["--config", "nope.toml", "config"]))
        .expect_code(2)
        .expect_stderr_contains("nope.toml");
}

/// `--no-config` and `PARADEDUP_NO_CONFIG` skip a broken file.
#[test]
fn no_config_ignores_the_file() {
    let s = Sandbox::new();
    s.write("paradedup.toml", "not toml at all [\n");
    Run::of(paradedup_in(&s.repo()).arg("config"))
        .expect_code(2)
        .expect_stderr_contains("paradedup.toml:1:");
    let run = Run::of(paradedup_in(&s.repo()).args(["--no-config", "config"]));
    run.expect_code(0);
    assert!(stdout(&run).contains("# file: none (--no-config)"));
    let run = Run::of(
        paradedup_in(&s.repo())
            .env("PARADEDUP_NO_CONFIG", "1")
            .arg("config"),
    );
    run.expect_code(0);
    assert!(stdout(&run).contains("# file: none (PARADEDUP_NO_CONFIG is set)"));
}

#[test]
fn config_and_no_config_conflict() {
    let s = Sandbox::new();
    Run::of(paradedup_in(&s.repo()).args(["--config", "a.toml", "--no-config", "config"]))
        .expect_code(2);
}

/// A flag on the command line beats the file; the file beats the flag's
/// default. The seed has no blank lines: `unit = "paragraph"` makes it one
/// block and nothing goes, while lines (what `auto` picks) lose line 4.
#[test]
fn flags_override_the_file_and_the_file_overrides_defaults() {
    let s = Sandbox::new();
    s.write("paradedup.toml", "unit = \"paragraph\"\n");
    let seed = read(&fixture(SEED));
    let expected = read(&fixture(SEED_EXPECTED));
    Run::of(paradedup_in(&s.repo()).arg("clean").arg(fixture(SEED)))
        .expect_code(0)
        .expect_stdout("unit from the file", &seed);
    Run::of(
        paradedup_in(&s.repo())
            .args(["clean", "--unit", "line"])
            .arg(fixture(SEED)),
    )
    .expect_code(0)
    .expect_stdout("unit from the flag", &expected);
    Run::of(
        paradedup_in(&s.repo())
            .args(["clean", "--unit", "auto"])
            .arg(fixture(SEED)),
    )
    .expect_code(0)
    .expect_stdout(
        "--unit auto given explicitly, the same as the default",
        &expected,
    );

    s.write("paradedup.toml", "[check]\nmax_rate = \"40%\"\n");
    Run::of(
        paradedup_in(&s.repo())
            .args(["check", "--max-rate", "0.3"])
            .arg(fixture(SEED)),
    )
    .expect_code(1);
}

#[test]
fn check_without_max_rate_anywhere_is_a_usage_error() {
    let s = Sandbox::new();
    Run::of(paradedup_in(&s.repo()).arg("check").arg(fixture(SEED)))
        .expect_code(2)
        .expect_stderr_contains(
            "check needs a threshold: --max-rate R, --max-blocks N or --max-file-rate R",
        );
}

/// The run that fails writes nothing on stdout.
fn expect_config_error(s: &Sandbox, toml: &str, args: &[&str], needle: &str) {
    s.write("paradedup.toml", toml);
    let run = Run::of(paradedup_in(&s.repo()).args(args));
    run.expect_code(2).expect_stderr_contains(needle);
    assert!(run.stdout.is_empty(), "{}", stdout(&run));
}

#[test]
fn an_unknown_key_names_the_key_the_file_and_the_line() {
    let s = Sandbox::new();
    let seed = fixture(SEED);
    let seed = seed.to_str().unwrap();
    expect_config_error(
        &s,
        "unit = \"line\"\nthresold = 0.9\n",
        &["clean", seed],
        "paradedup: error: paradedup.toml:2:1: unknown key `thresold`, expected one of `unit`, `threshold`",
    );
    expect_config_error(
        &s,
        "[check]\nmax_rate = 0.5\nmax_rat = 0.4\n",
        &["check", seed],
        "paradedup.toml:3:1: unknown key `max_rat`, expected one of `max_rate`",
    );
    // A file named with --config is named as given.
    s.write(
        "ci/typo.toml",
        "[clean]\nscope = \"corpus\"\nscop = \"document\"\n",
    );
    let run = Run::of(paradedup_in(&s.repo()).args(["--config", "ci/typo.toml", "clean", seed]));
    run.expect_code(2).expect_stderr_contains(
        "paradedup: error: ci/typo.toml:3:1: unknown key `scop`, expected one of `format`",
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn a_key_of_the_wrong_table_is_unknown_there() {
    let s = Sandbox::new();
    expect_config_error(
        &s,
        "[clean]\nmax_rate = 0.5\n",
        &["config"],
        "paradedup.toml:2:1: unknown key `max_rate`, expected one of `format`, `field`, `id_field`, `scope`, `boilerplate_min_docs`, `max_memory`, `on_error` (in [clean])",
    );
}

#[test]
fn malformed_toml_names_the_file_and_line() {
    let s = Sandbox::new();
    let sub = s.folder("sub");
    s.write("paradedup.toml", "# ok\nunit = \"line\nmetric = 3\n");
    let run = Run::of(paradedup_in(&sub).arg("clean").arg(fixture(SEED)));
    run.expect_code(2)
        .expect_stderr_contains("paradedup: error: ../paradedup.toml:2:");
    assert!(run.stdout.is_empty());
}

#[test]
fn values_are_checked_where_they_are_written() {
    let s = Sandbox::new();
    for (toml, needle) in [
        ("threshold = 1.5\n", "paradedup.toml:1:13: threshold: 1.5 is outside 0..1"),
        ("unit = \"lines\"\n", "paradedup.toml:1:8: unit: unknown value \"lines\", expected one of \"auto\", \"line\", \"paragraph\""),
        ("threads = 0\n", "paradedup.toml:1:11: threads: must be at least 1"),
        ("globs = \"*.txt\"\n", "paradedup.toml:1:9: globs: invalid type: string \"*.txt\", expected a sequence"),
        ("[check]\nmax_rate = \"150%\"\n", "paradedup.toml:2:12: [check] max_rate: \"150%\" is outside 0..1"),
        ("[clean]\nboilerplate_min_docs = 1\n", "paradedup.toml:2:24: [clean] boilerplate_min_docs: must be at least 2"),
        ("[clean]\nmax_memory = \"4Q\"\n", "paradedup.toml:2:14: [clean] max_memory: \"4Q\": unknown unit"),
        ("[clean]\nfield = \"a..b\"\n", "paradedup.toml:2:9: [clean] field: \"a..b\" is not a field path"),
        ("[clean]\nboilerplate_min_docs = 3\n", "paradedup.toml:2:24: [clean] boilerplate_min_docs: needs scope = \"corpus\""),
    ] {
        expect_config_error(&s, toml, &["config"], needle);
    }
}

/// A flag refuses the values its key refuses in the file, in the same words.
#[test]
fn flags_and_the_file_follow_the_same_rules() {
    for (args, rule) in [
        (
            &["--threshold", "1.5"][..],
            "--threshold 1.5 is outside 0..1",
        ),
        (&["--threads", "0"][..], "--threads must be at least 1"),
        (
            &["--scope", "corpus", "--boilerplate-min-docs", "1"][..],
            "--boilerplate-min-docs must be at least 2 (the first occurrence always stays)",
        ),
    ] {
        Run::of(paradedup().arg("clean").args(args).arg(fixture(SEED)))
            .expect_code(2)
            .expect_stderr_contains(rule);
    }
}

/// The check keys that came with the gate's flags are read from the file:
/// `max_blocks = 0` fails a file with a duplicate, `--max-blocks` on the
/// command line overrides it, and `baseline` resolves against the file's
/// folder (run from a subfolder, the baseline written at the root is found).
#[test]
fn check_keys_from_the_file_are_honoured() {
    let s = Sandbox::new();
    let para = "The council said the new bridge would open in March after two years of work.\n";
    s.write("docs/a.txt", &format!("{para}{para}"));
    s.write("paradedup.toml", "[check]\nmax_blocks = 0\n");
    let sub = s.folder("docs");
    Run::of(paradedup_in(&sub).args(["check", "a.txt"])).expect_code(1);
    Run::of(paradedup_in(&sub).args(["check", "--max-blocks", "1", "a.txt"])).expect_code(0);
    // Write the baseline from the subfolder, then check against it through the file.
    Run::of(paradedup_in(&sub).args(["check", "--write-baseline", "baseline.json", "a.txt"]))
        .expect_code(0);
    s.write(
        "paradedup.toml",
        "[check]\nmax_blocks = 0\nbaseline = \"docs/baseline.json\"\n",
    );
    Run::of(paradedup_in(&sub).args(["check", "a.txt"])).expect_code(0);
    s.write(
        "paradedup.toml",
        "[check]\nmax_file_rate = \"10%\"\nexclude = [\"a.txt\"]\n",
    );
    s.write(
        "docs/b.txt",
        "One line of its own.\nAnother line of its own.\n",
    );
    Run::of(paradedup_in(&s.repo()).args(["check", "docs"])).expect_code(0);
    s.write("paradedup.toml", "[check]\nmax_file_rate = \"10%\"\n");
    Run::of(paradedup_in(&s.repo()).args(["check", "docs"])).expect_code(1);
}

const FULL: &str = r#"# shared by clean and check
unit = "line"
threshold = 0.9
metric = "jaro-winkler"
globs = ["*.txt", "*.text"]
threads = 2

[clean]
scope = "corpus"
boilerplate_min_docs = 3
max_memory = "512M"
field = "content.body"

[check]
max_rate = "5%"
format = "json"
"#;

#[test]
fn config_prints_every_setting_with_its_origin() {
    let s = Sandbox::new();
    s.write("paradedup.toml", FULL);
    let sub = s.folder("sub");
    let run = Run::of(paradedup_in(&sub).arg("config"));
    run.expect_code(0);
    insta::assert_snapshot!("config_from_file", stdout(&run));
}

#[test]
fn config_of_one_subcommand_shows_its_flags() {
    let s = Sandbox::new();
    s.write("paradedup.toml", FULL);
    let run = Run::of(paradedup_in(&s.repo()).args([
        "config",
        "check",
        "--max-rate",
        "3%",
        "--glob",
        "*.md",
        "--threshold",
        "0.85",
    ]));
    run.expect_code(0);
    insta::assert_snapshot!("config_check_with_flags", stdout(&run));
}

#[test]
fn config_json_gives_value_origin_and_source() {
    let s = Sandbox::new();
    s.write("paradedup.toml", FULL);
    // --json after the subcommand too: a flag of config, passed down.
    let run =
        Run::of(paradedup_in(&s.repo()).args(["config", "clean", "--unit", "auto", "--json"]));
    run.expect_code(0);
    let v = json("config --json", &run.stdout);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["file"], "paradedup.toml");
    let shared = &v["settings"][""];
    assert_eq!(shared["unit"]["value"], "auto");
    assert_eq!(shared["unit"]["origin"], "flag");
    assert_eq!(shared["unit"]["source"], "--unit");
    assert_eq!(shared["threshold"]["value"], 0.9);
    assert_eq!(shared["threshold"]["origin"], "file");
    assert_eq!(shared["threshold"]["source"], "paradedup.toml:3");
    assert_eq!(shared["lossy"]["origin"], "default");
    assert_eq!(shared["lossy"]["source"], serde_json::Value::Null);
    assert_eq!(v["settings"]["clean"]["max_memory"]["value"], 512 << 20);
    assert_eq!(v["settings"]["clean"]["on_error"]["value"], "fail");
    assert!(v["settings"]["check"].is_null(), "{v:#}");
}

/// What `paradedup config` prints is a configuration file that gives the
/// same settings back.
#[test]
fn config_output_reads_back_as_the_same_configuration() {
    let s = Sandbox::new();
    s.write("paradedup.toml", FULL);
    let first = Run::of(paradedup_in(&s.repo()).args(["config", "--json"]));
    first.expect_code(0);
    let toml = Run::of(paradedup_in(&s.repo()).arg("config"));
    toml.expect_code(0);
    s.write("copy/written.toml", &stdout(&toml));
    let again = Run::of(paradedup_in(&s.repo()).args([
        "--config",
        "copy/written.toml",
        "config",
        "--json",
    ]));
    again.expect_code(0);
    let values = |run: &Run| {
        let v = json("config --json", &run.stdout);
        let mut out = Vec::new();
        for (table, keys) in v["settings"].as_object().unwrap() {
            for (key, entry) in keys.as_object().unwrap() {
                out.push((table.clone(), key.clone(), entry["value"].clone()));
            }
        }
        out
    };
    assert_eq!(values(&first), values(&again));
    assert!(!values(&first).is_empty());
}

/// With no file, `config` shows the built-in defaults, which are what the
/// flags default to.
#[test]
fn config_without_a_file_shows_the_defaults() {
    let s = Sandbox::new();
    let run = Run::of(paradedup_in(&s.repo()).arg("config"));
    run.expect_code(0);
    insta::assert_snapshot!("config_defaults", stdout(&run));
}

/// The full example in README's "Configuration" section is a valid file,
/// and every key it shows is read from it.
#[test]
fn the_readme_example_is_a_valid_configuration() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("\n## Configuration\n").nth(1).unwrap();
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let s = Sandbox::new();
    s.write("example.toml", example);
    let run =
        Run::of(paradedup_in(&s.repo()).args(["--config", "example.toml", "config", "--json"]));
    run.expect_code(0);
    let v = json("config --json", &run.stdout);
    let mut keys = 0;
    for (table, entries) in v["settings"].as_object().unwrap() {
        for (key, entry) in entries.as_object().unwrap() {
            assert_eq!(
                entry["origin"], "file",
                "{table} {key} is not in the README example"
            );
            keys += 1;
        }
    }
    assert_eq!(keys, 25);
}
