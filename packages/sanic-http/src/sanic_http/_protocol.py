"""The HTTP/1.1 server protocol: one ``HttpProtocol`` per connection, on httptools.

:class:`HttpProtocol` handles the requests its :class:`~._connection.Connection`
base reads and writes the answers through the :class:`~._writing.ResponseWriter`
it owns. Everything the protocol refuses (400, 408, 413, 414, 431, 503) is
answered through the error handler, so an application's own handlers for those
exceptions apply, and is followed by closing the connection (after a short
linger). Nothing raises out of the protocol.

Handlers start in a task of their own per request: from Python 3.12 through the
standard library's eager task start (the handler runs at once, in the callback
that completed the request, and its task only goes to the event loop if it has
to wait), before that with ``loop.create_task``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from sanic_request import Request

from ._connection import (
    Connection,
    ErrorHandler,
    RequestHandler,
    WriteCallback,
)
from ._exceptions import (
    RequestTimeout,
    SanicException,
    ServerError,
    ServiceUnavailable,
)
from ._reading import CONTINUE, NEVER
from ._response import HTTPResponse, InvalidHeaderError
from ._state import ANSWERED, CONTINUED, ENDED, NEXT
from ._state import BODY as _BODY
from ._state import FINISH as _FINISH
from ._state import FINISHED as _FINISHED
from ._state import HANDLING as _HANDLING
from ._state import HEAD as _HEAD
from ._state import READY as _READY
from ._state import RESPONDED as _RESPONDED
from ._state import STOP as _STOP
from ._state import STOPPED as _STOPPED
from ._streaming import StreamingHTTPResponse
from ._upgrade import UpgradeResponse
from .log import error_logger

__all__ = ["ErrorHandler", "HttpProtocol", "RequestHandler", "WriteCallback"]

# Timers may fire a little before their deadline; treat that as on time.
_SLACK = 0.002

# After an error response the connection half-closes and discards what the client
# still sends for this long, so the client reads the response instead of a reset
# (RFC 9112 §9.6, "tear-down").
_LINGER = 2.0


class HttpProtocol(Connection):
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

    # -- timing ----------------------------------------------------------------------

    def _on_timer(self) -> None:
        self._timer = None
        self._timer_at = NEVER
        if self.transport.is_closing():
            return
        now = self.loop.time() + _SLACK
        if now >= self._handler_deadline:
            self._handler_deadline = NEVER
            self._handler_timed_out()
        elif now >= self._recv_deadline:
            self._recv_deadline = NEVER
            recv = self._recv
            if self._serve is _FINISHED:
                self.transport.close()  # lingering after an error is over
            elif recv is _HEAD or recv is _BODY:
                self._refuse(RequestTimeout("Request Timeout"))
            elif self._serve is _READY:
                self.transport.close()  # idle: close quietly
        self._arm()

    def _handler_timed_out(self) -> None:
        task, self._task = self._task, None
        self._queue.clear()
        self._stop_reading()
        if task is not None:
            task.cancel()
        if self._serve is _HANDLING:
            self._respond_error(self.request, ServiceUnavailable("Response Timeout"))
        else:
            # A streamed response is half-written; only closing can end it.
            self.transport.close()

    # -- handling ----------------------------------------------------------------------

    async def _run(self) -> None:
        """Handle the first queued request, then start the next one's task."""
        writer = self._writer
        transport = self.transport
        if writer.paused:
            # The client is not reading: start nothing new until it does.
            await writer.drain()
            if transport.is_closing():
                self._task = None
                return
            # The response timeout runs from the handler's start.
            self._handler_deadline = at = self.loop.time() + self._response_timeout
            if at < self._timer_at:
                self._arm()
        queue = self._queue
        if not queue:  # cleared by a timeout while waiting
            self._task = None
            return
        item = queue.popleft()
        if not isinstance(item, tuple):
            self._task = None
            pending = self._respond_error(self._refused, item)
            if pending is not None:
                await pending
            return
        if self._reading_paused:
            self._read_if_free()
        request, keep_alive = item
        self.request = request
        self._keep_alive = keep_alive
        # The response timeout runs once this task has to wait (see _waits).
        try:
            await self.request_handler(request, self.write_response)
            if self._pending is not None:
                await self._pending
        except Exception as exc:
            if self._serve is _HANDLING:
                error_logger.exception("request handler failed: %r", exc)
                pending = self._respond_error(request, ServerError("Server Error"))
                if pending is not None:
                    await pending
            elif not isinstance(exc, (SanicException, ConnectionError)):
                error_logger.exception("request handler failed: %r", exc)
            # else: its stream failed (413, 408, client gone), already answered
        finally:
            self._pending = None
            self._handler_deadline = NEVER
        incoming = self._in
        stream = incoming.stream
        if incoming.request is request and stream is not None and not stream.done:
            # Its streamed body is still arriving and the handler is done: the
            # rest cannot be skipped in order, so the connection closes after
            # the answer.
            stream.fail(RuntimeError("the handler has returned"))
            self._stop_reading()
        if self._serve is _HANDLING and not transport.is_closing():
            error_logger.error("request handler returned without a response")
            pending = self._respond_error(request, ServerError("Server Error"))
            if pending is not None:
                await pending
        if self._serve is not _RESPONDED or transport.is_closing():
            self._task = None
            return  # an error finished the connection, or it closes
        if queue:
            # The next pipelined request: a task (and a context) of its own.
            self._serve = CONTINUED
            self._waits(self.loop.create_task(self._run()))
            return
        self._task = None
        self._serve = ENDED
        self.request = None
        recv = self._recv
        if recv is _STOPPED:
            transport.close()
        elif recv is _HEAD or recv is _BODY:
            incoming = self._in
            if incoming.continue_pending:
                incoming.continue_pending = False
                transport.write(CONTINUE)
        else:
            self._recv_deadline = at = self.loop.time() + self._keep_alive_timeout
            if at < self._timer_at:
                self._arm()

    # -- writing -----------------------------------------------------------------------

    def write_response(self, response: HTTPResponse) -> Awaitable[None] | None:
        """Write the response to the current request (the handler's write callback).

        A complete response goes out in one ``transport.write``; a
        ``StreamingHTTPResponse`` is sent by a task, which is returned so the caller
        may await it. After the response the connection is kept alive or closed. A
        value that cannot be written (not a response, or an unsafe header) is
        logged and answered with a 500 from the error handler.

        Args:
            response: The handler's response.

        Returns:
            An awaitable while a streamed or error response is still being written.
        """
        request = self.request
        if self._serve is not _HANDLING or request is None:
            return None
        if self.transport.is_closing():
            return None
        # Shutting down: the connection closes after this response, unless the
        # client already sent (or is sending) another request, answered next.
        keep_alive = self._keep_alive and (
            not self.signal.stopped
            or bool(self._queue)
            or self._recv is _HEAD
            or self._recv is _BODY
        )
        incoming = self._in
        if incoming.request is request and not (
            incoming.stream is not None and incoming.stream.done
        ):
            keep_alive = False  # its streamed body is still arriving
        if isinstance(response, StreamingHTTPResponse):
            if isinstance(response, UpgradeResponse):
                return self._switch(response, request)
            self._serve = ANSWERED
            self._pending = task = self.loop.create_task(
                self._stream(response, request, keep_alive)
            )
            return task
        if self._writer.write(response, request, keep_alive):
            self._serve = ANSWERED
            return None
        return self._respond_error(request, ServerError("Server Error"))

    async def _stream(
        self, response: StreamingHTTPResponse, request: Request, keep_alive: bool
    ) -> None:
        try:
            await self._writer.stream(response, request, keep_alive)
        except InvalidHeaderError:
            # Nothing was written: a clean 500 is still possible.
            pending = self._respond_error(request, ServerError("Server Error"))
            if pending is not None:
                await pending

    def _respond_error(
        self, request: Request | None, exception: SanicException
    ) -> asyncio.Future[None] | None:
        """Answer ``exception`` through the error handler, then close (lingering)."""
        self._serve = NEXT[self._serve][_FINISH]
        self._queue.clear()
        pending = self._writer.answer_error(request, exception, self._linger)
        if pending is not None:
            # Kept as pending so the runner waits for it before going on.
            self._pending = pending
        return pending

    def _linger(self) -> None:
        """Half-close after an error and discard the rest of the request."""
        transport = self.transport
        self._queue.clear()
        self._recv = NEXT[self._recv][_STOP]
        if self._writer.tls or not transport.can_write_eof():
            transport.close()
            return
        transport.write_eof()
        if self._reading_paused:
            self._reading_paused = False
            transport.resume_reading()
        self._recv_deadline = self.loop.time() + _LINGER
        self._arm()
