"""The protocol's documented constructor (the surface is in test_public_surface)."""

from __future__ import annotations

import inspect

import sanic_http


def test_protocol_takes_exactly_the_seven_documented_arguments() -> None:
    parameters = inspect.signature(sanic_http.HttpProtocol).parameters
    assert set(parameters) == {
        "loop",
        "connections",
        "signal",
        "request_handler",
        "error_handler",
        "request_timeout",
        "request_max_size",
    }
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters.values())
