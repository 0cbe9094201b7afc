"""Build every package of this repository, and everything they need, into dist/.

``nox -s wheels`` runs this; tests/integration/test_install_lines.py runs it too
(into a folder of its own), so the wheelhouse the tests install from is built the
way users build theirs.

dist/ ends up a complete wheelhouse for the Python that ran this: the six sanic-*
wheels plus the wheels of their third-party dependencies, their extras included
(``gunicorn``, ``reload``, ``orjson``; never ``test``). Then one line installs
from it and from nothing else::

    pip install --no-index --find-links dist sanic-core

``--no-index`` is what makes that line safe: on a package index, ``sanic-router``
and ``sanic-testing`` are other projects with higher version numbers, which pip
would otherwise prefer, even as dependencies of ``sanic-core``.

Usage: ``python tools/build_wheels.py [--out DIR]`` (default: dist/ at the
repository root, whatever the current directory). Needs pip in the interpreter.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the tomli backport on 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ROOT / "packages"
#: Extras for development only: the wheelhouse leaves them out.
DEV_EXTRAS = frozenset({"test"})


def requirements() -> list[str]:
    """Every package folder by path, and again with its extras (``test`` aside).

    Naming every sibling by path in one pip command means pip never looks for
    our names on an index while it resolves (the plain path too: pip before
    23.3 does not let ``path[extra]`` answer a sibling's plain requirement).
    """
    found = []
    for pyproject in sorted(PACKAGES.glob("*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text())["project"]
        found.append(str(pyproject.parent))
        extras = sorted(set(project.get("optional-dependencies", {})) - DEV_EXTRAS)
        if extras:
            found.append(f"{pyproject.parent}[{','.join(extras)}]")
    return found


def our_wheel_prefixes() -> list[str]:
    """The file name prefixes of our own wheels (``sanic_core-``, ...)."""
    names = []
    for pyproject in sorted(PACKAGES.glob("*/pyproject.toml")):
        name = tomllib.loads(pyproject.read_text())["project"]["name"]
        names.append(name.replace("-", "_") + "-")
    return names


def build(out: Path) -> None:
    """Fill ``out`` with our wheels (rebuilt) and their dependencies' wheels."""
    out.mkdir(parents=True, exist_ok=True)
    # Our own wheels are always rebuilt: no stale version is left to be picked.
    for prefix in our_wheel_prefixes():
        for old in out.glob(f"{prefix}*.whl"):
            old.unlink()
    command = [sys.executable, "-m", "pip", "wheel", "--quiet"]
    command += ["--disable-pip-version-check", "--wheel-dir", str(out)]
    subprocess.run([*command, *requirements()], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "dist", help="default: dist/ at the root"
    )
    args = parser.parse_args(argv)
    try:
        build(args.out)
    except subprocess.CalledProcessError as exc:
        message = f"build_wheels: pip wheel failed (exit {exc.returncode})"
        print(message, file=sys.stderr)
        return 1
    print(f"wheels for every package and its dependencies are in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
