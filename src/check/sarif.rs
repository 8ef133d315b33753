//! SARIF: a check verdict → a SARIF 2.1.0 log, for GitHub code scanning and other viewers.
//!
//! One run; the driver `paradedup` with one rule per kind of duplicate (`exact`, `near`,
//! `contained`, `boilerplate`); one result per counted duplicate (known and marked ones are
//! left out, as they do not count): its location is the duplicate block, its related location
//! the kept copy it repeats, and `partialFingerprints` carries the stable id, so a viewer
//! tracks a result across commits as the baseline does. An exceeded threshold is a
//! tool execution notification of level `error`. Only properties of the 2.1.0 schema are
//! written (it allows no others).

use std::io::Write;

use serde::Serialize;

use crate::check::{Duplicate, Status, Verdict};
use crate::Kind;

/// The `$schema` written into the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the tool is described.
const INFORMATION_URI: &str = "https://crates.io/crates/paradedup";

/// The key of the stable id in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "paradedupId/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    related_locations: Vec<Location>,
    partial_fingerprints: std::collections::BTreeMap<&'static str, &'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    end_line: usize,
}

const KINDS: [(Kind, &str, &str, &str); 5] = [
    (
        Kind::Exact,
        "ExactDuplicate",
        "Block repeated verbatim",
        "The block equals an earlier block of the same document after normalization (case, white space, quotes, entities).",
    ),
    (
        Kind::Near,
        "NearDuplicate",
        "Block repeated with small differences",
        "The block is the same passage as a kept block with small edits (similarity at or above the threshold, no change of number, negation or name).",
    ),
    (
        Kind::Contained,
        "ContainedDuplicate",
        "Block contained in other blocks",
        "Every word of the block lies in long common runs of kept blocks: a teaser, a title with a site suffix, a run-together copy.",
    ),
    (
        Kind::Boilerplate,
        "RepeatedBoilerplate",
        "Short block repeated across documents",
        "A short block repeated across many documents.",
    ),
    (
        Kind::Trimmed,
        "TrimmedRepeat",
        "Repeated part cut out of a block",
        "Part of the block repeats text that stays elsewhere (or further on in the block); the part goes and the rest of the block stays.",
    ),
];

fn rule_index(kind: Kind) -> usize {
    KINDS.iter().position(|k| k.0 == kind).unwrap_or(0)
}

/// A path as a URI reference: `/`-separated, percent-encoded outside unreserved characters; an
/// absolute path becomes a `file://` URI.
pub fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut out = String::with_capacity(p.len());
    if p.starts_with('/') {
        out.push_str("file://");
    }
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(
    d: &Duplicate,
    lines: [usize; 2],
    id: Option<usize>,
    message: Option<Text>,
) -> Location {
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri(&d.path) },
            region: Region {
                start_line: lines[0].max(1),
                end_line: lines[1].max(lines[0]).max(1),
            },
        },
        message,
    }
}

/// Writes the verdict as a SARIF 2.1.0 log.
///
/// # Errors
/// The writer's error.
pub fn write_sarif<W: Write + ?Sized>(v: &Verdict, out: &mut W) -> std::io::Result<()> {
    let results = v
        .duplicates
        .iter()
        .filter(|d| d.status == Status::New)
        .map(|d| {
            let related = d
                .kept_file_lines()
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    location(
                        d,
                        r,
                        Some(i + 1),
                        Some(Text {
                            text: "kept copy".to_string(),
                        }),
                    )
                })
                .collect();
            let mut fp = std::collections::BTreeMap::new();
            fp.insert(FINGERPRINT_KEY, d.id.as_str());
            SarifResult {
                rule_id: d.kind.as_str(),
                rule_index: rule_index(d.kind),
                level: "warning",
                message: Text { text: d.message() },
                locations: vec![location(d, [d.line(), d.end_line()], None, None)],
                related_locations: related,
                partial_fingerprints: fp,
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "paradedup",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: KINDS
                        .iter()
                        .map(|(kind, name, short, full)| Rule {
                            id: kind.as_str(),
                            name,
                            short_description: Text {
                                text: (*short).to_string(),
                            },
                            full_description: Text {
                                text: (*full).to_string(),
                            },
                            default_configuration: Configuration { level: "warning" },
                        })
                        .collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: v
                    .failures
                    .iter()
                    .map(|f| Notification {
                        level: "error",
                        message: Text { text: f.describe() },
                    })
                    .collect(),
            }],
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(std::io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encodes_paths() {
        assert_eq!(uri("./docs/a b.md"), "docs/a%20b.md");
        assert_eq!(uri("/tmp/x#1.txt"), "file:///tmp/x%231.txt");
        assert_eq!(uri("caf\u{e9}.md"), "caf%C3%A9.md");
    }
}
