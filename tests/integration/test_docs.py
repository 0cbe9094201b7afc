"""The user guide in docs/ is true: every Python block in it runs.

Every fenced ```python block of every page is either *run* or, when its first line
is the comment ``# fragment``, only compiled. The blocks of one page run in order in
one fresh interpreter (a subprocess with the framework installed), sharing their
names like a session, with ``__name__`` set to ``"docs_check"`` so that an
``if __name__ == "__main__": app.run(...)`` guard does not start a server. After a
block runs, every ``test_*`` function it defined that takes no arguments is called,
so the guide's example tests really pass. A block whose first line is
``# file: NAME`` (a relative path) is not run but written to that file in the
page's working directory, a later block naming the same file adding to it; once
every block has run, the ``test_*.py`` files written so are run with pytest (the
pytest plugin of sanic-testing included), and the page fails when they fail.
docs/index.md states these rules for readers. Other fences (``sh``, ``text``,
``json``) are never executed.

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
FILE = "# file: "
PAGE_TIMEOUT = 60.0

# Runs in the subprocess: the page's blocks arrive as JSON on stdin.
RUNNER = """
import inspect, json, os, subprocess, sys
blocks = json.load(sys.stdin)
namespace = {"__name__": "docs_check"}
written = []
for block in blocks:
    if block["file"]:
        name = block["file"]
        assert not os.path.isabs(name) and ".." not in name.split("/"), name
        print("--- writing", name, "from", block["where"], flush=True)
        os.makedirs(os.path.dirname(name) or ".", exist_ok=True)
        with open(name, "a", encoding="utf-8") as file:
            file.write(("\\n\\n" if name in written else "") + block["code"])
        if name not in written:
            written.append(name)
        continue
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
tests = [name for name in written if os.path.basename(name).startswith("test_")]
if tests:
    print("--- pytest", *tests, flush=True)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
    if subprocess.run(command, timeout=50).returncode != 0:
        sys.exit("pytest failed on " + " ".join(tests))
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
    def file(self) -> str | None:
        """The file a ``# file: NAME`` block is written to, else None."""
        first = self.code.split("\n", 1)[0]
        return first[len(FILE) :].strip() if first.startswith(FILE) else None

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
        {
            "page": b.page,
            "line": b.line,
            "where": b.where,
            "code": b.code,
            "file": b.file,
        }
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


def test_file_blocks_are_written_and_their_tests_run_by_pytest(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "```python\n# file: shop.py\nraise SystemExit('a file block is not run')\n"
        "```\n\n"
        "```python\n# file: shop.py\nPRICE = 3\n```\n\n"
        "```python\n# file: test_shop.py\nimport shop\n\n\n"
        "def test_price():\n    assert shop.PRICE == 3\n\n\n"
        "def test_a_fixture_of_the_plugin(inprocess_client):\n    pass\n```\n"
    )
    found = blocks_of(page, "docs/page.md")
    assert [block.file for block in found] == ["shop.py", "shop.py", "test_shop.py"]
    result = run_blocks(found, tmp_path)
    # shop.py is imported by the test: its SystemExit ends that test with an error.
    assert result.returncode != 0
    assert "--- pytest test_shop.py" in result.stdout
    assert "--- all blocks ran" not in result.stdout
    assert (
        (tmp_path / "shop.py").read_text().endswith("\n\n# file: shop.py\nPRICE = 3\n")
    )

    (tmp_path / "shop.py").unlink()
    (tmp_path / "test_shop.py").unlink()
    passing = [block for block in found if "SystemExit" not in block.code]
    result = run_blocks(passing, tmp_path)
    # The fixture needs an `app` fixture: it errors, so the page still fails.
    assert result.returncode != 0, result.stdout
    assert "1 passed, 1 error" in result.stdout

    (tmp_path / "shop.py").unlink()
    (tmp_path / "test_shop.py").unlink()
    fixture = Block(
        "docs/page.md",
        20,
        "# file: test_shop.py\nimport pytest\nfrom sanic import Sanic\n\n\n"
        "@pytest.fixture\ndef app():\n    return Sanic('page_shop')\n",
    )
    result = run_blocks([*passing, fixture], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout and "--- all blocks ran" in result.stdout


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
    for link in ("docs/index.md", "docs/guide-map.md", "docs/tutorial-json-api.md"):
        assert f"]({link})" in readme
        assert (ROOT / link).is_file()
