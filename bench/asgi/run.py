"""ASGI benchmark: this framework, Starlette and a bare ASGI app, all under uvicorn.

The three apps (``servers/``) run under the same uvicorn, started the same way
(``python -m uvicorn <app> --loop uvloop --http httptools --no-access-log``, one
process pinned to one core with ``taskset -c 1``) and are driven by wrk pinned
to the other (``taskset -c 0 wrk -t1 -c64``) on ``GET /`` and ``GET /json``, the
bodies of bench/http/spec.py (this framework and Starlette also carry its ~100
filler routes). The apps take turns within every round (reversed every other
round); the table shows the median of the rounds and the ratios to Starlette
(target: at least 1.5) and to the bare app (the ceiling). Starlette matches its
routes one by one, so it also runs with only the two timed routes (its best case).

All three run in one interpreter (``--python``, default this one), which needs
``uvicorn[standard]``, ``starlette`` and this framework; ``nox -s bench_asgi``
builds it and runs this script::

    python bench/asgi/run.py                 # 3 rounds x 10 s, writes RESULTS.md
    python bench/asgi/run.py --quick         # 1 round x 3 s smoke run, no file
    python bench/asgi/run.py --rounds 5 --only ours,starlette
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
HTTP = BENCH / "http"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(HTTP))

from harness import Served, pinned, race, wrk_rate  # noqa: E402
from peer_options import selected  # noqa: E402
from spec import check_hello  # noqa: E402

SERVER_CORE = "1"
WRK_CORE = "0"
ENDPOINTS = {"GET /": "/", "GET /json": "/json"}


@dataclass(frozen=True)
class App:
    """One row of the table: an ASGI app under uvicorn."""

    key: str
    label: str
    target: str


APPS = (
    App("ours", "this framework", "ours_app:app"),
    App("starlette", "Starlette", "starlette_app:app"),
    App("starlette2", "Starlette, 2 routes only", "starlette_app:two_routes"),
    App("bare", "bare ASGI app (ceiling)", "bare_app:app"),
)


def uvicorn_command(python: str, target: str, port: int) -> list[str]:
    """The one uvicorn command every app is served with."""
    return [
        python, "-m", "uvicorn", target, "--app-dir", str(HERE / "servers"),
        "--host", "127.0.0.1", "--port", str(port), "--loop", "uvloop",
        "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


def start(app: App, python: str) -> Served:
    """One uvicorn process serving ``app``, answering both endpoints correctly."""
    return Served(
        lambda port: pinned(SERVER_CORE, uvicorn_command(python, app.target, port)),
        {**os.environ, "PYTHONPATH": str(HTTP)},
        f"{app.key} did not start",
        check_hello,
    )


def wrk(url: str, seconds: int, connections: int) -> float:
    """Requests per second wrk measured; exits on any failed request."""
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url]
    return wrk_rate(pinned(WRK_CORE, argv), seconds)


def _version(python: str, module: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({module!r}))"
    result = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return result.stdout.strip() or "?"


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--quick", action="store_true", help="1 round x 3 s, no file")
    parser.add_argument("--only", default="", help="comma-separated app keys")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument(
        "--output", default=None, help="Markdown file (default bench/asgi/RESULTS.md)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.duration = 1, 3
    return args


def report(
    args: argparse.Namespace,
    apps: tuple[App, ...],
    medians: dict[tuple[str, str], float],
) -> str:
    versions = ", ".join(
        f"{name} {_version(args.python, name)}"
        for name in ("uvicorn", "uvloop", "httptools", "starlette", "sanic-core")
    )
    others = (
        [app for app in apps if app.key != "ours"]
        if "ours" in [app.key for app in apps]
        else []
    )
    lines = [
        "# This framework under uvicorn, against Starlette and a bare ASGI app",
        "",
        f"{datetime.date.today()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; {versions}. One uvicorn process per app "
        "(`--loop uvloop --http httptools --no-access-log`) pinned to core "
        f"{SERVER_CORE}, `wrk -t1 -c{args.connections}` pinned to core {WRK_CORE}, "
        f"{args.rounds} rounds x {args.duration} s (median requests per second). "
        "This framework and the first Starlette app carry bench/http's ~100 filler "
        "routes; the second Starlette app has only the two timed ones. "
        "Produced by `nox -s bench_asgi` (`python bench/asgi/run.py`).",
        "",
        "| endpoint | "
        + " | ".join(app.label for app in apps)
        + "".join(f" | ours / {app.key}" for app in others)
        + " |",
        "|---|" + "---:|" * (len(apps) + len(others)),
    ]
    for endpoint in ENDPOINTS:
        row = [f"{medians[app.key, endpoint]:,.0f}" for app in apps]
        row += [
            f"{medians['ours', endpoint] / medians[app.key, endpoint]:.2f}x"
            for app in others
        ]
        lines.append(f"| {endpoint} | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = _options(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not on PATH (apt-get install wrk)")
    apps = selected(APPS, args.only)
    by_key = {app.key: app for app in apps}
    samples = race(
        args.rounds,
        list(by_key),
        ENDPOINTS,
        lambda key: start(by_key[key], args.python),
        lambda url, seconds: wrk(url, seconds, args.connections),
        args.duration,
    )
    medians = {key: statistics.median(values) for key, values in samples.items()}
    text = report(args, apps, medians)
    print(text)
    if not args.quick:
        output = Path(args.output) if args.output else HERE / "RESULTS.md"
        output.write_text(text)


if __name__ == "__main__":
    main()
