"""The ``Sanic`` application: a thin composition of the sanic-* packages.

Routing is sanic-router's, the request object sanic-request's, the wire and the
responses sanic-http's, class-based views sanic-views'. This module wires them
together: it records registrations, turns router errors into HTTP exceptions, runs
middleware around handlers and hands the server what it needs to run.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from inspect import isawaitable
from types import CoroutineType, FrameType, SimpleNamespace
from typing import Any, TypeVar

from sanic_http import (
    HttpProtocol,
    HTTPResponse,
    MethodNotSupported,
    NotFound,
    URLBuildError,
    WriteCallback,
)
from sanic_router import BuildError, Matcher, Route, Router
from sanic_router import MethodNotAllowed as RouteMethodNotAllowed
from sanic_router import NotFound as RouteNotFound

from ._registration import LISTENER_EVENTS, RegistrationMixin, RouteSpec
from ._results import not_a_response
from ._running import RunMixin
from ._streaming import StreamCheck, stream_check
from ._upgrade import UpgradeCheck, upgrade_check
from ._websocket import WEBSOCKET, websocket_scheme
from .asgi import ASGIAdapter, ASGIReceive, ASGIScope, ASGISend, rooted
from .blueprints import Blueprint
from .config import Config
from .handlers import ErrorHandler
from .request import Request
from .router import Router as SanicRouter

__all__ = ["Sanic"]

_Handler = TypeVar("_Handler", bound=Callable[..., object])


def _narrows(route: Route, old: Route) -> bool:
    """Whether ``route`` is ``old`` left with fewer hosts by ``Router.remove``."""
    return (
        route.handler is old.handler
        and route.path == old.path
        and route.methods == old.methods
        and route.name == old.name
        and set(route.hosts) < set(old.hosts)
    )


def _calling_request() -> Request | None:
    """The request whose handler (or what it calls) is running: the ``request``
    of the nearest ``Sanic.handle_request`` up the stack. Only ``url_for`` with
    a relative name looks, so requests themselves carry nothing for it."""
    code = Sanic.handle_request.__code__
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code is code:
            request = frame.f_locals.get("request")
            return request if isinstance(request, Request) else None
        frame = frame.f_back
    return None


def _caller_module() -> str:
    frame = sys._getframe(2)
    return str(frame.f_globals.get("__name__", "sanic"))


class Sanic(RegistrationMixin, RunMixin):
    """A web application.

    Args:
        name: The app's name; defaults to the calling module's name.
        router: A ``sanic_router.Router`` to use instead of a new
            ``sanic.router.Router``.
        error_handler: An ``ErrorHandler`` to use instead of a new one.
        load_env: Read ``SANIC_``-prefixed environment variables into the config
            (``True``), with another prefix (a string), or not (``False``).
        request_class: The request type the server builds (a subclass of
            ``sanic.request.Request``).
    """

    def __init__(
        self,
        name: str | None = None,
        router: Router | None = None,
        error_handler: ErrorHandler | None = None,
        load_env: bool | str = True,
        request_class: type[Request] | None = None,
    ) -> None:
        self.name = name or _caller_module()
        self.config = Config(load_env=load_env)
        self.router = router or SanicRouter()
        self.error_handler = error_handler or ErrorHandler()
        self.request_class = request_class or Request
        self.request_middleware: list[Callable[..., object]] = []
        self.response_middleware: list[Callable[..., object]] = []
        self.listeners: dict[str, list[Callable[..., object]]] = {
            event: [] for event in LISTENER_EVENTS
        }
        self.blueprints: dict[str, Blueprint] = {}
        self._route_specs: list[RouteSpec] = []
        # The spec each route of the router came from (routes compare by identity).
        self._spec_of_route: dict[Route, RouteSpec] = {}
        self._has_hosts = False
        self._test_client: Any = None
        #: Sanic 18.12's flag; a websocket route sets it (``enable_websocket``).
        self.websocket_enabled = False
        #: The user's state for the app's life (``app.ctx.db = ...``), typically
        #: set in a ``before_server_start`` listener; each worker has its own.
        self.ctx = SimpleNamespace()
        super().__init__()

    def __repr__(self) -> str:
        return f"<Sanic {self.name!r}>"

    @property
    def router(self) -> Router:
        """The route table. Requests match through its compiled ``matcher()``,
        kept until another router is assigned (as adding a route after a run
        does: a finalized router changes through a copy)."""
        return self._router

    @router.setter
    def router(self, router: Router) -> None:
        self._router = router
        self._match: Matcher | None = None

    # Registration hooks ---------------------------------------------------------

    def _add_route(self, spec: RouteSpec) -> None:
        router = self._changeable_router()
        route = router.add(
            spec.uri,
            spec.methods,
            spec.handler,
            host=spec.host,
            strict_slashes=bool(spec.strict_slashes),
            name=spec.name,
        )
        self.router = router
        self._has_hosts = self._has_hosts or spec.host is not None
        self._route_specs.append(spec)
        self._spec_of_route[route] = spec

    def _changeable_router(self) -> Router:
        """The router to register on. A finalized one (after a run; tests change
        routes between runs) is changed through an unfinalized copy with the same
        converters and routes, which replaces it once the change succeeded."""
        return self.router.copy() if self.router.finalized else self.router

    def remove_route(
        self,
        uri: str,
        clean_cache: bool = True,
        host: str | Sequence[str] | None = None,
    ) -> None:
        """Unregister the route at ``uri``, every method of it, so it answers 404.

        ``uri`` is the template as registered (``/folder/<name>``; a blueprint's
        route by its full, prefixed URI); ``host`` picks the routes registered
        for that host, None the ones registered without a host. Works before the
        server starts and between runs. ``clean_cache`` is accepted for code
        written for Sanic 0.4; there is no look-up cache to clean.

        Raises:
            sanic.router.RouteDoesNotExist: No route is registered at ``uri``
                (for ``host``).
        """
        if not uri.startswith("/"):
            uri = "/" + uri
        router = self._changeable_router()
        before = set(router.routes)
        removed = router.remove(uri, host)
        self.router = router
        self._has_hosts = any(route.hosts for route in router.routes)
        # A route that kept some of its hosts was replaced by a narrowed one.
        narrowed = [route for route in router.routes if route not in before]
        for old in removed:
            spec = self._spec_of_route.pop(old, None)
            if spec is None:  # added to the router directly
                continue
            index = next(i for i, s in enumerate(self._route_specs) if s is spec)
            kept = next((r for r in narrowed if _narrows(r, old)), None)
            if kept is None:
                del self._route_specs[index]
                continue
            spec = replace(spec, host=kept.hosts)
            self._route_specs[index] = spec
            self._spec_of_route[kept] = spec

    def add_websocket_route(
        self,
        handler: _Handler,
        uri: str,
        host: str | Sequence[str] | None = None,
        strict_slashes: bool | None = None,
        subprotocols: Sequence[str] | None = None,
        name: str | None = None,
    ) -> _Handler:
        """Register ``async handler(request, ws, **params)`` as a WebSocket at
        ``uri`` (a ``GET`` route that upgrades to ``websocket``).

        The opening handshake is answered ``101`` and the handler runs with the
        connection's ``ws`` (``sanic_http.WebSocket``); when it returns the
        connection closes with ``1000``, when it raises with ``1011`` (the
        exception is logged and passed to the app's exception handler for its
        side effects). ``subprotocols`` lists the subprotocols the route accepts,
        most preferred first (``ws.subprotocol`` is the one negotiated). A
        request that does not ask to upgrade is answered ``426``. Request
        middleware runs before the handshake; a response it returns refuses it.

        Returns:
            The handler, unchanged.

        Raises:
            sanic.router.RouteExists: The URI (on that host) already has GET.
            TypeError: ``subprotocols`` is a string, not a list of them.
        """
        self.websocket_enabled = True
        return self._add_websocket(
            handler, uri, host, strict_slashes, subprotocols, name
        )

    def websocket(
        self,
        uri: str,
        host: str | Sequence[str] | None = None,
        strict_slashes: bool | None = None,
        subprotocols: Sequence[str] | None = None,
        name: str | None = None,
    ) -> Callable[[_Handler], _Handler]:
        """Decorate ``async handler(request, ws, **params)`` as a WebSocket at
        ``uri``; the arguments are those of ``add_websocket_route``."""

        def register(handler: _Handler) -> _Handler:
            return self.add_websocket_route(
                handler, uri, host, strict_slashes, subprotocols, name
            )

        return register

    def enable_websocket(self, enable: bool = True) -> None:
        """Sanic 18.12's switch for websocket support: sets ``websocket_enabled``.

        Registering a websocket route turns it on; nothing else depends on it
        here (a websocket route answers upgrades whatever it says).
        """
        self.websocket_enabled = bool(enable)

    def _add_middleware(self, kind: str, middleware: Callable[..., object]) -> None:
        chain = (
            self.request_middleware if kind == "request" else self.response_middleware
        )
        if middleware not in chain:
            chain.append(middleware)

    def _add_exception(
        self, exceptions: Sequence[type[BaseException]], handler: Callable[..., object]
    ) -> None:
        for exception in exceptions:
            self.error_handler.add(exception, handler)

    def _add_listener(self, event: str, listener: Callable[..., object]) -> None:
        self.listeners[event].append(listener)

    def register_listener(self, listener: Callable[..., object], event: str) -> None:
        """Register ``listener(app, loop)`` for ``event`` without a decorator."""
        self.listener(event)(listener)

    def register_middleware(
        self, middleware: Callable[..., object], attach_to: str = "request"
    ) -> None:
        """Register middleware without a decorator."""
        self.middleware(attach_to)(middleware)

    def blueprint(
        self, blueprint: Blueprint | Sequence[Blueprint], **options: Any
    ) -> None:
        """Register a blueprint; ``url_prefix=`` here wins over the blueprint's own.

        A list or tuple (such as ``Blueprint.group(...)``) registers each of its
        blueprints with the same options.

        Raises:
            ValueError: Another blueprint with the same name is registered.
        """
        if not isinstance(blueprint, Blueprint):
            for each in blueprint:
                self.blueprint(each, **options)
            return
        if blueprint.name in self.blueprints:
            if self.blueprints[blueprint.name] is blueprint:
                raise ValueError(f"Blueprint {blueprint.name!r} is already registered")
            raise ValueError(
                f"A blueprint named {blueprint.name!r} is already registered; "
                "blueprint names must be unique"
            )
        self.blueprints[blueprint.name] = blueprint
        blueprint.register(self, options)

    def register_blueprint(self, *args: Any, **kwargs: Any) -> None:
        """Sanic 0.4's name for :meth:`blueprint` (deprecated)."""
        warnings.warn(
            "app.register_blueprint is deprecated; use app.blueprint instead",
            DeprecationWarning,
            stacklevel=2,
        )
        self.blueprint(*args, **kwargs)

    # URL building -----------------------------------------------------------------

    def url_for(self, view_name: str, **kwargs: Any) -> str:
        """Build the URL of the route named ``view_name``.

        Parameters of the route are filled from ``kwargs``; other keywords become
        the query string; ``_anchor``, ``_external``, ``_scheme``, ``_server`` and
        ``_method`` work as the guide describes (``SERVER_NAME`` in the config is
        the default server of ``_external`` URLs). An external URL of a websocket
        route is ``ws://`` (``wss://`` for an ``https`` scheme or server), one of
        any other route ``http``/``https`` (also from ``request.url_for`` on a
        websocket request).

        A name starting with ``.`` (``url_for('.get_todo')``) is relative to the
        blueprint of the route whose handler is calling: ``api.get_todo`` from
        any handler of the ``api`` blueprint, ``get_todo`` from a route of the
        app itself. The calling request is found up the call stack (the
        ``handle_request`` running the handler; nothing is recorded per
        request), so this works in the handler and in what it calls or awaits,
        not in tasks it starts nor in websocket handlers: there, and outside any
        request, a relative name raises ``URLBuildError``.
        ``request.url_for('.get_todo')`` works wherever the request is at hand.

        Raises:
            URLBuildError: No such route (the message suggests the closest
                names), a relative name outside a request, or a parameter is
                missing or mistyped.
        """
        if view_name[:1] == ".":
            request = _calling_request()
            if request is None:
                raise URLBuildError(self._unresolved(view_name))
            view_name = self._resolve_name(view_name, request.endpoint)
        if kwargs.get("_external") and not kwargs.get("_server"):
            server = self.config.get("SERVER_NAME")
            if server:
                kwargs["_server"] = server
        if kwargs.get("_external"):
            route = self.router.by_name(view_name)
            if route is not None:
                spec = self._spec_of_route.get(route)
                scheme = websocket_scheme(
                    spec is not None and WEBSOCKET in spec.upgrade,
                    kwargs.get("_scheme"),
                    kwargs.get("_server"),
                )
                if scheme is not None:
                    kwargs["_scheme"] = scheme
        try:
            url = self.router.url_for(view_name, **kwargs)
        except BuildError as exc:
            raise URLBuildError(str(exc)) from exc
        # Served over ASGI: the scope's root_path goes in front of the path.
        return url if self._asgi is None else rooted(url)

    def _resolve_name(self, view_name: str, endpoint: str | None) -> str:
        """The full route name of ``view_name`` (``.get_todo``) asked for by the
        handler of the route named ``endpoint``: in its blueprint if it has one
        (``api.get_todo``), else among the app's own routes (``get_todo``)."""
        blueprint, dot, _ = (endpoint or "").partition(".")
        if dot and blueprint in self.blueprints:
            return blueprint + view_name
        return view_name[1:]

    def _unresolved(self, view_name: str) -> str:
        """Why a relative name cannot be resolved here, and what to write instead."""
        names = {route.name for route in self.router.routes if route.name}
        full = sorted(name for name in names if name.endswith(view_name))
        hint = f"; did you mean {' or '.join(map(repr, full))}?" if full else ""
        return (
            f"url_for({view_name!r}): a name starting with '.' is relative to the"
            " blueprint of the request being handled, and no handler is running"
            f" here (use request.url_for({view_name!r}) with the request at hand,"
            f" or the full name){hint}"
        )

    # Request handling ---------------------------------------------------------------

    async def handle_request(
        self, request: Request, write_callback: WriteCallback
    ) -> None:
        """Route, run middleware and the handler, and pass the result on.

        A response returned by request middleware is written at once: the handler
        and all further middleware are skipped. Response middleware may change the
        response in place or return a new one, which stops the chain. A handler
        result that is not a response is an error (a ``TypeError`` naming the
        route, the handler and what to return instead, answered by the error
        handler, then response middleware as usual); a custom protocol that
        overrides ``write_response`` gets it untouched, to convert it.
        """
        request.app = self
        try:
            route_error: Exception | None = None
            # Already matched by the stream check when the app has streaming routes.
            match = request._route_match
            if match is None:
                match_route = self._match
                if match_route is None:
                    # Compiled once per router (tests that skip run() do it here).
                    match_route = self._match = self.router.matcher()
                # Without host routes no header is read at all.
                host = self._route_host(request) if self._has_hosts else None
                try:
                    match = match_route(request.path, request.method, host)
                except (RouteNotFound, RouteMethodNotAllowed) as exc:
                    route_error = self._route_error(request, exc)
            if match is not None:
                route = match.route
                params = match.params
                request.endpoint = route.name
                request.uri_template = route.path
            if self.request_middleware:
                for middleware in self.request_middleware:
                    # A non-response is the write callback's to refuse.
                    early: Any = middleware(request)
                    if isawaitable(early):
                        early = await early
                    if early is not None:
                        write_callback(early)
                        return
            if route_error is not None:
                raise route_error
            handler: Any = route.handler
            response = handler(request, **params)
            # Checking the class first spares async handlers isawaitable().
            if response.__class__ is CoroutineType or isawaitable(response):
                response = await response
            if response.__class__ is not HTTPResponse and not isinstance(
                response, HTTPResponse
            ):
                response = await self._not_a_response(
                    request, route, response, write_callback
                )
        except Exception as exc:
            response = await self._error_response(request, exc)
        if self.response_middleware and isinstance(response, HTTPResponse):
            for middleware in self.response_middleware:
                try:
                    replaced = middleware(request, response)
                    if isawaitable(replaced):
                        replaced = await replaced
                except Exception as exc:
                    response = await self._error_response(request, exc)
                    break
                if replaced is not None:
                    response = replaced
                    break
        write_callback(response)

    def _route_error_formats(self) -> dict[tuple[str | None, str | None], str]:
        """Each route's own or blueprint's ``error_format``, keyed as
        ``ErrorHandler.route_formats`` reads it (endpoint, URI template)."""
        formats: dict[tuple[str | None, str | None], str] = {}
        for route in self.router.routes:
            spec = self._spec_of_route.get(route)
            if spec is not None and spec.error_format is not None:
                formats[(route.name, route.path)] = spec.error_format
        return formats

    def _stream_check(self) -> StreamCheck | None:
        """The server's ``stream_check`` for the current routes (see ``_streaming``).

        Built at startup; compiles the router's matcher, which ``handle_request``
        then shares. None when no route streams.
        """
        return stream_check(*self._routes_for_checks())

    def _upgrade_check(self) -> UpgradeCheck:
        """The server's ``upgrade_check`` for the current routes (see ``_upgrade``).

        Built at startup; called only for requests that ask to upgrade.
        """
        return upgrade_check(*self._routes_for_checks())

    def _routes_for_checks(
        self,
    ) -> tuple[
        dict[Route, RouteSpec | None], Matcher, Callable[[Request], str | None] | None
    ]:
        """What the server's checks route with: each route with its registration,
        the compiled matcher (kept for ``handle_request``), the host function."""
        match_route = self._match
        if match_route is None:
            match_route = self._match = self.router.matcher()
        spec_of = self._spec_of_route
        routes = {route: spec_of.get(route) for route in self.router.routes}
        route_host = self._route_host if self._has_hosts else None
        return routes, match_route, route_host

    @staticmethod
    def _route_host(request: Request) -> str | None:
        """The host a request is routed by: an absolute-form target's authority
        wins over the Host header (RFC 9112 section 3.2.2)."""
        host = request.target_authority
        if host is None:
            host = request.headers.get("host")
        return host

    async def _not_a_response(
        self,
        request: Request,
        route: Route,
        result: object,
        write_callback: WriteCallback,
    ) -> Any:
        """The answer when the handler of ``route`` returned ``result``, not a
        response: the error handler's answer to a ``TypeError`` that says what
        to return instead (``sanic._results``), as for any unexpected error.

        A protocol that overrides ``write_response`` (the guide's custom
        protocol turning a string into ``text(...)``) gets ``result`` untouched.
        """
        protocol = getattr(write_callback, "__self__", None)
        if (
            isinstance(protocol, HttpProtocol)
            and type(protocol).write_response is not HttpProtocol.write_response
        ):
            return result
        return await self._error_response(
            request, not_a_response(route, request.method, result)
        )

    def _route_error(self, request: Request, exc: Exception) -> Exception:
        """The HTTP error for a request the router could not match."""
        if isinstance(exc, RouteMethodNotAllowed):
            return MethodNotSupported(
                f"Method {request.method} not allowed for URL {request.path}",
                request.method,
                sorted(exc.allowed),
            )
        return NotFound(f"Requested URL {request.path} not found")

    async def _error_response(self, request: Request, exc: Exception) -> HTTPResponse:
        response = self.error_handler.response(request, exc)
        if isawaitable(response):
            response = await response
        return response

    # ASGI ---------------------------------------------------------------------------

    #: The app's ASGI side, made at its first ASGI call (``sanic.asgi``).
    _asgi: ASGIAdapter | None = None

    async def __call__(
        self, scope: ASGIScope, receive: ASGIReceive, send: ASGISend
    ) -> None:
        """Serve one ASGI connection: the app is an ASGI 3 application
        (``uvicorn module:app``, ``hypercorn module:app``); see ``sanic.asgi``."""
        adapter = self._asgi
        if adapter is None:
            adapter = self._asgi = ASGIAdapter(self)
        await adapter(scope, receive, send)

    # Testing ------------------------------------------------------------------------

    @property
    def test_client(self) -> Any:
        """The guide's test client: ``app.test_client.get('/')`` (sanic-testing)."""
        if self._test_client is None:
            from ._plugins import load_plugin

            self._test_client = load_plugin("test_client")(self)
        return self._test_client
