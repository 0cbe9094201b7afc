"""The README's standalone example runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"## Example\n\n```python\n(.*?)```", text, re.S)
    assert found is not None
    out = subprocess.run(
        [sys.executable, "-c", found.group(1)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "post 5"
    assert "/posts/5?tag=a&tag=b#top" in out.stdout
