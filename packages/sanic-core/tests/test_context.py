"""``app.ctx``, ``Blueprint.ctx`` and ``request.ctx``/``request.id`` over a real
server, and through the ASGI adapter (the same request class)."""

from __future__ import annotations

import asyncio
import json as stdlib_json
import re
from types import SimpleNamespace
from typing import Any

from sanic import Blueprint, Request, Sanic, json


def _context_app() -> Sanic:
    app = Sanic("context")
    blueprint = Blueprint("ctx_bp")
    blueprint.ctx.label = "from the blueprint"

    @app.before_server_start
    async def connect(app: Sanic, loop: Any) -> None:
        app.ctx.db = {"users": 1}

    @app.on_request
    async def who(request: Request) -> None:
        request.ctx.user = request.headers.get("X-User", "anonymous")

    @blueprint.get("/state")
    async def state(request: Request) -> Any:
        return json(
            {
                "db": request.app.ctx.db,
                "user": request.ctx.user,
                "label": blueprint.ctx.label,
                "id": request.id,
                "item": request.get("item"),  # the guide's storage is apart
            }
        )

    app.blueprint(blueprint)
    return app


def test_app_blueprint_and_request_ctx_are_namespaces() -> None:
    app, blueprint = Sanic("ctx_types"), Blueprint("ctx_types_bp")
    assert isinstance(app.ctx, SimpleNamespace) and vars(app.ctx) == {}
    assert isinstance(blueprint.ctx, SimpleNamespace) and vars(blueprint.ctx) == {}
    assert Sanic("other").ctx is not app.ctx


def test_ctx_over_a_real_server(serve: Any) -> None:
    with serve(_context_app()) as server:
        first = server.get("/state", headers={"X-User": "ann", "X-Request-ID": "r-1"})
        second = server.get("/state")
    assert first.json == {
        "db": {"users": 1},
        "user": "ann",
        "label": "from the blueprint",
        "id": "r-1",
        "item": None,
    }
    assert second.json["user"] == "anonymous"  # a new namespace per request
    assert re.fullmatch(r"[0-9a-f]{32}", second.json["id"])


def test_ctx_and_id_through_asgi() -> None:
    app = _context_app()
    messages: list[dict[str, Any]] = []

    async def run() -> None:
        lifespan = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
        started, served = asyncio.Event(), asyncio.Event()

        async def life_receive() -> dict[str, Any]:
            if len(lifespan) == 1:
                await served.wait()
            return lifespan.pop(0)

        async def life_send(message: dict[str, Any]) -> None:
            if message["type"] == "lifespan.startup.complete":
                started.set()

        life = asyncio.ensure_future(app({"type": "lifespan"}, life_receive, life_send))
        await asyncio.wait_for(started.wait(), 10)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/state",
            "raw_path": b"/state",
            "query_string": b"",
            "headers": [(b"host", b"x"), (b"x-user", b"bob"), (b"x-request-id", b"a1")],
            "client": ("10.0.0.7", 51000),
            "server": ("127.0.0.1", 8000),
        }

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        await asyncio.wait_for(app(scope, receive, send), 10)
        served.set()
        await asyncio.wait_for(life, 10)

    asyncio.run(run())
    assert messages[0]["status"] == 200
    body = b"".join(m.get("body", b"") for m in messages[1:])
    assert stdlib_json.loads(body) == {
        "db": {"users": 1},
        "user": "bob",
        "label": "from the blueprint",
        "id": "a1",
        "item": None,
    }
