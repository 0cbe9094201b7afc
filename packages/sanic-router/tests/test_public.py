"""The public surface changes only on purpose."""

from __future__ import annotations

import subprocess
import sys

import sanic_router


def test_all_is_the_public_surface() -> None:
    assert sorted(sanic_router.__all__) == sorted(
        [
            "CONVERTERS",
            "BuildError",
            "Converter",
            "MethodNotAllowed",
            "NotFound",
            "ParameterNameConflicts",
            "Route",
            "RouteDoesNotExist",
            "RouteExists",
            "RouteMatch",
            "Router",
            "RouterError",
        ]
    )
    for name in sanic_router.__all__:
        assert getattr(sanic_router, name) is not None


def test_imports_only_the_standard_library() -> None:
    code = (
        "import sys; before = set(sys.modules); import sanic_router; "
        "print('\\n'.join(set(sys.modules) - before))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0, out.stderr
    loaded = {name.split(".")[0] for name in out.stdout.split()}
    assert "sanic_router" in loaded
    assert loaded <= set(sys.stdlib_module_names) | {"sanic_router"}, loaded
