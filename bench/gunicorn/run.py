"""gunicorn's native worker against the app's own multi-worker mode, with wrk.

The same app (bench/http/servers/ours.py: the HTTP benchmark's routes, access
log off) runs two ways with the same number of workers:

* ``app.run(workers=N)`` (``ours.py --workers N``);
* ``gunicorn ours:app -k sanic.worker.GunicornWorker -w N``.

Each round starts both afresh, checks ``GET /`` and ``GET /json`` answer what
bench/http/spec.py says, then times each endpoint with
``wrk -t2 -c128 -d<N>s`` on each server in turn (reverse order every other
round). The table gives the median requests per second of the rounds and the
ratio gunicorn / native; the target is a ratio of at least 0.95. wrk and the
workers share the machine's cores, so only the ratio means something::

    python bench/gunicorn/run.py                 # 3 rounds x 10 s, writes RESULTS.md
    python bench/gunicorn/run.py --quick         # 1 round x 3 s, writes nothing
    python bench/gunicorn/run.py --workers 2 --rounds 5 --duration 8

Needs gunicorn in the interpreter (``pip install "sanic-core[gunicorn]"``) and
wrk on ``PATH``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HTTP = HERE.parent / "http"
SERVERS = HTTP / "servers"
sys.path.insert(0, str(HTTP))
sys.path.insert(0, str(HERE.parent))

from harness import Served, race, wrk_rate  # noqa: E402
from spec import check_hello  # noqa: E402

ENDPOINTS = {"GET /": "/", "GET /json": "/json"}
KINDS = {
    "native": "app.run(workers=N)",
    "gunicorn": "gunicorn -k sanic.worker.GunicornWorker -w N",
}


def command(kind: str, port: int, workers: int) -> list[str]:
    if kind == "native":
        return [sys.executable, str(SERVERS / "ours.py"), "--port", str(port),
                "--workers", str(workers)]  # fmt: skip
    return [
        sys.executable, "-m", "gunicorn", "ours:app", "--chdir", str(SERVERS),
        "-k", "sanic.worker.GunicornWorker", "-w", str(workers),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        *(["--no-control-socket"] if _has_control_socket() else []),
    ]  # fmt: skip


def _has_control_socket() -> bool:
    from gunicorn.config import Config

    return "control_socket" in Config().settings


def start(kind: str, workers: int) -> Served:
    """One server (its own session, so its workers go with it), answering both
    endpoints correctly."""
    return Served(
        lambda port: command(kind, port, workers),
        {**os.environ, "PYTHONPATH": str(HTTP)},
        f"{kind} did not start",
        check_hello,
    )


def wrk(url: str, seconds: int, connections: int) -> float:
    return wrk_rate(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url], seconds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=128)
    parser.add_argument("--quick", action="store_true", help="1 round x 3 s, no file")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.duration = 1, 3
    samples = race(
        args.rounds,
        list(KINDS),
        ENDPOINTS,
        lambda kind: start(kind, args.workers),
        lambda url, seconds: wrk(url, seconds, args.connections),
        args.duration,
    )
    lines = [
        "# gunicorn's native worker against app.run(workers=N)",
        "",
        f"{datetime.date.today()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {args.workers} workers, wrk -t2 "
        f"-c{args.connections}, {args.rounds} rounds x {args.duration} s "
        "(median). Produced by `python bench/gunicorn/run.py`.",
        "",
        f"| endpoint | {KINDS['native']} | {KINDS['gunicorn']} | ratio |",
        "|---|---:|---:|---:|",
    ]
    for endpoint in ENDPOINTS:
        native = statistics.median(samples["native", endpoint])
        ours = statistics.median(samples["gunicorn", endpoint])
        lines.append(
            f"| {endpoint} | {native:,.0f} | {ours:,.0f} | {ours / native:.2f} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.quick:
        (HERE / "RESULTS.md").write_text(report)


if __name__ == "__main__":
    main()
