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


def test_websocket_scope_is_closed_with_1000(caplog: pytest.LogCaptureFixture) -> None:
    app = Sanic("asgi_ws")
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "websocket", "path": "/feed", "headers": []}
    with caplog.at_level("WARNING", logger="sanic"):
        run(app(scope, receive, send))
    assert sent == [{"type": "websocket.close", "code": 1000}]
    assert "websocket /feed over ASGI is not supported" in caplog.text


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
