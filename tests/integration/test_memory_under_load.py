"""The server's memory under load, over real sockets against a server process.

The server runs ``load/app.py`` in its own process on the default loop; its
resident set is read from ``/proc/<pid>/status`` (``VmRSS``). Every wait is
bounded; each test takes a few seconds.

- A client that pipelines 1,000,000 ``GET /`` and never reads a response: the
  server stops reading once the transport's write buffer is full (and starts no
  new request), so it stays under 100 MiB instead of reading everything and
  queueing every response.
- 20 concurrent 20 MB uploads to a normal route: once answered, the bodies are
  freed by reference counting (no protocol/parser cycle, no second copy of a
  body in its chunk list) and the server is back under 160 MiB within 5 s.
"""

from __future__ import annotations

import socket
import sys
import threading
import time

import pytest
from conftest import HOST, LOAD_APP, MIB, Example, Launch, rss

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/<pid>/status"
)


@pytest.fixture(scope="module")
def server(launch: Launch) -> Example:
    return launch(None, args=(str(LOAD_APP),))


def _answered(example: Example) -> bool:
    reply = example.get("/")
    return (reply.status, reply.body) == (200, b"ok")


def test_a_pipelined_flood_that_is_never_read_stays_small(server: Example) -> None:
    total = 1_000_000
    batch = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 2000
    sent = peak = 0
    with socket.create_connection((HOST, server.port), timeout=5) as sock:
        sock.settimeout(1.0)  # a send that makes no progress for 1 s: stalled
        deadline = time.monotonic() + 12
        while sent < total and time.monotonic() < deadline:
            try:
                sock.sendall(batch)
            except TimeoutError:
                break  # the server stopped reading: what the test wants to see
            sent += 2000
            if sent % 100_000 == 0:
                peak = max(peak, rss(server))
        time.sleep(0.5)  # let the server work through what it read
        peak = max(peak, rss(server))
        print(
            f"flood: {sent:,} requests sent before the server stopped reading;"
            f" server RSS peak {peak / MIB:.1f} MiB"
        )
        assert peak < 100 * MIB
        assert sent < total, "the server read every request of the flood"
    assert _answered(server)


def _upload(port: int, body: bytes, results: list[bytes]) -> socket.socket:
    sock = socket.create_connection((HOST, port), timeout=10)
    sock.sendall(
        b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    sock.sendall(body)
    reply = b""
    while b"\r\n\r\n" not in reply or not reply.endswith(b"%d" % len(body)):
        chunk = sock.recv(65536)
        if not chunk:
            break
        reply += chunk
    results.append(reply)
    return sock


def test_memory_returns_after_concurrent_uploads(server: Example) -> None:
    body = b"u" * (20 * 1000 * 1000)
    results: list[bytes] = []
    sockets: list[socket.socket] = []

    def one() -> None:
        sockets.append(_upload(server.port, body, results))

    threads = [threading.Thread(target=one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert len(results) == 20
        assert all(reply.endswith(b"\r\n\r\n20000000") for reply in results)
        # The connections stay open (kept alive): their requests must not be.
        deadline = time.monotonic() + 5
        while rss(server) >= 160 * MIB and time.monotonic() < deadline:
            time.sleep(0.1)
        after = rss(server)
        print(f"uploads: server RSS {after / MIB:.1f} MiB after 20 x 20 MB")
        assert after < 160 * MIB
    finally:
        for sock in sockets:
            sock.close()
    assert _answered(server)


def test_a_1_gib_streamed_upload_keeps_the_server_small(launch: Launch) -> None:
    server = launch(None, args=(str(LOAD_APP),))  # its own process: a clean baseline
    piece = b"g" * (1024 * 1024)
    chunk = b"%x\r\n%b\r\n" % (len(piece), piece)
    peak = 0
    started = time.monotonic()
    with socket.create_connection((HOST, server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for n in range(1024):
            sock.sendall(chunk)
            if n % 64 == 0:
                peak = max(peak, rss(server))
        sock.sendall(b"0\r\n\r\n")
        reply = b""
        while not reply.endswith(b"\r\n\r\n%d" % (1024 * len(piece))):
            data = sock.recv(65536)
            assert data, reply
            reply += data
    seconds = time.monotonic() - started
    peak = max(peak, rss(server))
    print(
        f"1 GiB streamed upload: {1024 / seconds:.0f} MiB/s, server RSS peak"
        f" {peak / MIB:.1f} MiB"
    )
    assert peak < 64 * MIB
