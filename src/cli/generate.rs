//! Shell completions (clap_complete) and man pages (clap_mangen), generated from the clap
//! definition so they never drift from `--help`.
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
    let mut command = Cli::command();
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
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .source(concat!("paradedup ", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)
        .map_err(|e| Error::io("-", e))?;
    out.write_all(&roff).map_err(|e| Error::io("-", e))
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
