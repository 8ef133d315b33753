#!/usr/bin/env bash
# Benchmark of `paradedup clean` on generated single documents (see README, "Performance").
#
#   bench/run.sh [SIZE]          # SIZE defaults to 100MB
#
# Builds release, generates (once, cached in bench/out/) a SIZE document with known repeats and
# a 2,000- and a 20,000-block document, then prints from this one run:
#   - clean's wall time, MB/s and peak RSS beside `awk '!seen[$0]++'` on the same bytes
#     (median of 3 interleaved runs each) and their ratio;
#   - precision and recall of clean's removals against the generator's ground truth;
#   - clean's time on the 20,000-block document beside the 2,000-block one (linear: ~10x).
# Needs: cargo, python3, GNU time (/usr/bin/time), awk. Timings are noisy: compare ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100MB}
out=bench/out
mkdir -p "$out"
cargo build --release --quiet
bin=target/release/paradedup
doc="$out/doc-$size.txt"
if [ ! -s "$doc" ] || [ ! -s "$doc.truth" ]; then
  python3 bench/gen_text.py --size "$size" --out "$doc" --truth "$doc.truth" --seed 7
fi
for n in 2000 20000; do
  [ -s "$out/lines-$n.txt" ] || python3 bench/gen_text.py --lines "$n" --out "$out/lines-$n.txt" --seed 11 2>/dev/null
done

# run LABEL CMD...: prints "seconds peak_kb" of one run (stdout of CMD discarded).
measure() {
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > /dev/null
  cat "$out/time.txt"
}
median() { sort -n | sed -n 2p; }

bytes=$(stat -c %s "$doc")
: > "$out/awk.txt"; : > "$out/clean.txt"
for _ in 1 2 3; do
  measure awk '!seen[$0]++' "$doc" >> "$out/awk.txt"
  measure "$bin" clean "$doc" >> "$out/clean.txt"
done
awk_s=$(cut -d' ' -f1 "$out/awk.txt" | median); awk_kb=$(cut -d' ' -f2 "$out/awk.txt" | median)
cl_s=$(cut -d' ' -f1 "$out/clean.txt" | median); cl_kb=$(cut -d' ' -f2 "$out/clean.txt" | median)

"$bin" clean "$doc" --report "$out/report.json" -o "$out/clean-out.txt"
python3 - "$out/report.json" "$doc.truth" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
removed = {r["lines"][0] for d in rep["documents"] for r in d["removed"]}
truth = {int(x) for x in open(sys.argv[2])}
tp = len(removed & truth)
print(f"accuracy vs ground truth: precision {tp / max(1, len(removed)):.4f} ({tp} / {len(removed)}), "
      f"recall {tp / max(1, len(truth)):.4f} ({tp} / {len(truth)})")
k = rep["totals"]["removed_by_kind"]
print(f"removed by kind: exact {k['exact']}, near {k['near']}, contained {k['contained']}; "
      f"rate {rep['totals']['rate']:.4f}")
PY

# Small documents finish in milliseconds: time them in-process, best of 7.
read -r small large < <(python3 - "$bin" "$out/lines-2000.txt" "$out/lines-20000.txt" <<'PY'
import subprocess, sys, time
def best(path):
    t = []
    for _ in range(7):
        s = time.perf_counter()
        subprocess.run([sys.argv[1], "clean", path], stdout=subprocess.DEVNULL, check=True)
        t.append(time.perf_counter() - s)
    return min(t)
print(best(sys.argv[2]), best(sys.argv[3]))
PY
)

python3 - "$bytes" "$awk_s" "$awk_kb" "$cl_s" "$cl_kb" "$small" "$large" "$(nproc)" <<'PY'
import sys
b, awk_s, awk_kb, cl_s, cl_kb, small, large, cores = sys.argv[1:]
b = int(b); awk_s, cl_s, small, large = map(float, (awk_s, cl_s, small, large))
mb = b / 1e6
print(f"input: {mb:.1f} MB, one document; {cores} cores")
print(f"| command | seconds | MB/s | peak RSS |")
print(f"|---|---|---|---|")
print(f"| awk '!seen[$0]++' | {awk_s:.2f} | {mb / awk_s:.0f} | {int(awk_kb) / 1024:.0f} MB |")
print(f"| paradedup clean | {cl_s:.2f} | {mb / cl_s:.0f} | {int(cl_kb) / 1024:.0f} MB |")
print(f"clean / awk time: {cl_s / awk_s:.2f}x (goal: at most 2x)")
print(f"20,000 blocks: {large * 1000:.1f} ms; 2,000 blocks: {small * 1000:.1f} ms; ratio {large / small:.1f}x (linear: ~10x; process start-up included)")
PY
