"""Requests per second through HttpProtocol, on uvloop and on plain asyncio.

Run: ``python packages/sanic-http/bench/bench_wire.py [seconds]``.

The server is ``serve()`` in its own process with a handler that answers ``text("ok")``
(the protocol and the response are what is measured, not routing). The load comes
from a second process: a few keep-alive connections, each sending batches of
pipelined GETs and reading the fixed-size responses back (cheap on the client side,
so the server is the bottleneck). Numbers vary by machine; compare the two loops and
changes to the protocol against each other, never against absolute targets.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import socket
import sys
import time
from typing import Any

from sanic_http import ServerSettings, bind_socket, serve, text

REQUEST = b"GET /bench HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench\r\n\r\n"
CONNECTIONS = 8
PIPELINE = 16


class Errors:
    def response(self, request: Any, exception: BaseException) -> Any:
        return text(str(exception), getattr(exception, "status_code", 500))


async def handler(request: Any, write: Any) -> None:
    write(text("ok"))


def run_server(sock: socket.socket, no_uvloop: bool) -> None:
    os.environ["SANIC_NO_UVLOOP"] = "1" if no_uvloop else ""
    if no_uvloop:
        loop: asyncio.AbstractEventLoop = asyncio.new_event_loop()
    else:
        import uvloop

        loop = uvloop.new_event_loop()
    serve(
        request_handler=handler,
        error_handler=Errors(),
        settings=ServerSettings(access_log=False),
        sock=sock,
        loop=loop,
    )


async def load(port: int, seconds: float) -> int:
    probe_reader, probe_writer = await asyncio.open_connection("127.0.0.1", port)
    probe_writer.write(REQUEST)
    head = await probe_reader.readuntil(b"\r\n\r\n")
    size = len(head) + int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    probe_writer.close()
    deadline = time.perf_counter() + seconds
    batch = REQUEST * PIPELINE

    async def connection() -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        done = 0
        while time.perf_counter() < deadline:
            writer.write(batch)
            await reader.readexactly(size * PIPELINE)
            done += PIPELINE
        writer.close()
        return done

    return sum(await asyncio.gather(*(connection() for _ in range(CONNECTIONS))))


def measure(no_uvloop: bool, seconds: float) -> float:
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = multiprocessing.get_context("fork").Process(
        target=run_server, args=(sock, no_uvloop)
    )
    server.start()
    try:
        time.sleep(0.5)  # the child starts listening on the inherited socket
        loop = asyncio.new_event_loop()
        try:
            total = loop.run_until_complete(load(port, seconds))
        finally:
            loop.close()
    finally:
        server.terminate()
        server.join(10)
        sock.close()
    return total / seconds


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    for name, no_uvloop in (("uvloop", False), ("asyncio", True)):
        rate = measure(no_uvloop, seconds)
        print(f"{name:8} {rate:10,.0f} requests/s  ({CONNECTIONS} conns x {PIPELINE})")


if __name__ == "__main__":
    main()
