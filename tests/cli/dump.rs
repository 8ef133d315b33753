//! `paradedup clean` on JSONL dumps: records round-trip with every field but
//! the text kept (values, key order, bytes of untouched records); nested text
//! and id fields; `--annotate` and `--annotate-only`; gzip and zstd in and
//! out, standard input by magic bytes; corpus scope (first occurrence kept,
//! thread count irrelevant, boilerplate threshold, report links); bad lines
//! (exit 2 naming file and line, or passed through with `--on-error skip`);
//! record counts; and the `--max-memory` limit.
//!
//! The committed fixtures are `fixtures/jsonl/round-trip.jsonl` (escapes,
//! numbers such as `2.50` and `1e3`, nested objects, odd key orders) and
//! `fixtures/jsonl/corpus.jsonl` (a newsletter line and a "Share" line shared
//! across records); compressed and malformed inputs are made at runtime.

use std::fmt;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use tempfile::TempDir;

use crate::util::{
    assert_same_bytes, difference, entries_under, escape, fixture, json, paradedup, read, Run,
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A JSON value that keeps the order of object keys. `serde_json::Value`
/// sorts them (the `preserve_order` feature is off), so field order is
/// compared on this instead. Scalars compare as `serde_json` values, so `2.50`
/// equals `2.5` and `1e3` equals `1000.0`.
#[derive(Debug, Clone, PartialEq)]
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Scalar(Value),
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::from(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::String(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::String(v)))
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::Null))
            }
            fn visit_none<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Ordered>()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Ordered>()? {
                    fields.push((k, v));
                }
                Ok(Ordered::Object(fields))
            }
        }
        d.deserialize_any(V)
    }
}

impl Ordered {
    /// The fields of an object, in order.
    fn fields(&self) -> &[(String, Ordered)] {
        match self {
            Ordered::Object(f) => f,
            other => panic!("expected a JSON object, got {other:?}"),
        }
    }

    /// The keys of an object, in order.
    fn keys(&self) -> Vec<&str> {
        self.fields().iter().map(|(k, _)| k.as_str()).collect()
    }

    /// The value of `key` in an object.
    fn get(&self, key: &str) -> &Ordered {
        self.fields()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no field {key:?} in {self:?}"))
    }

    /// The string this value is.
    fn str(&self) -> &str {
        match self {
            Ordered::Scalar(Value::String(s)) => s,
            other => panic!("expected a JSON string, got {other:?}"),
        }
    }

    /// This value as a `serde_json::Value` (key order lost).
    fn value(&self) -> Value {
        match self {
            Ordered::Object(f) => {
                Value::Object(f.iter().map(|(k, v)| (k.clone(), v.value())).collect())
            }
            Ordered::Array(a) => Value::Array(a.iter().map(Ordered::value).collect()),
            Ordered::Scalar(v) => v.clone(),
        }
    }
}

/// Parses one JSONL line, keeping key order, showing the line when it is not
/// JSON.
fn ordered(label: &str, line: &[u8]) -> Ordered {
    let parsed = serde_json::from_slice::<Ordered>(line);
    assert!(
        parsed.is_ok(),
        "{label} is not JSON ({:?}): {}",
        parsed.as_ref().err(),
        escape(line)
    );
    parsed.unwrap()
}

/// Panics unless `output` has the same keys as `input` in the same order, and
/// the same value for every key but `except`.
fn assert_same_fields_except(label: &str, input: &Ordered, output: &Ordered, except: &str) {
    assert_eq!(output.keys(), input.keys(), "{label}: keys or their order");
    for ((key, want), (_, got)) in input.fields().iter().zip(output.fields()) {
        if key != except {
            assert_eq!(got, want, "{label}: field {key:?} changed");
        }
    }
}

/// The lines of `bytes` without their `\n`; a final line without `\n` counts,
/// an empty piece after a final `\n` does not.
fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if bytes.ends_with(b"\n") || bytes.is_empty() {
        out.pop();
    }
    out
}

/// One JSONL line (with `\n`) holding `id` and `text`.
fn record(id: &str, text: &str) -> String {
    let mut s = serde_json::json!({ "id": id, "text": text }).to_string();
    s.push('\n');
    s
}

/// The `text` field of each record line of `bytes`.
fn texts(label: &str, bytes: &[u8]) -> Vec<String> {
    lines(bytes)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            ordered(&format!("{label} line {}", i + 1), l)
                .get("text")
                .str()
                .to_owned()
        })
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Decompresses one gzip member, failing on anything else.
fn gunzip(label: &str, data: &[u8]) -> Vec<u8> {
    assert!(
        data.starts_with(&[0x1f, 0x8b]),
        "{label} is not gzip (starts {:02x?})",
        &data[..data.len().min(4)]
    );
    let mut out = Vec::new();
    let res = flate2::read::GzDecoder::new(data).read_to_end(&mut out);
    assert!(res.is_ok(), "{label}: gzip decoding failed: {res:?}");
    out
}

