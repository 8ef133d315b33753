#!/usr/bin/env bash
# Benchmark of `paradedup clean` on JSONL dumps (see README, "Dumps: figures").
#
#   bench/dump.sh [SIZE...]        # default: 100MB 1GB
#
# Generates (once, cached in bench/out/) dumps with ground truth using ../shared/bench/gen_dump.py
# (needs: pip install numpy markov_draftjs), then prints for each size, from this one run:
#   - wall time, MB/s and peak RSS of document scope and of corpus scope, beside the floors:
#     `cat` over the dump and `awk '!seen[$0]++'` over the same text flattened to paragraph lines
#     (awk and paradedup both write to standard output redirected to a file; paradedup's `-o`,
#     which syncs its file before renaming it into place, is a row of its own; REPEAT=3 rounds,
#     each running every command once, so that the machine's slow and fast spells hit all rows
#     alike; the median per command is reported);
#   - precision and recall from ../shared/bench/score_dump.py (--mode within for document scope,
#     --mode cross for corpus scope) with its per-kind table.
# Timings are single runs on a noisy machine: compare the ratios to awk in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100MB 1GB)
shared=../shared/bench
out=bench/out
mkdir -p "$out"
python3 -c 'import numpy, markov_draftjs' 2>/dev/null || pip install --quiet numpy markov_draftjs
cargo build --release --quiet
bin=target/release/paradedup

# REPEAT rounds (default 3), each running every command once; the median time and peak RSS of
# each command are reported.
repeat=${REPEAT:-3}
run_once() { # run_once NAME TO CMD...: runs CMD with standard output to TO, appends "seconds peak_kb"
  local name=$1 to=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$to"
  cat "$out/time.txt" >> "$out/times-$name.txt"
}
median() { # median NAME: prints "seconds peak_kb", the median run of NAME
  sort -n "$out/times-$1.txt" | awk '{ s[NR] = $1; m[NR] = $2 } END { i = int((NR + 1) / 2); print s[i], m[i] }'
}

for size in "${sizes[@]}"; do
  dump="$out/dump-$size.jsonl"
  truth="$out/dump-$size.truth.jsonl"
  flat="$out/dump-$size.txt"
  if [ ! -s "$dump" ] || [ ! -s "$truth" ] || [ ! -s "$flat" ]; then
    python3 "$shared/gen_dump.py" --size "$size" --out "$dump" --truth "$truth" --txt "$flat" --seed 7 > /dev/null
  fi
  bytes=$(stat -c %s "$dump")
  rm -f "$out"/times-*.txt
  for _ in $(seq "$repeat"); do
    # cat only reads (the floor); awk and paradedup both write their output to a file.
    run_once cat /dev/null cat "$dump"
    run_once awk "$out/awk-$size.txt" awk '!seen[$0]++' "$flat"
    # Like awk, paradedup writes to standard output, redirected to a file; `-o` (a temporary
    # file, synced to disk, renamed over the target) is measured too, in document scope.
    run_once doc "$out/doc-$size.jsonl" "$bin" clean -q "$dump"
    run_once corpus "$out/corpus-$size.jsonl" "$bin" clean -q --scope corpus --boilerplate-min-docs 3 "$dump"
    run_once out /dev/null "$bin" clean -q "$dump" -o "$out/doc-o-$size.jsonl"
  done
  read -r cat_s cat_kb < <(median cat)
  read -r awk_s awk_kb < <(median awk)
  read -r doc_s doc_kb < <(median doc)
  read -r cor_s cor_kb < <(median corpus)
  read -r out_s out_kb < <(median out)
  cmp -s "$out/doc-$size.jsonl" "$out/doc-o-$size.jsonl" || { echo "-o and standard output differ" >&2; exit 1; }
  echo "== $size dump: $bytes bytes, $(wc -l < "$dump") records, $(nproc) cores"
  python3 - "$bytes" "$cat_s" "$cat_kb" "$awk_s" "$awk_kb" "$doc_s" "$doc_kb" "$cor_s" "$cor_kb" "$out_s" "$out_kb" <<'PY'
import sys
b = int(sys.argv[1]); v = list(map(float, sys.argv[2:]))
rows = [("cat (floor)", v[0], v[1]), ("awk '!seen[$0]++' (flattened text)", v[2], v[3]),
        ("paradedup clean (document scope)", v[4], v[5]),
        ("paradedup clean --scope corpus --boilerplate-min-docs 3", v[6], v[7]),
        ("paradedup clean -o FILE (document scope; synced, renamed)", v[8], v[9])]
print("| command | seconds | MB/s | peak RSS | time / awk |")
print("|---|---|---|---|---|")
for name, s, kb in rows:
    print(f"| {name} | {s:.2f} | {b / 1e6 / max(s, 1e-3):.0f} | {kb / 1024:.0f} MB | {s / max(v[2], 1e-3):.2f}x |")
PY
  echo "document scope:"
  python3 "$shared/score_dump.py" --dump "$dump" --truth "$truth" --out "$out/doc-$size.jsonl" --mode within
  echo "corpus scope:"
  python3 "$shared/score_dump.py" --dump "$dump" --truth "$truth" --out "$out/corpus-$size.jsonl" --mode cross
done
