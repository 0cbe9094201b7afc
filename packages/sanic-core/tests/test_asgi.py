"""The app as an ASGI 3 application, driven by a tiny in-test ASGI server.

``call()`` builds a scope, answers ``receive`` from a list of messages and
records what the app ``send``s; the protocol details (lifespan order, body
limits, streaming both ways, HEAD, cookies, disconnects) are checked on those
messages. Real ASGI servers are driven in tests/integration/test_asgi.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

from sanic import Sanic
from sanic.exceptions import NotFound
from sanic.response import json, stream, text


@dataclass
class Sent:
    """What the app sent for one http scope."""

    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> int:
        return int(self.messages[0]["status"])

    @property
    def headers(self) -> list[tuple[bytes, bytes]]:
        return [tuple(pair) for pair in self.messages[0]["headers"]]  # type: ignore[misc]

    def header(self, name: bytes) -> list[bytes]:
        return [value for key, value in self.headers if key == name]

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])


def http_scope(
    method: str = "GET",
    path: str = "/",
    query: bytes = b"",
    headers: Iterable[tuple[bytes, bytes]] = (),
    **extra: Any,
) -> dict[str, Any]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"example.com"), *headers],
        "client": ("10.0.0.7", 51000),
        "server": ("127.0.0.1", 8000),
    }
    scope.update(extra)
    return scope


async def call(
    app: Sanic,
    scope: dict[str, Any],
    body: Iterable[bytes] = (b"",),
    *,
    disconnect: asyncio.Event | None = None,
    receives: list[dict[str, Any]] | None = None,
) -> Sent:
    """Run ``app`` on ``scope``: the body in the pieces given, then (when the
    event is set, else never) ``http.disconnect``."""
    pieces = list(body)
    queue = [
        {"type": "http.request", "body": piece, "more_body": i < len(pieces) - 1}
        for i, piece in enumerate(pieces)
    ]
    sent = Sent()

    async def receive() -> dict[str, Any]:
        if queue:
            message = queue.pop(0)
        else:
            await (disconnect or asyncio.Event()).wait()
            message = {"type": "http.disconnect"}
        if receives is not None:
            receives.append(message)
        return message

    async def send(message: dict[str, Any]) -> None:
        sent.messages.append(message)

    await asyncio.wait_for(app(scope, receive, send), 10)
    return sent


async def lifespan(app: Sanic, *steps: str) -> list[dict[str, Any]]:
    """Send ``lifespan.<step>`` messages one by one; return what the app sent."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for step in steps:
        inbox.put_nowait({"type": f"lifespan.{step}"})
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
    await asyncio.wait_for(app(scope, inbox.get, send), 10)
    return sent


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# -- lifespan ----------------------------------------------------------------------


def test_lifespan_runs_start_and_stop_listeners_in_order_with_tasks() -> None:
    app = Sanic("asgi_lifespan")
    events: list[str] = []
    loops: list[object] = []

    for event in (
        "before_server_start",
        "after_server_start",
        "before_server_stop",
        "after_server_stop",
    ):

        def listener(app_: Sanic, loop: object, event: str = event) -> None:
            assert app_ is app
            loops.append(loop)
            events.append(event)

        app.listener(event)(listener)

    async def task() -> None:
        events.append("task")
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            events.append("task cancelled")
            raise

    app.add_task(task)

    async def main() -> list[dict[str, Any]]:
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "lifespan.startup.complete":
                await asyncio.sleep(0)  # the task runs while the app serves
                inbox.put_nowait({"type": "lifespan.shutdown"})

        inbox.put_nowait({"type": "lifespan.startup"})
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
        await asyncio.wait_for(app(scope, inbox.get, send), 10)
        assert all(loop is asyncio.get_running_loop() for loop in loops)
        return sent

    sent = run(main())
    assert sent == [
        {"type": "lifespan.startup.complete"},
        {"type": "lifespan.shutdown.complete"},
    ]
    # The task starts with the server (after the start listeners, it runs once
    # the loop goes on) and is cancelled between the stop listeners.
    assert events == [
        "before_server_start",
        "after_server_start",
        "task",
        "before_server_stop",
        "task cancelled",
        "after_server_stop",
    ]


