"""Method tables and the segment tree used for routes with a ``path`` parameter.

A ``path`` parameter may span any number of segments, so those templates cannot
be grouped by length the way ``Table`` groups the others. They live in a tree
searched depth-first: at each node literal text first (a dict look-up), then
parameters by converter priority and registration order, a spanning parameter
trying its shortest span first (like a lazy ``.+?``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._converters import Checker, Converter
from ._route import Param, Route

__all__ = ["Dispatch", "Node", "dispatch", "walk"]

Dispatch = dict[str, Route]
"""Method -> route, for the routes ending at one place of a table."""

# (checker or None for any non-empty text, parser or None for text, child)
_Edge = tuple["Checker | None", "Callable[[str], Any] | None", "Node"]


def dispatch(exact: list[Route], alternate: list[Route]) -> Dispatch | None:
    """Build the method table for one request form.

    Args:
        exact: Routes whose template has the request's trailing-slash form.
        alternate: Routes with the other form and ``strict_slashes=False``; they
            only get methods no exact route claims.

    Returns:
        The table (GET also answering HEAD unless a route registers HEAD itself,
        RFC 9110, section 9.3.2), or None if there are no routes.
    """
    table: Dispatch = {}
    for routes in (exact, alternate):
        for route in routes:
            for method in route.methods:
                table.setdefault(method, route)
    for routes in (exact, alternate):
        for route in routes:
            if "GET" in route.methods:
                table.setdefault("HEAD", route)
    return table or None


def leaves(routes: list[Route]) -> tuple[Dispatch | None, Dispatch | None]:
    """Split the routes ending at one place into the method tables for a request
    without and with a trailing slash."""
    plain = [r for r in routes if not r.trailing]
    slash = [r for r in routes if r.trailing]
    return (
        dispatch(plain, [r for r in slash if not r.strict_slashes]),
        dispatch(slash, [r for r in plain if not r.strict_slashes]),
    )


def parser(converter: Converter) -> Callable[[str], Any] | None:
    """The converter's parse function, or None where the text is the value."""
    return None if converter.parse is str else converter.parse


class Node:
    """One position in the tree: children and the routes that end here."""

    __slots__ = ("dynamic", "params", "plain", "routes", "slash", "spans", "static")

    def __init__(self) -> None:
        self.static: dict[str, Node] = {}
        # Filled by freeze(), in the order they are tried.
        self.dynamic: tuple[_Edge, ...] = ()
        self.spans: tuple[_Edge, ...] = ()
        # While building: converter key -> (priority, order, converter, child).
        self.params: dict[object, tuple[int, int, Converter, Node]] = {}
        self.routes: list[Route] = []
        self.plain: Dispatch | None = None
        self.slash: Dispatch | None = None

    def add(self, route: Route) -> None:
        """Insert a route below this node."""
        node = self
        for segment in route.segments:
            node = node._child(segment)
        node.routes.append(route)

    def _child(self, segment: str | Param) -> Node:
        if isinstance(segment, str):
            return self.static.setdefault(segment, Node())
        conv = segment.converter
        entry = self.params.get(conv.key)
        if entry is None:
            entry = self.params[conv.key] = (
                conv.priority,
                len(self.params),
                conv,
                Node(),
            )
        return entry[3]

    def freeze(self) -> None:
        """Order the parameter children and compile method tables, recursively."""
        ordered = sorted(self.params.values(), key=lambda e: (e[0], e[1]))
        edges = [(c.check, parser(c), n, c.spans) for _, _, c, n in ordered]
        self.dynamic = tuple((c, p, n) for c, p, n, spans in edges if not spans)
        self.spans = tuple((c, p, n) for c, p, n, spans in edges if spans)
        for node in (*self.static.values(), *(e[3] for e in ordered)):
            node.freeze()
        self.plain, self.slash = leaves(self.routes)


def walk(
    node: Node,
    segs: list[str],
    i: int,
    trailing: bool,
    method: str,
    values: list[Any],
    allowed: list[Dispatch],
) -> Route | None:
    """Search below ``node`` for ``segs[i:]``, depth-first.

    Args:
        node: Where to start.
        segs: The decoded request segments.
        i: The first segment not yet consumed.
        trailing: Whether the request path ends with a slash.
        method: The request method.
        values: Receives the converted parameter values of the match.
        allowed: Receives the method tables of paths that matched without the
            method.

    Returns:
        The route, or None.
    """
    n = len(segs)
    if i == n:
        leaf = node.slash if trailing else node.plain
        if leaf is not None:
            route = leaf.get(method)
            if route is not None:
                return route
            allowed.append(leaf)
        return None
    seg = segs[i]
    child = node.static.get(seg)
    if child is not None:
        found = walk(child, segs, i + 1, trailing, method, values, allowed)
        if found is not None:
            return found
    if seg:
        for check, parse, child in node.dynamic:
            if check is None or check(seg):
                try:
                    values.append(seg if parse is None else parse(seg))
                except ValueError:
                    continue
                found = walk(child, segs, i + 1, trailing, method, values, allowed)
                if found is not None:
                    return found
                values.pop()
    for check, parse, child in node.spans:
        for j in range(i + 1, n + 1):
            text = "/".join(segs[i:j])
            if text and (check is None or check(text)):
                try:
                    values.append(text if parse is None else parse(text))
                except ValueError:
                    continue
                found = walk(child, segs, j, trailing, method, values, allowed)
                if found is not None:
                    return found
                values.pop()
    return None
