"""The battery's app: its limits and routes, defined once.

``server.py`` serves them on this framework and ``bench/hardening/peer_sanic.py``
on Sanic 25.12 (both frameworks take the same ``sanic`` names used here). This module
is imported by file location, not as part of the ``hardening`` package, so the
peer's virtualenv needs nothing but Sanic.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from sanic.response import raw, redirect, text

#: The limits every server under test runs with (seconds and bytes).
LIMITS = {
    "REQUEST_TIMEOUT": 1,
    "KEEP_ALIVE_TIMEOUT": 1,
    "REQUEST_MAX_SIZE": 1 << 20,
    "GRACEFUL_SHUTDOWN_TIMEOUT": 5,
    "ACCESS_LOG": False,
}


def install(app: Any, site: Path) -> None:
    """Configure ``app`` with :data:`LIMITS` and add the battery's routes.

    Args:
        app: A ``Sanic`` application (this framework's or Sanic's).
        site: The directory made by ``make_site``; its ``public/`` is ``/static``.
    """
    for key, value in LIMITS.items():
        setattr(app.config, key, value)
    app.static("/static", site / "public")

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
