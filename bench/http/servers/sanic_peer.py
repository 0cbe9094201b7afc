"""Sanic 25.12, in its own virtualenv: ``python sanic_peer.py --port P [--workers N]``.

run.py puts ``bench/http`` on ``PYTHONPATH`` so ``spec`` imports.
"""

from __future__ import annotations

from spec import add_sanic_routes, server_args

from sanic import Sanic
from sanic.response import json, text

app = Sanic("bench")
add_sanic_routes(app, text, json)

if __name__ == "__main__":
    args = server_args()
    # Sanic 25's own one-process mode for one worker; its worker manager otherwise.
    options = {"single_process": True} if args.workers == 1 else {}
    app.run(
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        access_log=False,
        motd=False,
        **options,
    )
