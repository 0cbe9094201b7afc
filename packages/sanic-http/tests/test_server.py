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

from sanic_http import ServerSettings, Signal, bind_socket, serve

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
        busy.send(b"GET /slow?0.3 HTTP/1.1\r\nHost: t\r\n\r\n")
        assert app.started.wait(WAIT)
        stopper = threading.Thread(target=live.stop)
        stopper.start()
        assert idle.closed()  # idle keep-alive connection closed at once
        response = busy.response()
        assert (response.status, response.body) == (200, b"slow 0.3")
        assert response.headers["connection"] == "close"
        stopper.join(WAIT)


def test_grace_period_bounds_the_wait(loop_name: str) -> None:
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
