"""docs/guide-map.md is complete and true: every heading of both seed documents
has a row, no cell is empty, every example and test it names exists, and every
example in examples/ is mapped and started by some test."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLES = ROOT / "examples"
GUIDE_MAP = ROOT / "docs" / "guide-map.md"
SEEDS = ROOT.parent / "shared" / "seeds"
GUIDE = SEEDS / "000_95f98eb626823ddb.txt"
LATER = SEEDS / "004_956cf3aeb2332e36.txt"
# The later chapter is plain text: its headings are these lines.
LATER_HEADINGS = [
    "Request Data",
    "Output",
    "Changing the default parsing rules of the queryset",
    "Accessing values using get and getlist",
    "Accessing the handler name with the request.endpoint attribute",
]


def normalise(heading: str) -> str:
    return re.sub(r"[`\\*]", "", heading).strip()


def rows() -> list[list[str]]:
    table = []
    for line in GUIDE_MAP.read_text(encoding="utf-8").splitlines():
        if re.match(r"\| 00[04] \|", line):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            assert len(cells) == 4, line
            table.append(cells)
    return table


def mapped_sections(doc: str) -> Counter[str]:
    return Counter(
        normalise(section.split(" > ")[-1]) for d, section, _, _ in rows() if d == doc
    )


def test_no_cell_is_empty():
    table = rows()
    assert len(table) > 50
    for cells in table:
        assert all(cells), cells


def test_every_section_is_mapped():
    if not GUIDE.is_file() or not LATER.is_file():
        pytest.skip(f"the seed documents are not at {SEEDS}")
    headings = Counter(
        normalise(line.lstrip("#"))
        for line in GUIDE.read_text(encoding="utf-8").splitlines()
        if re.match(r"#{2,3} ", line)
    )
    missing = headings - mapped_sections("000")
    assert not missing, f"guide sections without a row: {sorted(missing)}"
    later_lines = set(LATER.read_text(encoding="utf-8").splitlines())
    for heading in LATER_HEADINGS:
        assert heading in later_lines
    missing = Counter(LATER_HEADINGS) - mapped_sections("004")
    assert not missing, f"later-chapter sections without a row: {sorted(missing)}"


def test_mapped_examples_exist_and_every_example_is_mapped():
    named: set[str] = set()
    for _, _, example, _ in rows():
        found = re.findall(r"`examples/([\w/.]+)`", example)
        assert found or example.startswith("note:"), example
        named.update(found)
    for name in named:
        assert (EXAMPLES / name).exists(), name
    programs = {path.name for path in EXAMPLES.glob("*.py")}
    assert programs - named == set()


def test_mapped_tests_exist():
    for _, _, _, tests in rows():
        found = re.findall(r"`([\w/.-]+\.py)::(\w+)`", tests)
        assert found or tests.startswith("note:"), tests
        for path, name in found:
            file = ROOT / path if path.startswith("packages/") else HERE / path
            assert file.is_file(), path
            source = file.read_text(encoding="utf-8")
            assert re.search(rf"^(async )?def {name}\(", source, re.M), (
                f"{path}::{name}"
            )


def test_every_server_example_is_started_by_a_test():
    sources = "".join(path.read_text() for path in HERE.glob("test_*.py"))
    imported_only = {"my_blueprint.py", "blueprints.py"}
    for path in EXAMPLES.glob("*.py"):
        if path.name in imported_only:
            assert (
                path.stem
                in (EXAMPLES / "blueprint_main.py").read_text()
                + (EXAMPLES / "api_versioning.py").read_text()
            )
            continue
        started = f'"{path.name}"' in sources or f'"{path.stem}.app"' in sources
        assert started, f"no test starts examples/{path.name}"
