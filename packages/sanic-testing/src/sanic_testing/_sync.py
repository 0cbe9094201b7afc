"""Blocking forms of the async clients: each owns an event loop.

``ReusableClient`` and ``InProcessClient`` wrap their async counterparts and run
every call to completion on a private loop (``run_until_complete``), created on
first use and closed (after cancelling what is left) by ``close()`` or leaving
the ``with`` block. The loop is a plain asyncio loop even where the server would
use uvloop: a blocking call is one run of the loop, and a run of a uvloop loop
costs more than one of asyncio's (measured again with the in-process client on
the real protocol: 2,000 GETs took 147 us each on uvloop, 101 us on asyncio).
Callbacks and tasks the app schedules without awaiting them run on the client's
next call, as on a server they run between requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from sanic.testing import HOST, PORT

from ._inprocess import AsyncInProcessClient
from ._methods import DEFAULT_TIMEOUT, SyncMethods
from ._reusable import AsyncReusableClient
from ._websocket import BlockingWebSocket, WebSocketClient, WebSocketConnect

if TYPE_CHECKING:
    from sanic import Sanic

__all__ = ["InProcessClient", "ReusableClient"]

T = TypeVar("T")
Client = TypeVar("Client", bound="_BlockingClient")


class _BlockingClient(SyncMethods):
    """Runs an async client's coroutines on a loop of its own."""

    _inner: AsyncReusableClient | AsyncInProcessClient

    _loop: asyncio.AbstractEventLoop | None = None

    def _run(self, coroutine: Coroutine[object, object, T]) -> T:
        """Run ``coroutine`` to its end on the client's loop.

        Raises:
            RuntimeError: Called while an event loop runs in this thread, or
                the app stopped the loop before the call was done.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            coroutine.close()
            raise RuntimeError(
                "a blocking client cannot run inside a running event loop; "
                "use the async client there"
            )
        loop = self._loop
        if loop is None:
            loop = self._loop = asyncio.new_event_loop()
        task = loop.create_task(coroutine)
        try:
            return loop.run_until_complete(task)
        except RuntimeError:
            if task.done():
                raise
            raise RuntimeError(
                "the event loop was stopped before the call ended"
            ) from None

    def __enter__(self: Client) -> Client:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def app(self) -> Sanic:
        """The app under test."""
        return self._inner.app

    def start(self) -> None:
        """Start the client (run the start listeners); requests also do this."""
        self._run(self._inner.start())

    def close(self) -> None:
        """Stop the client (stop listeners run) and close its loop."""
        loop = self._loop
        if loop is None:
            return
        try:
            loop.run_until_complete(self._inner.close())
        finally:
            self._loop = None
            try:
                pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
                for task in pending:
                    task.cancel()
                if pending:
                    loop.run_until_complete(
                        asyncio.gather(*pending, return_exceptions=True)
                    )
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()

    def request(self, method: str, uri: str = "/", *args: object, **kwargs: Any) -> Any:
        """Send one request and wait for it; see the async client's ``request``."""
        return self._run(self._inner.request(method, uri, *args, **kwargs))

    def websocket(self, uri: str = "/", **kwargs: Any) -> BlockingWebSocket:
        """Open a websocket: ``with client.websocket("/feed") as ws:
        ws.send("hi"); ws.receive()``. Takes the async client's ``websocket``
        arguments; each call of the result runs on this client's loop.

        Raises:
            WebSocketRefused: The handshake was answered with another status
                than 101.
        """
        connect = self._inner.websocket(uri, **kwargs)
        return BlockingWebSocket(self._run, self._run(_opened(connect)))


async def _opened(connect: WebSocketConnect) -> WebSocketClient:
    return await connect


class ReusableClient(_BlockingClient):
    """Start the server once, send many requests: a blocking context manager.

    ``with ReusableClient(app) as client: request, response = client.get("/")``.
    Takes the arguments of :class:`AsyncReusableClient`.
    """

    _inner: AsyncReusableClient

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
        self._inner = AsyncReusableClient(
            app,
            host,
            port,
            timeout=timeout,
            debug=debug,
            server_kwargs=server_kwargs,
        )

    @property
    def port(self) -> int | None:
        """The port the server listens on once started."""
        return self._inner.bound_port


class InProcessClient(_BlockingClient):
    """Drive the app without a socket: a blocking context manager.

    ``with InProcessClient(app) as client: request, response = client.get("/")``.
    Takes the arguments of :class:`AsyncInProcessClient`.
    """

    _inner: AsyncInProcessClient

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
        self._inner = AsyncInProcessClient(
            app, host, port, timeout=timeout, debug=debug, server_kwargs=server_kwargs
        )

    @property
    def port(self) -> int:
        """The port requests appear to be sent to (there is no socket)."""
        return self._inner.port
