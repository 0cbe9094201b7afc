"""Every install line a user can copy works from a fresh clone.

The lines are found by a pattern over every README, every docs page, the
examples and every package's source (error messages and docstrings), so a new
line cannot escape: a ``pip install`` in a fenced block or on a plain line is
read to the end of its line (``\\`` continuations joined), one in an inline code
span to the end of the span. A line that names one of our packages (by name or
by ``./packages/...`` path) is run in a fresh virtualenv, in a folder laid out
as a clone after ``nox -s wheels`` (``dist/`` built by tools/build_wheels.py,
the code that session runs, and ``packages/``); then every package it names
imports, every extra it names is installed, and every installed ``sanic*``
distribution is one of ours (an index's ``sanic-router`` or ``sanic-testing``
is another project). Lines that install other projects only (nox, the peers
the benchmarks compare with) are left alone, but a ``sanic*`` name that is
neither ours nor a known peer fails.

The lines run through ``uv pip install`` (pip's options, much faster) in
parallel, one throwaway virtualenv each; the README's framework line also runs
through pip itself.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
TIMEOUT = 300

pytestmark = pytest.mark.skipif(
    not Path(UV).exists(), reason="uv is needed to build throwaway virtualenvs"
)


def _ours() -> dict[str, dict[str, object]]:
    """Our distributions: name -> import name, summary, folder."""
    found: dict[str, dict[str, object]] = {}
    for pyproject in sorted((ROOT / "packages").glob("*/pyproject.toml")):
        meta = tomllib.loads(pyproject.read_text())
        found[meta["project"]["name"]] = {
            "import": meta["tool"]["poetry"]["packages"][0]["include"],
            "summary": meta["project"]["description"],
            "folder": pyproject.parent.name,
        }
    return found


OURS = _ours()
#: Other projects that the docs install on purpose (the benchmarks' peers).
PEERS = {"sanic", "sanic-routing"}
#: pip options followed by a value.
VALUED = {
    "-f", "--find-links", "-c", "--constraint", "-r", "--requirement",
    "-p", "--python", "-t", "--target", "-i", "--index-url", "--extra-index-url",
}  # fmt: skip


def scanned_files() -> list[Path]:
    """Where install lines live: READMEs, docs, examples, package sources."""
    files = [ROOT / "README.md", *sorted((ROOT / "packages").glob("*/README.md"))]
    files += sorted((ROOT / "docs").rglob("*.md"))
    files += sorted((ROOT / "examples").rglob("*.py"))
    files += sorted((ROOT / "examples").rglob("*.md"))
    files += sorted((ROOT / "packages").glob("*/src/**/*.py"))
    return files


FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n(.*?)^[ \t]*\1", re.S | re.M)
SPAN = re.compile(r"(`{1,2})([^`]+?)\1")
PIP = re.compile(r"(?:\S*python[\d.]*\s+-m\s+)?(?:uv\s+)?\S*pip\s+install\b.*")


def _from_lines(text: str) -> list[str]:
    text = re.sub(r"\\\n\s*", " ", text)
    return [m.group(0).strip() for m in PIP.finditer(text)]


def extract(text: str, markdown: bool) -> list[str]:
    """The install commands in ``text``, each as written."""
    found: list[str] = []
    if markdown:
        for match in FENCE.finditer(text):
            found += _from_lines(match.group(2))
        text = FENCE.sub("", text)

    def span(match: re.Match[str]) -> str:
        if "pip install" in match.group(2):
            found.append(" ".join(match.group(2).split()))
        return ""

    text = SPAN.sub(span, text)
    return found + _from_lines(text)


@dataclass(frozen=True)
class Install:
    """The arguments after ``install`` and what they name."""

    args: tuple[str, ...]
    names: tuple[str, ...]  # requirement names, normalised (paths: their project)
    extras: tuple[tuple[str, str], ...]  # (distribution, extra)


def _name(requirement: str) -> tuple[str, list[str]]:
    """The normalised project name and the extras of a requirement or a path."""
    match = re.match(r"([^\[<>=!~;\s]+)(?:\[([^\]]*)\])?", requirement)
    assert match, requirement
    target, extras = (
        match.group(1),
        [e.strip() for e in (match.group(2) or "").split(",") if e.strip()],
    )
    if "/" in target or target.startswith("."):
        folder = Path(target).name
        for dist, info in OURS.items():
            if info["folder"] == folder:
                return dist, extras
        return f"path:{target}", extras
    return re.sub(r"[-_.]+", "-", target).lower(), extras


def parse(command: str) -> Install:
    words = shlex.split(command, comments=True)
    start = words.index("install") + 1
    args: list[str] = []
    names: list[str] = []
    extras: list[tuple[str, str]] = []
    expect_value = False
    for word in words[start:]:
        if word in {"&&", ";", "||", "|"}:
            break
        args.append(word)
        if expect_value:
            expect_value = False
        elif word.startswith("-"):
            expect_value = word in VALUED
        else:
            name, wanted = _name(word)
            names.append(name)
            extras += [(name, extra) for extra in wanted]
    return Install(tuple(args), tuple(names), tuple(extras))


def _strings(source: str) -> list[str]:
    """A module's string constants: docstrings, messages, f-strings' pieces."""
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def all_lines() -> dict[str, list[str]]:
    """Every install command found -> where (``path``)."""
    where: dict[str, list[str]] = defaultdict(list)
    for path in scanned_files():
        text = path.read_text()
        if path.suffix == ".py":
            found = [c for value in _strings(text) for c in extract(value, False)]
        else:
            found = extract(text, markdown=True)
        for command in found:
            where[command].append(str(path.relative_to(ROOT)))
    return dict(where)


def ours(install: Install) -> bool:
    return any(name in OURS for name in install.names)


def test_the_pattern_finds_the_lines_users_copy():
    lines = all_lines()
    # The README's install section, a package README, a docs page, the error
    # message for a missing test client (a Python string) and a docstring.
    places = {place for where in lines.values() for place in where}
    for place in (
        "README.md",
        "packages/sanic-testing/README.md",
        "docs/testing.md",
        "packages/sanic-core/src/sanic/_install.py",
        "packages/sanic-core/src/sanic/worker.py",
    ):
        assert place in places, place
    # Inline spans, fenced blocks with continuations, comments and chains.
    sample = (
        "Run `pip install --no-index --find-links dist sanic-core` now.\n"
        "```sh\npip install ./packages/sanic-request \\\n"
        "    ./packages/sanic-http   # the two\n"
        "python3 -m venv .venv && .venv/bin/pip install -q nox uv && nox\n```\n"
        "or plainly: pip install sanic-testing\n"
    )
    found = [parse(line) for line in extract(sample, markdown=True)]
    assert [item.names for item in found] == [
        ("sanic-request", "sanic-http"),
        ("nox", "uv"),
        ("sanic-core",),
        ("sanic-testing",),
    ]


def test_every_line_installs_ours_or_a_known_other_project():
    for command, where in all_lines().items():
        install = parse(command)
        assert install.names, (command, where)
        for name in install.names:
            assert not name.startswith("path:"), (command, where)
            if name.startswith("sanic"):
                assert name in OURS or name in PEERS, (command, where)
        if ours(install):
            # Never an index URL in the repository's lines.
            assert not {"-i", "--index-url", "--extra-index-url"} & set(install.args)


CHECK = """
import importlib, importlib.metadata as md, json, sys
modules, dists = json.loads(sys.argv[1])
failures = []
for module in modules:
    try:
        importlib.import_module(module)
    except Exception as exc:
        failures.append(f"import {module}: {type(exc).__name__}: {exc}")
