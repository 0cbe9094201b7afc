"""serve(), HttpServer, listeners, SSL and graceful shutdown, over real sockets."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import signal
import socket
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _live import LOOPS, WAIT, App, Client, Errors, LiveServer
from _process import ServerProcess
from sanic_test_helpers import self_signed

from sanic_http import HttpServer, ServerSettings, Signal, bind_socket, serve

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


@pytest.fixture(params=sorted(LOOPS))
def loop_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def test_signal_starts_unset() -> None:
    flag = Signal()
    assert flag.stopped is False
    flag.stopped = True
    assert repr(flag) == "Signal(stopped=True)"


def test_serve_runs_listeners_in_order_with_app_and_loop(loop_name: str) -> None:
    loop = LOOPS[loop_name]()
    calls: list[tuple[str, Any, Any]] = []
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]

    def sync_listener(event: str) -> Callable[[Any, Any], None]:
        return lambda app, on: calls.append((event, app, on))

    async def started(app: Any, on: Any) -> None:
        calls.append(("after_start", app, on))
        # Serving works once after_start ran: ask from a thread, then stop.
        threading.Thread(target=request_then_stop, daemon=True).start()

    replies: list[bytes] = []

    def request_then_stop() -> None:
        with Client(socket.create_connection(("127.0.0.1", port), WAIT)) as client:
            replies.append(client.get("/listeners").body)
        loop.call_soon_threadsafe(loop.stop)

    try:
        serve(
            request_handler=App(),
            error_handler=Errors(),
            settings=ServerSettings(app="the-app"),
            sock=sock,
            loop=loop,
            register_sys_signals=False,
            before_start=[sync_listener("before_start")],
            after_start=[started],
            before_stop=[sync_listener("before_stop")],
            after_stop=[sync_listener("after_stop")],
        )
    finally:
        loop.close()
    assert replies == [b"ok GET /listeners"]
    assert [c[0] for c in calls] == [
        "before_start",
        "after_start",
        "before_stop",
        "after_stop",
    ]
    assert all(app == "the-app" and on is loop for _, app, on in calls)


def fetch_with_run_async(loop_name: str, sock: socket.socket, path: str) -> bytes:
    """Start ``serve(..., run_async=True)`` on ``sock`` in a loop and GET ``path``."""

    async def main() -> bytes:
        coroutine = serve(
            request_handler=App(), error_handler=Errors(), sock=sock, run_async=True
        )
        assert coroutine is not None
        server = await coroutine
        try:
            assert server.is_serving()
            reader, writer = await asyncio.open_connection(*sock.getsockname())
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode()
            )
            data = await asyncio.wait_for(reader.read(), WAIT)
            writer.close()
        finally:
            server.close()
        return data

    loop = LOOPS[loop_name]()
    try:
        return loop.run_until_complete(main())
    finally:
        loop.close()


def test_run_async_returns_a_started_server(loop_name: str) -> None:
    sock = bind_socket("127.0.0.1", 0)
    assert fetch_with_run_async(loop_name, sock, "/async").endswith(b"ok GET /async")


def test_serve_takes_keywords_and_one_settings_value() -> None:
    parameters = inspect.signature(serve).parameters.values()
    assert {p.kind for p in parameters} == {inspect.Parameter.KEYWORD_ONLY}
    fields = {f.name for f in dataclasses.fields(ServerSettings)}
    # No argument duplicates (and could silently override) a settings field.
    assert not fields & {p.name for p in parameters}
    untyped: Any = serve
    with pytest.raises(TypeError):
        untyped("127.0.0.1", 0, App(), Errors())


def test_defaults_are_documented_values() -> None:
    defaults = ServerSettings()
    assert defaults.request_max_size == 100_000_000
    assert defaults.request_timeout == 60.0
    assert defaults.response_timeout == 60.0
    assert defaults.keep_alive_timeout == 5.0
    assert (defaults.max_header_size, defaults.max_header_count) == (16_384, 100)
    assert defaults.max_url_size == 8_192


def test_nagle_is_off_even_for_a_given_socket_with_proto_zero(loop_name: str) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    assert fetch_with_run_async(loop_name, sock, "/nodelay").endswith(b"\r\n\r\n1")


# -- graceful shutdown -----------------------------------------------------------------


def test_in_process_stop_waits_for_in_flight_then_closes_idle(
    loop_name: str,
) -> None:
    app = App()
    live = LiveServer(LOOPS[loop_name], handler=app)
    with live, live.client() as idle, live.client() as busy:
        assert idle.get("/").status == 200
        app.started.clear()
        busy.send(b"GET /slow?0.3 HTTP/1.1\r\nHost: t\r\n\r\n")
        assert app.started.wait(WAIT)
        stopper = threading.Thread(target=live.stop)
        stopper.start()
        assert idle.closed()  # an idle keep-alive connection closes (after a linger)
        response = busy.response()
        assert (response.status, response.body) == (200, b"slow 0.3")
        assert response.headers["connection"] == "close"
        stopper.join(WAIT)


def test_grace_period_bounds_the_wait_and_the_cut_is_logged(
    loop_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = App()
    settings = ServerSettings(graceful_shutdown_timeout=0.2)
    live = LiveServer(LOOPS[loop_name], handler=app, settings=settings)
    with live, live.client() as busy:
        busy.send(b"GET /slow?30 HTTP/1.1\r\nHost: t\r\n\r\n")
        assert app.started.wait(WAIT)
        started = time.monotonic()
        live.stop()
        assert time.monotonic() - started < WAIT
        assert busy.closed()
    cut = [r.getMessage() for r in caplog.records if "grace period" in r.getMessage()]
    assert cut == [
        "shutdown: closing 1 connection(s) still open after the 0.2 s grace period "
        "(GRACEFUL_SHUTDOWN_TIMEOUT)"
    ]


def answers(socks: list[socket.socket]) -> list[tuple[int, bytes, str]]:
    """Each socket's response: status, body and Connection header."""
    found = []
    for sock in socks:
        with Client(sock) as client:
            response = client.response()
            found.append(
                (response.status, response.body, response.headers["connection"])
            )
    return found


