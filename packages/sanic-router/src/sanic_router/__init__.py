"""sanic-router: a standalone URL router with typed parameters, hosts and url_for.

Example:
    >>> router = Router()
    >>> route = router.add("/posts/<post_id:int>", ["GET"], "handler")
    >>> router.get("/posts/5", "GET").params
    {'post_id': 5}
"""

from __future__ import annotations

from ._converters import CONVERTERS, Converter
from ._errors import (
    BuildError,
    MethodNotAllowed,
    NotFound,
    ParameterNameConflicts,
    RouteDoesNotExist,
    RouteExists,
    RouterError,
)
from ._route import Route, RouteMatch
from ._router import Matcher, Router

__all__ = [
    "CONVERTERS",
    "BuildError",
    "Converter",
    "Matcher",
    "MethodNotAllowed",
    "NotFound",
    "ParameterNameConflicts",
    "Route",
    "RouteDoesNotExist",
    "RouteExists",
    "RouteMatch",
    "Router",
    "RouterError",
]
