"""An in-memory connection: the server's protocol on one side, the client on the other.

``MemoryTransport`` is the ``asyncio.Transport`` the app's real ``HttpProtocol``
writes to. The client puts request bytes in with :meth:`MemoryTransport.send`
(the loop delivers them with ``data_received``, as a socket transport does: from
a callback, one read of at most ``READ_SIZE`` bytes a turn, and only while the
protocol has not paused reading) and takes whole responses out with
:meth:`MemoryTransport.receive`, which waits until what the protocol wrote frames
one complete response (RFC 9112 section 6: no body for HEAD, 1xx, 204 and 304;
chunked, ``Content-Length``, or the end of the connection). Bytes written and not
taken yet are the write buffer: above its high-water mark the protocol is told to
pause writing, and to resume once the client has taken them.

The client's end of the connection behaves as a socket's peer would: closing it
politely is an end of file (``eof_received``, then the transport closes unless
the protocol keeps it open), abandoning it (a timeout) resets it
(``connection_lost`` with ``ConnectionResetError``), and the server's ``close()``
reaches ``connection_lost`` on the next turn of the loop, as asyncio's transports
do.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, Final, cast

__all__ = ["READ_SIZE", "MemoryTransport"]

#: The most bytes one ``data_received`` call gets: what asyncio's selector
#: transports read from a socket at once.
READ_SIZE: Final = 256 * 1024
#: asyncio's default write buffer limits.
_HIGH_WATER: Final = 64 * 1024
_LOW_WATER: Final = _HIGH_WATER // 4
_CHUNKED: Final = b"\r\ntransfer-encoding:"
_LENGTH: Final = b"\r\ncontent-length:"
_CLOSE: Final = b"\r\nconnection: close"
#: What a lost connection's transport points to instead of its protocol, so the
#: two do not keep each other alive (asyncio's protocol methods do nothing).
_GONE: Final = asyncio.Protocol()


class MemoryTransport(asyncio.Transport):
    """One connection to ``protocol`` over memory; see the module docstring.

    Args:
        protocol: The server's protocol for this connection (not connected yet;
            :meth:`connect` calls its ``connection_made``).
        loop: The loop the protocol runs on.
        extra: What ``get_extra_info`` answers (``peername``, ``sockname``,
            ``sslcontext``, ``socket``...).

    Attributes:
        reusable: Whether another request may follow on this connection (the
            last response did not close it).
        delivered: Whether any byte given to :meth:`send` reached the protocol
            (since the client last set it to ``False``).
    """

    def __init__(
        self,
        protocol: asyncio.Protocol,
        loop: asyncio.AbstractEventLoop,
        extra: dict[str, Any],
    ) -> None:
        super().__init__(extra)
        self._protocol = protocol
        self._failure: BaseException | None = None
        self._loop = loop
        self._closing = False
        self._lost = False
        self._reading = True
        self._peer_closed = False
        self._server_eof = False
        self._received = bytearray()
        self._scan = 0  # where the framing scan of a chunked body resumes
        self._waiter: asyncio.Future[None] | None = None
        self._high = _HIGH_WATER
        self._low = _LOW_WATER
        self._writing_paused = False
        self._outbox: deque[bytes] = deque()
        self._offset = 0
        self._pumping = False
        self.reusable = True
        self.delivered = False

    def connect(self) -> None:
        """Hand the transport to the protocol (``connection_made``)."""
        self._protocol.connection_made(self)

    # -- the asyncio.Transport the protocol sees ---------------------------------

    def is_closing(self) -> bool:
        """Whether the server closed (or is closing) the connection."""
        return self._closing

    def close(self) -> None:
        """Close; ``connection_lost(None)`` follows on the next turn."""
        self._force_close(None)

    def abort(self) -> None:
        """Close at once; no buffered bytes are lost (there are none to send)."""
        self._force_close(None)

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        """Give the connection to another protocol (an upgrade)."""
        self._protocol = cast(asyncio.Protocol, protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        """The protocol bytes are delivered to."""
        return self._protocol

    def is_reading(self) -> bool:
        """Whether the client may deliver more bytes."""
        return self._reading and not self._closing

    def pause_reading(self) -> None:
        """Deliver nothing more until :meth:`resume_reading`."""
        self._reading = False

    def resume_reading(self) -> None:
        """Deliver the queued bytes again."""
        self._reading = True
        if self._outbox and not self._pumping:
            self._pumping = True
            self._loop.call_soon(self._pump)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Pass ``data`` to the client; bytes not taken yet count as buffered."""
        if self._closing:
            return  # as asyncio: writing to a closed transport sends nothing
        if self._peer_closed:
            # The client is gone: its end answers a write with a reset.
            self._force_close(ConnectionResetError("the client closed the connection"))
            return
        self._received += data
        if not self._writing_paused and len(self._received) > self._high:
            self._writing_paused = True
            self._protocol.pause_writing()
        self._wake()

    def write_eof(self) -> None:
        """The server sends nothing more; the client reads up to here."""
        self._server_eof = True
        self._wake()

    def can_write_eof(self) -> bool:
        """As a TCP socket can, unless it carries TLS (asyncio's cannot)."""
        return self.get_extra_info("sslcontext") is None

    def get_write_buffer_size(self) -> int:
        """Bytes written and not taken by the client yet."""
        return len(self._received)

    def get_write_buffer_limits(self) -> tuple[int, int]:
        """``(low, high)``: the marks at which writing resumes and pauses."""
        return self._low, self._high

    def set_write_buffer_limits(
        self, high: int | None = None, low: int | None = None
    ) -> None:
        """Set the marks as asyncio does (``low`` defaults to a quarter of ``high``)."""
        if high is None:
            high = _HIGH_WATER if low is None else 4 * low
        if low is None:
            low = high // 4
        if not high >= low >= 0:
            raise ValueError(f"high ({high!r}) must be >= low ({low!r}) must be >= 0")
        self._high, self._low = high, low

    # -- the client's end ----------------------------------------------------------

    def send(self, data: bytes) -> None:
        """Queue ``data`` for the protocol, as a socket's send buffer would.

        The loop delivers it (``data_received``) in reads of at most
        :data:`READ_SIZE` bytes, one a turn, never inside a task, and only while
        the protocol has not paused reading; what the server closes the
        connection on is dropped.
        """
        self._outbox.append(data)
        if not self._pumping:
            self._pumping = True
            self._loop.call_soon(self._pump)

    def _pump(self) -> None:
        """Deliver the next read of the queued bytes (a loop callback)."""
        self._pumping = False
        outbox = self._outbox
        if self._closing:
            outbox.clear()
            return
        if not outbox or not self._reading:
            return  # resume_reading pumps again
        data = outbox[0]
        start = self._offset
        if start == 0 and len(data) <= READ_SIZE:
            outbox.popleft()
        else:
            end = start + READ_SIZE
            if end >= len(data):
                outbox.popleft()
                self._offset = 0
            else:
                self._offset = end
            data = data[start:end]
        if outbox:
            self._pumping = True
            self._loop.call_soon(self._pump)
        self.delivered = True
        self._protocol.data_received(data)

    async def receive(self, head_only: bool) -> bytes:
        """Wait for one complete response and take it (interim 1xx skipped).

        Args:
            head_only: The request was HEAD: the response has no body.

        Returns:
            The response's bytes: status line, header fields, body as framed.

        Raises:
            ConnectionError: The server closed the connection before a whole
                response arrived.
        """
        while True:
            end = self._framed(head_only)
            if end is None:
                if self._closing or self._server_eof:
                    raise ConnectionResetError(
                        "the response broke off: the server closed the "
                        "connection before it was complete"
                    )
                await self._wait()
                continue
            received = self._received
            data = bytes(received[:end])
            del received[:end]
            self._scan = 0
            if self._writing_paused and len(received) <= self._low:
                self._writing_paused = False
                self._protocol.resume_writing()
            status = data[9:12]
            if status[:1] != b"1" or status == b"101":
                if status == b"101" or self._server_eof or self._closing:
                    self.reusable = False
                return data

    async def take(self) -> bytes:
        """Wait for bytes the protocol wrote and take all of them: the stream
        of an upgraded connection, which has no HTTP framing.

        Returns:
            The bytes, or ``b""`` once the server has closed its end and
            everything it wrote has been taken.
        """
        received = self._received
        while not received:
            if self._closing or self._server_eof:
                return b""
            await self._wait()
        data = bytes(received)
        received.clear()
        if self._writing_paused:
            self._writing_paused = False
            self._protocol.resume_writing()
        return data

    async def continued(self) -> bool:
        """Wait for the answer to a request head sent with ``Expect:
        100-continue``: ``True`` (and the interim response taken) for
        ``100 Continue``, ``False`` for a final response, left to :meth:`receive`.

        Raises:
            ConnectionError: The server closed the connection first.
        """
        while True:
            received = self._received
            head_end = received.find(b"\r\n\r\n")
            if head_end >= 0:
                if received[9:12] != b"100":
                    return False
                del received[: head_end + 4]
                return True
            if self._closing or self._server_eof:
                raise ConnectionResetError(
                    "the server closed the connection before answering "
                    "Expect: 100-continue"
                )
            await self._wait()

    def _framed(self, head_only: bool) -> int | None:
        """Where the first complete response in the buffer ends, if it is there."""
        received = self._received
        if not received:
            return None
        head_end = received.find(b"\r\n\r\n")
        if head_end < 0:
            return None
        body = head_end + 4
        status = bytes(received[9:12])
        if head_only or status[:1] == b"1" or status in (b"204", b"304"):
            return body
        head = bytes(received[:head_end]).lower()
        if _CLOSE in head:
            self.reusable = False
        if _CHUNKED in head and b"chunked" in head:
            return self._chunked_end(max(self._scan, body))
        at = head.find(_LENGTH)
        if at >= 0:
            line_end = head.find(b"\r\n", at + 2)
            length = int(head[at + len(_LENGTH) : None if line_end < 0 else line_end])
            end = body + length
            return end if len(received) >= end else None
        # Delimited by the end of the connection.
        self.reusable = False
        return len(received) if self._server_eof or self._closing else None

    def _chunked_end(self, position: int) -> int | None:
        received = self._received
        while True:
            line_end = received.find(b"\r\n", position)
            if line_end < 0:
                break
            size = int(bytes(received[position:line_end]).split(b";", 1)[0], 16)
            if size == 0:
                trailers_end = received.find(b"\r\n\r\n", line_end)
                return None if trailers_end < 0 else trailers_end + 4
            following = line_end + 2 + size + 2
            if len(received) < following:
                break
            position = following
        self._scan = position
        return None

    def hang_up(self) -> None:
        """The client closes its end: an end of file for the protocol.

        The protocol may keep its side open to finish a response; a write after
        that meets a reset, as it would on a socket.
        """
        if self._closing or self._peer_closed:
            return
        self._peer_closed = True
        keep_open = self._protocol.eof_received()
        if not keep_open:
            self.close()

    def reset(self) -> None:
        """The client abandons the connection: ``connection_lost`` with a reset."""
        self._peer_closed = True
        self._force_close(ConnectionResetError("the client reset the connection"))

    def _force_close(self, exc: Exception | None) -> None:
        if self._closing:
            return
        self._closing = True
        self.reusable = False
        self._loop.call_soon(self._connection_lost, exc)
        self._wake()

    def _connection_lost(self, exc: Exception | None) -> None:
        if not self._lost:
            self._lost = True
            protocol, self._protocol = self._protocol, _GONE
            protocol.connection_lost(exc)

    def fail(self, exc: BaseException) -> None:
        """Make the client's current (and every later) wait raise ``exc``."""
        self._failure = exc
        waiter = self._waiter
        self._waiter = None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    async def _wait(self) -> None:
        if self._failure is not None:
            raise self._failure
        waiter = self._waiter = self._loop.create_future()
        try:
            await waiter
        finally:
            self._waiter = None

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
