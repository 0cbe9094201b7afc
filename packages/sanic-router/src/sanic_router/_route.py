"""Routes, their parsed templates, and the result of a successful match."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ._converters import CONVERTERS, Converter, regex_converter
from ._errors import ParameterNameConflicts, RouterError

__all__ = ["Param", "Route", "RouteMatch", "Segment", "parse_template"]


class Param:
    """A parameter segment of a template, such as ``<post_id:int>``.

    Attributes:
        name: The keyword the handler receives.
        converter: How the segment is matched, parsed and formatted.
    """

    __slots__ = ("converter", "name")

    def __init__(self, name: str, converter: Converter) -> None:
        self.name = name
        self.converter = converter

    def __repr__(self) -> str:
        return f"<{self.name}:{self.converter.name}>"


Segment = str | Param
"""A template segment: literal text or a parameter."""


def parse_template(
    path: str, converters: Mapping[str, Converter] = CONVERTERS
) -> tuple[str, tuple[Segment, ...], bool]:
    """Split a route template into segments.

    Args:
        path: The template as registered, e.g. ``/posts/<post_id:int>``; a missing
            leading slash is added.
        converters: The converters a ``<name:type>`` may name; any other type is
            taken as a regular expression.

    Returns:
        The normalised template, its segments (between slashes outside
        ``<...>``, without the leading one and without a trailing one), and
        whether it ends with ``/``.

    Raises:
        ParameterNameConflicts: A parameter name repeats.
        RouterError: A parameter does not fill its segment, has an invalid
            name, or its pattern does not compile; or there is more than one
            spanning parameter (``path``, or a pattern that may match ``/``).
    """
    if not path.startswith("/"):
        path = "/" + path
    trailing = len(path) > 1 and path.endswith("/")
    body = path[1:-1] if trailing else path[1:]
    segments: list[Segment] = []
    seen: set[str] = set()
    for text in _split(body):
        if not (text.startswith("<") and text.endswith(">")):
            if "<" in text or ">" in text:
                raise RouterError(
                    f"in {path!r}: a parameter must fill a whole segment: {text!r}"
                )
            segments.append(text)
            continue
        param = _parse_param(path, text[1:-1], converters)
        if param.name in seen:
            raise ParameterNameConflicts(path, param.name)
        seen.add(param.name)
        segments.append(param)
    spans = [s.name for s in segments if isinstance(s, Param) and s.converter.spans]
    if len(spans) > 1:
        # Two spanning values could split the same URL more than one way.
        raise RouterError(f"in {path!r}: only one spanning parameter allowed: {spans}")
    return path, tuple(segments), trailing


def _split(body: str) -> list[str]:
    """Split a template body on the slashes outside ``<...>``: a parameter that
    opens a piece runs on to the first piece that closes it, so a pattern may
    hold ``/`` (``<name:[a-z/]+>``)."""
    if not body:
        return []
    pieces = body.split("/")
    texts: list[str] = []
    i, n = 0, len(pieces)
    while i < n:
        end = i
        if pieces[i].startswith("<"):
            while not pieces[end].endswith(">") and end + 1 < n:
                end += 1
        texts.append("/".join(pieces[i : end + 1]))
        i = end + 1
    return texts


def _parse_param(path: str, inner: str, converters: Mapping[str, Converter]) -> Param:
    name, sep, kind = inner.partition(":")
    name = name.strip()
    if not name.isidentifier():
        raise RouterError(f"in {path!r}: invalid parameter name {name!r}")
    if not sep:
        return Param(name, converters["string"])
    converter = converters.get(kind)
    if converter is None:
        try:
            converter = regex_converter(kind)
        except re.error as exc:
            raise RouterError(
                f"in {path!r}: invalid pattern for {name!r}: {kind!r} ({exc})"
            ) from None
    return Param(name, converter)


class Route:
    """One registered route: a template, its methods, hosts and handler.

    Attributes:
        handler: The object given to ``Router.add`` (the router never calls it).
        methods: Upper-cased methods as registered (HEAD is answered implicitly
            for GET but only listed here if registered).
        path: The template as registered, with a leading slash.
        name: The name ``url_for`` finds this route by, or None.
        hosts: The hosts the route is bound to, lower-cased; empty for the default.
        strict_slashes: Whether ``/x`` and ``/x/`` are told apart.
        parameters: The parameter names, in template order.
        segments: The parsed template (literal text and ``Param`` objects).
        trailing: Whether the template ends with a slash.
    """

    __slots__ = (
        "converters",
        "handler",
        "hosts",
        "methods",
        "name",
        "parameters",
        "path",
        "segments",
        "strict_slashes",
        "trailing",
    )

    def __init__(
        self,
        path: str,
        segments: tuple[Segment, ...],
        trailing: bool,
        methods: Iterable[str],
        handler: object,
        hosts: tuple[str, ...],
        strict_slashes: bool,
        name: str | None,
    ) -> None:
        self.path = path
        self.segments = segments
        self.trailing = trailing
        self.methods = frozenset(methods)
        self.handler = handler
        self.hosts = hosts
        self.strict_slashes = strict_slashes
        self.name = name
        params = [s for s in segments if isinstance(s, Param)]
        self.parameters = tuple(p.name for p in params)
        self.converters = tuple(p.converter for p in params)

    def __repr__(self) -> str:
        methods = ",".join(sorted(self.methods))
        hosts = f" hosts={list(self.hosts)}" if self.hosts else ""
        return f"<Route {methods} {self.path} name={self.name!r}{hosts}>"


class RouteMatch:
    """The result of ``Router.get``: the route and its converted parameters.

    For parameterless routes the same ``RouteMatch`` (and the same empty
    ``params`` dict) is returned on every call, so treat ``params`` as
    read-only.

    Attributes:
        route: The matched route.
        params: Parameter values by name, converted (``int``, ``float``, ...)
            and percent-decoded.
    """

    __slots__ = ("params", "route")

    def __init__(self, route: Route, params: dict[str, object]) -> None:
        self.route = route
        self.params = params

    @property
    def handler(self) -> object:
        """The matched route's handler."""
        return self.route.handler

    def __repr__(self) -> str:
        return f"RouteMatch({self.route!r}, {self.params!r})"