def test_lifespan_startup_failure_reports_the_message() -> None:
    app = Sanic("asgi_lifespan_fails")

    @app.listener("before_server_start")
    async def connect(app: Sanic, loop: object) -> None:
        raise RuntimeError("database is down")

    sent = run(lifespan(app, "startup"))
    assert sent == [{"type": "lifespan.startup.failed", "message": "database is down"}]


# -- requests ----------------------------------------------------------------------


def test_request_is_built_from_the_scope() -> None:
    app = Sanic("asgi_request")

    @app.route("/where")
    async def where(request: Any) -> Any:
        return json(
            {
                "args": request.args,
                "header": request.headers.get("x-thing"),
                "ip": request.ip,
                "port": request.port,
                "scheme": request.scheme,
                "url": request.url,
                "class": type(request).__name__,
            }
        )

    scope = http_scope(
        path="/where",
        query=b"a=1&a=2&b=x",
        headers=[(b"x-thing", b"yes")],
        scheme="https",
    )
    sent = run(call(app, scope))
    assert sent.status == 200
    import json as stdjson

    assert stdjson.loads(sent.body) == {
        "args": {"a": ["1", "2"], "b": ["x"]},
        "header": "yes",
        "ip": "10.0.0.7",
        "port": 51000,
        "scheme": "https",
        "url": "https://example.com/where?a=1&a=2&b=x",
        "class": "Request",
    }


@pytest.mark.parametrize(
    ("config", "remote_addr"),
    [
        ({}, ""),
        ({"PROXIES_COUNT": 1}, "203.0.113.7"),
        ({"REAL_IP_HEADER": "X-Real-IP"}, "2001:db8::7"),
        ({"FORWARDED_SECRET": "s"}, "192.0.2.1"),
    ],
)
def test_remote_addr_follows_the_proxy_settings(
    config: dict[str, object], remote_addr: str
) -> None:
    app = Sanic("asgi_proxied")
    app.config.update(config)

    @app.route("/who")
    async def who(request: Any) -> Any:
        return text(f"{request.remote_addr}|{request.ip}")

    headers = [
        (b"x-forwarded-for", b"6.6.6.6, 203.0.113.7"),
        (b"x-real-ip", b"[2001:db8::7]"),
        (b"forwarded", b"for=192.0.2.1;secret=s"),
    ]
    sent = run(call(app, http_scope(path="/who", headers=headers)))
    assert sent.body == f"{remote_addr}|10.0.0.7".encode()


def test_root_path_is_routed_without_and_url_for_with_it() -> None:
    app = Sanic("asgi_root")

    @app.route("/posts/<post_id:int>")
    async def post(request: Any, post_id: int) -> Any:
        return json(
            {
                "app": app.url_for("post", post_id=post_id + 1),
                "external": request.url_for("post", post_id=1),
            }
        )

    # uvicorn puts root_path in front of path; raw_path is what was received.
    scope = http_scope(path="/api/posts/5", root_path="/api")
    scope["raw_path"] = b"/posts/5"
    sent = run(call(app, scope))
    import json as stdjson

    assert stdjson.loads(sent.body) == {
        "app": "/api/posts/6",
        "external": "http://example.com/api/posts/1",
    }
    # A server that sends the prefixed path as raw_path is routed the same.
    scope = http_scope(path="/api/posts/5", root_path="/api")
    assert run(call(app, scope)).status == 200
    # Outside an ASGI request, url_for has no prefix.
    assert app.url_for("post", post_id=3) == "/posts/3"


def test_buffered_body_and_its_size_limit() -> None:
    app = Sanic("asgi_body")
    app.config.REQUEST_MAX_SIZE = 10
    seen: list[bytes] = []

    @app.route("/echo", methods=["POST"])
    async def echo(request: Any) -> Any:
        seen.append(request.body)
        return text(request.body.decode())

    sent = run(call(app, http_scope("POST", "/echo"), [b"hello", b" ", b"you!"]))
    assert (sent.status, sent.body) == (200, b"hello you!")
    # One byte over, in pieces: 413, and the handler never runs.
    sent = run(call(app, http_scope("POST", "/echo"), [b"hello", b" you!!"]))
    assert sent.status == 413
    # A Content-Length over the limit is refused before the body is read.
    receives: list[dict[str, Any]] = []
    scope = http_scope("POST", "/echo", headers=[(b"content-length", b"100")])
    sent = run(call(app, scope, [b"x", b"y" * 99], receives=receives))
    assert sent.status == 413
    assert len(receives) == 1
    assert seen == [b"hello you!"]


