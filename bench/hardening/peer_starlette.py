"""The battery's app on uvicorn+Starlette (run by a venv that has both).

``PORT=8000 SITE=dir python peer_starlette.py``; the same routes as
tests/integration/hardening/server.py, written the way Starlette's documentation
shows, with uvicorn's 1 s keep-alive timeout (it has no request timeout or body
limit of its own).
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles


async def index(request: Any) -> Any:
    return PlainTextResponse("ok")


async def echo(request: Any) -> Any:
    return Response(await request.body())


async def ident(request: Any) -> Any:
    return PlainTextResponse(f"id {request.path_params['ident']}")


async def show(request: Any) -> Any:
    value = request.headers.get(request.query_params.get("h", ""))
    return PlainTextResponse(json.dumps(value))


async def slow(request: Any) -> Any:
    print("SLOW-STARTED", flush=True)
    await asyncio.sleep(float(request.query_params.get("s", "0.5")))
    return PlainTextResponse("slow done")


async def fail(request: Any) -> Any:
    raise RuntimeError("secret-detail-31337")


async def header(request: Any) -> Any:
    value = request.query_params.get("v", "")
    return PlainTextResponse("set", headers={"X-Echo": value})


async def go(request: Any) -> Any:
    return RedirectResponse(request.query_params.get("to", "/"))


async def form(request: Any) -> Any:
    data = await request.form()
    return PlainTextResponse(str(len(data)))


async def body_json(request: Any) -> Any:
    return PlainTextResponse(type(await request.json()).__name__)


app = Starlette(
    routes=[
        Route("/", index),
        Route("/echo", echo, methods=["GET", "POST"]),
        Route("/id/{ident}", ident),
        Route("/show", show),
        Route("/slow", slow),
        Route("/raise", fail),
        Route("/header", header),
        Route("/redirect", go),
        Route("/form", form, methods=["POST"]),
        Route("/json", body_json, methods=["POST"]),
        Mount("/static", StaticFiles(directory=Path(os.environ["SITE"]) / "public")),
    ]
)

if __name__ == "__main__":
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        timeout_keep_alive=1,
        timeout_graceful_shutdown=5,
        access_log=False,
        log_level="warning",
    )
