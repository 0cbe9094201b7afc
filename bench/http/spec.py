"""What every benchmarked server serves: the same endpoints, routes and bodies.

Standard library only: the server scripts import it from their own virtualenvs.
"""

from __future__ import annotations

import argparse
import json
import urllib.request
from typing import Any

__all__ = [
    "ECHO_BODY",
    "ENDPOINTS",
    "FILLER_ROUTES",
    "JSON_BODY",
    "TEXT_BODY",
    "add_sanic_routes",
    "check_hello",
    "serve_ours",
    "serve_sanic_peer",
    "server_args",
    "user_text",
]

TEXT_BODY = "Hello, World!"
JSON_BODY = {"message": "Hello, World!", "count": 42, "ok": True}


def user_text(user_id: int, slug: str) -> str:
    """The body of the dynamic route."""
    return f"user {user_id} post {slug}"


# About 1 KiB of JSON: 17 objects of a few fields.
ECHO_BODY = json.dumps(
    {
        "items": [
            {"id": i, "name": f"item-{i:03d}", "price": i * 1.25, "tags": ["a", "b"]}
            for i in range(17)
        ],
        "total": 17,
    },
    separators=(",", ":"),
)

# (path, wrk script or None) by endpoint name; the paths are identical on every row.
ENDPOINTS: dict[str, tuple[str, str | None]] = {
    "GET /": ("/", None),
    "GET /json": ("/json", None),
    "GET /user/<id:int>/post/<slug>": ("/user/12345/post/hello-world", None),
    "POST /echo": ("/echo", "echo.lua"),
}


def _filler() -> list[tuple[str, list[tuple[str, str]]]]:
    """About 100 routes registered before the benchmarked ones.

    Returns:
        (template with ``<name>``/``<name:int>`` parts, [(name, kind)]) pairs;
        kind is ``"int"`` or ``"str"``.
    """
    routes: list[tuple[str, list[tuple[str, str]]]] = []
    for i in range(40):
        routes.append((f"/static/page{i}", []))
    for i in range(20):
        routes.append((f"/api/v{i}/items/<item_id:int>", [("item_id", "int")]))
    for i in range(20):
        routes.append((f"/blog/{i}/<slug>/comments", [("slug", "str")]))
    for i in range(20):
        # Same shape as the benchmarked route, other literal text.
        routes.append(
            (f"/member{i}/<uid:int>/entry/<name>", [("uid", "int"), ("name", "str")])
        )
    return routes


FILLER_ROUTES = _filler()


def server_args() -> argparse.Namespace:
    """The command line every server script takes: ``--port`` and ``--workers``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    return parser.parse_args()


def check_hello(base: str) -> None:
    """Refuse to time a server whose ``GET /`` and ``GET /json`` answers are not
    the benchmark's (SystemExit); OSError while it is not listening yet."""
    for path in ("/", "/json"):
        with urllib.request.urlopen(base + path, timeout=5) as reply:
            data = reply.read()
            status = reply.status
        ok = (
            data == TEXT_BODY.encode() if path == "/" else json.loads(data) == JSON_BODY
        )
        if status != 200 or not ok:
            raise SystemExit(f"{base}{path}: got {status} {data[:200]!r}")


def serve_ours(app: Any) -> None:
    """Serve this framework's ``app`` as every benchmark does: the port and
    worker count from :func:`server_args`, access log off."""
    args = server_args()
    app.run(host="127.0.0.1", port=args.port, workers=args.workers, access_log=False)


def serve_sanic_peer(app: Any) -> None:
    """Serve a Sanic 25.12 ``app`` as every benchmark does: its own one-process
    mode for one worker (its worker manager otherwise), access log and banner off."""
    args = server_args()
    options = {"single_process": True} if args.workers == 1 else {}
    app.run(
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        access_log=False,
        motd=False,
        **options,
    )


def add_sanic_routes(app: Any, text: Any, json: Any) -> None:
    """Register the benchmark on an app with Sanic's API (ours and Sanic 25.12).

    Args:
        app: The application.
        text: Its ``response.text``.
        json: Its ``response.json``.
    """

    async def filler(request: Any, **params: Any) -> Any:
        return text("filler")

    for number, (template, _) in enumerate(FILLER_ROUTES):
        app.add_route(filler, template, name=f"filler{number}")

    async def index(request: Any) -> Any:
        return text(TEXT_BODY)

    async def json_endpoint(request: Any) -> Any:
        return json(JSON_BODY)

    async def user_post(request: Any, user_id: int, slug: str) -> Any:
        return text(user_text(user_id, slug))

    async def echo(request: Any) -> Any:
        return json(request.json)

    app.add_route(index, "/", methods=["GET"])
    app.add_route(json_endpoint, "/json", methods=["GET"])
    app.add_route(user_post, "/user/<user_id:int>/post/<slug>", methods=["GET"])
    app.add_route(echo, "/echo", methods=["POST"])
