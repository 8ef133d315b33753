//! Shell completions (clap_complete) and man pages (clap_mangen), generated from the clap
//! definition so they never drift from `--help`.
//!
//! A man page is clap_mangen's NAME, DESCRIPTION and OPTIONS, with paradedup's own SYNOPSIS
//! (each option with its value), SUBCOMMANDS (only pages that `paradedup man` prints) and the
//! `--help` epilogue turned into EXIT STATUS, NOTES and EXAMPLES (lines kept as they are).
//!
//! Both are rendered into memory first: the generators panic on a write error, and a closed
//! standard output (`paradedup completions bash | head`) must end the run quietly instead.

use std::io::Write;

use clap::{Args, CommandFactory};

use super::Cli;
use crate::error::{Error, Result};

/// The subcommands `paradedup man` has a page for (a unit test keeps the list complete).
const PAGES: [&str; 5] = ["clean", "check", "config", "completions", "man"];

/// `completions` arguments.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `man` arguments.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Print the page of this subcommand (paradedup-clean(1), ...) instead of paradedup(1).
    #[arg(value_name = "SUBCOMMAND", value_parser = PAGES)]
    pub subcommand: Option<String>,
}

/// Writes the completion script for `shell`.
///
/// # Errors
/// The writer's error.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "paradedup", &mut script);
    out.write_all(&script).map_err(|e| Error::io("-", e))
}

/// Writes the man page of paradedup, or of one of its subcommands, as roff.
///
/// # Errors
/// An unknown subcommand, or the writer's error.
pub fn man(subcommand: Option<&str>, out: &mut dyn Write) -> Result<()> {
    // `help` is clap's subcommand for the terminal; it has no page of its own, so the pages do
    // not list it.
    let mut command = Cli::command().disable_help_subcommand(true);
    // Gives subcommands their full names (`paradedup-clean`) and usage lines.
    command.build();
    let page = match subcommand {
        None => command,
        Some(name) => command.find_subcommand(name).cloned().ok_or_else(|| {
            Error::Usage(format!(
                "no subcommand {name:?} (one of {})",
                PAGES.join(", ")
            ))
        })?,
    };
    let roff = render(page).map_err(|e| Error::io("-", e))?;
    out.write_all(roff.as_bytes())
        .map_err(|e| Error::io("-", e))
}

/// The roff preamble that clap_mangen (through roff) writes before every rendered piece.
const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// The page of `command`: clap_mangen's sections, with a synopsis that names option values and
/// the `after_help` text (examples, exit codes, notes) as sections of their own.
fn render(command: clap::Command) -> std::io::Result<String> {
    let has_version = command.get_version().is_some();
    let has_options = command.get_arguments().any(|a| !a.is_hide_set());
    let subcommands = subcommands(&command);
    let after_help = command.get_after_help().map(ToString::to_string);
    let synopsis = synopsis(&command);
    let man =
        clap_mangen::Man::new(command).source(concat!("paradedup ", env!("CARGO_PKG_VERSION")));
    let piece = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| -> std::io::Result<String> {
        let mut buf = Vec::new();
        f(&mut buf)?;
        let text = String::from_utf8_lossy(&buf).into_owned();
        Ok(match text.strip_prefix(PREAMBLE) {
            Some(rest) => rest.to_string(),
            None => text,
        })
    };
    let mut page = String::from(PREAMBLE);
    page.push_str(&piece(&|w| man.render_title(w))?);
    page.push_str(&piece(&|w| man.render_name_section(w))?);
    page.push_str(&synopsis);
    page.push_str(&piece(&|w| man.render_description_section(w))?);
    if has_options {
        page.push_str(&piece(&|w| man.render_options_section(w))?);
    }
    page.push_str(&subcommands);
    if let Some(text) = after_help {
        page.push_str(&after_help_sections(&text));
    }
    if has_version {
        page.push_str(&piece(&|w| man.render_version_section(w))?);
    }
    Ok(page
        .lines()
        .map(code_spans)
        .fold(String::new(), |mut s, l| {
            s.push_str(&l);
            s.push('\n');
            s
        }))
}

/// Escapes `text` for a roff text line: backslashes, dashes (so they print as ASCII `-`, and
/// `man -k`, copy and paste, and searches find the flags), apostrophes, and a leading control
/// character.
fn escape(text: &str) -> String {
    let s = text
        .replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\'', "\\*(Aq");
    if s.starts_with('.') {
        format!("\\&{s}")
    } else {
        s
    }
}

