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
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
HTTP = HERE.parent / "http"
SERVERS = HTTP / "servers"
sys.path.insert(0, str(HTTP))

from spec import JSON_BODY, TEXT_BODY  # noqa: E402

ENDPOINTS = {"GET /": ("/", TEXT_BODY.encode()), "GET /json": ("/json", None)}
KINDS = {
    "native": "app.run(workers=N)",
    "gunicorn": "gunicorn -k sanic.worker.GunicornWorker -w N",
}
READY_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


class Running:
    """One server process (its own session, so its workers go with it)."""

    def __init__(self, kind: str, workers: int) -> None:
        self.port = free_port()
        env = {**os.environ, "PYTHONPATH": str(HTTP)}
        self.proc = subprocess.Popen(
            command(kind, self.port, workers),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                self.check()
                return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise SystemExit(f"{kind} did not start") from None
                time.sleep(0.1)

    def check(self) -> None:
        for path, body in ENDPOINTS.values():
            with urllib.request.urlopen(self.base + path, timeout=5) as reply:
                data = reply.read()
            expected = body if body is not None else None
            if expected is not None and data != expected:
                raise SystemExit(f"{path} answered {data!r}")
            if expected is None and json.loads(data) != JSON_BODY:
                raise SystemExit(f"{path} answered {data!r}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def wrk(url: str, seconds: int, connections: int) -> float:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url]
    out = subprocess.run(
        argv, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if rate is None or errors is not None:
        raise SystemExit(f"wrk: no rate or failed requests:\n{out}")
    return float(rate[1])


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
    samples: dict[tuple[str, str], list[float]] = {}
    for number in range(args.rounds):
        order = list(KINDS) if number % 2 == 0 else list(reversed(KINDS))
        for endpoint, (path, _) in ENDPOINTS.items():
            for kind in order:
                server = Running(kind, args.workers)
                try:
                    wrk(server.base + path, 1, args.connections)  # warm-up
                    rps = wrk(server.base + path, args.duration, args.connections)
                finally:
                    server.stop()
                samples.setdefault((kind, endpoint), []).append(rps)
                print(f"round {number + 1} {kind:8} {endpoint:10} {rps:10.0f} req/s")
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
