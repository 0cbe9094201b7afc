"""``sanic.router``: the router, from sanic-router, with the names of Sanic 0.4.

:class:`Router` is sanic-router's router plus two look-ups Sanic 0.4/18.12 code
calls (``find_route_by_view_name``, ``get_supported_methods``); the app builds
this one unless given another. ``REGEX_TYPES`` lists the built-in parameter
types as ``name -> (parse, pattern)``, read from the router's own converters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sanic_router
from sanic_router import (
    CONVERTERS,
    BuildError,
    ParameterNameConflicts,
    Route,
    RouteDoesNotExist,
    RouteExists,
    RouterError,
)

__all__ = [
    "REGEX_TYPES",
    "BuildError",
    "ParameterNameConflicts",
    "Route",
    "RouteDoesNotExist",
    "RouteExists",
    "Router",
    "RouterError",
]

REGEX_TYPES: Mapping[str, tuple[Callable[[str], Any], str]] = {
    name: (
        converter.parse,
        converter.pattern
        if converter.pattern is not None
        else (".+" if converter.spans else "[^/]+"),
    )
    for name, converter in CONVERTERS.items()
}


class Router(sanic_router.Router):
    """sanic-router's :class:`sanic_router.Router` with Sanic 0.4's look-ups."""

    def find_route_by_view_name(
        self, view_name: str
    ) -> tuple[str, Route] | tuple[None, None]:
        """The template and route named ``view_name``, or ``(None, None)``."""
        route = self.by_name(view_name)
        if route is None:
            return None, None
        return route.path, route

    def get_supported_methods(self, url: str) -> frozenset[str]:
        """Every method registered for the template ``url`` (empty if none)."""
        return frozenset(
            method
            for route in self.routes
            if route.path == url
            for method in route.methods
        )
