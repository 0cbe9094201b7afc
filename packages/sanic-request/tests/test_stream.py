"""RequestStream: what the handler reads, and what the server is told."""

from __future__ import annotations

import asyncio
import itertools
import weakref
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanic_request import Request, RequestStream

T = TypeVar("T")


def run(factory: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await asyncio.wait_for(factory(), timeout=5)

    return asyncio.run(main())


class Server:
    """Records the stream's calls to pause, resume and on_first_read."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def stream(self, high_water: int = 10, first_read: bool = True) -> RequestStream:
        return RequestStream(
            high_water=high_water,
            pause=lambda: self.calls.append("pause"),
            resume=lambda: self.calls.append("resume"),
            on_first_read=(lambda: self.calls.append("first read"))
            if first_read
            else None,
        )


def test_read_returns_each_chunk_then_none() -> None:
    stream = Server().stream()
    stream.feed_data(b"ab")
    stream.feed_data(b"")  # ignored
    stream.feed_data(b"cd")
    stream.feed_eof()

    async def read_all() -> list[bytes | None]:
        return [await stream.read(), await stream.get(), await stream.read()]

    assert run(read_all) == [b"ab", b"cd", None]
    # Once ended, it stays ended.
    assert run(stream.read) is None


def test_async_for_yields_the_chunks() -> None:
    stream = Server().stream()
    for piece in (b"x", b"yz"):
        stream.feed_data(piece)
    stream.feed_eof()

    async def collect() -> list[bytes]:
        return [chunk async for chunk in stream]

    assert run(collect) == [b"x", b"yz"]


def test_read_waits_for_data_fed_later() -> None:
    async def main() -> list[bytes | None]:
        stream = Server().stream()
        loop = asyncio.get_running_loop()
        loop.call_soon(stream.feed_data, b"late")
        first = await stream.read()
        loop.call_soon(stream.feed_eof)
        return [first, await stream.read()]

    assert run(main) == [b"late", None]


def test_pause_once_above_high_water_resume_once_at_or_below() -> None:
    server = Server()
    stream = server.stream(high_water=10, first_read=False)
    stream.feed_data(b"x" * 10)
    assert server.calls == [] and not stream.paused  # at the mark: no pause
    stream.feed_data(b"y" * 5)
    stream.feed_data(b"z" * 5)
    assert server.calls == ["pause"] and stream.paused
    assert stream.buffered == 20

    async def read_one() -> bytes | None:
        return await stream.read()

    assert run(read_one) == b"x" * 10  # 10 left: at the mark
    assert server.calls == ["pause", "resume"] and not stream.paused
    stream.feed_data(b"w" * 20)
    assert server.calls == ["pause", "resume", "pause"]


def test_resume_still_follows_pause_after_eof() -> None:
    server = Server()
    stream = server.stream(high_water=3, first_read=False)
    stream.feed_data(b"abcdef")
    stream.feed_eof()

    async def drain() -> list[bytes]:
        return [chunk async for chunk in stream]

    assert run(drain) == [b"abcdef"]
    assert server.calls == ["pause", "resume"]


def test_on_first_read_fires_once_before_waiting() -> None:
    server = Server()
    stream = server.stream()

    async def main() -> bytes | None:
        reading = asyncio.ensure_future(stream.read())
        await asyncio.sleep(0)
        # The first read asked before any data was there.
        assert server.calls == ["first read"]
        stream.feed_data(b"body")
        chunk = await reading
        stream.feed_eof()
        assert await stream.read() is None
        return chunk

    assert run(main) == b"body"
    assert server.calls == ["first read"]


def test_fail_drops_data_and_every_later_read_raises() -> None:
    server = Server()
    stream = server.stream(high_water=1)
    stream.feed_data(b"too much")
    error = ValueError("body too large")
    stream.fail(error)
    assert stream.buffered == 0 and stream.done
    for _ in range(2):
        with pytest.raises(ValueError) as caught:
            run(stream.read)
        assert caught.value is error
    # Failing ends the calls: no resume after the data was dropped, and no
    # first-read call for a body that will never come.
    assert server.calls == ["pause"]
    with pytest.raises(RuntimeError):
        stream.feed_data(b"more")


class Owner:
    """A server whose bound methods are the stream's callables."""

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def stream(self) -> RequestStream:
        return RequestStream(
            high_water=2, pause=self.pause, resume=self.resume, on_first_read=self.pause
        )


@pytest.mark.parametrize("ending", ["read to the end", "failed", "last read first"])
def test_a_finished_stream_lets_go_of_the_server(ending: str) -> None:
    owner = Owner()
    gone = weakref.ref(owner)
    stream = owner.stream()
    del owner
    stream.feed_data(b"abc")
    assert gone() is not None  # still feeding: the callables are needed
    if ending == "failed":
        stream.fail(ConnectionResetError())
    elif ending == "read to the end":
        stream.feed_eof()
        assert run(stream.read) == b"abc"
    else:
        assert run(stream.read) == b"abc"
        stream.feed_eof()
    assert gone() is None


def test_fail_wakes_a_waiting_reader() -> None:
    async def main() -> None:
        stream = Server().stream()
        asyncio.get_running_loop().call_soon(stream.fail, ConnectionResetError())
        await stream.read()

    with pytest.raises(ConnectionResetError):
        run(main)


def test_fail_after_eof_keeps_the_complete_body() -> None:
    stream = Server().stream()
    stream.feed_data(b"all")
    stream.feed_eof()
    stream.fail(ConnectionResetError())
    assert run(stream.read) == b"all"
    with pytest.raises(RuntimeError):
        stream.feed_data(b"more")


def test_two_concurrent_readers_are_refused() -> None:
    async def main() -> None:
        stream = Server().stream()
        first = asyncio.ensure_future(stream.read())
        await asyncio.sleep(0)
        try:
            await stream.read()
        finally:
            first.cancel()

    with pytest.raises(RuntimeError, match="already reading"):
        run(main)


def test_a_cancelled_read_leaves_the_stream_readable() -> None:
    async def main() -> bytes | None:
        stream = Server().stream()
        reading = asyncio.ensure_future(stream.read())
        await asyncio.sleep(0)
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        stream.feed_data(b"next")
        return await stream.read()

    assert run(main) == b"next"


def test_negative_high_water_is_refused() -> None:
    with pytest.raises(ValueError, match="high_water"):
        Server().stream(high_water=-1)


def test_request_stream_is_none_by_default_and_costs_no_attribute() -> None:
    request = Request(b"/", [], "1.1", "GET")
    assert request.stream is None
    assert "stream" not in vars(request)


def test_receive_body_reads_what_remains_into_body() -> None:
    request = Request(b"/up", [], "1.1", "POST")
    stream = request.stream = Server().stream(high_water=100)
    for piece in (b"first ", b"second ", b"third"):
        stream.feed_data(piece)
    stream.feed_eof()

    async def main() -> bytes:
        assert request.body == b""
        assert await stream.read() == b"first "
        await request.receive_body()
        return request.body

    assert run(main) == b"second third"


def test_receive_body_without_a_stream_keeps_the_body() -> None:
    request = Request(b"/up", [], "1.1", "POST")
    request.body = b"buffered"
    run(request.receive_body)
    assert request.body == b"buffered"


def test_receive_body_raises_what_the_stream_failed_with() -> None:
    request = Request(b"/up", [], "1.1", "POST")
    request.stream = Server().stream()
    request.stream.feed_data(b"part")
    request.stream.fail(OverflowError("413"))
    with pytest.raises(OverflowError):
        run(request.receive_body)


@given(
    body=st.binary(max_size=2000),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=30),
    reads=st.lists(st.booleans(), max_size=40),
    high_water=st.integers(min_value=0, max_value=300),
)
def test_a_body_fed_in_any_pieces_reads_back_exactly(
    body: bytes, cuts: list[int], reads: list[bool], high_water: int
) -> None:
    """Split anywhere, reads interleaved anywhere: the same bytes come out; a
    server that stops feeding while paused holds at most high_water plus one
    piece; every pause is followed by exactly one resume."""
    points = sorted({min(cut, len(body)) for cut in cuts} | {0, len(body)})
    pieces = [body[a:b] for a, b in itertools.pairwise(points)]

    async def main() -> bytes:
        server = Server()
        stream = server.stream(high_water=high_water, first_read=False)
        received: list[bytes] = []
        steps = iter(reads)
        for piece in pieces:
            # A paused server reads nothing from its socket until a read resumes it.
            while stream.paused:
                chunk = await stream.read()
                assert chunk
                received.append(chunk)
            stream.feed_data(piece)
            assert stream.buffered <= high_water + len(piece)
            # Interleave reads where the strategy says, as a handler would.
            while next(steps, False) and stream.buffered:
                chunk = await stream.read()
                assert chunk
                received.append(chunk)
        stream.feed_eof()
        async for chunk in stream:
            received.append(chunk)
        assert stream.buffered == 0 and not stream.paused
        pauses = server.calls.count("pause")
        assert server.calls == ["pause", "resume"] * pauses
        return b"".join(received)

    assert run(main) == body
