"""Request streaming composed with response streaming, over a real socket.

The server runs ``load/app.py`` in its own process, once on uvloop and once on
plain asyncio. Its ``POST /echo`` route streams the request body and writes each
chunk straight back in a streamed (chunked) response. The client sends 1 GiB
chunked from one thread while it reads the echo in another, except for a second
a quarter of the way in when it stops reading. The echo must be the bytes sent
(count and a running SHA-256, nothing kept), and the server's peak resident set
(``VmHWM``) must stay under 64 MiB, which it can only do if it stops reading the
upload while the client does not take the echo, and reads again when it does.
A deadlock would show as a socket timeout (every wait is bounded).
"""

from __future__ import annotations

import hashlib
import http.client
import importlib.util
import random
import socket
import sys
import threading
import time

import pytest
from conftest import HOST, LOAD_APP, MIB, Launch, rss

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/<pid>/status"
)

UPLOAD = 1024 * MIB
# Where the client stops reading the echo, and for how long (seconds).
STALL_AT = UPLOAD // 4
STALL = 1.0
# Distinct random pieces, so a lost, repeated or reordered piece changes the hash.
PIECES = [random.Random(n).randbytes(MIB) for n in range(8)]
LOOPS = [
    pytest.param(
        "uvloop",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("uvloop") is None, reason="uvloop not installed"
        ),
    ),
    "asyncio",
]


class Sent:
    """What the sending thread sent, or why it stopped."""

    def __init__(self) -> None:
        self.size = 0
        self.sha = hashlib.sha256()
        self.error: BaseException | None = None


def send_chunked(sock: socket.socket, sent: Sent) -> None:
    """Send the request and 1 GiB of chunked body, one piece a chunk."""
    try:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for n in range(UPLOAD // MIB):
            piece = PIECES[n % len(PIECES)]
            sock.sendall(b"%x\r\n" % len(piece))
            sock.sendall(piece)
            sock.sendall(b"\r\n")
            sent.sha.update(piece)
            sent.size += len(piece)
        sock.sendall(b"0\r\n\r\n")
    except BaseException as exc:  # reported by the test, not lost in the thread
        sent.error = exc


@pytest.mark.parametrize("loop", LOOPS)
def test_a_1_gib_upload_streams_straight_back(launch: Launch, loop: str) -> None:
    env = {"SANIC_NO_UVLOOP": "1" if loop == "asyncio" else ""}
    # Its own process: a clean baseline for the peak.
    server = launch(None, args=(str(LOAD_APP),), env=env)
    sent = Sent()
    received = 0
    received_sha = hashlib.sha256()
    started = time.monotonic()
    with socket.create_connection((HOST, server.port), timeout=10) as sock:
        sender = threading.Thread(target=send_chunked, args=(sock, sent))
        sender.start()
        try:
            response = http.client.HTTPResponse(sock)
            response.begin()
            assert response.status == 200
            assert response.chunked
            while data := response.read1(MIB):
                if received < STALL_AT <= received + len(data):
                    # The client stops reading the echo for a while: the server
                    # must stop reading the upload rather than queue the echo.
                    time.sleep(STALL)
                received += len(data)
                received_sha.update(data)
        finally:
            sender.join(30)
        assert not sender.is_alive()
    seconds = time.monotonic() - started
    peak = rss(server, "VmHWM")
    print(
        f"1 GiB streamed echo on {loop}: {UPLOAD / MIB / seconds:.0f} MiB/s each"
        f" way, server RSS peak {peak / MIB:.1f} MiB"
    )
    assert sent.error is None, sent.error
    assert sent.size == UPLOAD
    assert received == sent.size
    assert received_sha.hexdigest() == sent.sha.hexdigest()
    assert peak < 64 * MIB