def test_stop_accepts_the_listen_backlog_and_answers_it(loop_name: str) -> None:
    loop = LOOPS[loop_name]()

    async def main() -> list[tuple[int, bytes, str]]:
        server = HttpServer(
            App(), Errors(), loop=loop, settings=ServerSettings(), host="127.0.0.1"
        )
        await server.start()
        address = server.sockets[0].getsockname()[:2]
        # This coroutine does not wait, so the loop accepts nothing: the clients
        # stay in the listen queue, each with its request sent.
        socks = [socket.create_connection(address, WAIT) for _ in range(5)]
        for sock in socks:
            sock.sendall(b"GET /queued HTTP/1.1\r\nHost: t\r\n\r\n")
        assert not server.connections
        await server.stop()
        return answers(socks)

    try:
        answered = loop.run_until_complete(main())
    finally:
        loop.close()
    assert answered == [(200, b"ok GET /queued", "close")] * 5


def test_connections_accepted_as_shutdown_begins_are_answered(loop_name: str) -> None:
    """A connection the loop accepts after shutdown began but before the server
    told every connection (its ``connection_made`` already saw the shutdown) is
    told twice; it must still wait for the request its client sends."""
    loop = LOOPS[loop_name]()

    async def main() -> list[tuple[int, bytes, str]]:
        server = HttpServer(
            App(), Errors(), loop=loop, settings=ServerSettings(), host="127.0.0.1"
        )
        accepted = asyncio.Event()

        async def before_stop(_app: object, _loop: object) -> None:
            # The clients below connect before this runs and are accepted now,
            # while the server is already stopping.
            while len(server.connections) < 3:
                await asyncio.sleep(0.01)
            accepted.set()

        server.listeners = {"before_stop": [before_stop]}
        await server.start()
        address = server.sockets[0].getsockname()[:2]
        socks = [socket.create_connection(address, WAIT) for _ in range(3)]
        stopping = asyncio.ensure_future(server.stop())
        await asyncio.wait_for(accepted.wait(), WAIT)
        await asyncio.sleep(0.05)  # the server tells every connection meanwhile
        for sock in socks:
            sock.sendall(b"GET /late HTTP/1.1\r\nHost: t\r\n\r\n")
        await asyncio.wait_for(stopping, WAIT)
        return answers(socks)

    try:
        answered = loop.run_until_complete(main())
    finally:
        loop.close()
    assert answered == [(200, b"ok GET /late", "close")] * 3


