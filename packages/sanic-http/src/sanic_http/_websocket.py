"""WebSockets (RFC 6455, RFC 7692) on the upgrade hand-off.

The frames, the opening handshake's checks and negotiation (subprotocol,
permessage-deflate), UTF-8 validation of close reasons and the close codes come
from the ``websockets`` library's Sans-I/O ``ServerProtocol``; this module is
the asyncio glue around it:

* :func:`websocket_handshake` checks a request with ``ServerProtocol`` and
  answers it: an :class:`~sanic_http.UpgradeResponse` (``101``) whose protocol,
  a :class:`WebSocketProtocol`, runs the handler as a task once connected; or a
  plain ``400`` / ``426`` for a request that cannot open a WebSocket.
* :class:`WebSocketProtocol` feeds the bytes received to ``ServerProtocol``,
  assembles fragmented messages (checking the UTF-8 of text incrementally, so a
  bad sequence split across fragments closes with 1007), writes what
  ``ServerProtocol`` has to send, and keeps memory bounded whatever the peer
  does: ``send`` waits while the transport's write buffer is above its
  high-water mark (a slow reader pauses the sender), and reading pauses while
  ``max_queue`` messages wait for the handler.
* Keepalive pings run on the loop's timers; a peer silent for ``ping_timeout``
  after a ping is closed with 1011.
* The handler returning closes with 1000, raising closes with 1011 (the error
  goes to ``on_error``), the server's shutdown (``begin_shutdown``) with 1001;
  a peer that does not answer a close within :data:`CLOSE_TIMEOUT` seconds is
  cut off. When the connection is lost, waiting ``recv``/``send``/``close``
  calls end (``ConnectionClosed``) and a handler still running after that is
  cancelled.

Nothing here references the protocol from the objects it owns once the
connection is closed, so a closed WebSocket is freed by reference counting.
"""

from __future__ import annotations

import asyncio
import codecs
import collections
import functools
import os
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from websockets.datastructures import Headers
from websockets.exceptions import (
    ConnectionClosed,
    ConnectionClosedError,
    ConnectionClosedOK,
    InvalidHandshake,
    InvalidUpgrade,
)
from websockets.extensions.base import ServerExtensionFactory
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
from websockets.frames import Close, Frame, Opcode
from websockets.http11 import Request as HandshakeRequest
from websockets.protocol import State
from websockets.server import ServerProtocol
from websockets.typing import Subprotocol

from sanic_request import Request

from ._response import HTTPResponse, text
from ._settings import ServerSettings
from ._upgrade import UpgradedProtocol, UpgradeResponse, offered
from .log import error_logger

__all__ = [
    "CLOSE_TIMEOUT",
    "ConnectionClosed",
    "WebSocket",
    "WebSocketHandler",
    "WebSocketProtocol",
    "connection_closed",
    "websocket_handshake",
]

#: Seconds a peer gets to answer our close frame (or to read it) before the
#: connection is cut.
CLOSE_TIMEOUT = 10.0

#: What a handler receives: a text message as ``str``, a binary one as ``bytes``.
Message = str | bytes
#: The function a WebSocket runs once connected (the app binds its request).
WebSocketHandler = Callable[["WebSocket"], Awaitable[object]]
#: Called with the exception a handler raised (after the 1011 close is sent).
ErrorCallback = Callable[[BaseException], object]

_OPEN, _CLOSING, _CLOSED = State.OPEN, State.CLOSING, State.CLOSED
_TEXT, _BINARY, _CONT = Opcode.TEXT, Opcode.BINARY, Opcode.CONT
_PONG, _CLOSE = Opcode.PONG, Opcode.CLOSE
_Utf8Decoder = codecs.getincrementaldecoder("utf-8")

# RFC 7692, as offered by most clients; small windows keep the zlib state of an
# idle connection small (the ``websockets`` library's own server defaults).
_DEFLATE: Sequence[ServerExtensionFactory] = (
    ServerPerMessageDeflateFactory(
        server_max_window_bits=12,
        client_max_window_bits=12,
        compress_settings={"memLevel": 5},
    ),
)


