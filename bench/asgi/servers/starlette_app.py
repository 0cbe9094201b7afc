"""Starlette with the same routes: ``uvicorn starlette_app:app``.

The filler routes of bench/http/spec.py come first, as in every other app of the
benchmark, then ``GET /`` (``PlainTextResponse``) and ``GET /json``
(``JSONResponse``), Starlette's defaults. ``two_routes`` has only those two.
"""

from __future__ import annotations

import re

from spec import FILLER_ROUTES, JSON_BODY, TEXT_BODY
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

_PARAM = re.compile(r"<(\w+)(:int)?>")


def _starlette_path(template: str) -> str:
    """``/a/<x:int>/<y>`` in Starlette's syntax: ``/a/{x:int}/{y}``."""
    return _PARAM.sub(lambda m: "{%s%s}" % (m[1], m[2] or ""), template)


async def filler(request: Request) -> PlainTextResponse:
    return PlainTextResponse("filler")


async def index(request: Request) -> PlainTextResponse:
    return PlainTextResponse(TEXT_BODY)


async def json_endpoint(request: Request) -> JSONResponse:
    return JSONResponse(JSON_BODY)


BENCHMARKED = [
    Route("/", index, methods=["GET"]),
    Route("/json", json_endpoint, methods=["GET"]),
]
app = Starlette(
    routes=[
        *(Route(_starlette_path(template), filler) for template, _ in FILLER_ROUTES),
        *BENCHMARKED,
    ]
)
#: Only the two benchmarked routes: Starlette matches routes one by one, so this
#: is its best case (``starlette_app:two_routes``).
two_routes = Starlette(routes=BENCHMARKED)
