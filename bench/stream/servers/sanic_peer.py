"""Sanic 25.12, in its own virtualenv: ``python sanic_peer.py --port P``.

``spec`` (the command line) comes from ``bench/http`` on ``PYTHONPATH``;
``upload_app`` from this folder.
"""

from __future__ import annotations

from spec import serve_sanic_peer
from upload_app import add_upload_routes

from sanic import Sanic
from sanic.response import text

app = Sanic("bench_stream")
add_upload_routes(app, text)

if __name__ == "__main__":
    serve_sanic_peer(app)