class _ServerProtocol(ServerProtocol):
    """``ServerProtocol``, but a close frame between the fragments of a message
    closes cleanly.

    RFC 6455 §5.4 lets control frames come between fragments; a close there
    ends the connection, and the unfinished message is dropped. The library
    fails the connection with 1002 instead ("incomplete fragmented message");
    here the close is echoed (1000) as for any other close (Autobahn 7.1.5).
    """

    def recv_frame(self, frame: Frame) -> None:
        if frame.opcode is _CLOSE:
            # The size of the message being received: ``current_size`` from
            # websockets 14, ``cur_size`` before.
            for name in ("current_size", "cur_size"):
                if getattr(self, name, None) is not None:
                    setattr(self, name, None)
        super().recv_frame(frame)


def connection_closed(
    received: tuple[int, str] | None, sent: tuple[int, str] | None
) -> ConnectionClosed:
    """The exception a closed WebSocket raises, for a WebSocket served by
    something else than :class:`WebSocketProtocol` (an ASGI server).

    Args:
        received: The peer's close ``(code, reason)``, None if none came.
        sent: Ours, None if none was sent.

    Returns:
        ``ConnectionClosedOK`` when every close there is was 1000 or 1001, else
        ``ConnectionClosedError``, as ``WebSocketProtocol`` raises them.
    """
    rcvd = None if received is None else Close(*received)
    ours = None if sent is None else Close(*sent)
    codes = [close.code for close in (rcvd, ours) if close is not None]
    if codes and all(code in (1000, 1001) for code in codes):
        return ConnectionClosedOK(rcvd, ours)
    return ConnectionClosedError(rcvd, ours)


# -- the opening handshake ---------------------------------------------------------


def websocket_handshake(
    request: Request,
    handler: WebSocketHandler,
    *,
    settings: ServerSettings,
    subprotocols: Sequence[str] | None = None,
    on_error: ErrorCallback | None = None,
) -> HTTPResponse:
    """Answer a request that asks to open a WebSocket.

    The request is checked (RFC 6455 §4.2.1) and the subprotocol and
    permessage-deflate negotiated (``WEBSOCKET_PER_MESSAGE_DEFLATE``) by the
    ``websockets`` library's ``ServerProtocol``.

    Args:
        request: The request (``GET`` with ``Upgrade: websocket``).
        handler: Called with the :class:`WebSocket` once the ``101`` is sent,
            and run as a task: when it returns the connection closes with 1000;
            when it raises, with 1011.
        settings: The server's settings (``websocket_*`` fields).
        subprotocols: The subprotocols the route speaks, preferred first; the
            first one the client offers is chosen (``ws.subprotocol``), none if
            the client offers none of them.
        on_error: Called with an exception the handler raised (the ``101`` is
            sent: this is for logging); ``None`` logs it to ``sanic.error``.

    Returns:
        An :class:`~sanic_http.UpgradeResponse` to write; or, when the request
        cannot open a WebSocket, ``426 Upgrade Required`` (with ``Upgrade:
        websocket``) if it did not ask to, ``400`` with a short reason if its
        handshake is not valid.
    """
    if "websocket" not in offered(request):
        return text(
            "Upgrade Required: this is a WebSocket endpoint",
            426,
            {"Upgrade": "websocket"},
        )
    if request.version != "1.1" or request.method != "GET":
        return text("Bad Request: a WebSocket opens with an HTTP/1.1 GET", 400)
    connection = _ServerProtocol(
        extensions=_DEFLATE if settings.websocket_per_message_deflate else None,
        subprotocols=[Subprotocol(name) for name in subprotocols or ()],
        select_subprotocol=_select_subprotocol,
        state=_OPEN,  # the HTTP side has read the request and writes the 101
        max_size=settings.websocket_max_size or None,
    )
    handshake = HandshakeRequest(request.path, Headers(request.headers.items()))
    try:
        accept, extensions, protocol = connection.process_request(handshake)
    except InvalidUpgrade as exc:
        return text(f"Upgrade Required: {_short(exc)}", 426, {"Upgrade": "websocket"})
    except InvalidHandshake as exc:
        return text(f"Bad Request: {_short(exc)}", 400)
    headers = {"Sec-WebSocket-Accept": accept}
    if extensions is not None:
        headers["Sec-WebSocket-Extensions"] = extensions
    if protocol is not None:
        headers["Sec-WebSocket-Protocol"] = protocol
    factory = functools.partial(
        WebSocketProtocol, connection, handler, settings, on_error
    )
    return UpgradeResponse(factory, "websocket", headers)


def _select_subprotocol(
    connection: ServerProtocol, offered: Sequence[Subprotocol]
) -> Subprotocol | None:
    """The route's first subprotocol the client offers; None when it offers none."""
    for name in connection.available_subprotocols or ():
        if name in offered:
            return name
    return None


