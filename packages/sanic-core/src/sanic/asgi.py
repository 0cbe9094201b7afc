"""The app as an ASGI 3 application: ``uvicorn module:app``, ``hypercorn module:app``.

``Sanic.__call__(scope, receive, send)`` hands each ASGI connection to the app's
:class:`ASGIAdapter`, which speaks the ASGI spec and nothing server-specific (no
ASGI package is imported). What it does per scope type:

* ``lifespan``: startup runs the ``before_server_start`` then the
  ``after_server_start`` listeners (with the app and the running loop; tasks added
  with ``add_task`` start between them, as on the native server), shutdown the
  ``before_server_stop`` then the ``after_server_stop`` ones. A listener that
  raises is reported as ``lifespan.startup.failed`` (or ``.shutdown.failed``) with
  its message. The settings are those ``app.run`` computes, from the same
  ``_serve_arguments``; a server without lifespan gets them at the first request.
* ``http``: the request is the app's request class built from the scope (headers,
  query, client and server addresses, TLS from the scope's scheme), handled by the
  one request path of the app, ``Sanic.handle_request``. Bodies come from
  ``receive``: whole for ordinary routes (more than ``REQUEST_MAX_SIZE`` is 413),
  as the request's ``RequestStream`` for streaming routes, where ``receive`` is not
  called while the stream holds more than its high-water mark. Responses go out
  through ``send``: the head's headers come from the response's own
  serialisation (``HTTPResponse.output``), so checks, cookies (one ``set-cookie``
  each) and ``Content-Length`` are those of the native server; a streamed
  response's writes become ``more_body`` messages; HEAD gets no body. Errors take
  the app's error handler, with the native fallbacks. ``http.disconnect`` before
  the response is complete cancels the handler (``REQUEST_CANCEL_ON_DISCONNECT``).
  ``root_path`` is stripped from the path for routing and put in front of the
  URLs ``url_for`` builds while the request is handled.
* ``websocket``: the request (``GET``, from the scope) goes through
  ``Sanic.handle_request`` like any other, so request middleware runs before the
  handshake is accepted. When the route is an ``@app.websocket`` one, its wrapper
  sees the request's :class:`WebSocketTransport` and, instead of a native ``101``,
  accepts with the subprotocol negotiated from the route's ``subprotocols`` and
  ``scope["subprotocols"]``, then runs the handler with the same ``ws`` API
  (:mod:`sanic._asgi_websocket`). Any other answer (a middleware's response, a
  404, an HTTP route) refuses the handshake: sent as the response with the
  ``websocket.http.response`` extension when the server has it, else
  ``websocket.close`` with ``1008`` (the server answers ``403``).

The ASGI server owns the connection: timeouts, keep-alive, the header limits, the
access log and the ``Date`` and ``Server`` headers are its own.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Generator, MutableMapping
from contextvars import ContextVar
from inspect import isawaitable
from typing import TYPE_CHECKING, Any, Final, cast
from urllib.parse import quote

from sanic_http import (
    STATUS_CODES,
    HTTPResponse,
    PayloadTooLarge,
    SanicException,
    ServerError,
    ServerSettings,
    StreamingHTTPResponse,
    UpgradeResponse,
    error_text,
    trigger_listeners,
)
from sanic_request import RequestStream

from .log import configure_logging, error_logger, logger

if TYPE_CHECKING:
    from .app import Sanic
    from .request import Request

__all__ = [
    "ASGIAdapter",
    "ASGIMessage",
    "ASGIReceive",
    "ASGIScope",
    "ASGISend",
    "ScopeTransport",
    "WebSocketTransport",
    "rooted",
]

ASGIScope = MutableMapping[str, Any]
ASGIMessage = MutableMapping[str, Any]
ASGIReceive = Callable[[], Awaitable[ASGIMessage]]
ASGISend = Callable[[ASGIMessage], Awaitable[None]]

#: The ``root_path`` of the ASGI request being handled (``url_for`` prefixes it).
ROOT_PATH: ContextVar[str] = ContextVar("sanic_asgi_root_path", default="")

#: How every head from ``HTTPResponse.output(keep_alive=False)`` ends: the
#: connection is the ASGI server's, so this line is not passed on.
_CLOSE_TAIL: Final = b"Connection: close\r\n\r\n"
#: In a head from ``output()``: the body has content (not HEAD, 204, 304, 1xx).
_LENGTH: Final = b"\r\nContent-Length: "
_SECURE_SCHEMES: Final = frozenset({"https", "wss"})
#: What ``get_extra_info("sslcontext")`` gives for a TLS scope: the TLS context is
#: the ASGI server's, so a stand-in that is not None (as the request checks).
_TLS: Final = object()
_END: Final = {"type": "http.response.body", "body": b"", "more_body": False}


class _Gone(Exception):
    """The client disconnected while its request's body was read."""


