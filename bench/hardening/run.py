"""Run the hardening battery against this framework and its peers; print a table.

The battery is tests/integration/hardening (raw sockets, nine promises). Each
server serves the same routes with the same limits from its own script:

* ours: tests/integration/hardening/server.py with this interpreter (uvloop);
* Sanic 25.12: bench/hardening/peer_sanic.py with ``$BENCH_PEER_PYTHON`` (the
  nox ``bench`` session makes that venv);
* uvicorn+Starlette: bench/hardening/peer_starlette.py with
  ``$HARDENING_STARLETTE_PYTHON``, a separate venv, for instance::

      uv venv /tmp/starlette-venv
      uv pip install --python /tmp/starlette-venv/bin/python \\
          uvicorn uvloop httptools starlette python-multipart
      HARDENING_STARLETTE_PYTHON=/tmp/starlette-venv/bin/python \\
          python bench/hardening/run.py

A peer whose interpreter is not given is skipped. ``--details`` lists every
broken check with the reason.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _battery() -> ModuleType:
    """Import the battery, which lives beside the integration tests."""
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    return importlib.import_module("hardening")


hardening = _battery()
PROMISES = hardening.PROMISES
ServerProcess = hardening.ServerProcess
Target = hardening.Target
checks = hardening.checks
launch_ours = hardening.launch_ours
make_site = hardening.make_site
HERE = Path(__file__).parent
Launcher = Callable[[Path], ServerProcess]


def _peer(python: str, script: str) -> Launcher:
    def launch(site: Path) -> ServerProcess:
        return ServerProcess([python, str(HERE / script)], {"SITE": str(site)})

    return launch


def servers() -> dict[str, Launcher]:
    found: dict[str, Launcher] = {"ours": lambda site: launch_ours(site, "uvloop")}
    sanic = os.environ.get("BENCH_PEER_PYTHON")
    if sanic:
        found["Sanic 25.12"] = _peer(sanic, "peer_sanic.py")
    starlette = os.environ.get("HARDENING_STARLETTE_PYTHON")
    if starlette:
        found["uvicorn+Starlette"] = _peer(starlette, "peer_starlette.py")
    return found


def run_battery(launch: Launcher, site: Path) -> dict[int, list[tuple[str, str]]]:
    """Every check's outcome: (name, "" when kept or the reason it broke)."""
    results: dict[int, list[tuple[str, str]]] = {}
    process = launch(site)
    try:
        for promise in PROMISES:
            for check in checks(promise):
                target = Target("peer", process, site, lambda: launch(site))
                try:
                    check(target)
                    reason = ""
                except Exception as exc:  # a broken promise, or a dead socket
                    reason = f"{type(exc).__name__}: {exc}"[:200]
                if not process.alive():
                    reason = reason or "the server died"
                    process = launch(site)
                results.setdefault(promise, []).append((check.__name__, reason))
    finally:
        process.stop()
    return results


def table(outcomes: dict[str, dict[int, list[tuple[str, str]]]]) -> str:
    names = list(outcomes)
    lines = [
        "| Promise | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for promise, title in PROMISES.items():
        cells = []
        for name in names:
            checked = outcomes[name][promise]
            kept = sum(1 for _, reason in checked if not reason)
            mark = "kept" if kept == len(checked) else "**broken**"
            cells.append(f"{mark} ({kept}/{len(checked)})")
        lines.append(f"| {promise}. {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list broken checks")
    args, _ = parser.parse_known_args()  # the bench session passes its posargs on
    outcomes = {}
    for name, launch in servers().items():
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as tmp:
            outcomes[name] = run_battery(launch, make_site(Path(tmp)))
        print(f"{name}: battery ran in {time.monotonic() - started:.1f}s", flush=True)
    print()
    print(table(outcomes))
    if args.details:
        for name, results in outcomes.items():
            print(f"\n{name}:")
            for promise, checked in results.items():
                for check_name, reason in checked:
                    if reason:
                        print(f"  {promise} {check_name}: {reason}")


if __name__ == "__main__":
    main()