def _short(exc: BaseException, limit: int = 200) -> str:
    """A one-line reason for a refused handshake (no long echo of the request)."""
    reason = str(exc).replace("\r", " ").replace("\n", " ")
    return reason if len(reason) <= limit else reason[: limit - 3] + "..."


# -- the connection ----------------------------------------------------------------


async def _call(handler: WebSocketHandler, ws: WebSocket) -> object:
    return await handler(ws)


def _expire(waiter: asyncio.Future[Message | None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class WebSocketProtocol(UpgradedProtocol):
    """The protocol that takes a connection over after a WebSocket's ``101``.

    Made by :func:`websocket_handshake`; a handler sees only its
    :class:`WebSocket`.
    """

    loop: asyncio.AbstractEventLoop

    def __init__(
        self,
        connection: ServerProtocol,
        handler: WebSocketHandler,
        settings: ServerSettings,
        on_error: ErrorCallback | None = None,
    ) -> None:
        self._conn = connection
        self._handler: WebSocketHandler | None = handler
        self._on_error = on_error
        self._max_queue = settings.websocket_max_queue or 0
        self._ping_interval = settings.websocket_ping_interval
        self._ping_timeout = settings.websocket_ping_timeout
        #: Complete messages the handler has not taken yet.
        self._messages: collections.deque[Message] = collections.deque()
        #: The ``recv`` waiting for the next message.
        self._recv_waiter: asyncio.Future[Message | None] | None = None
        #: ``send`` calls waiting for the write buffer to drain.
        self._drainers: list[asyncio.Future[None]] = []
        #: ``close`` calls waiting for the connection to be closed.
        self._closers: list[asyncio.Future[None]] = []
        #: Pings sent and not answered yet: payload -> (sent at, pong future).
        self._pings: dict[bytes, tuple[float, asyncio.Future[float] | None]] = {}
        self._keepalive_payload: bytes | None = None
        self._keepalive: asyncio.TimerHandle | None = None
        self._close_timer: asyncio.TimerHandle | None = None
        # A fragmented message being assembled: its parts, and for a text
        # message the incremental UTF-8 decoder.
        self._parts: list[Any] | None = None
        self._decoder: codecs.IncrementalDecoder | None = None
        self._write_paused = False
        self._read_paused = False
        self._lost = False
        self._task: asyncio.Task[object] | None = None

    # -- asyncio.Protocol ------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start the handler (as a task) and the keepalive pings."""
        super().connection_made(transport)
        self.loop = loop = asyncio.get_running_loop()
        handler, self._handler = self._handler, None
        assert handler is not None
        ws = WebSocket(self)
        self._task = task = loop.create_task(_call(handler, ws))
        task.add_done_callback(self._handler_done)
        if self._ping_interval is not None:
            self._keepalive = loop.call_later(self._ping_interval, self._send_keepalive)

    def data_received(self, data: bytes) -> None:
        """Parse frames; deliver messages, answer pings and closes."""
        conn = self._conn
        try:
            conn.receive_data(data)
        except EOFError:  # bytes read before a close took effect: not ours
            return
        for frame in cast("list[Frame]", conn.events_received()):  # server: frames
            opcode = frame.opcode
            if opcode is _TEXT or opcode is _BINARY or opcode is _CONT:
                if not self._data_frame(frame):
                    break  # failed: nothing after it counts
            elif opcode is _PONG:
                self._pong(bytes(frame.data))
        self._flush()

    def eof_received(self) -> bool | None:
        """The peer stopped sending: without a close frame that is an error (1006)."""
        self._conn.receive_eof()
        self._flush()
        return None  # the transport closes itself

    def pause_writing(self) -> None:
        """The write buffer went above its high-water mark: ``send`` waits."""
        self._write_paused = True

    def resume_writing(self) -> None:
        """The write buffer drained below its low-water mark."""
        self._write_paused = False
        drainers, self._drainers = self._drainers, []
        for waiter in drainers:
            if not waiter.done():
                waiter.set_result(None)

    def connection_lost(self, exc: Exception | None) -> None:
        """End what waits; cancel the handler if it outlives the connection."""
        self._lost = True
        conn = self._conn
        conn.receive_eof()  # CLOSED now, with 1006 unless a close was exchanged
        conn.data_to_send()
        # The parser keeps the error that ended it (EOF, a protocol error): its
        # traceback's frames reach back to this protocol, a cycle on 3.12.
        error = getattr(conn, "parser_exc", None)
        while error is not None:
            error.__traceback__ = None
            error = error.__context__
        self._closed()
        if self._close_timer is not None:
            self._close_timer.cancel()
            self._close_timer = None
        task, self._task = self._task, None
        if task is not None and not task.done():
            # After the tasks that were just woken (recv, send, close) have run:
            # a handler that saw the close and returns is not cancelled.
            self.loop.call_soon(task.cancel)
        super().connection_lost(exc)

    def begin_shutdown(self) -> None:
        """The server is stopping: close with 1001 (Going Away)."""
        self._start_close(1001, "server shutting down")

    # -- receiving -------------------------------------------------------------------

    def _data_frame(self, frame: Frame) -> bool:
        """Add a data frame to its message; False if the connection failed."""
        opcode, data, fin = frame.opcode, frame.data, frame.fin
        message: Message
        if opcode is _CONT:
            parts = self._parts
            if parts is None:  # ServerProtocol refuses this already
                return True
            decoder = self._decoder
            if decoder is not None:
                try:
                    parts.append(decoder.decode(data, fin))
                except UnicodeDecodeError:
                    return self._fail_utf8()
            else:
                parts.append(bytes(data))
            if not fin:
                return True
            self._parts = self._decoder = None
            message = "".join(parts) if decoder is not None else b"".join(parts)
        elif opcode is _TEXT:
            if fin:
                try:
                    message = str(data, "utf-8")
                except UnicodeDecodeError:
                    return self._fail_utf8()
            else:
                self._decoder = decoder = _Utf8Decoder()
                try:
                    self._parts = [decoder.decode(data, False)]
                except UnicodeDecodeError:
                    return self._fail_utf8()
                return True
        elif fin:
            message = bytes(data)
        else:
            self._parts, self._decoder = [bytes(data)], None
            return True
        waiter = self._recv_waiter
        if waiter is not None and not waiter.done() and not self._messages:
            waiter.set_result(message)
            return True
        messages = self._messages
        messages.append(message)
        if (
            self._max_queue
            and len(messages) >= self._max_queue
            and not self._read_paused
            and not self._lost
        ):
            self._read_paused = True
            if not self.transport.is_closing():
                self.transport.pause_reading()
        return True

    def _fail_utf8(self) -> bool:
        self._parts = self._decoder = None
        self._conn.fail(1007, "invalid UTF-8 in a text message")
        return False

    async def recv(self, timeout: float | None = None) -> Message | None:
        """See :meth:`WebSocket.recv`."""
        messages = self._messages
        if messages:
            message = messages.popleft()
            if self._read_paused and len(messages) <= self._max_queue // 2:
                self._read_paused = False
                if not self._lost and not self.transport.is_closing():
                    self.transport.resume_reading()
            return message
        if self._conn.state is _CLOSED:
            raise self._conn.close_exc
        if self._recv_waiter is not None:
            raise RuntimeError("another coroutine is already waiting for a message")
        if timeout is not None and timeout <= 0:
            return None
        waiter: asyncio.Future[Message | None] = self.loop.create_future()
        self._recv_waiter = waiter
        timer = None
        if timeout is not None:
            timer = self.loop.call_later(timeout, _expire, waiter)
        try:
            return await waiter
        finally:
            self._recv_waiter = None
            if timer is not None:
                timer.cancel()
            # The exception the waiter may hold has this frame in its
            # traceback: without the waiter here, that is no cycle.
            del waiter

    # -- sending ---------------------------------------------------------------------

    async def send(self, data: str | bytes | bytearray | memoryview) -> None:
        """See :meth:`WebSocket.send`."""
        conn = self._conn
        if conn.state is not _OPEN:
            await self._raise_closed()
        if isinstance(data, str):
            conn.send_text(data.encode())
        elif isinstance(data, bytes | bytearray | memoryview):
            conn.send_binary(data)
        else:
            raise TypeError(
                f"a WebSocket sends str (text) or bytes (binary), not "
                f"{type(data).__name__}"
            )
        self._flush()
        if self._write_paused and not self._lost:
            waiter = self.loop.create_future()
            self._drainers.append(waiter)
            try:
                await waiter
            finally:
                del waiter  # as in recv: no cycle through the traceback

    async def ping(self, data: str | bytes = b"") -> asyncio.Future[float]:
        """See :meth:`WebSocket.ping`."""
        conn = self._conn
        if conn.state is not _OPEN:
            await self._raise_closed()
        payload = data.encode() if isinstance(data, str) else bytes(data)
        if not payload:
            payload = os.urandom(4)
            while payload in self._pings:
                payload = os.urandom(4)
        elif payload in self._pings:
            raise RuntimeError(
                "a ping with this payload is already waiting for its pong"
            )
        pong: asyncio.Future[float] = self.loop.create_future()
        self._pings[payload] = (self.loop.time(), pong)
        conn.send_ping(payload)
        self._flush()
        return pong

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """See :meth:`WebSocket.close`."""
        self._start_close(code, reason)
        if self._conn.state is not _CLOSED:
            waiter = self.loop.create_future()
            self._closers.append(waiter)
            await waiter

    async def _raise_closed(self) -> None:
        """Raise ``ConnectionClosed`` once the closing handshake is over."""
        if self._conn.state is not _CLOSED:
            waiter = self.loop.create_future()
            self._closers.append(waiter)
            await waiter
        raise self._conn.close_exc

    def _flush(self) -> None:
        """Write what the Sans-I/O side has to send; close the TCP when it says."""
        conn = self._conn
        for data in conn.data_to_send():
            if data:
                if not self._lost:
                    self.transport.write(data)
            else:  # the server closes the TCP connection now
                if not self._lost:
                    self.transport.close()
                    self._arm_close_timer()
                conn.receive_eof()  # nothing more is read: CLOSED
                conn.data_to_send()
                self._closed()
                return

    def _start_close(self, code: int, reason: str) -> None:
        """Send a close frame (if open); the peer has CLOSE_TIMEOUT to answer."""
        if self._conn.state is _OPEN and not self._lost:
            self._conn.send_close(code, reason)
            self._flush()
            if not self._lost:
                self._arm_close_timer()

    def _arm_close_timer(self) -> None:
        if self._close_timer is None:
            self._close_timer = self.loop.call_later(CLOSE_TIMEOUT, self._cut)

    def _cut(self) -> None:
        """The peer did not finish the close in time."""
        self._close_timer = None
        if not self._lost:
            self.transport.abort()

    def _closed(self) -> None:
        """The connection is CLOSED: wake everything that waits on it."""
        if self._keepalive is not None:
            self._keepalive.cancel()
            self._keepalive = None
        conn = self._conn
        waiter, self._recv_waiter = self._recv_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(conn.close_exc)
        drainers, self._drainers = self._drainers, []
        for drainer in drainers:
            if not drainer.done():
                drainer.set_exception(conn.close_exc)
        closers, self._closers = self._closers, []
        for closer in closers:
            if not closer.done():
                closer.set_result(None)
        pings, self._pings = self._pings, {}
        for _, pong in pings.values():
            if pong is not None and not pong.done():
                pong.set_exception(conn.close_exc)
                pong.exception()  # nobody has to wait for it

    # -- keepalive -------------------------------------------------------------------

    def _send_keepalive(self) -> None:
        self._keepalive = None
        conn = self._conn
        if conn.state is not _OPEN or self._lost:
            return
        payload = os.urandom(4)
        while payload in self._pings:
            payload = os.urandom(4)
        self._pings[payload] = (self.loop.time(), None)
        self._keepalive_payload = payload
        conn.send_ping(payload)
        self._flush()
        if self._ping_timeout is not None:
            self._keepalive = self.loop.call_later(
                self._ping_timeout, self._keepalive_expired
            )

    def _keepalive_expired(self) -> None:
        self._keepalive = None
        conn = self._conn
        if conn.state is _OPEN or conn.state is _CLOSING:
            conn.fail(1011, "keepalive ping timeout")
            self._flush()

    def _pong(self, payload: bytes) -> None:
        """A pong answers its ping and every ping sent before it."""
        pings = self._pings
        if payload not in pings:
            return
        now = self.loop.time()
        while pings:
            key = next(iter(pings))
            sent, pong = pings.pop(key)
            if pong is not None and not pong.done():
                pong.set_result(now - sent)
            if key == self._keepalive_payload:
                self._keepalive_payload = None
                if self._keepalive is not None:
                    self._keepalive.cancel()
                assert self._ping_interval is not None
                self._keepalive = self.loop.call_later(
                    self._ping_interval, self._send_keepalive
                )
            if key == payload:
                break

    # -- the handler -----------------------------------------------------------------

    def _handler_done(self, task: asyncio.Task[object]) -> None:
        """The handler ended: close with 1000, or 1011 if it raised."""
        self._task = None
        if task.cancelled():
            exc: BaseException | None = None
        else:
            exc = task.exception()
        failed = exc is not None and not isinstance(exc, ConnectionClosed)
        self._start_close(1011 if failed else 1000, "")
        if failed:
            assert exc is not None
            self._report(exc)

    def _report(self, exc: BaseException) -> None:
        on_error = self._on_error
        if on_error is not None:
            try:
                on_error(exc)
                return
            except Exception as failure:
                error_logger.error("websocket on_error failed: %r", failure)
        error_logger.error("Exception in websocket handler", exc_info=exc)

    # -- what WebSocket shows ----------------------------------------------------------

    @property
    def subprotocol(self) -> str | None:
        """See :attr:`WebSocket.subprotocol`."""
        return self._conn.subprotocol

    @property
    def closed(self) -> bool:
        """See :attr:`WebSocket.closed`."""
        return self._lost or self._conn.state is not _OPEN

    @property
    def close_code(self) -> int | None:
        """See :attr:`WebSocket.close_code`."""
        conn = self._conn
        if conn.close_rcvd is not None:
            return int(conn.close_rcvd.code)
        if conn.close_sent is not None:
            return int(conn.close_sent.code)
        return 1006 if conn.state is _CLOSED else None

    @property
    def close_reason(self) -> str | None:
        """See :attr:`WebSocket.close_reason`."""
        conn = self._conn
        if conn.close_rcvd is not None:
            return conn.close_rcvd.reason
        if conn.close_sent is not None:
            return conn.close_sent.reason
        return "" if conn.state is _CLOSED else None


class WebSocket:
    """The ``ws`` a WebSocket handler is called with.

    Attributes:
        subprotocol: The subprotocol negotiated in the handshake, or None.
        closed: True once the closing handshake has begun (or the connection
            is lost): nothing more can be sent.
        close_code: The close code received from the peer (or, if it sent
            none, the one sent to it; 1006 when the connection was lost
            without one); None while open.
        close_reason: The reason that goes with ``close_code``.
    """

    __slots__ = ("__weakref__", "_protocol")

    def __init__(self, protocol: WebSocketProtocol) -> None:
        self._protocol = protocol

    async def send(self, data: str | bytes | bytearray | memoryview) -> None:
        """Send one message: text for a ``str``, binary for bytes.

        Waits while the connection's write buffer is above its high-water mark
        (the peer reads slower than the handler sends).

        Raises:
            ConnectionClosed: The connection is closed (or closing).
            TypeError: ``data`` is neither text nor bytes.
        """
        await self._protocol.send(data)

    async def recv(self, timeout: float | None = None) -> str | bytes | None:
        """The next message: a ``str`` for text, ``bytes`` for binary.

        Args:
            timeout: Seconds to wait for it; None waits as long as it takes.

        Returns:
            The message, or None when ``timeout`` passed without one.

        Raises:
            ConnectionClosed: The connection closed and every message received
                before that was taken (``ConnectionClosedOK`` for 1000/1001).
            RuntimeError: Another coroutine is already waiting in ``recv``.
        """
        return await self._protocol.recv(timeout)

    receive = recv

    async def ping(self, data: str | bytes = b"") -> Awaitable[float]:
        """Send a ping; returns an awaitable that is done when its pong arrives.

        ``await (await ws.ping())`` waits for the pong and gives the round trip
        in seconds. Without ``data`` a random payload is used.

        Raises:
            ConnectionClosed: The connection is closed (or closing).
        """
        return await self._protocol.ping(data)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Start the closing handshake and wait until the connection is closed.

        Args:
            code: The close code (1000: normal closure).
            reason: A short text (at most 123 bytes of UTF-8).
        """
        await self._protocol.close(code, reason)

    def __aiter__(self) -> WebSocket:
        """``async for message in ws``: each message until the connection closes
        normally (1000 or 1001); another close raises ``ConnectionClosedError``."""
        return self

    async def __anext__(self) -> str | bytes:
        try:
            message = await self._protocol.recv()
        except ConnectionClosedOK:
            raise StopAsyncIteration from None
        assert message is not None  # no timeout
        return message

    @property
    def subprotocol(self) -> str | None:
        return self._protocol.subprotocol

    @property
    def closed(self) -> bool:
        return self._protocol.closed

    @property
    def close_code(self) -> int | None:
        return self._protocol.close_code

    @property
    def close_reason(self) -> str | None:
        return self._protocol.close_reason
