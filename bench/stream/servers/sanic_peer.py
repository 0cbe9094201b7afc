"""Sanic 25.12, in its own virtualenv: ``python sanic_peer.py --port P``.

``spec`` (the command line) comes from ``bench/http`` on ``PYTHONPATH``;
``upload_app`` from this folder.
"""

from __future__ import annotations

from spec import server_args
from upload_app import add_upload_routes

from sanic import Sanic
from sanic.response import text

app = Sanic("bench_stream")
add_upload_routes(app, text)

if __name__ == "__main__":
    args = server_args()
    app.run(
        host="127.0.0.1",
        port=args.port,
        access_log=False,
        motd=False,
        single_process=True,
    )
