//! The `paradedup` binary: parse the command line, run, map the outcome to an exit code.
//! A closed standard output (`paradedup clean x | head`) ends the run quietly with 0.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use paradedup::app::{self, ExitStatus};
use paradedup::cli::{Cli, Command};

/// mimalloc: the engine allocates many small vectors per block from several threads; glibc's
/// allocator spent about a tenth of the run in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut err = stderr.lock();
    let terminal = std::io::stderr().is_terminal();
    let color = terminal && std::env::var_os("NO_COLOR").is_none();
    let result = match cli.command {
        Command::Clean(args) => args
            .into_config(color, terminal)
            .and_then(|cfg| app::clean(&cfg, &mut out, &mut err)),
        Command::Check(args) => args
            .into_config(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
            .and_then(|cfg| app::check(&cfg, &mut out, &mut err)),
    };
    let status = match result {
        Ok(status) => status,
        Err(e) if e.is_broken_pipe() => ExitStatus::Success,
        Err(e) => {
            // Every message already carries its cause (`path: cause`).
            let _ = writeln!(err, "paradedup: error: {e}");
            ExitStatus::Error
        }
    };
    if let Err(e) = out.flush() {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::from(ExitStatus::Success.code());
        }
        let _ = writeln!(err, "paradedup: error: -: {e}");
        return ExitCode::from(ExitStatus::Error.code());
    }
    ExitCode::from(status.code())
}
