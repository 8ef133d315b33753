//! The README's examples against the real file and the real binary, so the text a new user
//! reads first cannot drift from what they see: the line listing of "Before and after" is
//! checked against the seed article (each shown piece in its line, in order; the byte count
//! given for a line), and every `console` example that runs `paradedup` on the committed
//! `fixtures/` is run from the repository root, its output compared line for line.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::util::{fixture, paradedup, read, Run, SEED};

fn readme() -> String {
    fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The bodies of the fenced blocks of `lang` in `text`, in order.
fn fenced<'t>(text: &'t str, lang: &str) -> Vec<Vec<&'t str>> {
    let open = format!("```{lang}");
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_end() == open {
            blocks.push(lines.by_ref().take_while(|l| *l != "```").collect());
        }
    }
    blocks
}

/// `1,239` → 1239.
fn number(s: &str) -> usize {
    s.replace(',', "").parse().unwrap()
}

#[test]
fn the_before_and_after_listing_shows_the_seed_as_it_is() {
    let readme = readme();
    let section = readme
        .split("## Before and after")
        .nth(1)
        .expect("README has a \"Before and after\" section");
    let listing = fenced(section, "text").into_iter().next().unwrap();
    let seed = read(&fixture(SEED));
    let lines: Vec<&[u8]> = seed.split(|&b| b == b'\n').collect();
    let mut checked = 0;
    for row in &listing {
        let row = row.trim_start();
        let Some((number_text, shown)) = row.split_once("  ") else {
            assert_eq!(row, "…", "a row is `N  text` or an elided `…`");
            continue;
        };
        let n: usize = number_text.parse().unwrap();
        let line = String::from_utf8(lines[n - 1].to_vec()).unwrap();
        // `… (1,239 bytes)` at the end gives the line's length.
        let shown = match shown.rsplit_once(" (") {
            Some((text, count)) if count.ends_with(" bytes)") => {
                let bytes = number(count.trim_end_matches(" bytes)"));
                assert_eq!(bytes, line.len(), "README says line {n} is {bytes} bytes");
                text
            }
            _ => shown,
        };
        // The pieces between the ellipses, in order.
        let mut rest = line.as_str();
        for piece in shown.split('…').map(str::trim).filter(|p| !p.is_empty()) {
            let at = rest.find(piece);
            assert!(
                at.is_some(),
                "README's line {n} shows {piece:?}, which is not next in the seed's line {n}:\n{line}"
            );
            rest = &rest[at.unwrap() + piece.len()..];
        }
        checked += 1;
    }
    assert!(checked >= 5, "the listing shows {checked} lines");

    // The quoted spots of the text above the listing (`…reported.Highlights From…`) are in it.
    let text = String::from_utf8(seed).unwrap();
    let intro = section.split("```").next().unwrap();
    let quoted: Vec<&str> = intro
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|q| q.starts_with('…'))
        .collect();
    assert!(!quoted.is_empty(), "no quoted spot in:\n{intro}");
    for q in quoted {
        let q = q.trim_matches('…');
        assert!(
            text.contains(q),
            "README quotes {q:?}, which the seed does not hold"
        );
    }
}

/// A README command line split into arguments: plain words and `> FILE`, nothing else (a
/// quoted word would need a shell: the test says so rather than guess).
fn words(command: &str) -> (Vec<&str>, Option<&str>) {
    assert!(
        !command.contains(['\'', '"', '|', '$', '`']),
        "teach this test to run {command:?}"
    );
    let mut args = Vec::new();
    let mut redirect = None;
    let mut it = command.split_whitespace();
    while let Some(w) = it.next() {
        if w == ">" {
            redirect = it.next();
        } else {
            args.push(w);
        }
    }
    (args, redirect)
}

#[test]
fn the_readme_console_examples_on_the_fixtures_print_what_it_shows() {
    let readme = readme();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = TempDir::new().unwrap();
    let mut ran = Vec::new();
    for block in fenced(&readme, "console") {
        let mut rows = block.iter().peekable();
        while let Some(row) = rows.next() {
            let Some(command) = row.strip_prefix("$ ") else {
                continue;
            };
            let mut shown = String::new();
            while let Some(out) = rows.next_if(|r| !r.starts_with("$ ")) {
                shown.push_str(out);
                shown.push('\n');
            }
            // Only what runs in a checkout: paradedup on the committed fixtures.
            let Some(args) = command.strip_prefix("paradedup ") else {
                continue;
            };
            if !args.contains("fixtures/") {
                continue;
            }
            let (args, redirect) = words(args);
            let run = Run::of(paradedup().current_dir(root).args(&args));
            assert!(
                matches!(run.code, Some(0 | 1)),
                "{command}: exit {:?}\n{}",
                run.code,
                run.stderr
            );
            let mut seen = String::new();
            match redirect {
                // Written to a file: the terminal shows standard error only.
                Some(file) => {
                    fs::write(scratch.path().join(file), &run.stdout).unwrap();
                }
                None => seen.push_str(&String::from_utf8(run.stdout.clone()).unwrap()),
            }
            seen.push_str(&run.stderr);
            assert_eq!(
                seen, shown,
                "README's output of `{command}` differs from the binary's"
            );
            ran.push(args[0].to_string());
        }
    }
    // The clean example of "Before and after" and check's example must not silently go.
    assert!(
        ran.iter().any(|c| c == "clean") && ran.iter().any(|c| c == "check"),
        "ran {ran:?}"
    );
}
