"""The router: register with ``add()``, compile with ``finalize()``, then match."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from ._converters import CONVERTERS, Converter
from ._errors import (
    BuildError,
    MethodNotAllowed,
    NotFound,
    RouteDoesNotExist,
    RouteExists,
    RouterError,
)
from ._hints import close_names, did_you_mean
from ._route import Param, Route, RouteMatch, Segment, parse_template
from ._table import Table
from ._urls import build_url

__all__ = ["Matcher", "Router"]

#: Where the router reports what it accepts but doubts (its only log): a type in
#: a template that reads as a regular expression but looks like a mistyped
#: converter name. Standard ``logging``; nothing else is logged.
log = logging.getLogger("sanic_router")

Matcher = Callable[[str, str, "str | None"], RouteMatch]
"""A compiled look-up: ``(path, method, host) -> RouteMatch``, as ``Router.get``."""


class _Claim(NamedTuple):
    """What a route takes: one method of one path shape on one host (None for
    the default routes). Two routes may not claim the same."""

    host: str | None
    shape: tuple[object, ...]
    trailing: bool
    method: str


def _strip_port(host: str) -> str:
    # RFC 9110, section 7.2: Host is uri-host [":" port]; an IPv6 literal is
    # bracketed, so its own colons never start the port.
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.partition(":")[0]


def _hosts(host: str | Sequence[str] | None) -> tuple[str, ...]:
    if host is None:
        return ()
    names = (host,) if isinstance(host, str) else tuple(host)
    # RFC 3986, section 3.2.2: the host is case-insensitive.
    hosts = tuple(dict.fromkeys(h.strip().lower() for h in names))
    if not hosts or not all(hosts):
        raise RouterError(f"invalid host {host!r}")
    return hosts


def _warn_plain_types(
    template: str, segments: tuple[Segment, ...], converters: Mapping[str, Converter]
) -> None:
    """Log a warning for each ``<name:type>`` whose type is a plain word that
    names no converter (``integer``, ``String``): the guide reads it as a regular
    expression, which matches only that very word."""
    for segment in segments:
        if not isinstance(segment, Param):
            continue
        converter = segment.converter
        pattern = converter.pattern
        # regex_converter's name: the type named no converter.
        if converter.name != "regex" or pattern is None or not pattern.isidentifier():
            continue
        log.warning(
            "route %r: %r is not a parameter type, so <%s:%s> is a regular"
            " expression matching only the text %r%s (the types: %s)",
            template,
            pattern,
            segment.name,
            pattern,
            pattern,
            did_you_mean(close_names(pattern, converters)),
            ", ".join(sorted(converters)),
        )


def _shape(segments: tuple[Segment, ...]) -> tuple[object, ...]:
    # Parameter names do not matter for matching: /a/<x> and /a/<y> collide.
    return tuple(s.converter.key if isinstance(s, Param) else s for s in segments)


class Router:
    """A route table: typed path parameters, hosts, trailing slashes, url_for.

    Build it with ``add()`` (and ``remove()``), freeze it with ``finalize()``
    (done automatically by the first ``get()``), then match requests with
    ``get()`` and build URLs with ``url_for()``. To change a finalized router,
    change an unfinalized ``copy()`` of it.

    Args:
        converters: Extra or replacement converters by template name, on top of
            ``CONVERTERS``.
    """

    def __init__(self, converters: Mapping[str, Converter] | None = None) -> None:
        self._converters: dict[str, Converter] = {**CONVERTERS, **(converters or {})}
        self._routes: list[Route] = []
        self._names: dict[str, Route] = {}
        self._claims: dict[_Claim, Route] = {}
        self._unfinalize()

    def _unfinalize(self) -> None:
        # The compiled state of a router that has not been finalized: nothing.
        self._finalized = False
        self._default = Table(())
        self._hosts: dict[str, Table] = {}
        self._match: Matcher = self._default.match

    @property
    def routes(self) -> tuple[Route, ...]:
        """Every route, in registration order."""
        return tuple(self._routes)

    @property
    def finalized(self) -> bool:
        """True once ``finalize()`` has compiled the table."""
        return self._finalized

    def add(
        self,
        path: str,
        methods: Iterable[str] | None,
        handler: object,
        host: str | Sequence[str] | None = None,
        strict_slashes: bool = False,
        name: str | None = None,
    ) -> Route:
        """Register a route.

        Args:
            path: The template, e.g. ``/posts/<post_id:int>``. Parameters are
                ``<name>`` or ``<name:type>`` where type is a converter name
                (``int``, ``number``, ``alpha``, ``path``, ...) or a regular
                expression that must match the whole segment, or several
                segments if it may match ``/`` (``<name:[a-z0-9/]+>``). A type
                that is a plain word naming no converter (``<id:integer>``) is
                such an expression too, matching only that word; the router
                logs a warning for it (logger ``sanic_router``) suggesting the
                closest converter names.
            methods: The methods to answer; None means GET. GET also answers HEAD.
            handler: Any object; the router only hands it back.
            host: A host or list of hosts (``example.com`` also matches Host
                ``example.com:8000``); None makes it a default route for any host.
            strict_slashes: If False, ``/x`` and ``/x/`` both match; if True only
                the form as registered does.
            name: The name for ``url_for``; defaults to ``handler.__name__``.

        Returns:
            The new route.

        Raises:
            RouterError: The router is finalized, or the template is invalid.
            ParameterNameConflicts: The template repeats a parameter name.
            RouteExists: Another route already has this host, path shape and
                method.
        """
        if self._finalized:
            raise RouterError(f"cannot add {path!r}: the router is finalized")
        template, segments, trailing = parse_template(path, self._converters)
        _warn_plain_types(template, segments, self._converters)
        given = ("GET",) if methods is None else methods
        upper = tuple(dict.fromkeys(m.strip().upper() for m in given))
        if not upper or not all(upper):
            raise RouterError(f"invalid methods {methods!r} for {template!r}")
        if name is None:
            name = getattr(handler, "__name__", None)
        hosts = _hosts(host)
        route = Route(
            template, segments, trailing, upper, handler, hosts, strict_slashes, name
        )
        shape = _shape(segments)
        claims = [
            _Claim(h, shape, trailing, m) for h in hosts or (None,) for m in upper
        ]
        for claim in claims:
            if claim in self._claims:
                raise RouteExists(template, claim.method, claim.host)
        for claim in claims:
            self._claims[claim] = route
        self._routes.append(route)
        if name and name not in self._names:
            self._names[name] = route
        return route

    def remove(
        self, path: str, host: str | Sequence[str] | None = None
    ) -> tuple[Route, ...]:
        """Unregister the routes of a template, every method of them.

        A template matches as ``add()`` compares them: parameter names do not
        matter (``/a/<y>`` removes ``/a/<x>``). If no route has the template's
        trailing-slash form, the routes of the other form are removed instead,
        so ``remove('/x/')`` takes out a route registered as ``/x``.

        Args:
            path: The template, as given to ``add()``.
            host: Remove the routes bound to this host (or these hosts); a route
                bound to other hosts as well stays, for those. None removes the
                default routes (those registered without a host).

        Returns:
            The routes taken out, as they were registered (a route narrowed to
            its other hosts is among them and stays in ``routes``, narrowed).

        Raises:
            RouterError: The router is finalized (remove from a ``copy()``).
            RouteDoesNotExist: No route has that template on that host.
            ParameterNameConflicts: The template repeats a parameter name.
        """
        if self._finalized:
            raise RouterError(f"cannot remove {path!r}: the router is finalized")
        template, segments, trailing = parse_template(path, self._converters)
        hosts: tuple[str | None, ...] = _hosts(host) or (None,)
        shape = _shape(segments)

        def bound(route: Route, slash: bool) -> bool:
            return (
                route.trailing == slash
                and _shape(route.segments) == shape
                and any(h in hosts for h in route.hosts or (None,))
            )

        found = [r for r in self._routes if bound(r, trailing)]
        if not found:
            found = [r for r in self._routes if bound(r, not trailing)]
        if not found:
            raise RouteDoesNotExist(template, host)
        for route in found:
            for h in route.hosts or (None,):
                for method in route.methods:
                    del self._claims[_Claim(h, shape, route.trailing, method)]
            index = self._routes.index(route)
            left = tuple(h for h in route.hosts if h not in hosts)
            if not left:
                del self._routes[index]
                continue
            narrowed = Route(
                route.path,
                route.segments,
                route.trailing,
                route.methods,
                route.handler,
                left,
                route.strict_slashes,
                route.name,
            )
            self._routes[index] = narrowed
            for h in left:
                for method in route.methods:
                    self._claims[_Claim(h, shape, route.trailing, method)] = narrowed
        # A name goes to the first route still registered under it.
        self._names = {}
        for route in self._routes:
            if route.name and route.name not in self._names:
                self._names[route.name] = route
        return tuple(found)

    def copy(self) -> Router:
        """Return an unfinalized router with the same converters and routes.

        The way to change a finalized router (a running server keeps matching
        with the original until the copy replaces it). ``Route`` objects are
        shared; the copy's ``add()`` and ``remove()`` do not touch this router.
        """
        # A shallow copy keeps the class and any attributes a subclass added.
        clone = copy.copy(self)
        clone._converters = dict(self._converters)
        clone._routes = list(self._routes)
        clone._names = dict(self._names)
        clone._claims = dict(self._claims)
        clone._unfinalize()
        return clone

    def finalize(self) -> None:
        """Compile the table for matching; later calls do nothing.

        After this, ``add()`` and ``remove()`` raise ``RouterError``; change a
        ``copy()`` instead.
        """
        if self._finalized:
            return
        self._finalized = True
        self._default = Table(r for r in self._routes if not r.hosts)
        by_host: dict[str, list[Route]] = {}
        for route in self._routes:
            for host in route.hosts:
                by_host.setdefault(host, []).append(route)
        self._hosts = {host: Table(routes) for host, routes in by_host.items()}
        # Without host routes the default table answers directly.
        self._match = self._default.match if not self._hosts else self._match_hosts

    def matcher(self) -> Matcher:
        """Finalize, and return the compiled look-up that ``get()`` calls.

        It takes the same arguments (``host`` too, None for none), gives the
        same results and raises the same errors, minus ``get()``'s own call: a
        caller that matches every request against one router (a server) keeps
        it instead of calling ``get()``.
        """
        self.finalize()
        return self._match

    def get(self, path: str, method: str, host: str | None = None) -> RouteMatch:
        """Match a request (finalizing the router on first use).

        Args:
            path: The raw request path: still percent-encoded, no query string.
            method: The request method (case-sensitive, RFC 9110, section 9.1).
            host: The raw Host header value (may include ``:port``), or None.

        Returns:
            The route and its converted parameter values.

        Raises:
            NotFound: No route matches the path.
            MethodNotAllowed: The path matches but not the method; ``.allowed``
                lists the methods that would.
        """
        if not self._finalized:
            self.finalize()
        return self._match(path, method, host)

    def _match_hosts(
        self, path: str, method: str, host: str | None = None
    ) -> RouteMatch:
        allowed: frozenset[str] = frozenset()
        if host:
            # RFC 3986, section 3.2.2: the host is case-insensitive.
            name = host.lower()
            table = self._hosts.get(name) or self._hosts.get(_strip_port(name))
            if table is not None:
                try:
                    return table.match(path, method, host)
                except MethodNotAllowed as exc:
                    allowed = exc.allowed
                except NotFound:
                    pass
        # The host's own routes did not answer: default routes serve every host.
        try:
            return self._default.match(path, method, host)
        except MethodNotAllowed as exc:
            raise MethodNotAllowed(path, method, allowed | exc.allowed, host) from None
        except NotFound:
            if allowed:
                raise MethodNotAllowed(path, method, allowed, host) from None
            raise

    def by_name(self, name: str) -> Route | None:
        """Return the first route registered under a name, or None."""
        return self._names.get(name)

    def url_for(
        self,
        name: str,
        /,
        *,
        _anchor: str | None = None,
        _external: bool = False,
        _scheme: str | None = None,
        _server: str | None = None,
        _method: str | None = None,
        **params: object,
    ) -> str:
        """Build the URL of a named route.

        Args:
            name: The route name (a handler name, an explicit ``name=``, or a
                dotted ``blueprint.handler`` name given at registration).
                Positional-only, so a route parameter may be called ``name``.
            _anchor: A fragment to append after ``#``.
            _external: Make the URL absolute (``//server/...``) when a server is
                known (``_server``, else the route's first host); otherwise the
                URL is the same as without it.
            _scheme: The scheme of an external URL; requires ``_external``.
            _server: The ``host[:port]`` of an external URL, or
                ``scheme://host[:port]`` (its scheme applies unless ``_scheme``
                is given).
            _method: Accepted and ignored.
            **params: Values for the route's parameters (formatted by the same
                converters that match them); the rest become the query string,
                a list or tuple becoming a repeated key.

        Returns:
            The percent-encoded URL.

        Raises:
            BuildError: The name is unknown, a parameter is missing or does not
                fit its type, or ``_scheme`` is given without ``_external``.
        """
        route = self._names.get(name)
        if route is None:
            hint = did_you_mean(close_names(name, self._names))
            raise BuildError(f"url_for: no route named {name!r}{hint}", name, None)
        return build_url(route, name, params, _anchor, _external, _scheme, _server)
