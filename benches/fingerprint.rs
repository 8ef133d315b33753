//! Speed of the two stages of cleaning one document, in nanoseconds per byte of text: the
//! fingerprint stage alone (normalization, tokens, hashes, winnowed grams), and the whole
//! in-document decision (`dedup_text`: segmenting, fingerprints, candidates, coverage, the near
//! check), single-threaded.
//!
//! `cargo bench --bench fingerprint -- DUMP.jsonl [RECORDS]` reads the text field of the first
//! RECORDS records (8,000 by default) of a JSONL dump (`bench/dump.sh` writes them under
//! `bench/out/`) and reports the best of 7 passes of each stage. The figures are for comparing
//! two builds on the same machine, one run after the other.
//!
//! `cargo bench --bench fingerprint -- --scripts [DIR] [RECORDS]` does the same for every
//! `*.jsonl` in DIR (default `bench/out/scripts`, where `bench/scripts.sh` writes one dump per
//! script) and prints one row per script with its ratio to the ASCII dump's throughput.

use std::time::Instant;

/// The best of 7 timed runs of `f`, in seconds.
fn best_of_7(mut f: impl FnMut() -> u64) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..7 {
        let start = Instant::now();
        std::hint::black_box(f());
        best = best.min(start.elapsed().as_secs_f64());
    }
    best
}

#[expect(clippy::cast_precision_loss, reason = "figures to read")]
fn report(stage: &str, seconds: f64, bytes: usize) {
    println!(
        "{stage}: {:.1} MB, best of 7 {seconds:.3} s, {:.2} ns/byte",
        bytes as f64 / 1e6,
        seconds * 1e9 / bytes.max(1) as f64
    );
}

/// The text fields of the first `records` records of a JSONL dump.
fn read_texts(
    path: &std::path::Path,
    records: usize,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let data = std::fs::read_to_string(path)?;
    let mut texts: Vec<String> = Vec::new();
    for line in data.lines().take(records) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let text = v["text"].as_str().ok_or("a record without a text field")?;
        texts.push(text.to_string());
    }
    Ok(texts)
}

/// Seconds, bytes of input and blocks of the fingerprint stage; seconds and bytes of the
/// document decision.
type Figures = ((f64, usize, usize), (f64, usize));

/// The two stages measured on `texts`.
fn measure(texts: &[String]) -> Result<Figures, Box<dyn std::error::Error>> {
    let blocks: Vec<&str> = texts
        .iter()
        .flat_map(|t| t.split('\n'))
        .filter(|b| !b.trim().is_empty())
        .collect();
    let block_bytes: usize = blocks.iter().map(|b| b.len()).sum();
    let fingerprint = best_of_7(|| {
        blocks.iter().fold(0, |acc, b| {
            let f = paradedup_engine::fingerprint::features(b);
            acc ^ f.key_hash ^ f.minimizers.len() as u64
        })
    });
    let options = paradedup::Options::default();
    let text_bytes: usize = texts.iter().map(String::len).sum();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let decision = pool.install(|| {
        best_of_7(|| {
            texts.iter().fold(0, |acc, t| {
                acc ^ paradedup::dedup_text(t, &options).removals.len() as u64
            })
        })
    });
    Ok((
        (fingerprint, block_bytes, blocks.len()),
        (decision, text_bytes),
    ))
}

#[expect(clippy::cast_precision_loss, reason = "figures to read")]
fn per_byte(seconds: f64, bytes: usize) -> f64 {
    seconds * 1e9 / bytes.max(1) as f64
}

/// One row per script dump in `dir`: nanoseconds per byte of each stage and the throughput
/// ratio to the ASCII dump (the goal: 0.8 or more).
fn per_script(dir: &str, records: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("mixed"))
        })
        .collect();
    // ASCII first: the others are read against it.
    paths.sort_by_key(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (!name.starts_with("ascii"), name)
    });
    if paths.is_empty() {
        return Err(format!("no *.jsonl in {dir}: run bench/scripts.sh first").into());
    }
    println!(
        "{:<28} {:>14} {:>8} {:>14} {:>8}",
        "dump", "fingerprint", "x ASCII", "decision", "x ASCII"
    );
    let mut ascii: Option<(f64, f64)> = None;
    for path in &paths {
        let texts = read_texts(path, records)?;
        let ((fs, fb, _), (ds, db)) = measure(&texts)?;
        let (f, d) = (per_byte(fs, fb), per_byte(ds, db));
        let (af, ad) = *ascii.get_or_insert((f, d));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!(
            "{name:<28} {f:>9.2} ns/B {:>8.2} {d:>9.2} ns/B {:>8.2}",
            af / f,
            ad / d
        );
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().is_some_and(|a| a == "--scripts") {
        let dir = args.get(1).map_or("bench/out/scripts", String::as_str);
        let records: usize = args.get(2).map_or(Ok(2000), |n| n.parse())?;
        return per_script(dir, records);
    }
    let Some(path) = args.first() else {
        return Err("usage: cargo bench --bench fingerprint -- DUMP.jsonl [RECORDS] | --scripts [DIR] [RECORDS]".into());
    };
    let records: usize = args.get(1).map_or(Ok(8000), |n| n.parse())?;
    let texts = read_texts(std::path::Path::new(path), records)?;
    let ((fs, fb, blocks), (ds, db)) = measure(&texts)?;
    report(&format!("fingerprint ({blocks} blocks)"), fs, fb);
    report(
        &format!("document decision ({} documents)", texts.len()),
        ds,
        db,
    );
    Ok(())
}
