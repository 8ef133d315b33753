//! The verdict as JSON.

use std::io::Write;

use super::Verdict;

/// Writes the verdict as JSON (the shape in README, `schema_version` 1).
///
/// # Errors
/// The writer's error.
pub fn write_json<W: Write + ?Sized>(v: &Verdict, out: &mut W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, v).map_err(std::io::Error::from)?;
    writeln!(out)
}
