"""Sanic 25.12, in its own virtualenv: ``python sanic_peer.py --port P``.

``spec`` (the command line) comes from ``bench/http`` on ``PYTHONPATH``;
``ws_app`` from this folder.
"""

from __future__ import annotations

from spec import server_args
from ws_app import add_ws_routes

from sanic import Sanic
from sanic.response import text

app = Sanic("bench_ws")
add_ws_routes(app, text)

if __name__ == "__main__":
    args = server_args()
    app.run(
        host="127.0.0.1",
        port=args.port,
        access_log=False,
        motd=False,
        single_process=True,
    )
