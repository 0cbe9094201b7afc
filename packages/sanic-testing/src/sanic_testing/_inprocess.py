"""The in-process client: the app's real server protocol, with no socket.

The client starts the app as ``app.create_server`` does (the same
``ServerSettings`` from the config, listeners, protocol class) but without a
listening socket (``listen=False``), and opens each connection by giving one of
the server's protocols (``server.make_protocol()``) a ``MemoryTransport``
(``_transport``). A request is encoded as aiohttp would put it on the wire
(``_encode``), fed to the protocol as received bytes, and what the protocol writes
is read back as a response (``_parse``). So HEAD, keep-alive, limits, timeouts,
streaming and error answers are the production protocol's; this module only adds
what a client does: connections kept alive and reused, redirects followed, its own
timeout, and which server-side ``Request`` answered (a request middleware placed
first files each request under its connection).

A websocket (``client.websocket(uri)``) is a connection of its own: the
handshake goes through the same protocol, which after its ``101`` hands the
in-memory transport to the websocket protocol (``set_protocol``), as it hands a
socket's; ``websockets``' Sans-I/O client protocol makes and reads the frames on
the client's side.

Listeners: the start listeners run on the first request (or on ``start()`` /
entering the context manager) and the stop listeners on ``close()`` / leaving it,
all on the client's loop, through the server's own ``start()`` and graceful
``stop()``.
"""

from __future__ import annotations

import asyncio
import itertools
import weakref
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlsplit

from sanic.testing import HOST, PORT

from ._encode import EncodedRequest, encode_request
from ._errors import SanicTestClientError
from ._methods import DEFAULT_TIMEOUT, AsyncMethods
from ._parse import parse_response
from ._response import SanicTestResponse
from ._transport import MemoryTransport
from ._websocket import WebSocketClient, WebSocketConnect, close_all, memory_websocket
from ._wire import RequestCapture, describe

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sanic import Sanic
    from sanic.request import Request

