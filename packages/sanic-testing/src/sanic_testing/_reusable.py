"""The reusable client: one real server, many requests.

The server starts once (``app.create_server`` on a bound socket, listeners and
all) in the caller's running loop, and one aiohttp session sends every request
over keep-alive connections. Each request carries a tag header that the capture
middleware removes and files the server-side ``Request`` under, so concurrent
requests still get their own request back.

Stopping mirrors the server's graceful shutdown: ``before_server_stop``, the
session and the listening socket close, the server waits (bounded) for its
connections to go, then ``after_server_stop``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import weakref
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
from multidict import CIMultiDict

from sanic.testing import HOST

from ._listeners import run_listeners
from ._methods import DEFAULT_TIMEOUT, AsyncMethods
from ._sockets import DEFAULT_BACKLOG, bind_socket
from ._websocket import (
    Cleanup,
    WebSocketClient,
    WebSocketConnect,
    aiohttp_websocket,
    close_all,
)
from ._wire import TAG_HEADER, RequestCapture, absolute_url, exchange

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sanic import Sanic

__all__ = ["AsyncReusableClient"]

# How often closing looks at the connections still open (as the server does).
_POLL = 0.005


class _Server(Protocol):
    """What the client uses of the server ``app.create_server`` returns."""

    def close(self) -> None: ...

    async def wait_closed(self) -> None: ...


class AsyncReusableClient(AsyncMethods):
    """A server started once for many requests, used inside a running loop.

    ``async with AsyncReusableClient(app) as client:
    request, response = await client.get("/")``.

    Args:
        app: The ``Sanic`` app.
        host: The address to listen on (default ``127.0.0.1``).
        port: The port; ``None`` or ``0`` (default) picks a free one, a busy
            port falls back to a free one.
        timeout: Seconds one exchange may take before the test fails.
        debug: Run the server in debug mode.
        server_kwargs: More arguments for ``app.create_server``.

    Attributes:
        bound_port: The port really listened on, once started.
    """

    def __init__(
        self,
        app: Sanic,
        host: str = HOST,
        port: int | None = None,
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
        self.bound_port: int | None = None
        self._server: _Server | None = None
        self._session: aiohttp.ClientSession | None = None
        self._capture = RequestCapture()
        # Closed (client side) before the server stops, which would otherwise
        # wait for their peers to answer its close.
        self._websockets: weakref.WeakSet[WebSocketClient] = weakref.WeakSet()
        self._tags = itertools.count()
        self._bound_host = host

    async def __aenter__(self) -> AsyncReusableClient:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Start the server and the client session (idempotent)."""
        if self._server is not None:
            return
        kwargs = dict(self.server_kwargs)
        sock = bind_socket(
            kwargs.pop("host", self.host),
            kwargs.pop("port", self.port),
            kwargs.get("backlog", DEFAULT_BACKLOG),
        )
        self._capture.install(self.app)
        try:
            self._server = await self.app.create_server(
                sock=sock, debug=self.debug, **kwargs
            )
        except BaseException:
            self._capture.remove(self.app)
            sock.close()
            raise
        host, port = sock.getsockname()[:2]
        self.bound_port = port
        self._bound_host = host
        # No cookie jar: every request stands alone, as with the one-shot client.
        self._session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())

    async def close(self) -> None:
        """Stop gracefully and run the stop listeners (idempotent)."""
        server, self._server = self._server, None
        if server is None:
            return
        await close_all(self._websockets)
        app = self.app
        try:
            await run_listeners(app, "before_server_stop")
        finally:
            try:
                if self._session is not None:
                    await self._session.close()
                    self._session = None
                server.close()
                await self._close_connections(
                    float(app.config.GRACEFUL_SHUTDOWN_TIMEOUT)
                )
                # Bounded: a handler that never returns must not hang the test.
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(server.wait_closed(), self.timeout)
            finally:
                self._capture.remove(app)
        await run_listeners(app, "after_server_stop")

    async def _close_connections(self, grace: float) -> None:
        """Wait (bounded) for the server's side of every connection to close.

        The session is closed, so the server sees each connection end; one
        still answering gets ``grace`` seconds (the app's graceful shutdown
        timeout), then it is aborted, as the server's own shutdown does.
        """
        transports = self._capture.transports
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while any(not t.is_closing() for t in transports) and loop.time() < deadline:
            await asyncio.sleep(_POLL)
        for transport in transports:
            if not transport.is_closing():
                transport.abort()
        transports.clear()
        # connection_lost runs on the next turns of the loop.
        for _ in range(3):
            await asyncio.sleep(0)

    async def request(
        self,
        method: str,
        uri: str = "/",
        *request_args: object,
        gather_request: bool = True,
        **request_kwargs: Any,
    ) -> Any:
        """Send one request to the running server (started on first use).

        Args:
            method: The HTTP method.
            uri: The path (with an optional query) or an absolute URL.
            *request_args: Passed to aiohttp's ``ClientSession.request``.
            gather_request: Return ``(request, response)`` or only the response;
                ``request`` is ``None`` if the server answered without building
                one (a refused request such as 413).
            **request_kwargs: Passed to ``ClientSession.request``.

        Returns:
            ``(request, response)``, or the ``SanicTestResponse`` alone.

        Raises:
            SanicTestClientError: The request failed or timed out.
        """
        if self._session is None:
            await self.start()
        session, port = self._session, self.bound_port
        if session is None or port is None:
            raise RuntimeError("the reusable client is closed")
        tag = str(next(self._tags))
        headers: CIMultiDict[str] = CIMultiDict(request_kwargs.get("headers") or ())
        headers[TAG_HEADER] = tag
        request_kwargs["headers"] = headers
        response = await exchange(
            session,
            method,
            absolute_url(self._bound_host, port, uri),
            self.timeout,
            request_args,
            request_kwargs,
        )
        request = self._capture.seen.pop(tag, None)
        return (request, response) if gather_request else response

    def websocket(
        self,
        uri: str = "/",
        *,
        subprotocols: Sequence[str] | None = None,
        headers: Mapping[str, str] | None = None,
        **ws_kwargs: Any,
    ) -> WebSocketConnect:
        """Open a websocket to ``uri`` on the running server (started on first
        use): ``async with client.websocket("/feed") as ws``.

        Args:
            uri: The path (with an optional query).
            subprotocols: The subprotocols to offer, most preferred first.
            headers: More headers for the opening handshake.
            **ws_kwargs: Passed to aiohttp's ``ClientSession.ws_connect``
                (``max_msg_size``, ``heartbeat``, ``compress``...).

        Returns:
            A :class:`~sanic_testing.WebSocketConnect` giving a
            :class:`~sanic_testing.WebSocketClient`, whose ``request`` is the
            server-side request of the handshake.

        Raises:
            WebSocketRefused: The handshake was answered with another status
                than 101 (on opening).
            SanicTestClientError: The connection failed or timed out.
        """

        async def opening() -> WebSocketClient:
            return await self._open_websocket(uri, subprotocols, headers, ws_kwargs)

        return WebSocketConnect(opening)

    async def _open_websocket(
        self,
        uri: str,
        subprotocols: Sequence[str] | None,
        headers: Mapping[str, str] | None,
        ws_kwargs: dict[str, Any],
        cleanup: Cleanup | None = None,
    ) -> WebSocketClient:
        """Connect a websocket (the server started first); see ``websocket``."""
        if self._session is None:
            await self.start()
        port = self.bound_port
        if port is None:
            raise RuntimeError("the reusable client is closed")
        tag = str(next(self._tags))
        tagged = dict(headers or {})
        tagged[TAG_HEADER] = tag
        try:
            ws = await aiohttp_websocket(
                absolute_url(self._bound_host, port, uri),
                timeout=self.timeout,
                subprotocols=subprotocols,
                headers=tagged,
                cleanup=cleanup,
                **ws_kwargs,
            )
        finally:
            request = self._capture.seen.pop(tag, None)
        ws.request = request
        self._websockets.add(ws)
        return ws
