"""Options: the CLI's names, defaults and messages; bad values raise OptionError (ValueError)."""

from __future__ import annotations

import json
import pickle
import warnings
from pathlib import Path

import pytest

import paradedup
from conftest import run_cli


def test_defaults_are_the_clis(cli: Path) -> None:
    settings = json.loads(run_cli(cli, "--no-config", "config", "clean", "--json").stdout)
    common = settings["settings"][""]
    d = paradedup.Deduper()
    assert d.unit == common["unit"]["value"] == "auto"
    assert d.threshold == common["threshold"]["value"] == paradedup.DEFAULT_THRESHOLD == 0.85
    assert d.metric == common["metric"]["value"] == "levenshtein"
    assert d.keep == common["keep"]["value"] == "body"
    assert d.whole_blocks is common["whole_blocks"]["value"] is False
    assert d.threads is common["threads"]["value"] is None


@pytest.mark.parametrize(
    "flag, keyword",
    [
        ("--threshold=1.5", dict(threshold=1.5)),
        ("--threshold=-0.1", dict(threshold=-0.1)),
        ("--threshold=NaN", dict(threshold=float("nan"))),
        ("--threads=0", dict(threads=0)),
    ],
)
def test_range_errors_are_the_clis(cli: Path, flag: str, keyword: dict) -> None:
    stderr = run_cli(cli, "clean", flag, "README.md", check=False).stderr.decode()
    with pytest.raises(paradedup.OptionError) as err:
        paradedup.Deduper(**keyword)
    # The CLI says `--threshold 1.5 is outside 0..1`; Python names the keyword instead.
    assert str(err.value).startswith(next(iter(keyword)) + " ")
    assert f"paradedup: error: --{err.value}\n" in stderr


@pytest.mark.parametrize(
    "keyword, value, names",
    [
        ("unit", "lines", "auto, line, paragraph"),
        ("metric", "sorensen_dice", "levenshtein, sorensen-dice, jaro-winkler"),
        ("keep", "last", "body, first"),
    ],
)
def test_bad_choices_name_the_possible_values(cli: Path, keyword: str, value: str, names: str) -> None:
    stderr = run_cli(cli, "clean", f"--{keyword}", value, "README.md", check=False).stderr.decode()
    assert f"[possible values: {names}]" in stderr
    with pytest.raises(ValueError) as err:
        paradedup.clean("text", **{keyword: value})
    assert str(err.value) == f"invalid value '{value}' for {keyword} [possible values: {names}]"


def test_option_errors_are_value_errors_and_paradedup_errors() -> None:
    assert issubclass(paradedup.OptionError, ValueError)
    assert issubclass(paradedup.OptionError, paradedup.ParadedupError)
    assert issubclass(paradedup.InputError, paradedup.ParadedupError)
    assert issubclass(paradedup.InternalError, paradedup.ParadedupError)
    with pytest.raises(paradedup.ParadedupError):
        paradedup.clean_batch(["x"], threshold=2)


def test_negative_threads_are_refused() -> None:
    with pytest.raises(paradedup.OptionError, match="^threads must be at least 1$"):
        paradedup.Deduper(threads=-1)


def test_wrong_types_and_unknown_keywords_are_type_errors() -> None:
    with pytest.raises(TypeError):
        paradedup.Deduper(threshold="0.5")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        paradedup.Deduper(whole_blocks=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        paradedup.Deduper(units="line")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        paradedup.Deduper("line")  # type: ignore[misc]
    with pytest.raises(TypeError):
        paradedup.clean(b"bytes")  # type: ignore[arg-type]


def test_too_many_threads_are_capped_with_a_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        d = paradedup.Deduper(threads=100_000)
    assert d.threads == 100_000
    assert len(caught) == 1 and caught[0].category is RuntimeWarning
    assert "threads=100000 is more than 4 threads per core; using" in str(caught[0].message)
    assert d.clean_text("a\na\n") == "a\n"


def test_repr_and_pickle_keep_the_options() -> None:
    d = paradedup.Deduper(unit="line", threshold=0.9, metric="jaro-winkler", keep="first",
                          whole_blocks=True, threads=2)
    assert repr(d) == (
        "Deduper(unit='line', threshold=0.9, metric='jaro-winkler', keep='first', "
        "whole_blocks=True, threads=2)"
    )
    back = pickle.loads(pickle.dumps(d))
    assert repr(back) == repr(d)
    assert repr(paradedup.Deduper()) == (
        "Deduper(unit='auto', threshold=0.85, metric='levenshtein', keep='body', "
        "whole_blocks=False, threads=None)"
    )
