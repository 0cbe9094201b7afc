"""``sanic.router``: the router, from sanic-router, with the error names of 0.4."""

from __future__ import annotations

from sanic_router import (
    BuildError,
    ParameterNameConflicts,
    Route,
    RouteDoesNotExist,
    RouteExists,
    Router,
    RouterError,
)

__all__ = [
    "BuildError",
    "ParameterNameConflicts",
    "Route",
    "RouteDoesNotExist",
    "RouteExists",
    "Router",
    "RouterError",
]
