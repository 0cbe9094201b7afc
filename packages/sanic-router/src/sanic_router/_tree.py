"""Method tables and the segment tree used for routes with a ``path`` parameter.

A ``path`` parameter may span any number of segments, so those templates cannot
be grouped by length the way ``Table`` groups the others. They live in a tree
searched depth-first: at each node literal text first (a dict look-up), then
parameters by converter priority and registration order, a spanning parameter
trying its shortest span first (like a lazy ``.+?``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ._converters import Checker, Converter
from ._route import Param, Route

__all__ = ["Dispatch", "Edge", "Node", "Parser", "dispatch", "walk"]

Dispatch = dict[str, Route]
"""Method -> route, for the routes ending at one place of a table."""

Parser = Callable[[str], object]
"""A converter's parse function: matched text -> the handler's value."""


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


def parser(converter: Converter) -> Parser | None:
    """The converter's parse function, or None where the text is the value."""
    return None if converter.parse is str else converter.parse


@dataclass(frozen=True, slots=True)
class Edge:
    """A parameter child of a node, as the search tries it.

    Attributes:
        check: Whether a segment (or span) may fit; None for any non-empty text.
        parse: Turns the text into the value; None where the text is the value.
        child: The node below.
    """

    check: Checker | None
    parse: Parser | None
    child: Node


class Branch(NamedTuple):
    """A parameter child while the tree is built: its converter and node."""

    converter: Converter
    child: Node

    def edge(self) -> Edge:
        """The compiled form the search tries."""
        return Edge(self.converter.check, parser(self.converter), self.child)


class Node:
    """One position in the tree: children and the routes that end here."""

    __slots__ = ("dynamic", "params", "plain", "routes", "slash", "spans", "static")

    def __init__(self) -> None:
        self.static: dict[str, Node] = {}
        # Filled by freeze(), in the order they are tried.
        self.dynamic: tuple[Edge, ...] = ()
        self.spans: tuple[Edge, ...] = ()
        # While building, by converter key, in the order first seen (which
        # breaks ties of priority).
        self.params: dict[object, Branch] = {}
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
        converter = segment.converter
        branch = self.params.get(converter.key)
        if branch is None:
            branch = self.params[converter.key] = Branch(converter, Node())
        return branch.child

    def freeze(self) -> None:
        """Order the parameter children and compile method tables, recursively."""
        # A stable sort: equal priorities keep the order first seen.
        ordered = sorted(self.params.values(), key=lambda b: b.converter.priority)
        self.dynamic = tuple(b.edge() for b in ordered if not b.converter.slashes)
        self.spans = tuple(b.edge() for b in ordered if b.converter.slashes)
        for node in (*self.static.values(), *(b.child for b in ordered)):
            node.freeze()
        self.plain, self.slash = leaves(self.routes)


def walk(
    node: Node,
    segs: list[str],
    i: int,
    trailing: bool,
    method: str,
    values: list[object],
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
        for edge in node.dynamic:
            check, parse = edge.check, edge.parse
            if check is None or check(seg):
                try:
                    values.append(seg if parse is None else parse(seg))
                except ValueError:
                    continue
                found = walk(edge.child, segs, i + 1, trailing, method, values, allowed)
                if found is not None:
                    return found
                values.pop()
    for edge in node.spans:
        check, parse = edge.check, edge.parse
        for j in range(i + 1, n + 1):
            text = "/".join(segs[i:j])
            if text and (check is None or check(text)):
                try:
                    values.append(text if parse is None else parse(text))
                except ValueError:
                    continue
                found = walk(edge.child, segs, j, trailing, method, values, allowed)
                if found is not None:
                    return found
                values.pop()
    return None
