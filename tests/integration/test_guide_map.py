"""docs/guide-map.md is complete and true: every heading of both seed documents
has a row, no cell is empty, every example and test it names exists, and every
example in examples/ is mapped and started by some test. Its commands work from
a fresh clone after the README's: each is a nox session of the noxfile run with
the .venv/bin/nox the README installs, naming files that exist (checked without
running nox). The one-Python ``nox -s tests`` is documented and not in CI's tag."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLES = ROOT / "examples"
GUIDE_MAP = ROOT / "docs" / "guide-map.md"
NOXFILE = ROOT / "noxfile.py"
README = ROOT / "README.md"
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


# A command in a code span: it starts with a program a reader would type.
PROGRAMS = ("python", "python3", "pytest", "pip", "nox", "uv", "sanic")
# What the README's commands leave behind: a virtualenv with nox (and uv).
README_SETUP = "python3 -m venv .venv && .venv/bin/pip install -q nox uv"


def nox_sessions() -> dict[str, ast.FunctionDef]:
    """The noxfile's sessions by name, from its source (nox need not be installed)."""
    tree = ast.parse(NOXFILE.read_text(encoding="utf-8"))
    sessions: dict[str, ast.FunctionDef] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if ast.unparse(target) != "nox.session":
                continue
            names = [
                k.value for k in (call.keywords if call else []) if k.arg == "name"
            ]
            if names and isinstance(names[0], ast.Constant):
                sessions[names[0].value] = node
            elif names:  # package_session(dist): one session per package, short names
                siblings = next(
                    n.value
                    for n in ast.walk(tree)
                    if isinstance(n, ast.AnnAssign)
                    and ast.unparse(n.target) == "SIBLINGS"
                )
                for dist in ast.literal_eval(siblings):
                    sessions[dist.removeprefix("sanic-")] = node
            else:
                sessions[node.name] = node
    return sessions


def takes_posargs(session: ast.FunctionDef) -> bool:
    return "session.posargs" in ast.unparse(session)


def commands_in(text: str) -> list[str]:
    spans = re.findall(r"`([^`\n]+)`", text)
    return [
        span
        for span in spans
        if span.split()[0].split("/")[-1] in PROGRAMS
        or span.startswith((".venv/", "./"))
    ]


def check_command(command: str, sessions: dict[str, ast.FunctionDef]) -> str | None:
    """Why ``command`` does not work after the README's commands, or None."""
    found = re.fullmatch(r"\.venv/bin/nox -s (\w+)(?: -- (.+))?", command)
    if found is None:
        return "not `.venv/bin/nox -s SESSION [-- ARGS]`, the form the README sets up"
    name, posargs = found.groups()
    if name not in sessions:
        return f"no nox session {name!r}"
    if posargs is None:
        return None
    if not takes_posargs(sessions[name]):
        return f"session {name!r} ignores the arguments after --"
    for arg in posargs.split():
        if "/" not in arg and not arg.endswith(".py"):
            continue
        # NAME (capitals) is a placeholder: some file must fit it.
        pattern = re.sub(r"\b[A-Z]+\b", "*", arg)
        if not list(ROOT.glob(pattern)):
            return f"{arg} does not exist"
    return None


def test_the_readme_installs_the_nox_the_guide_map_runs():
    readme = README.read_text(encoding="utf-8")
    assert readme.count(README_SETUP) >= 2


def test_every_command_in_the_guide_map_works_from_a_fresh_clone():
    sessions = nox_sessions()
    commands = commands_in(GUIDE_MAP.read_text(encoding="utf-8"))
    assert len(commands) >= 5, commands
    problems = {c: why for c in commands if (why := check_command(c, sessions))}
    assert problems == {}


def test_the_command_check_refuses_what_does_not_work():
    sessions = nox_sessions()
    assert {"router", "core", "integration", "demo", "tests", "docs"} <= set(sessions)
    spans = (
        "run `.venv/bin/pytest -n 2 tests/integration` or `python examples/hello.py`"
        " or `nox -s docs`; `examples/hello.py` and `HOST` are not commands"
    )
    assert commands_in(spans) == [
        ".venv/bin/pytest -n 2 tests/integration",
        "python examples/hello.py",
        "nox -s docs",
    ]
    for command in commands_in(spans):
        assert check_command(command, sessions) is not None, command
    assert (
        check_command(".venv/bin/nox -s nosuch", sessions) == "no nox session 'nosuch'"
    )
    missing = ".venv/bin/nox -s integration -- tests/integration/test_nosuch.py"
    assert check_command(missing, sessions) == (
        "tests/integration/test_nosuch.py does not exist"
    )
    assert "ignores" in str(check_command(".venv/bin/nox -s lint -- x.py", sessions))
    assert check_command(".venv/bin/nox -s demo -- examples/NAME.py", sessions) is None


def test_one_python_session_runs_everything_once_outside_the_ci_tag():
    text = NOXFILE.read_text(encoding="utf-8")
    node = nox_sessions()["tests"]
    session = ast.get_source_segment(text, node)
    assert session is not None
    decorators = [ast.unparse(d) for d in node.decorator_list]
    assert decorators == ["nox.session"], "nox -t test (CI) must not run it twice"
    assert "tests" not in text.split("nox.options.sessions", 1)[1].split("]", 1)[0]
    for step in (
        "install_local(session, *SIBLINGS",
        "install_test_helpers(session)",
        "INTEGRATION_TOOLS",
        "for dist in SIBLINGS:",
        '"tests/integration"',
    ):
        assert step in session, step
    # No second, pure-Python run and no other interpreters.
    assert "PURE_ENV" not in session and "other_interpreters" not in session
    table = README.read_text(encoding="utf-8").split("## Working on it", 1)[1]
    assert "| `nox -s tests` |" in table and "| `nox -t test` |" in table
