"""The accepted option values, as types (``typing.Literal``) for type checkers and editors."""

from __future__ import annotations

from typing import Literal

Unit = Literal["auto", "line", "paragraph"]
"""How a document is cut into blocks (``--unit``)."""

Metric = Literal["levenshtein", "sorensen-dice", "jaro-winkler"]
"""The similarity measure for near duplicates (``--metric``)."""

Keep = Literal["body", "first"]
"""Which copy of a content stays (``--keep``)."""

Kind = Literal["exact", "near", "contained", "boilerplate", "trimmed"]
"""Why a block went (``Removal.kind``; "boilerplate" only in corpus scope)."""
