"""The public surface changes only on purpose."""

from __future__ import annotations

import subprocess
import sys

from sanic_test_helpers import assert_public_surface

import sanic_router


def test_all_is_the_public_surface() -> None:
    assert_public_surface(
        sanic_router,
        [
            "CONVERTERS",
            "BuildError",
            "Converter",
            "Matcher",
            "MethodNotAllowed",
            "NotFound",
            "ParameterNameConflicts",
            "Route",
            "RouteDoesNotExist",
            "RouteExists",
            "RouteMatch",
            "Router",
            "RouterError",
        ],
    )


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
