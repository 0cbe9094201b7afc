"""The compiled route table of one host: a static dict, length buckets, a tree.

Built once by ``Router.finalize()``. A look-up is, in order:

1. One dict look-up of the raw path among parameterless routes. The keys are the
   canonical percent-encoded forms, so a raw path equal to a key decodes to
   exactly that template, and the answer is the one the full search would give.
2. Otherwise the path is split into segments (each percent-decoded on its own,
   so an encoded ``%2F`` never splits a segment) and the templates with exactly
   that many segments are searched. They are grouped by *shape* (which
   positions are literal text): per shape, one dict keyed by the literal
   segments finds the candidate routes, whose parameters are then checked by
   their converters. No step scans all routes.
3. Finally the tree of templates with a spanning ``path`` parameter.

Shapes are tried so that, at the first position where two templates differ,
literal text beats a parameter; within a shape, converters with a lower priority
number (more specific) win, then registration order. A path that matches routes
but not the method keeps searching, so a less specific route that has the method
still wins; only when none has it is the union of methods reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter
from urllib.parse import quote, unquote

from ._converters import Checker
from ._errors import MethodNotAllowed, NotFound
from ._route import Param, Route, RouteMatch, Segment
from ._tree import Dispatch, Node, Parser, leaves, parser, walk

__all__ = ["SEGMENT_SAFE", "Table"]

# RFC 3986 section 3.3: a path segment may hold unreserved characters (quote()
# always keeps those), sub-delims, ":" and "@" without encoding.
SEGMENT_SAFE = "!$&'()*+,;=:@"

# The records below are slotted dataclasses, read by attribute in match(): in
# CPython 3.11 that costs about a quarter of unpacking a NamedTuple (which goes
# through the iterator protocol, the fast path being for exact tuples only).


@dataclass(frozen=True, slots=True)
class Check:
    """One parameter of a group: where it is and how its text is taken.

    Attributes:
        position: Its index among the request's segments.
        name: The keyword the handler receives.
        check: Whether the segment may fit; None for any non-empty text.
        parse: Turns the text into the value; None where the text is the value.
    """

    position: int
    name: str
    check: Checker | None
    parse: Parser | None


@dataclass(frozen=True, slots=True)
class Group:
    """Routes of one shape with the same literal text, converters and names.

    Attributes:
        checks: The parameters, in template order.
        plain: The method table for a request without a trailing slash.
        slash: The method table for a request with one.
    """

    checks: tuple[Check, ...]
    plain: Dispatch | None
    slash: Dispatch | None


@dataclass(frozen=True, slots=True)
class Shape:
    """Templates with literal text at the same positions.

    Attributes:
        literals: Takes a request's segments at those positions (the key of
            ``groups``); None if there are none (the key is ``()``).
        groups: By literal text, the groups to try in order.
    """

    literals: Callable[[list[str]], object] | None
    groups: dict[object, tuple[Group, ...]]


@dataclass(frozen=True, slots=True)
class Bucket:
    """The shapes of one segment count, in the order they are tried.

    Attributes:
        by_first: For a literal first segment, the shapes that may match it.
        any_first: The shapes for any other first segment (a parameter there).
    """

    by_first: dict[str, tuple[Shape, ...]]
    any_first: tuple[Shape, ...]


def _bucket(routes: list[Route]) -> Bucket:
    """Compile the routes of one segment count into ordered shapes, indexed by
    first segment."""
    # shape mask -> literal key -> converter keys -> routes
    grouped: dict[tuple[bool, ...], dict[object, dict[object, list[Route]]]] = {}
    for route in routes:
        mask = tuple(isinstance(s, Param) for s in route.segments)
        literal = tuple(s for s in route.segments if isinstance(s, str))
        key: object = literal[0] if len(literal) == 1 else literal
        # Routes of one group share converters *and* parameter names, so a
        # match fills the params dict as it checks, with nothing to re-map.
        kinds = tuple(
            (s.converter.key, s.name) for s in route.segments if isinstance(s, Param)
        )
        by_key = grouped.setdefault(mask, {}).setdefault(key, {})
        by_key.setdefault(kinds, []).append(route)
    # Each shape with the literal first segments it can match (None: any).
    shapes: list[tuple[Shape, frozenset[str] | None]] = []
    # False < True: a literal at the first differing position comes first.
    for mask in sorted(grouped):
        literal_at = [i for i, is_param in enumerate(mask) if not is_param]
        getter = itemgetter(*literal_at) if literal_at else None
        table = {
            key: tuple(_group(rs) for rs in sorted(by_kinds.values(), key=_rank))
            for key, by_kinds in grouped[mask].items()
        }
        firsts = None
        if mask and not mask[0]:
            firsts = frozenset(_first_literal(key) for key in table)
        shapes.append((Shape(getter, table), firsts))
    # Index by the path's first segment, keeping the order: a path then skips
    # every shape whose first literal segment it does not start with.
    known: set[str] = set().union(*(f for _, f in shapes if f is not None))
    by_first = {
        first: tuple(shape for shape, f in shapes if f is None or first in f)
        for first in known
    }
    return Bucket(by_first, tuple(shape for shape, f in shapes if f is None))


def _first_literal(key: object) -> str:
    # A shape's key is its one literal segment, or the tuple of them.
    return str(key[0] if isinstance(key, tuple) else key)


def _rank(routes: list[Route]) -> tuple[int, ...]:
    # More specific converters first, position by position; the sort is stable
    # and the groups arrive in registration order, which breaks ties.
    return tuple(c.priority for c in routes[0].converters)


def _group(routes: list[Route]) -> Group:
    checks = tuple(
        Check(i, s.name, s.converter.check, parser(s.converter))
        for i, s in enumerate(routes[0].segments)
        if isinstance(s, Param)
    )
    return Group(checks, *leaves(routes))


class Table:
    """All routes of one host (or of the default host), compiled for matching.

    Args:
        routes: The routes, in registration order.
    """

    __slots__ = ("_fixed", "_spanning", "_static")

    def __init__(self, routes: Iterable[Route]) -> None:
        spanning = Node()
        by_count: dict[int, list[Route]] = {}
        for route in routes:
            if any(c.spans for c in route.converters):
                spanning.add(route)
                continue
            by_count.setdefault(len(route.segments), []).append(route)
            if any(c.slashes for c in route.converters):
                # Tried as one segment per parameter above, over several here.
                spanning.add(route)
        spanning.freeze()
        # Most tables have no spanning routes: skip that search entirely then.
        self._spanning = spanning if spanning.params or spanning.static else None
        self._fixed = {n: _bucket(rs) for n, rs in by_count.items()}
        self._static = _static_forms(by_count.values())

    def match(self, path: str, method: str, host: str | None = None) -> RouteMatch:
        """Find the route for a raw path and method.

        This is the per-request hot path, kept in one frame on purpose.

        Args:
            path: The raw (percent-encoded) request path, without query string.
            method: The request method, case-sensitive (RFC 9110, section 9.1).
            host: Only reported in the errors.

        Returns:
            The route and its converted parameter values.

        Raises:
            NotFound: No route matches the path.
            MethodNotAllowed: Routes match the path but not the method.
        """
        found = self._static.get(path)
        if found is not None:
            match = found.get(method)
            if match is not None:
                return match
        if path[:1] != "/":
            raise NotFound(path, method, host)
        trailing = path[-1] == "/" and len(path) > 1
        body = path[1:-1] if trailing else path[1:]
        segs = body.split("/") if body else []
        if "%" in body:
            segs = [unquote(s) if "%" in s else s for s in segs]
        allowed: list[Dispatch] = []
        bucket = self._fixed.get(len(segs))
        if bucket is None:
            shapes: tuple[Shape, ...] = ()
        else:
            shapes = bucket.any_first
            if segs:
                shapes = bucket.by_first.get(segs[0], shapes)
        for shape in shapes:
            literals = shape.literals
            groups = shape.groups.get(literals(segs) if literals is not None else ())
            if groups is None:
                continue
            for group in groups:
                params: dict[str, object] = {}
                for param in group.checks:
                    seg = segs[param.position]
                    check = param.check
                    if not seg or (check is not None and not check(seg)):
                        break
                    parse = param.parse
                    if parse is None:
                        params[param.name] = seg
                        continue
                    try:
                        params[param.name] = parse(seg)
                    except ValueError:
                        break
                else:
                    leaf = group.slash if trailing else group.plain
                    if leaf is not None:
                        route = leaf.get(method)
                        if route is not None:
                            return RouteMatch(route, params)
                        allowed.append(leaf)
        if self._spanning is not None:
            values: list[object] = []
            route = walk(self._spanning, segs, 0, trailing, method, values, allowed)
            if route is not None:
                return RouteMatch(
                    route, dict(zip(route.parameters, values, strict=True))
                )
        if allowed:
            methods = frozenset(m for leaf in allowed for m in leaf)
            raise MethodNotAllowed(path, method, methods, host)
        raise NotFound(path, method, host)


def _static_forms(
    buckets: Iterable[list[Route]],
) -> dict[str, dict[str, RouteMatch]]:
    """One-look-up entries for parameterless routes, both slash forms, holding
    the answers the full search gives (their all-literal shape is tried first
    and has a single group)."""
    by_path: dict[tuple[Segment, ...], list[Route]] = {}
    for routes in buckets:
        for route in routes:
            if not route.parameters:
                by_path.setdefault(route.segments, []).append(route)
    static: dict[str, dict[str, RouteMatch]] = {}
    for segments, routes in by_path.items():
        path = "/" + "/".join(quote(str(s), safe=SEGMENT_SAFE) for s in segments)
        plain, slash = leaves(routes)
        forms = [(path, plain)]
        if path != "/":
            forms.append((path + "/", slash))
        for form, leaf in forms:
            if leaf is not None:
                static[form] = {m: RouteMatch(r, {}) for m, r in leaf.items()}
    return static
