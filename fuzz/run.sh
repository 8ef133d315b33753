#!/usr/bin/env bash
# Fuzz paradedup with AFL++: fuzz/run.sh TARGET|all SECONDS
#
# Builds the targets (`cargo afl build --release`), runs `cargo afl fuzz` on each for SECONDS
# (one instance each, one after the other), seeded from fuzz/corpus/TARGET/ and writing to
# fuzz/out/TARGET/ (gitignored), then minimizes the corpus with the new queue entries
# (afl-cmin, edge coverage) and adds the queue entries it keeps to fuzz/corpus/TARGET/ (the
# hand-made seeds stay), and prints the figures of fuzzer_stats.
# Crashes and hangs stay in fuzz/out/TARGET/default/{crashes,hangs}/: reproduce one with
#   fuzz/target/release/TARGET < FILE
# and keep it as a regression in fuzz/crashes/TARGET/ (the root test `fuzz_corpus` replays
# both folders). Needs `cargo install cargo-afl`. Runs at nice 19; AFL_NO_AFFINITY=1 lets
# several instances share the cores (run two targets at once from two shells).
#
# Environment: NICE (default 19), AFL_TIMEOUT_MS (per-input limit, default 2000+: the `+`
# skips seeds that exceed it), NO_CMIN=1 keeps the corpus as it is.
set -euo pipefail
cd "$(dirname "$0")"

TARGETS=(segment_normalize jsonl_record dedup_invariants check_reporters)
usage() {
  echo "usage: fuzz/run.sh TARGET|all SECONDS   (TARGET: ${TARGETS[*]})" >&2
  exit 2
}
[ $# -eq 2 ] || usage
case "$2" in '' | *[!0-9]*) usage ;; esac
if [ "$1" = all ]; then
  chosen=("${TARGETS[@]}")
else
  [[ " ${TARGETS[*]} " == *" $1 "* ]] || usage
  chosen=("$1")
fi
seconds=$2
nice_level=${NICE:-19}

export AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1 AFL_QUIET=1

echo "== cargo afl build --release"
nice -n "$nice_level" cargo afl build --release --locked

# `cargo afl cmin` runs AFL++'s Python afl-cmin, which (AFL++ 4.40c, afl.rs 0.18.2) finds
# "0 unique tuples" in every input of these persistent-mode targets and keeps nothing; its
# shell version, beside it in afl.rs's AFL++ build, works. Use that one when it is there.
afl_bin=$(ls -d "${XDG_DATA_HOME:-$HOME/.local/share}"/afl.rs/rustc-"$(rustc -V | cut -d' ' -f2)"-*/afl.rs-*/afl/bin 2>/dev/null | tail -1 || true)
if [ -n "$afl_bin" ] && [ -x "$afl_bin/afl-cmin.bash" ]; then
  export AFL_PATH=$afl_bin
  cmin=("$afl_bin/afl-cmin.bash")
else
  cmin=(cargo afl cmin)
fi

stat_of() { # FILE KEY
  awk -F' *: *' -v k="$2" '$1 == k { print $2 }' "$1"
}

for t in "${chosen[@]}"; do
  out=out/$t
  # Each run starts from the corpus (which holds what the last run's cmin added); the last
  # run's output, its crashes and hangs included, moves to out/TARGET.prev.
  if [ -d "$out" ]; then
    rm -rf "$out.prev"
    mv "$out" "$out.prev"
  fi
  mkdir -p "$out"
  echo "== $t: cargo afl fuzz for ${seconds}s (output in fuzz/$out)"
  # -V: stop after SECONDS.
  nice -n "$nice_level" cargo afl fuzz -V "$seconds" -t "${AFL_TIMEOUT_MS:-2000+}" \
    -i "corpus/$t" -o "$out" -- "target/release/$t" >"$out/afl.log" 2>&1 || {
    echo "afl-fuzz failed for $t (see fuzz/$out/afl.log):" >&2
    tail -20 "$out/afl.log" >&2
    exit 1
  }
  stats=$out/default/fuzzer_stats
  if [ -z "${NO_CMIN:-}" ]; then
    # The corpus and the queue, minimized: the smallest set of inputs with the same coverage.
    merged=$out/cmin-in
    minimized=$out/cmin-out
    rm -rf "$merged" "$minimized"
    mkdir -p "$merged"
    cp corpus/"$t"/* "$merged"/
    # Queue entries under 64 KiB, named by content (the same input twice is one file).
    find "$out/default/queue" -maxdepth 1 -type f -name 'id:*' -size -64k \
      -exec sh -c 'for f; do cp "$f" "$0/q-$(sha1sum <"$f" | cut -c1-16)"; done' \
      "$merged" {} +
    # -e: edges only (hit counts would keep hundreds of near-equal inputs).
    if nice -n "$nice_level" "${cmin[@]}" -e -t "${AFL_TIMEOUT_MS:-2000}" -i "$merged" \
      -o "$minimized" -- "target/release/$t" >"$out/cmin.log" 2>&1; then
      # Keep the hand-made seeds by name; add the queue entries cmin kept that the corpus does
      # not hold yet (the queue starts with copies of the seeds).
      known=$(for f in corpus/"$t"/*; do sha1sum <"$f"; done)
      added=0
      for f in "$minimized"/q-*; do
        [ -e "$f" ] || continue
        grep -q "^$(sha1sum <"$f" | cut -d' ' -f1) " <<<"$known" && continue
        cp "$f" corpus/"$t"/
        added=$((added + 1))
      done
      echo "   cmin: $(ls "$minimized" | wc -l) inputs keep the coverage; $added new ones added to fuzz/corpus/$t/"
    else
      echo "   cmin failed (see fuzz/$out/cmin.log); corpus left as it was" >&2
    fi
  fi
  echo "   execs_done=$(stat_of "$stats" execs_done) execs_per_sec=$(stat_of "$stats" execs_per_sec)" \
    "corpus_count=$(stat_of "$stats" corpus_count) bitmap_cvg=$(stat_of "$stats" bitmap_cvg)" \
    "saved_crashes=$(stat_of "$stats" saved_crashes) saved_hangs=$(stat_of "$stats" saved_hangs)" \
    "run_time=$(stat_of "$stats" run_time)s"
done
