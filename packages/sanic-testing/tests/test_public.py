from __future__ import annotations

from sanic_test_helpers import assert_public_surface

import sanic_testing
import sanic_testing.plugin


def test_public_surface() -> None:
    names = [
        "AsyncInProcessClient",
        "AsyncReusableClient",
        "BlockingWebSocket",
        "InProcessClient",
        "ReusableClient",
        "SanicTestClient",
        "SanicTestClientError",
        "SanicTestResponse",
        "WebSocketClient",
        "WebSocketConnect",
        "WebSocketRefused",
    ]
    assert_public_surface(sanic_testing, names)
    for name in names:
        assert getattr(sanic_testing, name).__module__.startswith("sanic_testing.")


def test_plugin_surface() -> None:
    names = [
        "CLIENT_KINDS",
        "inprocess_client",
        "open_client",
        "sanic_client",
        "reusable_client",
        "sanic_inprocess_client",
        "sanic_reusable_client",
        "sanic_websocket",
        "test_client",
    ]
    assert_public_surface(sanic_testing.plugin, names, complete=False)


def test_core_finds_the_client_through_the_entry_point() -> None:
    from sanic.testing import SanicTestClient

    assert SanicTestClient is sanic_testing.SanicTestClient
