"""docs/configuration.md and docs/limits-and-security.md list exactly the table.

The table is ``sanic_http.CONFIG_KEYS``; ``sanic.config.DEFAULT_CONFIG`` is built
from it. The pages are written by hand; this test only compares.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sanic.config import DEFAULT_CONFIG
from sanic_http import CONFIG_KEYS

DOCS = Path(__file__).resolve().parents[2] / "docs"
_ROW = re.compile(r"^\| `([A-Z_]+)` \| `([^`]+)`([^|]*)\| (.*) \|$")


def _table(page: str, header: str) -> list[tuple[str, object, str]]:
    """(key, default, last column) of each row of the table under ``header``."""
    text = (DOCS / page).read_text(encoding="utf-8")
    start = text.index(header)
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        match = _ROW.match(line)
        assert match, f"{page}: cannot read the row {line!r}"
        key, default, _, last = match.groups()
        rows.append((key, ast.literal_eval(default), last))
    return rows


def test_configuration_page_lists_the_table() -> None:
    rows = _table("configuration.md", "| key | default | what it controls |")
    assert rows == [(row.key, row.default, row.doc) for row in CONFIG_KEYS]


def test_limits_page_lists_the_limits_of_the_table() -> None:
    rows = _table("limits-and-security.md", "| Config key | Default | Over the limit |")
    listed = {key: default for key, default, _ in rows}
    assert listed == {row.key: row.default for row in CONFIG_KEYS if row.limit}
    assert len(rows) == len(listed)


def test_default_config_is_the_table() -> None:
    assert {row.key: row.default for row in CONFIG_KEYS} == DEFAULT_CONFIG
    assert list(DEFAULT_CONFIG) == [row.key for row in CONFIG_KEYS]
