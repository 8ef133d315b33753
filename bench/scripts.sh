#!/usr/bin/env bash
# Throughput per script, time against block count on phrase-heavy documents, and peak memory
# (issue 12). Run by hand, not in CI:
#
#   bench/scripts.sh [SIZE]        # SIZE of each per-script dump, default 12MB
#   BIN=path/to/paradedup bench/scripts.sh   # measure another build (default: cargo build --release)
#
# Generates (once, cached in bench/out/scripts/) with bench/gen_scripts.py:
#   - a JSONL dump per script (ascii, latin, latin with \u escapes, cyrillic, greek, arabic,
#     hebrew, devanagari, thai, cjk, hangul) and a multilingual one;
#   - phrase-heavy single documents of 10k, 20k, 40k, 80k, 200k and 400k lines.
# Prints, from this one run (medians of 3 interleaved runs; compare ratios, machines are noisy):
#   1. `clean -j1` MB/s per script and its ratio to ASCII (goal >= 0.8x), awk's MB/s beside;
#   2. `clean -j1` on the phrase-heavy documents: seconds, peak RSS, and the ratio of each time
#      to the one of a tenth (or half) as many lines (linear: 10x, 2x);
#   3. `clean` (all threads) on the multilingual dump, document and corpus scope, against awk;
#   4. peak memory of `clean` (all threads) on one large document, against the input's size and
#      awk's: 100 MB of prose (bench/gen_text.py), 1 M distinct short lines, 1 M identical ones.
# Needs: cargo, python3, GNU time (/usr/bin/time), awk.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-12MB}
out=bench/out/scripts
mkdir -p "$out"
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/paradedup
fi
scripts="ascii latin latin-esc cyrillic greek arabic hebrew devanagari thai cjk hangul"
for s in $scripts; do
  f="$out/$s-$size.jsonl"
  [ -s "$f" ] && continue
  if [ "$s" = latin-esc ]; then
    python3 bench/gen_scripts.py jsonl --script latin --escape --size "$size" --out "$f"
  else
    python3 bench/gen_scripts.py jsonl --script "$s" --size "$size" --out "$f"
  fi
done
mixed="$out/mixed-100MB.jsonl"
[ -s "$mixed" ] || python3 bench/gen_scripts.py mixed --size 100MB --out "$mixed"
lines="10000 20000 40000 80000 200000 400000"
prose="$out/prose-100MB.txt"
[ -s "$prose" ] || python3 bench/gen_text.py --size 100MB --out "$prose" --seed 7 2> /dev/null
[ -s "$out/short-distinct.txt" ] ||
  python3 bench/gen_scripts.py short --lines 1000000 --out "$out/short-distinct.txt"
[ -s "$out/short-same.txt" ] ||
  python3 bench/gen_scripts.py short --lines 1000000 --same --out "$out/short-same.txt"
for n in $lines; do
  f="$out/phrases-$n.txt"
  [ -s "$f" ] || python3 bench/gen_scripts.py phrases --lines "$n" --out "$f"
done

# measure CMD...: prints "seconds peak_kb" of one run (stdout discarded).
measure() {
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > /dev/null
  cat "$out/time.txt"
}
# median3 A B C (of "seconds kb" lines on stdin): the median line by seconds.
median() { sort -n | sed -n 2p; }

echo "== 1. throughput per script, clean -j1 (median of 3), $size each"
printf '%-12s %9s %9s %10s %9s\n' script "MB/s" "x ASCII" "awk MB/s" "peak MB"
ascii_rate=""
for s in $scripts; do
  f="$out/$s-$size.jsonl"
  bytes=$(stat -c %s "$f")
  : > "$out/c.txt"; : > "$out/a.txt"
  for _ in 1 2 3; do
    measure "$BIN" clean -q -j1 "$f" >> "$out/c.txt"
    measure awk '!seen[$0]++' "$f" >> "$out/a.txt"
  done
  read -r cs ckb < <(median < "$out/c.txt")
  read -r as _ < <(median < "$out/a.txt")
  rate=$(python3 -c "print(round($bytes/1e6/max($cs,0.005), 1))")
  arate=$(python3 -c "print(round($bytes/1e6/max($as,0.005), 1))")
  [ -z "$ascii_rate" ] && ascii_rate=$rate
  ratio=$(python3 -c "print(round($rate/$ascii_rate, 2))")
  printf '%-12s %9s %9s %10s %9s\n' "$s" "$rate" "$ratio" "$arate" "$((ckb / 1024))"
