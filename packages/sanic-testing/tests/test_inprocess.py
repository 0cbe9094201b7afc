"""The in-process client: aiohttp's encoding, the server's framing, no socket."""

from __future__ import annotations

import asyncio
from http.cookies import Morsel
from typing import Any

import aiohttp
import pytest

from sanic import Sanic
from sanic.response import json, redirect, stream, text
from sanic_testing import AsyncInProcessClient, InProcessClient, SanicTestClientError


@pytest.fixture
def app() -> Sanic:
    app = Sanic("inprocess")

    @app.route("/echo", methods=["GET", "POST"])
    async def echo(request: Any) -> Any:
        return json(
            {
                "path": request.path,
                "query": request.query_string,
                "headers": dict(request.headers),
                "body": request.body.decode(),
            }
        )

    @app.route("/slow")
    async def slow(request: Any) -> Any:
        await asyncio.sleep(30)
        return text("late")

    @app.route("/loop")
    async def loop(request: Any) -> Any:
        return redirect("/loop")

    @app.route("/status/<code:int>")
    async def status(request: Any, code: int) -> Any:
        return text("status", status=code)

    @app.route("/halfway")
    async def halfway(request: Any) -> Any:
        async def body(response: Any) -> None:
            await response.write("first")
            raise RuntimeError("broken stream")

        return stream(body)

    @app.route("/never")
    async def never(request: Any) -> Any:
        async def body(response: Any) -> None:
            raise RuntimeError("before anything was written")

        return stream(body, headers={"Bad\nName": "x"})

    return app


@pytest.fixture
def client(app: Sanic) -> Any:
    with InProcessClient(app) as client:
        yield client


def test_default_headers_mirror_aiohttp(client: InProcessClient) -> None:
    _, response = client.get("/echo")
    headers = response.json["headers"]
    assert headers["Host"] == "127.0.0.1:42101"
    assert headers["Accept"] == "*/*"
    assert headers["User-Agent"].startswith("Python/")
    assert "Content-Length" not in headers
    _, posted = client.post("/echo")
    assert posted.json["headers"]["Content-Length"] == "0"


class Auth:
    """Quacks like aiohttp's (deprecated) ``BasicAuth``: ``encode()`` the header."""

    def encode(self) -> str:
        return "Basic dXNlcjpwYXNz"


def test_skip_auto_headers_and_auth(client: InProcessClient) -> None:
    _, response = client.get("/echo", skip_auto_headers=["User-Agent"], auth=Auth())
    headers = response.json["headers"]
    assert "User-Agent" not in headers
    assert headers["Authorization"] == "Basic dXNlcjpwYXNz"


@pytest.mark.parametrize(
    ("uri", "params", "query"),
    [
        ("/echo", {"a": ["1", "2"], "b": 3}, "a=1&a=2&b=3"),
        ("/echo?x=1", [("y", "2")], "x=1&y=2"),
        ("/echo", "raw=yes", "raw=yes"),
        ("/echo", {"a": "x=y&z", "b c": "é"}, "a=x%3Dy%26z&b+c=%C3%A9"),
        ("echo#fragment", None, ""),
        ("/echo?q=a b", None, "q=a%20b"),
    ],
)
def test_query_encoding(
    client: InProcessClient, uri: str, params: Any, query: str
) -> None:
    _, response = client.get(uri, params=params)
    assert response.json["path"] == "/echo"
    assert response.json["query"] == query


def test_non_ascii_path_is_percent_encoded(client: InProcessClient) -> None:
    request, response = client.get("/ünï")
    assert response.status == 404
    assert request.raw_url == b"/%C3%BCn%C3%AF"


def test_bool_params_are_refused_like_aiohttp(client: InProcessClient) -> None:
    with pytest.raises(TypeError, match="flag"):
        client.get("/echo", params={"flag": True})


