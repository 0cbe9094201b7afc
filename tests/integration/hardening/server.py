"""The battery's app on this framework: ``PORT=8000 SITE=dir python server.py``.

``SANIC_NO_UVLOOP=1`` selects plain asyncio. The same routes are served by the
peers' scripts in bench/hardening/.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from sanic import Sanic
from sanic.response import raw, redirect, text

app = Sanic("hardening", load_env=False)
app.config.update(
    REQUEST_TIMEOUT=1,
    KEEP_ALIVE_TIMEOUT=1,
    REQUEST_MAX_SIZE=1 << 20,
    GRACEFUL_SHUTDOWN_TIMEOUT=5,
    ACCESS_LOG=False,
)
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
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