def stopping_server(loop_name: str, app: App) -> tuple[LiveServer, threading.Event]:
    """A live server and an event set when its shutdown begins."""
    live = LiveServer(LOOPS[loop_name], handler=app)
    stopping = threading.Event()
    live.server.listeners = {"before_stop": [lambda _app, _loop: stopping.set()]}
    return live, stopping


def test_a_request_sent_to_an_idle_connection_at_shutdown_is_answered(
    loop_name: str,
) -> None:
    live, stopping = stopping_server(loop_name, App())
    with live, live.client() as client:
        assert client.get("/first").headers["connection"] == "keep-alive"
        stopper = threading.Thread(target=live.stop)
        stopper.start()
        assert stopping.wait(WAIT)
        # The server began shutting down before this arrives; the connection was
        # idle, but used a moment ago: its client may be sending, so it waits.
        response = client.get("/second")
        assert (response.status, response.body) == (200, b"ok GET /second")
        assert response.headers["connection"] == "close"
        assert client.closed()
        stopper.join(WAIT)


def test_pipelined_requests_queued_at_shutdown_are_all_answered(
    loop_name: str,
) -> None:
    app = App()
    live, stopping = stopping_server(loop_name, app)
    with live, live.client() as client:
        client.send(
            b"GET /slow?0.3 HTTP/1.1\r\nHost: t\r\n\r\n"
            b"GET /queued HTTP/1.1\r\nHost: t\r\n\r\n"
        )
        assert app.started.wait(WAIT)
        stopper = threading.Thread(target=live.stop)
        stopper.start()
        assert stopping.wait(WAIT)
        first, second = client.response(), client.response()
        assert (first.body, first.headers["connection"]) == (b"slow 0.3", "keep-alive")
        assert (second.body, second.headers["connection"]) == (
            b"ok GET /queued",
            "close",
        )
        assert client.closed()
        stopper.join(WAIT)


def test_sigterm_answers_the_request_in_flight(loop_name: str) -> None:
    with ServerProcess(1, loop_name) as server:
        pid = server.expect("after_start").split()[1]
        address = ("127.0.0.1", server.port)
        with (
            Client(socket.create_connection(address, WAIT)) as idle,
            Client(socket.create_connection(address, WAIT)) as busy,
        ):
            assert idle.get("/").body == pid.encode()
            server.expect("handling")
            busy.send(b"GET /slow?0.5 HTTP/1.1\r\nHost: t\r\n\r\n")
            server.expect("handling")
            server.signal(signal.SIGTERM)
            server.expect("before_stop")
            assert idle.closed()
            response = busy.response()
            assert (response.status, response.body) == (200, pid.encode())
        server.expect("after_stop")
        server.expect("exited")
        assert server.wait() == 0
        with pytest.raises(OSError):
            socket.create_connection(address, WAIT).close()


# -- SSL -------------------------------------------------------------------------------


def test_ssl_with_a_self_signed_certificate(loop_name: str, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    # The guide's "SSL Example".
    context = ssl.create_default_context(purpose=ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), keyfile=str(key))
    client_context = ssl.create_default_context(cafile=str(cert))
    live = LiveServer(LOOPS[loop_name], ssl_context=context)
    with live:
        raw = socket.create_connection(("127.0.0.1", live.port), WAIT)
        tls = client_context.wrap_socket(raw, server_hostname="127.0.0.1")
        with Client(tls) as client:
            assert client.get("/tls").body == b"ok GET /tls"
            assert client.get("/again").body == b"ok GET /again"
            client.send(b"NOPE\r\n\r\n")
            assert client.response().status == 400