fn zstd_compress(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

fn unzstd(label: &str, data: &[u8]) -> Vec<u8> {
    assert!(
        data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]),
        "{label} is not zstd (starts {:02x?})",
        &data[..data.len().min(4)]
    );
    let out = zstd::decode_all(data);
    assert!(out.is_ok(), "{label}: zstd decoding failed: {out:?}");
    out.unwrap()
}

/// Writes `bytes` to `dir/name` and returns the path.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, bytes).unwrap();
    path
}

/// The 1-based line number right after `name:` in `stderr`, if any.
fn line_number_after(stderr: &str, name: &str) -> Option<u64> {
    let needle = format!("{name}:");
    let at = stderr.find(&needle)? + needle.len();
    let digits: String = stderr[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    stderr[at + digits.len()..]
        .starts_with(':')
        .then(|| digits.parse().ok())
        .flatten()
}

/// A small deterministic generator (an LCG), so generated dumps are the same
/// on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "harbour",
    "council",
    "river",
    "market",
    "school",
    "bridge",
    "library",
    "station",
    "garden",
    "museum",
    "festival",
    "teacher",
    "farmer",
    "doctor",
    "engineer",
    "painter",
    "orchestra",
    "bakery",
    "tunnel",
    "meadow",
    "lantern",
    "compass",
    "violin",
    "glacier",
    "volcano",
    "canyon",
    "island",
    "forest",
    "desert",
    "valley",
    "quarry",
    "harvest",
    "parade",
    "ferry",
    "airport",
    "stadium",
    "theatre",
    "castle",
    "chapel",
    "tower",
    "window",
    "ladder",
    "bicycle",
    "tractor",
    "kitchen",
    "blanket",
    "pepper",
    "cherry",
    "walnut",
    "salmon",
    "pigeon",
    "falcon",
    "beaver",
    "otter",
    "badger",
    "rabbit",
    "turtle",
    "dolphin",
    "lobster",
    "sparrow",
];

/// A line of `n` random words: lines made this way share few words, so no
/// two of them are near duplicates of each other.
fn random_line(rng: &mut Lcg, n: usize) -> String {
    let words: Vec<&str> = (0..n).map(|_| WORDS[rng.next(WORDS.len())]).collect();
    let mut line = words.join(" ");
    line[..1].make_ascii_uppercase();
    line.push('.');
    line
}

// ---------------------------------------------------------------------------
// 1. Round trip
// ---------------------------------------------------------------------------

const ROUND_TRIP: &str = "jsonl/round-trip.jsonl";

