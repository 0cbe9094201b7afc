"""This framework: ``python ours.py --port P``, access log off, default settings.

``spec`` (the command line) comes from ``bench/http`` on ``PYTHONPATH``;
``ws_app`` from this folder.
"""

from __future__ import annotations

from spec import serve_ours
from ws_app import add_ws_routes

from sanic import Sanic
from sanic.response import text

app = Sanic("bench_ws", load_env=False)
add_ws_routes(app, text)

if __name__ == "__main__":
    serve_ours(app)
