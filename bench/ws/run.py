"""WebSocket benchmark: echo messages/s and idle-connection memory against Sanic 25.12
and uvicorn+Starlette.

Every server serves the same websocket echo at ``/echo`` (``servers/ws_app.py``
for the Sanic API, ``servers/starlette_peer.py`` for Starlette's) with its
default settings, started by ``bench/http/run.py``'s ``Running`` (pinned to
core 1, a free port, RSS from ``/proc``). This process is the client, pinned to
core 0, on one event loop (uvloop where it is installed): each of
``--connections`` websockets (64) sends a text message (64 bytes, then 16 KiB),
waits for the echo and sends the next, for ``--duration`` seconds after a
second of warm-up. Frames are built and masked once; replies are counted by
parsing the server's frame headers. Messages/s is the echoes completed in the
timed window over its length. The client offers no compression, so no server
compresses.

Idle memory: ``--idle`` websockets (5,000) are opened to a freshly started
server and left idle; the server's RSS growth over its RSS before they opened,
divided by their number, is the memory per idle connection.

The servers take turns within every round (in reverse order every other round)
and every round starts them afresh; the table shows the median over the rounds.
``nox -s bench_ws`` builds the peer virtualenvs and runs this script::

    python bench/ws/run.py --peer-python P --starlette-python S   # writes RESULTS.md
    python bench/ws/run.py --peer-python P --quick   # 1 round of 3 s, no file
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime
import hashlib
import importlib.util
import os
import platform
import resource
import statistics
import struct
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/

from harness import checkout, cpu_model, python_says, report_tail
from peer_options import parse_peer_options, peer_parser, selected

HERE = Path(__file__).resolve().parent
HTTP = HERE.parent / "http"
ECHO_PATH = "/echo"  # servers/ws_app.py's
SIZES = (64, 16 * 1024)
KEY = base64.b64encode(b"bench-ws-key-16b").decode()
ACCEPT = base64.b64encode(
    hashlib.sha1((KEY + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
)
MASK = b"\x37\xfa\x21\x3d"
HANDSHAKE_CONCURRENCY = 100  # connections opening at once (below every backlog)


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
SERVERS_DIR = HERE / "servers"
SERVERS = (
    http_bench.Server("ours", "this framework", str(SERVERS_DIR / "ours.py"), False),
    http_bench.Server("sanic", "Sanic 25.12", str(SERVERS_DIR / "sanic_peer.py"), True),
    http_bench.Server(
        "starlette",
        "uvicorn + Starlette",
        str(SERVERS_DIR / "starlette_peer.py"),
        True,
    ),
)


# -- frames ---------------------------------------------------------------------


def client_frame(opcode: int, payload: bytes) -> bytes:
    """One final, masked client frame (RFC 6455 section 5.2)."""
    length = len(payload)
    if length < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    masked = bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))
    return head + MASK + masked


def payload(size: int) -> bytes:
    """``size`` bytes of printable ASCII: a valid text message."""
    alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789"
    return (alphabet * (size // len(alphabet) + 1))[:size]


def parse_frames(buffer: bytearray) -> list[tuple[int, bytes]]:
    """Take every complete unmasked server frame off the front of ``buffer``."""
    frames = []
    while len(buffer) >= 2:
        opcode, length = buffer[0] & 0x0F, buffer[1] & 0x7F
        start = 2
        if length == 126:
            if len(buffer) < 4:
                break
            (length,) = struct.unpack_from("!H", buffer, 2)
            start = 4
        elif length == 127:
            if len(buffer) < 10:
                break
            (length,) = struct.unpack_from("!Q", buffer, 2)
            start = 10
        if len(buffer) < start + length:
            break
        frames.append((opcode, bytes(buffer[start : start + length])))
        del buffer[: start + length]
    return frames


# -- the client -----------------------------------------------------------------


class EchoClient(asyncio.Protocol):
    """One websocket: the handshake, then one message in flight at a time.

    ``data_received`` counts a reply when a whole frame of the expected size
    arrived in one piece (the common case) and parses frame headers otherwise;
    it answers pings, and stops sending once ``sending`` is cleared.
    """

    def __init__(self, host: str, frame: bytes | None, reply: int) -> None:
        self.request = (
            f"GET {ECHO_PATH} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {KEY}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
        self.frame = frame
        self.reply = reply  # the size of an echo frame on the wire
        self.transport: asyncio.Transport | None = None
        self.head = bytearray()
        self.buffer = bytearray()
        self.upgraded = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.count = 0
        self.sending = True
        self.in_flight = False
        self.messages: list[tuple[int, bytes]] = []  # kept only by check()
        self.keep = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is no subclass
        self.transport.write(self.request)

    def start(self) -> None:
        """Send the first message (the rest follow each reply)."""
        if self.frame is not None and self.transport is not None:
            self.in_flight = True
            self.transport.write(self.frame)

    def data_received(self, data: bytes) -> None:
        if not self.upgraded.done():
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            head, rest = bytes(self.head[:end]), self.head[end + 4 :]
            if not head.startswith(b"HTTP/1.1 101") or ACCEPT not in head:
                self.upgraded.set_exception(ConnectionError(head[:300].decode()))
                return
            self.upgraded.set_result(None)
            if not rest:
                return
            data = bytes(rest)
        if not self.buffer and len(data) == self.reply and not self.keep:
            self._replied()
            return
        self.buffer += data
        for opcode, body in parse_frames(self.buffer):
            if opcode == 0x9 and self.transport is not None:  # ping: pong
                self.transport.write(client_frame(0xA, body))
            elif opcode == 0x8:
                if not self.closed.done():
                    self.closed.set_result(body[:2])
            elif opcode != 0xA:
                if self.keep:
                    self.messages.append((opcode, body))
                self._replied()

    def _replied(self) -> None:
        self.count += 1
        if self.sending and self.frame is not None and self.transport is not None:
            self.transport.write(self.frame)
        else:
            self.in_flight = False

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.upgraded.done():
            self.upgraded.set_exception(exc or ConnectionError("closed"))
        if not self.closed.done():
            self.closed.set_result(b"")

    async def close(self) -> None:
        """Close with 1000, wait for the server's close, then drop the socket."""
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(client_frame(0x8, struct.pack("!H", 1000)))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.closed), 5)
        self.transport.close()


