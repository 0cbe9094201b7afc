"""WebSockets over real sockets against a server process, on uvloop and asyncio.

The app is ``load/websocket_app.py``; the client is aiohttp's websocket client.
Echo of text and binary, a blueprint route (prefix, middleware, ``url_for``
giving ``ws://``), a handshake refused by request middleware (403), a plain GET
of a websocket route (426), a handler that raises (close 1011, the app's
exception handler called), and SIGTERM closing open websockets with 1001
(handlers cancelled after the grace period, the process exits 0).
The same tests run with the app served by uvicorn as an ASGI application (the
``server`` fixture's "uvicorn" kind), except the SIGTERM one (the ASGI server
closes its websockets itself).
"""

from __future__ import annotations

import asyncio
import http.client
import importlib.util
import signal
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from conftest import (
    HOST,
    REQUEST_TIMEOUT,
    STOP_TIMEOUT,
    Example,
    Launch,
    launch_asgi,
)

WEBSOCKET_APP = Path(__file__).with_name("load") / "websocket_app.py"
LOOP_ENV = {"uvloop": {"SANIC_NO_UVLOOP": ""}, "asyncio": {"SANIC_NO_UVLOOP": "1"}}

Conversation = Callable[[aiohttp.ClientWebSocketResponse], Awaitable[Any]]


@pytest.fixture(scope="module", params=[*sorted(LOOP_ENV), "uvicorn"])
def server(request: pytest.FixtureRequest, launch: Launch) -> Iterator[Example]:
    """The websocket app in a process of its own, on one loop; or served by
    uvicorn as an ASGI application (the same tests, over ASGI messages)."""
    if request.param == "uvicorn":
        if importlib.util.find_spec("uvicorn") is None:
            pytest.skip("uvicorn is not installed in this environment")
        yield launch_asgi(launch, "websocket_app:app", "uvicorn")
        return
    yield launch(None, args=(str(WEBSOCKET_APP),), env=LOOP_ENV[request.param])


def url(example: Example, path: str) -> str:
    return f"ws://{HOST}:{example.port}{path}"


def talk(example: Example, path: str, conversation: Conversation, **kw: Any) -> Any:
    async def main() -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url(example, path), **kw) as ws,
        ):
            return await asyncio.wait_for(conversation(ws), REQUEST_TIMEOUT)

    return asyncio.run(main())


async def until_closed(ws: aiohttp.ClientWebSocketResponse) -> tuple[int | None, list]:
    """Every message up to the server's close, and its close code."""
    messages = [message.data async for message in ws]
    return ws.close_code, messages


def test_echo_text_and_binary(server: Example) -> None:
    async def conversation(ws: aiohttp.ClientWebSocketResponse) -> None:
        for text in ("hello", "é" * 1000, ""):
            await ws.send_str(text)
            assert await ws.receive_str() == text
        for data in (b"\x00\xff", bytes(range(256)) * 300):
            await ws.send_bytes(data)
            assert await ws.receive_bytes() == data
        await ws.close()
        assert ws.close_code == 1000

    talk(server, "/echo", conversation)


def test_a_blueprint_route_with_its_middleware_and_url_for(server: Example) -> None:
    async def conversation(ws: aiohttp.ClientWebSocketResponse) -> list[str]:
        greeting = await ws.receive_str()
        await ws.send_str("hi")
        return [greeting, await ws.receive_str()]

    greeting, answer = talk(server, "/bp/room/lobby", conversation)
    assert greeting == f"lobby ws://{HOST}:{server.port}/bp/room/lobby marked"
    assert answer == "lobby: hi"


def test_request_middleware_refuses_the_handshake(server: Example) -> None:
    async def main() -> int:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as info:
                await session.ws_connect(url(server, "/guarded"))
            return info.value.status

    assert asyncio.run(main()) == 403

    async def welcome(ws: aiohttp.ClientWebSocketResponse) -> Any:
        return await until_closed(ws)

    assert talk(server, "/guarded", welcome, headers={"Authorization": "yes"}) == (
        1000,
        ["welcome"],
    )


def test_a_plain_get_of_a_websocket_route_is_answered_426(server: Example) -> None:
    reply = server.get("/echo")
    assert reply.status == 426
    assert reply.headers["Upgrade"].lower() == "websocket"
    assert reply.body  # a short message saying what is expected


def test_an_upgrade_to_a_plain_route_is_served_as_http(
    request: pytest.FixtureRequest, server: Example
) -> None:
    if request.node.callspec.params["server"] == "uvicorn":
        pytest.skip(
            "ASGI: uvicorn answers a handshake without Sec-WebSocket-Key itself "
            "(400) before the app sees it"
        )
    conn = http.client.HTTPConnection(HOST, server.port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(
            "GET",
            "/nowhere",
            headers={"Connection": "Upgrade", "Upgrade": "websocket"},
        )
        assert conn.getresponse().status == 404
    finally:
        conn.close()


def test_a_handler_exception_closes_1011_and_reaches_the_exception_handler(
    server: Example,
) -> None:
    before = server.output().count("exception handler saw")
    assert talk(server, "/broken", until_closed) == (1011, ["about to fail"])
    out = server.wait_for_output("exception handler saw", before + 1)
    assert "exception handler saw: the handler failed on purpose" in out
    assert "websocket handler broken (/broken)" in out


@pytest.mark.parametrize("loop", sorted(LOOP_ENV))
def test_sigterm_closes_open_websockets_with_1001(launch: Launch, loop: str) -> None:
    example = launch(None, args=(str(WEBSOCKET_APP),), env=LOOP_ENV[loop])

    async def main() -> list[Any]:
        async with aiohttp.ClientSession() as session:
            sockets = [
                await session.ws_connect(url(example, path))
                for path in ("/echo", "/echo", "/bp/room/a", "/stubborn")
            ]
            await sockets[0].send_str("still here")
            assert await sockets[0].receive_str() == "still here"
            example.proc.send_signal(signal.SIGTERM)
            return await asyncio.wait_for(
                asyncio.gather(*(until_closed(ws) for ws in sockets)), STOP_TIMEOUT
            )

    results = asyncio.run(main())
    assert [code for code, _ in results] == [1001, 1001, 1001, 1001]
    assert example.proc.wait(STOP_TIMEOUT) == 0, example.output()
    example.stopped = True
    assert "stubborn handler cancelled" in example.output()
