"""Per-request cost of view dispatch, ours against Sanic 25.12's.

Times one call of the route handler a view produces, the part of every request a view
adds, with a stand-in request object. Run it directly; when BENCH_PEER_PYTHON points at
an interpreter with ``sanic`` installed, the same cases run there with ``sanic.views``.

    python bench/views/run.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import timeit

# One script for both sides: ``{module}`` is the import that provides the views.
CASES = """
from types import SimpleNamespace
from {module} import HTTPMethodView
try:
    from {module} import CompositionView
except ImportError:  # Sanic removed CompositionView in 21.x
    CompositionView = None

class View(HTTPMethodView):
    def get(self, request, name):
        return name
    def post(self, request, name):
        return name

class Configured(View):
    def __init__(self, tag="x"):
        self.tag = tag

plain = View.as_view()
configured = Configured.as_view(tag="y")
if CompositionView is not None:
    composed = CompositionView()
    composed.add(["GET"], lambda request, name: name)
get = SimpleNamespace(method="GET", path="/a")

def rejected():
    try:
        plain(SimpleNamespace(method="PUT", path="/a"), name="a")
    except Exception:
        pass

cases = {{
    "HTTPMethodView GET": lambda: plain(get, name="a"),
    "HTTPMethodView GET, as_view(kwargs)": lambda: configured(get, name="a"),
    "HTTPMethodView 405 (sanic: AttributeError)": rejected,
}}
if CompositionView is not None:
    cases["CompositionView GET"] = lambda: composed(get, name="a")
"""

TIMER = """
import timeit
for label, case in cases.items():
    number = 200_000
    best = min(timeit.repeat(case, number=number, repeat=5)) / number
    print(f"{label:44s} {best * 1e9:8.0f} ns")
"""


def main() -> None:
    """Print nanoseconds per handler call for each case and side."""
    print("sanic-views")
    namespace: dict[str, object] = {"timeit": timeit}
    exec(CASES.format(module="sanic_views") + TIMER, namespace)
    peer = os.environ.get("BENCH_PEER_PYTHON")
    if peer:
        print("sanic 25.12 (sanic.views)")
        script = CASES.format(module="sanic.views") + TIMER
        subprocess.run([peer, "-c", script], check=True, timeout=600)
    else:
        print("(set BENCH_PEER_PYTHON to compare with sanic.views)", file=sys.stderr)


if __name__ == "__main__":
    main()
