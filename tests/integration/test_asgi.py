"""The app under real ASGI servers: uvicorn, hypercorn and granian processes.

Each server serves tests/integration/load/asgi_app.py on a free port with the
command docs/deploying.md shows, and the tests talk to it over sockets: the
lifespan listeners in order, a streamed upload, a streamed response, a request in
flight when ``SIGTERM`` arrives, ``root_path`` for ``url_for``. The guide
examples and the request-data tests run under uvicorn through the ``example``
fixture's "asgi" kind (conftest.py).
"""

from __future__ import annotations

import hashlib
import http.client
import importlib.util
import os
import signal
import threading
from typing import Any

import pytest
from conftest import (
    HOST,
    REQUEST_TIMEOUT,
    Example,
    Launch,
    launch_asgi,
    streamed_count,
    upload_digest,
)

SERVERS = ("uvicorn", "hypercorn", "granian")
TARGET = "asgi_app:app"


def installed(server: str) -> None:
    if importlib.util.find_spec(server) is None:
        pytest.skip(f"{server} is not installed in this environment")


@pytest.fixture(scope="module", params=SERVERS)
def server(request: pytest.FixtureRequest) -> str:
    installed(request.param)
    return str(request.param)


@pytest.fixture(scope="module")
def served(server: str, launch: Launch) -> Example:
    return launch_asgi(launch, TARGET, server)


def stopped_by_term(server: str, code: int | None) -> bool:
    """Whether ``code`` is the exit of a clean stop on SIGTERM: 0, or for
    uvicorn the signal itself (it re-raises it once it has shut down)."""
    return code == 0 or (server == "uvicorn" and code == -signal.SIGTERM)


def marks(example: Example) -> list[str]:
    """The lines the app's listeners and task printed, in order."""
    return [
        line.strip()
        for line in example.output().splitlines()
        if line.startswith(("listener ", "task "))
    ]


def test_lifespan_runs_the_listeners_in_order(server: str, launch_own: Launch) -> None:
    example = launch_asgi(launch_own, TARGET, server)
    assert example.get("/").text == "ok"
    example.wait_for_output("task started")
    assert stopped_by_term(server, example.stop(signal.SIGTERM)), example.output()
    assert marks(example) == [
        "listener before_server_start",
        "listener after_server_start",
        "task started",
        "listener before_server_stop",
        "listener after_server_stop",
    ]


@pytest.mark.parametrize("framing", ["chunked", "content-length"])
def test_streamed_upload(served: Example, framing: str) -> None:
    data = os.urandom(8 * 1024 * 1024)
    reply = upload_digest(served, data, chunked=framing == "chunked")
    assert reply == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_streamed_response(served: Example) -> None:
    framing, body = streamed_count(served, 2000)
    # No length known: the ASGI server frames the more_body chunks.
    assert framing == "chunked"
    assert body == "".join(f"{n}\n" for n in range(2000)).encode()


def test_head_has_the_length_and_no_body(served: Example) -> None:
    reply = served.request("HEAD", "/")
    assert reply.status == 200
    assert reply.body == b""
    assert reply.headers["Content-Length"] == "2"


def test_sigterm_lets_the_request_in_flight_complete(
    server: str, launch_own: Launch
) -> None:
    example = launch_asgi(launch_own, TARGET, server)
    replies: list[tuple[int, bytes]] = []

    def slow() -> None:
        conn = http.client.HTTPConnection(HOST, example.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request("GET", "/slow")
            response = conn.getresponse()
            replies.append((response.status, response.read()))
        finally:
            conn.close()

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        assert "slow started" in example.wait_for_output("slow started")
        code = example.stop(signal.SIGTERM)
    finally:
        thread.join(REQUEST_TIMEOUT)
    assert replies == [(200, b"finished")]
    assert stopped_by_term(server, code), example.output()
    assert marks(example)[-1] == "listener after_server_stop"


def test_root_path_is_honoured_by_url_for(launch: Launch) -> None:
    example = launch_asgi(launch, TARGET, "uvicorn", args=("--root-path", "/api"))
    # Behind a proxy that strips /api, the app sees /posts/3.
    reply = example.get("/posts/3")
    assert reply.status == 200
    assert reply.json() == {
        "path": "/api/posts/3",
        "url": f"http://{HOST}:{example.port}/api/posts/3",
    }


# -- websockets, with the ``websockets`` library's client as the peer ------------------


def ws_talk(example: Example, path: str, script: Any) -> Any:
    """Run ``script(connection)`` against ``ws://host:port{path}``."""
    import asyncio

    from websockets.asyncio.client import connect

    async def main() -> Any:
        url = f"ws://{HOST}:{example.port}{path}"
        async with connect(url, subprotocols=["chat.v1", "chat.v2"]) as ws:
            return await asyncio.wait_for(script(ws), REQUEST_TIMEOUT)

    return asyncio.run(main())


def test_websocket_echoes_text_and_binary_with_the_subprotocol(
    served: Example,
) -> None:
    async def script(ws: Any) -> Any:
        seen = [ws.subprotocol, await ws.recv()]
        for message in ("héllo", b"\x00\xffbinary"):
            await ws.send(message)
            seen.append(await ws.recv())
        return seen

    assert ws_talk(served, "/ws", script) == [
        "chat.v2",
        "subprotocol chat.v2",
        "héllo",
        b"\x00\xffbinary",
    ]


def test_websocket_refused_by_request_middleware(served: Example) -> None:
    from websockets.exceptions import InvalidStatus

    async def script(ws: Any) -> Any:
        return await ws.recv()

    with pytest.raises(InvalidStatus) as refused:
        ws_talk(served, "/ws/guarded", script)
    assert refused.value.response.status_code == 403
    assert ws_talk(served, "/ws/guarded?token=yes", script) == "in"


def test_websocket_handler_error_closes_1011(served: Example) -> None:
    from websockets.exceptions import ConnectionClosedError

    async def script(ws: Any) -> Any:
        await ws.send("go")
        try:
            await ws.recv()
        except ConnectionClosedError as exc:
            assert exc.rcvd is not None
            return exc.rcvd.code
        return None

    assert ws_talk(served, "/ws/boom", script) == 1011
    served.wait_for_output("exception handler: boom")
