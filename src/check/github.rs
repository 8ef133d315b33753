//! The verdict as GitHub Actions workflow commands (annotations on the lines of the copies).

use std::io::Write;

use super::*;

/// Escapes the data of a GitHub workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a GitHub workflow command.
fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A path as GitHub matches it to a file of the repository: `/`-separated, without a leading
/// `./` (`check .` shows `./docs/a.md`; `file=./docs/a.md` is never shown on a diff).
fn gh_file(path: &str) -> String {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    p
}

/// Writes GitHub Actions workflow commands: a `::warning` at each counted duplicate naming the
/// copy it repeats, a `::notice` per stale baseline entry, an `::error` per exceeded threshold.
///
/// # Errors
/// The writer's error.
pub fn write_github<W: Write + ?Sized>(v: &Verdict, out: &mut W) -> std::io::Result<()> {
    for d in v.duplicates.iter().filter(|d| d.status == Status::New) {
        let kept: Vec<String> = d.kept_file_lines().iter().map(|r| span(*r)).collect();
        // The messages name the file as `file=` does.
        let path = gh_file(&d.path);
        let location = format!("{path}:{}", d.line());
        writeln!(
            out,
            "::warning file={},line={},endLine={},title={}::{}",
            gh_prop(&path),
            d.line(),
            d.end_line(),
            gh_prop(&format!("paradedup: {} duplicate", d.kind.as_str())),
            gh_data(&match d.record_line {
                // A record's copies are in its own text: name the lines of the text.
                Some(_) => format!("{location}: {} (id {})", d.message(), d.id),
                None => format!(
                    "{location} repeats {path}:{} ({}, score {:.3}, id {})",
                    kept.join(", "),
                    d.kind.as_str(),
                    d.score,
                    d.id
                ),
            })
        )?;
    }
    if let Some(b) = &v.baseline {
        for e in &b.stale {
            writeln!(
                out,
                "::notice title={}::{}",
                gh_prop("paradedup: stale baseline entry"),
                gh_data(&format!(
                    "{} ({}, {}) in {} is no longer found: {}",
                    printable(&e.id),
                    printable(&e.kind),
                    printable(&gh_file(&e.path)),
                    gh_file(&b.path),
                    printable(&e.preview)
                ))
            )?;
        }
    }
    for f in &v.failures {
        let f = Failure {
            path: f.path.as_deref().map(gh_file),
            ..f.clone()
        };
        writeln!(
            out,
            "::error title={}::{}",
            gh_prop("paradedup check failed"),
            gh_data(&f.describe())
        )?;
    }
    Ok(())
}
