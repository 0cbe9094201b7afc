"""Blueprints: a recorded list of registrations, replayed onto an app.

A blueprint offers the app's registration API (routes, shorthands, ``add_route``,
``static``, websockets, middleware, exception handlers, listeners). Nothing happens
until ``app.blueprint(bp)``: then every route (and static file or directory) is
added under the blueprint's URL prefix and named ``<blueprint>.<handler>``, and
middleware, exception handlers and listeners are added to the app itself (they
apply globally, as the guide says).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ._registration import RegistrationMixin, RouteSpec
from ._registration import RouteSpec as FutureRoute  # Sanic 0.4's name for the record
from .handlers import check_error_format

if TYPE_CHECKING:
    from .app import Sanic

__all__ = [
    "Blueprint",
    "FutureException",
    "FutureListener",
    "FutureMiddleware",
    "FutureRoute",
    "FutureStatic",
]

_Handler = TypeVar("_Handler", bound=Callable[..., object])


class FutureMiddleware(NamedTuple):
    """Middleware a blueprint has recorded: ``"request"`` or ``"response"``."""

    kind: str
    middleware: Callable[..., object]


class FutureException(NamedTuple):
    """An exception handler a blueprint has recorded, with its exception types."""

    exceptions: tuple[type[BaseException], ...]
    handler: Callable[..., object]


class FutureListener(NamedTuple):
    """A listener a blueprint has recorded for a server event."""

    event: str
    listener: Callable[..., object]


class FutureStatic(NamedTuple):
    """A ``static()`` a blueprint has recorded: the URL below the blueprint's
    prefix, what it serves, and the other arguments of ``Sanic.static``."""

    uri: str
    file_or_directory: str | os.PathLike[str]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


class Blueprint(RegistrationMixin):
    """A group of routes and hooks to register on an app later.

    Args:
        name: Unique among an app's blueprints; prefixes route names.
        url_prefix: Prepended to every route's URL (registration may override it).
        host: The default host for the blueprint's routes.
        strict_slashes: The default for the blueprint's routes.
        error_format: The format of the default error answers of the
            blueprint's routes (``"json"``, ``"html"``, ``"text"`` or
            ``"auto"``); a route's own ``error_format`` wins, and errors met
            before a route is chosen (404, 405) use the config's
            ``FALLBACK_ERROR_FORMAT``.

    Raises:
        ValueError: The name is empty or has a dot, or ``error_format`` is not
            one of the formats.
    """

    def __init__(
        self,
        name: str,
        url_prefix: str | None = None,
        host: str | Sequence[str] | None = None,
        strict_slashes: bool | None = None,
        *,
        error_format: str | None = None,
    ) -> None:
        if not name or "." in name:
            raise ValueError(
                f"Blueprint name {name!r} must be non-empty and contain no '.'"
            )
        self.name = name
        self.url_prefix = url_prefix
        self.host = host
        self.strict_slashes = strict_slashes
        self.error_format = (
            None
            if error_format is None
            else check_error_format(error_format, "error_format=")
        )
        self.routes: list[FutureRoute] = []
        self.middlewares: list[FutureMiddleware] = []
        self.exceptions: list[FutureException] = []
        self.listeners: list[FutureListener] = []
        #: The user's state for the blueprint (``bp.ctx.table = ...``).
        self.ctx = SimpleNamespace()
        self.statics: list[FutureStatic] = []

    def __repr__(self) -> str:
        return f"<Blueprint {self.name!r} url_prefix={self.url_prefix!r}>"

    @staticmethod
    def group(
        *blueprints: Blueprint | Sequence[Blueprint], url_prefix: str = ""
    ) -> list[Blueprint]:
        """Put blueprints under one more URL prefix (Sanic 18.12).

        Each blueprint's ``url_prefix`` becomes ``url_prefix`` followed by its
        own; nested groups (lists) are flattened. ``app.blueprint(group)``
        registers every blueprint of the returned list.

        Returns:
            The blueprints, in order.
        """
        grouped: list[Blueprint] = []
        for item in blueprints:
            if not isinstance(item, Blueprint):
                grouped.extend(Blueprint.group(*item, url_prefix=url_prefix))
                continue
            if url_prefix:
                own = (item.url_prefix or "").strip("/")
                item.url_prefix = url_prefix.rstrip("/") + (f"/{own}" if own else "")
            grouped.append(item)
        return grouped

    def add_websocket_route(
        self,
        handler: _Handler,
        uri: str,
        host: str | Sequence[str] | None = None,
        version: int | str | None = None,
        name: str | None = None,
        *,
        strict_slashes: bool | None = None,
        subprotocols: Sequence[str] | None = None,
    ) -> _Handler:
        """Record ``async handler(request, ws, **params)`` as a WebSocket at
        ``uri`` (under ``/v<version>`` when ``version`` is given); otherwise as
        ``Sanic.add_websocket_route``. The blueprint's prefix, host, middleware
        and listeners apply when it is registered.

        Returns:
            The handler, unchanged.
        """
        return self._add_websocket(
            handler, uri, host, strict_slashes, subprotocols, name, version
        )

    def websocket(
        self,
        uri: str,
        host: str | Sequence[str] | None = None,
        strict_slashes: bool | None = None,
        version: int | str | None = None,
        name: str | None = None,
        *,
        subprotocols: Sequence[str] | None = None,
    ) -> Callable[[_Handler], _Handler]:
        """Decorate ``async handler(request, ws, **params)`` as a WebSocket at
        ``uri``; the arguments are those of ``add_websocket_route``."""

        def register(handler: _Handler) -> _Handler:
            return self._add_websocket(
                handler, uri, host, strict_slashes, subprotocols, name, version
            )

        return register

    def static(
        self,
        uri: str,
        file_or_directory: str | os.PathLike[str],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        """Record ``static(uri, file_or_directory, ...)`` as a ``FutureStatic``
        in ``bp.statics``; registering the blueprint serves it as
        ``Sanic.static`` would, under the blueprint's prefix (and host), named
        ``<blueprint>.<name>``. The arguments are those of ``Sanic.static``.

        Raises:
            ValueError: ``pattern`` is not a valid regular expression (now, not
                at registration).
        """
        record = FutureStatic(uri, file_or_directory, args, kwargs)
        self._static_routes([record])
        self.statics.append(record)

    def _static_routes(self, statics: Sequence[FutureStatic]) -> list[RouteSpec]:
        """The routes ``statics`` stand for, before the prefix is applied."""
        recorder = Blueprint(self.name)
        for uri, file_or_directory, args, kwargs in statics:
            RegistrationMixin.static(recorder, uri, file_or_directory, *args, **kwargs)
        return recorder.routes

    def _add_route(self, spec: RouteSpec) -> None:
        self.routes.append(spec)

    def _add_middleware(self, kind: str, middleware: Callable[..., object]) -> None:
        self.middlewares.append(FutureMiddleware(kind, middleware))

    def _add_exception(
        self, exceptions: Sequence[type[BaseException]], handler: Callable[..., object]
    ) -> None:
        self.exceptions.append(FutureException(tuple(exceptions), handler))

    def _add_listener(self, event: str, listener: Callable[..., object]) -> None:
        self.listeners.append(FutureListener(event, listener))

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        """Replay every recorded registration onto ``app``.

        Called by ``app.blueprint(bp, **options)``; ``options["url_prefix"]``
        overrides the blueprint's own prefix.
        """
        prefix = options.get("url_prefix", self.url_prefix)
        for spec in [*self.routes, *self._static_routes(self.statics)]:
            spec = spec.prefixed(prefix, self.name)
            if spec.host is None and self.host is not None:
                host = self.host if isinstance(self.host, str) else tuple(self.host)
                spec = replace(spec, host=host)
            if spec.strict_slashes is None and self.strict_slashes is not None:
                spec = replace(spec, strict_slashes=self.strict_slashes)
            if spec.error_format is None and self.error_format is not None:
                spec = replace(spec, error_format=self.error_format)
            app._add_route(spec)
        for kind, middleware in self.middlewares:
            app._add_middleware(kind, middleware)
        for exceptions, handler in self.exceptions:
            app._add_exception(exceptions, handler)
        for event, listener in self.listeners:
            app._add_listener(event, listener)
