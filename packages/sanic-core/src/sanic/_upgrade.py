"""Which requests may switch protocols: decided per route at startup.

A route accepts the protocols it was registered with (``upgrade=``).
``upgrade_check`` reads them once, when the server starts, into a table from
route to protocols. The server calls the check only for a request that asks to
upgrade (``Connection: upgrade`` and ``Upgrade``), once its head is complete:
it matches the route (as ``Sanic.handle_request`` does, host included), keeps
the match on the request so ``handle_request`` does not route it again, and
says whether the route accepts one of the offered protocols. Other requests
never reach it, so ordinary routes pay nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, cast

from sanic_http import UpgradeResponse
from sanic_request import Request as BaseRequest
from sanic_router import Matcher, Route

if TYPE_CHECKING:
    from ._registration import RouteSpec
    from .request import Request

__all__ = ["UpgradeCheck", "upgrade_check"]

#: What the server calls for an upgrade request: may its handler switch?
#: Typed as ``ServerSettings.upgrade_check`` is (any sanic-request ``Request``).
UpgradeCheck = Callable[[BaseRequest], bool]


def upgrade_check(
    routes: Mapping[Route, RouteSpec | None],
    match_route: Matcher,
    route_host: Callable[[Request], str | None] | None,
) -> UpgradeCheck:
    """Build the server's test for upgrade requests.

    Args:
        routes: Every route of the (finalized) router, with its registration.
        match_route: The router's compiled matcher, the one requests are routed
            with.
        route_host: How a request's host is found for routing, or None when no
            route is bound to a host.

    Returns:
        ``check(request) -> bool``: whether the request's route accepts one of
        the protocols its ``Upgrade`` header offers. It also stores the route
        match on the request (``request._route_match``) for ``handle_request``.
        With no route accepting an upgrade, it answers False at once: then no
        handler can switch protocols.
    """
    accepting = {
        route: spec.upgrade
        for route, spec in routes.items()
        if spec is not None and spec.upgrade
    }

    def check(request: Request) -> bool:
        if not accepting:
            return False
        match = request._route_match
        if match is None:
            host = route_host(request) if route_host is not None else None
            try:
                match = match_route(request.path, request.method, host)
            except Exception:
                # Not found, method not allowed, ...: handle_request routes the
                # request again and answers the error as it always does.
                return False
            request._route_match = match
        protocols = accepting.get(match.route)
        return protocols is not None and not protocols.isdisjoint(
            UpgradeResponse.offered(request)
        )

    # The server builds requests with the app's request class, a subclass of
    # sanic.request.Request, so the check may take that type.
    return cast("UpgradeCheck", check)
