"""The battery's app on Sanic 25.12 (run by the peer venv's interpreter).

``PORT=8000 SITE=dir python peer_sanic.py``; the same routes and limits as
tests/integration/hardening/server.py.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from sanic import Sanic
from sanic.response import raw, redirect, text

app = Sanic("hardening_peer")
app.config.REQUEST_TIMEOUT = 1
app.config.KEEP_ALIVE_TIMEOUT = 1
app.config.REQUEST_MAX_SIZE = 1 << 20
app.config.GRACEFUL_SHUTDOWN_TIMEOUT = 5
app.static("/static", Path(os.environ["SITE"]) / "public")


@app.route("/")
async def index(request: Any) -> Any:
    return text("ok")


@app.route("/echo", methods=["GET", "POST"])
async def echo(request: Any) -> Any:
    return raw(request.body)


@app.route("/id/<ident>")
async def ident(request: Any, ident: str) -> Any:
    return text(f"id {ident}")


@app.route("/show")
async def show(request: Any) -> Any:
    return text(json.dumps(request.headers.get(request.args.get("h", ""))))


@app.route("/slow")
async def slow(request: Any) -> Any:
    print("SLOW-STARTED", flush=True)
    await asyncio.sleep(float(request.args.get("s", "0.5")))
    return text("slow done")


@app.route("/raise")
async def fail(request: Any) -> Any:
    raise RuntimeError("secret-detail-31337")


@app.route("/header")
async def header(request: Any) -> Any:
    return text("set", headers={"X-Echo": request.args.get("v", "")})


@app.route("/redirect")
async def go(request: Any) -> Any:
    return redirect(request.args.get("to", "/"))


@app.route("/form", methods=["POST"])
async def form(request: Any) -> Any:
    return text(str(len(request.form) + len(request.files)))


@app.route("/json", methods=["POST"])
async def body_json(request: Any) -> Any:
    return text(type(request.json).__name__)


if __name__ == "__main__":
    app.run(
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        single_process=True,
        access_log=False,
        motd=False,
    )
