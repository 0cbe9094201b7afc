"""``sanic.testing``: where Sanic 0.4 code finds the test client.

``HOST`` and ``PORT`` are where the one-shot test client runs the app. The client
(``SanicTestClient``, also under Sanic 0.4's name ``TestClient``) lives in
sanic-testing and is looked up when first asked for.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HOST", "PORT", "SanicTestClient", "TestClient"]

HOST = "127.0.0.1"
PORT = 42101

# Declared for type checkers; the value comes from __getattr__ on first use.
SanicTestClient: Any
TestClient: Any


def __getattr__(name: str) -> Any:
    if name in ("SanicTestClient", "TestClient"):
        from ._plugins import load_plugin

        return load_plugin("test_client")
    raise AttributeError(f"module 'sanic.testing' has no attribute {name!r}")