def rooted(url: str) -> str:
    """``url`` (built by ``url_for``) with the current ASGI ``root_path`` put in
    front of its path; ``url`` itself outside an ASGI request or without one."""
    root = ROOT_PATH.get()
    if not root:
        return url
    if url.startswith("/") and not url.startswith("//"):
        return root + url
    # scheme://host/path or //host/path: the path starts after the authority.
    start = url.find("//")
    if start < 0:
        return url
    slash = url.find("/", start + 2)
    if slash < 0:
        return url + root
    return url[:slash] + root + url[slash:]


class ScopeTransport(asyncio.BaseTransport):
    """What a request reads of its connection (``request.transport``), from the
    ASGI scope: ``peername`` is the scope's ``client``, ``sockname`` its
    ``server``, and ``sslcontext`` is not None for an ``https``/``wss`` scope.

    Nothing can be written through it: the connection is the ASGI server's.
    """

    __slots__ = ("_scope",)

    def __init__(self, scope: ASGIScope) -> None:  # no extra dict: read lazily
        self._scope = scope

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """The scope's answer for ``peername``, ``sockname`` and ``sslcontext``."""
        scope = self._scope
        if name == "peername":
            client = scope.get("client")
            return tuple(client) if client else default
        if name == "sockname":
            server = scope.get("server")
            if not server:
                return default
            # A UNIX socket is [path, None]: a path, as asyncio gives it.
            return tuple(server) if server[1] is not None else server[0]
        if name == "sslcontext":
            return _TLS if scope.get("scheme") in _SECURE_SCHEMES else default
        return default

    def is_closing(self) -> bool:
        """Never: the ASGI server closes the connection."""
        return False


class WebSocketTransport(ScopeTransport):
    """The transport of a request from a ``websocket`` scope: what the
    ``@app.websocket`` route wrapper accepts the connection through.

    Args:
        scope: The ASGI scope.
        receive: The ASGI receive (``websocket.connect`` has been taken).
        send: The ASGI send.
        settings: The server's settings.
    """

    __slots__ = ("_handler", "_on_error", "_receive", "_send", "settings", "upgrade")

    def __init__(
        self,
        scope: ASGIScope,
        receive: ASGIReceive,
        send: ASGISend,
        settings: ServerSettings,
    ) -> None:
        super().__init__(scope)
        self._receive = receive
        self._send = send
        self.settings = settings
        #: The answer that accepts the handshake, once a route has made it.
        self.upgrade: UpgradeResponse | None = None
        self._handler: Callable[[Any], Awaitable[object]] | None = None
        self._on_error: Callable[[BaseException], object] | None = None

    def accept(
        self,
        handler: Callable[[Any], Awaitable[object]],
        subprotocols: tuple[str, ...] | None,
        on_error: Callable[[BaseException], object],
    ) -> UpgradeResponse:
        """The route's answer that accepts the handshake: a ``101`` response
        (response middleware sees it as natively) that the adapter turns into
        ``websocket.accept`` and a run of ``handler(ws)``."""
        # The websocket half loads the ``websockets`` library: on first use.
        from ._asgi_websocket import select_subprotocol

        protocol = select_subprotocol(subprotocols, self._scope.get("subprotocols"))
        headers = {} if protocol is None else {"Sec-WebSocket-Protocol": protocol}
        self.upgrade = UpgradeResponse(_no_native_protocol, "websocket", headers)
        self._handler = handler
        self._on_error = on_error
        return self.upgrade

    async def run(self) -> None:
        """Accept with the negotiated subprotocol and run the handler."""
        handler, on_error = self._handler, self._on_error
        assert self.upgrade is not None and handler is not None and on_error
        protocol = self.upgrade.headers.get("Sec-WebSocket-Protocol")
        from ._asgi_websocket import ASGIWebSocketConnection

        connection = ASGIWebSocketConnection(
            self._receive, self._send, self.settings, protocol
        )
        await connection.run(handler, on_error)


