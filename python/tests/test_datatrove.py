"""paradedup.datatrove.ParadedupClean: a datatrove step whose output is paradedup.clean's.

The tests that run the step need datatrove (``pip install datatrove``, Python 3.10+) and are
skipped, saying so, without it; the import guards run either way.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from typing import List

import pytest

import paradedup

HAS_DATATROVE = importlib.util.find_spec("datatrove") is not None
needs_datatrove = pytest.mark.skipif(
    not HAS_DATATROVE,
    reason="datatrove is not installed (pip install datatrove; it needs Python 3.10 or newer)",
)

# Small documents with something to remove, something to keep, non-ASCII text, a blank one.
SMALL = [
    "Read more\n\nThe council met on Monday to vote on the budget.\n\nRead more\n",
    "a\nb\na\n",
    "",
    "  \n\n",
    "Café de la Gare: ouvert.\n\nCafé de la Gare: ouvert.\n\nMenu du jour\n",
    "one line, nothing to remove\n",
    "Share this\nThe storm closed the bridge.\nShare this\nShare this!\n",
]


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )


def test_import_paradedup_does_not_import_datatrove() -> None:
    done = run_python("import sys, paradedup; print('datatrove' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_without_datatrove_the_import_error_says_what_to_install() -> None:
    # sys.modules["datatrove"] = None makes `import datatrove...` fail as if it were absent.
    done = run_python(
        "import sys\n"
        "sys.modules['datatrove'] = None\n"
        "try:\n"
        "    import paradedup.datatrove\n"
        "except ImportError as e:\n"
        "    print(type(e).__name__, '|', e)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ImportError | paradedup.datatrove needs datatrove"), done.stdout
    assert "pip install datatrove" in done.stdout


@needs_datatrove
def test_a_missing_dependency_of_datatrove_is_not_reported_as_datatrove_missing() -> None:
    done = run_python(
        "import sys\n"
        "sys.modules['humanize'] = None\n"
        "try:\n"
        "    import paradedup.datatrove\n"
        "except ImportError as e:\n"
        "    print(type(e).__name__, e.name)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ModuleNotFoundError humanize"


@needs_datatrove
def test_the_step_imports_only_datatrove_core() -> None:
    # Not datatrove.pipeline.formatters, whose __init__ needs `regex` (datatrove[processing]).
    done = run_python(
        "import sys, paradedup.datatrove\n"
        "print(sorted(m for m in sys.modules if m.startswith('datatrove.pipeline.')))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['datatrove.pipeline.base']"


def docs(texts: List[str]) -> list:
    from datatrove.data import Document

    return [Document(text=t, id=str(i), metadata={"source": i}) for i, t in enumerate(texts)]


@needs_datatrove
@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_output_is_clean_of_each_document_in_order(
    batch_size: int, corpus_texts: List[str]
) -> None:
    from paradedup.datatrove import ParadedupClean

    texts = SMALL + corpus_texts
    step = ParadedupClean(batch_size=batch_size, threads=2)
    out = list(step.run(iter(docs(texts))))
    assert [d.id for d in out] == [str(i) for i in range(len(texts))]
    assert [d.text for d in out] == [paradedup.clean(t) for t in texts]
    for d, t in zip(out, texts):
        removed = len(t.encode("utf-8")) - len(d.text.encode("utf-8"))
        assert d.metadata == {"source": int(d.id), "paradedup_bytes_removed": removed}


@needs_datatrove
def test_stats_count_documents_changes_bytes_and_batches() -> None:
    from paradedup.datatrove import ParadedupClean

    step = ParadedupClean(batch_size=3)
    out = list(step.run(iter(docs(SMALL))))
    stats = step.stats
    changed = [d for d, t in zip(out, SMALL) if d.text != t]
    removed = sum(d.metadata["paradedup_bytes_removed"] for d in out)
    assert len(changed) == 4 and removed > 0
    assert stats["total"].total == len(SMALL)
    assert stats["changed"].total == len(changed)
    assert stats["bytes_removed"].total == removed
    assert stats["bytes_removed"].n == len(SMALL)
    assert stats["batches"].total == 3  # 7 documents in batches of 3
    assert step.stats.time_stats.n == 3


@needs_datatrove
def test_options_reach_the_deduper() -> None:
    from paradedup.datatrove import ParadedupClean

    options = dict(unit="line", threshold=0.7, metric="jaro-winkler", keep="first",
                   whole_blocks=True)
    step = ParadedupClean(batch_size=2, **options)
    out = list(step.run(iter(docs(SMALL))))
    assert [d.text for d in out] == [paradedup.clean(t, **options) for t in SMALL]
    assert step.deduper.keep == "first" and step.deduper.whole_blocks is True


@needs_datatrove
def test_bad_options_fail_when_the_step_is_built() -> None:
    from paradedup.datatrove import ParadedupClean

    with pytest.raises(paradedup.OptionError, match="threshold 1.5 is outside 0..1"):
        ParadedupClean(threshold=1.5)
    with pytest.raises(ValueError, match="batch_size 0 is less than 1"):
        ParadedupClean(batch_size=0)
    with pytest.raises(TypeError, match="batch_size must be an int"):
        ParadedupClean(batch_size=2.0)  # type: ignore[arg-type]


@needs_datatrove
def test_it_is_a_datatrove_step_of_the_formatter_type() -> None:
    from datatrove.pipeline.base import PipelineStep

    from paradedup.datatrove import ParadedupClean

    step = ParadedupClean()
    assert isinstance(step, PipelineStep)
    assert repr(step) == "✂️ - FORMAT: 🧹 paradedup"
    assert list(step.run(None)) == []
    assert list(step.run(iter([]))) == []


@needs_datatrove
def test_a_pickled_step_gives_the_same_output() -> None:
    # Executors send the pipeline to worker processes pickled (multiprocess, dill).
    import pickle

    from paradedup.datatrove import ParadedupClean

    step = pickle.loads(pickle.dumps(ParadedupClean(keep="first", batch_size=2)))
    assert step.batch_size == 2 and step.deduper.keep == "first"
    assert [d.text for d in step.run(iter(docs(SMALL)))] == [
        paradedup.clean(t, keep="first") for t in SMALL
    ]


@needs_datatrove
def test_no_document_is_dropped_or_blanked(corpus_texts: List[str]) -> None:
    # Every removed block has a kept copy in its document: a clean text is blank only when the
    # input was, which is why the step has no option to drop documents.
    from paradedup.datatrove import ParadedupClean

    texts = SMALL + corpus_texts
    out = list(ParadedupClean(whole_blocks=True).run(iter(docs(texts))))
    assert len(out) == len(texts)
    assert [bool(d.text.strip()) for d in out] == [bool(t.strip()) for t in texts]


@needs_datatrove
def test_in_a_local_pipeline(tmp_path) -> None:
    from datatrove.executor import LocalPipelineExecutor

    from paradedup.datatrove import ParadedupClean

    seen = []

    def collect(data, rank: int = 0, world_size: int = 1):
        for doc in data:
            seen.append(doc)
            yield doc

    executor = LocalPipelineExecutor(
        pipeline=[docs(SMALL), ParadedupClean(batch_size=2), collect],
        tasks=1,
        workers=1,  # in this process (the executor deep-copies the steps)
        logging_dir=str(tmp_path / "logs"),
    )
    stats = executor.run()
    assert [d.text for d in seen] == [paradedup.clean(t) for t in SMALL]
    step_stats = [s for s in stats.stats if s.name == "✂️ - FORMAT: 🧹 paradedup"]
    assert len(step_stats) == 1
    assert step_stats[0]["total"].total == len(SMALL)
    assert (tmp_path / "logs" / "stats.json").is_file()
