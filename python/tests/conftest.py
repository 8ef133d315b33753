"""Shared test inputs: the repository's fixtures, the shared seed and corpus texts, the CLI.

The shared folder is found beside the repository (``../shared``, as in CI) or at
``$PARADEDUP_SHARED``; the CLI at ``$PARADEDUP_CLI``, else the newer of
``target/release/paradedup`` and ``target/debug/paradedup`` (build it first: ``python/ci.sh``
does). Tests that need a missing one are skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import List, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"


def shared_dir() -> Optional[Path]:
    env = os.environ.get("PARADEDUP_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    return path if path.is_dir() else None


def cli_path() -> Optional[Path]:
    env = os.environ.get("PARADEDUP_CLI")
    if env:
        return Path(env) if Path(env).is_file() else None
    built = [REPO / "target" / p / "paradedup" for p in ("release", "debug")]
    built = [p for p in built if p.is_file()]
    return max(built, key=lambda p: p.stat().st_mtime) if built else None


def fixture_texts() -> List[Path]:
    """Every text file under fixtures/ (``.txt`` and ``.md``)."""
    return sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())


def shared_texts(sub: str) -> List[Path]:
    root = shared_dir()
    return sorted((root / sub).glob("*.txt")) if root else []


def rel(path: Path) -> str:
    for base in (REPO, REPO.parent):
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return str(path)


SHARED_MISSING = (
    f"the shared folder is not at {REPO.parent / 'shared'} (set PARADEDUP_SHARED to its path)"
)


def text_cases() -> list:
    """pytest params: fixtures, seeds and corpus texts; a skipped case when shared/ is absent."""
    cases = [pytest.param(p, id=rel(p)) for p in fixture_texts()]
    for sub in ("seeds", "corpus"):
        found = shared_texts(sub)
        if found:
            cases += [pytest.param(p, id=rel(p)) for p in found]
        else:
            cases.append(
                pytest.param(None, id=f"shared/{sub}", marks=pytest.mark.skip(reason=SHARED_MISSING))
            )
    return cases


def read_text(path: Path) -> str:
    """The file as the CLI reads it: UTF-8 bytes, no newline translation, a BOM kept."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def cli() -> Path:
    path = cli_path()
    if path is None:
        pytest.skip(
            "the CLI is not built (target/release/paradedup, target/debug/paradedup, "
            "$PARADEDUP_CLI): run `cargo build --release` or `cargo build`"
        )
    return path


def run_cli(cli: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``paradedup ARGS`` with no configuration file, output as bytes."""
    env = dict(os.environ, NO_COLOR="1", PARADEDUP_NO_CONFIG="1")
    return subprocess.run(
        [str(cli), *args], capture_output=True, env=env, cwd=REPO, check=check, timeout=300
    )


@pytest.fixture(scope="session")
def corpus_texts() -> List[str]:
    """Many documents for batch tests: the fixtures, and the shared texts when present."""
    paths = fixture_texts() + shared_texts("seeds") + shared_texts("corpus")
    return [read_text(p) for p in paths]
