"""python/README.md's examples run, and print what they say."""

from __future__ import annotations

import contextlib
import io
import re
import importlib.util

import pytest

from conftest import REPO


def test_readme_examples_run() -> None:
    text = (REPO / "python" / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 4
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in blocks:
            if "import pyarrow" in block and importlib.util.find_spec("pyarrow") is None:
                continue
            if "datatrove" in block and importlib.util.find_spec("datatrove") is None:
                continue
            exec(compile(block, "python/README.md", "exec"), namespace)
    printed = out.getvalue()
    assert "exact 1.0 b'Read more' stays in [(0, 9)] the earlier copy stays\n" in printed
    assert "threshold 1.5 is outside 0..1\n" in printed
    clean = namespace["paradedup"].clean(namespace["page"])
    assert f"# {clean!r}" in text
    if importlib.util.find_spec("datatrove") is not None:
        # The datatrove example prints what its comments say.
        block = next(b for b in blocks if "from paradedup.datatrove import" in b)
        said = [line[2:] for line in block.splitlines() if line.startswith("# ")]
        assert said and all(f"{line}\n" in printed for line in said), (said, printed)


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="pyarrow is not installed")
def test_readme_table_example_keeps_the_column() -> None:
    import pyarrow as pa

    import paradedup

    table = pa.table({"text": ["a\na\n", None]})
    table = table.set_column(0, "text", paradedup.clean_batch(table["text"]))
    assert table.column("text").to_pylist() == ["a\n", None]
