"""The exceptions of paradedup (raised by the native module too)."""

from __future__ import annotations

__all__ = ["InputError", "InternalError", "OptionError", "ParadedupError"]


class ParadedupError(Exception):
    """Base class of every error paradedup raises."""


class OptionError(ParadedupError, ValueError):
    """A bad option value (``threshold=1.5``, ``unit="lines"``); the message is the command
    line's, with the keyword for the flag."""


class InputError(ParadedupError, ValueError):
    """Input the engine cannot take: a pyarrow array whose offsets do not fit its data, or a
    document that is not valid UTF-8."""


class InternalError(ParadedupError):
    """A bug in paradedup: the engine panicked. The panic is caught at the boundary, so the
    process goes on; please report it with the input."""
