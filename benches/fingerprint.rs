//! Speed of the fingerprint stage alone (normalization, tokens, hashes, winnowed grams), in
//! nanoseconds per byte of block text: the stage that takes about half of a document-scope run.
//!
//! `cargo bench --bench fingerprint -- DUMP.jsonl [RECORDS]` reads the text field of the first
//! RECORDS records (8,000 by default) of a JSONL dump (`bench/dump.sh` writes them under
//! `bench/out/`), splits it into lines and reports the best of 7 passes. The figure is for
//! comparing two builds on the same machine, one run after the other.

use std::time::Instant;

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
    let mut blocks: Vec<String> = Vec::new();
    for line in data.lines().take(records) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let text = v["text"].as_str().ok_or("a record without a text field")?;
        blocks.extend(
            text.split('\n')
                .filter(|b| !b.trim().is_empty())
                .map(String::from),
        );
    }
    let bytes: usize = blocks.iter().map(String::len).sum();
    let mut best = f64::MAX;
    for _ in 0..7 {
        let start = Instant::now();
        let mut acc = 0u64;
        for b in &blocks {
            let f = paradedup::fingerprint::features(b);
            acc ^= f.key_hash ^ f.minimizers.len() as u64;
        }
        std::hint::black_box(acc);
        best = best.min(start.elapsed().as_secs_f64());
    }
    #[expect(clippy::cast_precision_loss, reason = "a figure to read")]
    let per_byte = best * 1e9 / bytes.max(1) as f64;
    println!(
        "{} blocks, {:.1} MB: best of 7 {:.3} s, {per_byte:.2} ns/byte",
        blocks.len(),
        bytes as f64 / 1e6,
        best
    );
    Ok(())
}
