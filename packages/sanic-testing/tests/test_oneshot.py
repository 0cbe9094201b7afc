"""The one-shot client: a real server per request, cleaned up every time."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from sanic import Sanic
from sanic.response import text
from sanic.server import HttpProtocol
from sanic_testing import SanicTestClient, SanicTestClientError


@pytest.fixture
def app() -> Sanic:
    app = Sanic("oneshot")

    @app.route("/", methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    async def index(request: Any) -> Any:
        return text(request.method)

    @app.route("/fails")
    async def fails(request: Any) -> Any:
        raise RuntimeError("secret detail")

    @app.route("/slow")
    async def slow(request: Any) -> Any:
        await asyncio.sleep(30)
        return text("late")

    return app


@pytest.mark.parametrize(
    "method", ["get", "post", "put", "delete", "patch", "head", "options"]
)
def test_seven_methods(app: Sanic, method: str) -> None:
    request, response = getattr(app.test_client, method)("/")
    assert request.method == method.upper()
    assert response.status == 200
    assert response.text == ("" if method == "head" else method.upper())


def test_uri_defaults_to_root(app: Sanic) -> None:
    request, _ = app.test_client.get()
    assert request.path == "/"


def test_gather_request_false_returns_only_the_response(app: Sanic) -> None:
    response = app.test_client.get("/", gather_request=False)
    assert response.status == 200
    assert response.text == "GET"


def test_server_kwargs_reach_app_run(app: Sanic) -> None:
    made: list[HttpProtocol] = []

    class CountingProtocol(HttpProtocol):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            made.append(self)

    _, response = app.test_client.get("/", server_kwargs={"protocol": CountingProtocol})
    assert response.status == 200
    assert len(made) == 1


def test_debug_shows_the_error(app: Sanic) -> None:
    _, quiet = app.test_client.get("/fails")
    assert quiet.status == 500
    assert "secret detail" not in quiet.text
    _, loud = app.test_client.get("/fails", debug=True)
    assert loud.status == 500
    assert "secret detail" in loud.text


def test_listeners_run_once_per_request(app: Sanic) -> None:
    events: list[str] = []
    for event in (
        "before_server_start",
        "after_server_start",
        "before_server_stop",
        "after_server_stop",
    ):

        def record(app: Sanic, loop: Any, event: str = event) -> None:
            events.append(event)

        app.register_listener(record, event)
    app.test_client.get("/")
    app.test_client.get("/")
    assert events == 2 * [
        "before_server_start",
        "after_server_start",
        "before_server_stop",
        "after_server_stop",
    ]


def test_temporary_listener_and_middleware_are_removed(app: Sanic) -> None:
    middleware = list(app.request_middleware)
    listeners = {event: list(chain) for event, chain in app.listeners.items()}
    app.test_client.get("/")
    assert app.request_middleware == middleware
    assert app.listeners == listeners


def test_a_busy_port_falls_back_to_a_free_one(app: Sanic) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        client = SanicTestClient(app, port=busy)
        _, response = client.get("/")
    assert response.status == 200
    assert client.last_port not in (None, busy)


@pytest.mark.parametrize("port", [None, 0])
def test_port_none_always_takes_a_free_port(app: Sanic, port: int | None) -> None:
    client = SanicTestClient(app, port=port)
    request, _ = client.get("/")
    assert client.last_port == request.transport.get_extra_info("sockname")[1]
    assert client.last_port != 42101


def test_a_timeout_fails_the_test_clearly_without_hanging(app: Sanic) -> None:
    app.config.GRACEFUL_SHUTDOWN_TIMEOUT = 0.5
    client = SanicTestClient(app, port=None, timeout=0.2)
    with pytest.raises(SanicTestClientError, match=r"GET .*/slow failed: timed out"):
        client.get("/slow")
    assert client.get("/", gather_request=False).status == 200


def test_bad_client_arguments_raise_type_error(app: Sanic) -> None:
    with pytest.raises(TypeError):
        app.test_client.get("/", no_such_argument=1)


def test_a_failing_start_listener_propagates_and_cleans_up(app: Sanic) -> None:
    @app.listener("before_server_start")
    async def explode(app: Sanic, loop: Any) -> None:
        raise ValueError("cannot start")

    with pytest.raises(ValueError, match="cannot start"):
        app.test_client.get("/")
    assert app.listeners["after_server_start"] == []
    assert app.request_middleware == []


def test_an_own_socket_in_server_kwargs(app: Sanic) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        _, response = app.test_client.get("/", server_kwargs={"sock": sock})
    assert response.status == 200
    assert app.test_client.last_port == port