def test_streamed_body_reads_with_flow_control() -> None:
    app = Sanic("asgi_stream_in")
    app.config.REQUEST_STREAM_HIGH_WATER = 16
    receives: list[dict[str, Any]] = []
    counts: list[int] = []

    @app.post("/upload", stream=True)
    async def upload(request: Any) -> Any:
        await asyncio.sleep(0.05)  # the client sends meanwhile
        counts.append(len(receives))
        total = 0
        async for chunk in request.stream:
            total += len(chunk)
        return text(str(total))

    sent = run(
        call(app, http_scope("POST", "/upload"), [b"x" * 10] * 6, receives=receives)
    )
    assert (sent.status, sent.body) == (200, b"60")
    # 20 unread bytes are above the high-water mark: receive waited for the
    # handler to read.
    assert counts == [2]


def test_streamed_body_over_the_limit_is_413() -> None:
    app = Sanic("asgi_stream_limit")
    app.config.REQUEST_MAX_SIZE = 25

    @app.post("/upload", stream=True)
    async def upload(request: Any) -> Any:
        await request.receive_body()
        return text("read")

    sent = run(call(app, http_scope("POST", "/upload"), [b"x" * 10] * 3))
    assert sent.status == 413


def test_streaming_response_goes_out_as_more_body_chunks() -> None:
    app = Sanic("asgi_stream_out")

    @app.route("/count")
    async def count(request: Any) -> Any:
        async def body(response: Any) -> None:
            for n in range(3):
                await response.write(f"{n}\n")

        return stream(body, headers={"X-Kind": "numbers"})

    sent = run(call(app, http_scope(path="/count")))
    assert sent.status == 200
    assert sent.header(b"x-kind") == [b"numbers"]
    assert sent.header(b"transfer-encoding") == []  # framing is the server's
    assert sent.header(b"content-length") == []
    bodies = [(m["body"], m.get("more_body", False)) for m in sent.messages[1:]]
    assert bodies == [(b"0\n", True), (b"1\n", True), (b"2\n", True), (b"", False)]


def test_head_has_the_headers_and_no_body() -> None:
    app = Sanic("asgi_head")

    @app.route("/page", methods=["GET", "HEAD"])
    async def page(request: Any) -> Any:
        return text("hello")

    sent = run(call(app, http_scope("HEAD", "/page")))
    assert sent.status == 200
    assert sent.header(b"content-length") == [b"5"]
    assert sent.body == b""


def test_headers_are_lower_case_pairs_with_one_set_cookie_per_cookie() -> None:
    app = Sanic("asgi_cookies")

    @app.route("/")
    async def index(request: Any) -> Any:
        response = text("ok", headers={"X-Custom": "1"})
        response.cookies["a"] = "1"
        response.cookies["b"] = "2"
        response.cookies["b"]["httponly"] = True
        return response

    sent = run(call(app, http_scope()))
    names = [name for name, _ in sent.headers]
    assert all(name == name.lower() for name in names)
    cookies = sent.header(b"set-cookie")
    assert len(cookies) == 2
    assert cookies[0].startswith(b"a=1") and cookies[1].startswith(b"b=2")
    assert b"HttpOnly" in cookies[1]
    assert sent.header(b"x-custom") == [b"1"]
    assert sent.header(b"content-length") == [b"2"]
    # The connection and the Date are the ASGI server's.
    assert b"connection" not in names and b"date" not in names


def test_errors_take_the_app_error_handler() -> None:
    app = Sanic("asgi_errors")

    @app.exception(NotFound)
    async def missing(request: Any, exception: Exception) -> Any:
        return text(f"no {request.path} here", status=404)

    @app.route("/oops")
    async def oops(request: Any) -> Any:
        return "just a string"

    @app.route("/boom")
    async def boom(request: Any) -> Any:
        raise ValueError("broken")

    sent = run(call(app, http_scope(path="/nowhere")))
    assert (sent.status, sent.body) == (404, b"no /nowhere here")
    assert run(call(app, http_scope(path="/oops"))).status == 500
    assert run(call(app, http_scope(path="/boom"))).status == 500


