"""The compiled route table of one host: a static dict plus segment trees.

Built once by ``Router.finalize()``. A lookup is, in order:

1. one dict look-up of the raw path among parameterless routes (the fast path:
   the keys are the canonical percent-encoded forms, so a raw path equal to a
   key decodes to exactly that template);
2. otherwise the path is split into segments (percent-decoded one by one, so an
   encoded ``%2F`` never splits a segment) and walked through a tree: first the
   tree of templates with exactly that many segments, then the tree of templates
   with a spanning ``path`` parameter.

At each tree node literal text is tried first (a dict look-up), then typed
parameters by converter priority, then registration order. A path that matches
routes but not the method keeps searching, so a less specific route that has the
method still wins; only when none has it is the union of methods reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote

from ._converters import Checker, Converter
from ._errors import MethodNotAllowed, NotFound
from ._route import Param, Route, RouteMatch

__all__ = ["SEGMENT_SAFE", "Table"]

# RFC 3986 section 3.3: a path segment may hold unreserved characters (quote()
# always keeps those), sub-delims, ":" and "@" without encoding.
SEGMENT_SAFE = "!$&'()*+,;=:@"

# method -> (route, parameter names, parsers or None when every value is text)
Target = tuple[Route, tuple[str, ...], "tuple[Any, ...] | None"]
Dispatch = dict[str, Target]


class _Node:
    """One tree position: literal children, parameter children, and the routes
    whose templates end here (split by the request's trailing slash)."""

    __slots__ = ("dynamic", "params", "plain", "routes", "slash", "spans", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        # Filled by freeze(): (checker, child) in the order they are tried.
        self.dynamic: tuple[tuple[Checker | None, _Node], ...] = ()
        self.spans: tuple[tuple[Checker | None, _Node], ...] = ()
        # While building: converter key -> (priority, order, converter, child).
        self.params: dict[object, tuple[int, int, Converter, _Node]] = {}
        self.routes: list[Route] = []
        self.plain: Dispatch | None = None
        self.slash: Dispatch | None = None

    def child(self, segment: str | Param) -> _Node:
        """Return (creating it if needed) the child for one template segment."""
        if isinstance(segment, str):
            node = self.static.get(segment)
            if node is None:
                node = self.static[segment] = _Node()
            return node
        conv = segment.converter
        entry = self.params.get(conv.key)
        if entry is None:
            entry = (conv.priority, len(self.params), conv, _Node())
            self.params[conv.key] = entry
        return entry[3]

    def freeze(self) -> None:
        """Order parameter children (priority, then registration) and compile the
        method tables of routes ending here, recursively."""
        ordered = sorted(self.params.values(), key=lambda e: (e[0], e[1]))
        self.dynamic = tuple((c.check, n) for _, _, c, n in ordered if not c.spans)
        self.spans = tuple((c.check, n) for _, _, c, n in ordered if c.spans)
        for node in self.static.values():
            node.freeze()
        for _, _, _, node in ordered:
            node.freeze()
        plain = [r for r in self.routes if not r.trailing]
        slash = [r for r in self.routes if r.trailing]
        self.plain = _dispatch(plain, [r for r in slash if not r.strict_slashes])
        self.slash = _dispatch(slash, [r for r in plain if not r.strict_slashes])


def _target(route: Route) -> Target:
    parsers = tuple(c.parse for c in route.converters)
    text_only = all(p is str for p in parsers)
    return (route, route.parameters, None if text_only else parsers)


def _dispatch(exact: list[Route], alternate: list[Route]) -> Dispatch | None:
    """Method table for one request form: exact-slash routes beat the ones that
    only match because their slashes are not strict; GET answers HEAD unless a
    route registers HEAD itself (RFC 9110, section 9.3.2)."""
    table: Dispatch = {}
    for routes in (exact, alternate):
        for route in routes:
            for method in route.methods:
                table.setdefault(method, _target(route))
    for routes in (exact, alternate):
        for route in routes:
            if "GET" in route.methods:
                table.setdefault("HEAD", _target(route))
    return table or None


def _walk(
    node: _Node,
    segs: list[str],
    i: int,
    n: int,
    method: str,
    trailing: bool,
    values: list[str],
    allowed: list[Dispatch],
) -> Target | None:
    if i == n:
        leaf = node.slash if trailing else node.plain
        if leaf is not None:
            target = leaf.get(method)
            if target is not None:
                return target
            allowed.append(leaf)
        return None
    seg = segs[i]
    child = node.static.get(seg)
    if child is not None:
        found = _walk(child, segs, i + 1, n, method, trailing, values, allowed)
        if found is not None:
            return found
    if seg:
        for check, child in node.dynamic:
            if check is None or check(seg) is not None:
                values.append(seg)
                found = _walk(child, segs, i + 1, n, method, trailing, values, allowed)
                if found is not None:
                    return found
                values.pop()
    for check, child in node.spans:
        # Shortest span first, like a lazy ".+?" followed by the rest of the path.
        for j in range(i + 1, n + 1):
            text = "/".join(segs[i:j])
            if text and (check is None or check(text) is not None):
                values.append(text)
                found = _walk(child, segs, j, n, method, trailing, values, allowed)
                if found is not None:
                    return found
                values.pop()
    return None


class Table:
    """All routes of one host (or of the default host), compiled for matching.

    Args:
        routes: The routes, in registration order.
    """

    __slots__ = ("_fixed", "_spanning", "_static")

    def __init__(self, routes: Iterable[Route]) -> None:
        self._fixed: dict[int, _Node] = {}
        spanning = _Node()
        statics: list[Route] = []
        for route in routes:
            if any(isinstance(s, Param) and s.converter.spans for s in route.segments):
                node = spanning
            else:
                node = self._fixed.setdefault(len(route.segments), _Node())
            for segment in route.segments:
                node = node.child(segment)
            node.routes.append(route)
            if not route.parameters:
                statics.append(route)
        for root in (*self._fixed.values(), spanning):
            root.freeze()
        # Most tables have no spanning routes: skip that walk entirely then.
        self._spanning = spanning if spanning.params or spanning.static else None
        self._static: dict[str, dict[str, RouteMatch]] = {}
        for route in statics:
            self._publish_static(route)

    def _publish_static(self, route: Route) -> None:
        """Give a parameterless route's path forms their one-look-up entries,
        with exactly the answers the tree walk would give."""
        node = self._fixed[len(route.segments)]
        for segment in route.segments:
            node = node.static[str(segment)]
        key = "/" + "/".join(quote(str(s), safe=SEGMENT_SAFE) for s in route.segments)
        forms = [(key, node.plain)]
        if key != "/":
            forms.append((key + "/", node.slash))
        for form, dispatch in forms:
            if dispatch is not None and form not in self._static:
                self._static[form] = {
                    method: RouteMatch(target[0], {})
                    for method, target in dispatch.items()
                }

    def resolve(self, path: str, method: str) -> RouteMatch | list[Dispatch]:
        """Find the route for a raw path and method.

        Args:
            path: The raw (percent-encoded) request path.
            method: The request method, case-sensitive (RFC 9110, section 9.1).

        Returns:
            The match, or the method tables of the routes whose path matched but
            whose methods did not (an empty list when no path matched).
        """
        found = self._static.get(path)
        if found is not None:
            match = found.get(method)
            if match is not None:
                return match
        return self._walk(path, method)

    def _walk(self, path: str, method: str) -> RouteMatch | list[Dispatch]:
        allowed: list[Dispatch] = []
        if not path.startswith("/"):
            return allowed
        trailing = len(path) > 1 and path[-1] == "/"
        body = path[1:-1] if trailing else path[1:]
        segs = body.split("/") if body else []
        if "%" in body:
            segs = [unquote(s) if "%" in s else s for s in segs]
        n = len(segs)
        values: list[str] = []
        target = None
        root = self._fixed.get(n)
        if root is not None:
            target = _walk(root, segs, 0, n, method, trailing, values, allowed)
        if target is None and self._spanning is not None:
            target = _walk(
                self._spanning, segs, 0, n, method, trailing, values, allowed
            )
        if target is None:
            return allowed
        route, names, parsers = target
        if parsers is None:
            return RouteMatch(route, dict(zip(names, values, strict=True)))
        return RouteMatch(
            route, {k: p(v) for k, p, v in zip(names, parsers, values, strict=True)}
        )

    def match(self, path: str, method: str, host: str | None = None) -> RouteMatch:
        """Like ``resolve`` but raising for a failed look-up.

        Args:
            path: The raw (percent-encoded) request path.
            method: The request method.
            host: Only reported in the errors.

        Returns:
            The match.

        Raises:
            NotFound: No route matches the path.
            MethodNotAllowed: Routes match the path but not the method.
        """
        found = self._static.get(path)
        if found is not None:
            match = found.get(method)
            if match is not None:
                return match
        result = self._walk(path, method)
        if isinstance(result, RouteMatch):
            return result
        raise failure(path, method, host, result)


def failure(
    path: str, method: str, host: str | None, allowed: list[Dispatch]
) -> NotFound | MethodNotAllowed:
    """The error for a failed look-up, given the method tables that matched."""
    if not allowed:
        return NotFound(path, method, host)
    methods = frozenset(m for dispatch in allowed for m in dispatch)
    return MethodNotAllowed(path, method, methods, host)
