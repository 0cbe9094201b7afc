"""Streaming routes: ``stream=True`` and the stream marks reach the server's check.

The app decides at startup which routes stream; the server calls the check it gets
(``ServerSettings.stream_check``) when a request's head is complete. These tests
call that check directly on built requests, and over a real socket see that a
connection receives it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, text
from sanic.server import HttpProtocol
from sanic.views import CompositionView, HTTPMethodView, stream

Check = Callable[[Request], bool]


def stream_check_of(app: Sanic) -> Check | None:
    """The check the app hands its server, built as ``run()`` builds it."""
    check: Check | None = app._serve_arguments()["settings"].stream_check
    return check


def request(method: str, url: str, headers: Any = ()) -> Request:
    return Request(url.encode(), list(headers), "1.1", method)


async def upload(request: Request) -> HTTPResponse:
    await request.receive_body()
    return text(f"{len(request.body)} bytes")


def handler() -> Callable[[Request], Any]:
    """A new upload handler: marking one (``stream``) must not mark another test's."""

    async def fresh(request: Request) -> HTTPResponse:
        return await upload(request)

    return fresh


async def index(request: Request) -> HTTPResponse:
    return text("index")


def test_an_app_without_streaming_routes_passes_none() -> None:
    app = Sanic("no_streams")
    app.add_route(index, "/")
    app.post("/up")(handler())
    assert stream_check_of(app) is None


@pytest.mark.parametrize("shorthand", ["post", "put", "patch"])
def test_stream_true_on_a_shorthand(shorthand: str) -> None:
    app = Sanic(f"stream_{shorthand}")
    getattr(app, shorthand)("/up", stream=True)(handler())
    app.add_route(index, "/")
    check = stream_check_of(app)
    assert check is not None
    method = shorthand.upper()
    assert check(request(method, "/up"))
    assert not check(request(method, "/"))  # 405 there: answered as usual
    assert not check(request("GET", "/"))
    assert not check(request(method, "/nowhere"))


def test_stream_true_on_route_and_add_route() -> None:
    app = Sanic("stream_route")
    app.route("/a", methods=["POST", "PUT"], stream=True)(handler())
    app.add_route(handler(), "/b", methods=["POST"], stream=True)
    app.add_route(handler(), "/c", methods=["POST"])
    check = stream_check_of(app)
    assert check is not None
    assert check(request("POST", "/a")) and check(request("PUT", "/a"))
    assert check(request("POST", "/b"))
    assert not check(request("POST", "/c"))


def test_a_handler_marked_with_the_views_stream_decorator_streams() -> None:
    @stream
    async def marked(request: Request) -> HTTPResponse:
        return await upload(request)

    app = Sanic("stream_marked")
    app.post("/up")(marked)
    check = stream_check_of(app)
    assert check is not None and check(request("POST", "/up"))


def test_a_method_view_streams_only_its_marked_methods() -> None:
    class Upload(HTTPMethodView):
        async def get(self, request: Request) -> HTTPResponse:
            return text("form")

        @stream
        async def post(self, request: Request) -> HTTPResponse:
            return await upload(request)

    app = Sanic("stream_view")
    app.add_route(Upload.as_view(), "/up")
    check = stream_check_of(app)
    assert check is not None
    assert check(request("POST", "/up"))
    assert not check(request("GET", "/up"))
    assert not check(request("HEAD", "/up"))


def test_a_composition_view_streams_the_methods_added_with_stream() -> None:
    view = CompositionView()
    view.add(["GET"], index)
    view.add(["POST", "PUT"], handler(), stream=True)
    app = Sanic("stream_composition")
    app.add_route(view, "/up", name="up")
    check = stream_check_of(app)
    assert check is not None
    assert check(request("POST", "/up")) and check(request("PUT", "/up"))
    assert not check(request("GET", "/up"))


def test_a_blueprint_keeps_the_flag_under_its_prefix() -> None:
    bp = Blueprint("files", url_prefix="/files")
    bp.post("/up", stream=True)(handler())
    bp.add_route(handler(), "/put", methods=["PUT"], stream=True)
    bp.get("/")(index)
    assert [spec.stream for spec in bp.routes] == [True, True, False]
    app = Sanic("stream_blueprint")
    app.blueprint(bp)
    check = stream_check_of(app)
    assert check is not None
    assert check(request("POST", "/files/up"))
    assert check(request("PUT", "/files/put"))
    assert not check(request("GET", "/files/"))
    assert not check(request("POST", "/up"))


def test_host_routes_are_matched_by_host_as_requests_are() -> None:
    app = Sanic("stream_hosts")
    app.post("/up", host="upload.example.com", stream=True)(handler())
    app.post("/up", host="other.example.com")(handler())
    check = stream_check_of(app)
    assert check is not None
    assert check(request("POST", "/up", [(b"Host", b"upload.example.com")]))
    assert not check(request("POST", "/up", [(b"Host", b"other.example.com")]))
    assert check(request("POST", "http://upload.example.com/up"))


def test_the_check_remembers_the_match_so_the_request_is_routed_once() -> None:
    app = Sanic("stream_once")
    app.post("/up/<name>", stream=True)(lambda request, name: text(f"hi {name}"))
    app.get("/")(index)
    check = stream_check_of(app)
    assert check is not None
    streamed, plain = request("POST", "/up/ann"), request("GET", "/")
    assert check(streamed) and not check(plain)
    assert plain._route_match is not None  # a match is kept either way

    def no_second_routing(*args: object) -> object:
        raise AssertionError("routed twice")

    app._match = no_second_routing  # type: ignore[assignment]
    written: list[Any] = []
    for each in (streamed, plain):
        asyncio.run(app.handle_request(each, written.append))
    assert [response.body for response in written] == [b"hi ann", b"index"]
    assert (streamed.endpoint, streamed.uri_template) == (
        "<lambda>",
        "/up/<name>",
    )


def test_a_connection_receives_the_apps_check(serve: Any) -> None:
    seen: list[object] = []

    class Recording(HttpProtocol):
        def connection_made(self, transport: Any) -> None:
            seen.append(self.settings.stream_check)
            super().connection_made(transport)

    app = Sanic("stream_wired")
    app.post("/up", stream=True)(handler())
    with serve(app, protocol=Recording) as server:
        reply = server.request("POST", "/up", body=b"x" * 1000)
    assert (reply.status, reply.text) == (200, "1000 bytes")
    assert len(seen) == 1 and callable(seen[0])
    (check,) = seen
    assert check(request("POST", "/up"))  # type: ignore[operator]

    plain = Sanic("stream_not_wired")
    plain.post("/up")(handler())
    with serve(plain, protocol=Recording) as server:
        assert server.request("POST", "/up", body=b"abc").text == "3 bytes"
    assert seen[1:] == [None]
