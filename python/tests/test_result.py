"""Deduper.clean's Result: removal and trim ranges point at the real bytes of the input."""

from __future__ import annotations

from pathlib import Path

import pytest

import paradedup
from conftest import FIXTURES, read_text, text_cases

KINDS = {"exact", "near", "contained", "boilerplate"}


def check_ranges(text: str) -> paradedup.Result:
    """Asserts what every Result must satisfy, and returns it."""
    data = text.encode("utf-8")
    result = paradedup.Deduper().clean(text)
    clean = result.text.encode("utf-8")
    blocks = result.blocks
    assert all(0 <= s < e <= len(data) for s, e in blocks)
    assert all(a[1] <= b[0] for a, b in zip(blocks, blocks[1:])), "blocks in order, disjoint"
    removed = {r.block for r in result.removals}
    trimmed = {t.block for t in result.trims}
    assert not removed & trimmed
    for r in result.removals:
        assert r.kind in KINDS and 0.0 <= r.score <= 1.0
        assert (r.start, r.end) == blocks[r.block]
        data[r.start : r.end].decode("utf-8")  # starts and ends at character boundaries
        assert r.kept and r.kept == [blocks[k] for k in r.kept_blocks]
        assert not removed & set(r.kept_blocks), "the content stays in kept blocks"
        assert r.why
    cut_bytes = 0
    for t in result.trims:
        assert (t.start, t.end) == blocks[t.block]
        assert t.cuts and all(t.start <= s < e <= t.end for s, e in t.cuts)
        assert t.kept == [blocks[k] for k in t.kept_blocks]
        assert not removed & set(t.kept_blocks)
        cut_bytes += sum(e - s for s, e in t.cuts)
    gone = sum(r.end - r.start for r in result.removals)
    assert len(clean) <= len(data) - gone - cut_bytes
    # Every kept block that is not trimmed is in the clean text, in order.
    at = 0
    for i, (s, e) in enumerate(blocks):
        if i in removed or i in trimmed:
            continue
        found = clean.find(data[s:e], at)
        assert found >= 0, f"kept block {i} is in the clean text"
        at = found + (e - s)
    assert result.changed == bool(result.removals or result.trims)
    return result


@pytest.mark.parametrize("path", text_cases())
def test_ranges_point_at_real_bytes(path: Path) -> None:
    check_ranges(read_text(path))


def test_offsets_are_utf8_bytes_not_characters() -> None:
    line = "Ein Satz über Größe und Maß, ganz ohne Änderung hier."
    text = f"Überschrift — ½ €\n{line}\nAnderer Text, der bleibt.\n{line}\n"
    result = check_ranges(text)
    assert result.text == f"Überschrift — ½ €\n{line}\nAnderer Text, der bleibt.\n"
    [r] = result.removals
    assert r.kind == "exact" and r.score == 1.0
    data = text.encode("utf-8")
    assert data[r.start : r.end].decode("utf-8") == line
    at = text.rindex(line)  # a str index
    assert r.start == len(text[:at].encode("utf-8")) > at  # multibyte characters before it
    [(ks, ke)] = r.kept
    assert data[ks:ke].decode("utf-8") == line


def test_a_trim_lists_its_cuts() -> None:
    text = read_text(FIXTURES / "cases" / "trim-teaser-run-into-lead.txt")
    result = check_ranges(text)
    assert result.removals == []
    [t] = result.trims
    data = text.encode("utf-8")
    teaser = b"The old river bridge reopened to traffic on Friday after eight months of repairs."
    assert (t.start, t.end) == result.blocks[1] and data[t.start :].startswith(teaser + teaser[:-1])
    assert [data[s:e] for s, e in t.cuts] == [teaser]
    assert t.kept_blocks == [1] and 0 < t.score < 1
    assert result.text.encode("utf-8") == data[: t.cuts[0][0]] + data[t.cuts[0][1] :]


def test_nothing_to_remove() -> None:
    result = paradedup.Deduper().clean("One line.\nAnother line.\n")
    assert result.text == "One line.\nAnother line.\n"
    assert result.removals == [] and result.trims == [] and not result.changed
    assert len(result.blocks) == 2
    assert paradedup.clean("") == ""


def test_repr() -> None:
    result = paradedup.Deduper().clean("a\nb\na\n")
    assert repr(result) == "Result(text=<4 characters>, blocks=3, removals=1, trims=0)"
    assert repr(result.removals[0]).startswith("Removal(block=2, start=4, end=5, kind='exact'")
