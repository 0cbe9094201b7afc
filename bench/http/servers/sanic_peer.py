"""Sanic 25.12, in its own virtualenv: ``python sanic_peer.py --port P [--workers N]``.

run.py puts ``bench/http`` on ``PYTHONPATH`` so ``spec`` imports.
"""

from __future__ import annotations

from spec import add_sanic_routes, serve_sanic_peer

from sanic import Sanic
from sanic.response import json, text

app = Sanic("bench")
add_sanic_routes(app, text, json)

if __name__ == "__main__":
    serve_sanic_peer(app)
