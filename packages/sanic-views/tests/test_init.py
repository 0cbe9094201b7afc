from __future__ import annotations

import subprocess
import sys

import sanic_views


def test_public_surface() -> None:
    assert sorted(sanic_views.__all__) == [
        "CompositionView",
        "HTTPMethodView",
        "HTTP_METHODS",
        "is_stream",
        "stream",
    ]
    for name in sanic_views.__all__:
        assert hasattr(sanic_views, name)
    assert sanic_views.HTTP_METHODS == (
        "GET",
        "POST",
        "PUT",
        "HEAD",
        "OPTIONS",
        "PATCH",
        "DELETE",
    )


def test_imports_nothing_above_sanic_http() -> None:
    # ARCHITECTURE.md: a package never imports a package above it.
    code = (
        "import sys, sanic_views\n"
        "above = ('sanic', 'sanic_router', 'sanic_testing')\n"
        "bad = [m for m in above if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
