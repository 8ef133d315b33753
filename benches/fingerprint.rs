//! Speed of the two stages of cleaning one document, in nanoseconds per byte of text: the
//! fingerprint stage alone (normalization, tokens, hashes, winnowed grams), and the whole
//! in-document decision (`dedup_text`: segmenting, fingerprints, candidates, coverage, the near
//! check), single-threaded.
//!
//! `cargo bench --bench fingerprint -- DUMP.jsonl [RECORDS]` reads the text field of the first
//! RECORDS records (8,000 by default) of a JSONL dump (`bench/dump.sh` writes them under
//! `bench/out/`) and reports the best of 7 passes of each stage. The figures are for comparing
//! two builds on the same machine, one run after the other.

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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(path) = args.first() else {
        return Err("usage: cargo bench --bench fingerprint -- DUMP.jsonl [RECORDS]".into());
    };
    let records: usize = args.get(1).map_or(Ok(8000), |n| n.parse())?;
    let data = std::fs::read_to_string(path)?;
    let mut texts: Vec<String> = Vec::new();
    for line in data.lines().take(records) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let text = v["text"].as_str().ok_or("a record without a text field")?;
        texts.push(text.to_string());
    }
    let blocks: Vec<&str> = texts
        .iter()
        .flat_map(|t| t.split('\n'))
        .filter(|b| !b.trim().is_empty())
        .collect();
    let block_bytes: usize = blocks.iter().map(|b| b.len()).sum();
    let seconds = best_of_7(|| {
        blocks.iter().fold(0, |acc, b| {
            let f = paradedup::fingerprint::features(b);
            acc ^ f.key_hash ^ f.minimizers.len() as u64
        })
    });
    report(
        &format!("fingerprint ({} blocks)", blocks.len()),
        seconds,
        block_bytes,
    );
    let options = paradedup::Options::default();
    let text_bytes: usize = texts.iter().map(String::len).sum();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let seconds = pool.install(|| {
        best_of_7(|| {
            texts.iter().fold(0, |acc, t| {
                acc ^ paradedup::dedup_text(t, &options).removals.len() as u64
            })
        })
    });
    report(
        &format!("document decision ({} documents)", texts.len()),
        seconds,
        text_bytes,
    );
    Ok(())
}
