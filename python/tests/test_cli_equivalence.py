"""Python's output is the CLI's, byte for byte: default options file by file, other options on
the fixtures, and the removals the JSON report lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List

import pytest

import paradedup
from conftest import REPO, fixture_texts, read_text, rel, run_cli, text_cases


@pytest.mark.parametrize("path", text_cases())
def test_clean_is_the_cli_output(cli: Path, path: Path) -> None:
    expected = run_cli(cli, "clean", str(path)).stdout
    got = paradedup.clean(read_text(path)).encode("utf-8")
    assert got == expected


# Each set of flags and the same options as keywords.
OPTION_SETS = [
    (["--whole-blocks"], dict(whole_blocks=True)),
    (["--keep", "first"], dict(keep="first")),
    (["--unit", "line"], dict(unit="line")),
    (["--unit", "paragraph"], dict(unit="paragraph")),
    (["--metric", "sorensen-dice"], dict(metric="sorensen-dice")),
    (["--metric", "jaro-winkler", "--threshold", "0.9"], dict(metric="jaro-winkler", threshold=0.9)),
    (["--threshold", "0.7", "-j", "1"], dict(threshold=0.7, threads=1)),
]


def cli_outputs(cli: Path, tmp: Path, flags: List[str]) -> Dict[Path, bytes]:
    """One CLI run over every fixture text: the output of each, by input path."""
    paths = [p.relative_to(REPO) for p in fixture_texts()]
    run_cli(cli, "clean", "-q", *flags, "--out-dir", str(tmp), *map(str, paths))
    return {REPO / p: (tmp / p).read_bytes() for p in paths}


@pytest.mark.parametrize(
    "flags, options", OPTION_SETS, ids=[" ".join(f) for f, _ in OPTION_SETS]
)
def test_options_give_the_cli_output(cli: Path, tmp_path: Path, flags, options) -> None:
    expected = cli_outputs(cli, tmp_path, flags)
    deduper = paradedup.Deduper(**options)
    differ = [
        rel(p)
        for p, want in expected.items()
        if deduper.clean(read_text(p)).text.encode("utf-8") != want
    ]
    assert differ == []


def test_removals_are_the_reports(cli: Path, tmp_path: Path) -> None:
    """Block, byte range, kind, score and cuts of every removal and trim, as the JSON report."""
    paths = [p.relative_to(REPO) for p in fixture_texts()]
    report = tmp_path / "report.json"
    out = tmp_path / "out"
    run_cli(cli, "clean", "-q", "--report", str(report), "--out-dir", str(out), *map(str, paths))
    documents = json.loads(report.read_text())["documents"]
    assert len(documents) == len(paths)
    compared = 0
    for doc in documents:
        result = paradedup.Deduper().clean(read_text(REPO / doc["path"]))
        want = [
            (r["block"], tuple(r["bytes"]), r["kind"], r["score"], [tuple(c) for c in r.get("cuts", [])])
            for r in doc["removed"]
        ]
        got = [(r.block, (r.start, r.end), r.kind, round(r.score, 4), []) for r in result.removals]
        got += [(t.block, (t.start, t.end), "trimmed", round(t.score, 4), t.cuts) for t in result.trims]
        assert sorted(got) == sorted(want), doc["path"]
        compared += len(want)
    assert compared > 50
