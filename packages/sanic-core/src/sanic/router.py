"""``sanic.router``: the router, from sanic-router, with the error names of 0.4."""

from __future__ import annotations

from sanic_router import BuildError, Route, RouteExists, Router, RouterError
from sanic_router import NotFound as RouteDoesNotExist

__all__ = [
    "BuildError",
    "Route",
    "RouteDoesNotExist",
    "RouteExists",
    "Router",
    "RouterError",
]
