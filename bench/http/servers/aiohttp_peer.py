"""aiohttp.web on uvloop: ``python aiohttp_peer.py --port P``, access log off.

run.py puts ``bench/http`` on ``PYTHONPATH`` so ``spec`` imports.
"""

from __future__ import annotations

import re

import uvloop
from aiohttp import web
from spec import FILLER_ROUTES, JSON_BODY, TEXT_BODY, server_args, user_text

_PARAM = re.compile(r"<(\w+)(?::int)?>")


def _aiohttp_path(template: str) -> str:
    """``/a/<x:int>/<y>`` in aiohttp's syntax: ``/a/{x:\\d+}/{y}``."""
    return _PARAM.sub(
        lambda m: "{%s:\\d+}" % m[1] if ":int" in m[0] else "{%s}" % m[1], template
    )


async def filler(request: web.Request) -> web.Response:
    return web.Response(text="filler")


async def index(request: web.Request) -> web.Response:
    return web.Response(text=TEXT_BODY)


async def json_endpoint(request: web.Request) -> web.Response:
    return web.json_response(JSON_BODY)


async def user_post(request: web.Request) -> web.Response:
    info = request.match_info
    return web.Response(text=user_text(int(info["user_id"]), info["slug"]))


async def echo(request: web.Request) -> web.Response:
    return web.json_response(await request.json())


def build() -> web.Application:
    app = web.Application()
    for template, _ in FILLER_ROUTES:
        app.router.add_get(_aiohttp_path(template), filler)
    app.router.add_get("/", index)
    app.router.add_get("/json", json_endpoint)
    app.router.add_get(r"/user/{user_id:\d+}/post/{slug}", user_post)
    app.router.add_post("/echo", echo)
    return app


if __name__ == "__main__":
    args = server_args()
    uvloop.install()
    web.run_app(build(), host="127.0.0.1", port=args.port, access_log=None, print=None)