/// Every field but the text comes back equal and in place, and keeps its
/// bytes; the record without removals comes back byte for byte; the texts are
/// cleaned (a "Title | Site" line goes for its "Title", an exact copy goes).
#[test]
fn round_trip_keeps_other_fields_and_cleans_the_text() {
    let input = read(&fixture(ROUND_TRIP));
    let run = Run::of(paradedup().args(["clean", "-q"]).arg(fixture(ROUND_TRIP)));
    run.expect_code(0);
    let (ins, outs) = (lines(&input), lines(&run.stdout));
    assert_eq!(
        outs.len(),
        ins.len(),
        "record count; stdout:\n{}",
        escape(&run.stdout)
    );

    let expected_texts = [
        Some(
            "City Approves Downtown Bike Lanes\n\
             The city council voted on Wednesday to build protected bike lanes on four downtown streets.\n\
             Local businesses had asked for more loading zones along the route.\n",
        ),
        None,
        Some(
            "Caf\u{e9} society meets again on Sunday \u{1f600} at noon in the square.\n\
             Directions are on the website.\n",
        ),
    ];
    for (i, ((inp, out), want)) in ins.iter().zip(&outs).zip(expected_texts).enumerate() {
        let label = format!("record {}", i + 1);
        let (a, b) = (ordered(&label, inp), ordered(&label, out));
        assert_same_fields_except(&label, &a, &b, "text");
        match want {
            Some(text) => assert_eq!(b.get("text").str(), text, "{label}: cleaned text"),
            None => assert!(
                difference(out, inp).is_none(),
                "{label} has nothing to remove and must come back byte for byte:\n{}",
                difference(out, inp).unwrap_or_default()
            ),
        }
    }
    // Fields other than the text keep their bytes, not just their values.
    let first = String::from_utf8_lossy(outs[0]).into_owned();
    for raw in [
        r#""meta":{"lang":"fr","tags":["caf\u00e9","\ud83d\ude00",null],"price":2.50,"views":1e3,"nested":{"deep":[1,2.50,{"k":"\u00e9t\u00e9"}]}}"#,
        r#""score":2.50"#,
        r#""count":1e3"#,
    ] {
        assert!(
            first.contains(raw),
            "record 1 should keep {raw} as written:\n{first}"
        );
    }
    let third = String::from_utf8_lossy(outs[2]).into_owned();
    assert!(
        third.contains(r#""source":{"name":"R\u00e9gion","rank":-0.0,"ratio":1.50E+2}"#),
        "record 3 should keep its source field as written:\n{third}"
    );
    assert_eq!(
        run.stdout.last(),
        Some(&b'\n'),
        "the last line keeps its newline"
    );
}

/// A cleaned record is its input line with the text value replaced: the white
/// space around keys and values, escaped keys and the other values keep their
/// bytes, and `--annotate` adds its field before the closing brace.
#[test]
fn cleaned_record_differs_only_in_the_text_value() {
    let head = r#"{ "id" : "r1",  "t\u0065xt":   "#;
    let tail = r#" , "meta" : [1, 2.50, "\u00e9\/"] }"#;
    let text =
        "A line that repeats in this record.\nUnique line.\nA line that repeats in this record.\n";
    let clean = "A line that repeats in this record.\nUnique line.\n";
    let quoted = |t: &str| serde_json::to_string(t).unwrap();
    let line = format!("{head}{}{tail}\n", quoted(text));
    let run = Run::of(
        paradedup()
            .args(["clean", "-q", "--format", "jsonl", "-"])
            .write_stdin(line.clone()),
    );
    run.expect_code(0);
    let want = format!("{head}{}{tail}\n", quoted(clean));
    assert_same_bytes("cleaned record", &run.stdout, want.as_bytes());

    let run = Run::of(
        paradedup()
            .args(["clean", "-q", "--format", "jsonl", "--annotate-only", "-"])
            .write_stdin(line.clone()),
    );
    run.expect_code(0);
    let body = line.trim_end().strip_suffix('}').unwrap();
    let out = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        out.starts_with(body) && out.ends_with("}}\n"),
        "--annotate-only keeps the line and appends one field:\n{out}"
    );
    let added = json("annotated record", &run.stdout);
    assert_eq!(added["paradedup"]["blocks_removed"], 1, "{out}");
}

// ---------------------------------------------------------------------------
// 2. Field paths and annotations
// ---------------------------------------------------------------------------

const NESTED_TEXT: &str =
    "Same line repeated here for the test.\nOther line.\nSame line repeated here for the test.\n";
const NESTED_CLEAN: &str = "Same line repeated here for the test.\nOther line.\n";