async def _open(
    port: int, count: int, frame: bytes | None, reply: int
) -> list[EchoClient]:
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(HANDSHAKE_CONCURRENCY)
    host = f"127.0.0.1:{port}"

    async def one() -> EchoClient:
        async with gate:
            _, client = await loop.create_connection(
                lambda: EchoClient(host, frame, reply), "127.0.0.1", port
            )
            await asyncio.wait_for(client.upgraded, 30)
            return client

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def _close(clients: list[EchoClient]) -> None:
    await asyncio.gather(*(client.close() for client in clients))


def reply_size(size: int) -> int:
    """The bytes of a server's unmasked text frame carrying ``size`` bytes."""
    return size + (2 if size < 126 else 4 if size < 1 << 16 else 10)


async def check(port: int) -> None:
    """Refuse to time a server whose echo is not exact (text stays text)."""
    (client,) = await _open(port, 1, None, 0)
    client.keep = True
    assert client.transport is not None
    for size in SIZES:
        client.messages.clear()
        client.transport.write(client_frame(0x1, payload(size)))
        deadline = time.monotonic() + 10
        while not client.messages and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if client.messages != [(0x1, payload(size))]:
            got = [(op, body[:40]) for op, body in client.messages]
            raise SystemExit(f"echo of {size} bytes: got {got}")
    await client.close()


async def echo_rate(
    port: int, size: int, connections: int, warmup: float, duration: float
) -> tuple[float, float]:
    """Messages/s over ``connections`` websockets, and the client's CPU share."""
    frame = client_frame(0x1, payload(size))
    clients = await _open(port, connections, frame, reply_size(size))
    for client in clients:
        client.start()
    await asyncio.sleep(warmup)
    before = sum(c.count for c in clients)
    cpu, began = time.process_time(), time.perf_counter()
    await asyncio.sleep(duration)
    elapsed = time.perf_counter() - began
    done = sum(c.count for c in clients) - before
    busy = (time.process_time() - cpu) / elapsed
    for client in clients:
        client.sending = False
    deadline = time.monotonic() + 10
    while any(c.in_flight for c in clients) and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    await _close(clients)
    return done / elapsed, busy