done

echo
echo "== 2. phrase-heavy single documents, clean -j1 (median of 3)"
printf '%-8s %9s %9s %9s %9s %11s\n' lines MB seconds "peak MB" "x input" "time ratio"
prev_s=""; prev_n=""
declare -A secs
for n in $lines; do
  f="$out/phrases-$n.txt"
  bytes=$(stat -c %s "$f")
  : > "$out/c.txt"
  for _ in 1 2 3; do measure "$BIN" clean -q -j1 "$f" >> "$out/c.txt"; done
  read -r cs ckb < <(median < "$out/c.txt")
  secs[$n]=$cs
  ratio=""
  for base in $((n / 10)) $((n / 2)); do
    if [ -n "${secs[$base]:-}" ]; then
      ratio="$ratio $(python3 -c "print('%dx:%.1f' % ($n//$base, $cs/max(${secs[$base]},0.005)))")"
    fi
  done
  printf '%-8s %9.1f %9s %9s %9.1f %11s\n' "$n" "$(python3 -c "print($bytes/1e6)")" "$cs" \
    "$((ckb / 1024))" "$(python3 -c "print($ckb*1024/$bytes)")" "${ratio:- }"
done
big="$out/phrases-400000.txt"
: > "$out/a.txt"
for _ in 1 2 3; do measure awk '!seen[$0]++' "$big" >> "$out/a.txt"; done
read -r as _ < <(median < "$out/a.txt")
echo "awk on the 400k-line document: ${as} s (clean -j1: ${secs[400000]} s, $(python3 -c "print(round(${secs[400000]}/max($as,0.005), 2))")x)"

echo
echo "== 3. multilingual dump (100 MB, mixed scripts, half escaped), all threads (median of 3)"
bytes=$(stat -c %s "$mixed")
: > "$out/a.txt"; : > "$out/d.txt"; : > "$out/c.txt"
for _ in 1 2 3; do
  measure awk '!seen[$0]++' "$mixed" >> "$out/a.txt"
  measure "$BIN" clean -q "$mixed" >> "$out/d.txt"
  measure "$BIN" clean -q --scope corpus "$mixed" >> "$out/c.txt"
done
read -r as _ < <(median < "$out/a.txt")
read -r ds dkb < <(median < "$out/d.txt")
read -r cs ckb < <(median < "$out/c.txt")
python3 - "$bytes" "$as" "$ds" "$dkb" "$cs" "$ckb" <<'PY'
import sys
b, a, d, dkb, c, ckb = sys.argv[1:]
b, a, d, c = int(b), float(a), float(d), float(c)
print("awk              %6.2f s  %6.1f MB/s" % (a, b / 1e6 / a))
print("document scope   %6.2f s  %6.1f MB/s  %5.2fx awk  peak %d MB" % (d, b / 1e6 / d, d / a, int(dkb) // 1024))
print("corpus scope     %6.2f s  %6.1f MB/s  %5.2fx awk  peak %d MB" % (c, b / 1e6 / c, c / a, int(ckb) // 1024))
PY

echo
echo "== 4. one large document, all threads (median of 3): peak memory against the input"
printf '%-16s %8s %9s %9s %9s %9s %10s\n' document MB seconds "peak MB" "x input" "awk s" "awk peak"
for f in "$prose" "$out/short-distinct.txt" "$out/short-same.txt" "$out/phrases-400000.txt"; do
  bytes=$(stat -c %s "$f")
  : > "$out/c.txt"; : > "$out/a.txt"
  for _ in 1 2 3; do
    measure "$BIN" clean -q "$f" >> "$out/c.txt"
    measure awk '!seen[$0]++' "$f" >> "$out/a.txt"
  done
  read -r cs ckb < <(median < "$out/c.txt")
  read -r as akb < <(median < "$out/a.txt")
  name=$(basename "$f" .txt)
  printf '%-16s %8.1f %9s %9s %9.1f %9s %10s\n' "$name" "$(python3 -c "print($bytes/1e6)")" "$cs" \
    "$((ckb / 1024))" "$(python3 -c "print($ckb*1024/$bytes)")" "$as" "$((akb / 1024)) MB"
done
