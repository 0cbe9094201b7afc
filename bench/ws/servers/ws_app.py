"""The websocket echo every Sanic-API server of bench/ws serves.

Standard library only (plus ``websockets``, which both virtualenvs have): the
scripts import it from their own virtualenvs (a script's own folder is on
``sys.path``). ``bench/ws/servers/starlette_peer.py`` serves the same two
routes with Starlette's API.
"""

from __future__ import annotations

from typing import Any

from websockets.exceptions import ConnectionClosed

__all__ = ["ECHO_PATH", "add_ws_routes"]

ECHO_PATH = "/echo"


def add_ws_routes(app: Any, text: Any) -> None:
    """Register ``GET /`` (readiness) and the websocket echo at ``ECHO_PATH``.

    The handler is the one the Sanic guide shows: ``async for`` over the
    messages, each sent straight back (text as text, binary as binary).

    Args:
        app: The application (this framework's or Sanic 25.12's).
        text: Its ``response.text``.
    """

    async def index(request: Any) -> Any:
        return text("ok")

    async def echo(request: Any, ws: Any) -> None:
        try:
            async for message in ws:
                await ws.send(message)
        except ConnectionClosed:
            pass

    app.add_route(index, "/", methods=["GET"])
    app.add_websocket_route(echo, ECHO_PATH)
