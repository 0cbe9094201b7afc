"""``RequestStream``: a request body handed to the handler chunk by chunk.

A server that streams a body creates one :class:`RequestStream` per request, sets it
as ``request.stream`` and feeds it what arrives; the handler reads it. The stream
bounds memory by telling the server when to stop reading from the socket
(``pause``) and when to start again (``resume``).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

__all__ = ["RequestStream"]


def _nothing() -> None:
    """Stands in for the server's callables once a stream no longer calls them."""


class RequestStream:
    """A streamed request body: the server feeds it, the handler reads it.

    Reading (the handler)::

        while (chunk := await request.stream.read()) is not None:
            ...
        # or
        async for chunk in request.stream:
            ...

    :meth:`read` returns the next chunk as the server received it (``bytes``,
    never empty) and ``None`` once the body has ended; :meth:`get` is the same
    (Sanic 18.12's name). Only one task may read at a time.

    Feeding (the server), all from the event loop's thread:

    * :meth:`feed_data` for each piece of body that arrives, in order;
    * :meth:`feed_eof` when the body is complete;
    * :meth:`fail` when it never will be (body too large, the client idle or
      gone): buffered data is dropped and every later read raises the
      exception given.

    Flow control: when the bytes fed but not yet read exceed ``high_water``,
    ``pause()`` is called (once); the server stops reading from its socket
    then. When a read brings them back to ``high_water`` or below (the low-water
    mark is ``high_water`` itself), ``resume()`` is called (once). A server that
    stops reading on ``pause()`` therefore holds at most ``high_water`` plus what
    one socket read delivered. Every ``pause()`` is followed by exactly one
    ``resume()`` (also when the data is read after :meth:`feed_eof`), unless
    :meth:`fail` comes first: a failed stream calls neither again.

    ``on_first_read`` is called once, when the handler first reads (or starts
    iterating), before the read waits for data: the moment a server answers
    ``Expect: 100-continue`` with ``100 Continue``.

    The stream keeps no reference to the request; it refers to the server only
    through the three callables it is given, and drops them once it will not call
    them again: after :meth:`fail`, and when the body has been read to its end.
    So a finished stream held as ``request.stream`` makes no reference cycle
    with a server whose callables are its own bound methods; a server that ends
    a request before its body was read calls :meth:`fail` to the same effect.

    Args:
        high_water: Most unread bytes before ``pause()`` (0 or more).
        pause: Called when unread bytes go above ``high_water``.
        resume: Called when a read brings them to ``high_water`` or below
            after a ``pause()``.
        on_first_read: Called at the first read, if given.

    Raises:
        ValueError: ``high_water`` is negative.
    """

    __slots__ = (
        "_buffered",
        "_chunks",
        "_done",
        "_error",
        "_high_water",
        "_on_first_read",
        "_pause",
        "_paused",
        "_resume",
        "_waiter",
    )

    def __init__(
        self,
        *,
        high_water: int,
        pause: Callable[[], None],
        resume: Callable[[], None],
        on_first_read: Callable[[], None] | None = None,
    ) -> None:
        if high_water < 0:
            raise ValueError(f"high_water must be 0 or more, not {high_water!r}")
        self._high_water = high_water
        self._pause = pause
        self._resume = resume
        self._on_first_read = on_first_read
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._paused = False
        self._done = False  # feed_eof() or fail() was called
        self._error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None

    def __repr__(self) -> str:
        state = "failed" if self._error else "ended" if self._done else "open"
        return f"<RequestStream {state}, {self._buffered} bytes buffered>"

    # -- the server's side -------------------------------------------------

    @property
    def buffered(self) -> int:
        """Bytes fed and not yet read."""
        return self._buffered

    @property
    def paused(self) -> bool:
        """Whether ``pause()`` was called and ``resume()`` has not been since."""
        return self._paused

    @property
    def done(self) -> bool:
        """Whether the server has finished feeding (:meth:`feed_eof`, :meth:`fail`)."""
        return self._done

    def feed_data(self, data: bytes) -> None:
        """Append a piece of the body (empty pieces are ignored).

        Raises:
            RuntimeError: After :meth:`feed_eof` or :meth:`fail`.
        """
        if self._done:
            raise RuntimeError("feed_data() after the stream ended")
        if not data:
            return
        self._chunks.append(data)
        self._buffered += len(data)
        self._wake()
        if self._buffered > self._high_water and not self._paused:
            self._paused = True
            self._pause()

    def feed_eof(self) -> None:
        """Mark the end of the body: reads return ``None`` once it is drained.

        Does nothing when the stream has already ended or failed.
        """
        if self._done:
            return
        self._done = True
        if not self._chunks:
            self._release()
        self._wake()

    def fail(self, exc: BaseException) -> None:
        """End the stream with an error: every later read raises ``exc``.

        Unread data is dropped. Ignored once :meth:`feed_eof` was called (the body
        is complete; the reader may still take it) or after an earlier ``fail``.

        Args:
            exc: What reads raise, e.g. the server's 413 or timeout exception.
        """
        if self._done:
            return
        self._done = True
        self._error = exc
        self._chunks.clear()
        self._buffered = 0
        self._release()
        self._wake()

    def _release(self) -> None:
        """Drop the server's callables: none will be called again."""
        self._pause = self._resume = _nothing
        self._on_first_read = None

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    # -- the handler's side ------------------------------------------------

    async def read(self) -> bytes | None:
        """Return the next chunk of the body, or ``None`` at its end.

        Waits until a chunk arrives or the body ends.

        Raises:
            BaseException: What the server passed to :meth:`fail`.
            RuntimeError: Another task is already waiting in ``read``.
        """
        first = self._on_first_read
        if first is not None:
            self._on_first_read = None
            first()
        chunks = self._chunks
        while not chunks:
            if self._error is not None:
                raise self._error
            if self._done:
                return None
            if self._waiter is not None:
                raise RuntimeError("another task is already reading this stream")
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiter = waiter
            try:
                await waiter
            finally:
                if self._waiter is waiter:
                    self._waiter = None
        chunk = chunks.popleft()
        self._buffered -= len(chunk)
        if self._paused and self._buffered <= self._high_water:
            self._paused = False
            self._resume()
        if not chunks and self._done:
            self._release()  # the last chunk: nothing more to pause or resume
        return chunk

    async def get(self) -> bytes | None:
        """The same as :meth:`read` (Sanic 18.12's name)."""
        return await self.read()

    def __aiter__(self) -> RequestStream:
        return self

    async def __anext__(self) -> bytes:
        chunk = await self.read()
        if chunk is None:
            raise StopAsyncIteration
        return chunk
