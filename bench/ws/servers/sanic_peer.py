"""Sanic 25.12, in its own virtualenv: ``python sanic_peer.py --port P``.

``spec`` (the command line) comes from ``bench/http`` on ``PYTHONPATH``;
``ws_app`` from this folder.
"""

from __future__ import annotations

from spec import serve_sanic_peer
from ws_app import add_ws_routes

from sanic import Sanic
from sanic.response import text

app = Sanic("bench_ws")
add_ws_routes(app, text)

if __name__ == "__main__":
    serve_sanic_peer(app)
