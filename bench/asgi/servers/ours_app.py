"""This framework as an ASGI application: ``uvicorn ours_app:app``.

The HTTP benchmark's app (bench/http/spec.py: about 100 filler routes before the
benchmarked ones); run.py puts ``bench/http`` on ``PYTHONPATH`` so ``spec``
imports.
"""

from __future__ import annotations

from spec import add_sanic_routes

from sanic import Sanic
from sanic.response import json, text

app = Sanic("bench_asgi", load_env=False)
add_sanic_routes(app, text, json)
