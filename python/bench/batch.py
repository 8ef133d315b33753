"""Benchmark: ``paradedup.clean_batch`` against the command line on a JSONL dump, same run.

The command line cleans the dump in document scope (``paradedup clean -jN -q DUMP -o
/dev/null``, the process's wall time: reading, JSON, cleaning, writing). The batch call cleans the
same documents (the ``text`` field of each record, parsed from the JSONL in Python before the
clock starts): from a list of str, and from a pyarrow ``large_string`` array when pyarrow is
installed. Each is run ``--repeat`` times, interleaved; the report gives the median wall times
and the ratio batch / command line (the goal: at most 1.2).

    python3 /work/shared/bench/gen_dump.py --size 100MB --seed 7 --out dump.jsonl
    cargo build --release
    .venv-ci/bin/python python/bench/batch.py dump.jsonl --threads 2 --repeat 5

``--check`` also compares the outputs: each batch text with the text of the command line's
output record (one more, untimed, run of the command line).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List

import paradedup

REPO = Path(__file__).resolve().parents[2]


def run_cli(cli: Path, dump: Path, threads: int, out: str = "/dev/null") -> float:
    env = dict(os.environ, PARADEDUP_NO_CONFIG="1")
    start = time.perf_counter()
    subprocess.run(
        [str(cli), "clean", f"-j{threads}", "-q", str(dump), "-o", out], check=True, env=env
    )
    return time.perf_counter() - start


def timed(f: Callable[[], object]) -> float:
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_dump = Path("/tmp/m/d/dump.jsonl")
    parser.add_argument(
        "dump", nargs="?", type=Path, default=default_dump if default_dump.exists() else None
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cli", type=Path, default=REPO / "target" / "release" / "paradedup")
    parser.add_argument("--check", action="store_true", help="compare the outputs too")
    args = parser.parse_args()
    if args.dump is None:
        parser.error("give the dump (python3 ../shared/bench/gen_dump.py --size 100MB --seed 7)")
    if not args.cli.is_file():
        parser.error(f"no command line at {args.cli}: cargo build --release")

    texts: List[str] = []
    with open(args.dump, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"])
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(
        f"{args.dump}: {len(texts)} documents, {size / 1e6:.1f} MB of text, "
        f"{args.dump.stat().st_size / 1e6:.1f} MB of JSONL; {args.threads} threads, "
        f"{os.cpu_count()} cores, paradedup {paradedup.__version__}",
        flush=True,
    )
    deduper = paradedup.Deduper(threads=args.threads)
    runs: Dict[str, Callable[[], float]] = {
        "cli": lambda: run_cli(args.cli, args.dump, args.threads),
        "batch (list of str)": lambda: timed(lambda: deduper.clean_batch(texts)),
    }
    try:
        import pyarrow as pa

        array = pa.array(texts, type=pa.large_string())
        runs["batch (pyarrow)"] = lambda: timed(lambda: deduper.clean_batch(array))
    except ImportError:
        print("pyarrow is not installed: no pyarrow run")

    deduper.clean_batch(texts[:100])  # the pool's threads start outside the clock
    times: Dict[str, List[float]] = {name: [] for name in runs}
    for _ in range(args.repeat):
        for name, run in runs.items():
            times[name].append(run())
    cli = statistics.median(times["cli"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(
            f"{name:22} median {med:6.3f} s  min {min(ts):6.3f} s  "
            f"{size / 1e6 / med:6.1f} MB/s  ratio to cli {med / cli:.3f}",
            flush=True,
        )

    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.jsonl"
            run_cli(args.cli, args.dump, args.threads, str(out))
            with open(out, encoding="utf-8") as f:
                want = [json.loads(line)["text"] for line in f if line.strip()]
        got = deduper.clean_batch(texts)
        differ = sum(a != b for a, b in zip(got, want)) + abs(len(got) - len(want))
        print(f"check: {len(got)} documents, {differ} differ from the command line's output")
        if differ:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