def test_cookie_morsels_and_pairs(client: InProcessClient) -> None:
    morsel: Morsel[str] = Morsel()
    morsel.set("m", "v", "v")
    _, response = client.get("/echo", cookies=[("a", "1"), ("m", morsel)])
    assert response.json["headers"]["Cookie"] == "a=1; m=v"


def test_absolute_uri_sets_host(client: InProcessClient) -> None:
    _, response = client.get("http://example.com:8080/echo?x=1")
    assert response.json["headers"]["Host"] == "example.com:8080"
    assert response.json["query"] == "x=1"


def test_data_and_json_together_are_refused(client: InProcessClient) -> None:
    with pytest.raises(ValueError, match="data and json"):
        client.post("/echo", data="x", json={"a": 1})


def test_unsupported_arguments_are_named(client: InProcessClient) -> None:
    with pytest.raises(TypeError, match="proxy"):
        client.get("/echo", proxy="http://proxy")
    with pytest.raises(TypeError, match="positional"):
        client.get("/echo", "extra")


def test_a_client_timeout_fails_clearly(client: InProcessClient) -> None:
    with pytest.raises(SanicTestClientError, match="timed out"):
        client.get("/slow", timeout=aiohttp.ClientTimeout(total=0.05))
    with pytest.raises(SanicTestClientError, match="timed out"):
        client.get("/slow", timeout=0.05)


def test_the_response_timeout_answers_503(app: Sanic) -> None:
    app.config.RESPONSE_TIMEOUT = 0.05
    with InProcessClient(app) as client:
        _, response = client.get("/slow")
    assert response.status == 503


def test_too_many_redirects(client: InProcessClient) -> None:
    with pytest.raises(SanicTestClientError, match="too many redirects"):
        client.get("/loop", max_redirects=3)


def test_raise_for_status(client: InProcessClient) -> None:
    with pytest.raises(SanicTestClientError, match="418"):
        client.get("/status/418", raise_for_status=True)
    assert client.get("/status/204", raise_for_status=True)[1].body == b""


def test_a_stream_broken_after_its_head_raises(client: InProcessClient) -> None:
    with pytest.raises(SanicTestClientError, match="broke off"):
        client.get("/halfway")


def test_a_stream_failing_before_its_head_is_a_500(client: InProcessClient) -> None:
    _, response = client.get("/never")
    assert response.status == 500


def test_a_failing_error_handler_still_gives_500(app: Sanic) -> None:
    @app.route("/bad")
    async def bad(request: Any) -> Any:
        return None

    def no_handler(request: Any, exception: Exception) -> Any:
        raise RuntimeError("the error handler failed too")

    app.error_handler.response = no_handler  # type: ignore[method-assign]
    with InProcessClient(app) as client:
        _, response = client.get("/bad")
    assert (response.status, response.text) == (500, "Error: Internal Server Error")


def test_listeners_run_once_around_the_client(app: Sanic) -> None:
    events: list[str] = []
    for event in app.listeners:

        async def record(app: Sanic, loop: Any, event: str = event) -> None:
            assert loop is asyncio.get_running_loop()
            events.append(event)

        app.register_listener(record, event)
    client = InProcessClient(app)
    client.get("/echo")
    client.get("/echo")
    assert events == ["before_server_start", "after_server_start"]
    client.close()
    client.close()
    assert events[2:] == ["before_server_stop", "after_server_stop"]


def test_debug_sets_the_error_handler_to_debug(app: Sanic) -> None:
    with InProcessClient(app, debug=True):
        assert app.config.DEBUG is True
        assert app.error_handler.debug is True


def test_the_async_client() -> None:
    app = Sanic("async_inprocess")

    @app.route("/")
    async def index(request: Any) -> Any:
        return text("async")

    async def main() -> list[Any]:
        async with AsyncInProcessClient(app) as client:
            return [
                await getattr(client, method)("/", gather_request=False)
                for method in ("get", "post", "put", "delete", "patch", "head")
            ] + [await client.options("/", gather_request=False)]

    statuses = [response.status for response in asyncio.run(main())]
    assert statuses == [200, 405, 405, 405, 405, 200, 405]
