"""The registration API that the app and blueprints share.

``Sanic`` applies each registration at once; ``Blueprint`` records it and replays it
onto an app in ``app.blueprint(bp)``. Both speak through four hooks:
``_add_route``, ``_add_middleware``, ``_add_exception`` and ``_add_listener``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar, overload

from sanic_http import UpgradeResponse

from ._static import DEFAULT_PATTERN, StaticOptions, static_route
from ._websocket import WEBSOCKET, websocket_handler
from .constants import HTTP_METHODS
from .handlers import check_error_format

__all__ = ["LISTENER_EVENTS", "MIDDLEWARE_KINDS", "RegistrationMixin", "RouteSpec"]

LISTENER_EVENTS = (
    "before_server_start",
    "after_server_start",
    "before_server_stop",
    "after_server_stop",
)
MIDDLEWARE_KINDS = ("request", "response")

_F = TypeVar("_F", bound=Callable[..., object])


@dataclass(frozen=True)
class RouteSpec:
    """One route as registered, before any blueprint prefix or name is applied."""

    handler: Callable[..., object]
    uri: str
    methods: tuple[str, ...]
    host: str | tuple[str, ...] | None = None
    strict_slashes: bool | None = None
    name: str | None = None
    #: Every method of the route gets its body as ``request.stream``.
    stream: bool = False
    #: The protocols (lower-case ``Upgrade`` tokens) the route may switch to.
    upgrade: frozenset[str] = frozenset()
    #: A blueprint route's API version: registered under ``/v<version>``, in
    #: front of the blueprint's prefix (Sanic 18.12's ``version=``).
    version: str | None = None
    #: The format of the route's default error answers (``"json"``, ``"html"``,
    #: ``"text"``, ``"auto"``); None: the blueprint's, else the config's.
    error_format: str | None = None

    def prefixed(self, prefix: str | None, blueprint: str | None) -> RouteSpec:
        """The same route under a URL prefix (and its version) and named
        ``blueprint.name``."""
        uri = self.uri
        if prefix:
            uri = prefix.rstrip("/") + ("/" + uri.lstrip("/") if uri.strip("/") else "")
            uri = uri or "/"
        if self.version is not None:
            uri = f"/v{self.version}" + ("/" + uri.lstrip("/") if uri != "/" else "")
        name = self.name
        if blueprint:
            name = f"{blueprint}.{name}"
        return replace(self, uri=uri, name=name, version=None)


def _methods_of(handler: object, methods: Iterable[str] | None) -> tuple[str, ...]:
    """The methods a route answers: a view's own set wins over the argument;
    None means every method (``HTTP_METHODS``)."""
    view_methods = getattr(handler, "view_methods", None)
    if view_methods:
        return tuple(sorted(view_methods))
    if methods is None:
        return HTTP_METHODS
    if isinstance(methods, str):
        methods = (methods,)
    return tuple(m.upper() for m in methods)


def _upgrade_of(upgrade: str | Iterable[str] | None) -> frozenset[str]:
    """The ``upgrade=`` of a route as lower-case protocol tokens.

    Raises:
        ValueError: A token is not a protocol name (RFC 9110 §7.8).
    """
    if upgrade is None:
        return frozenset()
    if isinstance(upgrade, str) or not isinstance(upgrade, Iterable):
        tokens: tuple[object, ...] = (upgrade,)
    else:
        tokens = tuple(upgrade)
    protocols = set()
    for token in tokens:
        if not isinstance(token, str) or not UpgradeResponse.is_protocol(token):
            raise ValueError(f"upgrade= takes protocol names, not {token!r}")
        protocols.add(token.lower())
    return frozenset(protocols)


def _error_format_of(error_format: str | None) -> str | None:
    """``error_format=`` checked against ``ERROR_FORMATS`` (None: not set)."""
    if error_format is None:
        return None
    return check_error_format(error_format, "error_format=")


def _name_of(handler: object, name: str | None) -> str | None:
    if name:
        return name
    view_class = getattr(handler, "view_class", None)
    if view_class is not None:
        return str(view_class.__name__)
    return getattr(handler, "__name__", None)


def _shorthand(method: str) -> Callable[..., Callable[[_F], _F]]:
    """Build the ``app.get``-style decorator for one method."""

    def shorthand(
        self: RegistrationMixin,
        uri: str,
        host: str | Sequence[str] | None = None,
        strict_slashes: bool | None = None,
        name: str | None = None,
        stream: bool = False,
        *,
        upgrade: str | Iterable[str] | None = None,
        error_format: str | None = None,
    ) -> Callable[[_F], _F]:
        return self.route(
            uri,
            (method,),
            host,
            strict_slashes,
            name,
            stream,
            upgrade=upgrade,
            error_format=error_format,
        )

    shorthand.__name__ = method.lower()
    shorthand.__doc__ = (
        f"Shorthand for ``route(uri, methods=[{method!r}])``; ``stream=True`` "
        "hands the handler the body as ``request.stream`` (Sanic 18.12 offers it "
        "on ``post``, ``put`` and ``patch``); ``upgrade`` and ``error_format`` "
        "as for ``add_route``."
    )
    return shorthand


class RegistrationMixin:
    """Decorators and methods to register routes, middleware, handlers, listeners."""

    def _add_route(self, spec: RouteSpec) -> None:
        raise NotImplementedError

    def _add_middleware(self, kind: str, middleware: Callable[..., object]) -> None:
        raise NotImplementedError

    def _add_exception(
        self, exceptions: Sequence[type[BaseException]], handler: Callable[..., object]
    ) -> None:
        raise NotImplementedError

    def _add_listener(self, event: str, listener: Callable[..., object]) -> None:
        raise NotImplementedError

    # Routes -------------------------------------------------------------------

    def add_route(
        self,
        handler: _F,
        uri: str,
        methods: Iterable[str] | None = ("GET",),
        host: str | Sequence[str] | None = None,
        strict_slashes: bool | None = None,
        name: str | None = None,
        stream: bool = False,
        *,
        upgrade: str | Iterable[str] | None = None,
        error_format: str | None = None,
    ) -> _F:
        """Register ``handler`` for ``uri``: a function, ``View.as_view()`` or a
        ``CompositionView``. A view answers exactly the methods it defines;
        ``methods=None`` means every method in ``sanic.constants.HTTP_METHODS``.
        A regular expression parameter may match across slashes
        (``<name:[A-Za-z0-9/]+>``).

        ``stream=True`` (or a handler marked with ``sanic.views.stream``, or a
        view's marked methods) starts the handler as soon as the request head has
        arrived, with the body as ``request.stream`` and ``request.body`` empty
        until ``await request.receive_body()``.

        ``upgrade`` (a protocol name, or several; case-insensitive) lets the
        handler answer a request that asks to upgrade to one of them (``Upgrade:
        <protocol>``) with ``sanic.response.UpgradeResponse``, which hands the
        connection to another protocol after ``101 Switching Protocols``. Upgrade
        requests to other routes are served as plain HTTP (the connection closes
        after the answer).

        ``error_format`` (``"json"``, ``"html"``, ``"text"`` or ``"auto"``) is
        the format of the errors this route answers by default (when no
        ``@app.exception`` handler claims them); it wins over the blueprint's
        ``error_format`` and the config's ``FALLBACK_ERROR_FORMAT``.

        Returns:
            The handler, unchanged.

        Raises:
            sanic.router.RouteExists: The URI (on that host) already has one of
                the methods.
            ValueError: ``upgrade`` names something that is not a protocol, or
                ``error_format`` is not one of the formats.
        """
        if not uri.startswith("/"):
            uri = "/" + uri
        hosts = host if host is None or isinstance(host, str) else tuple(host)
        spec = RouteSpec(
            handler=handler,
            uri=uri,
            methods=_methods_of(handler, methods),
            host=hosts,
            strict_slashes=strict_slashes,
            name=_name_of(handler, name),
            stream=bool(stream),
            upgrade=_upgrade_of(upgrade),
            error_format=_error_format_of(error_format),
        )
        self._add_route(spec)
        return handler

    def route(
        self,
        uri: str,
        methods: Iterable[str] | None = ("GET",),
        host: str | Sequence[str] | None = None,
        strict_slashes: bool | None = None,
        name: str | None = None,
        stream: bool = False,
        *,
        upgrade: str | Iterable[str] | None = None,
        error_format: str | None = None,
    ) -> Callable[[_F], _F]:
        """Decorate a handler to answer ``uri`` (GET unless ``methods`` says;
        ``methods=None`` means every method; ``stream``, ``upgrade`` and
        ``error_format`` as for ``add_route``)."""
        # Checked now, where the decorator is written, not when it is applied.
        _error_format_of(error_format)

        def register(handler: _F) -> _F:
            self.add_route(
                handler,
                uri,
                methods,
                host,
                strict_slashes,
                name,
                stream,
                upgrade=upgrade,
                error_format=error_format,
            )
            return handler

        return register

    def _add_websocket(
        self,
        handler: _F,
        uri: str,
        host: str | Sequence[str] | None,
        strict_slashes: bool | None,
        subprotocols: Sequence[str] | None,
        name: str | None,
        version: int | str | None = None,
    ) -> _F:
        """Register a websocket route: ``GET``, upgrading to ``websocket``
        (``version``, for a blueprint: under ``/v<version>``)."""
        if not uri.startswith("/"):
            uri = "/" + uri
        spec = RouteSpec(
            handler=websocket_handler(handler, subprotocols),
            uri=uri,
            methods=("GET",),
            host=host if host is None or isinstance(host, str) else tuple(host),
            strict_slashes=strict_slashes,
            name=_name_of(handler, name),
            upgrade=frozenset({WEBSOCKET}),
            version=None if version is None else str(version),
        )
        self._add_route(spec)
        return handler

    get = _shorthand("GET")
    post = _shorthand("POST")
    put = _shorthand("PUT")
    patch = _shorthand("PATCH")
    delete = _shorthand("DELETE")
    head = _shorthand("HEAD")
    options = _shorthand("OPTIONS")

    def static(
        self,
        uri: str,
        file_or_directory: str | os.PathLike[str],
        pattern: str = DEFAULT_PATTERN,
        use_modified_since: bool = True,
        use_content_range: bool = False,
        stream_large_files: bool | int = False,
        name: str = "static",
        host: str | Sequence[str] | None = None,
        strict_slashes: bool | None = None,
        content_type: str | None = None,
    ) -> None:
        """Serve a file at ``uri``, or a directory's files below ``uri``.

        Content types follow the extension; HEAD is answered with the GET headers;
        nothing outside the directory is reachable. The arguments are those of
        Sanic 0.4.1 and 18.12.

        Args:
            uri: The URL of the file, or the prefix of the directory's files.
            file_or_directory: The file or directory to serve.
            pattern: For a directory, a regular expression the path below it
                must match in full, with or without its leading ``/``; other
                paths answer 404.
            use_modified_since: Send ``Last-Modified`` and answer a request whose
                ``If-Modified-Since`` is at or after it with 304.
            use_content_range: Send ``Accept-Ranges: bytes`` and answer a single
                byte ``Range`` with 206 and ``Content-Range`` (416 when it cannot
                be satisfied); when False a ``Range`` header is ignored.
            stream_large_files: Files are always streamed in chunks above 256 KiB;
                an int (not a bool) sets that size instead.
            name: The route name, for ``url_for``.
            host: Serve only for this Host (or these hosts).
            strict_slashes: As for ``route``.
            content_type: Send every file with this Content-Type instead of the
                one its extension suggests.

        Raises:
            ValueError: ``pattern`` is not a valid regular expression.
        """
        threshold = (
            None
            if isinstance(stream_large_files, bool)
            else max(int(stream_large_files), 0)
        )
        options = StaticOptions(
            use_modified_since=bool(use_modified_since),
            use_content_range=bool(use_content_range),
            stream_threshold=threshold,
            content_type=content_type,
        )
        handler, route_uri = static_route(uri, file_or_directory, pattern, options)
        self.add_route(handler, route_uri, ("GET", "HEAD"), host, strict_slashes, name)

    # Middleware, exception handlers, listeners ------------------------------------

    def middleware(self, middleware_or_kind: Any = "request") -> Any:
        """Register middleware: ``@app.middleware`` (request),
        ``@app.middleware('request')`` or ``@app.middleware('response')``."""
        if callable(middleware_or_kind):
            self._add_middleware("request", middleware_or_kind)
            return middleware_or_kind
        kind = str(middleware_or_kind)
        if kind not in MIDDLEWARE_KINDS:
            raise ValueError(
                f"Middleware must be 'request' or 'response', not {kind!r}"
            )

        def register(middleware: _F) -> _F:
            self._add_middleware(kind, middleware)
            return middleware

        return register

    def exception(
        self, *exceptions: type[BaseException] | Sequence[type[BaseException]]
    ) -> Callable[[_F], _F]:
        """Decorate ``handler(request, exception)`` for these exception types."""
        flat: list[type[BaseException]] = []
        for item in exceptions:
            if isinstance(item, (list, tuple)):
                flat.extend(item)
            else:
                flat.append(item)  # type: ignore[arg-type]

        def register(handler: _F) -> _F:
            self._add_exception(tuple(flat), handler)
            return handler

        return register

    def listener(self, event: str) -> Callable[[_F], _F]:
        """Decorate ``listener(app, loop)`` to run at a server event."""
        if event not in LISTENER_EVENTS:
            raise ValueError(
                f"Unknown listener event {event!r}; expected one of "
                + ", ".join(LISTENER_EVENTS)
            )

        def register(listener: _F) -> _F:
            self._add_listener(event, listener)
            return listener

        return register

    # Current Sanic's shorthands: ``@app.on_request``, ``@app.before_server_start``.
    # Each is the long form under another name (same chains, same order rules),
    # used bare or called with no arguments.

    @overload
    def on_request(self, middleware: _F) -> _F: ...
    @overload
    def on_request(self, middleware: None = None) -> Callable[[_F], _F]: ...
    def on_request(self, middleware: _F | None = None) -> _F | Callable[[_F], _F]:
        """Register request middleware: ``@app.on_request`` or
        ``@app.on_request()``, the same as ``@app.middleware('request')``."""
        return _bare_or_called(self.middleware("request"), middleware)

    @overload
    def on_response(self, middleware: _F) -> _F: ...
    @overload
    def on_response(self, middleware: None = None) -> Callable[[_F], _F]: ...
    def on_response(self, middleware: _F | None = None) -> _F | Callable[[_F], _F]:
        """Register response middleware: ``@app.on_response`` or
        ``@app.on_response()``, the same as ``@app.middleware('response')``."""
        return _bare_or_called(self.middleware("response"), middleware)

    @overload
    def before_server_start(self, listener: _F) -> _F: ...
    @overload
    def before_server_start(self, listener: None = None) -> Callable[[_F], _F]: ...
    def before_server_start(
        self, listener: _F | None = None
    ) -> _F | Callable[[_F], _F]:
        """``@app.before_server_start``: ``@app.listener('before_server_start')``."""
        return _bare_or_called(self.listener("before_server_start"), listener)

    @overload
    def after_server_start(self, listener: _F) -> _F: ...
    @overload
    def after_server_start(self, listener: None = None) -> Callable[[_F], _F]: ...
    def after_server_start(self, listener: _F | None = None) -> _F | Callable[[_F], _F]:
        """``@app.after_server_start``: ``@app.listener('after_server_start')``."""
        return _bare_or_called(self.listener("after_server_start"), listener)

    @overload
    def before_server_stop(self, listener: _F) -> _F: ...
    @overload
    def before_server_stop(self, listener: None = None) -> Callable[[_F], _F]: ...
    def before_server_stop(self, listener: _F | None = None) -> _F | Callable[[_F], _F]:
        """``@app.before_server_stop``: ``@app.listener('before_server_stop')``."""
        return _bare_or_called(self.listener("before_server_stop"), listener)

    @overload
    def after_server_stop(self, listener: _F) -> _F: ...
    @overload
    def after_server_stop(self, listener: None = None) -> Callable[[_F], _F]: ...
    def after_server_stop(self, listener: _F | None = None) -> _F | Callable[[_F], _F]:
        """``@app.after_server_stop``: ``@app.listener('after_server_stop')``."""
        return _bare_or_called(self.listener("after_server_stop"), listener)


def _bare_or_called(
    register: Callable[[_F], _F], function: _F | None
) -> _F | Callable[[_F], _F]:
    """``register(function)`` for a bare decorator, ``register`` when called."""
    if function is None:
        return register
    if not callable(function):
        raise TypeError(f"expected a function to register, not {function!r}")
    return register(function)
