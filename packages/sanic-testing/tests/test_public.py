from __future__ import annotations

import sanic_testing
import sanic_testing.plugin


def test_public_surface() -> None:
    assert sanic_testing.__all__ == [
        "AsyncInProcessClient",
        "AsyncReusableClient",
        "InProcessClient",
        "ReusableClient",
        "SanicTestClient",
        "SanicTestClientError",
        "SanicTestResponse",
    ]
    for name in sanic_testing.__all__:
        assert getattr(sanic_testing, name).__module__.startswith("sanic_testing.")


def test_plugin_surface() -> None:
    assert sanic_testing.plugin.__all__ == [
        "inprocess_client",
        "reusable_client",
        "sanic_inprocess_client",
        "sanic_reusable_client",
        "test_client",
    ]


def test_core_finds_the_client_through_the_entry_point() -> None:
    from sanic.testing import SanicTestClient

    assert SanicTestClient is sanic_testing.SanicTestClient
