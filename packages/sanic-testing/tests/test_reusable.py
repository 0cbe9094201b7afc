"""The reusable client: one real server for many requests."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sanic import Sanic
from sanic.response import text
from sanic_testing import AsyncReusableClient, ReusableClient, SanicTestClientError


@pytest.fixture
def app() -> Sanic:
    app = Sanic("reusable")

    @app.route("/<name>")
    async def hello(request: Any, name: str) -> Any:
        # Later requests finish first, so answers come back out of order.
        await asyncio.sleep(0.01 * (5 - int(name)) if name.isdigit() else 0)
        return text(name)

    @app.route("/slow/down")
    async def slow(request: Any) -> Any:
        await asyncio.sleep(30)
        return text("late")

    return app


def test_many_requests_one_server(app: Sanic) -> None:
    starts: list[int] = []
    app.register_listener(lambda app, loop: starts.append(1), "before_server_start")
    with ReusableClient(app) as client:
        for name in ("a", "b", "c"):
            request, response = client.get(f"/{name}")
            assert request.path == f"/{name}"
            assert response.text == name
        port = client.port
        assert port is not None and port != 42101
    assert starts == [1]
    assert client.port == port


def test_the_tag_header_never_reaches_the_app(app: Sanic) -> None:
    with ReusableClient(app) as client:
        request, _ = client.get("/a", headers={"X-Mine": "1"})
    assert "X-Sanic-Testing-Tag" not in request.headers
    assert request.headers["X-Mine"] == "1"


def test_concurrent_requests_each_get_their_own_request(app: Sanic) -> None:
    async def main() -> list[tuple[Any, Any]]:
        async with AsyncReusableClient(app) as client:
            return await asyncio.gather(*(client.get(f"/{n}") for n in range(5)))

    for number, (request, response) in enumerate(asyncio.run(main())):
        assert request.path == f"/{number}"
        assert response.text == str(number)


def test_stop_listeners_run_once_and_middleware_is_removed(app: Sanic) -> None:
    events: list[str] = []
    for event in app.listeners:

        def record(app: Sanic, loop: Any, event: str = event) -> None:
            events.append(event)

        app.register_listener(record, event)
    client = ReusableClient(app)
    client.get("/a", gather_request=False)
    client.close()
    client.close()
    assert events == [
        "before_server_start",
        "after_server_start",
        "before_server_stop",
        "after_server_stop",
    ]
    assert app.request_middleware == []


def test_timeout_fails_clearly(app: Sanic) -> None:
    # Closing then waits this long for the abandoned handler, then aborts it.
    app.config.GRACEFUL_SHUTDOWN_TIMEOUT = 0.1
    with (
        ReusableClient(app, timeout=0.1) as client,
        pytest.raises(SanicTestClientError, match="timed out"),
    ):
        client.get("/slow/down")


def test_server_kwargs_and_debug(app: Sanic) -> None:
    with ReusableClient(app, debug=True, server_kwargs={"backlog": 5}) as client:
        assert client.get("/x", gather_request=False).text == "x"
    assert app.config.DEBUG is True


def test_a_failed_start_leaves_the_app_clean(app: Sanic) -> None:
    @app.listener("before_server_start")
    def explode(app: Sanic, loop: Any) -> None:
        raise ValueError("no start")

    client = ReusableClient(app)
    with pytest.raises(ValueError, match="no start"):
        client.start()
    client.close()
    assert app.request_middleware == []
