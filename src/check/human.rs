//! The verdict for people, in a terminal or a log.

use std::io::Write;

use super::style::{kinds_text, pct, removable, threshold_lines};
use super::*;

/// Writes the verdict as a table for people, coloured when `color`.
///
/// The table and the overall line give the counted figures (all of them when there is no
/// baseline and no marker); the duplicates that count are listed under the table.
///
/// # Errors
/// The writer's error.
pub fn write_human<W: Write + ?Sized>(
    v: &Verdict,
    color: bool,
    out: &mut W,
) -> std::io::Result<()> {
    use anstyle::{AnsiColor, Style};
    let paint = |s: Style, t: &str| -> String {
        if color {
            format!("{}{t}{}", s.render(), s.render_reset())
        } else {
            t.to_string()
        }
    };
    let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    writeln!(
        out,
        "{:>8}  {:>12}  {:>12}  {:>9}  path",
        "rate", "removed B", "bytes", "blocks"
    )?;
    for f in &v.files {
        let c = &f.counted;
        let rate = format!("{:>8}", pct(c.rate));
        let over = v.max_file_rate.is_some_and(|m| exact_rate(c) > m);
        writeln!(
            out,
            "{}  {:>12}  {:>12}  {:>9}  {}",
            if over { paint(red, &rate) } else { rate },
            c.bytes_in - c.bytes_out.min(c.bytes_in),
            c.bytes_in,
            format!("{}/{}", removed_blocks(c), c.blocks_in),
            printable(&f.path)
        )?;
    }
    for d in v.duplicates.iter().filter(|d| d.status == Status::New) {
        writeln!(
            out,
            "{}: {}",
            paint(bold, &printable(&d.location())),
            d.message()
        )?;
        writeln!(out, "    {}", paint(dim, &d.preview))?;
    }
    let o = &v.counted;
    let mut line = format!(
        "overall: {} ({} blocks of {}: {}) in {} files",
        removable(o),
        removed_blocks(o),
        o.blocks_in,
        kinds_text(o),
        v.files.len()
    );
    if v.files.len() as u64 != v.documents {
        line.push_str(&format!(" ({} documents)", v.documents));
    }
    writeln!(out, "{line}")?;
    if let Some(b) = &v.baseline {
        writeln!(
            out,
            "baseline {}: {} known duplicates not counted, {} stale entries",
            printable(&b.path),
            b.known,
            b.stale.len()
        )?;
        for e in &b.stale {
            writeln!(
                out,
                "  stale: {} {} ({}): no longer found: {}",
                printable(&e.id),
                printable(&e.path),
                printable(&e.kind),
                printable(&e.preview)
            )?;
        }
    }
    if v.ignored > 0 {
        writeln!(
            out,
            "{} duplicates exempted by `{MARKER}` markers",
            v.ignored
        )?;
    }
    for (text, ok) in threshold_lines(v) {
        writeln!(
            out,
            "{}",
            if ok {
                paint(green, &text)
            } else {
                paint(red, &text)
            }
        )?;
    }
    Ok(())
}
