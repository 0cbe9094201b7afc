"""The user guide in docs/ is true: every Python block in it runs.

Every fenced ```python block of every page is either *run* or, when its first line
is the comment ``# fragment``, only compiled. The blocks of one page run in order in
one fresh interpreter (a subprocess with the framework installed), sharing their
names like a session, with ``__name__`` set to ``"docs_check"`` so that an
``if __name__ == "__main__": app.run(...)`` guard does not start a server. After a
block runs, every ``test_*`` function it defined that takes no arguments is called,
so the guide's example tests really pass. docs/index.md states these rules for
readers. Other fences (``sh``, ``text``, ``json``) are never executed.

The site itself is built by ``nox -s docs`` (mkdocs --strict); the checks here that
need no mkdocs (the nav lists every page, links between pages resolve, the README
points at the guide) keep the integration suite free of it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MKDOCS = ROOT / "mkdocs.yml"
FRAGMENT = "# fragment"
PAGE_TIMEOUT = 60.0

# Runs in the subprocess: the page's blocks arrive as JSON on stdin.
RUNNER = """
import inspect, json, sys
blocks = json.load(sys.stdin)
namespace = {"__name__": "docs_check"}
for block in blocks:
    print("--- running", block["where"], flush=True)
    # Pad with blank lines so tracebacks show the line number in the page.
    source = "\\n" * (block["line"] - 1) + block["code"]
    before = dict(namespace)
    exec(compile(source, block["page"], "exec"), namespace)
    for name, value in list(namespace.items()):
        if (
            name.startswith("test_")
            and callable(value)
            and before.get(name) is not value
            and not inspect.signature(value).parameters
        ):
            print("--- calling", name, flush=True)
            value()
print("--- all blocks ran", flush=True)
"""


@dataclass(frozen=True)
class Block:
    """One fenced Python block: where it is, its code, whether it only compiles."""

    page: str
    line: int  # line number of the first code line in the page
    code: str

    @property
    def fragment(self) -> bool:
        return self.code.lstrip().startswith(FRAGMENT)

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def blocks_of(page: Path, name: str | None = None) -> list[Block]:
    """The ```python blocks of a page (fences must start at column 0)."""
    name = name or page.relative_to(ROOT).as_posix()
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        fence = re.match(r"^(`{3,})(\S*)\s*$", lines[index])
        if fence is None:
            index += 1
            continue
        ticks, language = fence.groups()
        end = index + 1
        while end < len(lines) and lines[end].rstrip() != ticks:
            end += 1
        assert end < len(lines), f"{name}:{index + 1}: unclosed code fence"
        if language in ("python", "py"):
            code = "\n".join(lines[index + 1 : end]) + "\n"
            found.append(Block(name, index + 2, code))
        index = end + 1
    return found


def run_blocks(blocks: list[Block], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run blocks in order in one subprocess; its output names each block."""
    payload = [
        {"page": b.page, "line": b.line, "where": b.where, "code": b.code}
        for b in blocks
    ]
    return subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=PAGE_TIMEOUT,
        check=False,
    )


def page_ids() -> list[str]:
    return [page.relative_to(DOCS).as_posix() for page in pages()]


def test_the_guide_has_pages_and_runnable_blocks():
    everything = [block for page in pages() for block in blocks_of(page)]
    assert len(pages()) >= 20
    runnable = [block for block in everything if not block.fragment]
    # Fragments are the exception: most of the guide must really run.
    assert len(runnable) >= 3 * (len(everything) - len(runnable)), (
        len(runnable),
        len(everything),
    )


def test_no_python_fence_is_indented():
    # An indented fence would escape blocks_of(), and with it the check.
    for page in pages():
        for number, line in enumerate(page.read_text().splitlines(), 1):
            if re.match(r"^\s+```\s*py", line):
                pytest.fail(f"{page.relative_to(ROOT)}:{number}: indented fence")


@pytest.mark.parametrize("page", page_ids())
def test_fragments_compile(page):
    errors = []
    for block in blocks_of(DOCS / page):
        if block.fragment:
            source = "\n" * (block.line - 1) + block.code
            try:
                compile(source, block.page, "exec")
            except SyntaxError as exc:
                errors.append(f"{block.page}:{exc.lineno}: {exc.msg}")
    assert errors == []


@pytest.mark.parametrize("page", page_ids())
def test_every_block_of_the_page_runs(page, tmp_path):
    blocks = [block for block in blocks_of(DOCS / page) if not block.fragment]
    if not blocks:
        pytest.skip("only fragments on this page")
    result = run_blocks(blocks, tmp_path)
    assert result.returncode == 0 and "--- all blocks ran" in result.stdout, (
        f"a block of docs/{page} failed\n"
        f"--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-5000:]}"
    )


def test_a_broken_block_fails_and_is_named(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "Intro.\n\n```python\nanswer = 42\n```\n\n"
        "```python\n# fragment\nthis is not run\n```\n\n"
        "```python\ndef test_answer():\n    assert answer == 41\n```\n"
    )
    found = blocks_of(page, "docs/page.md")
    assert [block.fragment for block in found] == [False, True, False]
    result = run_blocks([block for block in found if not block.fragment], tmp_path)
    assert result.returncode != 0
    assert "--- calling test_answer" in result.stdout
    # The traceback points at the failing line of the page itself.
    assert 'File "docs/page.md", line 14' in result.stderr
    assert "--- all blocks ran" not in result.stdout


def test_an_unguarded_run_is_not_needed_to_define_an_app(tmp_path):
    # The runner's __name__ keeps the guide's guarded app.run() from serving.
    code = (
        "from sanic import Sanic\napp = Sanic('x')\n"
        "if __name__ == '__main__':\n    raise SystemExit('would serve')\n"
    )
    result = run_blocks([Block("docs/x.md", 1, code)], tmp_path)
    assert result.returncode == 0, result.stderr


def nav_targets() -> list[str]:
    return re.findall(r":\s*([\w./-]+\.md)\s*$", MKDOCS.read_text(), re.M)


def test_the_nav_lists_every_page_and_only_pages():
    listed = nav_targets()
    assert len(listed) == len(set(listed)), "a page is listed twice"
    assert sorted(listed) == page_ids()


def test_links_between_pages_resolve():
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0]
            resolved = (page.parent / path).resolve()
            assert path.endswith(".md") and resolved.is_file(), (
                f"{page.relative_to(ROOT)} links to {target}, not a page of docs/"
            )


def test_the_readme_points_at_the_guide_and_the_section_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Documentation" in readme
    for link in ("docs/index.md", "docs/guide-map.md"):
        assert f"]({link})" in readme
        assert (ROOT / link).is_file()
