"""clean_batch: the same output as clean, in input order, whatever the thread count; lists and
pyarrow arrays; the GIL released; usable after fork."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from typing import List

import pytest

import paradedup


def test_batch_is_clean_on_each(corpus_texts: List[str]) -> None:
    expected = [paradedup.clean(t) for t in corpus_texts]
    assert paradedup.clean_batch(corpus_texts) == expected
    assert paradedup.Deduper().clean_batch(corpus_texts) == expected
    assert [paradedup.Deduper().clean(t).text for t in corpus_texts] == expected


@pytest.mark.parametrize("options", [dict(whole_blocks=True), dict(keep="first", unit="line")])
def test_batch_is_clean_on_each_with_options(corpus_texts: List[str], options: dict) -> None:
    deduper = paradedup.Deduper(**options)
    assert deduper.clean_batch(corpus_texts) == [deduper.clean_text(t) for t in corpus_texts]


def test_output_does_not_depend_on_threads(corpus_texts: List[str]) -> None:
    texts = corpus_texts + corpus_texts[::-1]  # documents repeat; order is kept
    outputs = [paradedup.clean_batch(texts, threads=n) for n in (1, 2, 3, 8)]
    assert all(o == outputs[0] for o in outputs[1:])
    one = [paradedup.clean(t, threads=1) for t in corpus_texts[:40]]
    assert one == [paradedup.clean(t, threads=4) for t in corpus_texts[:40]]


def test_any_iterable_of_str() -> None:
    texts = ["a\nb\na\n", "", "x\n\nx\n"]
    expected = ["a\nb\n", "", "x\n"]
    assert paradedup.clean_batch(texts) == expected
    assert paradedup.clean_batch(tuple(texts)) == expected
    assert paradedup.clean_batch(t for t in texts) == expected
    assert paradedup.clean_batch([]) == []


def test_bad_batches_are_type_errors() -> None:
    with pytest.raises(TypeError, match="for one document, call clean"):
        paradedup.clean_batch("a\nb\n")
    with pytest.raises(TypeError, match=r"^texts\[1\] is NoneType, not str$"):
        paradedup.clean_batch(["a", None])
    with pytest.raises(TypeError):
        paradedup.clean_batch(42)


def test_the_gil_is_released(corpus_texts: List[str]) -> None:
    """Another Python thread runs while a batch is cleaned."""
    # At least ~6 MB of text, whether the shared corpus is there or only the fixtures.
    size = sum(len(t) for t in corpus_texts) or 1
    texts = corpus_texts * max(3, 6_000_000 // size)
    ticks = [0]
    done = threading.Event()

    def count() -> None:
        while not done.is_set():
            ticks[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.05)
        start = time.perf_counter()
        before = ticks[0]
        paradedup.clean_batch(texts, threads=1)
        elapsed = time.perf_counter() - start
        during = ticks[0] - before
    finally:
        done.set()
        counter.join()
    assert elapsed > 0.05, "the batch is long enough to measure"
    assert during > 1000, f"the counter ran {during} times in {elapsed:.2f} s"


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method: Linux only")
def test_works_in_a_forked_child(corpus_texts: List[str]) -> None:
    texts = corpus_texts[:20]
    expected = paradedup.clean_batch(texts, threads=2)  # the parent's pool exists
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        got = pool.apply_async(paradedup.clean_batch, (texts,), dict(threads=2)).get(timeout=120)
    assert got == expected


# pyarrow: optional.


@pytest.fixture(scope="module")
def pa():
    return pytest.importorskip("pyarrow", reason="pyarrow is not installed")


@pytest.mark.parametrize("type_name", ["string", "large_string"])
def test_pyarrow_in_pyarrow_out(pa, corpus_texts: List[str], type_name: str) -> None:
    arrow_type = getattr(pa, type_name)()
    array = pa.array(corpus_texts, type=arrow_type)
    out = paradedup.clean_batch(array, threads=2)
    assert isinstance(out, pa.Array) and out.type == arrow_type
    out.validate(full=True)
    assert out.to_pylist() == paradedup.clean_batch(corpus_texts)


def test_pyarrow_nulls_slices_and_chunks(pa, corpus_texts: List[str]) -> None:
    texts = [None, "a\nb\na\n", "", None] + corpus_texts[:30] + [None]
    expected = [None if t is None else paradedup.clean(t) for t in texts]
    array = pa.array(texts, type=pa.string())
    assert paradedup.clean_batch(array).to_pylist() == expected
    sliced = array.slice(3, 20)
    out = paradedup.clean_batch(sliced)
    out.validate(full=True)
    assert out.to_pylist() == expected[3:23]
    chunked = pa.chunked_array([array.slice(0, 5), array.slice(5)], type=pa.string())
    out = paradedup.clean_batch(chunked, threads=3)
    assert isinstance(out, pa.ChunkedArray) and out.num_chunks == 2
    out.validate(full=True)
    assert out.to_pylist() == expected
    empty = paradedup.clean_batch(pa.array([], type=pa.large_string()))
    assert empty.type == pa.large_string() and len(empty) == 0
    assert paradedup.clean_batch(pa.chunked_array([], type=pa.string())).to_pylist() == []


def test_pyarrow_other_types_are_refused(pa) -> None:
    with pytest.raises(TypeError, match="string or large_string"):
        paradedup.clean_batch(pa.array([1, 2]))
    with pytest.raises(TypeError, match="list of str or a pyarrow string array"):
        paradedup.clean_batch(pa.scalar("a\na\n"))


def test_pyarrow_invalid_utf8_is_an_input_error(pa) -> None:
    bad = pa.Array.from_buffers(
        pa.string(), 2, [None, pa.py_buffer(bytes([0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0])),
                         pa.py_buffer(b"ok\xff\xfe")]
    )
    if sys.byteorder != "little":
        pytest.skip("offsets written little-endian")
    with pytest.raises(paradedup.InputError, match="document 1 is not valid UTF-8"):
        paradedup.clean_batch(bad)


def test_documents_must_be_utf8_str() -> None:
    deduper = paradedup.Deduper()
    for call in (deduper.clean, deduper.clean_text, paradedup.clean):
        with pytest.raises(paradedup.InputError, match="^text is not valid UTF-8: "):
            call("fine\n\ud800\n")
        with pytest.raises(TypeError, match="^text is bytes, not str$"):
            call(b"a\n")  # type: ignore[arg-type]
    with pytest.raises(paradedup.InputError, match=r"^texts\[1\] is not valid UTF-8: "):
        paradedup.clean_batch(["ok", "\udcff"])
