"""Which requests stream their body: decided per route at startup, once per request.

A route streams for a method when it was registered with ``stream=True``, when its
handler is marked with ``sanic.views.stream``, or when it is a view whose handler
for that method is marked. ``stream_check`` reads that once, when the server
starts, into a table from route to methods; an app without such routes gets
``None``, so the server pays nothing per request. Otherwise the server calls the
check when a request's head is complete: it matches the route (as
``Sanic.handle_request`` does, host included) and keeps the match on the request,
so ``handle_request`` does not route the request again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, cast

from sanic_request import Request as BaseRequest
from sanic_router import Matcher, Route
from sanic_views import CompositionView, HTTPMethodView, is_stream

if TYPE_CHECKING:
    from ._registration import RouteSpec
    from .request import Request

__all__ = ["StreamCheck", "stream_check", "streamed_methods"]

#: What the server calls at headers-complete: does this request stream its body?
#: Typed as ``ServerSettings.stream_check`` is (any sanic-request ``Request``).
StreamCheck = Callable[[BaseRequest], bool]


def streamed_methods(route: Route, spec: RouteSpec | None) -> frozenset[str]:
    """The methods of ``route`` whose requests get ``request.stream``.

    Args:
        route: The router's route.
        spec: How the app registered it (None for a route added to the router
            directly).

    Returns:
        Upper-case method names; ``HEAD`` is included when ``GET`` streams and
        the route answers ``HEAD`` through ``GET``.
    """
    handler = route.handler
    if (spec is not None and spec.stream) or is_stream(handler):
        methods = route.methods
        return methods | {"HEAD"} if "GET" in methods else methods
    view_class = getattr(handler, "view_class", None)
    if isinstance(view_class, type) and issubclass(view_class, HTTPMethodView):
        return view_class.stream_methods()
    if isinstance(handler, CompositionView):
        return handler.stream_methods()
    return frozenset()


def stream_check(
    routes: Mapping[Route, RouteSpec | None],
    match_route: Matcher,
    route_host: Callable[[Request], str | None] | None,
) -> StreamCheck | None:
    """Build the server's test for streaming requests, or None when none stream.

    Args:
        routes: Every route of the (finalized) router, with its registration.
        match_route: The router's compiled matcher, the one requests are routed
            with.
        route_host: How a request's host is found for routing, or None when no
            route is bound to a host.

    Returns:
        ``check(request) -> bool``, which also stores the route match on the
        request (``request._route_match``) for ``handle_request``; None when no
        route streams.
    """
    streaming = {
        route: methods
        for route, spec in routes.items()
        if (methods := streamed_methods(route, spec))
    }
    if not streaming:
        return None

    def check(request: Request) -> bool:
        host = route_host(request) if route_host is not None else None
        try:
            match = match_route(request.path, request.method, host)
        except Exception:
            # Not found, method not allowed, ...: handle_request routes the
            # request again and answers the error as it always does.
            return False
        request._route_match = match
        methods = streaming.get(match.route)
        return methods is not None and request.method in methods

    # The server builds requests with the app's request class, a subclass of
    # sanic.request.Request, so the check may take that type.
    return cast("StreamCheck", check)
