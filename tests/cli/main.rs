//! The `cli` integration test binary: runs the built `paradedup` executable
//! on the committed fixtures (`fixtures/cases`, `fixtures/seed`,
//! `fixtures/tree`) and on files made at runtime in temp dirs, and checks what
//! a user sees: stdout bytes, files written, exit codes and stderr messages.
//!
//! One binary for all of them (as in ripgrep) so they link once:
//! `util` holds the helpers, `clean` the document output, `check` the rate
//! verdicts, `errors` every exit code 2 path, `dump` the JSONL dumps,
//! `faults` the fault matrix of the hardening issue (aliases, broken streams,
//! signals, owners, umask, FIFOs, encodings), `regression` one test per bug
//! found in review, `config` the configuration file and `paradedup config`,
//! `around` completions, man pages, `--help` examples and the pre-commit hook,
//! and `readme` the README's examples.
//!
//! The modules are `#[cfg(test)]` (always true in a test binary) so that
//! clippy's `allow-unwrap-in-tests` also covers the helpers, which are not
//! `#[test]` functions themselves.

#[cfg(test)]
mod around;
#[cfg(test)]
mod check;
#[cfg(test)]
mod clean;
#[cfg(test)]
mod config;
#[cfg(test)]
mod dump;
#[cfg(test)]
mod errors;
#[cfg(test)]
mod faults;
#[cfg(test)]
mod readme;
#[cfg(test)]
mod regression;
#[cfg(test)]
mod report;
#[cfg(test)]
mod util;