/// The SYNOPSIS section: every option with its value (`[--config FILE]`), held together by
/// unbreakable spaces so that filling never parts a flag from its value.
fn synopsis(command: &clap::Command) -> String {
    let name = command.get_bin_name().unwrap_or_else(|| command.get_name());
    let mut options: Vec<&clap::Arg> = command
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional())
        .collect();
    // The order of clap_mangen's OPTIONS section.
    options.sort_by_key(|a| {
        let key = match (a.get_short(), a.get_long()) {
            (Some(s), _) => format!(
                "{}{}",
                s.to_ascii_lowercase(),
                u8::from(s.is_ascii_uppercase())
            ),
            (None, Some(l)) => l.to_string(),
            (None, None) => a.get_id().to_string(),
        };
        (a.get_display_order(), key)
    });
    let value = |a: &clap::Arg| -> String {
        let takes = a.get_num_args().is_some_and(|r| r.takes_values());
        match a.get_value_names() {
            Some(names) if takes => names
                .iter()
                .map(|n| format!("\\ \\fI{}\\fR", escape(n)))
                .collect(),
            _ if takes => format!(
                "\\ \\fI{}\\fR",
                escape(&a.get_id().to_string().to_uppercase())
            ),
            _ => String::new(),
        }
    };
    let repeat = |a: &clap::Arg| {
        if matches!(
            a.get_action(),
            clap::ArgAction::Append | clap::ArgAction::Count
        ) {
            "...".to_string()
        } else {
            String::new()
        }
    };
    let mut words = vec![format!("\\fB{}\\fR", escape(name))];
    for a in options {
        let flag = match (a.get_short(), a.get_long()) {
            (Some(s), Some(l)) => format!("\\fB\\-{s}\\fR|\\fB\\-\\-{}\\fR", escape(l)),
            (Some(s), None) => format!("\\fB\\-{s}\\fR"),
            (None, Some(l)) => format!("\\fB\\-\\-{}\\fR", escape(l)),
            (None, None) => continue,
        };
        words.push(format!("[{flag}{}]{}", value(a), repeat(a)));
    }
    for a in command.get_positionals().filter(|a| !a.is_hide_set()) {
        let names = a
            .get_value_names()
            .map_or_else(|| a.get_id().to_string().to_uppercase(), |n| n.join(" "));
        let (open, close) = if a.is_required_set() {
            ("<", ">")
        } else {
            ("[", "]")
        };
        let many = a.get_num_args().is_some_and(|r| r.max_values() > 1);
        words.push(format!(
            "{open}\\fI{}\\fR{close}{}",
            escape(&names),
            if many { "..." } else { "" }
        ));
    }
    if command.has_subcommands() {
        words.push(if command.is_subcommand_required_set() {
            "<\\fICOMMAND\\fR>".to_string()
        } else {
            "[\\fICOMMAND\\fR]".to_string()
        });
    }
    // Left-adjusted, and no word hyphenated (`\%`): `--for-mat` would read as another flag.
    let words: Vec<String> = words.iter().map(|w| format!("\\%{w}")).collect();
    format!(".SH SYNOPSIS\n.ad l\n{}\n.ad\n", words.join(" "))
}

/// The SUBCOMMANDS section: paradedup's own subcommands by their pages (`paradedup-clean(1)`,
/// each one `paradedup man NAME` prints); those of a subcommand (`paradedup config clean`) have
/// no page of their own and are shown as the command line that runs them.
fn subcommands(command: &clap::Command) -> String {
    let name = command.get_bin_name().unwrap_or_else(|| command.get_name());
    let mut out = String::new();
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        out.push_str(".TP\n");
        if PAGES.contains(&sub.get_name()) && name == "paradedup" {
            out.push_str(&escape(&format!("{name}-{}(1)", sub.get_name())));
        } else {
            out.push_str(&format!(
                "\\fB{}\\fR",
                escape(&format!("{name} {}", sub.get_name()))
            ));
        }
        out.push('\n');
        if let Some(about) = sub.get_about() {
            out.push_str(&escape(&about.to_string()));
            out.push('\n');
        }
    }
    if out.is_empty() {
        out
    } else {
        format!(".SH SUBCOMMANDS\n{out}")
    }
}

/// The `after_help` text as man sections: a paragraph headed `Examples:` becomes EXAMPLES,
/// its command lines kept as they are (`.nf`: no filling, no hyphenation); `Exit codes:`
/// becomes EXIT STATUS, one tagged paragraph per code; any other paragraph goes to NOTES.
fn after_help_sections(text: &str) -> String {
    let mut examples = String::new();
    let mut exit = String::new();
    let mut notes = String::new();
    for paragraph in text.split("\n\n") {
        let mut lines = paragraph.lines();
        match lines.next().map(str::trim_end) {
            Some("Examples:") => {
                examples.push_str(".PP\n.nf\n");
                for l in lines {
                    examples.push_str(&escape(l.strip_prefix("  ").unwrap_or(l)));
                    examples.push('\n');
                }
                examples.push_str(".fi\n");
            }
            Some("Exit codes:") => {
                for l in lines {
                    let (code, meaning) = l.trim().split_once(' ').unwrap_or((l.trim(), ""));
                    exit.push_str(&format!(
                        ".TP\n\\fB{}\\fR\n{}\n",
                        escape(code),
                        escape(meaning.trim())
                    ));
                }
            }
            Some(first) => {
                notes.push_str(".PP\n");
                notes.push_str(&escape(first));
                notes.push('\n');
                for l in lines {
                    notes.push_str(&escape(l.trim()));
                    notes.push('\n');
                }
            }
            None => {}
        }
    }
    let mut out = String::new();
    for (title, body) in [
        ("\"EXIT STATUS\"", exit),
        ("NOTES", notes),
        ("EXAMPLES", examples),
    ] {
        if !body.is_empty() {
            out.push_str(&format!(".SH {title}\n{body}"));
        }
    }
    out
}

/// A text line with its Markdown code spans (`` `paradedup config` ``) set in bold, as man
/// pages show literal commands and values; control lines are left alone.
fn code_spans(line: &str) -> String {
    if line.starts_with('.') || line.matches('`').count() % 2 == 1 {
        return line.to_string();
    }
    line.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("\\fB{part}\\fR")
            } else {
                part.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_has_a_man_page() {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert_eq!(names, PAGES);
    }
}
