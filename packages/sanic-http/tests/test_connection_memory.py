"""A closed connection is freed by reference counting alone, on uvloop and asyncio.

With the cycle collector off, every protocol a server made must be gone soon
after its connection closed, whatever the connection went through: plain and
pipelined requests, a body, a streamed response, a streamed request body left
unread, a refusal, a handler that was still waiting when the client left.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

import pytest
from _live import WAIT, LiveServer, LoopFactory

from sanic_http import HttpProtocol, ServerSettings


class Tracked(HttpProtocol):
    """Remembers a weak reference to every instance the server makes."""

    made: list[weakref.ref[HttpProtocol]] = []

    def connection_made(self, transport: Any) -> None:
        Tracked.made.append(weakref.ref(self))
        super().connection_made(transport)


@pytest.fixture
def tracked(no_cycle_collector: None) -> None:
    """No protocol made yet, and the cycle collector off."""
    Tracked.made = []


def _alive_after_close(live: LiveServer) -> int:
    """Wait (bounded) for the server to drop its connections; count live protocols."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if live.connection_count() == 0 and all(r() is None for r in Tracked.made):
            break
        time.sleep(0.01)
    return sum(r() is not None for r in Tracked.made)


@pytest.mark.usefixtures("tracked")
def test_closed_connections_are_freed_without_the_cycle_collector(
    loop_factory: LoopFactory,
) -> None:
    body = b"x" * 300_000
    settings = ServerSettings(
        request_max_size=1_000_000,
        stream_check=lambda request: request.path.startswith("/s/"),
    )
    with LiveServer(loop_factory, protocol=Tracked, settings=settings) as live:
        with live.client() as client:
            assert client.get("/").status == 200
            client.send(
                b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%b"
                % (len(body), body)
            )
            assert client.response().body == body
            client.send(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n" * 3)
            assert [client.response().status for _ in range(3)] == [200] * 3
            assert client.get("/stream").body == b"one,two"
        with live.client() as client:  # a streamed body its handler never reads
            client.send(b"POST /s/x HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n12")
            assert client.response().status == 200
        with live.client() as client:
            client.send(
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999\r\n\r\n"
            )
            assert client.response().status == 413
        with live.client() as client:
            client.send(b"GET /slow?2 HTTP/1.1\r\nHost: x\r\n\r\n")
            assert live.handler.started.wait(WAIT)  # type: ignore[attr-defined]
        with live.client() as client:
            client.send(b"\x00garbage\r\n\r\n")
            assert client.response().status == 400
        assert len(Tracked.made) == 5
        assert _alive_after_close(live) == 0
