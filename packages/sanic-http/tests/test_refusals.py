"""Errors found before a handler runs, and response values, over real sockets.

Everything the protocol refuses goes through the error handler exactly once: the
client reads that handler's answer, the handler gets the request as far as it was
read (``None`` while the head is incomplete), and a connection that is already
gone never reaches it. Also the guide's value rules as a client sees them: bodies
that are not text or bytes, and cookie deletion.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from _live import WAIT, LiveServer, LoopFactory

from sanic_http import (
    HeaderTooLarge,
    HTTPResponse,
    InvalidUsage,
    PayloadTooLarge,
    RequestTimeout,
    ServerSettings,
    URITooLong,
    error_text,
    html,
    text,
)


class Recording:
    """An error handler that records each call and answers with its own text."""

    def __init__(self) -> None:
        self.calls: list[tuple[type[BaseException], Any]] = []
        self.called = threading.Event()

    def response(self, request: Any, exception: BaseException) -> Any:
        self.calls.append((type(exception), request))
        self.called.set()
        status = getattr(exception, "status_code", 500)
        return text(f"handled {status}", status)


def serving(loop_factory: LoopFactory, errors: Any, **settings: Any) -> LiveServer:
    defaults: dict[str, Any] = {
        "request_max_size": 100,
        "request_timeout": 0.3,
        "max_url_size": 200,
        "max_header_size": 1000,
    }
    defaults.update(settings)
    return LiveServer(loop_factory, errors=errors, settings=ServerSettings(**defaults))


# Each request the server refuses before a handler could run, the exception it
# raises, and the request line the error handler sees (None: the head never
# completed, so there is no request yet).
REFUSED = {
    "413 content-length": (
        [b"POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 101\r\n\r\n"],
        PayloadTooLarge,
        ("POST", "/up"),
    ),
    "413 chunked": (
        [
            b"POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n",
            b"40\r\n" + b"a" * 64 + b"\r\n" + b"40\r\n" + b"b" * 64 + b"\r\n",
        ],
        PayloadTooLarge,
        ("POST", "/up"),
    ),
    "408 head": ([b"GET /slow HTTP/1.1\r\nHost: t\r\n"], RequestTimeout, None),
    "408 body": (
        [b"POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"],
        RequestTimeout,
        ("POST", "/up"),
    ),
    "400 request line": ([b"NOT HTTP AT ALL\r\n\r\n"], InvalidUsage, None),
    "400 header": (
        [b"GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n"],
        InvalidUsage,
        None,
    ),
    "400 no host": ([b"GET /h HTTP/1.1\r\n\r\n"], InvalidUsage, ("GET", "/h")),
    "414": (
        [b"GET /" + b"a" * 300 + b" HTTP/1.1\r\nHost: t\r\n\r\n"],
        URITooLong,
        None,
    ),
    "431": (
        [b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"v" * 1200 + b"\r\n\r\n"],
        HeaderTooLarge,
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refusals_answer_with_the_error_handler_once(
    loop_factory: LoopFactory, case: str
) -> None:
    pieces, kind, seen_request = REFUSED[case]
    errors = Recording()
    with serving(loop_factory, errors) as live:
        with live.client() as client:
            for piece in pieces:
                client.send(piece)
            response = client.response()
            status = kind.status_code
            assert (response.status, response.body) == (
                status,
                f"handled {status}".encode(),
            )
            assert response.headers["connection"] == "close"
            # Whatever the client still sends is discarded, never answered again.
            with contextlib.suppress(OSError):
                client.send(b"more bytes " * 100)
            assert client.closed()
        # A later request on a new connection is served: the server is in order,
        # and everything the first connection caused has been handled by now.
        with live.client() as client:
            assert client.get("/after").status == 200
    assert len(errors.calls) == 1, errors.calls
    (raised, request) = errors.calls[0]
    assert raised is kind
    if seen_request is None:
        assert request is None
    else:
        assert (request.method, request.path) == seen_request


def test_413_with_a_handler_that_is_a_coroutine(loop_factory: LoopFactory) -> None:
    class Later(Recording):
        async def response(self, request: Any, exception: BaseException) -> Any:
            await asyncio.sleep(0.01)
            return super().response(request, exception)

    errors = Later()
    with serving(loop_factory, errors) as live, live.client() as client:
        client.send(b"POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 500\r\n\r\n")
        client.send(b"x" * 500)
        response = client.response()
        assert (response.status, response.body) == (413, b"handled 413")
        assert client.closed()
    assert [kind for kind, _ in errors.calls] == [PayloadTooLarge]


def test_refusal_behind_a_running_request_is_answered_once_after_it(
    loop_factory: LoopFactory,
) -> None:
    errors = Recording()
    live = serving(loop_factory, errors, request_timeout=5.0)
    with live, live.client() as client:
        client.send(
            b"GET /slow?0.1 HTTP/1.1\r\nHost: t\r\n\r\n"
            b"POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 101\r\n\r\n"
        )
        first, second = client.response(), client.response()
        assert (first.status, first.body) == (200, b"slow 0.1")
        assert (second.status, second.body) == (413, b"handled 413")
        assert client.closed()
    assert [kind for kind, _ in errors.calls] == [PayloadTooLarge]


def test_a_client_gone_before_the_deadline_reaches_no_handler(
    loop_factory: LoopFactory,
) -> None:
    errors = Recording()
    with serving(loop_factory, errors) as live:
        with live.client() as gone:
            gone.send(b"GET /slow HTTP/1.1\r\nHost: t\r\n")
        # A second slow client opened later: its 408 comes after the first
        # connection's deadline, so by then that one would have been answered.
        with live.client() as slow:
            slow.send(b"GET /later HTTP/1.1\r\nHost: t\r\n")
            assert slow.response().status == 408
    assert errors.called.wait(WAIT)
    assert len(errors.calls) == 1
    assert errors.calls[0] == (RequestTimeout, None)


def test_failing_error_handler_falls_back_to_the_default_error_text(
    loop_factory: LoopFactory,
) -> None:
    class Broken:
        def response(self, request: Any, exception: BaseException) -> Any:
            raise RuntimeError("broken error handler")

    with serving(loop_factory, Broken()) as live, live.client() as client:
        client.send(b"POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 101\r\n\r\n")
        response = client.response()
        assert (response.status, response.body) == (413, b"Error: Content Too Large")
        assert response.body == error_text("Content Too Large").encode()


def test_error_text_format() -> None:
    assert error_text("Payload Too Large") == "Error: Payload Too Large"


# -- values as the client reads them ---------------------------------------------------


async def values(request: Any, write: Callable[[Any], Any]) -> None:
    path = request.path
    if path == "/text-int":
        response = text(902)
    elif path == "/html-int":
        response = html(902)
    elif path == "/response-int":
        response = HTTPResponse(body=902)
    elif path == "/text-float":
        response = text(1.5)
    elif path == "/text-bytes":
        response = text(b"raw bytes")
    elif path == "/replaced":
        response = text("old")
        response.body = 7  # type: ignore[assignment]
    elif path == "/cookies":
        response = text("cookies")
        del response.cookies["kill_me"]
        response.cookies["short_life"] = "Glad to be here"
        response.cookies["short_life"]["max-age"] = 5
        del response.cookies["favorite_color"]
        # This cookie will remain unchanged.
        response.cookies["favorite_color"] = "blue"
        response.cookies["favorite_color"] = "pink"
        del response.cookies["favorite_color"]
    elif path == "/cookies-again":
        response = text("set, deleted, set")
        response.cookies["a"] = "1"
        del response.cookies["a"]
        response.cookies["a"] = "2"
    else:
        response = text("?", 404)
    write(response)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/text-int", b"902"),
        ("/html-int", b"902"),
        ("/response-int", b"902"),
        ("/text-float", b"1.5"),
        ("/text-bytes", b"raw bytes"),
        ("/replaced", b"7"),
    ],
)
def test_bodies_that_are_not_text_are_sent_as_their_str(
    loop_factory: LoopFactory, path: str, body: bytes
) -> None:
    with LiveServer(loop_factory, handler=values) as live, live.client() as client:
        response = client.get(path)
    assert (response.status, response.body) == (200, body)
    assert response.headers["content-length"] == str(len(body))


def test_guide_cookie_deletion_over_the_wire(loop_factory: LoopFactory) -> None:
    with LiveServer(loop_factory, handler=values) as live, live.client() as client:
        client.send(b"GET /cookies HTTP/1.1\r\nHost: t\r\n\r\n")
        head = client.read_until(b"\r\n\r\n").decode()
        client.read_exactly(len(b"cookies"))
        client.send(b"GET /cookies-again HTTP/1.1\r\nHost: t\r\n\r\n")
        again = client.read_until(b"\r\n\r\n").decode()
    set_cookies = [
        line.split(": ", 1)[1]
        for line in head.split("\r\n")
        if line.lower().startswith("set-cookie:")
    ]
    assert set_cookies == [
        "kill_me=; Path=/; Max-Age=0",
        'short_life="Glad to be here"; Path=/; Max-Age=5',
    ]
    assert "Set-Cookie: a=2; Path=/\r\n" in again
