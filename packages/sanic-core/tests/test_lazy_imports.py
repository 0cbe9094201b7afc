"""Startup time: ``import sanic`` and an app of plain routes leave out what only
some apps use: the ``websockets`` library (until a websocket route), and
``multiprocessing`` (until a server with workers starts)."""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import sys
from sanic import Sanic
from sanic.response import text
import sanic.exceptions, sanic.asgi, sanic_http

app = Sanic("no_ws")

@app.route("/")
async def index(request):
    return text("hi")

assert "websockets" not in sys.modules, "loaded without a websocket route"
assert "multiprocessing" not in sys.modules, "loaded without workers"

@app.websocket("/feed")
async def feed(request, ws):
    pass

assert "websockets" in sys.modules
from sanic.exceptions import WebSocketConnectionClosed
from sanic_http import ConnectionClosed, WebSocket, connection_closed
from websockets.exceptions import ConnectionClosed as Original

assert WebSocketConnectionClosed is ConnectionClosed is Original
assert sanic.exceptions.WebSocketConnectionClosed is Original
print("ok")
"""


def test_websockets_is_imported_by_the_first_websocket_route() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    import sanic.exceptions
    import sanic_http

    for module in (sanic.exceptions, sanic_http):
        try:
            module.NoSuchName  # type: ignore[attr-defined]
        except AttributeError as exc:
            assert "NoSuchName" in str(exc)
        else:  # pragma: no cover
            raise AssertionError(f"{module.__name__}.NoSuchName exists")
