from __future__ import annotations

import subprocess
import sys

from sanic_test_helpers import assert_public_surface

import sanic_views


def test_public_surface() -> None:
    assert_public_surface(
        sanic_views,
        ["CompositionView", "HTTPMethodView", "HTTP_METHODS", "is_stream", "stream"],
    )
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
