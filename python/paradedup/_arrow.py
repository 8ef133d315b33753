"""pyarrow glue for ``Deduper.clean_batch``: a string array in and out through its buffers.

Imported only when ``clean_batch`` is given a pyarrow object, so pyarrow stays optional.

``split`` hands the native module each chunk's offsets, string bytes and validity bitmap as
``bytes`` (``Buffer.to_pybytes``: one copy of the string data, a memcpy, and no Python ``str`` per
document); ``join`` wraps the clean offsets and bytes the native module returns with
``pyarrow.py_buffer`` (no copy) and rebuilds an array of the input's type, with the input's
validity bitmap: a null stays null.
"""

from __future__ import annotations

import sys
from typing import Any, List, Optional, Tuple

Chunk = Tuple[bytes, bytes, Optional[bytes], int, int]


def _chunks(array: Any) -> List[Any]:
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        return list(array.chunks)
    if isinstance(array, pa.Array):
        return [array]
    raise TypeError(
        "clean_batch takes a list of str or a pyarrow string array, "
        f"not {type(array).__module__}.{type(array).__name__}"
    )


def _width(array: Any) -> int:
    import pyarrow as pa

    t = array.type
    if pa.types.is_string(t):
        return 4
    if pa.types.is_large_string(t):
        return 8
    raise TypeError(
        f"clean_batch takes a pyarrow string or large_string array, not {t} "
        "(convert it first, e.g. array.cast(pyarrow.large_string()))"
    )


def split(array: Any) -> Tuple[bool, List[Chunk]]:
    """``(large, chunks)``: for each chunk, its ``len + 1`` offsets, the bytes they point into
    (the first offset is subtracted there), the validity bitmap (None without nulls), the
    chunk's offset into that bitmap, and its length."""
    width = _width(array)
    parts: List[Chunk] = []
    for chunk in _chunks(array):
        n = len(chunk)
        validity, offsets, data = chunk.buffers()
        if offsets is None:  # an empty array may have no offsets buffer
            offs = bytes(width * (n + 1))
        else:
            offs = offsets.slice(chunk.offset * width, (n + 1) * width).to_pybytes()
        first = int.from_bytes(offs[:width], sys.byteorder, signed=True)
        last = int.from_bytes(offs[-width:], sys.byteorder, signed=True)
        body = b"" if data is None or last <= first else data.slice(first, last - first).to_pybytes()
        bits = validity.to_pybytes() if validity is not None and chunk.null_count else None
        parts.append((offs, body, bits, chunk.offset, n))
    return width == 8, parts


def join(array: Any, outputs: List[Tuple[bytes, bytes]]) -> Any:
    """The array of clean documents: ``outputs`` holds, per chunk of ``array``, the offsets
    (with ``chunk.offset`` zeros first) and the bytes of its clean documents."""
    import pyarrow as pa

    built = []
    for chunk, (offsets, data) in zip(_chunks(array), outputs):
        validity = chunk.buffers()[0] if chunk.null_count else None
        built.append(
            pa.Array.from_buffers(
                chunk.type,
                len(chunk),
                [validity, pa.py_buffer(offsets), pa.py_buffer(data)],
                null_count=chunk.null_count,
                offset=chunk.offset,
            )
        )
    if isinstance(array, pa.ChunkedArray):
        return pa.chunked_array(built, type=array.type)
    return built[0]