def test_error_formats_apply_over_asgi() -> None:
    app = Sanic("asgi_error_format")
    app.config.FALLBACK_ERROR_FORMAT = "html"

    @app.get("/api", error_format="json")
    async def api(request: Any) -> Any:
        raise NotFound("No such item")

    async def both() -> tuple[Sent, Sent]:
        # No lifespan: the app prepares itself at the first request.
        return (
            await call(app, http_scope(path="/api")),
            await call(app, http_scope(path="/nowhere")),
        )

    route, missing = run(both())
    assert (route.status, route.body) == (
        404,
        b'{"status":404,"message":"No such item"}',
    )
    assert missing.status == 404
    assert missing.header(b"content-type") == [b"text/html; charset=utf-8"]


@pytest.mark.parametrize("cancel", [True, False])
def test_disconnect_cancels_the_handler(cancel: bool) -> None:
    app = Sanic("asgi_disconnect")
    app.config.REQUEST_CANCEL_ON_DISCONNECT = cancel
    outcome: list[str] = []

    async def main() -> Sent:
        gone = asyncio.Event()
        release = asyncio.Event()

        @app.route("/slow")
        async def slow(request: Any) -> Any:
            gone.set()  # the client leaves while the handler works
            try:
                await asyncio.wait_for(release.wait(), 0.5)
            except asyncio.CancelledError:
                outcome.append("cancelled")
                raise
            except asyncio.TimeoutError:
                outcome.append("finished")
            return text("late")

        return await call(app, http_scope(path="/slow"), disconnect=gone)

    sent = run(main())
    if cancel:
        assert outcome == ["cancelled"]
        assert sent.messages == []
    else:
        assert outcome == ["finished"]
        assert sent.status == 200


# -- websocket ----------------------------------------------------------------------


def ws_scope(path: str = "/ws", **extra: Any) -> dict[str, Any]:
    scope = http_scope(path=path, headers=[(b"upgrade", b"websocket")], **extra)
    scope["type"] = "websocket"
    scope["scheme"] = "ws"
    del scope["method"]
    return scope


class Peer:
    """The client side of one ASGI websocket: what it sends goes to the app's
    ``receive``, what the app sends comes out of ``next()``."""

    def __init__(self, app: Sanic, scope: dict[str, Any]) -> None:
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.inbox.put_nowait({"type": "websocket.connect"})
        self.task = asyncio.ensure_future(app(scope, self.inbox.get, self.outbox.put))

    def put(self, **message: Any) -> None:
        self.inbox.put_nowait(message)

    async def next(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.outbox.get(), 5)

    async def done(self) -> None:
        await asyncio.wait_for(self.task, 5)


def test_websocket_echoes_text_and_bytes_with_the_negotiated_subprotocol() -> None:
    app = Sanic("asgi_ws_echo")
    seen: list[Any] = []

    @app.websocket("/ws", subprotocols=["chat.v2", "chat.v1"])
    async def echo(request: Any, ws: Any) -> None:
        seen.append((request.scheme, ws.subprotocol, ws.closed))
        async for message in ws:
            await ws.send(message)
            if message == "bye":
                return

    async def main() -> None:
        peer = Peer(app, ws_scope(subprotocols=["chat.v1", "chat.v2"]))
        assert await peer.next() == {
            "type": "websocket.accept",
            "subprotocol": "chat.v2",
        }
        peer.put(type="websocket.receive", text="héllo")
        assert await peer.next() == {"type": "websocket.send", "text": "héllo"}
        peer.put(type="websocket.receive", bytes=b"\x00\xff")
        assert await peer.next() == {"type": "websocket.send", "bytes": b"\x00\xff"}
        peer.put(type="websocket.receive", text="bye")
        await peer.next()
        closing = await peer.next()
        assert closing["type"] == "websocket.close"
        assert closing["code"] == 1000
        await peer.done()

    run(main())
    assert seen == [("ws", "chat.v2", False)]


