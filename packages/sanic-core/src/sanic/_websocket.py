"""WebSocket routes: ``@app.websocket`` on top of sanic-http's websocket wire.

A websocket route is a ``GET`` route registered with ``upgrade="websocket"``
whose handler is a wrapper made here, once, at registration. For each request
the wrapper calls sanic-http's ``websocket_handshake`` with the user's
``handler(request, ws, **route_parameters)``: a valid opening handshake is
answered ``101`` and the connection handed to the websocket protocol, which runs
the handler; anything else gets a plain HTTP answer (``426`` for a request that
did not ask to upgrade, ``400`` for a bad handshake). Over ASGI (the request's
transport is a :class:`~sanic.asgi.WebSocketTransport`) the ASGI server has done
the handshake: the wrapper accepts through the transport instead, and the
handler gets the same ``ws`` API over ASGI messages. The route goes through
``handle_request`` like any other, so request middleware runs first and may
refuse the handshake with a response of its own.

An exception in the handler happens after the ``101``: the connection closes
with ``1011`` and :func:`report_error` logs it with the route, then calls the
app's exception handler for it (``@app.exception``) for its side effects only.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Iterable
from inspect import isawaitable
from typing import TYPE_CHECKING, Any, cast

from sanic_http import HTTPResponse

from .asgi import WebSocketTransport
from .log import error_logger

if TYPE_CHECKING:
    from sanic_http import WebSocket

    from .app import Sanic
    from .request import Request

__all__ = ["WEBSOCKET", "websocket_handler", "websocket_scheme"]

#: The ``Upgrade`` token of a websocket route (RFC 6455 section 4.1).
WEBSOCKET = "websocket"

#: The websocket scheme for each HTTP scheme, and back.
_TO_WS = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}
_TO_HTTP = {"ws": "http", "wss": "https"}

#: Exception-handler tasks still running (a strong reference until done).
_pending: set[asyncio.Task[object]] = set()


def websocket_handler(
    handler: Callable[..., object],
    subprotocols: Iterable[str] | None,
) -> Callable[..., Awaitable[HTTPResponse]]:
    """Wrap ``handler(request, ws, **kwargs)`` as a route handler.

    Args:
        handler: The user's websocket handler.
        subprotocols: The subprotocols the route accepts, in order of
            preference (None: the client's offer is ignored).

    Returns:
        ``async route(request, **kwargs)``, answering the opening handshake.
        It carries the handler's name and docstring.

    Raises:
        TypeError: ``subprotocols`` is a string, not a sequence of them.
    """
    if isinstance(subprotocols, str):
        raise TypeError("subprotocols takes a list of names, not a string")
    accepted = tuple(subprotocols) if subprotocols is not None else None
    # Imported here, when a websocket route is made: an app without one never
    # loads the ``websockets`` library.
    from sanic_http import websocket_handshake

    async def route(request: Request, **kwargs: Any) -> HTTPResponse:
        app: Sanic = request.app

        def run(ws: WebSocket) -> Awaitable[object]:
            return cast("Awaitable[object]", handler(request, ws, **kwargs))

        def on_error(exc: BaseException) -> None:
            report_error(app, request, exc)

        transport: object = request.transport
        if isinstance(transport, WebSocketTransport):
            # Over ASGI: the server did the handshake; accepted by the adapter.
            return transport.accept(run, accepted, on_error)
        return websocket_handshake(
            request,
            run,
            settings=app._websocket_settings(),
            subprotocols=accepted,
            on_error=on_error,
        )

    functools.update_wrapper(route, handler)
    return route


def report_error(app: Sanic, request: Request, exc: BaseException) -> None:
    """An exception ended a websocket handler (its connection closes ``1011``).

    Logs it with its route, then calls the app's exception handler for it, if
    one is registered, for its side effects (a ``101`` has been sent: what it
    returns is not written). A handler that fails is logged too.
    """
    error_logger.error(
        "Exception in websocket handler %s (%s)",
        request.endpoint or request.path,
        request.path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    handler = app.error_handler.lookup(exc)
    if handler is None:
        return
    try:
        result = handler(request, exc)
    except Exception as failure:
        app.error_handler.log(failure)
        return
    if isawaitable(result):
        task: asyncio.Task[object] = asyncio.ensure_future(_settle(app, result))
        _pending.add(task)
        task.add_done_callback(_pending.discard)


async def _settle(app: Sanic, result: Awaitable[object]) -> object:
    """Await an async exception handler's result; log its failure."""
    try:
        return await result
    except Exception as failure:
        app.error_handler.log(failure)
        return None


def websocket_scheme(
    websocket: bool, scheme: str | None, server: str | None
) -> str | None:
    """The scheme of an external URL: ``ws``/``wss`` for a websocket route.

    ``scheme`` (``_scheme``) or else the one ``server`` is written with
    (``http://host``) is mapped to its websocket counterpart for a websocket
    route (``ws`` when none is given), and back to ``http``/``https`` for any
    other route (``request.url_for`` on a websocket request passes ``ws``).
    None: leave the URL as the router builds it.
    """
    given = scheme
    if given is None and server is not None:
        head, sep, _ = server.partition("://")
        given = head.lower() if sep else None
    if websocket:
        return _TO_WS.get(given, given) if given else "ws"
    if given is None:
        return None
    return _TO_HTTP.get(given, given)
