//! What every renderer of the verdict shares: percentages, the kinds line, the threshold lines.

use super::{removed_blocks, Figures, Threshold, Verdict};

pub(super) fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// `36.89% of 4689 bytes removable`: the overall rate in words.
pub(super) fn removable(o: &Figures) -> String {
    format!("{} of {} bytes removable", pct(o.rate), o.bytes_in)
}

pub(super) fn kinds_text(f: &Figures) -> String {
    let k = &f.removed_by_kind;
    let mut s = format!(
        "{} exact, {} near, {} contained",
        k.exact, k.near, k.contained
    );
    if k.boilerplate > 0 {
        s.push_str(&format!(", {} boilerplate", k.boilerplate));
    }
    if k.trimmed > 0 {
        s.push_str(&format!(", {} trimmed", k.trimmed));
    }
    s
}

/// The thresholds as people read them: `max rate 5.00%: FAIL (36.88%)`.
pub(super) fn threshold_lines(v: &Verdict) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let failed = |t: Threshold| v.failures.iter().any(|f| f.threshold == t);
    if let Some(m) = v.max_rate {
        out.push((
            format!(
                "max rate {}: {} ({})",
                pct(m),
                if failed(Threshold::MaxRate) {
                    "FAIL"
                } else {
                    "pass"
                },
                pct(v.counted.rate)
            ),
            !failed(Threshold::MaxRate),
        ));
    }
    if let Some(m) = v.max_blocks {
        out.push((
            format!(
                "max blocks {m}: {} ({})",
                if failed(Threshold::MaxBlocks) {
                    "FAIL"
                } else {
                    "pass"
                },
                removed_blocks(&v.counted)
            ),
            !failed(Threshold::MaxBlocks),
        ));
    }
    if let Some(m) = v.max_file_rate {
        let n = v
            .failures
            .iter()
            .filter(|f| f.threshold == Threshold::MaxFileRate)
            .count();
        out.push((
            format!(
                "max file rate {}: {}",
                pct(m),
                if n == 0 {
                    "pass".to_string()
                } else {
                    format!("FAIL ({n} files above)")
                }
            ),
            n == 0,
        ));
    }
    out
}