async def idle_memory(started: Any, count: int) -> tuple[int, int]:
    """Open ``count`` idle websockets; the server's RSS before and with them (KiB)."""
    await asyncio.sleep(0.5)
    before = started.rss_kib()
    clients = await _open(started.port, count, None, 0)
    await asyncio.sleep(2)
    with_them = started.rss_kib()
    await _close(clients)
    return before, with_them


# -- rounds and report ----------------------------------------------------------


@dataclass
class Sample:
    """One round of one server."""

    rates: dict[int, float]
    client_cpu: dict[int, float]
    rss_before: int = 0
    rss_idle: int = 0
    rss_after: int = 0


def _options_for(server: Any, base: Any, args: argparse.Namespace) -> Any:
    """``Running`` knows one peer interpreter: Starlette's is another."""
    if server.key == "starlette":
        return replace(base, peer_python=args.starlette_python)
    return base


def _round(base: Any, args: argparse.Namespace, number: int, results: dict) -> None:
    running = []
    try:
        for server in base.servers:
            started = http_bench.Running(server, _options_for(server, base, args))
            running.append((server, started))
            asyncio.run(check(started.port))
            before, idle = asyncio.run(idle_memory(started, args.idle))
            sample = Sample({}, {}, before, idle)
            results[server.key].append(sample)
            per = (idle - before) / args.idle
            print(
                f"round {number} {server.key:9} idle: {args.idle} websockets "
                f"{before / 1024:.1f} -> {idle / 1024:.1f} MiB ({per:.1f} KiB each)",
                flush=True,
            )
        if number % 2 == 0:
            running.reverse()
        for size in SIZES:
            for server, started in running:
                rate, busy = asyncio.run(
                    echo_rate(started.port, size, args.connections, 1.0, args.duration)
                )
                sample = results[server.key][-1]
                sample.rates[size], sample.client_cpu[size] = rate, busy
                print(
                    f"round {number} {server.key:9} {size:6} B: {rate:9,.0f} msg/s "
                    f"(client CPU {busy:.0%})",
                    flush=True,
                )
        for server, started in running:
            results[server.key][-1].rss_after = started.rss_kib()
    finally:
        for _, started in running:
            started.stop()


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if a and b else "n/a"


def _size_label(size: int) -> str:
    return f"{size // 1024} KiB" if size >= 1024 else f"{size} B"


def _report(args: argparse.Namespace, results: dict, info: dict[str, str]) -> str:
    servers = [s for s in SERVERS if results.get(s.key)]
    invocation = " ".join(["python bench/ws/run.py", *args.argv])

    def median_rate(key: str, size: int) -> float:
        return statistics.median(s.rates[size] for s in results[key])

    def per_conn(key: str) -> float:
        return statistics.median(
            (s.rss_idle - s.rss_before) / args.idle for s in results[key]
        )

    quick = " A `--quick` smoke run." if args.quick else ""
    lines = [
        "# WebSocket benchmark results",
        "",
        f"Written by `{invocation}` on {datetime.date.today().isoformat()}.{quick} "
        f"Echo: {args.connections} websockets each send a text message, wait for "
        "its echo and send the next; messages/s counts the echoes completed in "
        f"{args.duration:g} s after 1 s of warm-up. Median of {args.rounds} "
        "rounds, the servers taking turns (in reverse order every other round), "
        "each started afresh every round with default settings (no compression "
        "offered). Idle: the server's RSS growth when "
        f"{args.idle:,} websockets are open and idle, per connection (median). "
        "Server pinned to core 1, client (one asyncio process, pre-built masked "
        "frames) to core 0, on a shared 2-core VM: messages/s moves from run to "
        "run, read the ratios.",
        "",
        "| server | "
        + " | ".join(f"{_size_label(s)} msg/s" for s in SIZES)
        + f" | idle KiB/conn | RSS MiB (start / {args.idle:,} idle / end) | "
        + " | ".join(f"{_size_label(s)} vs Sanic" for s in SIZES)
        + " | idle vs Sanic |",
        "|---|" + "---:|" * (2 * len(SIZES) + 3),
    ]
    for server in servers:
        rates = [median_rate(server.key, size) for size in SIZES]
        ratios = [
            _ratio(rate, median_rate("sanic", size)) if results.get("sanic") else "n/a"
            for rate, size in zip(rates, SIZES, strict=True)
        ]
        idle = per_conn(server.key)
        idle_ratio = _ratio(idle, per_conn("sanic")) if results.get("sanic") else "n/a"
        samples = results[server.key]
        rss = " / ".join(
            f"{statistics.median(getattr(s, f) for s in samples) / 1024:.1f}"
            for f in ("rss_before", "rss_idle", "rss_after")
        )
        lines.append(
            f"| {server.label} | "
            + " | ".join(f"{r:,.0f}" for r in rates)
            + f" | {idle:.1f} | {rss} | "
            + " | ".join(ratios)
            + f" | {idle_ratio} |"
        )
    busy = max(
        (v for key in results for s in results[key] for v in s.client_cpu.values()),
        default=0.0,
    )
    lines += [
        "",
        f"The client's busiest run used {busy:.0%} of its core.",
        "",
    ]
    lines += report_tail(
        HERE,
        info,
        [
            "nox -s bench_ws              # or: python bench/ws/run.py --peer-python P "
            "--starlette-python S",
            "nox -s bench_ws -- --quick   # 1 round of 3 s, 1,000 idle websockets",
        ],
        "Servers: `bench/ws/servers/*.py` (`taskset -c 1 python <script> --port "
        "PORT`), the Sanic-API echo in `bench/ws/servers/ws_app.py`.",
    )
    return "\n".join(lines)


