"""uvicorn + Starlette, in their own virtualenv: ``python starlette_peer.py --port P``.

The same two routes as ``ws_app.py`` with Starlette's API: ``GET /`` answers
``ok``, the websocket at ``ECHO_PATH`` sends every message back (text as text,
binary as binary). uvicorn picks its websocket implementation itself
(``ws="auto"``); the report names the one it took.
"""

from __future__ import annotations

import uvicorn
from spec import server_args
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from ws_app import ECHO_PATH


async def index(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await websocket.send_text(message["text"])
        else:
            await websocket.send_bytes(message["bytes"])


app = Starlette(routes=[Route("/", index), WebSocketRoute(ECHO_PATH, echo)])

if __name__ == "__main__":
    args = server_args()
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        lifespan="off",
    )
