"""Arbitrary bytes, split at arbitrary points, into a live connection."""

from __future__ import annotations

import itertools
import re
import socket
from collections.abc import Iterator

import pytest
from _live import LOOPS, LiveServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sanic_test_helpers import exchange, read_all

from sanic_http import ServerSettings

STATUS_LINE = re.compile(rb"HTTP/1\.[01] [1-5]\d\d ")

# Pieces of real requests make the parser go deeper than random bytes alone.
FRAGMENTS = [
    b"GET / HTTP/1.1\r\nHost: t\r\n",
    b"POST /echo HTTP/1.1\r\nHost: t\r\n",
    b"Content-Length: 5\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"Expect: 100-continue\r\n",
    b"Connection: keep-alive\r\n",
    b"Host: x\r\n",
    b"\r\n",
    b"5\r\nhello\r\n0\r\n\r\n",
    b"HTTP/1.0",
    b" ",
    b":",
    b"\n",
    b"\x00",
]
payloads = st.lists(
    st.one_of(st.binary(max_size=64), st.sampled_from(FRAGMENTS)), max_size=12
).map(b"".join)


@pytest.fixture(scope="module", params=sorted(LOOPS))
def live(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    # Short deadlines so incomplete input is answered quickly.
    quick = ServerSettings(request_timeout=0.5, response_timeout=1.0)
    with LiveServer(LOOPS[request.param], settings=quick) as server:
        yield server


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(payload=payloads, cuts=st.lists(st.integers(0, 800), max_size=6))
def test_arbitrary_bytes_never_wedge_the_server(
    live: LiveServer, payload: bytes, cuts: list[int]
) -> None:
    with socket.create_connection(("127.0.0.1", live.port), 5) as sock:
        points = sorted({c for c in cuts if c < len(payload)} | {0, len(payload)})
        try:
            for start, end in itertools.pairwise(points):
                sock.sendall(payload[start:end])
            sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = read_all(sock)
    # Either nothing (closed) or well-formed responses, the last one final.
    if answer:
        assert STATUS_LINE.match(answer), answer[:100]
    good = b"GET /alive HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    reply = exchange("127.0.0.1", live.port, good)
    assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
    assert reply.endswith(b"ok GET /alive")
