"""Writing answers on a connection: responses, streamed bodies and errors.

:class:`ResponseWriter` holds the sending half of :class:`HttpProtocol`: the
handler's write callback (``write_response``), streamed responses with flow
control, error answers through the error handler, the half-close that follows
an error, and the access log. The receiving half and the connection's state
machine stay in ``_protocol``.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable
from inspect import isawaitable
from typing import Protocol

from sanic_request import Request

from ._exceptions import SanicException, ServerError
from ._refusal import error_bytes
from ._response import HTTPResponse, InvalidHeaderError
from ._signal import Signal
from ._streaming import StreamingHTTPResponse
from .log import access_logger, error_logger

__all__ = ["ErrorHandler", "ResponseWriter"]

# After an error response the connection half-closes and discards what the client
# still sends for this long, so the client reads the response instead of a reset
# (RFC 9112 §9.6, "tear-down").
_LINGER = 2.0


class ErrorHandler(Protocol):
    """What the protocol needs from an error handler."""

    def response(
        self, request: Request | None, exception: BaseException
    ) -> HTTPResponse | Awaitable[HTTPResponse]:
        """Return the response (or an awaitable of it) for an exception."""


class ResponseWriter:
    """The sending half of :class:`~sanic_http.HttpProtocol` (a mixin).

    The connection state it shares with the receiving half is declared here and
    set by ``HttpProtocol``.
    """

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    signal: Signal
    error_handler: ErrorHandler
    request: Request | None
    _queue: deque[tuple[Request, bool] | SanicException]
    _pending: asyncio.Task[None] | None
    _drain_waiter: asyncio.Future[None] | None
    _write_paused: bool
    _responded: bool
    _finished: bool
    _keep_alive: bool
    _keep_alive_header: int | None
    _access_log: bool
    _reading_done: bool
    _paused: bool
    _tls: bool
    _recv_deadline: float

    def _arm(self) -> None:
        raise NotImplementedError  # the protocol's timer

    def pause_writing(self) -> None:
        """The transport's buffer is full: streamed writes wait in ``_drain``."""
        self._write_paused = True

    def resume_writing(self) -> None:
        """The transport's buffer drained: wake a waiting streamed write."""
        self._write_paused = False
        waiter = self._drain_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _drain(self) -> None:
        if self._write_paused and not self.transport.is_closing():
            self._drain_waiter = self.loop.create_future()
            await self._drain_waiter
            self._drain_waiter = None

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
        transport = self.transport
        request = self.request
        if (
            self._responded
            or self._finished
            or request is None
            or transport.is_closing()
        ):
            return None
        keep_alive = self._keep_alive and not self.signal.stopped
        if isinstance(response, StreamingHTTPResponse):
            self._responded = True
            self._pending = task = self.loop.create_task(
                self._stream(response, request, keep_alive)
            )
            return task
        try:
            if request.method == "HEAD":
                data = response.output(
                    request.version,
                    keep_alive,
                    self._keep_alive_header,
                    include_body=False,
                )
            else:
                data = response.output(
                    request.version, keep_alive, self._keep_alive_header
                )
        except Exception as exc:
            error_logger.error("cannot write response %r: %r", response, exc)
            return self._respond_error(request, ServerError("Server Error"))
        self._responded = True
        transport.write(data)
        if self._access_log:
            self._log_access(request, response, len(data))
        if not keep_alive:
            transport.close()
        return None

    async def _stream(
        self, response: StreamingHTTPResponse, request: Request, keep_alive: bool
    ) -> None:
        transport = self.transport
        try:
            keep_open = await response.send(
                transport.write,
                request.version,
                keep_alive,
                self._keep_alive_header,
                self._drain,
                include_body=request.method != "HEAD",
            )
        except InvalidHeaderError as exc:
            # Raised before anything was written: a clean 500 is still possible.
            error_logger.error("cannot write response %r: %r", response, exc)
            self._responded = False
            pending = self._respond_error(request, ServerError("Server Error"))
            if pending is not None:
                await pending
            return
        except Exception as exc:
            # The head is out, so the body cannot be ended cleanly: close.
            error_logger.error("streamed response failed: %r", exc)
            transport.close()
            return
        if self._access_log:
            self._log_access(request, response, -1)
        if not keep_open:
            transport.close()

    def _respond_error(
        self, request: Request | None, exception: SanicException
    ) -> asyncio.Future[None] | None:
        """Answer ``exception`` through the error handler, then close."""
        self._responded = True
        try:
            response: HTTPResponse | Awaitable[HTTPResponse] | None = (
                self.error_handler.response(request, exception)
            )
        except Exception as exc:
            error_logger.error("error handler failed for %r: %r", exception, exc)
            response = None
        if isawaitable(response):
            # Kept as pending so the runner waits for it before the next request.
            self._pending = task = self.loop.create_task(
                self._await_error(response, request, exception)
            )
            return task
        self._write_error(response, request, exception)
        return None

    async def _await_error(
        self,
        awaitable: Awaitable[HTTPResponse],
        request: Request | None,
        exception: Exception,
    ) -> None:
        response: HTTPResponse | None
        try:
            response = await awaitable
        except Exception as exc:
            error_logger.error("error handler failed for %r: %r", exception, exc)
            response = None
        self._write_error(response, request, exception)

    def _write_error(
        self,
        response: HTTPResponse | None,
        request: Request | None,
        exception: Exception,
    ) -> None:
        transport = self.transport
        if transport.is_closing():
            return
        version = request.version if request is not None else "1.1"
        head = request is not None and request.method == "HEAD"
        try:
            if response is None:
                data = error_bytes(exception, include_body=not head)
            elif head:
                data = response.output(version, False, None, include_body=False)
            else:
                data = response.output(version, False, None)
        except Exception:
            data = error_bytes(exception, include_body=not head)
        transport.write(data)
        if request is not None and self._access_log:
            self._log_access(request, response, len(data))
        self._close_lingering()

    def _close_lingering(self) -> None:
        """Half-close after an error and discard the rest of the request."""
        transport = self.transport
        self._queue.clear()
        self._reading_done = self._finished = True
        if self._tls or not transport.can_write_eof():
            transport.close()
            return
        transport.write_eof()
        if self._paused:
            self._paused = False
            transport.resume_reading()
        self._recv_deadline = self.loop.time() + _LINGER
        self._arm()

    def _log_access(self, request: Request, response: object, size: int) -> None:
        peer = self.transport.get_extra_info("peername")
        host = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        status = getattr(response, "status", 0)
        line = f"{request.method} {getattr(request, 'path', '')}"
        access_logger.info(
            "%s - %s %s %d",
            host,
            line,
            status,
            size,
            extra={"host": host, "request": line, "status": status, "byte": size},
        )
