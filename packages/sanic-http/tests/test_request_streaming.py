"""Streamed request bodies over real sockets, on uvloop and on plain asyncio.

Requests whose path starts with ``/s/`` stream (``ServerSettings.stream_check``):
their handler starts at the head and reads ``request.stream``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from _live import WAIT, LiveServer, LoopFactory

from sanic_http import ServerSettings, stream, text


class Streaming:
    """Handlers for the streaming tests, dispatching on the path."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()  # created per loop in open_gate's thread
        self.events: list[str] = []
        self.done = threading.Event()

    def open_gate(self, live: LiveServer) -> None:
        live.loop.call_soon_threadsafe(self.gate.set)

    async def __call__(self, request: Any, write: Callable[[Any], Any]) -> None:
        path = request.path
        try:
            result = write(await self.respond(request, path))
            if result is not None:
                await result
        except asyncio.CancelledError:
            self.events.append("cancelled")
            self.done.set()
            raise

    async def respond(self, request: Any, path: str) -> Any:
        if request.stream is None:
            return text(f"buffered {len(request.body)}")
        if path == "/s/ignore":
            return text("ignored")
        if path == "/s/gated":
            await self.gate.wait()
        if path == "/s/wait":
            self.events.append("started")
            await asyncio.sleep(30)
        if path == "/s/drip":

            async def drip(response: Any) -> None:
                try:
                    while True:
                        await response.write(b"x" * 1000)
                        await asyncio.sleep(0.01)
                except ConnectionError as exc:
                    self.events.append(type(exc).__name__)
                    self.done.set()
                    raise

            return stream(drip)
        size = pieces = 0
        async for chunk in request.stream:
            size += len(chunk)
            pieces += 1
        return text(f"streamed {size} in {pieces > 0}")


def serve(loop_factory: LoopFactory, **settings: Any) -> LiveServer:
    handler = Streaming()
    options = {"stream_check": lambda request: request.path.startswith("/s/")}
    live = LiveServer(
        loop_factory, handler=handler, settings=ServerSettings(**options | settings)
    )
    live.loop.call_soon(lambda: setattr(handler, "gate", asyncio.Event()))
    return live


def head(path: str, length: int | None = None, extra: str = "") -> bytes:
    framing = (
        "Transfer-Encoding: chunked" if length is None else f"Content-Length: {length}"
    )
    return f"POST {path} HTTP/1.1\r\nHost: x\r\n{framing}\r\n{extra}\r\n".encode()


def chunked(data: bytes, size: int = 10_000) -> bytes:
    pieces = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%b\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


def test_the_handler_reads_a_streamed_body(loop_factory: LoopFactory) -> None:
    body = bytes(range(256)) * 4000
    with serve(loop_factory) as live, live.client() as client:
        client.send(head("/s/count", len(body)) + body)
        assert client.response().body == b"streamed 1024000 in True"
        client.send(head("/s/count") + chunked(body))
        assert client.response().body == b"streamed 1024000 in True"
        client.send(head("/plain", len(body)) + body)  # not streamed: buffered
        assert client.response().body == b"buffered 1024000"


def test_a_handler_that_does_not_read_makes_the_client_wait(
    loop_factory: LoopFactory,
) -> None:
    total = 64 * 1024 * 1024
    piece = b"p" * (1024 * 1024)
    with serve(loop_factory) as live, live.client() as client:
        client.send(head("/s/gated", total))
        client.sock.settimeout(1.0)
        sent = 0
        while sent < total:
            try:
                client.sock.sendall(piece)
            except TimeoutError:
                break
            sent += len(piece)
        print(f"sent {sent / 2**20:.0f} MiB of 64 before the server stopped reading")
        assert sent < total // 2  # high water 64 KiB plus the kernel's buffers
        live.handler.open_gate(live)  # type: ignore[attr-defined]
        client.sock.settimeout(WAIT * 4)
        while sent < total:
            client.sock.sendall(piece)
            sent += len(piece)
        assert client.response().body == b"streamed %d in True" % total


def test_a_body_over_the_limit_is_413_mid_stream(loop_factory: LoopFactory) -> None:
    with serve(loop_factory, request_max_size=100_000) as live, live.client() as client:
        client.send(head("/s/count") + chunked(b"b" * 300_000)[:250_000])
        assert client.response().status == 413
        assert client.closed()


def test_a_stream_that_stops_arriving_is_408(loop_factory: LoopFactory) -> None:
    with serve(loop_factory, request_timeout=0.3) as live, live.client() as client:
        client.send(head("/s/count", 100_000) + b"a" * 50_000)
        assert client.response().status == 408
        assert client.closed()


def test_100_continue_is_sent_at_the_first_read(loop_factory: LoopFactory) -> None:
    with serve(loop_factory) as live, live.client() as client:
        client.send(head("/s/gated", 5, "Expect: 100-continue\r\n"))
        client.sock.settimeout(0.2)
        with pytest.raises(TimeoutError):
            client.sock.recv(100)  # nothing while the handler has not read
        live.handler.open_gate(live)  # type: ignore[attr-defined]
        client.sock.settimeout(WAIT)
        assert client.read_until(b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"
        client.send(b"hello")
        assert client.response().body == b"streamed 5 in True"


def test_a_pipelined_request_after_a_streamed_one(loop_factory: LoopFactory) -> None:
    with serve(loop_factory) as live, live.client() as client:
        client.send(
            head("/s/count") + chunked(b"c" * 30_000) + head("/after", 3) + b"abc"
        )
        assert client.response().body == b"streamed 30000 in True"
        assert client.response().body == b"buffered 3"


def _reset(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_a_client_that_goes_away_cancels_the_handler(
    loop_factory: LoopFactory,
) -> None:
    with serve(loop_factory) as live:
        client = live.client()
        client.send(head("/s/wait", 1000) + b"w" * 10)
        deadline = time.monotonic() + WAIT
        while "started" not in live.handler.events and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.01)
        _reset(client.sock)
        assert live.handler.done.wait(WAIT)  # type: ignore[attr-defined]
        assert live.handler.events == ["started", "cancelled"]  # type: ignore[attr-defined]


def test_a_streamed_response_to_a_gone_client_raises_in_write(
    loop_factory: LoopFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.DEBUG, "sanic.error"),
        serve(loop_factory, cancel_on_disconnect=False) as live,
    ):
        client = live.client()
        client.send(head("/s/drip", 0))
        client.read_until(b"\r\n\r\n")
        _reset(client.sock)
        assert live.handler.done.wait(WAIT)  # type: ignore[attr-defined]
        assert live.handler.events == ["ConnectionResetError"]  # type: ignore[attr-defined]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_bodyless_request_on_a_streaming_route_keeps_the_connection(
    loop_factory: LoopFactory,
) -> None:
    with serve(loop_factory) as live, live.client() as client:
        client.send(b"GET /s/ignore HTTP/1.1\r\nHost: x\r\n\r\n" * 2)
        assert [client.response().body for _ in range(2)] == [b"ignored"] * 2
        assert client.get("/s/count").body == b"streamed 0 in False"


def test_a_handler_that_leaves_the_body_unread_closes_after_answering(
    loop_factory: LoopFactory,
) -> None:
    with serve(loop_factory) as live, live.client() as client:
        client.send(head("/s/ignore", 1_000_000) + b"i" * 1000)
        response = client.response()
        assert response.body == b"ignored"
        assert response.headers["connection"] == "close"
        assert client.closed()