def _no_native_protocol() -> Any:
    raise RuntimeError("an ASGI websocket is not handed to a native protocol")


#: Heads already turned into ASGI headers: a server answering the same kind of
#: response over and over (same status, headers and length within one second of
#: ``Date``) parses its head once. Bounded: cleared when full.
_PAIRS: dict[bytes, tuple[tuple[bytes, bytes], ...]] = {}
_PAIRS_MAX: Final = 512


def _header_pairs(
    head: bytes, response: HTTPResponse
) -> tuple[tuple[bytes, bytes], ...]:
    """The header fields of a head from ``output(keep_alive=False)`` as ASGI
    wants them: lower-case names, ``Connection`` and (unless the handler set
    one) ``Date`` left to the ASGI server."""
    pairs = _PAIRS.get(head)
    if pairs is not None:
        return pairs
    # A Date the handler set is kept; one equal to this second's, left out, is
    # the one the server adds.
    keep_date = "Date" in response.headers
    start = head.index(b"\r\n") + 2
    end = len(head) - len(_CLOSE_TAIL) - 2
    found = []
    if end > start:
        for line in head[start:end].split(b"\r\n"):
            name, _, value = line.partition(b": ")
            if keep_date or name != b"Date":
                found.append((name.lower(), value))
    pairs = tuple(found)
    if len(_PAIRS) >= _PAIRS_MAX:
        _PAIRS.clear()
    _PAIRS[head] = pairs
    return pairs


def _plain_error(exception: BaseException) -> HTTPResponse:
    """The last-resort answer when the error handler fails: the status's reason."""
    status = getattr(exception, "status_code", 500)
    if not isinstance(status, int) or not 100 <= status <= 599:
        status = 500
    reason = STATUS_CODES.get(status, b"Error").decode("latin-1")
    return HTTPResponse(error_text(reason), status)


