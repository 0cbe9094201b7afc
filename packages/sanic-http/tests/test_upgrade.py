"""The upgrade hand-off over real sockets, on uvloop and on plain asyncio.

A handler answers a request that asks to upgrade with an ``UpgradeResponse``;
the connection writes the ``101`` and a tiny echo protocol takes the transport,
starting with the bytes the client sent right behind the request's head.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _live import WAIT, LiveServer, LoopFactory
from sanic_test_helpers import Client, self_signed

from sanic_http import (
    HttpProtocol,
    ServerSettings,
    UpgradedProtocol,
    UpgradeResponse,
    text,
)

UPGRADE = b"Connection: Upgrade\r\nUpgrade: echo\r\n"


class Echo(UpgradedProtocol):
    """Sends back what it receives, upper-cased; ``bye`` makes it close."""

    made: list[weakref.ref[Echo]] = []
    requests: list[str] = []

    def __init__(self) -> None:
        Echo.made.append(weakref.ref(self))
        self.done = asyncio.Event()

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        assert self.request is not None
        Echo.requests.append(self.request.path)

    def data_received(self, data: bytes) -> None:
        self.transport.write(data.upper())
        if b"bye" in data:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self.done.set()

    def begin_shutdown(self) -> None:
        self.transport.write(b"server stops")
        self.transport.close()


class Tracked(HttpProtocol):
    """Remembers a weak reference to every HTTP protocol the server makes."""

    made: list[weakref.ref[HttpProtocol]] = []

    def connection_made(self, transport: Any) -> None:
        Tracked.made.append(weakref.ref(self))
        super().connection_made(transport)


class Handler:
    """``/echo`` upgrades (``/echo/wait``: the handler stays until the echo ends),
    ``/bad`` builds no protocol, anything else answers as HTTP."""

    def __init__(self) -> None:
        self.finished = threading.Event()
        self.waiting = threading.Event()
        self.signal: Any = None

    async def __call__(self, request: Any, write: Callable[[Any], Any]) -> None:
        path = request.path
        if path == "/echo/late":  # upgrades once the server's shutdown began
            self.waiting.set()
            while not self.signal.stopped:
                await asyncio.sleep(0.01)
        if path.startswith("/echo"):
            protocol = Echo()
            result = write(UpgradeResponse(lambda: protocol, "echo", {"X-Up": "1"}))
            if path == "/echo/wait":
                await protocol.done.wait()
                self.finished.set()
        elif path == "/bad":

            def broken() -> UpgradedProtocol:
                raise RuntimeError("no protocol")

            result = write(UpgradeResponse(broken, "echo"))
        else:
            result = write(text(f"plain {path}"))
        if result is not None:
            await result


@pytest.fixture(autouse=True)
def _fresh() -> None:
    Echo.made, Echo.requests, Tracked.made = [], [], []


def serving(
    loop_factory: LoopFactory,
    check: Callable[[Any], bool] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    **settings: Any,
) -> LiveServer:
    return LiveServer(
        loop_factory,
        handler=Handler(),
        protocol=Tracked,
        settings=ServerSettings(upgrade_check=check, access_log=False, **settings),
        ssl_context=ssl_context,
    )


@pytest.fixture
def live(loop_factory: LoopFactory) -> Iterator[LiveServer]:
    with serving(loop_factory) as server:
        yield server


def wait_for(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_101_hands_the_connection_to_the_new_protocol(live: LiveServer) -> None:
    with live.client() as client:
        # The first bytes of the new protocol travel with the head, in one packet.
        client.send(b"GET /echo HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\nhello")
        response = client.response()
        assert response.status == 101
        assert response.headers["upgrade"] == "echo"
        assert response.headers["connection"] == "upgrade"
        assert response.headers["x-up"] == "1"
        assert "content-length" not in response.headers
        assert client.read_exactly(5) == b"HELLO"
        client.send(b"more")
        assert client.read_exactly(4) == b"MORE"
        # The server's connections hold the new protocol, not the HTTP one.
        (connection,) = live.server.connections
        assert isinstance(connection, Echo)
        client.send(b"bye")
        assert client.read_exactly(3) == b"BYE"
        assert client.closed()
    assert Echo.requests == ["/echo"]
    assert wait_for(lambda: live.connection_count() == 0)


def test_an_upgrade_offered_among_others_and_case_insensitively(
    live: LiveServer,
) -> None:
    with live.client() as client:
        client.send(
            b"GET /echo HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, UPGRADE\r\n"
            b"Upgrade: h2c, Echo/1\r\n\r\n"
        )
        assert client.response().status == 101
        client.send(b"x")
        assert client.read_exactly(1) == b"X"


def test_a_pipelined_upgrade_waits_for_the_request_before_it(
    live: LiveServer,
) -> None:
    with live.client() as client:
        client.send(
            b"GET /first HTTP/1.1\r\nHost: t\r\n\r\n"
            b"GET /echo HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\nhello"
        )
        assert client.response().body == b"plain /first"
        assert client.response().status == 101
        assert client.read_exactly(5) == b"HELLO"


def test_an_upgrade_over_tls(loop_factory: LoopFactory, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(purpose=ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), keyfile=str(key))
    client_context = ssl.create_default_context(cafile=str(cert))
    with serving(loop_factory, ssl_context=context) as live:
        raw = socket.create_connection(("127.0.0.1", live.port), WAIT)
        tls = client_context.wrap_socket(raw, server_hostname="127.0.0.1")
        with Client(tls) as client:
            client.send(b"GET /echo HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\nsecret")
            assert client.response().status == 101
            assert client.read_exactly(6) == b"SECRET"
            client.send(b"bye")
            assert client.read_exactly(3) == b"BYE"
            assert client.closes()


def test_http_timers_do_not_fire_on_an_upgraded_connection(
    loop_factory: LoopFactory,
) -> None:
    timeouts = {
        "request_timeout": 0.2,
        "response_timeout": 0.2,
        "keep_alive_timeout": 0.2,
    }
    with serving(loop_factory, **timeouts) as live:
        handler = live.handler
        with live.client() as client:
            # The handler stays (as a websocket's does) past response_timeout.
            client.send(b"GET /echo/wait HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\n")
            assert client.response().status == 101
            time.sleep(0.6)  # beyond every HTTP deadline: nothing may fire
            client.send(b"still")
            assert client.read_exactly(5) == b"STILL"
            assert not handler.finished.is_set()
            client.send(b"bye")
            assert client.read_exactly(3) == b"BYE"
            assert client.closed()
            assert handler.finished.wait(WAIT)
        assert not live.errors.seen


def test_an_upgrade_request_answered_as_http_closes_after_the_answer(
    live: LiveServer,
) -> None:
    with live.client() as client:
        client.send(b"GET /plain HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\nhello")
        response = client.response()
        assert (response.status, response.body) == (200, b"plain /plain")
        assert response.headers["connection"] == "close"
        assert client.closed()  # "hello" was never echoed
    assert Echo.made == []


def test_a_route_the_check_refuses_is_served_as_http(
    loop_factory: LoopFactory,
) -> None:
    asked: list[str] = []

    def check(request: Any) -> bool:
        asked.append(request.path)
        return request.path == "/echo/yes"

    with serving(loop_factory, check) as live:
        with live.client() as client:
            client.send(b"GET /echo/no HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\n")
            response = client.response()
            assert response.status == 500
            assert client.closed()
        with live.client() as client:
            client.send(b"GET /echo/yes HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\n")
            assert client.response().status == 101
            client.send(b"ok")
            assert client.read_exactly(2) == b"OK"
        with live.client() as client:  # not an upgrade: the check is not asked
            assert client.get("/plain").status == 200
    assert asked == ["/echo/no", "/echo/yes"]


@pytest.mark.parametrize(
    "request_bytes",
    [
        pytest.param(b"GET /echo HTTP/1.1\r\nHost: t\r\n\r\n", id="no-upgrade"),
        pytest.param(
            b"GET /echo HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\n"
            b"Upgrade: websocket\r\n\r\n",
            id="other-protocol",
        ),
        pytest.param(
            b"GET /echo HTTP/1.0\r\n" + UPGRADE + b"\r\n",
            id="http-1.0",
        ),
        pytest.param(b"GET /bad HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\n", id="bad"),
    ],
)
def test_a_101_that_cannot_be_made_is_a_500(
    live: LiveServer, request_bytes: bytes
) -> None:
    with live.client() as client:
        client.send(request_bytes)
        response = client.response()
        assert (response.status, response.headers["connection"]) == (500, "close")
        assert client.closed()
    assert Echo.requests == []  # no protocol was connected
    assert wait_for(lambda: live.connection_count() == 0)


def test_shutdown_reaches_the_upgraded_connection(loop_factory: LoopFactory) -> None:
    live = serving(loop_factory, graceful_shutdown_timeout=2.0)
    with live:
        client = live.client()
        with client:
            client.send(b"GET /echo HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\n")
            assert client.response().status == 101
            live.stop()
            assert client.read_exactly(12) == b"server stops"
            assert client.closed()


def test_an_upgrade_during_shutdown_is_told_to_end(loop_factory: LoopFactory) -> None:
    live = serving(loop_factory, graceful_shutdown_timeout=5.0)
    with live:
        live.handler.signal = live.server.signal  # type: ignore[attr-defined]
        with live.client() as client:
            client.send(b"GET /echo/late HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\n")
            assert live.handler.waiting.wait(WAIT)  # type: ignore[attr-defined]
            stopping = threading.Thread(target=live.stop)
            stopping.start()
            assert client.response().status == 101
            # Told to end (not cut without a word when the grace period ends).
            assert client.read_exactly(12) == b"server stops"
            assert client.closed()
            stopping.join(WAIT)


@pytest.mark.usefixtures("no_cycle_collector")
def test_an_upgraded_connection_is_freed_without_the_cycle_collector(
    loop_factory: LoopFactory,
) -> None:
    with serving(loop_factory) as live:
        with live.client() as client:
            client.send(b"GET /echo HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\nbye")
            assert client.response().status == 101
            assert client.read_exactly(3) == b"BYE"
            assert client.closed()
        with live.client() as client:
            client.send(b"GET /echo/wait HTTP/1.1\r\nHost: t\r\n" + UPGRADE + b"\r\n")
            assert client.response().status == 101
        assert (len(Tracked.made), len(Echo.made)) == (2, 2)
        refs = [*Tracked.made, *Echo.made]
        assert wait_for(
            lambda: live.connection_count() == 0 and all(r() is None for r in refs)
        )