@pytest.mark.parametrize(("proto", "scheme"), [(b"https", "wss"), (b"http", "ws")])
def test_websocket_scheme_behind_a_proxy(proto: bytes, scheme: str) -> None:
    app = Sanic(f"asgi_ws_proxied_{scheme}")
    seen: list[str] = []

    @app.websocket("/ws")
    async def handler(request: Any, ws: Any) -> None:
        seen.append(request.scheme)

    async def main() -> None:
        scope = ws_scope()
        scope["headers"].append((b"x-forwarded-proto", proto))
        peer = Peer(app, scope)
        assert await peer.next() == {"type": "websocket.accept"}
        assert (await peer.next())["code"] == 1000
        await peer.done()

    run(main())
    assert seen == [scheme]


def test_websocket_without_a_common_subprotocol_accepts_without_one() -> None:
    app = Sanic("asgi_ws_noproto")

    @app.websocket("/ws", subprotocols=["chat.v2"])
    async def handler(request: Any, ws: Any) -> None:
        await ws.send(repr(ws.subprotocol))

    async def main() -> None:
        peer = Peer(app, ws_scope(subprotocols=["other"]))
        assert await peer.next() == {"type": "websocket.accept"}
        assert await peer.next() == {"type": "websocket.send", "text": "None"}
        assert (await peer.next())["code"] == 1000
        await peer.done()

    run(main())


@pytest.mark.parametrize("extension", [False, True])
def test_websocket_refused_by_middleware_before_accept(extension: bool) -> None:
    app = Sanic("asgi_ws_refused")
    ran: list[str] = []

    @app.middleware("request")
    async def guard(request: Any) -> Any:
        ran.append("middleware")
        if request.args.get("token") != "yes":
            return text("no token", 403)
        return None

    @app.websocket("/ws")
    async def handler(request: Any, ws: Any) -> None:
        ran.append("handler")

    extra: dict[str, Any] = {}
    if extension:
        extra["extensions"] = {"websocket.http.response": {}}

    async def main() -> None:
        peer = Peer(app, ws_scope(**extra))
        first = await peer.next()
        if extension:
            assert first["type"] == "websocket.http.response.start"
            assert first["status"] == 403
            body = await peer.next()
            assert body == {"type": "websocket.http.response.body", "body": b"no token"}
        else:
            assert first == {"type": "websocket.close", "code": 1008}
        await peer.done()
        accepted = Peer(app, ws_scope(query_string=b"token=yes"))
        assert (await accepted.next())["type"] == "websocket.accept"
        assert (await accepted.next())["code"] == 1000
        await accepted.done()

    run(main())
    assert ran == ["middleware", "middleware", "handler"]


def test_websocket_to_an_unknown_path_or_an_http_route_is_refused() -> None:
    app = Sanic("asgi_ws_404")

    @app.route("/plain")
    async def plain(request: Any) -> Any:
        return text("plain")

    async def main() -> None:
        ext = {"extensions": {"websocket.http.response": {}}}
        peer = Peer(app, ws_scope("/nowhere", **ext))
        assert (await peer.next())["status"] == 404
        await peer.next()
        await peer.done()
        peer = Peer(app, ws_scope("/plain"))
        assert await peer.next() == {"type": "websocket.close", "code": 1008}
        await peer.done()

    run(main())


def test_websocket_handler_error_closes_1011_and_goes_to_the_exception_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = Sanic("asgi_ws_error")
    handled: list[str] = []

    @app.exception(ValueError)
    async def on_value_error(request: Any, exc: Exception) -> Any:
        handled.append(f"{request.path}: {exc}")
        return text("unused", 500)

    @app.websocket("/ws")
    async def handler(request: Any, ws: Any) -> None:
        await ws.recv()
        raise ValueError("boom")

    async def main() -> None:
        peer = Peer(app, ws_scope())
        await peer.next()
        peer.put(type="websocket.receive", text="go")
        closing = await peer.next()
        assert closing["type"] == "websocket.close"
        assert closing["code"] == 1011
        await peer.done()
        await asyncio.sleep(0)

    with caplog.at_level("ERROR", logger="sanic.error"):
        run(main())
    assert handled == ["/ws: boom"]
    assert "Exception in websocket handler" in caplog.text


