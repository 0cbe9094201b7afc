"""This framework: ``python ours.py --port P [--workers N]``, access log off.

run.py puts ``bench/http`` on ``PYTHONPATH`` so ``spec`` imports.
"""

from __future__ import annotations

from spec import add_sanic_routes, serve_ours

from sanic import Sanic
from sanic.response import json, text

app = Sanic("bench", load_env=False)
add_sanic_routes(app, text, json)

if __name__ == "__main__":
    serve_ours(app)
