"""This framework's Autobahn echo app: ``@app.websocket`` sending every message back.

``python echo_app.py --port P [--max-size N] [--no-deflate]`` serves
``ws://127.0.0.1:P/``. The handler is what a user writes; the cases need larger
messages than the default ``WEBSOCKET_MAX_SIZE`` allows (up to 16 MiB in case
9), and no keep-alive pings, whose frames a case does not expect.
"""

from __future__ import annotations

import argparse
from typing import Any

from sanic import Sanic
from sanic.exceptions import WebSocketConnectionClosed

app = Sanic("autobahn_echo", load_env=False)
app.config.WEBSOCKET_PING_INTERVAL = None


@app.websocket("/")
async def echo(request: Any, ws: Any) -> None:
    """Send every message back until the peer closes.

    A protocol error the peer commits ends ``async for`` with
    ``WebSocketConnectionClosed`` (the ``websockets`` library's
    ``ConnectionClosedError``); the close code has been chosen and sent by
    then, so there is nothing to log.
    """
    try:
        async for message in ws:
            await ws.send(message)
    except WebSocketConnectionClosed:
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-size", type=int, default=16 << 20)
    parser.add_argument("--no-deflate", action="store_true")
    args = parser.parse_args()
    app.config.WEBSOCKET_MAX_SIZE = args.max_size
    app.config.WEBSOCKET_PER_MESSAGE_DEFLATE = not args.no_deflate
    app.run(host="127.0.0.1", port=args.port, access_log=False)