for dist in dists:
    try:
        md.distribution(dist)
    except md.PackageNotFoundError:
        failures.append(f"{dist} is not installed")
installed = {
    d.metadata["Name"].lower().replace("_", "-"): d.metadata["Summary"]
    for d in md.distributions()
    if d.metadata["Name"].lower().startswith("sanic")
}
print(json.dumps({"failures": failures, "installed": installed}))
"""


def _requirements_of_extra(dist: str, extra: str) -> list[str]:
    folder = ROOT / "packages" / str(OURS[dist]["folder"])
    meta = tomllib.loads((folder / "pyproject.toml").read_text())
    wanted = meta["project"]["optional-dependencies"][extra]
    return [re.split(r"[<>=!~;\[ ]", item, maxsplit=1)[0] for item in wanted]


def run_line(install: Install, clone: Path, tmp: Path, pip: bool) -> str:
    """Install in a fresh virtualenv; return what is wrong ('' when nothing)."""
    venv = tmp / "venv"
    seed = ["--seed"] if pip else []
    subprocess.run(
        [UV, "venv", "-q", *seed, "--python", sys.executable, str(venv)],
        check=True,
        timeout=TIMEOUT,
        capture_output=True,
    )
    python = venv / "bin" / "python"
    if pip:
        argv = [str(python), "-m", "pip", "install", "-q", *install.args]
    else:
        # uv caches builds of local folders by pyproject.toml: rebuild ours.
        refresh = [
            a for n in install.names if n in OURS for a in ("--reinstall-package", n)
        ]
        argv = [
            UV,
            "pip",
            "install",
            "-q",
            "--python",
            str(python),
            *install.args,
            *refresh,
        ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")}
    done = subprocess.run(
        argv, cwd=clone, capture_output=True, text=True, timeout=TIMEOUT, env=env
    )
    if done.returncode != 0:
        return f"the install failed:\n{done.stderr[-2000:]}"
    modules = [str(OURS[name]["import"]) for name in install.names if name in OURS]
    dists = [
        req
        for dist, extra in install.extras
        for req in _requirements_of_extra(dist, extra)
    ]
    check = subprocess.run(
        [str(python), "-c", CHECK, json.dumps([modules, dists])],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=tmp,
    )  # fmt: skip
    if check.returncode != 0:
        return f"the check failed:\n{check.stderr[-2000:]}"
    result = json.loads(check.stdout)
    problems = list(result["failures"])
    for name, summary in result["installed"].items():
        if name not in OURS:
            problems.append(f"{name} is installed: not one of ours")
        elif summary != OURS[name]["summary"]:
            problems.append(f"{name} is installed, but it is another project's")
    return "\n".join(problems)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A folder laid out as a fresh clone after ``nox -s wheels``."""
    folder = tmp_path_factory.mktemp("clone")
    script = ROOT / "tools" / "build_wheels.py"
    built = subprocess.run(
        [sys.executable, str(script), "--out", str(folder / "dist")],
        capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    (folder / "packages").symlink_to(ROOT / "packages")
    return folder


def test_every_install_line_works_in_a_fresh_virtualenv(clone, tmp_path):
    # One run per distinct line (the same arguments, whatever the comment).
    runs: dict[tuple[str, ...], Install] = {}
    places: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for command, where in all_lines().items():
        install = parse(command)
        if ours(install):
            runs.setdefault(install.args, install)
            places[install.args].update(where)
    assert len(runs) >= 5, runs  # the README, packages, docs, messages
    jobs = [(install, False) for install in runs.values()]
    # The README's framework line through pip itself, as a user runs it.
    framework = ("--no-index", "--find-links", "dist", "sanic-core")
    assert framework in runs
    jobs.append((runs[framework], True))
    folders = [tmp_path / f"line{n}" for n in range(len(jobs))]
    for folder in folders:
        folder.mkdir()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(
                lambda job, folder: run_line(job[0], clone, folder, job[1]),
                jobs,
                folders,
            )
        )
    failures = [
        f"pip install {shlex.join(install.args)}{' (by pip)' if pip else ''}"
        f" in {sorted(places[install.args])}: {problem}"
        for (install, pip), problem in zip(jobs, results, strict=True)
        if problem
    ]
    assert not failures, "\n\n".join(failures)