class _Exchange:
    """One ASGI HTTP request: sending its answer, watching for its client."""

    __slots__ = (
        "complete",
        "disconnected",
        "head_only",
        "request",
        "response",
        "send",
        "started",
        "task",
        "watcher",
    )

    def __init__(self, send: ASGISend, request: Request) -> None:
        self.send = send
        self.request = request
        self.head_only = request.method == "HEAD"
        self.response: object = None
        self.started = False  # http.response.start is out (or on its way)
        self.complete = False  # the last body message is on its way
        self.disconnected = False
        self.task: asyncio.Task[Any] | None = None  # cancelled on disconnect
        self.watcher: asyncio.Task[None] | None = None

    def write(self, response: HTTPResponse) -> None:
        """``handle_request``'s write callback: sent once it returns."""
        self.response = response

    def watch(self, receive: ASGIReceive) -> None:
        """Cancel this task if the client disconnects before the answer is out."""
        self.task = asyncio.current_task()
        self.watcher = asyncio.get_running_loop().create_task(_watch(receive, self))

    def stop_watching(self) -> None:
        """The request is over: no watching any more."""
        self.task = None
        if self.watcher is not None:
            self.watcher.cancel()

    def gone(self) -> None:
        """``http.disconnect`` arrived: cancel the handler unless it is done."""
        if not self.complete and not self.disconnected:
            self.disconnected = True
            if self.task is not None:
                self.task.cancel()

    # -- sending -----------------------------------------------------------------

    async def respond(self, response: object) -> bool:
        """Send ``response``; False (logged) when it cannot be sent, nothing sent."""
        if self.started:
            return True  # answered already (an error refused the request)
        if response.__class__ is not HTTPResponse and isinstance(
            response, StreamingHTTPResponse
        ):
            if isinstance(response, UpgradeResponse):
                error_logger.error(
                    "cannot switch protocols over ASGI: %r (use the app's own server)",
                    response,
                )
                return False
            return await self._stream(response)
        if not isinstance(response, HTTPResponse):
            error_logger.error("cannot write response %r: not a response", response)
            return False
        try:
            # The response's own head: its checks, headers and framing.
            head = response.output("1.1", False, None, include_body=False)
            body = response.body
            if self.head_only or _LENGTH not in head:
                body = b""  # HEAD, or a status without content (204, 304, 1xx)
            elif body.__class__ is not bytes:
                # Middleware replaced it (text, a buffer): the response's own
                # conversion, from its whole output.
                body = response.output("1.1", False, None)[len(head) :]
        except Exception as exc:
            error_logger.error("cannot write response %r: %r", response, exc)
            return False
        self.started = True
        await self.send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": _header_pairs(head, response),
            }
        )
        self.complete = True
        await self.send({"type": "http.response.body", "body": body})
        return True

    async def _stream(self, response: StreamingHTTPResponse) -> bool:
        queue: deque[ASGIMessage] = deque()

        def write(data: bytes) -> None:
            if self.started:
                queue.append(
                    {"type": "http.response.body", "body": data, "more_body": True}
                )
                return
            self.started = True
            queue.append(
                {
                    "type": "http.response.start",
                    "status": response.status,
                    "headers": _header_pairs(data, response),
                }
            )

        async def flush() -> None:  # what awaiting response.write() waits for
            while queue:
                await self.send(queue.popleft())

        try:
            # HTTP/1.0 framing: the writes are the body's bytes as they are (no
            # chunks); the ASGI server frames them.
            await response.send(
                write, "1.0", False, None, flush, include_body=not self.head_only
            )
        except Exception as exc:
            if not self.started:
                error_logger.error("cannot write response %r: %r", response, exc)
                return False
            error_logger.error("streamed response failed: %r", exc)
            queue.clear()
            return True  # the ASGI server ends the connection: the body is cut
        await flush()
        self.complete = True
        await self.send(_END)
        return True


async def _read_rest(
    receive: ASGIReceive, request: Request, message: ASGIMessage, limit: int
) -> SanicException | None:
    """Read a body that comes in more than one message into ``request.body``.

    Args:
        receive: The ASGI receive.
        request: The request.
        message: The first message ``receive`` gave.
        limit: The most bytes the body may have.

    Returns:
        None when it is read, else the error to answer (413).

    Raises:
        _Gone: The client disconnected first.
    """
    if message["type"] != "http.request":
        raise _Gone
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        return PayloadTooLarge("Payload Too Large")
    body: bytes = message.get("body", b"")
    chunks = [body]
    size = len(body)
    while message.get("more_body", False):
        message = await receive()
        if message["type"] != "http.request":
            raise _Gone
        piece: bytes = message.get("body", b"")
        size += len(piece)
        if size > limit:
            return PayloadTooLarge("Payload Too Large")
        chunks.append(piece)
    request.body = b"".join(chunks)
    return None


