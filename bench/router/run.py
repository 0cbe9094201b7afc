"""Lookups per second: sanic-router against sanic-routing 23.12, one run, one table.

Rows: 10, 100 and 1,000 routes; static and dynamic tables; hits and misses.
Each cell is the best of several timed rounds over a fixed list of request paths,
so both routers see exactly the same work. Run from the repository root:

    python bench/router/run.py [--rounds 7] [--lookups 20000] [--markdown]

sanic-routing must be installed in the running interpreter; sanic-router is
imported from the environment, or else from ``packages/sanic-router/src``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    import sanic_router
except ImportError:
    sys.path.insert(
        0, str(Path(__file__).resolve().parents[2] / "packages/sanic-router/src")
    )
    import sanic_router

try:
    import sanic_routing
except ImportError:
    sys.exit("sanic-routing is not installed: pip install 'sanic-routing==23.12.*'")

SIZES = (10, 100, 1000)


def _handler() -> None:
    """A stand-in handler; neither router calls it."""


def static_table(n: int) -> tuple[list[str], list[str], list[str]]:
    """Templates, hit paths and miss paths for a table of parameterless routes."""
    templates = [f"/api/v1/resource{i}/items" for i in range(n)]
    hits = list(templates)
    misses = [f"/api/v1/resource{i}/nothing" for i in range(n)]
    return templates, hits, misses


def dynamic_table(n: int) -> tuple[list[str], list[str], list[str]]:
    """Templates, hit paths and miss paths for a table of parameter routes.

    A third of the routes take an int, a third a string, a third two parameters;
    misses are half unknown prefixes and half values of the wrong type.
    """
    templates: list[str] = []
    hits: list[str] = []
    misses: list[str] = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            templates.append(f"/api/v1/resource{i}/<item_id:int>")
            hits.append(f"/api/v1/resource{i}/{i * 7}")
            misses.append(f"/api/v1/resource{i}/not-a-number")
        elif kind == 1:
            templates.append(f"/api/v1/resource{i}/<slug>")
            hits.append(f"/api/v1/resource{i}/slug-{i}")
            misses.append(f"/api/v2/resource{i}/slug-{i}")
        else:
            templates.append(f"/api/v1/resource{i}/<user>/posts/<post_id:int>")
            hits.append(f"/api/v1/resource{i}/user{i}/posts/{i}")
            misses.append(f"/api/v1/resource{i}/user{i}/posts/x{i}")
    return templates, hits, misses


def ours(templates: list[str]) -> Callable[[str], Any]:
    """A finalized sanic-router, as a path -> result callable."""
    router = sanic_router.Router()
    for template in templates:
        router.add(template, ["GET"], _handler, name=template)
    # What a server keeps: the compiled look-up, without get()'s own call.
    match = router.matcher()

    def lookup(path: str) -> Any:
        try:
            return match(path, "GET", None)
        except sanic_router.NotFound:
            return None

    return lookup


class _TheirRouter(sanic_routing.BaseRouter):  # type: ignore[misc]
    """sanic-routing's router is abstract only in ``get``; Sanic defines it so."""

    def get(self, path: str, method: str, extra: Any = None) -> Any:
        return self.resolve(path=path, method=method, extra=extra)


def theirs(templates: list[str]) -> Callable[[str], Any]:
    """A finalized sanic-routing router, as a path -> result callable."""
    router = _TheirRouter()
    for template in templates:
        router.add(template, _handler, methods=["GET"], name=template)
    router.finalize()
    resolve = router.resolve
    not_found = sanic_routing.exceptions.NotFound

    def lookup(path: str) -> Any:
        try:
            return resolve(path, method="GET")
        except not_found:
            return None

    return lookup


def rates(
    lookups: list[Callable[[str], Any]], paths: list[str], count: int, rounds: int
) -> list[float]:
    """Best lookups per second of each router over ``rounds`` passes.

    The routers take turns within every round, so a burst of load on the
    machine slows them alike instead of skewing the ratio.
    """
    work = (paths * (count // len(paths) + 1))[:count]
    best = [float("inf")] * len(lookups)
    for lookup in lookups:  # warm any caches before timing
        for path in paths:
            lookup(path)
    for _ in range(rounds):
        for k, lookup in enumerate(lookups):
            start = time.perf_counter()
            for path in work:
                lookup(path)
            best[k] = min(best[k], time.perf_counter() - start)
    return [count / t for t in best]


def check(
    a: Callable[[str], Any], b: Callable[[str], Any], paths: list[str], hit: bool
) -> None:
    """Both routers must agree on which paths match before they are timed."""
    for path in paths:
        if (a(path) is not None, b(path) is not None) != (hit, hit):
            raise SystemExit(f"routers disagree on {path!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--lookups", type=int, default=20000)
    parser.add_argument("--markdown", action="store_true", help="print a README table")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, sanic-routing {sanic_routing.__version__}")
    header = ("routes", "table", "lookup", "sanic-router/s", "sanic-routing/s", "ratio")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
    else:
        print("{:>6} {:>8} {:>6} {:>15} {:>16} {:>7}".format(*header))
    worst = float("inf")
    for kind, table in (("static", static_table), ("dynamic", dynamic_table)):
        for n in SIZES:
            templates, hits, misses = table(n)
            mine, other = ours(templates), theirs(templates)
            for label, paths, hit in (("hit", hits, True), ("miss", misses, False)):
                check(mine, other, paths, hit)
                a, b = rates([mine, other], paths, args.lookups, args.rounds)
                worst = min(worst, a / b)
                row = (n, kind, label, f"{a:,.0f}", f"{b:,.0f}", f"{a / b:.2f}x")
                if args.markdown:
                    print("| " + " | ".join(str(c) for c in row) + " |")
                else:
                    print("{:>6} {:>8} {:>6} {:>15} {:>16} {:>7}".format(*row))
    print(f"worst ratio: {worst:.2f}x")


if __name__ == "__main__":
    main()
