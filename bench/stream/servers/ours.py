"""This framework: ``python ours.py --port P``, access log off.

``spec`` (the command line) comes from ``bench/http`` on ``PYTHONPATH``;
``upload_app`` from this folder.
"""

from __future__ import annotations

from spec import serve_ours
from upload_app import add_upload_routes

from sanic import Sanic
from sanic.response import text

app = Sanic("bench_stream", load_env=False)
add_upload_routes(app, text)

if __name__ == "__main__":
    serve_ours(app)
