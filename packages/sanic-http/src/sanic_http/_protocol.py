"""The HTTP/1.1 server protocol: one ``HttpProtocol`` per connection, on httptools.

A connection is a small state machine (RFC 9112 §9)::

    IDLE --first byte--> RECEIVING --message complete--> QUEUED --> HANDLING
      ^                                                                |
      +------------- response written, connection kept alive ----------+
                     otherwise (or any refusal): CLOSED

Bytes are parsed as they arrive, but requests are handled one at a time in arrival
order: RFC 9112 §9.3.2 requires responses to pipelined requests in request order,
and one handler at a time keeps a connection's work bounded. While a complete
request waits behind a running one, reading pauses (flow control instead of an
unbounded queue).

One timer per connection enforces three deadlines: the whole request must arrive
within ``request_timeout`` of its first byte (408; trickling bytes does not extend
it), a handler must finish within ``response_timeout`` (503), and an idle
keep-alive connection is closed quietly after ``keep_alive_timeout``. The timer is
only rescheduled when a deadline moves earlier.

Everything the protocol refuses (400, 408, 413, 414, 431, 503) is answered through
the error handler, so an application's own handlers for those exceptions apply,
and is followed by closing the connection. Nothing raises out of the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
from collections import deque
from collections.abc import Awaitable, Callable
from typing import cast

from httptools import (
    HttpParserCallbackError,
    HttpParserError,
    HttpParserUpgrade,
    HttpRequestParser,
)

from sanic_request import Request

from ._eager import BUSY, Carrier, start
from ._exceptions import (
    HeaderTooLarge,
    InvalidUsage,
    RequestTimeout,
    SanicException,
    ServerError,
    ServiceUnavailable,
)
from ._reading import CONTINUE, RequestReader
from ._refusal import Refused
from ._response import HTTPResponse
from ._settings import ServerSettings
from ._signal import Signal
from ._writing import ErrorHandler, ResponseWriter
from .log import error_logger

__all__ = ["ErrorHandler", "HttpProtocol", "RequestHandler", "WriteCallback"]

#: The handler's ``write_response``: takes the response; returns an awaitable while
#: a streamed or error response is still being written, else ``None``.
WriteCallback = Callable[[HTTPResponse], Awaitable[None] | None]
RequestHandler = Callable[[Request, WriteCallback], Awaitable[object]]
_Queued = tuple[Request, bool] | SanicException

_INF = float("inf")
_UNCONNECTED = cast("asyncio.Transport", None)
_TCP_FAMILIES = frozenset({socket.AF_INET, socket.AF_INET6})
# Before 3.12 handlers start inside a per-connection task (see _eager.Carrier).
_CARRIED = sys.version_info < (3, 12)
# Timers may fire a little before their deadline; treat that as on time.
_SLACK = 0.002
# Framing bytes allowed per chunk of a chunked body (size line and CRLFs).
_CHUNK_OVERHEAD_SHIFT = 6


class HttpProtocol(ResponseWriter, RequestReader, asyncio.Protocol):
    """An ``asyncio.Protocol`` serving HTTP/1.1 on one connection.

    Subclass it and pass it as ``protocol=`` to ``serve()`` (or ``app.run``) to
    change how responses are written; ``write_response`` is the usual override.

    Args:
        loop: The event loop.
        connections: The server's set of open connections; the protocol adds
            itself on connect and removes itself on disconnect.
        signal: The server's shutdown flag.
        request_handler: ``async handler(request, write_callback)``; called with
            ``self.write_response`` for each request, one at a time.
        error_handler: Its ``response(request_or_None, exception)`` builds the
            answer to requests the protocol refuses.
        request_timeout: Seconds to receive a whole request (408 after).
        request_max_size: Largest request body in bytes (413 above).

    Attributes:
        settings: The server's :class:`ServerSettings` (set by ``serve()``).
        transport: The connection's transport, once connected.
        request: The request being handled, for ``write_response``.
    """

    settings: ServerSettings = ServerSettings()
    #: Run each request's handler at once, inside the callback that completed
    #: the request, and give it a task only when it has to wait (see ``_eager``).
    #: The handler is inside its task from the first line either way: from
    #: Python 3.12 through the standard library's eager task start, before that
    #: through one task per connection that it runs in. False: a new task per
    #: request (or per run of pipelined requests), started on the next pass of
    #: the event loop.
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
        self._queue: deque[_Queued] = deque()
        self._task: asyncio.Task[None] | None = None
        self._carrier: Carrier | None = None  # Python < 3.12, see eager_handlers
        self._pending: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = _INF
        self._recv_deadline = _INF
        self._handler_deadline = _INF
        self._drain_waiter: asyncio.Future[None] | None = None
        self._write_paused = False
        self._paused = False
        self._reading_done = False
        self._fresh = True
        self._receiving = False
        self._in_head = False
        self._responded = False
        self._keep_alive = False
        self._continue_pending = False
        self._incoming: Request | None = None
        self._incoming_keep_alive = False
        self._refused_request: Request | None = None
        self._finished = False
        self._wire = 0
        self._url = b""
        self._headers: list[tuple[bytes, bytes]] = []
        self._hosts = 0
        self._codings: list[bytes] = []
        self._length: bytes | None = None
        self._expect: bytes | None = None
        self._head_size = 0
        self._body: list[bytes] = []
        self._body_size = 0
        self._chunks = 0

    # -- connection events -------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start parsing; the first request must arrive within request_timeout."""
        settings = self.settings
        self.transport = cast("asyncio.Transport", transport)
        self.connections.add(self)
        self._parser = HttpRequestParser(self)
        self._request_class = settings.request_class
        self._app = settings.app
        self._keep_alive_enabled = settings.keep_alive
        self._keep_alive_timeout = settings.keep_alive_timeout
        self._keep_alive_header = int(settings.keep_alive_timeout) or None
        self._response_timeout = settings.response_timeout
        self._max_url = settings.max_url_size
        self._max_header_size = settings.max_header_size
        self._max_header_count = settings.max_header_count
        self._overhead_limit = settings.max_header_size + settings.max_url_size + 2048
        self._access_log = settings.access_log
        self._tls = transport.get_extra_info("sslcontext") is not None
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in _TCP_FAMILIES:
            # asyncio only disables Nagle for sockets created with proto=IPPROTO_TCP;
            # a socket handed to serve() may have proto 0, and then every pipelined
            # response waits for the client's delayed ACK (about 40 ms).
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._recv_deadline = self.loop.time() + self.request_timeout
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the connection and cancel whatever still works for it."""
        self.connections.discard(self)
        self._queue.clear()
        self._reading_done = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for task in (self._task, self._pending):
            if task is not None:
                task.cancel()
        if self._carrier is not None:
            self._carrier.task.cancel()
        waiter = self._drain_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def eof_received(self) -> bool:
        """The client half-closed: finish what is queued, then close."""
        self._reading_done = True
        # Keeping a TLS transport half-open is not supported by asyncio.
        return self._task is not None and not self._tls

    def close_if_idle(self) -> bool:
        """Close the connection if it is neither receiving nor handling a request.

        Returns:
            Whether the connection was closed.
        """
        if self._task is None and not self._receiving and self.transport is not None:
            self.transport.close()
            return True
        return False

    # -- receiving -----------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        """Feed bytes to the parser; refuse the connection on any parse error."""
        if self._reading_done:
            return  # refused, upgraded or lingering: discard
        if self._receiving:
            self._wire += len(data)
        try:
            self._parser.feed_data(data)
        except HttpParserUpgrade:
            pass  # on_message_complete already stopped reading (and keep-alive)
        except HttpParserCallbackError as error:
            cause = error.__context__
            if isinstance(cause, Refused):
                self._refuse(cause.exception)
            else:
                error_logger.debug("request refused: %r", cause)
                self._refuse(InvalidUsage("Bad Request"))
        except HttpParserError as error:
            self._refuse(InvalidUsage(f"Bad Request: {error}"))
        else:
            # httptools buffers a header field until it is complete; bound the bytes
            # a request may spend outside its body so that buffer cannot grow forever.
            # The read in which a request begins is not counted (where it begins in
            # that read is unknown), so the bound is the limit plus one read.
            if (
                self._receiving
                and self._wire - self._body_size
                > self._overhead_limit + (self._chunks << _CHUNK_OVERHEAD_SHIFT)
            ):
                if self._in_head:
                    self._refuse(HeaderTooLarge("Request Header Fields Too Large"))
                else:
                    self._refuse(InvalidUsage("Bad Request: chunk framing too large"))

    def on_message_complete(self) -> None:
        """httptools: the request is complete; queue it for the handler."""
        request = self._incoming
        assert request is not None  # httptools completes headers before a message
        request.body = b"".join(self._body)
        self._receiving = False
        self._continue_pending = False
        self._recv_deadline = _INF
        if self._parser.should_upgrade():
            # CONNECT or Upgrade: what follows is not HTTP/1.1 and is not served
            # here. The handler may run before feed_data raises, so decide now.
            self._incoming_keep_alive = False
            self._stop_reading()
        self._queue.append((request, self._incoming_keep_alive))
        if self._task is None:
            if self.eager_handlers:
                self._task = BUSY  # handling, while the handler runs without a task
                try:
                    if _CARRIED:
                        carrier = self._carrier
                        if carrier is None or carrier.task.done():
                            carrier = self._carrier = Carrier(self.loop)
                        task = carrier.start(self._run())
                    else:
                        task = start(self.loop, self._run())
                except BaseException:
                    self._task = None
                    raise
                if self._task is BUSY:  # it waits: its task continues it
                    self._task = task
            else:
                self._task = self.loop.create_task(self._run())
        elif not self._paused:
            self.transport.pause_reading()
            self._paused = True

    def _stop_reading(self) -> None:
        self._reading_done = True
        if not self._paused:
            self._paused = True
            self.transport.pause_reading()

    def _refuse(self, exception: SanicException) -> None:
        """Answer ``exception`` after what is queued, then close."""
        self._stop_reading()
        self._receiving = False
        self._continue_pending = False
        self._recv_deadline = _INF
        self._refused_request = self._incoming
        if self._task is None:
            self._respond_error(self._incoming, exception)
        else:
            self._queue.append(exception)

    # -- timing ----------------------------------------------------------------------

    def _arm(self) -> None:
        at = min(self._recv_deadline, self._handler_deadline)
        if at < self._timer_at:
            if self._timer is not None:
                self._timer.cancel()
            self._timer_at = at
            self._timer = self.loop.call_at(at, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._timer_at = _INF
        if self.transport.is_closing():
            return
        now = self.loop.time() + _SLACK
        if now >= self._handler_deadline:
            self._handler_deadline = _INF
            self._handler_timed_out()
        elif now >= self._recv_deadline:
            self._recv_deadline = _INF
            if self._finished:
                self.transport.close()  # lingering after an error is over
            elif self._receiving:
                self._refuse(RequestTimeout("Request Timeout"))
            elif self._task is None:
                self.transport.close()  # idle: close quietly
        self._arm()

    def _handler_timed_out(self) -> None:
        task, self._task = self._task, None
        self._queue.clear()
        self._stop_reading()
        if task is not None:
            task.cancel()
        if self._responded:
            # A streamed response is half-written; only closing can end it.
            self.transport.close()
        else:
            self._respond_error(self.request, ServiceUnavailable("Response Timeout"))

    # -- handling ----------------------------------------------------------------------

    async def _run(self) -> None:
        """Handle queued requests in order while the connection lasts."""
        queue = self._queue
        try:
            while queue:
                item = queue.popleft()
                if not isinstance(item, tuple):
                    pending = self._respond_error(self._refused_request, item)
                    if pending is not None:
                        await pending
                    return
                if self._paused and not queue and not self._reading_done:
                    self._paused = False
                    self.transport.resume_reading()
                # One request (inline: no coroutine of its own per request).
                request, keep_alive = item
                self.request = request
                self._keep_alive = keep_alive
                self._responded = False
                self._handler_deadline = at = self.loop.time() + self._response_timeout
                if at < self._timer_at:
                    self._arm()
                try:
                    await self.request_handler(request, self.write_response)
                    if self._pending is not None:
                        await self._pending
                except Exception as exc:
                    error_logger.exception("request handler failed: %r", exc)
                    if not self._responded:
                        pending = self._respond_error(
                            request, ServerError("Server Error")
                        )
                        if pending is not None:
                            await pending
                finally:
                    self._pending = None
                    self._handler_deadline = _INF
                if not self._responded and not self.transport.is_closing():
                    error_logger.error("request handler returned without a response")
                    pending = self._respond_error(request, ServerError("Server Error"))
                    if pending is not None:
                        await pending
                if self._finished or self.transport.is_closing():
                    return
        finally:
            self._task = None
        if self._reading_done:
            self.transport.close()
        elif self._receiving:
            if self._continue_pending:
                self._continue_pending = False
                self.transport.write(CONTINUE)
        else:
            self._recv_deadline = at = self.loop.time() + self._keep_alive_timeout
            if at < self._timer_at:
                self._arm()
