#!/usr/bin/env bash
# Makes the pages of the grown dev set (eval/pages/NAME.txt) from public test pages of other
# extractors, with the naive extraction of ../shared/corpus (eval/naive_extract.py):
#   readability: github.com/mozilla/readability at a fixed commit (Apache-2.0), test/test-pages/*/source.html
#   inscriptis:  the inscriptis 2.7.6 sdist on PyPI (Apache-2.0), tests/html/real-world/*.html
# The texts of the pages belong to their publishers; they are made here, not committed.
# Never add pages from trafilatura, newspaper3k/4k or html-text test data: those are held out.
# Usage: eval/make_pages.sh [CACHE_DIR]   (needs git and pip, or READABILITY_GIT pointing at a clone)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/paradedup-eval}
readability_commit=ab4027a8b37669745016869a37a504727992b2ba
mkdir -p "$cache" "$here/pages"

repo=${READABILITY_GIT:-$cache/readability.git}
if ! git --git-dir="$repo" cat-file -e "$readability_commit^{commit}" 2>/dev/null; then
  rm -rf "$cache/readability.git"
  git clone --bare --quiet https://github.com/mozilla/readability "$cache/readability.git"
  repo=$cache/readability.git
fi
if [ ! -d "$cache/inscriptis-2.7.6" ]; then
  python3 -m pip download --quiet --no-deps --no-binary :all: inscriptis==2.7.6 -d "$cache"
  tar xzf "$cache/inscriptis-2.7.6.tar.gz" -C "$cache"
fi

n=0
while IFS=$'\t' read -r name source path lang; do
  case "$name" in ''|'#'*) continue ;; esac
  case "$source" in
    readability) git --git-dir="$repo" show "$readability_commit:$path" > "$cache/page.html" ;;
    inscriptis) cp "$cache/inscriptis-2.7.6/$path" "$cache/page.html" ;;
    *) echo "unknown source $source" >&2; exit 2 ;;
  esac
  python3 "$here/naive_extract.py" "$cache/page.html" > "$here/pages/$name.txt"
  n=$((n + 1))
done < "$here/pages.tsv"
echo "$n pages in $here/pages"
