from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    match = re.search(r"## Example\n\n```python\n(.*?)```", README.read_text(), re.S)
    assert match is not None
    exec(compile(match.group(1), str(README), "exec"), {})
    assert capsys.readouterr().out == "parsed POST /upload ['title'] ['photo']\n"
