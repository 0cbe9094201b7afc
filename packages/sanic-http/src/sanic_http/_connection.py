"""One connection's life: its state machine, reading, flow control and timing.

:class:`Connection` is the base of :class:`~sanic_http.HttpProtocol`. The
connection is the state machine of ``_state``: its receiving side follows the
parser (a request begins, its head and its body complete), its serving side the
handler and the writer (a handler starts, responds, the next pipelined request
starts, the exchange is done, or an error answer finishes the connection). Every
change of either side goes through that module's one transition table.

Bytes are parsed as they arrive, but requests are handled one at a time in arrival
order: RFC 9112 §9.3.2 requires responses to pipelined requests in request order,
and one handler at a time keeps a connection's work bounded. Reading pauses
while a complete request waits behind a running one, and while the transport's
write buffer is above its high-water mark (``pause_writing``), when no new
pipelined request is started either: memory per connection stays bounded
whatever the client sends or fails to read.

One timer per connection enforces three deadlines: the whole request must arrive
within ``request_timeout`` of its first byte (408; trickling bytes does not extend
it; a new connection's first request counts from the connection), a handler must
finish within ``response_timeout`` (503), and an idle keep-alive connection is
closed quietly after ``keep_alive_timeout``. The timer is only rescheduled when a
deadline moves earlier.

When the connection closes, the parser (which holds the protocol's callbacks)
is dropped: a closed connection is freed by reference counting alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import socket
import sys
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Final, cast

from httptools import (
    HttpParserCallbackError,
    HttpParserError,
    HttpParserUpgrade,
    HttpRequestParser,
)

from sanic_request import Request

from ._exceptions import (
    HeaderTooLarge,
    InvalidUsage,
    SanicException,
    ServerError,
)
from ._reading import NEVER, Incoming, RequestReader
from ._refusal import Refused
from ._response import HTTPResponse
from ._settings import ServerSettings
from ._signal import Signal
from ._state import (
    BEGUN,
    COMPLETED,
    NEXT,
    STARTED,
    UPGRADING,
)
from ._state import BODY as _BODY
from ._state import CLOSED as _CLOSED
from ._state import FINISHED as _FINISHED
from ._state import FRESH as _FRESH
from ._state import HANDLING as _HANDLING
from ._state import HEAD as _HEAD
from ._state import IDLE as _IDLE
from ._state import READY as _READY
from ._state import STOP as _STOP
from ._state import STOPPED as _STOPPED
from ._upgrade import UpgradeResponse, offered
from ._writing import ErrorHandler, ResponseWriter
from .log import error_logger

__all__ = ["Connection", "ErrorHandler", "RequestHandler", "WriteCallback"]

#: The handler's ``write_response``: takes the response; returns an awaitable while
#: a streamed or error response is still being written, else ``None``.
WriteCallback = Callable[[HTTPResponse], Awaitable[None] | None]
RequestHandler = Callable[[Request, WriteCallback], Awaitable[object]]
_Queued = tuple[Request, bool] | SanicException
_Start = Callable[[Coroutine[object, object, None]], "asyncio.Task[None]"]

_UNCONNECTED = cast("asyncio.Transport", None)
_TCP_FAMILIES = frozenset({socket.AF_INET, socket.AF_INET6})
# Framing bytes allowed per chunk of a chunked body (size line and CRLFs).
_CHUNK_OVERHEAD_SHIFT = 6
# Between requests (and after the connection closed) there is no Incoming record
# of a request; this empty one stands in and is never written to.
_BETWEEN = Incoming()
# What a closed connection holds instead of its parser: a parser without
# callbacks, never fed (data_received returns first).
_DETACHED = HttpRequestParser(None)


#: At shutdown, how long an idle connection stays open after its last response
#: (or after connecting) for the next request its client may already have sent.
SHUTDOWN_LINGER: Final = 1.0


if sys.version_info >= (3, 12):

    def _eager_starter(loop: asyncio.AbstractEventLoop) -> _Start | None:
        """A task that runs its coroutine at once, up to its first wait (the
        standard library's eager start); it is already done if it never waits."""
        return functools.partial(asyncio.Task, loop=loop, eager_start=True)

else:

    def _eager_starter(loop: asyncio.AbstractEventLoop) -> _Start | None:
        """None: tasks start eagerly from Python 3.12."""
        return None


class _Stopped(Exception):
    """Raised in a parser callback to drop the rest of a read after reading stopped."""


_STOPPED_ERROR = _Stopped()


def _refusal(cause: BaseException | None) -> SanicException | None:
    """The answer to an exception raised inside a parser callback (None: none)."""
    if isinstance(cause, Refused):
        return cause.exception
    if cause is _STOPPED_ERROR:
        return None
    error_logger.debug("request refused: %r", cause)
    return InvalidUsage("Bad Request")


class Connection(RequestReader, asyncio.Protocol):
    """The connection half of :class:`~sanic_http.HttpProtocol` (its base class).

    Attributes:
        settings: The server's :class:`ServerSettings` (set by ``serve()``).
        transport: The connection's transport, once connected.
        request: The request being handled, for ``write_response``.
    """

    settings: ServerSettings = ServerSettings()
    #: Start handlers eagerly where the standard library can (Python 3.12+:
    #: ``asyncio.Task(..., eager_start=True)``), so a handler that does not wait
    #: answers inside the callback that completed its request. False, or before
    #: 3.12: ``loop.create_task``, started on the next pass of the event loop.
    eager_handlers: bool = True

    def __init__(
        self,
        *,
        loop: asyncio.AbstractEventLoop,
        connections: set[asyncio.Protocol],
        signal: Signal,
        request_handler: RequestHandler,
        error_handler: ErrorHandler,
        request_timeout: float,
        request_max_size: int,
    ) -> None:
        self.loop = loop
        self.connections = connections
        self.signal = signal
        self.request_handler = request_handler
        self.error_handler = error_handler
        self.request_timeout = request_timeout
        self.request_max_size = request_max_size
        # None until connection_made(); typed as what it is from then on.
        self.transport: asyncio.Transport = _UNCONNECTED
        self.request: Request | None = None
        self._recv = _FRESH
        self._serve = _READY
        self._in = _BETWEEN
        self._queue: deque[_Queued] = deque()
        self._refused: Request | None = None
        self._keep_alive = False
        self._task: asyncio.Task[None] | None = None
        self._pending: asyncio.Future[None] | None = None
        self._reading_paused = False
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = NEVER
        self._recv_deadline = NEVER
        self._handler_deadline = NEVER

    # -- connection events -------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start parsing; the first request must arrive within request_timeout."""
        settings = self.settings
        self.transport = cast("asyncio.Transport", transport)
        self.connections.add(self)
        self._parser = HttpRequestParser(self)
        eager = _eager_starter(self.loop) if self.eager_handlers else None
        self._start: _Start = self.loop.create_task if eager is None else eager
        self._request_class = settings.request_class
        self._app = settings.app
        self._keep_alive_enabled = settings.keep_alive
        self._keep_alive_timeout = settings.keep_alive_timeout
        self._response_timeout = settings.response_timeout
        self._max_url = settings.max_url_size
        self._max_header_size = settings.max_header_size
        self._max_header_count = settings.max_header_count
        self._overhead_limit = settings.max_header_size + settings.max_url_size + 2048
        self._stream_check = settings.stream_check
        self._stream_high_water = settings.stream_high_water
        self._cancel_on_disconnect = settings.cancel_on_disconnect
        self._writer = ResponseWriter(
            self.loop,
            self.transport,
            self.error_handler,
            int(settings.keep_alive_timeout) or None,
            settings.access_log,
            transport.get_extra_info("sslcontext") is not None,
        )
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in _TCP_FAMILIES:
            # asyncio only disables Nagle for sockets created with proto=IPPROTO_TCP;
            # a socket handed to serve() may have proto 0, and then every pipelined
            # response waits for the client's delayed ACK (about 40 ms).
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._recv_deadline = self.loop.time() + self.request_timeout
        self._arm()
        if self.signal.stopped:  # accepted from the backlog at shutdown
            self.begin_shutdown()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the connection, cancel whatever still works for it, drop cycles."""
        self.connections.discard(self)
        self._recv = self._serve = _CLOSED
        self._queue.clear()
        gone = ConnectionResetError("the client closed the connection")
        request = self.request
        for stream in (self._in.stream, request.stream if request else None):
            if stream is not None:
                stream.fail(gone)  # its reads raise; it lets go of our callbacks
        self._in = _BETWEEN
        self._parser = _DETACHED  # it holds our callbacks: the one cycle
        self.request = self._refused = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.settings.cancel_on_disconnect:
            for task in (self._task, self._pending):
                if task is not None:
                    task.cancel()
        self._task = self._pending = None
        writer = getattr(self, "_writer", None)
        if writer is not None:
            writer.resume()  # a waiting streamed write sees the closed transport

    def eof_received(self) -> bool:
        """The client half-closed: finish what is queued, then close."""
        self._recv = NEXT[self._recv][_STOP]
        if self._in.stream is not None:
            # A streamed body that can never end: the client is gone.
            self._in.stream.fail(InvalidUsage("Bad Request: the body ended early"))
            return False
        serve = self._serve
        # Lingering after an error waits for nothing more; keeping a TLS
        # transport half-open is not supported by asyncio.
        return serve is not _READY and serve is not _FINISHED and not self._writer.tls

    def close_if_idle(self) -> bool:
        """Close the connection if it is neither receiving nor handling a request.

        Returns:
            Whether the connection was closed.
        """
        recv = self._recv
        if (
            self._serve is _READY
            and recv is not _HEAD
            and recv is not _BODY
            and self.transport is not None
        ):
            self.transport.close()
            return True
        return False

    #: Whether ``begin_shutdown`` has run (a connection accepted as shutdown
    #: began is told in ``connection_made`` and again by the server).
    _shutdown_begun = False

    def begin_shutdown(self) -> None:
        """The server is shutting down: answer what this client already sent.

        A request arriving or being handled is answered (``signal.stopped`` makes
        its response say ``Connection: close``). An idle connection stays open
        until :data:`SHUTDOWN_LINGER` seconds after its last response (or after it
        connected), so a request its client sent meanwhile is answered too, then
        closes quietly; a connection idle for longer closes at once.
        """
        if self._shutdown_begun or self.transport is None:
            return  # told already: its linger deadline is set
        self._shutdown_begun = True
        if self._serve is not _READY:
            return
        recv = self._recv
        if recv is _FRESH:
            since = self._recv_deadline - self.request_timeout
        elif recv is _IDLE:
            since = self._recv_deadline - self._keep_alive_timeout
        else:
            return  # a request is arriving, or the connection is closing anyway
        now = self.loop.time()
        at = min(since, now) + SHUTDOWN_LINGER
        if at <= now:
            self.transport.close()
        elif at < self._recv_deadline:
            self._recv_deadline = at
            self._arm()

    def pause_writing(self) -> None:
        """The transport's buffer is full: stop reading and starting requests."""
        self._writer.paused = True
        if not self._reading_paused:
            self._reading_paused = True
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        """The transport's buffer drained: go on writing, and reading if idle."""
        self._writer.resume()
        self._read_if_free()

    # -- receiving -----------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        """Feed bytes to the parser; refuse the connection on any parse error."""
        recv = self._recv
        if recv >= _STOPPED:
            return  # refused, upgraded, lingering or closed: discard
        if recv > _IDLE:
            self._in.wire += len(data)
        try:
            self._parser.feed_data(data)
        except HttpParserUpgrade as upgrade:
            # Handled after this block: a handler that starts eagerly must not
            # see this exception as the one being handled.
            tail_at: int = upgrade.args[0]
        except HttpParserCallbackError as error:
            if not isinstance(error.__context__, Exception | None):
                # SystemExit or KeyboardInterrupt from a handler started eagerly
                # inside the parser's callback: not a parse error; it stops us.
                raise error.__context__ from None
            # No local may keep the cause: its traceback holds this frame.
            refusal = _refusal(error.__context__)
            if refusal is not None:
                self._refuse(refusal)
            return
        except HttpParserError as error:
            self._refuse(InvalidUsage(f"Bad Request: {error}"))
            return
        else:
            # httptools buffers a header field until it is complete; bound the bytes
            # a request may spend outside its body so that buffer cannot grow forever.
            # The read in which a request begins is not counted (where it begins in
            # that read is unknown), so the bound is the limit plus one read.
            recv = self._recv
            if recv is _HEAD or recv is _BODY:
                incoming = self._in
                if incoming.wire - incoming.body_size > self._overhead_limit + (
                    incoming.chunks << _CHUNK_OVERHEAD_SHIFT
                ):
                    if recv is _HEAD:
                        self._refuse(HeaderTooLarge("Request Header Fields Too Large"))
                    else:
                        self._refuse(
                            InvalidUsage("Bad Request: chunk framing too large")
                        )
            return
        self._upgrade_requested(data[tail_at:])

    def on_message_begin(self) -> None:
        """httptools: a request starts; its deadline runs from here."""
        recv = self._recv
        if recv is _STOPPED:  # stopped in the middle of a read: drop the rest
            raise _STOPPED_ERROR
        self._recv = BEGUN
        self._in = Incoming()
        if recv is not _FRESH:  # the first request's deadline runs from connecting
            self._recv_deadline = at = self.loop.time() + self.request_timeout
            if at < self._timer_at:  # a later deadline waits for the timer
                self._arm()

    def on_message_complete(self) -> None:
        """httptools: the request is complete; hand it to the handler or queue it."""
        if self._recv is _STOPPED:  # stopped in the middle of a read: drop it
            raise _STOPPED_ERROR
        incoming = self._in
        request = incoming.request
        assert request is not None  # httptools completes headers before a message
        self._in = _BETWEEN
        self._recv = COMPLETED
        self._recv_deadline = NEVER
        if incoming.stream is not None:
            incoming.stream.feed_eof()  # its handler started at the head
            return
        # The pieces go with the record: the body exists once.
        body = incoming.body
        request.body = b"" if body is None else b"".join(body)
        if self._parser.should_upgrade():
            # CONNECT or Upgrade: what follows the head is not HTTP/1.1. Its
            # handler starts in data_received, once those bytes are known.
            self._stop_reading()
            self._upgrading = request
            return
        # _dispatch, written out: this is every request's path.
        self._queue.append((request, incoming.keep_alive))
        if self._serve is _READY:
            self._serve = STARTED
            task = self._start(self._run())
            if not task.done():  # it waits (or was not started eagerly)
                self._waits(task)
        elif not self._reading_paused:
            self._reading_paused = True
            self.transport.pause_reading()

    def _dispatch(self, request: Request, keep_alive: bool) -> None:
        """Start the handler on ``request``, or queue it behind the running one."""
        self._queue.append((request, keep_alive))
        if self._serve is _READY:
            self._serve = STARTED
            task = self._start(self._run())
            if not task.done():  # it waits (or was not started eagerly)
                self._waits(task)
        elif not self._reading_paused:
            self._reading_paused = True
            self.transport.pause_reading()

    def _waits(self, task: asyncio.Task[None]) -> None:
        """The handler's task has to wait: keep it, and let the response
        timeout run from now (a handler done at once needs neither)."""
        self._task = task
        if self._serve is UPGRADING:
            return  # switched protocols: no HTTP timer runs any more
        self._handler_deadline = at = self.loop.time() + self._response_timeout
        if at < self._timer_at:
            self._arm()

    def _stop_reading(self) -> None:
        self._recv = NEXT[self._recv][_STOP]
        if not self._reading_paused:
            self._reading_paused = True
            self.transport.pause_reading()

    def _refuse(self, exception: SanicException) -> None:
        """Answer ``exception`` after what is queued, then close."""
        incoming = self._in
        self._refused = request = incoming.request
        self._in = _BETWEEN
        self._stop_reading()
        self._recv_deadline = NEVER
        if incoming.stream is not None:
            # Its handler started (or is queued): its reads raise the error.
            incoming.stream.fail(exception)
            if request is self.request:
                if self._serve is _HANDLING:
                    self._respond_error(request, exception)
                return  # a response already begun ends by closing
            queue = self._queue
            if queue and isinstance(queue[-1], tuple) and queue[-1][0] is request:
                queue.pop()  # not started: the error is its answer
        if self._serve is _READY:
            self._respond_error(self._refused, exception)
        else:
            self._queue.append(exception)

    # -- upgrades (never reached by a request that does not ask for one) -------------

    #: A request that asked to upgrade (or CONNECT), complete, until its handler
    #: starts in ``_upgrade_requested``.
    _upgrading: Request | None = None
    #: The request that may switch protocols, with the bytes its client sent
    #: right behind its head (``_switch`` hands them to the new protocol).
    _switchable: tuple[Request, bytes] | None = None

    def _upgrade_requested(self, tail: bytes) -> None:
        """The parser stopped behind a request that asked to upgrade.

        Its handler starts, and the connection closes after an HTTP answer (what
        the client sends next may not be HTTP); when the upgrade is one this
        connection may make (an HTTP/1.1 request offering a protocol that
        ``settings.upgrade_check`` accepts), an ``UpgradeResponse`` hands the
        connection on instead.
        """
        request, self._upgrading = self._upgrading, None
        if request is None:
            # A streaming route's request, whose handler started at its head:
            # served as HTTP; nothing after it is read.
            self._stop_reading()
            return
        check = self.settings.upgrade_check
        if request.version != "1.0" and offered(request):
            try:
                accepted = check is None or check(request)
            except Exception as exc:
                error_logger.error("upgrade_check failed: %r", exc)
                accepted = False
            if accepted:
                self._switchable = (request, tail)
        self._dispatch(request, False)

    def _switch(
        self, response: UpgradeResponse, request: Request
    ) -> asyncio.Future[None] | None:
        """Write the ``101`` and hand the transport to the response's protocol.

        Answers 500 instead (logged) when ``request`` may not switch to the
        response's protocol, or the response cannot be written.
        """
        switchable, self._switchable = self._switchable, None
        if (
            switchable is None
            or switchable[0] is not request
            or response.protocol.lower() not in offered(request)
        ):
            error_logger.error(
                "cannot switch %s %s to %r: the request did not ask for it, or "
                "its route does not accept it",
                request.method,
                request.path,
                response.protocol,
            )
            return self._respond_error(request, ServerError("Server Error"))
        try:
            head = response.head(request.version)
            protocol = response.protocol_factory()
        except Exception as exc:
            error_logger.error("cannot switch protocols with %r: %r", response, exc)
            return self._respond_error(request, ServerError("Server Error"))
        self._serve = UPGRADING
        # The HTTP side lets go: no timer fires, no parser holds our callbacks,
        # and the server's connections hold the new protocol instead.
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._timer_at = self._recv_deadline = self._handler_deadline = NEVER
        self._parser = _DETACHED
        self.request = None
        self.connections.discard(self)
        transport = self.transport
        self._writer.write_head(head, request, response)
        if self._reading_paused:
            # Before the new protocol connects, so it may pause reading itself;
            # no bytes are delivered before this call returns.
            self._reading_paused = False
            transport.resume_reading()
        try:
            protocol._attach(self.connections, request)
            transport.set_protocol(protocol)
            protocol.connection_made(transport)
            if switchable[1]:
                protocol.data_received(switchable[1])
            if self.signal.stopped:  # the server's shutdown began before the 101
                protocol.begin_shutdown()
        except Exception as exc:
            error_logger.exception("upgraded protocol failed: %r", exc)
            transport.close()
        return None

    def _read_if_free(self) -> None:
        """Resume reading unless something still holds it paused."""
        if (
            self._reading_paused
            and not self._queue
            and self._recv < _STOPPED
            and not self._writer.paused
        ):
            stream = self._in.stream
            if stream is None or not stream.paused:
                self._reading_paused = False
                self.transport.resume_reading()

    # -- timing ----------------------------------------------------------------------

    def _arm(self) -> None:
        at = min(self._recv_deadline, self._handler_deadline)
        if at < self._timer_at:
            if self._timer is not None:
                self._timer.cancel()
            self._timer_at = at
            self._timer = self.loop.call_at(at, self._on_timer)

    # -- what the protocol does with requests ------------------------------------

    async def _run(self) -> None:
        """Handle the first queued request (``HttpProtocol``)."""
        raise NotImplementedError

    def _on_timer(self) -> None:
        """A deadline passed (``HttpProtocol``)."""
        raise NotImplementedError

    def _respond_error(
        self, request: Request | None, exception: SanicException
    ) -> asyncio.Future[None] | None:
        """Answer ``exception``, then close (``HttpProtocol``)."""
        raise NotImplementedError
