"""HTTP benchmark: this framework against Sanic 25.12, aiohttp.web and a raw ceiling.

Each server runs pinned to one core (``taskset -c 1``) and is driven by wrk pinned
to the other (``taskset -c 0 wrk -t1 -c64 --latency``). The servers take turns
within every round, so drift of the machine hits them all alike; the table shows
the median of the rounds. The 4-worker rows share both cores with wrk and are only
meaningful as a ratio. Startup (``import sanic`` and building a 100-route app) is
timed in fresh processes.

Sanic 25.12 also imports as ``sanic``, so the peers live in a second virtualenv
whose interpreter is ``--peer-python`` (default: ``$BENCH_PEER_PYTHON``). It needs
``sanic==25.12.*``, ``aiohttp``, ``uvloop`` and ``httptools``. ``nox -s bench_http``
builds it and runs this script::

    python bench/http/run.py                    # 3 rounds x 10 s, writes RESULTS.md
    python bench/http/run.py --quick            # 1 round x 3 s smoke run, no file
    python bench/http/run.py --rounds 5 --duration 8 --only ours,sanic
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from json import loads
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/

from harness import (
    cpu_model,
    free_port,
    python_says,
    start_session,
    stop_session,
    wait_ready,
)
from peer_options import parse_peer_options, peer_parser, selected
from report import Run, Sample, write_report
from spec import ECHO_BODY, ENDPOINTS, JSON_BODY, TEXT_BODY, user_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SERVER_CORE = "1"
WRK_CORE = "0"
MULTI_WORKERS = 4


@dataclass(frozen=True)
class Server:
    """One row of the table: a script and the interpreter that runs it."""

    key: str
    label: str
    script: str
    peer: bool
    workers: int = 1
    endpoints: tuple[str, ...] = tuple(ENDPOINTS)


SERVERS = (
    Server("ours", "this framework (1 worker)", "ours.py", False),
    Server("sanic", "Sanic 25.12 (single process)", "sanic_peer.py", True),
    Server("aiohttp", "aiohttp.web 3 on uvloop", "aiohttp_peer.py", True),
    Server("raw", "raw httptools+uvloop (ceiling)", "raw_ceiling.py", True),
    Server("ours4", "this framework (4 workers)", "ours.py", False, 4, ("GET /",)),
    Server("sanic4", "Sanic 25.12 (4 workers)", "sanic_peer.py", True, 4, ("GET /",)),
)


@dataclass
class Options:
    ours_python: str
    peer_python: str
    rounds: int
    duration: int
    warmup: int
    connections: int
    servers: tuple[Server, ...]
    startup_runs: int
    echo_file: str = ""
    log_dir: str = ""
    commands: list[str] = field(default_factory=list)


def _fetch(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if data else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read()


def _check(base: str, server: Server) -> None:
    """Refuse to time a server that does not answer every endpoint correctly."""
    expected = {
        "GET /": TEXT_BODY,
        "GET /json": JSON_BODY,
        "GET /user/<id:int>/post/<slug>": user_text(12345, "hello-world"),
        "POST /echo": loads(ECHO_BODY),
    }
    for name in server.endpoints:
        path, script = ENDPOINTS[name]
        body = ECHO_BODY.encode() if script else None
        status, data = _fetch(base + path, body)
        value = data.decode() if isinstance(expected[name], str) else loads(data)
        if status != 200 or value != expected[name]:
            raise SystemExit(f"{server.key} {name}: got {status} {data[:200]!r}")


class Running:
    """A started server process (its own session, so workers stop with it)."""

    def __init__(self, server: Server, options: Options) -> None:
        python = options.peer_python if server.peer else options.ours_python
        self.port = free_port()
        argv = [python, str(HERE / "servers" / server.script), "--port"]
        argv += [str(self.port), "--workers", str(server.workers)]
        if server.workers == 1:
            argv = ["taskset", "-c", SERVER_CORE, *argv]
        env = {**os.environ, "PYTHONPATH": str(HERE)}
        self.log = Path(options.log_dir) / f"{server.key}.log"
        # The child keeps its own copy of the descriptor.
        with self.log.open("ab") as log:
            self.process = start_session(argv, env, log)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_ready(self.process, lambda: _fetch(self.base + "/"), self._log_tail)

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def rss_kib(self, field: str = "VmRSS") -> int:
        """Resident memory of the server process (the parent, for workers).

        ``field="VmHWM"`` gives its peak instead (since start, or since the
        last ``reset_peak_rss``).
        """
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = re.search(rf"{field}:\s+(\d+) kB", status)
        return int(found[1]) if found else 0

    def reset_peak_rss(self) -> bool:
        """Reset the process's ``VmHWM`` to its current RSS (Linux: ``clear_refs``).

        Returns:
            False where the kernel does not allow it (the peak then counts from
            the process's start).
        """
        try:
            Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def stop(self) -> None:
        stop_session(self.process)


_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(options: Options, url: str, script: str | None, seconds: int) -> Sample:
    argv = ["taskset", "-c", WRK_CORE, "wrk", "-t1", f"-c{options.connections}"]
    argv += [f"-d{seconds}s", "--latency"]
    if script:
        argv += ["-s", str(HERE / script)]
    argv.append(url)
    env = {**os.environ, "BENCH_ECHO_BODY": options.echo_file}
    out = subprocess.run(
        argv, env=env, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise SystemExit(f"cannot read wrk output:\n{out}")
    latency = {p: float(v) * _UNITS[u] for p, v, u in _LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: (.*)", out)
    return Sample(
        rps=float(rate[1]),
        p50_ms=latency.get("50", 0.0),
        p99_ms=latency.get("99", 0.0),
        errors=(int(errors[1]) if errors else 0),
        socket_errors=sockets[1].strip() if sockets else "",
    )


def _command(options: Options, script: str | None, url: str) -> str:
    script_arg = f" -s bench/http/{script}" if script else ""
    return (
        f"taskset -c {WRK_CORE} wrk -t1 -c{options.connections} "
        f"-d{options.duration}s --latency{script_arg} {url}"
    )


def _measure(
    options: Options, run: Run, number: int, server: Server, started: Running, name: str
) -> None:
    path, script = ENDPOINTS[name]
    url = started.base + path
    if options.warmup:
        _wrk(options, url, script, options.warmup)
    sample = _wrk(options, url, script, options.duration)
    sample.rss_kib = started.rss_kib()
    run.add(server.key, name, sample)
    print(
        f"round {number} {server.key:8} {name:32} "
        f"{sample.rps:10.0f} req/s  p50 {sample.p50_ms:6.2f} ms  "
        f"p99 {sample.p99_ms:6.2f} ms  "
        f"rss {sample.rss_kib / 1024:5.1f} MiB",
        flush=True,
    )


def _round(options: Options, run: Run, number: int) -> None:
    """One round: the single-worker servers take turns on each endpoint.

    They are all up at once and take turns endpoint by endpoint (in reverse
    order every other round), so a burst of noise on this shared machine lands on
    neighbouring runs of different servers instead of on one server's whole
    block. Multi-worker servers run afterwards, one at a time (idle, Sanic's
    worker manager still uses CPU, which would disturb the other rows).
    """
    single = [server for server in options.servers if server.workers == 1]
    running: list[tuple[Server, Running]] = []
    try:
        for server in single:
            started = Running(server, options)
            running.append((server, started))
            _check(started.base, server)
        if number % 2 == 0:
            running.reverse()
        for name in ENDPOINTS:
            for server, started in running:
                if name in server.endpoints:
                    _measure(options, run, number, server, started, name)
    finally:
        for _, started in running:
            started.stop()
    for server in options.servers:
        if server.workers == 1:
            continue
        started = Running(server, options)
        try:
            _check(started.base, server)
            for name in server.endpoints:
                _measure(options, run, number, server, started, name)
        finally:
            started.stop()


STARTUP_CODE = """
import time
start = time.perf_counter()
import sanic
from sanic.response import json, text
from spec import add_sanic_routes
app = sanic.Sanic("startup")
add_sanic_routes(app, text, json)
print(time.perf_counter() - start)
"""


def _startup(python: str, runs: int) -> tuple[float, float]:
    """Median (in-process seconds, whole-process seconds) over fresh processes.

    As a deployed app starts: from compiled bytecode. One untimed run first
    writes it (``PYTHONDONTWRITEBYTECODE`` is dropped; an install by uv writes
    none), else every run would time compiling the framework's source.
    """
    inner, outer = [], []
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [python, "-c", STARTUP_CODE], env=env, capture_output=True, check=True
    )
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(
            ["taskset", "-c", SERVER_CORE, python, "-c", STARTUP_CODE],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        outer.append(time.perf_counter() - start)
        inner.append(float(out.split()[-1]))
    return statistics.median(inner), statistics.median(outer)


def _versions(options: Options) -> dict[str, str]:
    peer = options.peer_python
    return {
        "python": platform.python_version(),
        "this framework": python_says(
            options.ours_python,
            "import importlib.metadata as m; print(m.version('sanic-core'))",
        ),
        "sanic": python_says(peer, "import sanic; print(sanic.__version__)"),
        "aiohttp": python_says(peer, "import aiohttp; print(aiohttp.__version__)"),
        "uvloop": python_says(peer, "import uvloop; print(uvloop.__version__)"),
        "httptools": python_says(
            peer, "import httptools; print(httptools.__version__)"
        ),
        "wrk": subprocess.run(
            ["wrk", "-v"], capture_output=True, text=True, check=False
        ).stdout.split("\n")[0],
        "kernel": platform.release(),
        "cpu": cpu_model(),
    }


def _options(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    parser = peer_parser(
        __doc__.split("\n")[0], quick="1 round of 3 s", report="bench/RESULTS.md"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds, untimed")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--startup-runs", type=int, default=7)
    parser.add_argument(
        "--startup-only",
        action="store_true",
        help="only the startup figures, printed (no wrk rounds, no report)",
    )
    args = parse_peer_options(parser, argv)
    if args.quick:
        args.rounds, args.duration, args.warmup, args.startup_runs = 1, 3, 1, 3
    if shutil.which("wrk") is None or shutil.which("taskset") is None:
        parser.error("wrk and taskset must be on PATH (apt-get install wrk)")
    servers = selected(SERVERS, args.only)
    options = Options(
        ours_python=args.ours_python,
        peer_python=args.peer_python,
        rounds=args.rounds,
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        servers=servers,
        startup_runs=args.startup_runs,
    )
    return options, args


def _startups(options: Options) -> dict[str, tuple[float, float]]:
    """Both frameworks' startup figures, printed as measured."""
    startup = {
        "ours": _startup(options.ours_python, options.startup_runs),
        "sanic": _startup(options.peer_python, options.startup_runs),
    }
    for key, (inner, outer) in startup.items():
        print(
            f"startup {key:6} {inner * 1000:7.1f} ms in-process, {outer * 1000:7.1f} ms"
        )
    return startup


def main(argv: list[str] | None = None) -> None:
    options, args = _options(argv)
    if args.startup_only:
        _startups(options)
        return
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        options.echo_file = str(Path(tmp) / "echo.json")
        Path(options.echo_file).write_text(ECHO_BODY)
        options.log_dir = tmp
        run = Run()
        for number in range(1, options.rounds + 1):
            _round(options, run, number)
    startup = _startups(options)
    commands = [
        _command(options, script, f"http://127.0.0.1:PORT{path}")
        for path, script in ENDPOINTS.values()
    ]
    output = args.output or (None if args.quick else str(HERE.parent / "RESULTS.md"))
    if output:
        write_report(
            Path(output),
            run,
            startup,
            servers=[(s.key, s.label, s.workers) for s in options.servers],
            versions=_versions(options),
            settings={
                "rounds": options.rounds,
                "duration": options.duration,
                "warmup": options.warmup,
                "connections": options.connections,
                "date": datetime.date.today().isoformat(),
                "invocation": "python bench/http/run.py "
                + " ".join(argv or sys.argv[1:]),
            },
            commands=commands,
        )
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
