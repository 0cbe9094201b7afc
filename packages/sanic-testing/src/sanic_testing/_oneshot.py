"""``app.test_client``: the guide's one-shot client.

Every call really runs the app: it binds ``127.0.0.1:42101`` (or a free port when
that one is busy, so parallel test processes do not clash), calls ``app.run``
with that socket, and once the server has started (after the app's own
``after_server_start`` listeners) sends one request with aiohttp, then stops the
server with ``app.stop()``. The temporary listener and middleware it adds are
removed afterwards, whatever happened.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import aiohttp

from sanic.testing import HOST, PORT

from ._errors import SanicTestClientError
from ._methods import DEFAULT_TIMEOUT, SyncMethods
from ._response import SanicTestResponse
from ._reusable import AsyncReusableClient
from ._sockets import DEFAULT_BACKLOG, bind_socket
from ._sync import ReusableClient
from ._websocket import BlockingWebSocket, WebSocketClient, WebSocketConnect
from ._wire import RequestCapture, absolute_url, describe, exchange

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from sanic import Sanic

__all__ = ["SanicTestClient"]


class _Outcome:
    """What the request task leaves for the blocking caller."""

    def __init__(self) -> None:
        self.response: SanicTestResponse | None = None
        self.error: BaseException | None = None
        self.task: asyncio.Task[None] | None = None


class SanicTestClient(SyncMethods):
    """Run the app for each request, as the guide's ``app.test_client`` does.

    ``app.test_client`` is one of these, made on first use. ``get``, ``post``,
    ``put``, ``delete``, ``patch``, ``head`` and ``options`` all call
    :meth:`request` with their method.

    Args:
        app: The ``Sanic`` app.
        port: The port to run on (default 42101, ``sanic.testing.PORT``); when it
            is busy a free port is used. ``None`` or ``0``: always a free port.
        host: The address to run on (default ``127.0.0.1``).
        timeout: Seconds the whole exchange may take before the test fails.

    Attributes:
        app: The app under test.
        host: The address the server runs on.
        port: The preferred port.
        timeout: Seconds per exchange.
        last_port: The port the latest request really used (``None`` before).
    """

    def __init__(
        self,
        app: Sanic,
        port: int | None = PORT,
        host: str = HOST,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.timeout = timeout
        self.last_port: int | None = None

    def __repr__(self) -> str:
        return f"<SanicTestClient for {self.app!r}>"

    def request(
        self,
        method: str,
        uri: str = "/",
        *request_args: object,
        gather_request: bool = True,
        debug: bool = False,
        server_kwargs: dict[str, Any] | None = None,
        **request_kwargs: Any,
    ) -> Any:
        """Run the app, send one request, stop the app, return what came back.

        Args:
            method: The HTTP method.
            uri: The path (with an optional query) or an absolute URL.
            *request_args: Passed to aiohttp's ``ClientSession.request``.
            gather_request: Return ``(request, response)`` (default) or only the
                response. ``request`` is the server-side ``Request`` the app
                handled, or ``None`` if the server answered without building one
                (a refused request such as 413).
            debug: Run the server in debug mode.
            server_kwargs: More arguments for ``app.run`` (``host``/``port`` here
                choose where to bind, ``sock`` a socket of your own).
            **request_kwargs: Passed to ``ClientSession.request``: ``params``,
                ``data``, ``json``, ``headers``, ``cookies``, ``timeout``, ...

        Returns:
            ``(request, response)``, or the ``SanicTestResponse`` alone.

        Raises:
            SanicTestClientError: The request failed, timed out, or the server
                stopped before answering.
        """
        app = self.app
        run_kwargs: dict[str, Any] = {"register_sys_signals": False}
        run_kwargs.update(server_kwargs or {})
        host = run_kwargs.pop("host", self.host)
        port = run_kwargs.pop("port", self.port)
        sock = run_kwargs.pop("sock", None)
        own_sock = sock is None
        if sock is None:
            sock = bind_socket(host, port, run_kwargs.get("backlog", DEFAULT_BACKLOG))
        bound = sock.getsockname()
        self.last_port = bound[1]
        url = absolute_url(bound[0], bound[1], uri)
        outcome = _Outcome()
        capture = RequestCapture()

        async def send(_app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
            # A task, so the listener returns and the server runs its loop.
            outcome.task = loop.create_task(
                self._send(outcome, method, url, request_args, request_kwargs)
            )

        listeners = app.listeners["after_server_start"]
        capture.install(app)
        listeners.append(send)
        try:
            app.run(sock=sock, debug=debug, **run_kwargs)
        finally:
            while send in listeners:
                listeners.remove(send)
            capture.remove(app)
            if own_sock:
                sock.close()
        if outcome.error is not None:
            if isinstance(outcome.error, SanicTestClientError | TypeError):
                raise outcome.error
            reason = describe(outcome.error)
            raise SanicTestClientError(method, url, reason) from outcome.error
        if outcome.response is None:
            raise SanicTestClientError(
                method, url, "the server stopped before the response arrived"
            )
        if gather_request:
            return capture.seen.get(None), outcome.response
        return outcome.response

    def websocket(
        self,
        uri: str = "/",
        *,
        subprotocols: Sequence[str] | None = None,
        headers: Mapping[str, str] | None = None,
        debug: bool = False,
        server_kwargs: dict[str, Any] | None = None,
        **ws_kwargs: Any,
    ) -> WebSocketConnect:
        """Run the app for one websocket connection.

        In a test with a running event loop, ``async with
        app.test_client.websocket("/feed") as ws: await ws.send("hi"); assert
        await ws.receive() == "hi"`` (or ``await`` it): the server runs in that
        loop. In a plain test, ``with app.test_client.websocket("/feed") as ws:
        ws.send("hi"); assert ws.receive() == "hi"``: a
        :class:`~sanic_testing.BlockingWebSocket`, the server on a loop of its
        own (as the blocking ``ReusableClient``'s). The server starts (start
        listeners run) when the block is entered and stops (stop listeners run)
        when it ends, after the websocket has closed; ``last_port`` is where it
        listened.

        Args:
            uri: The path (with an optional query).
            subprotocols: The subprotocols to offer, most preferred first.
            headers: More headers for the opening handshake.
            debug: Run the server in debug mode.
            server_kwargs: More arguments for ``app.create_server``.
            **ws_kwargs: Passed to aiohttp's ``ClientSession.ws_connect``.

        Returns:
            A :class:`~sanic_testing.WebSocketConnect` (``async with`` or
            ``await``) giving a :class:`~sanic_testing.WebSocketClient`, which
            is also a context manager (``with``) giving a
            :class:`~sanic_testing.BlockingWebSocket`.

        Raises:
            WebSocketRefused: The handshake was answered with another status
                than 101 (on opening; the server has stopped again).
            SanicTestClientError: The connection failed or timed out.
        """

        async def opening() -> WebSocketClient:
            server = AsyncReusableClient(
                self.app,
                self.host,
                self.port,
                timeout=self.timeout,
                debug=debug,
                server_kwargs=server_kwargs,
            )
            try:
                await server.start()
            except BaseException:
                await server.close()
                raise
            self.last_port = server.bound_port
            return await server._open_websocket(
                uri, subprotocols, headers, ws_kwargs, cleanup=server.close
            )

        def blocking() -> tuple[BlockingWebSocket, Callable[[], None]]:
            client = ReusableClient(
                self.app,
                self.host,
                self.port,
                timeout=self.timeout,
                debug=debug,
                server_kwargs=server_kwargs,
            )
            try:
                client.start()
                self.last_port = client.port
                ws = client.websocket(
                    uri, subprotocols=subprotocols, headers=headers, **ws_kwargs
                )
            except BaseException:
                client.close()
                raise
            return ws, client.close

        return _OneShotConnect(opening, blocking)

    async def _send(
        self,
        outcome: _Outcome,
        method: str,
        url: str,
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> None:
        try:
            async with aiohttp.ClientSession() as session:
                outcome.response = await exchange(
                    session, method, url, self.timeout, args, dict(kwargs)
                )
        except BaseException as exc:
            outcome.error = exc
            if not isinstance(exc, Exception):
                raise
        finally:
            self.app.stop()


class _OneShotConnect(WebSocketConnect):
    """``app.test_client.websocket(uri)``: ``async with`` (the running loop)
    or ``with`` (a server on a loop of its own, for a plain test)."""

    def __init__(
        self,
        opening: Callable[[], Any],
        blocking: Callable[[], tuple[BlockingWebSocket, Callable[[], None]]],
    ) -> None:
        super().__init__(opening)
        self._blocking = blocking
        self._stop: Callable[[], None] | None = None
        self._blocking_ws: BlockingWebSocket | None = None

    def __enter__(self) -> BlockingWebSocket:
        ws, self._stop = self._blocking()
        self._blocking_ws = ws
        return ws

    def __exit__(self, *exc_info: object) -> None:
        ws, self._blocking_ws = self._blocking_ws, None
        stop, self._stop = self._stop, None
        try:
            if ws is not None:
                ws.close()
        finally:
            if stop is not None:
                stop()
