"""Streamed bodies split at arbitrary points reach the handler byte for byte.

Hypothesis cuts the bytes of a request (Content-Length or chunked) into pieces,
feeds them one by one to a real ``HttpProtocol`` over an in-memory transport (so
the cuts are exactly where the example puts them), and lets the event loop run
between pieces; the handler reading ``request.stream`` must see exactly the body
that was sent, and answer once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sanic_http import HttpProtocol, ServerSettings, Signal, text


class MemoryTransport(asyncio.Transport):
    """Collects what the protocol writes."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closing = False

    def write(self, data: Any) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default


class Errors:
    def response(self, request: Any, exception: BaseException) -> Any:
        return text(str(exception), getattr(exception, "status_code", 500))


def _wire(body: bytes, chunked: bool, chunk_size: int) -> bytes:
    if not chunked:
        head = b"POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)
        return head + body
    pieces = [body[i : i + chunk_size] for i in range(0, len(body), chunk_size)]
    framed = b"".join(b"%x\r\n%b\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
    return b"POST /s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + framed


async def _exchange(data: bytes, cuts: list[int]) -> tuple[bytes, bytes]:
    loop = asyncio.get_running_loop()
    seen = bytearray()

    async def handler(request: Any, write: Callable[[Any], Any]) -> None:
        async for chunk in request.stream:
            seen.extend(chunk)
        write(text("done"))

    protocol = HttpProtocol(
        loop=loop,
        connections=set(),
        signal=Signal(),
        request_handler=handler,
        error_handler=Errors(),
        request_timeout=10.0,
        request_max_size=10**6,
    )
    protocol.settings = ServerSettings(
        stream_check=lambda request: True, stream_high_water=64, access_log=False
    )
    transport = MemoryTransport()
    protocol.connection_made(transport)
    start = 0
    for cut in [*sorted(set(cuts)), len(data)]:
        if start < cut <= len(data):
            protocol.data_received(data[start:cut])
            start = cut
            await asyncio.sleep(0)
    for _ in range(100):
        if transport.written.endswith(b"done"):
            break
        await asyncio.sleep(0)
    protocol.connection_lost(None)
    return bytes(seen), bytes(transport.written)


@settings(max_examples=150, deadline=None)
@given(
    body=st.binary(max_size=3000),
    chunked=st.booleans(),
    chunk_size=st.integers(1, 700),
    cuts=st.lists(st.integers(0, 4000), max_size=12),
)
def test_the_handler_sees_exactly_the_bytes_sent(
    body: bytes, chunked: bool, chunk_size: int, cuts: list[int]
) -> None:
    data = _wire(body, chunked, chunk_size)
    seen, written = asyncio.run(_exchange(data, cuts))
    assert seen == body
    assert written.startswith(b"HTTP/1.1 200 OK") and written.count(b"HTTP/1.1") == 1