__all__ = ["AsyncInProcessClient"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: The client's ports as the server sees them (``request.transport``'s
#: ``peername``): one per connection, counting up from here.
_FIRST_PEER_PORT = 50000


class _Server(Protocol):
    """What the client uses of the server ``app.create_server`` returns."""

    loop: asyncio.AbstractEventLoop

    def make_protocol(self) -> asyncio.Protocol: ...

    async def stop(self) -> None: ...


def _origin(target: str, default: str) -> str:
    """``scheme://authority`` of an absolute ``target``, else ``default``."""
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        return f"{parts.scheme}://{parts.netloc}"
    return default


class _Undelivered(Exception):
    """A kept-alive connection closed before the request reached the server."""


class _ConnectionCapture(RequestCapture):
    """Files each request the app handles under the transport it came in on."""

    def __init__(self) -> None:
        super().__init__()
        self.by_transport: dict[object, Request] = {}

    def __call__(self, request: Request) -> None:
        """Record ``request``; returns ``None`` so the chain continues."""
        self.by_transport[request.transport] = request


class AsyncInProcessClient(AsyncMethods):
    """Drive the app's server protocol in the running event loop, with no socket.

    Use ``async with AsyncInProcessClient(app) as client`` (or call
    :meth:`close` yourself) so the stop listeners run.

    Args:
        app: The ``Sanic`` app.
        host: The address requests appear to be sent to (``Host`` header).
        port: The port requests appear to be sent to.
        timeout: Seconds one exchange may take before the test fails.
        debug: Debug mode, as ``app.run(debug=True)`` sets it.
        server_kwargs: More arguments for ``app.create_server`` (``protocol``,
            ``access_log``, ``ssl``...), as the reusable client takes them.
    """

    def __init__(
        self,
        app: Sanic,
        host: str = HOST,
        port: int = PORT,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        debug: bool = False,
        server_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.timeout = timeout
        self.debug = debug
        self.server_kwargs = dict(server_kwargs or {})
        self._host_header = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        ssl = self.server_kwargs.get("ssl")
        # A response's url: where the request appears to go (no socket, no port
        # of its own), as aiohttp would have sent it.
        self._origin = f"{'https' if ssl else 'http'}://{self._host_header}"
        self._extra: dict[str, Any] = {
            "sockname": (host, port),
            "sslcontext": ssl,
            "socket": None,
        }
        self._peer_ports = itertools.count(_FIRST_PEER_PORT)
        self._server: _Server | None = None
        self._idle: list[MemoryTransport] = []
        self._open: set[MemoryTransport] = set()
        self._capture = _ConnectionCapture()
        # Closed (client side) before the server stops, which would otherwise
        # wait for their peers to answer its close.
        self._websockets: weakref.WeakSet[WebSocketClient] = weakref.WeakSet()

    async def __aenter__(self) -> AsyncInProcessClient:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Start the app's server without a socket (start listeners run)."""
        if self._server is not None:
            return
        self._capture.install(self.app)
        try:
            self._server = await self.app.create_server(
                debug=self.debug, listen=False, **self.server_kwargs
            )
        except BaseException:
            self._capture.remove(self.app)
            raise

    async def close(self) -> None:
        """Hang up, then stop the server gracefully (stop listeners run)."""
        server, self._server = self._server, None
        if server is None:
            return
        await close_all(self._websockets)
        try:
            for transport in self._idle:
                transport.hang_up()
            if self._idle:
                # connection_lost runs on the next turn, as on a socket: then
                # the server finds no connection left to wait for.
                self._idle.clear()
                await asyncio.sleep(0)
            await server.stop()
        finally:
            for transport in self._open:
                if not transport.is_closing():
                    transport.abort()
            self._open.clear()
            self._capture.by_transport.clear()
            self._capture.remove(self.app)

    def _connection(self, reuse: bool = True) -> MemoryTransport:
        """An idle kept-alive connection (unless not ``reuse``), or a new one."""
        idle = self._idle
        while idle and reuse:
            transport = idle.pop()
            if transport.reusable and not transport.is_closing():
                return transport
            self._open.discard(transport)
        server = self._server
        if server is None:
            raise RuntimeError("the in-process client is closed")
        extra = dict(self._extra)
        extra["peername"] = (HOST, next(self._peer_ports))
        transport = MemoryTransport(server.make_protocol(), server.loop, extra)
        self._open.add(transport)
        transport.connect()
        return transport

    async def request(
        self,
        method: str,
        uri: str = "/",
        *request_args: object,
        gather_request: bool = True,
        **request_kwargs: Any,
    ) -> Any:
        """Handle one request in-process; redirects are followed like aiohttp.

        Args:
            method: The HTTP method.
            uri: The path (with an optional query) or an absolute URL.
            *request_args: Not supported (aiohttp takes none either).
            gather_request: Return ``(request, response)`` or only the response.
            **request_kwargs: As for aiohttp's ``ClientSession.request``:
                ``params``, ``data``, ``json``, ``headers``, ``cookies``,
                ``auth``, ``skip_auto_headers``, ``expect100``,
                ``allow_redirects``, ``max_redirects``, ``raise_for_status``
                and ``timeout``.

        Returns:
            ``(request, response)``, or the ``SanicTestResponse`` alone.

        Raises:
            SanicTestClientError: Timed out, too many redirects, a streamed body
                broke off, or an error status with ``raise_for_status``.
            TypeError: An argument this client cannot honour.
        """
        if request_args:
            raise TypeError("the in-process client takes no positional arguments")
        if self._server is None:
            await self.start()
        kwargs = request_kwargs
        timeout = kwargs.pop("timeout", None)
        total = float(getattr(timeout, "total", timeout) or self.timeout)
        allow = kwargs.pop("allow_redirects", True)
        remaining = kwargs.pop("max_redirects", 10)
        raise_for_status = kwargs.pop("raise_for_status", False)
        method = method.upper()
        target = uri
        origin = _origin(uri, self._origin)
        history: list[SanicTestResponse] | None = None
        # Redirects are followed here rather than in a helper coroutine: one
        # coroutine less per request.
        while True:
            encoded = await encode_request(method, target, self._host_header, kwargs)
            try:
                request, data = await self._exchange(encoded, total)
            except (asyncio.TimeoutError, ConnectionError) as exc:
                raise SanicTestClientError(method, uri, describe(exc)) from exc
            response = parse_response(data)
            response._location = origin + encoded.target.decode("utf-8")
            # The status first: most responses need no header mapping at all.
            if not allow or response.status not in _REDIRECTS:
                break
            location = response.headers.get("Location")
            if location is None:
                break
            if remaining <= 0:
                raise SanicTestClientError(method, uri, "too many redirects")
            remaining -= 1
            # As aiohttp's history: the redirect without its body.
            history = history or []
            history.append(
                SanicTestResponse(
                    response.status,
                    response.headers,
                    b"",
                    response.reason,
                    url=response._location,
                )
            )
            # As aiohttp (and browsers) do: 303 becomes GET, and so does a POST
            # answered with 301/302 (RFC 9110 section 15.4).
            if (response.status == 303 and method != "HEAD") or (
                response.status in (301, 302) and method == "POST"
            ):
                method = "GET"
                kwargs.pop("data", None)
                kwargs.pop("json", None)
            # Against the whole URL, so a redirect keeps an absolute URI's host.
            target = urljoin(str(response._location), location)
            origin = _origin(target, origin)
        if history:
            response.history = tuple(history)
        if raise_for_status and response.status >= 400:
            reason = f"{response.status} {response.reason}".strip()
            raise SanicTestClientError(method, uri, reason)
        return (request, response) if gather_request else response

    async def _exchange(
        self, encoded: EncodedRequest, timeout: float
    ) -> tuple[Request | None, bytes]:
        """Send one request on a kept-alive (or new) connection; read the answer.

        A kept-alive connection the server closed before any of the request
        reached it (its keep-alive timeout passed while the client's loop did
        not run) is replaced by a new one, as HTTP clients retry then.

        Returns:
            The server-side request (``None`` when the server answered without
            one) and the response's bytes.

        Raises:
            asyncio.TimeoutError: No whole response within ``timeout``.
            ConnectionError: The server closed the connection without one.
        """
        try:
            return await self._exchange_on(self._connection(), encoded, timeout)
        except _Undelivered:
            fresh = self._connection(reuse=False)
            return await self._exchange_on(fresh, encoded, timeout)

    async def _exchange_on(
        self, transport: MemoryTransport, encoded: EncodedRequest, timeout: float
    ) -> tuple[Request | None, bytes]:
        reused = transport.delivered  # a fresh connection has had no request
        transport.delivered = False
        timer = asyncio.get_running_loop().call_later(
            timeout, transport.fail, asyncio.TimeoutError()
        )
        try:
            if encoded.body and encoded.expects_continue:
                # As aiohttp: the head, then the body once the server asks.
                transport.send(encoded.head())
                if await transport.continued():
                    transport.send(encoded.body)
            else:
                transport.send(encoded.wire())
            data = await transport.receive(encoded.method == "HEAD")
        except BaseException as exc:
            transport.reset()  # the client gives up on this connection
            self._open.discard(transport)
            if reused and not transport.delivered and isinstance(exc, ConnectionError):
                raise _Undelivered from exc
            raise
        finally:
            timer.cancel()
        if transport.reusable and not transport.is_closing():
            self._idle.append(transport)
        else:
            self._open.discard(transport)
            transport.hang_up()
        return self._capture.by_transport.pop(transport, None), data

    def websocket(
        self,
        uri: str = "/",
        *,
        subprotocols: Sequence[str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> WebSocketConnect:
        """Open a websocket to ``uri`` over a new in-memory connection:
        ``async with client.websocket("/feed") as ws``.

        Args:
            uri: The path (with an optional query).
            subprotocols: The subprotocols to offer, most preferred first.
            headers: More headers for the opening handshake.

        Returns:
            A :class:`~sanic_testing.WebSocketConnect` giving a
            :class:`~sanic_testing.WebSocketClient`, whose ``request`` is the
            server-side request of the handshake.

        Raises:
            WebSocketRefused: The handshake was answered with another status
                than 101 (on opening).
        """

        async def opening() -> WebSocketClient:
            if self._server is None:
                await self.start()
            transport = self._connection(reuse=False)
            path = uri if uri.startswith("/") else "/" + uri
            scheme = "wss" if self._extra["sslcontext"] else "ws"
            url = f"{scheme}://{self._host_header}{path}"
            try:
                ws = await memory_websocket(
                    transport,
                    url,
                    timeout=self.timeout,
                    subprotocols=subprotocols,
                    headers=headers,
                )
            finally:
                request = self._capture.by_transport.pop(transport, None)
            ws.request = request
            self._websockets.add(ws)
            return ws

        return WebSocketConnect(opening)
