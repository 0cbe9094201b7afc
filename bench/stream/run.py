"""Streamed-upload benchmark: MB/s and peak RSS against Sanic 25.12's streaming route.

Each server serves ``POST /upload`` with ``stream=True`` and a handler that reads
``await request.stream.read()`` until ``None``, counting the bytes
(``servers/upload_app.py``: the same code on both). The server runs pinned to core
1 as in ``bench/http`` (whose ``Running`` starts it and reads its RSS); this
process is the client, pinned to core 0: ``--connections`` threads each upload
``--size`` MiB at once, once with ``Transfer-Encoding: chunked`` (64 KiB chunks)
and once with ``Content-Length``, and check the count the handler answers.
Throughput is all the bytes over the wall time from the first byte sent to the
last answer read (MB = 10^6 bytes). Peak RSS is the server's ``VmHWM``, reset
before each upload; where the kernel refuses the reset, the largest ``VmRSS``
sampled every 10 ms instead.

The servers take turns within every round (in reverse order every other round)
and each round starts them afresh; the table shows the median MB/s and the
largest peak RSS over the rounds. ``nox -s bench_stream`` builds the peer
virtualenv (``sanic==25.12.*``) and runs this script::

    python bench/stream/run.py --peer-python P      # 3 rounds, writes RESULTS-stream.md
    python bench/stream/run.py --peer-python P --quick   # 1 round of 32 MiB, no file
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/

from harness import checkout, cpu_model, python_says, report_tail
from peer_options import parse_peer_options, peer_parser, selected

HERE = Path(__file__).resolve().parent
HTTP = HERE.parent / "http"
MIB = 1 << 20
CHUNK = 64 * 1024  # payload of each chunk of the chunked uploads
MODES = ("chunked", "content-length")


def _load_http_bench() -> Any:
    """bench/http/run.py as a module (its ``report`` and ``spec`` on sys.path)."""
    sys.path.insert(0, str(HTTP))
    spec = importlib.util.spec_from_file_location("bench_http_run", HTTP / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


http_bench = _load_http_bench()

SERVERS = (
    http_bench.Server(
        "ours", "this framework", str(HERE / "servers" / "ours.py"), False
    ),
    http_bench.Server(
        "sanic", "Sanic 25.12", str(HERE / "servers" / "sanic_peer.py"), True
    ),
)


@dataclass
class Sample:
    """One upload run of one server."""

    mb_s: float
    peak_kib: int
    idle_kib: int


Results = dict[tuple[str, str], list[Sample]]


def _payload(mode: str) -> bytes:
    """One MiB of body, as the bytes that go on the wire for ``mode``."""
    data = bytes(range(256)) * (MIB // 256)
    if mode == "content-length":
        return data
    frame = f"{CHUNK:x}\r\n".encode()
    return b"".join(frame + data[i : i + CHUNK] + b"\r\n" for i in range(0, MIB, CHUNK))


def _head(mode: str, size: int) -> bytes:
    framing = (
        "Transfer-Encoding: chunked" if mode == "chunked" else f"Content-Length: {size}"
    )
    return (
        f"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/octet-stream\r\n{framing}\r\n\r\n"
    ).encode()


def _read_answer(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(65536)
        if not more:
            raise ConnectionError(f"closed before the answer: {data[:200]!r}")
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    while len(body) < length:
        more = sock.recv(65536)
        if not more:
            break
        body += more
    return status, body


def _uploader(
    port: int, mode: str, mib: int, start: threading.Barrier, errors: list[str]
) -> None:
    """One connection: wait for the others, upload ``mib`` MiB, check the count."""
    payload = memoryview(_payload(mode))
    size = mib * MIB
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=300) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            start.wait()
            sock.sendall(_head(mode, size))
            for _ in range(mib):
                sock.sendall(payload)
            if mode == "chunked":
                sock.sendall(b"0\r\n\r\n")
            status, body = _read_answer(sock)
            if status != 200 or body != str(size).encode():
                errors.append(f"{mode}: got {status} {body[:200]!r}, sent {size}")
    except (OSError, threading.BrokenBarrierError) as exc:
        errors.append(f"{mode}: {exc!r}")
        start.abort()


def _upload(started: Any, mode: str, connections: int, mib: int) -> Sample:
    """Time ``connections`` concurrent uploads of ``mib`` MiB; sample the RSS."""
    errors: list[str] = []
    start = threading.Barrier(connections + 1)
    threads = [
        threading.Thread(
            target=_uploader, args=(started.port, mode, mib, start, errors)
        )
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    idle = started.rss_kib()
    reset = started.reset_peak_rss()
    sampled = [idle]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            sampled.append(started.rss_kib())

    sampler = threading.Thread(target=sample)
    sampler.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    done.set()
    sampler.join()
    if errors:
        raise SystemExit(f"upload failed: {errors}\n{started._log_tail()}")
    peak = max(sampled)
    if reset:
        peak = max(peak, started.rss_kib("VmHWM"))
    return Sample(
        mb_s=connections * mib * MIB / elapsed / 1e6, peak_kib=peak, idle_kib=idle
    )


def _round(
    options: Any, args: argparse.Namespace, number: int, results: Results
) -> None:
    running = []
    try:
        for server in options.servers:
            started = http_bench.Running(server, options)
            running.append((server, started))
            _upload(started, "chunked", 1, 4)  # untimed warm-up, checked
        if number % 2 == 0:
            running.reverse()
        for mode in MODES:
            for server, started in running:
                sample = _upload(started, mode, args.connections, args.size)
                results[server.key, mode].append(sample)
                print(
                    f"round {number} {server.key:6} {mode:15} "
                    f"{sample.mb_s:8.1f} MB/s  peak RSS "
                    f"{sample.peak_kib / 1024:6.1f} MiB "
                    f"(idle {sample.idle_kib / 1024:5.1f} MiB)",
                    flush=True,
                )
    finally:
        for _, started in running:
            started.stop()


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if a and b else "n/a"


def _report(
    args: argparse.Namespace, results: Results, versions: dict[str, str]
) -> str:
    servers = [s for s in SERVERS if (s.key, MODES[0]) in results]
    total = args.connections * args.size
    invocation = " ".join(["python bench/stream/run.py", *args.argv])
    lines = [
        "# Streamed upload benchmark results",
        "",
        f"Written by `{invocation}` on {datetime.date.today().isoformat()}. "
        f"{args.connections} connections each upload {args.size} MiB at once "
        f"({total} MiB per run) to a streaming route whose handler reads "
        "`await request.stream.read()` until `None` and answers the byte count "
        "(checked). MB/s is all the bytes over the wall time from the first byte "
        "sent to the last answer (MB = 10^6 bytes); median of "
        f"{args.rounds} rounds, the servers taking turns (in reverse order every "
        "other round), each started afresh every round. Peak RSS is the server "
        "process's `VmHWM`, reset before each upload (largest over the rounds); "
        "idle RSS is `VmRSS` just before the upload. Server pinned to core 1, "
        "client (this script, one thread per connection) to core 0, on a "
        "shared 2-core VM: MB/s moves from run to run, peak RSS hardly does.",
        "",
    ]
    for mode in MODES:
        sanic = results.get(("sanic", mode))
        sanic_mb = statistics.median(s.mb_s for s in sanic) if sanic else 0.0
        sanic_peak = max(s.peak_kib for s in sanic) if sanic else 0
        framing = "chunked, 64 KiB chunks" if mode == "chunked" else "Content-Length"
        lines += [
            f"## `POST /upload` ({framing})",
            "",
            "| server | MB/s | peak RSS MiB | idle RSS MiB | MB/s vs Sanic "
            "| peak RSS vs Sanic |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for server in servers:
            samples = results[server.key, mode]
            mb_s = statistics.median(s.mb_s for s in samples)
            peak = max(s.peak_kib for s in samples)
            idle = statistics.median(s.idle_kib for s in samples)
            lines.append(
                f"| {server.label} | {mb_s:,.0f} | {peak / 1024:.1f} "
                f"| {idle / 1024:.1f} | {_ratio(mb_s, sanic_mb)} "
                f"| {_ratio(peak, sanic_peak)} |"
            )
        lines.append("")
    lines += report_tail(
        HERE,
        versions,
        [
            "nox -s bench_stream          # or: python bench/stream/run.py "
            "--peer-python P"
        ],
        "Servers: `bench/stream/servers/*.py` (`taskset -c 1 python <script> "
        "--port PORT`), the route in `bench/stream/servers/upload_app.py`.",
    )
    return "\n".join(lines)


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = peer_parser(
        __doc__.split("\n")[0],
        quick="1 round of 32 MiB",
        report="bench/RESULTS-stream.md",
    )
    parser.add_argument("--size", type=int, default=256, help="MiB per connection")
    parser.add_argument("--connections", type=int, default=4)
    args = parse_peer_options(parser, argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.quick:
        args.rounds, args.size = 1, 32
    return args


def main(argv: list[str] | None = None) -> None:
    args = _options(argv)
    servers = selected(SERVERS, args.only)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(http_bench.WRK_CORE)})
    results: Results = {(s.key, mode): [] for s in servers for mode in MODES}
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as tmp:
        options = http_bench.Options(
            ours_python=args.ours_python,
            peer_python=args.peer_python,
            rounds=args.rounds,
            duration=0,
            warmup=0,
            connections=args.connections,
            servers=servers,
            startup_runs=0,
            log_dir=tmp,
        )
        for number in range(1, args.rounds + 1):
            _round(options, args, number, results)
    output = args.output or (
        None if args.quick else str(HERE.parent / "RESULTS-stream.md")
    )
    if output:
        peer = args.peer_python
        versions = {
            "python": platform.python_version(),
            "this framework": python_says(
                args.ours_python,
                "import importlib.metadata as m; print(m.version('sanic-core'))",
            ),
            "checkout": checkout(),
            "sanic": python_says(peer, "import sanic; print(sanic.__version__)"),
            "peer python": python_says(
                peer, "import platform; print(platform.python_version())"
            ),
            "kernel": platform.release(),
            "cpu": cpu_model(),
        }
        Path(output).write_text(_report(args, results, versions))
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
