"""Current Sanic's shorthands: top-level names, ``empty``, listener and middleware
decorators, over a real server."""

from __future__ import annotations

from typing import Any

import pytest
from sanic_test_helpers import Client

import sanic
import sanic.request
import sanic.response
from sanic import Blueprint, Sanic, empty, json, text


def test_top_level_names_are_the_response_and_request_modules_objects() -> None:
    for name in ("json", "text", "html", "raw", "redirect", "file", "empty"):
        assert getattr(sanic, name) is getattr(sanic.response, name), name
    assert sanic.HTTPResponse is sanic.response.HTTPResponse
    assert sanic.Request is sanic.request.Request


def test_empty_answers_204_and_keeps_the_connection(serve: Any) -> None:
    app = Sanic("empty_204")

    @app.delete("/item")
    async def delete(request: Any) -> Any:
        return empty()

    @app.get("/after")
    async def after(request: Any) -> Any:
        return text("next")

    with serve(app) as server, Client.connect(server.host, server.port) as client:
        client.send(b"DELETE /item HTTP/1.1\r\nHost: x\r\n\r\n")
        first = client.response()
        second = client.get("/after")  # the same connection: nothing was left over
    assert (first.status, first.body) == (204, b"")
    assert first.get("Content-Length") is None
    assert first.get("Content-Type") is None
    assert (second.status, second.body) == (200, b"next")


def test_listener_shorthands_keep_the_order_rules(serve: Any) -> None:
    """Bare and called shorthands mix with ``listener(event)``: start listeners
    run in registration order (app then blueprint), stop listeners reversed."""
    app = Sanic("listener_shorthands")
    blueprint = Blueprint("bp_listeners")
    seen: list[str] = []

    def record(name: str) -> Any:
        def listener(app: Sanic, loop: Any) -> None:
            seen.append(name)

        return listener

    app.before_server_start(record("before_start 1"))
    app.listener("before_server_start")(record("before_start 2"))
    app.after_server_start()(record("after_start 1"))
    blueprint.after_server_start(record("after_start bp"))
    app.before_server_stop(record("before_stop 1"))
    app.before_server_stop()(record("before_stop 2"))
    blueprint.before_server_stop(record("before_stop bp"))
    app.after_server_stop(record("after_stop 1"))
    blueprint.after_server_stop()(record("after_stop bp"))
    app.blueprint(blueprint)

    @app.get("/")
    async def index(request: Any) -> Any:
        return text("ok")

    with serve(app) as server:
        assert server.get("/").text == "ok"
        assert seen == [
            "before_start 1",
            "before_start 2",
            "after_start 1",
            "after_start bp",
        ]
    assert seen[4:] == [
        "before_stop bp",
        "before_stop 2",
        "before_stop 1",
        "after_stop bp",
        "after_stop 1",
    ]


def test_a_bare_shorthand_returns_the_function() -> None:
    app = Sanic("shorthand_returns")

    def listener(app: Sanic, loop: Any) -> None: ...

    async def middleware(request: Any) -> None: ...

    assert app.before_server_start(listener) is listener
    assert app.on_request(middleware) is middleware
    assert app.on_request()(middleware) is middleware
    assert app.request_middleware == [middleware]  # registered once
    with pytest.raises(TypeError, match="a function"):
        app.on_response("response")  # type: ignore[call-overload]


def test_middleware_shorthands_bare_and_called(serve: Any) -> None:
    app = Sanic("middleware_shorthands")
    blueprint = Blueprint("bp_middleware")

    @app.on_request
    async def first(request: Any) -> None:
        request["seen"] = ["app bare"]

    @blueprint.on_request()
    async def second(request: Any) -> None:
        request["seen"].append("bp called")

    @app.on_response()
    async def header(request: Any, response: Any) -> None:
        response.headers["X-Called"] = "1"

    @blueprint.on_response
    async def bare(request: Any, response: Any) -> None:
        response.headers["X-Bare"] = "1"

    @blueprint.get("/")
    async def index(request: Any) -> Any:
        return json(request["seen"])

    app.blueprint(blueprint)
    with serve(app) as server:
        reply = server.get("/")
    assert reply.json == ["app bare", "bp called"]
    assert (reply.headers["X-Called"], reply.headers["X-Bare"]) == ("1", "1")
