"""Type stubs of the native module ``paradedup._paradedup`` (re-exported by ``paradedup``)."""

from typing import Any, Iterable, List, Optional, Tuple, overload

from ._types import Keep, Kind, Metric, Unit

DEFAULT_THRESHOLD: float
__version__: str

Span = Tuple[int, int]

class Removal:
    """One removed block. Positions are UTF-8 byte offsets of the input."""

    @property
    def block(self) -> int:
        """Index of the removed block in ``Result.blocks``."""
    @property
    def start(self) -> int:
        """UTF-8 byte offset in the input where the removed block starts."""
    @property
    def end(self) -> int:
        """UTF-8 byte offset in the input one past the removed block's last byte."""
    @property
    def kind(self) -> Kind:
        """Why it went: "exact", "near" or "contained" ("boilerplate" only in corpus scope)."""
    @property
    def score(self) -> float:
        """The similarity for "exact" and "near", the covered share for "contained"."""
    @property
    def kept_blocks(self) -> List[int]:
        """Indexes in ``Result.blocks`` of the kept blocks that carry its content."""
    @property
    def kept(self) -> List[Span]:
        """Byte ranges ``(start, end)`` of the input of those kept blocks."""
    @property
    def why(self) -> str:
        """Why the kept copy stays, in the words of ``paradedup clean --explain``."""

class Trim:
    """A kept block with a repeated part cut out. Positions are UTF-8 byte offsets."""

    @property
    def block(self) -> int:
        """Index of the block in ``Result.blocks``."""
    @property
    def start(self) -> int:
        """UTF-8 byte offset in the input where the block starts."""
    @property
    def end(self) -> int:
        """UTF-8 byte offset in the input one past the block's last byte."""
    @property
    def cuts(self) -> List[Span]:
        """Byte ranges ``(start, end)`` of the input cut out of the block, ascending."""
    @property
    def score(self) -> float:
        """Share of the block's words cut."""
    @property
    def kept_blocks(self) -> List[int]:
        """Indexes in ``Result.blocks`` of the kept blocks that carry what was cut."""
    @property
    def kept(self) -> List[Span]:
        """Byte ranges ``(start, end)`` of the input of those kept blocks."""
    @property
    def why(self) -> str:
        """Why the other copy stays rather than the part cut out."""

class Result:
    """What ``Deduper.clean`` found in one document."""

    @property
    def text(self) -> str:
        """The clean document (what ``paradedup clean`` writes)."""
    @property
    def blocks(self) -> List[Span]:
        """The document's blocks as byte ranges ``(start, end)`` of the input, in order."""
    @property
    def removals(self) -> List[Removal]:
        """The removed blocks, in document order."""
    @property
    def trims(self) -> List[Trim]:
        """The kept blocks with a repeated part cut out, in document order."""
    @property
    def changed(self) -> bool:
        """True when cleaning changed the document."""

class Deduper:
    """Cleans documents with one set of options (those of ``paradedup clean``)."""

    def __init__(
        self,
        *,
        unit: Unit = "auto",
        threshold: float = 0.85,
        metric: Metric = "levenshtein",
        keep: Keep = "body",
        whole_blocks: bool = False,
        threads: Optional[int] = None,
    ) -> None: ...
    @property
    def unit(self) -> Unit: ...
    @property
    def threshold(self) -> float: ...
    @property
    def metric(self) -> Metric: ...
    @property
    def keep(self) -> Keep: ...
    @property
    def whole_blocks(self) -> bool: ...
    @property
    def threads(self) -> Optional[int]: ...
    def clean(self, text: str) -> Result:
        """Cleans one document: the clean text, the removals and the trims."""
    def clean_text(self, text: str) -> str:
        """Cleans one document and returns the clean text only."""
    @overload
    def clean_batch(self, texts: Iterable[str]) -> List[str]: ...
    @overload
    def clean_batch(self, texts: Any) -> Any:
        """Cleans many documents in parallel, without the GIL, in input order: a list of str
        gives a list of str, a pyarrow string array an array of the same type."""
