"""A datatrove pipeline step that cleans each document: ``ParadedupClean``.

Needs datatrove (``pip install datatrove``, or ``pip install 'paradedup[datatrove]'``; datatrove
needs Python 3.10 or newer). ``import paradedup`` never imports this module; ``import
paradedup.datatrove`` without datatrove raises an ``ImportError`` that says so.

Add one line to a pipeline, anywhere after the step that makes ``doc.text``::

    from paradedup.datatrove import ParadedupClean

    pipeline = [
        JsonlReader("data/"),
        ParadedupClean(),            # the options of paradedup.Deduper, and batch_size
        JsonlWriter("out/"),
    ]

In a FineWeb-style pipeline, put it after the quality filters, just before the writer: the
filters then see the text they were tuned on (``GopherRepetitionFilter`` drops documents for
their repeated lines and paragraphs, which this step would otherwise have removed first).

The step is a ``PipelineStep`` of datatrove's formatter type ("✂️ - FORMAT", as
``FTFYFormatter`` and ``PIIFormatter``): it changes ``doc.text`` and keeps every document, in
order. It does not subclass ``BaseFormatter``, whose import imports all of datatrove's formatters
and their ``regex`` dependency, which a plain ``pip install datatrove`` lacks. It reads
``batch_size`` documents at a time and cleans them with one ``Deduper.clean_batch`` call (in
parallel on ``threads`` threads, without the GIL); each document's text becomes exactly what
``paradedup.clean`` gives for it, whatever the batch size.

It never drops a document: every block paradedup removes has a kept copy in the same document, so
a clean text is empty (or blank) only when the input was. Drop those with a filter if you want.

Per document, ``doc.metadata["paradedup_bytes_removed"]``: UTF-8 bytes removed (0 when
unchanged; always set, so every record has the same fields). Stats (in the executor's stats and
logs): ``total`` (documents), ``changed`` (documents whose text changed), ``bytes_removed`` (per
document: the total, mean, min and max), ``batches``, and the time per batch.

``threads`` counts per task: with datatrove's ``LocalPipelineExecutor(workers=W)`` on a machine of
C cores, ``threads=max(1, C // W)`` keeps from running W × C threads.
"""

from __future__ import annotations

from itertools import islice
from typing import Iterator, List, Optional

try:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
except ModuleNotFoundError as error:
    if error.name is None or error.name.split(".")[0] != "datatrove":
        raise  # datatrove is there, but something it needs is not: its own message says what
    raise ImportError(
        "paradedup.datatrove needs datatrove, which is not installed: pip install datatrove "
        "(or pip install 'paradedup[datatrove]'; datatrove needs Python 3.10 or newer)"
    ) from error

from . import DEFAULT_THRESHOLD, Deduper
from ._types import Keep, Metric, Unit

__all__ = ["METADATA_BYTES_REMOVED", "ParadedupClean"]

METADATA_BYTES_REMOVED = "paradedup_bytes_removed"
"""The ``doc.metadata`` key of the UTF-8 bytes ``ParadedupClean`` removed from the document."""


class ParadedupClean(PipelineStep):
    """Removes duplicate, near-duplicate and contained paragraphs inside each document.

    Keywords: the options of ``paradedup.Deduper`` (``unit``, ``threshold``, ``metric``,
    ``keep``, ``whole_blocks``, ``threads``; checked here, a bad one raises
    ``paradedup.OptionError``), and ``batch_size``: documents per ``Deduper.clean_batch`` call
    (default 1000; the output does not depend on it).

    Sets ``doc.text`` to what ``paradedup.clean`` gives for it, and
    ``doc.metadata["paradedup_bytes_removed"]``; keeps every document, in order. Stats:
    ``total``, ``changed``, ``bytes_removed``, ``batches``, time per batch.
    """

    name = "🧹 paradedup"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        *,
        unit: Unit = "auto",
        threshold: float = DEFAULT_THRESHOLD,
        metric: Metric = "levenshtein",
        keep: Keep = "body",
        whole_blocks: bool = False,
        threads: Optional[int] = None,
        batch_size: int = 1000,
    ) -> None:
        super().__init__()
        if isinstance(batch_size, bool) or not isinstance(batch_size, int):
            raise TypeError(f"batch_size must be an int, not {type(batch_size).__name__}")
        if batch_size < 1:
            raise ValueError(f"batch_size {batch_size} is less than 1")
        self.deduper = Deduper(
            unit=unit,
            threshold=threshold,
            metric=metric,
            keep=keep,
            whole_blocks=whole_blocks,
            threads=threads,
        )
        self.batch_size = batch_size

    def run(
        self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1
    ) -> DocumentsPipeline:
        """Yields each document of ``data``, in order, with its clean text and metadata."""
        if data is None:
            return
        for batch in _batches(data, self.batch_size):
            self.stat_update("batches")
            with self.track_time(unit="batch"):
                texts = self.deduper.clean_batch([doc.text for doc in batch])
            for doc, text in zip(batch, texts):
                self.stat_update("total")
                removed = 0
                if text != doc.text:
                    # Only for a changed document: an unchanged one costs no encoding.
                    removed = len(doc.text.encode("utf-8")) - len(text.encode("utf-8"))
                    doc.text = text
                    self.stat_update("changed")
                doc.metadata[METADATA_BYTES_REMOVED] = removed
                self.stat_update("bytes_removed", value=removed)
                yield doc


def _batches(data: DocumentsPipeline, size: int) -> Iterator[List[Document]]:
    it = iter(data)
    while batch := list(islice(it, size)):
        yield batch
