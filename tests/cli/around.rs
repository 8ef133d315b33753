//! Around the binary: shell completions, man pages, the examples in each
//! subcommand's `--help`, and the pre-commit hook definition
//! (`.pre-commit-hooks.yaml`), whose command is run as pre-commit would run it.

use std::fs;

use tempfile::TempDir;

use crate::util::{fixture, paradedup, Run, SEED, SEED_EXPECTED};

const SUBCOMMANDS: [&str; 5] = ["clean", "check", "config", "completions", "man"];

fn stdout(run: &Run) -> String {
    String::from_utf8(run.stdout.clone()).unwrap()
}

#[test]
fn bash_completions_name_the_binary_and_every_subcommand() {
    let run = Run::of(paradedup().args(["completions", "bash"]));
    run.expect_code(0);
    let script = stdout(&run);
    assert!(script.contains("complete -F _paradedup"), "{script}");
    for sub in SUBCOMMANDS {
        assert!(script.contains(sub), "{sub} missing from\n{script}");
    }
    for flag in ["--max-rate", "--threshold", "--config", "--no-config"] {
        assert!(script.contains(flag), "{flag} missing");
    }
}

#[test]
fn every_shell_gets_a_script() {
    for (shell, marker) in [
        ("bash", "_paradedup()"),
        ("zsh", "#compdef paradedup"),
        ("fish", "complete -c paradedup"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[paradedup]"),
    ] {
        let run = Run::of(paradedup().args(["completions", shell]));
        run.expect_code(0);
        assert!(stdout(&run).contains(marker), "{shell}: no {marker:?}");
    }
    Run::of(paradedup().args(["completions", "tcsh"])).expect_code(2);
}

#[test]
fn the_man_page_is_roff_and_lists_the_subcommands() {
    let run = Run::of(paradedup().arg("man"));
    run.expect_code(0);
    let page = stdout(&run);
    assert!(page.starts_with(".ie"), "{}", &page[..page.len().min(200)]);
    assert!(page.contains(".TH paradedup 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("paradedup\\-{sub}(1)")),
            "{sub} missing"
        );
    }
    assert!(
        page.contains("\\-\\-config"),
        "the global --config is documented"
    );
    assert!(!page.contains("help(1)"), "help has no page:\n{page}");
}

#[test]
fn each_subcommand_has_its_own_man_page() {
    let run = Run::of(paradedup().args(["man", "check"]));
    run.expect_code(0);
    let page = stdout(&run);
    assert!(page.contains(".TH paradedup-check 1"), "{page}");
    assert!(page.contains(&format!("\"paradedup {}\"", env!("CARGO_PKG_VERSION"))));
    assert!(page.contains("\\-\\-max\\-rate"), "{page}");
    assert!(page.contains(".SH EXAMPLES"), "{page}");
    Run::of(paradedup().args(["man", "nope"])).expect_code(2);
}

/// roff source as a reader sees it: font changes, dash and apostrophe escapes, unbreakable
/// spaces and zero-width guards undone.
fn unroff(line: &str) -> String {
    line.replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\%", "")
        .replace("\\&", "")
        .replace("\\-", "-")
        .replace("\\*(Aq", "'")
        .replace("\\ ", " ")
        .replace("\\e", "\\")
}

/// Each page of `paradedup man` and `paradedup man SUBCOMMAND`, with its name.
fn man_pages() -> Vec<(String, String)> {
    std::iter::once(None)
        .chain(SUBCOMMANDS.iter().map(Some))
        .map(|sub| {
            let mut cmd = paradedup();
            cmd.arg("man");
            cmd.args(sub);
            let run = Run::of(&mut cmd);
            run.expect_code(0);
            (
                sub.map_or("paradedup".into(), |s| format!("paradedup-{s}")),
                stdout(&run),
            )
        })
        .collect()
}

/// What a new user found reading the pages with `man -l`: a `paradedup-help(1)` that no
/// command prints, examples filled into running text (wrapped mid-argument at 80 columns),
/// `[--config]` without its value in the synopsis, a section called EXTRA, and Markdown
/// backticks printed as they are.
#[test]
fn man_pages_read_as_man_pages() {
    for (name, page) in man_pages() {
        assert!(
            !page.contains(".SH EXTRA"),
            "{name}: an EXTRA section\n{page}"
        );
        assert!(!page.contains('`'), "{name}: a literal backtick\n{page}");
        // Every page a page refers to can be printed.
        for (at, _) in page.match_indices("paradedup\\-") {
            let rest = &page[at + "paradedup\\-".len()..];
            let Some((sub, _)) = rest.split_once("(1)") else {
                continue;
            };
            if sub.chars().all(|c| c.is_ascii_lowercase()) {
                Run::of(paradedup().args(["man", sub])).expect_code(0);
            }
        }
        let synopsis = page
            .split(".SH SYNOPSIS\n")
            .nth(1)
            .and_then(|s| s.split("\n.SH ").next())
            .map(unroff)
            .unwrap_or_default();
        assert!(synopsis.contains("[--config FILE]"), "{name}: {synopsis}");
        if name == "paradedup-check" {
            for option in ["[--max-rate R]", "[--exclude GLOB]...", "[-j|--threads N]"] {
                assert!(
                    synopsis.contains(option),
                    "{name}: no {option} in {synopsis}"
                );
            }
        }
        if name == "paradedup" {
            continue;
        }
        // The examples are kept as lines (no filling), each within 80 columns once the
        // section's indent of 7 is added.
        let examples = page.split(".SH EXAMPLES\n").nth(1).unwrap_or_else(|| {
            panic!("{name}: no EXAMPLES section\n{page}");
        });
        let body = examples
            .split(".nf\n")
            .nth(1)
            .and_then(|b| b.split("\n.fi").next());
        let body = body.unwrap_or_else(|| panic!("{name}: examples not preformatted\n{page}"));
        for line in body.lines().map(unroff) {
            assert!(
                line.chars().count() + 7 <= 80,
                "{name}: example wider than 80 columns: {line}"
            );
        }
        assert!(
            body.lines().any(|l| l.starts_with("paradedup ")),
            "{name}: {body}"
        );
    }
}

#[test]
fn every_subcommand_help_shows_examples() {
    for sub in SUBCOMMANDS {
        let run = Run::of(paradedup().args([sub, "--help"]));
        run.expect_code(0);
        let help = stdout(&run);
        let examples = help.split("Examples:\n").nth(1);
        assert!(
            examples.is_some_and(|e| e.lines().next().is_some_and(|l| l.contains("paradedup"))),
            "{sub} --help has no examples:\n{help}"
        );
    }
}

/// `--threshold` said "normalized Levenshtein" whatever `--metric` was: its help now names no
/// single metric and points at `--metric`.
#[test]
fn threshold_help_holds_for_every_metric() {
    for sub in ["clean", "check"] {
        let run = Run::of(paradedup().args([sub, "--help"]));
        run.expect_code(0);
        let help = stdout(&run);
        let threshold = help
            .split("--threshold <F>")
            .nth(1)
            .and_then(|rest| rest.split("\n      --").next())
            .unwrap_or_else(|| panic!("{sub} --help has no --threshold:\n{help}"));
        let threshold = threshold.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(threshold.contains("--metric"), "{sub}: {threshold}");
        for metric in ["Levenshtein", "Dice", "Jaro"] {
            assert!(!threshold.contains(metric), "{sub}: {threshold}");
        }
    }
}

/// A value of `key: value` in the hook definition (the file is ours: one hook,
/// one key a line).
fn hook_value(hooks: &str, key: &str) -> String {
    hooks
        .lines()
        .find_map(|l| {
            l.trim()
                .trim_start_matches("- ")
                .strip_prefix(&format!("{key}:"))
        })
        .unwrap_or_else(|| panic!("no {key} in .pre-commit-hooks.yaml"))
        .trim()
        .to_string()
}

/// pre-commit runs `entry`, then the user's `args` (which replace any `args` of the hook
/// definition), then the staged file names, from the repository root. A repository without
/// paradedup.toml and without `args` got exit 2 ("check needs a threshold"); the hook's own
/// default (`--default-max-rate 5%` in `entry`) now applies there, and only there: the file's
/// threshold and the user's `args` still win.
#[test]
fn the_pre_commit_hook_runs_check_on_the_file_names() {
    let hooks = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    assert_eq!(hook_value(&hooks, "id"), "paradedup-check");
    assert_eq!(hook_value(&hooks, "language"), "rust");
    assert_eq!(hook_value(&hooks, "pass_filenames"), "true");
    // Default `args` would be dropped by a user's own `args`: the default is in `entry`.
    assert!(
        !hooks.lines().any(|l| l.trim_start().starts_with("args:")),
        "{hooks}"
    );
    let entry = hook_value(&hooks, "entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("paradedup"));
    let entry_args: Vec<&str> = words.collect();
    assert_eq!(entry_args.first(), Some(&"check"), "{entry}");

    let repo = TempDir::new().unwrap();
    fs::create_dir(repo.path().join(".git")).unwrap();
    let commit = |toml: Option<&str>, user_args: &[&str], files: &[&str]| {
        let config = repo.path().join("paradedup.toml");
        match toml {
            Some(max_rate) => {
                fs::write(&config, format!("[check]\nmax_rate = \"{max_rate}\"\n")).unwrap()
            }
            None => {
                let _ = fs::remove_file(&config);
            }
        }
        let mut cmd = paradedup();
        cmd.env_remove("PARADEDUP_NO_CONFIG")
            .current_dir(repo.path())
            .args(&entry_args)
            .args(user_args);
        for f in files {
            cmd.arg(fixture(f));
        }
        Run::of(&mut cmd)
    };
    let both = [SEED, SEED_EXPECTED];
    // No paradedup.toml, no args: the hook's 5%. The two files lose 1240 of 5484 bytes
    // (22.6%); the seed's clean output alone has no duplicate.
    commit(None, &[], &both)
        .expect_code(1)
        .expect_stdout_contains("max rate 5.00%: FAIL (22.61%)");
    commit(None, &[], &[SEED_EXPECTED]).expect_code(0);
    // The repository's paradedup.toml beats the hook's default.
    commit(Some("20%"), &[], &both).expect_code(1);
    commit(Some("25%"), &[], &both).expect_code(0);
    // The user's args beat both; a threshold of another kind replaces the default too.
    commit(Some("20%"), &["--max-rate", "30%"], &both).expect_code(0);
    commit(None, &["--max-blocks", "1"], &both).expect_code(0);
}
