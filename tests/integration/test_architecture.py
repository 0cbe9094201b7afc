"""The repository's shape: dependency arrows, package metadata, README and CI.

ARCHITECTURE.md: arrows point one way, and a package never imports a package above
it, not even lazily. This reads every module's imports (all of them, including
those inside functions) and checks them against the allowed graph.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "packages"

IMPORT_NAME = {
    "sanic-router": "sanic_router",
    "sanic-request": "sanic_request",
    "sanic-http": "sanic_http",
    "sanic-views": "sanic_views",
    "sanic-core": "sanic",
    "sanic-testing": "sanic_testing",
}
# Each package's allowed direct dependencies: siblings and third-party imports.
ALLOWED_SIBLINGS = {
    "sanic-router": set(),
    "sanic-request": set(),
    "sanic-http": {"sanic-request"},
    "sanic-views": {"sanic-http"},
    "sanic-core": {"sanic-router", "sanic-request", "sanic-http", "sanic-views"},
    "sanic-testing": {"sanic-core"},
}
ALLOWED_THIRD_PARTY = {
    "sanic-router": set(),
    "sanic-request": {"multidict", "orjson"},
    "sanic-http": {"multidict", "httptools", "uvloop", "orjson", "websockets"},
    "sanic-views": set(),
    # gunicorn: sanic.worker only (the gunicorn extra; test_gunicorn.py checks).
    "sanic-core": {"yarl", "gunicorn"},
    "sanic-testing": {"aiohttp", "multidict", "pytest", "websockets", "yarl"},
}
OURS = {name: dist for dist, name in IMPORT_NAME.items()}
STDLIB = set(sys.stdlib_module_names)


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("dist", sorted(IMPORT_NAME))
def test_imports_follow_the_graph(dist):
    own = IMPORT_NAME[dist]
    bad: list[str] = []
    for path in sorted((PACKAGES / dist / "src").rglob("*.py")):
        for root in imported_roots(path) - {own, "__future__"} - STDLIB:
            if root in OURS:
                if OURS[root] not in ALLOWED_SIBLINGS[dist]:
                    bad.append(f"{path.relative_to(ROOT)} imports {root}")
            elif root not in ALLOWED_THIRD_PARTY[dist]:
                bad.append(f"{path.relative_to(ROOT)} imports third-party {root}")
    assert not bad, "\n".join(bad)


def _metadata(dist: str) -> dict:
    return tomllib.loads((PACKAGES / dist / "pyproject.toml").read_text())


@pytest.mark.parametrize("dist", sorted(IMPORT_NAME))
def test_package_metadata(dist):
    meta = _metadata(dist)
    project = meta["project"]
    assert project["name"] == dist
    assert re.fullmatch(r"\d+\.\d+\.\d+", project["version"])
    assert meta["build-system"]["build-backend"] == "poetry.core.masonry.api"
    siblings = set()
    for requirement in project.get("dependencies", []):
        name = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]
        assert "@" not in requirement and "file:" not in requirement, requirement
        if name in IMPORT_NAME:
            siblings.add(name)
    assert siblings == ALLOWED_SIBLINGS[dist]
    folder = PACKAGES / dist
    for required in ("README.md", "CHANGELOG.md", f"src/{IMPORT_NAME[dist]}/py.typed"):
        assert (folder / required).is_file(), f"{dist} lacks {required}"
    assert any((folder / "tests").glob("test_*.py")), f"{dist} has no tests"


def test_noxfile_mirrors_the_metadata():
    text = (ROOT / "noxfile.py").read_text()
    table = ast.literal_eval(
        re.search(r"SIBLINGS: [^=]+= (\{.*?\n\})", text, re.S).group(1)  # type: ignore[union-attr]
    )
    assert {k: set(v) for k, v in table.items()} == ALLOWED_SIBLINGS


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(python3 -m venv[^\n]*)\n```", readme)
    assert len(commands) == 2, commands
    serve_command, test_command = commands
    assert serve_command.endswith("nox -s demo")
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci


# Rules several modules need, each with the one module allowed to define it.
ONE_HOME = {
    "the HTTP token pattern": (
        re.compile(re.escape("[!#$%&'*+")),
        "packages/sanic-http/src/sanic_http/_syntax.py",
    ),
    "the sanic.* loggers": (
        re.compile(r"getLogger\(\s*[\"']sanic\."),
        "packages/sanic-http/src/sanic_http/log.py",
    ),
    "HTTP_METHODS": (
        re.compile(r"^HTTP_METHODS\b[^=\n]*=", re.M),
        "packages/sanic-views/src/sanic_views/_http_methods.py",
    ),
}


@pytest.mark.parametrize("rule", sorted(ONE_HOME))
def test_a_repeated_rule_is_defined_in_one_module(rule):
    pattern, home = ONE_HOME[rule]
    found = sorted(
        str(path.relative_to(ROOT))
        for path in PACKAGES.glob("*/src/**/*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    )
    assert found == [home]


HELPERS = ROOT / "tests" / "helpers"


def _requirement_names(project: dict) -> set[str]:
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_the_test_helpers_are_a_development_only_package():
    meta = tomllib.loads((HELPERS / "pyproject.toml").read_text())
    assert meta["project"]["name"] == "sanic-test-helpers"
    assert meta["build-system"]["build-backend"] == "poetry.core.masonry.api"
    # Never uploaded, and it needs none of ours: it can test any package.
    assert "Private :: Do Not Upload" in meta["project"]["classifiers"]
    assert not _requirement_names(meta["project"]) & set(IMPORT_NAME)
    for path in sorted((HELPERS / "src").rglob("*.py")):
        assert not imported_roots(path) & set(OURS), path
    # No package lists it, not even in an extra, and no package's code imports it.
    for dist in IMPORT_NAME:
        requirements = _requirement_names(_metadata(dist)["project"])
        assert "sanic-test-helpers" not in requirements, dist
        for path in sorted((PACKAGES / dist / "src").rglob("*.py")):
            assert "sanic_test_helpers" not in imported_roots(path), path


def test_every_test_session_installs_the_test_helpers():
    text = (ROOT / "noxfile.py").read_text()
    tree = ast.parse(text)
    sessions = {
        node.name: ast.get_source_segment(text, node)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and node.name in {"run", "integration", "fuzz", "bench"}
    }
    assert set(sessions) == {"run", "integration", "fuzz", "bench"}
    for name, source in sessions.items():
        assert "install_test_helpers(session)" in source, name
    compat = re.search(r"def compat\(.*?\n(?=@nox|\Z)", text, re.S)
    assert compat is not None and "TEST_HELPERS" in compat.group(0)
