#!/usr/bin/env bash
# Scores a deduplicator on the whole dev set: the 32 pages of ../shared/labels_dev.jsonl and the
# pages labeled here (eval/labels_new.jsonl, built by eval/build_labels.py from eval/labels/).
# Usage: eval/score_all.sh [score.py options] -- COMMAND...
#   eval/score_all.sh -- ./target/release/paradedup clean
# Pages under eval/pages are made by eval/make_pages.sh; ../shared is the team's shared folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=${PARADEDUP_SHARED:-$repo/../shared}
# A file being written by someone else is refused and left out; the others are scored.
python3 "$here/build_labels.py" >/dev/null || true
farm=$(mktemp -d)
trap 'rm -rf "$farm"' EXIT
ln -s "$(cd "$shared" && pwd)" "$farm/shared"
ln -s "$here" "$farm/eval"
cat "$shared/labels_dev.jsonl" "$here/labels_new.jsonl" > "$farm/labels.jsonl"
python3 "$shared/eval/score.py" --labels "$farm/labels.jsonl" --root "$farm" "$@"
