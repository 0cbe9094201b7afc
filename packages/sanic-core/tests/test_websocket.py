"""``@app.websocket`` and friends: registration, url_for, and live connections.

The live tests run the app in a thread (``serve``) and talk to it with aiohttp's
websocket client over a real socket (sanic-testing sits above sanic-core).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from sanic import Blueprint, Sanic
from sanic.exceptions import WebSocketConnectionClosed
from sanic.request import Request
from sanic.response import HTTPResponse, text

WAIT = 10.0


async def echo(request: Request, ws: Any) -> None:
    async for message in ws:
        await ws.send(message)


def talk(
    server: Any,
    path: str,
    conversation: Callable[[aiohttp.ClientWebSocketResponse], Awaitable[Any]],
    **kwargs: Any,
) -> Any:
    """Open a websocket to ``path`` on ``server`` and run ``conversation(ws)``."""

    async def main() -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(
                f"ws://{server.host}:{server.port}{path}", **kwargs
            ) as ws,
        ):
            return await asyncio.wait_for(conversation(ws), WAIT)

    return asyncio.run(main())


def refused(server: Any, path: str, **kwargs: Any) -> tuple[int, str]:
    """The status and message of a handshake the server refuses."""

    async def main() -> tuple[int, str]:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as info:
                await session.ws_connect(
                    f"ws://{server.host}:{server.port}{path}", **kwargs
                )
            return info.value.status, info.value.message

    return asyncio.run(main())


async def closing(ws: aiohttp.ClientWebSocketResponse) -> tuple[int | None, str]:
    """Read until the server closes; its close code and the last text."""
    last = ""
    async for message in ws:
        last = message.data
    return ws.close_code, last


# -- registration ----------------------------------------------------------------------


def test_a_websocket_route_is_a_get_route_that_upgrades() -> None:
    app = Sanic("ws_registration")
    app.websocket("/feed")(echo)
    (route,) = app.router.routes
    assert route.methods == frozenset({"GET"}) or set(route.methods) == {"GET"}
    assert route.name == "echo"
    assert app.websocket_enabled
    spec = app._spec_of_route[route]
    assert spec.upgrade == frozenset({"websocket"})
    assert route.handler.__name__ == "echo"  # the wrapper keeps the name


def test_add_websocket_route_names_and_returns_the_handler() -> None:
    app = Sanic("ws_add")
    assert app.add_websocket_route(echo, "feed", name="live") is echo
    assert app.url_for("live") == "/feed"


def test_enable_websocket_is_a_flag() -> None:
    app = Sanic("ws_enable")
    assert app.websocket_enabled is False
    app.enable_websocket()
    assert app.websocket_enabled is True
    app.enable_websocket(False)
    assert app.websocket_enabled is False


def test_subprotocols_must_be_a_list_of_names() -> None:
    app = Sanic("ws_subprotocols_str")
    with pytest.raises(TypeError, match="subprotocols"):
        app.add_websocket_route(echo, "/feed", subprotocols="chat")


def test_url_for_builds_ws_urls_for_websocket_routes_only() -> None:
    app = Sanic("ws_url_for")
    app.websocket("/feed/<room>")(echo)

    @app.route("/page")
    async def page(request: Request) -> HTTPResponse:
        return text("page")

    assert app.url_for("echo", room="a") == "/feed/a"
    assert app.url_for("echo", room="a", _external=True, _server="h:1") == (
        "ws://h:1/feed/a"
    )
    assert app.url_for("echo", room="a", _external=True, _server="https://h") == (
        "wss://h/feed/a"
    )
    assert app.url_for("echo", room="a", _external=True, _scheme="https", _server="h")
    assert (
        app.url_for("echo", room="a", _external=True, _scheme="https", _server="h")
        == "wss://h/feed/a"
    )
    # A plain route asked for with a websocket request's scheme stays HTTP.
    assert app.url_for("page", _external=True, _scheme="ws", _server="h") == (
        "http://h/page"
    )
    assert app.url_for("page", _external=True, _scheme="wss", _server="h") == (
        "https://h/page"
    )
    assert app.url_for("page", _external=True, _server="h") == "//h/page"
    app.config.SERVER_NAME = "example.com"
    assert app.url_for("echo", room="b", _external=True) == "ws://example.com/feed/b"


def test_blueprint_websockets_take_prefix_version_host_and_name() -> None:
    bp = Blueprint("live", url_prefix="/bp", host="example.com")
    bp.websocket("/feed", version=2)(echo)
    bp.add_websocket_route(echo, "/other", name="other", subprotocols=["chat"])
    app = Sanic("ws_blueprint_registration")
    app.blueprint(bp)
    # As Sanic 18.12: the version goes in front of the blueprint's prefix.
    assert app.url_for("live.echo") == "/v2/bp/feed"
    assert app.url_for("live.echo", _external=True) == "ws://example.com/v2/bp/feed"
    assert app.url_for("live.other", _external=True) == "ws://example.com/bp/other"


def test_the_closed_alias_is_the_wire_s_exception() -> None:
    from sanic_http import ConnectionClosed

    assert WebSocketConnectionClosed is ConnectionClosed


# -- over a real socket ---------------------------------------------------------------


def test_echo_text_and_binary_with_route_parameters(serve: Any) -> None:
    app = Sanic("ws_echo")
    seen: dict[str, Any] = {}

    @app.websocket("/echo/<room>")
    async def room_echo(request: Request, ws: Any, room: str) -> None:
        seen["scheme"] = request.scheme
        seen["url"] = request.url_for("room_echo", room="x")
        await ws.send(f"room {room}")
        while True:
            message = await ws.recv()
            if message == "bye":
                return
            await ws.send(message)

    async def conversation(ws: aiohttp.ClientWebSocketResponse) -> Any:
        assert await ws.receive_str() == "room lobby"
        await ws.send_str("hello")
        assert await ws.receive_str() == "hello"
        await ws.send_bytes(b"\x00\xff")
        assert await ws.receive_bytes() == b"\x00\xff"
        await ws.send_str("bye")
        return await closing(ws)

    with serve(app) as server:
        code, _ = talk(server, "/echo/lobby", conversation)
    assert code == 1000  # the handler returned
    assert seen["scheme"] == "ws"
    assert seen["url"] == f"ws://{server.host}:{server.port}/echo/x"


@pytest.mark.parametrize(
    ("config", "headers", "scheme"),
    [
        ({}, {"X-Forwarded-Proto": "https"}, "wss"),
        ({}, {"X-Forwarded-Proto": "http"}, "ws"),
        ({"FORWARDED_SECRET": "s3"}, {"Forwarded": "proto=https;secret=s3"}, "wss"),
    ],
)
def test_the_scheme_behind_a_proxy_is_ws_or_wss(
    serve: Any, config: dict[str, str], headers: dict[str, str], scheme: str
) -> None:
    app = Sanic("ws_proxied_scheme")
    app.config.update(config)
    seen: list[str] = []

    @app.websocket("/feed")
    async def feed(request: Request, ws: Any) -> None:
        seen.append(request.scheme)
        seen.append(request.url_for("feed"))
        await ws.send("hi")

    async def conversation(ws: aiohttp.ClientWebSocketResponse) -> Any:
        return await ws.receive_str()

    with serve(app) as server:
        assert talk(server, "/feed", conversation, headers=headers) == "hi"
    assert seen == [scheme, f"{scheme}://{server.host}:{server.port}/feed"]


def test_subprotocols_are_negotiated(serve: Any) -> None:
    app = Sanic("ws_subprotocols")

    @app.websocket("/chat", subprotocols=["chat.v2", "chat.v1"])
    async def chat(request: Request, ws: Any) -> None:
        await ws.send(str(ws.subprotocol))

    async def conversation(ws: aiohttp.ClientWebSocketResponse) -> Any:
        return ws.protocol, await ws.receive_str()

    with serve(app) as server:
        assert talk(server, "/chat", conversation, protocols=("chat.v1",)) == (
            "chat.v1",
            "chat.v1",
        )
        assert talk(server, "/chat", conversation, protocols=("other",)) == (
            None,
            "None",
        )


def test_a_plain_get_is_answered_426(serve: Any) -> None:
    app = Sanic("ws_plain_get")
    app.websocket("/feed")(echo)
    with serve(app) as server:
        reply = server.get("/feed")
    assert reply.status == 426
    assert reply.headers["Upgrade"].lower() == "websocket"


def test_request_middleware_refuses_the_handshake(serve: Any) -> None:
    app = Sanic("ws_middleware")
    app.websocket("/feed")(echo)
    ran: list[str] = []

    @app.middleware("request")
    async def guard(request: Request) -> HTTPResponse | None:
        ran.append(request.path)
        if request.headers.get("Authorization") != "yes":
            return text("no entry", 403)
        return None

    async def conversation(ws: aiohttp.ClientWebSocketResponse) -> Any:
        await ws.send_str("in")
        return await ws.receive_str()

    with serve(app) as server:
        assert refused(server, "/feed")[0] == 403
        assert talk(server, "/feed", conversation, headers={"Authorization": "yes"})
    assert ran == ["/feed", "/feed"]


def test_an_exception_closes_1011_is_logged_and_reaches_exception_handlers(
    serve: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app = Sanic("ws_exception")
    handled: list[str] = []

    class Broken(Exception):
        pass

    @app.websocket("/broken")
    async def broken(request: Request, ws: Any) -> None:
        await ws.send("about to fail")
        raise Broken("the handler failed")

    @app.exception(Broken)
    async def on_broken(request: Request, exception: Exception) -> HTTPResponse:
        handled.append(f"{request.path}: {exception}")
        return text("not sent", 500)

    with caplog.at_level(logging.ERROR, logger="sanic.error"), serve(app) as server:
        code, last = talk(server, "/broken", closing)
        for _ in range(100):  # the async exception handler runs after the close
            if handled:
                break
            asyncio.run(asyncio.sleep(0.01))
    assert (code, last) == (1011, "about to fail")
    assert handled == ["/broken: the handler failed"]
    assert "websocket handler broken (/broken)" in caplog.text
    assert "Broken: the handler failed" in caplog.text


def test_blueprint_routes_middleware_and_listeners_apply(serve: Any) -> None:
    bp = Blueprint("bp_live", url_prefix="/bp")
    events: list[str] = []

    @bp.websocket("/feed")
    async def feed(request: Request, ws: Any) -> None:
        await ws.send(f"{request.endpoint} {request.headers.get('X-Seen')}")

    @bp.middleware("request")
    async def mark(request: Request) -> None:
        request.headers["X-Seen"] = "bp-middleware"

    @bp.listener("before_server_start")
    async def started(app: Sanic, loop: Any) -> None:
        events.append("started")

    app = Sanic("ws_blueprint_live")
    app.blueprint(bp)

    async def conversation(ws: aiohttp.ClientWebSocketResponse) -> Any:
        return await ws.receive_str()

    with serve(app) as server:
        assert talk(server, "/bp/feed", conversation) == "bp_live.feed bp-middleware"
    assert events == ["started"]


def test_the_config_reaches_the_handshake(serve: Any) -> None:
    app = Sanic("ws_config")
    app.config.WEBSOCKET_MAX_SIZE = 1000
    app.websocket("/echo")(echo)

    async def conversation(ws: aiohttp.ClientWebSocketResponse) -> Any:
        await ws.send_str("x" * 1000)
        assert await ws.receive_str() == "x" * 1000
        await ws.send_str("x" * 1001)
        return await closing(ws)

    with serve(app) as server:
        assert talk(server, "/echo", conversation)[0] == 1009
    assert app._websocket_settings().websocket_max_size == 1000
