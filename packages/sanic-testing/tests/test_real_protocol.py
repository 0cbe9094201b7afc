"""The in-process client runs the app's real server protocol over memory.

What these tests see is the protocol's doing, not the client's: keep-alive and
connection reuse, the size limit's 413, the protocol class passed to the server,
a disconnect cancelling the handler, and the transport's flow control.
"""

from __future__ import annotations

import asyncio
import gc
import ssl
import time
import weakref
from typing import Any

import pytest

from sanic import Sanic
from sanic.response import json, text
from sanic.server import HttpProtocol
from sanic_testing import AsyncInProcessClient, InProcessClient, SanicTestClientError
from sanic_testing._transport import READ_SIZE, MemoryTransport


@pytest.fixture
def app() -> Sanic:
    app = Sanic("real_protocol")
    app.ctx_cancelled = []  # type: ignore[attr-defined]

    @app.route("/", methods=["GET", "POST"])
    async def index(request: Any) -> Any:
        return text(f"{len(request.body)} bytes")

    @app.post("/upload", stream=True)
    async def upload(request: Any) -> Any:
        # Not reading yet: the server stops reading once its buffer is full.
        for _ in range(5000):
            if not request.transport.is_reading():
                break
            await asyncio.sleep(0.001)
        paused = not request.transport.is_reading()
        total = 0
        async for chunk in request.stream:
            total += len(chunk)
        return json({"paused": paused, "total": total})

    @app.post("/count", stream=True)
    async def count(request: Any) -> Any:
        total = 0
        async for chunk in request.stream:
            total += len(chunk)
        return text(str(total))

    @app.route("/forever")
    async def forever(request: Any) -> Any:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            app.ctx_cancelled.append(request.path)  # type: ignore[attr-defined]
            raise
        return text("never")

    return app


def test_keep_alive_reuses_the_connection(app: Sanic) -> None:
    with InProcessClient(app) as client:
        first, answer = client.get("/")
        second, _ = client.get("/")
        assert answer.headers["Connection"] == "keep-alive"
        assert first.transport is second.transport
        closing, answer = client.get("/", headers={"Connection": "close"})
        assert answer.headers["Connection"] == "close"
        assert closing.transport is first.transport
        after, _ = client.get("/")
        assert after.transport is not first.transport


def test_keep_alive_off_gives_a_connection_per_request(app: Sanic) -> None:
    app.config.KEEP_ALIVE = False
    with InProcessClient(app) as client:
        first, answer = client.get("/")
        second, _ = client.get("/")
    assert answer.headers["Connection"] == "close"
    assert first.transport is not second.transport
    assert first.ip == second.ip == "127.0.0.1"
    assert (
        first.transport.get_extra_info("peername")[1]
        != (second.transport.get_extra_info("peername")[1])
    )


def test_the_size_limit_is_the_protocols(app: Sanic) -> None:
    app.config.REQUEST_MAX_SIZE = 1000
    with InProcessClient(app) as client:
        request, response = client.post("/", data=b"x" * 1001)
        assert response.status == 413
        assert request is None  # refused before any request reached the app
        assert client.post("/", data=b"x" * 1000)[1].text == "1000 bytes"


def test_the_servers_protocol_class_is_used(app: Sanic) -> None:
    class Stamping(HttpProtocol):
        def write_response(self, response: Any) -> None:
            response.headers["X-Protocol"] = "stamping"
            super().write_response(response)

    with InProcessClient(app, server_kwargs={"protocol": Stamping}) as client:
        _, response = client.get("/")
    assert response.headers["X-Protocol"] == "stamping"


def test_a_client_timeout_is_a_disconnect(app: Sanic) -> None:
    with InProcessClient(app) as client:
        with pytest.raises(SanicTestClientError, match="timed out"):
            client.get("/forever", timeout=0.05)
        # The server saw the connection go and cancelled the handler.
        assert client.get("/")[1].status == 200
    assert app.ctx_cancelled == ["/forever"]  # type: ignore[attr-defined]


def test_the_async_client_keeps_connections_apart() -> None:
    app = Sanic("concurrent_inprocess")

    @app.route("/<name>")
    async def slow(request: Any, name: str) -> Any:
        await asyncio.sleep(0.01)
        return text(name)

    async def main() -> list[tuple[str, str]]:
        async with AsyncInProcessClient(app) as client:
            pairs = await asyncio.gather(*(client.get(f"/{n}") for n in "abc"))
        return [(request.path, response.text) for request, response in pairs]

    assert asyncio.run(main()) == [("/a", "a"), ("/b", "b"), ("/c", "c")]


