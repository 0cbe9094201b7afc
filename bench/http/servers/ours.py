"""This framework: ``python ours.py --port P [--workers N]``, access log off.

run.py puts ``bench/http`` on ``PYTHONPATH`` so ``spec`` imports.
"""

from __future__ import annotations

from spec import add_sanic_routes, server_args

from sanic import Sanic
from sanic.response import json, text

app = Sanic("bench", load_env=False)
add_sanic_routes(app, text, json)

if __name__ == "__main__":
    args = server_args()
    app.run(host="127.0.0.1", port=args.port, workers=args.workers, access_log=False)
