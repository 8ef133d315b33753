//! The `paradedup` binary: parse the command line, run, map the outcome to an exit code.
//! A closed standard output (`paradedup clean x | head`) ends the run quietly with 0; `check`
//! still exits with its verdict. SIGINT, SIGTERM and SIGHUP remove the temporary files and the
//! empty folders the run created, then end the process by that signal (exit 130, 143, 129 in
//! a shell); one the process started with ignored (`nohup`) stays ignored.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use paradedup::app::{self, ExitStatus};
use paradedup::cli::{self, Cli, Command};

/// mimalloc: the engine allocates many small vectors per block from several threads; glibc's
/// allocator spent about a tenth of the run in malloc and free. Built without transparent huge
/// pages (`no_thp`): with them, every page mimalloc handed back and took again was a 2 MB page
/// zeroed anew (1.7-2.5 s of system time on a 75 MB one-document run, 0.3 s without).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// On SIGINT, SIGTERM or SIGHUP: remove what the run has half-written, then die of the signal
/// as if it had not been caught, so that the parent sees how the process ended. A signal that
/// the process started with ignored stays ignored: `nohup` ignores SIGHUP, and a shell ignores
/// SIGINT for a script's background jobs; catching it would end the run they protect.
#[cfg(unix)]
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let ignored = ignored_signals();
    let caught: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
        .into_iter()
        .filter(|&s| ignored & (1 << (s - 1)) == 0)
        .collect();
    let Ok(mut signals) = signal_hook::iterator::Signals::new(caught) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            paradedup::write::abandon();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

/// The signals this process started with ignored (inherited across `exec`: `nohup`,
/// `trap '' HUP`), as a mask with bit `n - 1` for signal `n`. Read from `/proc/self/status`,
/// since asking `sigaction` takes unsafe code; where there is no such file, none is known.
#[cfg(unix)]
fn ignored_signals() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|l| {
                let hex = l.strip_prefix("SigIgn:")?;
                u64::from_str_radix(hex.trim(), 16).ok()
            })
        })
        .unwrap_or(0)
}

fn main() -> ExitCode {
    #[cfg(unix)]
    clean_up_on_signals();
    // The matches tell a flag given on the command line from its default, so that a default
    // never overrides a value from paradedup.toml.
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let located = cli.locate_config();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut err = stderr.lock();
    let terminal = std::io::stderr().is_terminal();
    let color = terminal && std::env::var_os("NO_COLOR").is_none();
    let result = match cli.command {
        Command::Clean(args) => cli::clean_config(args, &matches, &located, color, terminal)
            .and_then(|cfg| app::clean(&cfg, &mut out, &mut err)),
        Command::Check(args) => cli::check_config(
            args,
            &matches,
            &located,
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        )
        .and_then(|cfg| app::check(&cfg, &mut out, &mut err)),
        Command::Config(args) => {
            cli::print_config(args, &matches, &located, &mut out).map(|()| ExitStatus::Success)
        }
        Command::Completions(args) => {
            cli::completions(args.shell, &mut out).map(|()| ExitStatus::Success)
        }
        Command::Man(args) => {
            cli::man(args.subcommand.as_deref(), &mut out).map(|()| ExitStatus::Success)
        }
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
        // A reader gone early changes nothing: `check` keeps its verdict.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::from(status.code());
        }
        // The run's own error already said what failed with standard output.
        if status != ExitStatus::Error {
            let _ = writeln!(err, "paradedup: error: -: {e}");
        }
        return ExitCode::from(ExitStatus::Error.code());
    }
    ExitCode::from(status.code())
}