class Recorder(asyncio.Protocol):
    """Pauses reading after its first read; records what it is given."""

    def __init__(self) -> None:
        self.reads: list[int] = []
        self.paused_writing = 0
        self.resumed_writing = 0
        self.transport: MemoryTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, MemoryTransport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert asyncio.current_task() is None  # a loop callback, as on a socket
        self.reads.append(len(data))
        if self.transport is not None:
            self.transport.pause_reading()

    def pause_writing(self) -> None:
        self.paused_writing += 1

    def resume_writing(self) -> None:
        self.resumed_writing += 1


def test_the_transport_honours_pause_reading() -> None:
    async def main() -> Recorder:
        loop = asyncio.get_running_loop()
        protocol = Recorder()
        transport = MemoryTransport(protocol, loop, {})
        transport.connect()
        transport.send(b"x" * (2 * READ_SIZE + 10))
        for _ in range(5):
            await asyncio.sleep(0)
        assert protocol.reads == [READ_SIZE]  # paused: nothing more arrives
        for _ in range(2):
            transport.resume_reading()
            for _ in range(5):
                await asyncio.sleep(0)
        return protocol

    assert asyncio.run(main()).reads == [READ_SIZE, READ_SIZE, 10]


def test_unread_response_bytes_pause_writing_until_taken() -> None:
    async def main() -> tuple[Recorder, bytes]:
        protocol = Recorder()
        transport = MemoryTransport(protocol, asyncio.get_running_loop(), {})
        transport.connect()
        body = b"y" * 100_000
        transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        assert protocol.paused_writing == 0
        transport.write(body)
        assert protocol.paused_writing == 1
        assert transport.get_write_buffer_size() > 100_000
        data = await transport.receive(head_only=False)
        assert transport.get_write_buffer_size() == 0
        return protocol, data

    protocol, data = asyncio.run(main())
    assert protocol.resumed_writing == 1
    assert data.endswith(b"\r\n\r\n" + b"y" * 100_000)


def test_an_ssl_context_makes_the_connection_https(app: Sanic) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with InProcessClient(app, server_kwargs={"ssl": context}) as client:
        request, response = client.get("/")
    assert request.scheme == "https"
    assert request.transport.get_extra_info("sslcontext") is context
    assert str(response.url) == "https://127.0.0.1:42101/"


def test_a_connection_the_server_timed_out_is_replaced(app: Sanic) -> None:
    app.config.KEEP_ALIVE_TIMEOUT = 0.05
    with InProcessClient(app) as client:
        first, _ = client.get("/")
        # The client's loop does not run while the test sleeps: the server's
        # keep-alive timeout closes the connection as the next request arrives.
        time.sleep(0.1)
        second, response = client.get("/")
    assert response.status == 200
    assert second.transport is not first.transport


def test_a_streamed_upload_pauses_reading_until_the_handler_reads(
    sanic_client: Any,
) -> None:
    """On every client: the same flow control, so the in-memory transport
    honours ``pause_reading`` as a socket's does."""
    _, response = sanic_client.post("/upload", data=b"x" * 1_000_000)
    assert response.json == {"paused": True, "total": 1_000_000}


def test_expect_100_continue_sends_the_body_when_asked(sanic_client: Any) -> None:
    _, response = sanic_client.post(
        "/count", data=b"x" * 100_000, headers={"Expect": "100-continue"}
    )
    assert (response.status, response.text) == (200, "100000")


def test_expect100_waits_for_100_continue(app: Sanic) -> None:
    written: list[bytes] = []

    class Recording(HttpProtocol):
        def data_received(self, data: bytes) -> None:
            written.append(data)
            super().data_received(data)

    with InProcessClient(app, server_kwargs={"protocol": Recording}) as client:
        _, response = client.post("/count", data=b"x" * 10, expect100=True)
    assert response.text == "10"
    head, body = written  # the head alone first, the body after 100 Continue
    assert b"Expect: 100-continue" in head and head.endswith(b"\r\n\r\n")
    assert body == b"x" * 10


def test_a_closed_connection_is_freed_by_reference_counting(app: Sanic) -> None:
    made: list[tuple[weakref.ref[Any], weakref.ref[Any]]] = []

    class Tracked(HttpProtocol):
        def connection_made(self, transport: Any) -> None:
            made.append((weakref.ref(self), weakref.ref(transport)))
            super().connection_made(transport)

    app.config.KEEP_ALIVE = False
    gc.collect()
    gc.disable()
    try:
        with InProcessClient(app, server_kwargs={"protocol": Tracked}) as client:
            client.get("/", gather_request=False)
            client.get("/", gather_request=False)  # the first one is closed now
            protocol, transport = made[0]
            assert protocol() is None
            assert transport() is None
    finally:
        gc.enable()
