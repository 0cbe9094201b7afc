"""``client.websocket(uri)`` on every client: a connected websocket to the app.

Each test runs on the one-shot ``app.test_client`` (a server for the one
connection), the reusable client (a real server and socket) and the in-process
client (the app's real protocol over memory), in their async forms; the blocking
clients and the pytest fixture are checked at the end.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, text
from sanic_testing import (
    AsyncInProcessClient,
    AsyncReusableClient,
    InProcessClient,
    ReusableClient,
    WebSocketClient,
    WebSocketRefused,
)

KINDS = ("one-shot", "reusable", "in-process")


def make_app(name: str) -> tuple[Sanic, list[str]]:
    app = Sanic(name)
    events: list[str] = []

    @app.websocket("/echo")
    async def echo(request: Request, ws: Any) -> None:
        async for message in ws:
            await ws.send(message)

    @app.websocket("/hello/<who>", subprotocols=["v2", "v1"])
    async def hello(request: Request, ws: Any, who: str) -> None:
        await ws.send(f"hello {who} over {ws.subprotocol}")

    @app.websocket("/broken")
    async def broken(request: Request, ws: Any) -> None:
        await ws.send("about to fail")
        raise RuntimeError("on purpose")

    @app.route("/plain")
    async def plain(request: Request) -> HTTPResponse:
        return text("plain")

    @app.middleware("request")
    async def guard(request: Request) -> HTTPResponse | None:
        if request.headers.get("X-Refuse"):
            return text("refused by middleware", 403)
        return None

    @app.listener("before_server_start")
    async def started(app: Sanic, loop: Any) -> None:
        events.append("start")

    @app.listener("after_server_stop")
    async def stopped(app: Sanic, loop: Any) -> None:
        events.append("stop")

    return app, events


@asynccontextmanager
async def websocket(
    kind: str, app: Sanic, uri: str, **kwargs: Any
) -> AsyncIterator[WebSocketClient]:
    if kind == "one-shot":
        async with app.test_client.websocket(uri, **kwargs) as ws:
            yield ws
    elif kind == "reusable":
        async with (
            AsyncReusableClient(app) as client,
            client.websocket(uri, **kwargs) as ws,
        ):
            yield ws
    else:
        async with (
            AsyncInProcessClient(app) as client,
            client.websocket(uri, **kwargs) as ws,
        ):
            yield ws


@pytest.mark.parametrize("kind", KINDS)
def test_echo_text_and_binary_and_the_request(kind: str) -> None:
    app, events = make_app(f"ws_client_echo_{kind.replace('-', '_')}")

    async def main() -> None:
        async with websocket(kind, app, "/echo") as ws:
            assert ws.request is not None and ws.request.path == "/echo"
            assert ws.request.scheme == "ws"
            await ws.send("hello")
            assert await ws.receive() == "hello"
            big = bytes(range(256)) * 1000
            await ws.send(big)
            assert await ws.receive() == big
            assert not ws.closed
        assert ws.closed and ws.close_code == 1000

    asyncio.run(main())
    assert events == ["start", "stop"]


@pytest.mark.parametrize("kind", KINDS)
def test_subprotocol_parameters_and_the_close_when_the_handler_returns(
    kind: str,
) -> None:
    app, _ = make_app(f"ws_client_hello_{kind.replace('-', '_')}")

    async def main() -> None:
        async with websocket(kind, app, "/hello/ann", subprotocols=["v1"]) as ws:
            assert ws.subprotocol == "v1"
            assert [message async for message in ws] == ["hello ann over v1"]
            assert ws.close_code == 1000
            assert await ws.receive() is None

    asyncio.run(main())


@pytest.mark.parametrize("kind", KINDS)
def test_a_handler_error_closes_1011(kind: str) -> None:
    app, _ = make_app(f"ws_client_broken_{kind.replace('-', '_')}")

    async def main() -> None:
        async with websocket(kind, app, "/broken") as ws:
            assert await ws.receive() == "about to fail"
            assert await ws.receive() is None
            assert ws.close_code == 1011

    asyncio.run(main())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("uri", "headers", "status"),
    [("/echo", {"X-Refuse": "1"}, 403), ("/plain", {}, 200), ("/nowhere", {}, 404)],
)
def test_a_refused_handshake_raises_with_the_status(
    kind: str, uri: str, headers: dict[str, str], status: int
) -> None:
    app, events = make_app(f"ws_client_refused_{kind.replace('-', '_')}_{status}")

    async def main() -> None:
        with pytest.raises(WebSocketRefused) as info:
            async with websocket(kind, app, uri, headers=headers):
                pass
        assert info.value.status == status

    asyncio.run(main())
    assert events == ["start", "stop"]  # the server stopped all the same


@pytest.mark.parametrize("kind", ["reusable", "in-process"])
def test_websockets_of_one_client_share_its_server(kind: str) -> None:
    app = Sanic(f"ws_client_room_{kind.replace('-', '_')}")
    members: set[Any] = set()
    bp = Blueprint("room", url_prefix="/room")

    @bp.websocket("/")
    async def room(request: Request, ws: Any) -> None:
        members.add(ws)
        await ws.send(f"{len(members)} here")
        try:
            async for message in ws:
                await asyncio.gather(*(member.send(message) for member in members))
        finally:
            members.discard(ws)

    app.blueprint(bp)
    client_class = AsyncReusableClient if kind == "reusable" else AsyncInProcessClient

    async def main() -> None:
        async with client_class(app) as client, client.websocket("/room") as ann:
            assert await ann.receive() == "1 here"
            async with client.websocket("/room") as bob:
                assert await bob.receive() == "2 here"
                await ann.send("hi all")
                assert await ann.receive() == "hi all"
                assert await bob.receive() == "hi all"

    asyncio.run(main())


@pytest.mark.parametrize("client_class", [ReusableClient, InProcessClient])
def test_the_blocking_clients_give_a_blocking_websocket(client_class: Any) -> None:
    app, events = make_app(f"ws_blocking_{client_class.__name__}")
    with client_class(app) as client:
        with client.websocket("/echo") as ws:
            ws.send("one")
            assert ws.receive() == "one"
            assert ws.request is not None and ws.request.path == "/echo"
        assert ws.close_code == 1000
        with client.websocket("/hello/bo", subprotocols=["v2"]) as ws:
            assert list(ws) == ["hello bo over v2"]
        with pytest.raises(WebSocketRefused):
            client.websocket("/plain")
        _, response = client.get("/plain")
        assert response.text == "plain"
    assert events == ["start", "stop"]


def test_a_receive_times_out() -> None:
    app, _ = make_app("ws_client_timeout")

    async def main() -> None:
        async with AsyncInProcessClient(app) as client, client.websocket("/echo") as ws:
            with pytest.raises(asyncio.TimeoutError):
                await ws.receive(timeout=0.05)
            await ws.send("still open")
            assert await ws.receive() == "still open"

    asyncio.run(main())


def test_the_pytest_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from sanic import Sanic

        @pytest.fixture
        def app():
            app = Sanic("fixture_ws")

            @app.websocket("/echo")
            async def echo(request, ws):
                async for message in ws:
                    await ws.send(message)

            return app

        def test_two_websockets(sanic_websocket):
            ann, bob = sanic_websocket("/echo"), sanic_websocket("/echo")
            ann.send("a")
            bob.send(b"b")
            assert (ann.receive(), bob.receive()) == ("a", b"b")
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_one_shot_client_in_a_plain_test() -> None:
    app, events = make_app("ws_one_shot_blocking")
    with app.test_client.websocket("/echo") as ws:
        ws.send("plain")
        assert ws.receive() == "plain"
        assert app.test_client.last_port is not None
    assert ws.closed and ws.close_code == 1000
    assert events == ["start", "stop"]
    with pytest.raises(WebSocketRefused) as info, app.test_client.websocket("/plain"):
        pass
    assert info.value.status == 200
    assert events == ["start", "stop", "start", "stop"]


@pytest.mark.parametrize("client_class", [AsyncReusableClient, AsyncInProcessClient])
def test_closing_the_client_closes_its_websockets_first(client_class: Any) -> None:
    app = Sanic(f"ws_client_left_open_{client_class.__name__}")
    ended: list[int | None] = []

    @app.websocket("/wait")
    async def wait(request: Request, ws: Any) -> None:
        async for _ in ws:
            pass
        ended.append(ws.close_code)

    async def main() -> WebSocketClient:
        async with client_class(app) as client:
            ws = await client.websocket("/wait")
            await ws.send("still open when the client closes")
        return ws

    ws = asyncio.run(main())
    # Closed by the client (1000), not left for the server's shutdown (1001).
    assert ws.closed and ws.close_code == 1000
    assert ended == [1000]
