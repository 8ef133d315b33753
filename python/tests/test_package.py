"""The installed package: its public names, version, type information and docstrings."""

from __future__ import annotations

import re
from pathlib import Path

import paradedup
from conftest import REPO


def test_public_names() -> None:
    for name in paradedup.__all__:
        assert hasattr(paradedup, name), name
    assert paradedup.Deduper.__module__ == "paradedup"
    assert paradedup.Result.__name__ == "Result"


def test_version_is_the_crates() -> None:
    cargo = (REPO / "python" / "Cargo.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', cargo, re.M)
    assert version and paradedup.__version__ == version.group(1)


def test_type_information_is_installed() -> None:
    package = Path(paradedup.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "_paradedup.pyi").is_file()


def test_everything_public_has_a_docstring() -> None:
    for obj in (paradedup, paradedup.clean, paradedup.clean_batch, paradedup.Deduper,
                paradedup.Deduper.clean, paradedup.Deduper.clean_text,
                paradedup.Deduper.clean_batch, paradedup.Result, paradedup.Removal,
                paradedup.Trim, paradedup.ParadedupError, paradedup.OptionError):
        assert obj.__doc__ and obj.__doc__.strip(), obj
    # Positions say their unit.
    for cls, field in [(paradedup.Removal, "start"), (paradedup.Removal, "end"),
                       (paradedup.Removal, "kept"), (paradedup.Trim, "cuts"),
                       (paradedup.Result, "blocks")]:
        assert "byte" in (getattr(cls, field).__doc__ or "").lower(), (cls, field)