def _versions(args: argparse.Namespace, servers: tuple[Any, ...]) -> dict[str, str]:
    meta = "import importlib.metadata as m; print(m.version({!r}))"
    version = python_says
    keys = {s.key for s in servers}
    info = {
        "python": platform.python_version(),
        "this framework (sanic-core)": version(
            args.ours_python, meta.format("sanic-core")
        ),
        "websockets (ours)": version(args.ours_python, meta.format("websockets")),
        "checkout": checkout(),
    }
    if "sanic" in keys:
        info["sanic"] = version(args.peer_python, meta.format("sanic"))
        info["websockets (Sanic's)"] = version(
            args.peer_python, meta.format("websockets")
        )
    if "starlette" in keys:
        python = args.starlette_python
        info["uvicorn / starlette"] = " / ".join(
            version(python, meta.format(name)) for name in ("uvicorn", "starlette")
        )
        info["websockets (uvicorn's)"] = version(python, meta.format("websockets"))
    info["client loop"] = _loop_name()
    info["kernel"] = platform.release()
    info["cpu"] = cpu_model()
    return info


def _loop_name() -> str:
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = peer_parser(
        __doc__.split("\n")[0],
        quick="1 round of 3 s, 1,000 idle websockets",
        report="bench/ws/RESULTS.md",
    )
    parser.add_argument(
        "--starlette-python",
        default=os.environ.get("BENCH_STARLETTE_PYTHON")
        or os.environ.get("HARDENING_STARLETTE_PYTHON", ""),
        help="uvicorn and Starlette's interpreter (none: that row is left out)",
    )
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--idle", type=int, default=5000)
    args = parse_peer_options(parser, argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.quick:
        args.rounds, args.duration, args.idle = 1, 3.0, 1000
    return args


def main(argv: list[str] | None = None) -> None:
    args = _options(argv)
    servers = selected(SERVERS, args.only)
    if not args.starlette_python:
        print("no --starlette-python: uvicorn + Starlette left out", flush=True)
        servers = tuple(s for s in servers if s.key != "starlette")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(http_bench.WRK_CORE)})
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.idle + 1024
    if soft < wanted:  # the servers inherit it too
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    if importlib.util.find_spec("uvloop"):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    results: dict[str, list[Sample]] = {s.key: [] for s in servers}
    with tempfile.TemporaryDirectory(prefix="bench-ws-") as tmp:
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
    output = args.output or (None if args.quick else str(HERE / "RESULTS.md"))
    if output:
        Path(output).write_text(_report(args, results, _versions(args, servers)))
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
