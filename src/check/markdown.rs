//! The verdict as a Markdown summary (a job summary, a pull-request comment).

use std::io::Write;

use super::style::{kinds_text, pct, removable};
use super::*;

fn md_cell(s: &str) -> String {
    printable(s).replace('|', "\\|")
}

/// `s` as Markdown text with every ASCII punctuation character backslash-escaped, so that it
/// reads as written, in a table cell too (`\|` is a pipe, `\\` a backslash).
fn md_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in printable(s).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `s` as a Markdown code span (escaped for a table cell): the fence is one backtick longer
/// than the longest run of backticks in `s`, and a space pads `s` when it starts or ends with a
/// backtick (CommonMark strips one space on each side).
///
/// A text with a backslash is written as escaped text instead ([`md_escaped`]): in a code
/// span a backslash escapes nothing, so `a\|b` would need `a\\|b`, whose pipe GFM reads as
/// escaped and a reader that takes `\\` for a backslash as a new cell (fuzzing finding F2).
fn md_code(s: &str) -> String {
    if s.contains('\\') {
        return md_escaped(s);
    }
    let s = md_cell(s);
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if s.starts_with('`') || s.ends_with('`') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// Writes a Markdown summary for a pull-request comment: the verdict, a table of thresholds, a
/// table of the files with counted duplicates, and the baseline's figures.
///
/// # Errors
/// The writer's error.
pub fn write_markdown<W: Write + ?Sized>(v: &Verdict, out: &mut W) -> std::io::Result<()> {
    writeln!(
        out,
        "### paradedup check: {}\n",
        if v.passed { "passed" } else { "**failed**" }
    )?;
    let o = &v.counted;
    writeln!(
        out,
        "{}: {} duplicate blocks of {} ({}) in {} files.\n",
        removable(o),
        removed_blocks(o),
        o.blocks_in,
        kinds_text(o),
        v.files.len()
    )?;
    writeln!(out, "| threshold | limit | measured | result |")?;
    writeln!(out, "|---|---:|---:|---|")?;
    let result = |t: Threshold| {
        if v.failures.iter().any(|f| f.threshold == t) {
            "**fail**"
        } else {
            "pass"
        }
    };
    if let Some(m) = v.max_rate {
        writeln!(
            out,
            "| `--max-rate` | {} | {} | {} |",
            pct(m),
            pct(o.rate),
            result(Threshold::MaxRate)
        )?;
    }
    if let Some(m) = v.max_blocks {
        writeln!(
            out,
            "| `--max-blocks` | {m} | {} | {} |",
            removed_blocks(o),
            result(Threshold::MaxBlocks)
        )?;
    }
    if let Some(m) = v.max_file_rate {
        let top = v.files.first().map_or(0.0, |f| f.counted.rate);
        writeln!(
            out,
            "| `--max-file-rate` | {} | {} (highest) | {} |",
            pct(m),
            pct(top),
            result(Threshold::MaxFileRate)
        )?;
    }
    let shown: Vec<&FileRow> = v
        .files
        .iter()
        .filter(|f| removed_blocks(&f.counted) > 0)
        .collect();
    if !shown.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "| file | rate | removable bytes | bytes | duplicate blocks |"
        )?;
        writeln!(out, "|---|---:|---:|---:|---:|")?;
        for f in &shown {
            let c = &f.counted;
            writeln!(
                out,
                "| {} | {} | {} | {} | {} of {} |",
                md_code(&f.path),
                pct(c.rate),
                c.bytes_in - c.bytes_out.min(c.bytes_in),
                c.bytes_in,
                removed_blocks(c),
                c.blocks_in
            )?;
        }
    }
    let hidden = v.files.len() - shown.len();
    if hidden > 0 {
        writeln!(
            out,
            "\n{hidden} files without counted duplicates not listed."
        )?;
    }
    if let Some(b) = &v.baseline {
        writeln!(
            out,
            "\nBaseline {}: {} known duplicates not counted, {} stale entries.",
            md_code(&b.path),
            b.known,
            b.stale.len()
        )?;
    }
    if v.ignored > 0 {
        writeln!(
            out,
            "\n{} duplicates exempted by `{MARKER}` markers.",
            v.ignored
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_code_fences_backticks_with_a_longer_run() {
        assert_eq!(md_code("docs/a.md"), "`docs/a.md`");
        assert_eq!(md_code("a`b.md"), "``a`b.md``");
        assert_eq!(md_code("a``b`.md"), "```a``b`.md```");
        assert_eq!(md_code("`a.md"), "`` `a.md ``");
        assert_eq!(md_code("a|b\nc.md"), "`a\\|b\u{fffd}c.md`");
    }

    /// Fuzzing finding F2: a path with a backslash before a pipe (`a\|b`) gave the code span
    /// `a\\|b`, whose pipe ends the cell for a reader that takes `\\` for an escaped backslash.
    /// Escaped text keeps an odd run of backslashes before every pipe.
    #[test]
    fn md_code_escapes_a_path_with_a_backslash_as_text() {
        assert_eq!(md_code("a\\|b.md"), "a\\\\\\|b\\.md");
        assert_eq!(md_code(".\\docs\\a`b.md"), "\\.\\\\docs\\\\a\\`b\\.md");
        assert_eq!(md_code("x\\\n"), "x\\\\\u{fffd}");
    }
}
