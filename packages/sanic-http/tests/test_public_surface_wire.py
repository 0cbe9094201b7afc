"""The wire half of the public surface (responses and errors have their own test)."""

from __future__ import annotations

import inspect

import sanic_http

WIRE = {
    "LOOP_IMPLEMENTATION",
    "ErrorHandler",
    "HttpProtocol",
    "HttpServer",
    "RequestHandler",
    "ServerSettings",
    "Signal",
    "bind_socket",
    "new_event_loop",
    "serve",
    "serve_multiple",
    "trigger_listeners",
}


def test_wire_names_are_exported() -> None:
    assert set(sanic_http.__all__) >= WIRE


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
