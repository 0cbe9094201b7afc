"""The framework's per-request cost without sockets: an in-process request loop.

Bytes shaped like wrk's requests are fed to one ``HttpProtocol`` over a fake
transport, on uvloop, exactly as the server would (the app from servers/ours.py).
Prints CPU microseconds per request per endpoint (best of 5); ``--profile
cprofile`` prints the top functions, ``--profile pyinstrument`` a call tree.

    python bench/http/inprocess.py [--requests 50000] [--endpoint "GET /json"]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "servers"))

import uvloop
from ours import app
from spec import ECHO_BODY, ENDPOINTS

from sanic_http import HttpProtocol, Signal


def _request_bytes(name: str) -> bytes:
    path, script = ENDPOINTS[name]
    head = f"{name.split()[0]} {path} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
    if script is None:
        return (head + "\r\n").encode()
    body = ECHO_BODY.encode()
    head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


class FakeTransport(asyncio.Transport):
    """Counts writes; never closes (every response is keep-alive)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.last = b""

    def write(self, data: Any) -> None:
        self.writes += 1
        self.last = bytes(data)

    def is_closing(self) -> bool:
        return False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 40000) if name == "peername" else default

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def _loop(name: str, count: int) -> float:
    arguments = app._serve_arguments(
        port=0, register_sys_signals=False, access_log=False, run_async=True
    )
    protocol = HttpProtocol(
        loop=asyncio.get_running_loop(),
        connections=set(),
        signal=Signal(),
        request_handler=arguments["request_handler"],
        error_handler=arguments["error_handler"],
        request_timeout=60.0,
        request_max_size=10**8,
    )
    protocol.settings = arguments["settings"]
    transport = FakeTransport()
    protocol.connection_made(transport)
    data = _request_bytes(name)
    loop = asyncio.get_running_loop()
    feed = protocol.data_received
    start = time.process_time()
    for _ in range(count):
        before = transport.writes
        # From a loop callback, as a socket's bytes arrive (not from this task).
        loop.call_soon(feed, data)
        while transport.writes == before:
            await asyncio.sleep(0)
    elapsed = time.process_time() - start
    if b" 200 OK" not in transport.last:
        raise SystemExit(f"{name}: {transport.last[:200]!r}")
    protocol.connection_lost(None)
    return elapsed / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--endpoint", choices=list(ENDPOINTS), action="append")
    parser.add_argument("--profile", choices=["cprofile", "pyinstrument"])
    parser.add_argument(
        "--once", action="store_true", help="one untimed loop (for instructions.py)"
    )
    parser.add_argument(
        "--eager",
        choices=["on", "off"],
        help="override HttpProtocol.eager_handlers (default: on from Python 3.12)",
    )
    args = parser.parse_args()
    if args.eager is not None:
        HttpProtocol.eager_handlers = args.eager == "on"
    for name in args.endpoint or ENDPOINTS:
        if args.once:
            uvloop.run(_loop(name, args.requests))
        elif args.profile == "cprofile":
            profiler = cProfile.Profile()
            profiler.enable()
            uvloop.run(_loop(name, args.requests))
            profiler.disable()
            print(f"== {name}")
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        elif args.profile == "pyinstrument":
            from pyinstrument import Profiler

            with Profiler(interval=0.0001) as profiler:
                uvloop.run(_loop(name, args.requests))
            print(profiler.output_text(unicode=True, color=False))
        else:
            uvloop.run(_loop(name, 2000))  # warm caches
            best = min(uvloop.run(_loop(name, args.requests)) for _ in range(5))
            print(f"{name:34} {best:7.2f} us/request")


if __name__ == "__main__":
    main()