def test_websocket_message_over_max_size_closes_1009() -> None:
    from sanic.exceptions import WebSocketConnectionClosed

    app = Sanic("asgi_ws_big")
    app.config.WEBSOCKET_MAX_SIZE = 8
    outcome: list[Any] = []

    @app.websocket("/ws")
    async def handler(request: Any, ws: Any) -> None:
        outcome.append(await ws.recv())
        try:
            await ws.recv()
        except WebSocketConnectionClosed as exc:
            outcome.append((type(exc).__name__, ws.close_code, ws.closed))

    async def main() -> None:
        peer = Peer(app, ws_scope())
        await peer.next()
        peer.put(type="websocket.receive", text="é" * 4)  # 8 bytes of UTF-8
        peer.put(type="websocket.receive", text="é" * 5)  # 10
        closing = await peer.next()
        assert closing["type"] == "websocket.close"
        assert closing["code"] == 1009
        await peer.done()

    run(main())
    assert outcome == ["éééé", ("ConnectionClosedError", 1009, True)]


def test_websocket_disconnect_ends_recv_and_cancels_a_waiting_handler() -> None:
    app = Sanic("asgi_ws_gone")
    outcome: list[Any] = []

    @app.websocket("/iter")
    async def iterate(request: Any, ws: Any) -> None:
        async for message in ws:
            outcome.append(message)
        outcome.append(("closed", ws.close_code, ws.close_reason))

    @app.websocket("/sleep")
    async def sleeper(request: Any, ws: Any) -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise

    async def main() -> None:
        peer = Peer(app, ws_scope("/iter"))
        await peer.next()
        peer.put(type="websocket.receive", text="a")
        peer.put(type="websocket.disconnect", code=1001, reason="away")
        await peer.done()
        assert peer.outbox.empty()  # nothing sent after the client left
        peer = Peer(app, ws_scope("/sleep"))
        await peer.next()
        peer.put(type="websocket.disconnect", code=1000)
        await peer.done()

    run(main())
    assert outcome == ["a", ("closed", 1001, "away"), "cancelled"]


def test_websocket_recv_timeout_ping_and_close_with_a_code() -> None:
    app = Sanic("asgi_ws_api")
    outcome: list[Any] = []

    @app.websocket("/ws")
    async def handler(request: Any, ws: Any) -> None:
        outcome.append(await ws.recv(timeout=0.01))
        outcome.append(await (await ws.ping()))
        await ws.close(4000, "done here")
        outcome.append((ws.closed, ws.close_code, ws.close_reason))
        try:
            await ws.send("late")
        except Exception as exc:
            outcome.append(type(exc).__name__)

    async def main() -> None:
        peer = Peer(app, ws_scope())
        await peer.next()
        closing = await peer.next()
        assert closing == {
            "type": "websocket.close",
            "code": 4000,
            "reason": "done here",
        }
        await peer.done()
        assert peer.outbox.empty()

    run(main())
    assert outcome == [None, 0.0, (True, 4000, "done here"), "ConnectionClosedError"]


def test_handlers_that_wait_and_bodies_middleware_replaced() -> None:
    app = Sanic("asgi_waiting")

    @app.route("/wait")
    async def wait(request: Any) -> Any:
        await asyncio.sleep(0)  # the disconnect watcher starts here
        return text("waited")

    @app.route("/wait-and-fail")
    async def wait_and_fail(request: Any) -> Any:
        await asyncio.sleep(0)
        raise ValueError("late")

    @app.route("/empty")
    async def empty(request: Any) -> Any:
        return text("never sent", status=204)

    @app.middleware("response")
    async def as_text(request: Any, response: Any) -> None:
        if request.path == "/wait":
            response.body = "replaced by middleware"

    sent = run(call(app, http_scope(path="/wait")))
    assert (sent.status, sent.body) == (200, b"replaced by middleware")
    assert sent.header(b"content-length") == [b"22"]
    assert run(call(app, http_scope(path="/wait-and-fail"))).status == 500
    sent = run(call(app, http_scope(path="/empty")))
    assert (sent.status, sent.body) == (204, b"")
    assert sent.header(b"content-length") == []
