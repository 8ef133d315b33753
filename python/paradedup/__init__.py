"""Remove duplicate, near-duplicate and contained paragraphs from scraped text.

The Python face of paradedup: the same engine and options as ``paradedup clean``, and the same
output, byte for byte.

>>> import paradedup
>>> paradedup.clean("Read more\\n\\nThe council met on Monday.\\n\\nRead more\\n")
'Read more\\n\\nThe council met on Monday.\\n'

- ``clean(text, **options) -> str``: one document.
- ``Deduper(**options)``: ``.clean(text) -> Result`` (``.text``, ``.removals``, ``.trims``,
  ``.blocks``), ``.clean_text(text) -> str``, ``.clean_batch(texts)``.
- ``clean_batch(texts, **options)``: many documents in parallel, without the GIL; a list of str
  or a pyarrow string array in, the same kind out, in input order.
- ``paradedup.datatrove.ParadedupClean(**options, batch_size=1000)``: a datatrove pipeline step
  that cleans each document's text in batches (needs datatrove; ``import paradedup`` does not
  import it).

Options (keywords only; names, defaults and error messages of the command line):
``unit`` ("auto" | "line" | "paragraph"), ``threshold`` (0..1, default 0.85), ``metric``
("levenshtein" | "sorensen-dice" | "jaro-winkler"), ``keep`` ("body" | "first"),
``whole_blocks`` (default False), ``threads`` (default None: all cores). A bad value raises
``OptionError``, a ``ValueError``; every error paradedup raises is a ``ParadedupError``.

Positions in a ``Result`` (``Removal.start``, ``Removal.end``, ``kept``, ``Trim.cuts``,
``blocks``) are UTF-8 byte offsets of the input, as in the command line's JSON report:
``text.encode()[r.start:r.end]`` is the removed block.
"""

from __future__ import annotations

from typing import Any, Iterable, List, Optional, overload

from ._errors import InputError, InternalError, OptionError, ParadedupError
from ._paradedup import DEFAULT_THRESHOLD, Deduper, Removal, Result, Trim, __version__
from ._types import Keep, Kind, Metric, Unit

__all__ = [
    "DEFAULT_THRESHOLD",
    "Deduper",
    "InputError",
    "InternalError",
    "Keep",
    "Kind",
    "Metric",
    "OptionError",
    "ParadedupError",
    "Removal",
    "Result",
    "Trim",
    "Unit",
    "__version__",
    "clean",
    "clean_batch",
]


def clean(
    text: str,
    *,
    unit: Unit = "auto",
    threshold: float = DEFAULT_THRESHOLD,
    metric: Metric = "levenshtein",
    keep: Keep = "body",
    whole_blocks: bool = False,
    threads: Optional[int] = None,
) -> str:
    """The clean document: ``text`` without its duplicate, near-duplicate and contained blocks
    (and repeated parts cut out of blocks), every other byte as it was. Byte for byte what
    ``paradedup clean`` writes for the same text and options.

    For the removals and trims, use ``Deduper(**options).clean(text)``.
    """
    deduper = Deduper(
        unit=unit,
        threshold=threshold,
        metric=metric,
        keep=keep,
        whole_blocks=whole_blocks,
        threads=threads,
    )
    return deduper.clean_text(text)


@overload
def clean_batch(
    texts: Iterable[str],
    *,
    unit: Unit = ...,
    threshold: float = ...,
    metric: Metric = ...,
    keep: Keep = ...,
    whole_blocks: bool = ...,
    threads: Optional[int] = ...,
) -> List[str]: ...


@overload
def clean_batch(
    texts: Any,
    *,
    unit: Unit = ...,
    threshold: float = ...,
    metric: Metric = ...,
    keep: Keep = ...,
    whole_blocks: bool = ...,
    threads: Optional[int] = ...,
) -> Any: ...


def clean_batch(
    texts: Any,
    *,
    unit: Unit = "auto",
    threshold: float = DEFAULT_THRESHOLD,
    metric: Metric = "levenshtein",
    keep: Keep = "body",
    whole_blocks: bool = False,
    threads: Optional[int] = None,
) -> Any:
    """The clean text of each document, in input order, each what ``clean`` gives for it;
    documents run in parallel on ``threads`` threads (default: all cores), without the GIL.

    ``texts``: a list (or any iterable) of str, giving a list of str; or a pyarrow
    ``StringArray``, ``LargeStringArray`` or ``ChunkedArray`` of either, giving a pyarrow array
    of the same type (nulls stay null). See ``Deduper.clean_batch``.
    """
    deduper = Deduper(
        unit=unit,
        threshold=threshold,
        metric=metric,
        keep=keep,
        whole_blocks=whole_blocks,
        threads=threads,
    )
    return deduper.clean_batch(texts)
