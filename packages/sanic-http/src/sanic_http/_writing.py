"""Writing answers on a connection: responses, streamed bodies and errors.

:class:`ResponseWriter` is the sending half of a connection, an object each
:class:`~sanic_http.HttpProtocol` owns: it turns a response into bytes on the
transport (HEAD without a body, keep-alive or closing), sends streamed bodies
with flow control (``drain`` waits while the transport is above its high-water
mark), answers errors through the error handler (with a plain fallback when that
fails) and writes the access log. It holds no reference to the protocol; what
the connection does next (its state, lingering, the next request) stays in
``_protocol``, which passes in what a call needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from inspect import isawaitable
from typing import Protocol

from sanic_request import Request

from ._exceptions import SanicException
from ._refusal import error_bytes
from ._response import HTTPResponse, InvalidHeaderError
from ._streaming import StreamingHTTPResponse
from .log import access_logger, error_logger

__all__ = ["ErrorHandler", "ResponseWriter"]


class ErrorHandler(Protocol):
    """What the protocol needs from an error handler."""

    def response(
        self, request: Request | None, exception: BaseException
    ) -> HTTPResponse | Awaitable[HTTPResponse]:
        """Return the response (or an awaitable of it) for an exception."""


class ResponseWriter:
    """The sending half of one connection (owned by its protocol).

    Args:
        loop: The event loop.
        transport: The connection's transport.
        error_handler: Builds the answers to errors.
        keep_alive_header: Seconds for the ``Keep-Alive`` header, or None.
        access_log: Whether to log each response.
        tls: Whether the transport is TLS (no half-close).

    Attributes:
        paused: The transport is above its high-water mark (``pause_writing``).
    """

    __slots__ = (
        "_access_log",
        "_error_handler",
        "_keep_alive_header",
        "_loop",
        "_waiter",
        "paused",
        "tls",
        "transport",
    )

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        transport: asyncio.Transport,
        error_handler: ErrorHandler,
        keep_alive_header: int | None,
        access_log: bool,
        tls: bool,
    ) -> None:
        self._loop = loop
        self.transport = transport
        self._error_handler = error_handler
        self._keep_alive_header = keep_alive_header
        self._access_log = access_log
        self.tls = tls
        self.paused = False
        self._waiter: asyncio.Future[None] | None = None

    # -- flow control --------------------------------------------------------------

    def resume(self) -> None:
        """The transport drained (or closed): wake whoever waits in ``drain``."""
        self.paused = False
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def drain(self) -> None:
        """Wait while the transport is above its high-water mark."""
        if self.paused and not self.transport.is_closing():
            self._waiter = waiter = self._loop.create_future()
            try:
                await waiter
            finally:
                self._waiter = None

    # -- responses -------------------------------------------------------------------

    def write(self, response: HTTPResponse, request: Request, keep_alive: bool) -> bool:
        """Write a complete response in one ``transport.write``.

        Returns:
            False, after logging why, when the response cannot be written (not
            a response, or an unsafe header); nothing was written then.
        """
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
            return False
        transport = self.transport
        transport.write(data)
        if self._access_log:
            self.log_access(request, response, len(data))
        if not keep_alive:
            transport.close()
        return True

    def write_head(self, data: bytes, request: Request, response: object) -> None:
        """Write a head that ends this connection's HTTP (``101``), and log it."""
        self.transport.write(data)
        if self._access_log:
            self.log_access(request, response, len(data))

    async def stream(
        self, response: StreamingHTTPResponse, request: Request, keep_alive: bool
    ) -> None:
        """Send a streamed response; close the connection when it cannot go on.

        Raises:
            InvalidHeaderError: Before anything was written, for an unsafe header
                (a clean error answer is still possible).
        """
        transport = self.transport
        try:
            keep_open = await response.send(
                self._write_streamed,
                request.version,
                keep_alive,
                self._keep_alive_header,
                self.drain,
                include_body=request.method != "HEAD",
            )
        except InvalidHeaderError as exc:
            error_logger.error("cannot write response %r: %r", response, exc)
            raise
        except Exception as exc:
            # The head is out, so the body cannot be ended cleanly: close.
            if isinstance(exc, ConnectionError) and transport.is_closing():
                error_logger.debug("streamed response cut off: %r", exc)
            else:
                error_logger.error("streamed response failed: %r", exc)
            transport.close()
            return
        if self._access_log:
            self.log_access(request, response, -1)
        if not keep_open:
            transport.close()

    def _write_streamed(self, data: bytes) -> None:
        """A streamed response's write: raises once the client is gone."""
        transport = self.transport
        if transport.is_closing():
            raise ConnectionResetError("the client closed the connection")
        transport.write(data)

    # -- errors ----------------------------------------------------------------------

    def answer_error(
        self,
        request: Request | None,
        exception: SanicException,
        then: Callable[[], None],
    ) -> asyncio.Task[None] | None:
        """Answer ``exception`` through the error handler, then call ``then``.

        Returns:
            The task that writes the answer when the error handler is a
            coroutine (``then`` runs after it), else None (already written).
        """
        try:
            response: HTTPResponse | Awaitable[HTTPResponse] | None = (
                self._error_handler.response(request, exception)
            )
        except Exception as exc:
            error_logger.error("error handler failed for %r: %r", exception, exc)
            response = None
        if isawaitable(response):
            return self._loop.create_task(
                self._await_error(response, request, exception, then)
            )
        self._write_error(response, request, exception, then)
        return None

    async def _await_error(
        self,
        awaitable: Awaitable[HTTPResponse],
        request: Request | None,
        exception: Exception,
        then: Callable[[], None],
    ) -> None:
        response: HTTPResponse | None
        try:
            response = await awaitable
        except Exception as exc:
            error_logger.error("error handler failed for %r: %r", exception, exc)
            response = None
        self._write_error(response, request, exception, then)

    def _write_error(
        self,
        response: HTTPResponse | None,
        request: Request | None,
        exception: Exception,
        then: Callable[[], None],
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
            self.log_access(request, response, len(data))
        then()

    def log_access(self, request: Request, response: object, size: int) -> None:
        """One access-log line: client, method and path, status, bytes, request id.

        The client is ``request.remote_addr`` when trusted proxy settings give
        one (an address without port), else the peer's ``ip:port``. It and the
        id, ``request.id`` (its ``X-Request-ID``, else a generated one), are
        read here only: with the access log off no request computes them.
        """
        host = getattr(request, "remote_addr", "")
        if not host:
            peer = self.transport.get_extra_info("peername")
            host = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        status = getattr(response, "status", 0)
        line = f"{request.method} {getattr(request, 'path', '')}"
        request_id = getattr(request, "id", "-")
        access_logger.info(
            "%s - %s %s %d %s",
            host,
            line,
            status,
            size,
            request_id,
            extra={
                "host": host,
                "request": line,
                "status": status,
                "byte": size,
                "request_id": request_id,
            },
        )
