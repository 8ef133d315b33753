#!/usr/bin/env bash
# CI for the Python package: from a clean clone with only Rust, CPython 3.11 (3.9 or newer) and
# pip. Creates the virtual environment .venv-ci at the repository root (git-ignored; kept between
# runs, so the second run installs nothing), installs maturin, pytest, pyarrow and datatrove (on
# Python 3.10 or newer, which datatrove needs; on 3.9 its tests skip), builds the command line
# (the tests compare its output with Python's), builds the wheel (the ci-wheel profile: release without fat LTO) and installs it, then
# runs pytest on python/tests.
#
# The command line is built in the dev profile (target/debug/paradedup, which `cargo test` at the
# top builds too): its output is the release build's, and the release profile (fat LTO, one
# codegen unit) takes 5 minutes of a 2-core machine where dev takes 2. PARADEDUP_CLI=path uses
# another build.
#
#   bash python/ci.sh            # PYTHON=python3.12 bash python/ci.sh for another interpreter
#
# The shared folder (seed and corpus texts) is found at ../shared beside the repository; without
# it, those test cases are skipped and say why.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
export CARGO_TERM_COLOR=never

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python=$candidate; break; fi
  done
fi
if [ -z "$python" ] || ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))'; then
  echo "python/ci.sh: no CPython 3.9 or newer (python3.11, python3; or set PYTHON)" >&2
  exit 2
fi

venv=.venv-ci
if [ ! -x "$venv/bin/python" ]; then
  echo "== $python -m venv $venv"
  "$python" -m venv "$venv"
fi
packages=("maturin>=1.5,<2" "pytest>=7" "pyarrow>=10")
# datatrove for paradedup.datatrove's tests: 0.2 is the oldest release they pass on.
if "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  packages+=("datatrove>=0.2")
fi
echo "== pip install ${packages[*]}"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}"

if [ -z "${PARADEDUP_CLI:-}" ]; then
  echo "== cargo build --locked --bin paradedup (the command line the tests compare with)"
  cargo build --locked --quiet --bin paradedup
  export PARADEDUP_CLI=$PWD/target/debug/paradedup
fi

echo "== maturin build --profile ci-wheel (the wheel: release without fat LTO), pip install it"
wheels=target/python-ci-wheels
rm -rf "$wheels"
"$venv/bin/maturin" build --quiet --profile ci-wheel --locked --manifest-path python/Cargo.toml \
  --interpreter "$venv/bin/python" --out "$wheels"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall \
  --no-deps "$wheels"/paradedup-*.whl

echo "== pytest python/tests"
# From the repository root, so that `import paradedup` is the installed wheel, not python/paradedup.
"$venv/bin/python" -m pytest -q -p no:cacheprovider -rs python/tests

echo "python/ci.sh: passed in $((SECONDS - start)) s"
