"""Blueprints: a recorded list of registrations, replayed onto an app.

A blueprint offers the app's registration API (routes, shorthands, ``add_route``,
``static``, middleware, exception handlers, listeners). Nothing happens until
``app.blueprint(bp)``: then every route is added under the blueprint's URL prefix
and named ``<blueprint>.<handler>``, and middleware, exception handlers and listeners
are added to the app itself (they apply globally, as the guide says).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ._registration import RegistrationMixin, RouteSpec

if TYPE_CHECKING:
    from .app import Sanic

__all__ = ["Blueprint"]


class Blueprint(RegistrationMixin):
    """A group of routes and hooks to register on an app later.

    Args:
        name: Unique among an app's blueprints; prefixes route names.
        url_prefix: Prepended to every route's URL (registration may override it).
        host: The default host for the blueprint's routes.
        strict_slashes: The default for the blueprint's routes.
    """

    def __init__(
        self,
        name: str,
        url_prefix: str | None = None,
        host: str | Sequence[str] | None = None,
        strict_slashes: bool | None = None,
    ) -> None:
        if not name or "." in name:
            raise ValueError(
                f"Blueprint name {name!r} must be non-empty and contain no '.'"
            )
        self.name = name
        self.url_prefix = url_prefix
        self.host = host
        self.strict_slashes = strict_slashes
        self.routes: list[RouteSpec] = []
        self.middlewares: list[tuple[str, Callable[..., Any]]] = []
        self.exceptions: list[
            tuple[tuple[type[BaseException], ...], Callable[..., Any]]
        ] = []
        self.listeners: dict[str, list[Callable[..., Any]]] = {}

    def __repr__(self) -> str:
        return f"<Blueprint {self.name!r} url_prefix={self.url_prefix!r}>"

    def _add_route(self, spec: RouteSpec) -> None:
        self.routes.append(spec)

    def _add_middleware(self, kind: str, middleware: Callable[..., Any]) -> None:
        self.middlewares.append((kind, middleware))

    def _add_exception(
        self, exceptions: Sequence[type[BaseException]], handler: Callable[..., Any]
    ) -> None:
        self.exceptions.append((tuple(exceptions), handler))

    def _add_listener(self, event: str, listener: Callable[..., Any]) -> None:
        self.listeners.setdefault(event, []).append(listener)

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        """Replay every recorded registration onto ``app``.

        Called by ``app.blueprint(bp, **options)``; ``options["url_prefix"]``
        overrides the blueprint's own prefix.
        """
        prefix = options.get("url_prefix", self.url_prefix)
        for spec in self.routes:
            spec = spec.prefixed(prefix, self.name)
            if spec.host is None and self.host is not None:
                host = self.host if isinstance(self.host, str) else tuple(self.host)
                spec = replace(spec, host=host)
            if spec.strict_slashes is None and self.strict_slashes is not None:
                spec = replace(spec, strict_slashes=self.strict_slashes)
            app._add_route(spec)
        for kind, middleware in self.middlewares:
            app._add_middleware(kind, middleware)
        for exceptions, handler in self.exceptions:
            app._add_exception(exceptions, handler)
        for event, listeners in self.listeners.items():
            for listener in listeners:
                app._add_listener(event, listener)