class _Resumed:
    """Awaiting it runs the rest of a coroutine started with ``send(None)``
    (which gave ``first``), as if the coroutine had been awaited all along: what
    it waits for goes to the task, what the task sends or throws (a
    cancellation) goes to it."""

    __slots__ = ("_coro", "_first")

    def __init__(self, coro: Coroutine[Any, Any, None], first: Any) -> None:
        self._coro = coro
        self._first = first

    def __await__(self) -> Generator[Any, Any, None]:
        coro = self._coro
        waiting_for = self._first
        while True:
            try:
                value = yield waiting_for
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:
                try:
                    waiting_for = coro.throw(exc)
                except StopIteration:
                    return
            else:
                try:
                    waiting_for = coro.send(value)
                except StopIteration:
                    return


async def _watch(receive: ASGIReceive, exchange: _Exchange) -> None:
    """Wait for ``http.disconnect``; then cancel the handler if it still runs.

    Once the body is read, that is the only message ASGI has left to give.
    """
    message = await receive()
    if message["type"] == "http.disconnect":
        exchange.gone()


class _Pump:
    """Feeds a streaming route's ``RequestStream`` from ``receive``, then watches
    for the client's disconnect; ``receive`` waits while the stream is paused."""

    __slots__ = ("_waiter", "exchange", "limit", "receive", "stream")

    def __init__(
        self, receive: ASGIReceive, exchange: _Exchange, high_water: int, limit: int
    ) -> None:
        self.receive = receive
        self.exchange = exchange
        self.limit = limit
        self._waiter: asyncio.Future[None] | None = None
        self.stream = RequestStream(
            high_water=high_water, pause=self._pause, resume=self._resume
        )

    def _pause(self) -> None:
        self._waiter = asyncio.get_running_loop().create_future()

    def _resume(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def run(self, adapter: ASGIAdapter) -> None:
        stream = self.stream
        receive = self.receive
        size = 0
        try:
            while True:
                if self._waiter is not None:
                    await self._waiter
                message = await receive()
                if message["type"] != "http.request":
                    stream.fail(
                        ConnectionResetError("the client closed the connection")
                    )
                    self.exchange.gone()
                    return
                body = message.get("body", b"")
                size += len(body)
                if size > self.limit:
                    error = PayloadTooLarge("Payload Too Large")
                    stream.fail(error)  # the handler's reads raise it
                    await adapter.answer_error(self.exchange, error)
                    return
                if body and not stream.done:
                    stream.feed_data(body)
                if not message.get("more_body", False):
                    if not stream.done:
                        stream.feed_eof()
                    break
        except asyncio.CancelledError:
            # The handler returned before its body ended: nobody reads it now.
            if not stream.done:
                stream.fail(RuntimeError("the handler has returned"))
            raise
        await _watch(receive, self.exchange)


class ASGIAdapter:
    """An app's ASGI 3 side (``app(scope, receive, send)`` calls it).

    Args:
        app: The application.
    """

    def __init__(self, app: Sanic) -> None:
        self.app = app
        self._settings: ServerSettings | None = None
        self._request_class: type[Request] = app.request_class
        self._start: tuple[list[Any], list[Any]] = ([], [])
        self._stop: tuple[list[Any], list[Any]] = ([], [])

    def __call__(
        self, scope: ASGIScope, receive: ASGIReceive, send: ASGISend
    ) -> Awaitable[None]:
        """The coroutine that serves ``scope`` (no coroutine of its own: one
        frame less per request).

        Raises:
            ValueError: An unknown scope type.
        """
        kind = scope["type"]
        if kind == "http":
            return self.http(scope, receive, send)
        if kind == "lifespan":
            return self.lifespan(receive, send)
        if kind == "websocket":
            return self.websocket(scope, receive, send)
        raise ValueError(f"unsupported ASGI scope type {kind!r}")

    # -- lifespan ------------------------------------------------------------------

    def _prepare(self) -> ServerSettings:
        """The settings ``app.run`` would serve with; the stop listeners kept."""
        arguments = self.app._serve_arguments(register_sys_signals=False)
        settings: ServerSettings = arguments["settings"]
        configure_logging(settings.debug)
        self._stop = (arguments["before_stop"], arguments["after_stop"])
        self._settings = settings
        self._request_class = cast("type[Request]", settings.request_class)
        self._start = (arguments["before_start"], arguments["after_start"])
        return settings

    async def startup(self) -> None:
        """Run the start listeners (``lifespan.startup``).

        Raises:
            Exception: What a listener raised.
        """
        self._prepare()
        before, after = self._start
        loop = asyncio.get_running_loop()
        await trigger_listeners(before, self.app, loop)
        await trigger_listeners(after, self.app, loop)
        logger.info("Sanic app %r serving as an ASGI application", self.app.name)

    async def shutdown(self) -> None:
        """Run the stop listeners (``lifespan.shutdown``).

        Raises:
            Exception: What a listener raised.
        """
        before, after = self._stop
        loop = asyncio.get_running_loop()
        await trigger_listeners(before, self.app, loop)
        await trigger_listeners(after, self.app, loop)

    async def lifespan(self, receive: ASGIReceive, send: ASGISend) -> None:
        """Answer the ``lifespan`` scope's startup and shutdown messages."""
        while True:
            message = await receive()
            kind = message["type"]
            if kind == "lifespan.startup":
                step, done = self.startup, "lifespan.startup"
            elif kind == "lifespan.shutdown":
                step, done = self.shutdown, "lifespan.shutdown"
            else:
                continue
            try:
                await step()
            except Exception as exc:
                error_logger.exception("%s failed", done)
                text = str(exc) or type(exc).__name__
                await send({"type": f"{done}.failed", "message": text})
                return
            await send({"type": f"{done}.complete"})
            if kind == "lifespan.shutdown":
                return

    # -- http ------------------------------------------------------------------------

    def _request(
        self, scope: ASGIScope, method: str, transport: ScopeTransport
    ) -> Request:
        """The app's request for an ``http`` (or ``websocket``) scope."""
        path: bytes | None = scope.get("raw_path")
        if path is None:
            path = quote(scope["path"], safe="/:@!$&'()*+,;=~").encode("ascii")
        root: str = scope.get("root_path", "")
        if root:
            prefix = root.encode("utf-8")
            if path.startswith(prefix) and path[len(prefix) : len(prefix) + 1] in (
                b"",
                b"/",
            ):
                path = path[len(prefix) :] or b"/"
        query: bytes = scope.get("query_string", b"")
        headers = scope["headers"]
        request = self._request_class(
            path + b"?" + query if query else path,
            headers if headers.__class__ is list else list(headers),
            scope.get("http_version", "1.1"),
            method,
            transport=transport,
            app=self.app,
        )
        return request

    async def http(
        self, scope: ASGIScope, receive: ASGIReceive, send: ASGISend
    ) -> None:
        """Serve one ``http`` scope through ``Sanic.handle_request``."""
        settings = self._settings or self._prepare()
        request = self._request(scope, scope["method"], ScopeTransport(scope))
        exchange = _Exchange(send, request)
        root = scope.get("root_path")
        token = ROOT_PATH.set(root) if root else None
        check = settings.stream_check
        pump: asyncio.Task[None] | None = None
        try:
            if check is not None and check(request):
                if settings.cancel_on_disconnect:
                    exchange.task = asyncio.current_task()
                feeder = _Pump(
                    receive,
                    exchange,
                    settings.stream_high_water,
                    settings.request_max_size,
                )
                request.stream = feeder.stream
                pump = asyncio.ensure_future(feeder.run(self))
                await self.app.handle_request(request, exchange.write)
                if not feeder.stream.done:
                    # The handler returned before its body ended: nobody
                    # reads the rest (the ASGI server drops it).
                    feeder.stream.fail(RuntimeError("the handler has returned"))
            else:
                message = await receive()
                if message.get("more_body") or message["type"] != "http.request":
                    refused = await _read_rest(
                        receive, request, message, settings.request_max_size
                    )
                else:
                    request.body = message.get("body", b"")
                    refused = None
                    if len(request.body) > settings.request_max_size:
                        refused = PayloadTooLarge("Payload Too Large")
                if refused is not None:
                    await self.answer_error(exchange, refused)
                    return
                handling = self.app.handle_request(request, exchange.write)
                if settings.cancel_on_disconnect:
                    # Watched only once the handler waits: one that answers at
                    # once cannot be cancelled anyway, and costs no watcher.
                    try:
                        waiting_for = handling.send(None)
                    except StopIteration:
                        pass
                    else:
                        exchange.watch(receive)
                        await _Resumed(handling, waiting_for)
                else:
                    await handling
        except _Gone:
            return
        except asyncio.CancelledError:
            if not exchange.disconnected:
                raise
            # Our own cancellation (the client left): the request is over.
            task = asyncio.current_task()
            uncancel = getattr(task, "uncancel", None)
            if uncancel is not None:  # Python 3.11+
                uncancel()
            return
        except Exception as exc:
            error_logger.exception("request handler failed: %r", exc)
            await self.answer_error(exchange, ServerError("Server Error"))
            return
        else:
            response = exchange.response
            if response is None:
                error_logger.error("request handler returned without a response")
            elif await exchange.respond(response):
                return
            await self.answer_error(exchange, ServerError("Server Error"))
        finally:
            exchange.stop_watching()
            if pump is not None:
                pump.cancel()
            if token is not None:
                ROOT_PATH.reset(token)

    async def answer_error(self, exchange: _Exchange, exception: Exception) -> None:
        """Answer ``exception`` through the app's error handler (its plain
        fallback when that fails), unless an answer has begun."""
        if exchange.started:
            return
        request = exchange.request
        response: Any
        try:
            response = self.app.error_handler.response(request, exception)
            if isawaitable(response):
                response = await response
        except Exception as exc:
            error_logger.error("error handler failed for %r: %r", exception, exc)
            response = None
        if response is None or not await exchange.respond(response):
            await exchange.respond(_plain_error(exception))

    # -- websocket -------------------------------------------------------------------

    async def websocket(
        self, scope: ASGIScope, receive: ASGIReceive, send: ASGISend
    ) -> None:
        """Serve one ``websocket`` scope through ``Sanic.handle_request``."""
        settings = self._settings or self._prepare()
        message = await receive()
        if message["type"] != "websocket.connect":
            return  # websocket.disconnect: the client left first
        transport = WebSocketTransport(scope, receive, send, settings)
        request = self._request(scope, "GET", transport)
        answers: list[object] = []
        root = scope.get("root_path")
        token = ROOT_PATH.set(root) if root else None
        try:
            try:
                await self.app.handle_request(request, answers.append)
            except Exception as exc:
                error_logger.exception("websocket request handler failed: %r", exc)
                answers.append(None)
            response = answers[-1] if answers else None
            if response is not None and response is transport.upgrade:
                await transport.run()
            else:
                await _refuse(scope, send, response)
        finally:
            if token is not None:
                ROOT_PATH.reset(token)


async def _refuse(scope: ASGIScope, send: ASGISend, response: object) -> None:
    """Refuse a websocket handshake: with ``response`` itself where the server
    has the ``websocket.http.response`` extension, else ``websocket.close``."""
    extensions = scope.get("extensions") or {}
    if (
        "websocket.http.response" in extensions
        and isinstance(response, HTTPResponse)
        and not isinstance(response, StreamingHTTPResponse)
    ):
        try:
            head = response.output("1.1", False, None, include_body=False)
            body = response.output("1.1", False, None)[len(head) :]
        except Exception as exc:
            error_logger.error("cannot write response %r: %r", response, exc)
        else:
            await send(
                {
                    "type": "websocket.http.response.start",
                    "status": response.status,
                    "headers": _header_pairs(head, response),
                }
            )
            await send({"type": "websocket.http.response.body", "body": body})
            return
    await send({"type": "websocket.close", "code": 1008})
