//! Around the binary: shell completions, man pages and the examples in each
//! subcommand's `--help`.

use crate::util::{paradedup, Run};

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
}

#[test]
fn each_subcommand_has_its_own_man_page() {
    let run = Run::of(paradedup().args(["man", "check"]));
    run.expect_code(0);
    let page = stdout(&run);
    assert!(page.contains(".TH paradedup-check 1"), "{page}");
    assert!(page.contains(&format!("\"paradedup {}\"", env!("CARGO_PKG_VERSION"))));
    assert!(page.contains("\\-\\-max\\-rate"), "{page}");
    assert!(page.contains("Examples:"), "{page}");
    Run::of(paradedup().args(["man", "nope"])).expect_code(2);
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