fn nested_dump() -> String {
    let mut s = String::from(r#"{"doc":"x1","content":{"lang":"en","body":"#);
    s.push_str(&serde_json::to_string(NESTED_TEXT).unwrap());
    s.push_str(r#","n":1},"tail":true}"#);
    s.push('\n');
    s
}

/// `--field content.body` cleans the nested text and keeps the fields around
/// it; `--id-field doc` puts the record's `doc` into the report, which has no
/// id without the flag (the record has no `id`).
#[test]
fn nested_field_and_id_field() {
    let tmp = TempDir::new().unwrap();
    let dump = nested_dump();
    let input = write(tmp.path(), "nested.jsonl", dump.as_bytes());
    let mut reports = Vec::new();
    for id_flag in [true, false] {
        let out = tmp.path().join(format!("out-{id_flag}.jsonl"));
        let mut cmd = paradedup();
        cmd.args(["clean", "-q", "--field", "content.body", "--report", "-"])
            .arg("-o")
            .arg(&out)
            .arg(&input);
        if id_flag {
            cmd.args(["--id-field", "doc"]);
        }
        let run = Run::of(&mut cmd);
        run.expect_code(0);
        let written = read(&out);
        let outs = lines(&written);
        assert_eq!(outs.len(), 1, "one record out:\n{}", escape(&written));
        let (a, b) = (
            ordered("in", dump.trim_end().as_bytes()),
            ordered("out", outs[0]),
        );
        assert_same_fields_except("record", &a, &b, "content");
        assert_same_fields_except("content", a.get("content"), b.get("content"), "body");
        assert_eq!(b.get("content").get("body").str(), NESTED_CLEAN);
        reports.push(json("report", &run.stdout));
    }
    let doc = &reports[0]["documents"][0];
    assert_eq!(doc["id"], "x1", "report with --id-field doc: {doc:#}");
    assert_eq!(doc["removed"][0]["kind"], "exact", "{doc:#}");
    let doc = &reports[1]["documents"][0];
    assert!(
        doc.get("id").is_none(),
        "without --id-field there is no id: {doc:#}"
    );
}

/// The figures `--annotate` and `--annotate-only` add for `NESTED_TEXT`.
fn expected_annotation() -> Value {
    let removed = NESTED_TEXT.len() - NESTED_CLEAN.len();
    let rate = ((removed as f64 / NESTED_TEXT.len() as f64) * 10_000.0).round() / 10_000.0;
    serde_json::json!({ "blocks_removed": 1, "blocks_trimmed": 0, "bytes_removed": removed, "rate": rate })
}

/// `--annotate` appends a `paradedup` field with the figures and cleans the
/// text; `--annotate-only` appends the same field and leaves the text alone.
#[test]
fn annotate_and_annotate_only() {
    let tmp = TempDir::new().unwrap();
    let dump = nested_dump();
    let input = write(tmp.path(), "nested.jsonl", dump.as_bytes());
    let a = ordered("in", dump.trim_end().as_bytes());
    for (flag, body) in [
        ("--annotate", NESTED_CLEAN),
        ("--annotate-only", NESTED_TEXT),
    ] {
        let run = Run::of(
            paradedup()
                .args(["clean", "-q", "--field", "content.body", flag])
                .arg(&input),
        );
        run.expect_code(0);
        let outs = lines(&run.stdout);
        assert_eq!(
            outs.len(),
            1,
            "{flag}: one record:\n{}",
            escape(&run.stdout)
        );
        let b = ordered(flag, outs[0]);
        let mut keys = a.keys();
        keys.push("paradedup");
        assert_eq!(b.keys(), keys, "{flag}: keys (paradedup appended)");
        for (key, want) in a.fields() {
            if key != "content" {
                assert_eq!(b.get(key), want, "{flag}: field {key:?}");
            }
        }
        assert_same_fields_except(flag, a.get("content"), b.get("content"), "body");
        assert_eq!(b.get("content").get("body").str(), body, "{flag}: text");
        assert_eq!(
            b.get("paradedup").value(),
            expected_annotation(),
            "{flag}: figures"
        );
    }
}

// ---------------------------------------------------------------------------
// 3. Compression and standard input
// ---------------------------------------------------------------------------

const A_TEXT: &str =
    "Dup line that is repeated in here.\nA short middle.\nDup line that is repeated in here.\n";
const A_CLEAN: &str = "Dup line that is repeated in here.\nA short middle.\n";
const B_TEXT: &str = "Another dup line inside record two.\nAnother dup line inside record two.\n";
const B_CLEAN: &str = "Another dup line inside record two.\n";

fn two_records() -> (String, String) {
    (record("a", A_TEXT), record("b", B_TEXT))
}

fn expected_two() -> Vec<u8> {
    (record("a", A_CLEAN) + &record("b", B_CLEAN)).into_bytes()
}

/// Two gzip members one after the other (as crawl files are written) read as
/// one stream: both records come out, cleaned.
#[test]
fn multi_member_gzip_input() {
    let tmp = TempDir::new().unwrap();
    let (a, b) = two_records();
    let mut bytes = gzip(a.as_bytes());
    bytes.extend(gzip(b.as_bytes()));
    let input = write(tmp.path(), "two.jsonl.gz", &bytes);
    Run::of(paradedup().args(["clean", "-q"]).arg(&input))
        .expect_code(0)
        .expect_stdout("multi-member gzip", &expected_two());
}

/// `--out-dir` writes a gzip input to the same relative name, still gzip.
#[test]
fn gzip_out_dir_keeps_name_and_compression() {
    let tmp = TempDir::new().unwrap();
    let (a, b) = two_records();
    write(
        tmp.path(),
        "in/sub/shard-0.jsonl.gz",
        &gzip((a + &b).as_bytes()),
    );
    let out = tmp.path().join("out");
    Run::of(
        paradedup()
            .args(["clean", "-q", "--out-dir"])
            .arg(&out)
            .arg(tmp.path().join("in")),
    )
    .expect_code(0)
    .expect_stdout("stdout", b"");
    assert_eq!(
        entries_under(&out),
        ["sub/", "sub/shard-0.jsonl.gz"],
        "files under --out-dir"
    );
    let written = gunzip(
        "out/sub/shard-0.jsonl.gz",
        &read(&out.join("sub/shard-0.jsonl.gz")),
    );
    assert_same_bytes("decompressed output", &written, &expected_two());
}

/// `-o out.jsonl.zst` compresses with zstd, from a gzip input.
#[test]
fn zstd_output_by_extension() {
    let tmp = TempDir::new().unwrap();
    let (a, b) = two_records();
    let input = write(tmp.path(), "in.jsonl.gz", &gzip((a + &b).as_bytes()));
    let out = tmp.path().join("out.jsonl.zst");
    Run::of(
        paradedup()
            .args(["clean", "-q", "-o"])
            .arg(&out)
            .arg(&input),
    )
    .expect_code(0);
    let written = unzstd("out.jsonl.zst", &read(&out));
    assert_same_bytes("decompressed output", &written, &expected_two());
}

/// A `.jsonl.zst` input is decompressed; standard output is plain JSONL.
#[test]
fn zstd_input() {
    let tmp = TempDir::new().unwrap();
    let (a, b) = two_records();
    let input = write(
        tmp.path(),
        "in.jsonl.zst",
        &zstd_compress((a + &b).as_bytes()),
    );
    Run::of(paradedup().args(["clean", "-q"]).arg(&input))
        .expect_code(0)
        .expect_stdout("zstd input", &expected_two());
}

/// `--format jsonl -` reads records from standard input, plain or gzip
/// (found by its magic bytes), and writes plain JSONL to standard output.
#[test]
fn stdin_plain_and_gzip() {
    let (a, b) = two_records();
    let plain = (a + &b).into_bytes();
    for (label, bytes) in [("plain stdin", plain.clone()), ("gzip stdin", gzip(&plain))] {
        Run::of(
            paradedup()
                .args(["clean", "-q", "--format", "jsonl", "-"])
                .write_stdin(bytes),
        )
        .expect_code(0)
        .expect_stdout(label, &expected_two());
    }
}

// ---------------------------------------------------------------------------
// 4. Corpus scope
// ---------------------------------------------------------------------------

const CORPUS: &str = "jsonl/corpus.jsonl";
const NEWSLETTER: &str = "Subscribe to our newsletter for the latest local news every morning.";

/// The fixture's texts, one per record.
fn corpus_texts() -> Vec<String> {
    texts(CORPUS, &read(&fixture(CORPUS)))
}

/// The text of record `i` of the corpus fixture without its lines equal to
/// one of `gone`.
fn without(texts: &[String], i: usize, gone: &[&str]) -> String {
    texts[i]
        .split_inclusive('\n')
        .filter(|l| !gone.contains(&l.trim_end()))
        .collect()
}

/// `--scope corpus` removes the newsletter line (8+ words) from record 1,
/// keeps its first occurrence in record 0 and changes nothing else; the
/// report (with `-o`) links the removal to document 0 and names the record.
#[test]
fn corpus_scope_keeps_the_first_occurrence() {
    let tmp = TempDir::new().unwrap();
    let input = read(&fixture(CORPUS));
    let ins = lines(&input);
    let texts = corpus_texts();
    let out = tmp.path().join("out.jsonl");
    let run = Run::of(
        paradedup()
            .args(["clean", "-q", "--scope", "corpus", "--report", "-", "-o"])
            .arg(&out)
            .arg(fixture(CORPUS)),
    );
    run.expect_code(0);
    let written = read(&out);
    let outs = lines(&written);
    assert_eq!(outs.len(), ins.len(), "record count:\n{}", escape(&written));
    for (i, (inp, out)) in ins.iter().zip(&outs).enumerate() {
        if i == 1 {
            let b = ordered("record 1", out);
            assert_same_fields_except("record 1", &ordered("in", inp), &b, "text");
            assert_eq!(b.get("text").str(), without(&texts, 1, &[NEWSLETTER]));
        } else {
            assert_same_bytes(&format!("record {i} must be unchanged"), out, inp);
        }
    }
    let report = json("report", &run.stdout);
    let docs = report["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1, "one record has removals: {report:#}");
    assert_eq!(docs[0]["id"], "r1", "{report:#}");
    assert!(
        docs[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("corpus.jsonl:2"),
        "{report:#}"
    );
    let removed = docs[0]["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 1, "{report:#}");
    assert_eq!(removed[0]["kind"], "exact", "{report:#}");
    assert_eq!(removed[0]["kept_in_document"], 0, "{report:#}");
}

/// The default document scope leaves repeats across records alone.
#[test]
fn document_scope_keeps_cross_record_repeats() {
    for args in [
        &["clean", "-q"][..],
        &["clean", "-q", "--scope", "document"],
    ] {
        Run::of(paradedup().args(args).arg(fixture(CORPUS)))
            .expect_code(0)
            .expect_stdout(&args.join(" "), &read(&fixture(CORPUS)));
    }
}

/// With `--boilerplate-min-docs 3` the short "Share" line stays in records 0
/// and 2 (its 1st and 2nd holders) and goes from record 3 (its 3rd) on.
#[test]
fn boilerplate_min_docs_removes_from_the_nth_holder_on() {
    let texts = corpus_texts();
    let run = Run::of(
        paradedup()
            .args([
                "clean",
                "-q",
                "--scope",
                "corpus",
                "--boilerplate-min-docs",
                "3",
            ])
            .arg(fixture(CORPUS)),
    );
    run.expect_code(0);
    let got = texts_of_run(&run);
    let want = vec![
        texts[0].clone(),
        without(&texts, 1, &[NEWSLETTER]),
        texts[2].clone(),
        without(&texts, 3, &["Share"]),
        without(&texts, 4, &["Share"]),
    ];
    assert_eq!(got, want, "texts with --boilerplate-min-docs 3");
}

/// A short block is matched across documents by its whole normalized text: a headline
/// "He almost fell down" and the sentence "He almost fell down." count apart, while the
/// same label with other quotes or entities counts together.
#[test]
fn boilerplate_counts_short_blocks_with_their_punctuation() {
    let body = "Each record has a paragraph of its own words that no other record repeats, number";
    let docs = [
        "He almost fell down",
        "He almost fell down.",
        "He almost fell down.",
        "He almost fell down",
        "He almost fell down&#46;",
    ];
    let input: String = docs
        .iter()
        .enumerate()
        .map(|(i, d)| record(&format!("r{i}"), &format!("{d}\n{body} {i}.\n")))
        .collect();
    let run = Run::of(
        paradedup()
            .args([
                "clean",
                "-q",
                "--scope",
                "corpus",
                "--boilerplate-min-docs",
                "2",
                "--format",
                "jsonl",
                "-",
            ])
            .write_stdin(input),
    );
    run.expect_code(0);
    let got = texts_of_run(&run);
    let want: Vec<String> = (0..docs.len())
        .map(|i| {
            let head = if [0, 1].contains(&i) {
                format!("{}\n", docs[i])
            } else {
                String::new()
            };
            format!("{head}{body} {i}.\n")
        })
        .collect();
    assert_eq!(got, want, "texts with --boilerplate-min-docs 2");
}

/// Across documents, a block of 8 to 15 words goes only when its normalized text is the
/// same (a headline and a sentence with the same words plus a full stop both stay); from 16
/// words on, a copy that differs only in punctuation goes too (`near`).
#[test]
fn corpus_scope_needs_the_same_text_for_blocks_under_sixteen_words() {
    let short = "Mitya ended beside himself at the door of the inn";
    let long = "The regional water authority said on Monday that reservoir levels had fallen to their lowest point in a decade";
    let docs = [
        format!("{short}\n{long}\n"),
        format!("{short}.\n{long}!\n"),
        format!("{short}\nSomething else entirely for the third record here.\n"),
    ];
    let input: String = docs
        .iter()
        .enumerate()
        .map(|(i, d)| record(&format!("r{i}"), d))
        .collect();
    let run = Run::of(
        paradedup()
            .args(["clean", "-q", "--scope", "corpus", "--format", "jsonl", "-"])
            .write_stdin(input),
    );
    run.expect_code(0);
    let want = vec![
        docs[0].clone(),
        format!("{short}.\n"),
        "Something else entirely for the third record here.\n".to_string(),
    ];
    assert_eq!(texts_of_run(&run), want);
}

fn texts_of_run(run: &Run) -> Vec<String> {
    texts("stdout", &run.stdout)
}

/// `--boilerplate-min-docs` only makes sense across documents.
#[test]
fn boilerplate_min_docs_needs_corpus_scope() {
    Run::of(
        paradedup()
            .args(["clean", "-q", "--boilerplate-min-docs", "3"])
            .arg(fixture(CORPUS)),
    )
    .expect_code(2)
    .expect_stdout("stdout", b"")
    .expect_stderr_contains("--boilerplate-min-docs");
}

/// `--annotate` writes the field `paradedup`: a text field in it would be
/// written twice over (invalid JSON), so the combination is refused.
#[test]
fn annotation_field_cannot_hold_the_text() {
    for (field, flag) in [
        ("paradedup", "--annotate"),
        ("paradedup.t", "--annotate"),
        ("paradedup", "--annotate-only"),
    ] {
        Run::of(
            paradedup()
                .args([
                    "clean", "-q", "--format", "jsonl", "--field", field, flag, "-",
                ])
                .write_stdin("{\"paradedup\":\"A.\\n\\nA.\"}\n"),
        )
        .expect_code(2)
        .expect_stdout("stdout", b"")
        .expect_stderr_contains("--annotate");
    }
}

/// About 300 records drawing long lines from a shared pool: in corpus scope
/// each pool line stays in the first record that holds it and nowhere else,
/// and `-j 1` and `-j 4` write the same bytes.
#[test]
fn corpus_scope_output_does_not_depend_on_threads() {
    let mut rng = Lcg(0x5eed);
    let pool: Vec<String> = (0..40).map(|_| random_line(&mut rng, 10)).collect();
    let mut dump = String::new();
    let mut expected = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for i in 0..300 {
        let mut text = format!("Record {i} headline\n");
        let mut clean = text.clone();
        for _ in 0..3 + rng.next(3) {
            let line = &pool[rng.next(pool.len())];
            text.push_str(line);
            text.push('\n');
            if seen.insert(line.clone()) {
                clean.push_str(line);
                clean.push('\n');
            }
        }
        dump.push_str(&record(&format!("g{i}"), &text));
        expected.push(clean);
    }
    assert!(seen.len() > 30, "the pool is mostly used");
    let tmp = TempDir::new().unwrap();
    let input = write(tmp.path(), "gen.jsonl", dump.as_bytes());
    let mut outs = Vec::new();
    for j in ["1", "4"] {
        let run = Run::of(
            paradedup()
                .args(["clean", "-q", "--scope", "corpus", "-j", j])
                .arg(&input),
        );
        run.expect_code(0);
        outs.push(run.stdout);
    }
    assert_same_bytes("-j 4 vs -j 1", &outs[1], &outs[0]);
    let got = texts("-j 1 output", &outs[0]);
    assert_eq!(got.len(), 300, "record count");
    let wrong: Vec<String> = got
        .iter()
        .zip(&expected)
        .enumerate()
        .filter(|(_, (g, e))| g != e)
        .take(3)
        .map(|(i, (g, e))| format!("record {i}:\n  got:  {g:?}\n  want: {e:?}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "records whose text is not the expected first-occurrence text:\n{}",
        wrong.join("\n")
    );
}

// ---------------------------------------------------------------------------
// 5. Bad input
// ---------------------------------------------------------------------------

/// Bad-line cases: name, file bytes, 1-based line of the bad line.
fn bad_cases() -> Vec<(&'static str, String, usize)> {
    let good1 = record("g1", A_TEXT);
    let good2 = record("g2", B_TEXT);
    vec![
        (
            "malformed.jsonl",
            format!("{good1}{{\"id\":\"bad\",\"text\":\"no end\"\n{good2}"),
            2,
        ),
        (
            "missing.jsonl",
            format!("{good1}{good2}{{\"id\":\"bad\",\"body\":\"not the text field\"}}\n"),
            3,
        ),
        (
            "number.jsonl",
            format!("{{\"id\":\"bad\",\"text\":42}}\n{good1}{good2}"),
            1,
        ),
    ]
}

/// A malformed line, a record without `text` and a number as `text` each stop
/// the run with exit 2, naming the file and the line, and `-o` gets nothing.
#[test]
fn bad_lines_fail_naming_file_and_line() {
    for (name, dump, line) in bad_cases() {
        let tmp = TempDir::new().unwrap();
        let input = write(tmp.path(), name, dump.as_bytes());
        let out_dir = tmp.path().join("out");
        fs::create_dir(&out_dir).unwrap();
        let run = Run::of(
            paradedup()
                .args(["clean", "-q", "-o"])
                .arg(out_dir.join("out.jsonl"))
                .arg(&input),
        );
        run.expect_code(2).expect_stdout(name, b"");
        assert_eq!(
            line_number_after(&run.stderr, name),
            Some(line as u64),
            "{name}: stderr should name {name}:{line}:, got:\n{}",
            run.stderr
        );
        assert_eq!(
            entries_under(&out_dir),
            Vec::<String>::new(),
            "{name}: nothing may be written to -o"
        );
    }
}

/// A gzip file cut in half fails with exit 2 naming the file and a line, and
/// `-o` gets nothing.
#[test]
fn truncated_gzip_fails() {
    let tmp = TempDir::new().unwrap();
    let mut rng = Lcg(7);
    let dump: String = (0..60)
        .map(|i| {
            let text: String = (0..4).map(|_| random_line(&mut rng, 12) + "\n").collect();
            record(&format!("t{i}"), &text)
        })
        .collect();
    let total_lines = dump.lines().count() as u64;
    let gz = gzip(dump.as_bytes());
    let input = write(tmp.path(), "cut.jsonl.gz", &gz[..gz.len() / 2]);
    let out_dir = tmp.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let run = Run::of(
        paradedup()
            .args(["clean", "-q", "-o"])
            .arg(out_dir.join("out.jsonl"))
            .arg(&input),
    );
    run.expect_code(2).expect_stdout("stdout", b"");
    let line = line_number_after(&run.stderr, "cut.jsonl.gz");
    assert!(
        line.is_some_and(|n| (1..=total_lines).contains(&n)),
        "stderr should name cut.jsonl.gz:LINE: with a line inside the dump, got:\n{}",
        run.stderr
    );
    assert_eq!(
        entries_under(&out_dir),
        Vec::<String>::new(),
        "nothing may be written to -o"
    );
}

/// With `--on-error skip` the bad line passes through byte for byte, the
/// others are cleaned, the line count is kept and the summary counts it.
#[test]
fn on_error_skip_passes_bad_lines_through() {
    for (name, dump, line) in bad_cases() {
        let tmp = TempDir::new().unwrap();
        let input = write(tmp.path(), name, dump.as_bytes());
        let run = Run::of(
            paradedup()
                .args(["clean", "--on-error", "skip"])
                .arg(&input),
        );
        run.expect_code(0)
            .expect_stderr_contains("1 unreadable lines passed through");
        let (ins, outs) = (lines(dump.as_bytes()), lines(&run.stdout));
        assert_eq!(
            outs.len(),
            ins.len(),
            "{name}: line count; stdout:\n{}",
            escape(&run.stdout)
        );
        assert_eq!(
            escape(outs[line - 1]),
            escape(ins[line - 1]),
            "{name}: the bad line passes through"
        );
        let cleaned: Vec<String> = outs
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != line - 1)
            .map(|(i, l)| {
                ordered(&format!("{name} line {}", i + 1), l)
                    .get("text")
                    .str()
                    .to_owned()
            })
            .collect();
        assert_eq!(cleaned, [A_CLEAN, B_CLEAN], "{name}: the good records");
    }
}

// ---------------------------------------------------------------------------
// 6. Record count
// ---------------------------------------------------------------------------

/// A blank line in the middle passes through and a missing final newline stays
/// missing: as many lines out as in, records in place.
#[test]
fn blank_line_and_missing_final_newline_keep_the_count() {
    let (a, b) = two_records();
    let c = record("c", "Third record, nothing to remove here at all.\n");
    let dump = format!("{a}\n{b}{}", c.trim_end());
    let tmp = TempDir::new().unwrap();
    let input = write(tmp.path(), "gaps.jsonl", dump.as_bytes());
    let run = Run::of(paradedup().args(["clean", "-q"]).arg(&input));
    run.expect_code(0);
    let expected = format!(
        "{}\n{}{}",
        record("a", A_CLEAN),
        record("b", B_CLEAN),
        c.trim_end()
    );
    run.expect_stdout("blank line, no final newline", expected.as_bytes());
    assert_eq!(lines(&run.stdout).len(), lines(dump.as_bytes()).len());
}

// ---------------------------------------------------------------------------
// 7. Memory limit
// ---------------------------------------------------------------------------

/// A corpus index that outgrows `--max-memory 1K` stops the run with exit 2
/// and a message naming the flag; `-o` gets nothing. The same dump passes
/// without the limit.
#[test]
fn max_memory_limit_fails_clearly() {
    let mut rng = Lcg(42);
    let dump: String = (0..30)
        .map(|i| {
            let text: String = (0..5).map(|_| random_line(&mut rng, 10) + "\n").collect();
            record(&format!("m{i}"), &text)
        })
        .collect();
    let tmp = TempDir::new().unwrap();
    let input = write(tmp.path(), "many.jsonl", dump.as_bytes());
    let out_dir = tmp.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let run = Run::of(
        paradedup()
            .args([
                "clean",
                "-q",
                "--max-memory",
                "1K",
                "--scope",
                "corpus",
                "-o",
            ])
            .arg(out_dir.join("out.jsonl"))
            .arg(&input),
    );
    run.expect_code(2)
        .expect_stdout("stdout", b"")
        .expect_stderr_contains("--max-memory");
    assert_eq!(
        entries_under(&out_dir),
        Vec::<String>::new(),
        "nothing may be written to -o"
    );
    Run::of(
        paradedup()
            .args(["clean", "-q", "--scope", "corpus"])
            .arg(&input),
    )
    .expect_code(0);
}
