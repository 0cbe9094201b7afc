"""Error formats: FALLBACK_ERROR_FORMAT, a blueprint's and a route's error_format.

Every answer is read from a real server; the exact bodies are the ones
docs/exceptions.md shows.
"""

from __future__ import annotations

import pytest

from sanic import Blueprint, Sanic
from sanic.exceptions import NotFound, ServerError
from sanic.handlers import INTERNAL_SERVER_ERROR_HTML
from sanic.response import json, text
from sanic.views import HTTPMethodView

NOT_FOUND_HTML = (
    "<!DOCTYPE html><html><head><meta charset=utf-8><title>404 — Not Found</title>"
    "</head><body><h1>404 — Not Found</h1><p>No such item</p></body></html>"
)


def _app(name: str, fallback: str | None = None) -> Sanic:
    app = Sanic(name)
    if fallback is not None:
        app.config.FALLBACK_ERROR_FORMAT = fallback

    @app.get("/missing")
    async def missing(request):
        raise NotFound("No such item")

    @app.get("/crash")
    async def crash(request):
        raise RuntimeError("secret detail")

    @app.get("/json-route", error_format="json")
    async def json_route(request):
        raise NotFound("No such item")

    @app.route("/text-route", error_format="text")
    async def text_route(request):
        raise NotFound("No such item")

    return app


@pytest.mark.parametrize(
    ("fallback", "content_type", "body"),
    [
        ("json", "application/json", b'{"status":404,"message":"No such item"}'),
        ("text", "text/plain; charset=utf-8", b"Error: No such item"),
        ("html", "text/html; charset=utf-8", NOT_FOUND_HTML.encode()),
    ],
)
def test_the_config_sets_the_format_whatever_accept_says(
    serve, fallback: str, content_type: str, body: bytes
) -> None:
    app = _app(f"fallback_{fallback}", fallback)
    with serve(app) as server:
        for accept in ({}, {"Accept": "text/html"}, {"Accept": "application/json"}):
            reply = server.get("/missing", headers=accept)
            assert reply.status == 404
            assert reply.headers["Content-Type"] == content_type
            assert reply.body == body


def test_auto_is_the_default_and_follows_accept(serve) -> None:
    app = _app("fallback_auto")
    assert app.config.FALLBACK_ERROR_FORMAT == "auto"
    with serve(app) as server:
        assert server.get("/missing").body == b"Error: No such item"
        as_json = server.get("/missing", headers={"Accept": "application/json"})
        assert as_json.json == {"status": 404, "message": "No such item"}
        as_html = server.get("/missing", headers={"Accept": "text/html"})
        assert as_html.body == NOT_FOUND_HTML.encode()


def test_a_route_format_wins_over_the_config_and_accept(serve) -> None:
    app = _app("route_wins", "html")
    with serve(app) as server:
        reply = server.get("/json-route", headers={"Accept": "text/html"})
        assert reply.status == 404
        assert reply.headers["Content-Type"] == "application/json"
        assert reply.json == {"status": 404, "message": "No such item"}
        reply = server.get("/text-route", headers={"Accept": "application/json"})
        assert reply.body == b"Error: No such item"
        # The other routes keep the config's format.
        assert server.get("/missing").body == NOT_FOUND_HTML.encode()


def test_an_unexpected_error_hides_its_message_in_every_format(serve) -> None:
    app = _app("no_leak", "json")

    @app.get("/crash-text", error_format="text")
    async def crash_text(request):
        raise RuntimeError("secret detail")

    @app.get("/crash-html", error_format="html")
    async def crash_html(request):
        raise RuntimeError("secret detail")

    with serve(app) as server:
        reply = server.get("/crash")
        assert reply.status == 500
        assert reply.body == b'{"status":500,"message":"Internal Server Error"}'
        reply = server.get("/crash-text")
        assert reply.body == b"Error: Internal Server Error"
        reply = server.get("/crash-html")
        assert reply.body == INTERNAL_SERVER_ERROR_HTML.encode()


def test_debug_adds_the_traceback_in_the_route_format(serve) -> None:
    app = _app("debug_json", "json")
    with serve(app, debug=True) as server:
        reply = server.get("/crash", headers={"Accept": "text/html"})
        assert reply.status == 500
        payload = reply.json
        assert payload["status"] == 500
        assert payload["message"] == "Internal Server Error"
        assert payload["traceback"].startswith("Traceback (most recent call last):")
        assert payload["traceback"].rstrip().endswith("RuntimeError: secret detail")
        # An HTTP error carries no traceback, debug or not.
        reply = server.get("/json-route")
        assert reply.json == {"status": 404, "message": "No such item"}


def test_a_blueprint_format_applies_to_its_routes_and_a_route_wins(serve) -> None:
    app = Sanic("bp_format")
    api = Blueprint("api", url_prefix="/api", error_format="json")

    @api.get("/item")
    async def item(request):
        raise NotFound("No such item")

    @api.post("/page", error_format="html")
    async def page(request):
        raise NotFound("No such item")

    class Things(HTTPMethodView):
        async def get(self, request):
            raise ServerError("Things are broken")

    api.add_route(Things.as_view(), "/things")

    @app.get("/plain")
    async def plain(request):
        raise NotFound("No such item")

    app.blueprint(api)
    with serve(app) as server:
        reply = server.get("/api/item", headers={"Accept": "text/html"})
        assert reply.json == {"status": 404, "message": "No such item"}
        reply = server.request("POST", "/api/page")
        assert reply.body == NOT_FOUND_HTML.encode()
        reply = server.get("/api/things")
        assert reply.status == 500
        assert reply.json == {"status": 500, "message": "Things are broken"}
        # Outside the blueprint, and before a route is chosen: the config (auto).
        assert server.get("/plain").body == b"Error: No such item"
        assert (
            server.get("/api/nothing").body
            == b"Error: Requested URL /api/nothing not found"
        )
        reply = server.request("DELETE", "/api/item")
        assert reply.status == 405
        assert reply.body.startswith(b"Error: Method DELETE not allowed")


def test_add_route_takes_an_error_format_for_a_view(serve) -> None:
    app = Sanic("view_format")

    class Things(HTTPMethodView):
        async def get(self, request):
            raise NotFound("No such item")

    app.add_route(Things.as_view(), "/things", error_format="json")
    with serve(app) as server:
        assert server.get("/things").json == {"status": 404, "message": "No such item"}


def test_a_custom_exception_handler_still_wins(serve) -> None:
    app = _app("custom_wins", "json")

    @app.exception(NotFound)
    async def not_found(request, exception):
        return text("custom: " + str(exception), status=404)

    with serve(app) as server:
        assert server.get("/json-route").body == b"custom: No such item"
        assert server.get("/missing").body == b"custom: No such item"
        # A handler returning None falls back to the default, in the format.
        assert server.get("/crash").json == {
            "status": 500,
            "message": "Internal Server Error",
        }


def test_errors_from_middleware_use_the_route_format(serve) -> None:
    app = _app("middleware_format")

    @app.middleware("request")
    async def refuse(request):
        if request.path == "/json-route":
            raise ServerError("Refused by middleware")

    with serve(app) as server:
        reply = server.get("/json-route")
        assert reply.json == {"status": 500, "message": "Refused by middleware"}


def test_the_servers_own_errors_use_the_config(serve) -> None:
    app = _app("server_errors", "json")
    app.config.REQUEST_MAX_SIZE = 10

    @app.post("/upload", error_format="text")
    async def upload(request):
        return json({})

    with serve(app) as server:
        reply = server.request("POST", "/upload", body=b"x" * 100)
        assert reply.status == 413
        assert reply.headers["Content-Type"] == "application/json"
        assert reply.json["status"] == 413


@pytest.mark.parametrize("value", ["xml", "", None, 1])
def test_an_invalid_config_value_stops_the_start(serve, value: object) -> None:
    app = _app("bad_format")
    app.config.FALLBACK_ERROR_FORMAT = value
    with pytest.raises(ValueError) as caught, serve(app):
        pass
    assert str(caught.value) == (
        f"config FALLBACK_ERROR_FORMAT={value!r} is not one of "
        "'auto', 'json', 'html', 'text'"
    )


def test_the_config_value_is_read_in_any_case(serve) -> None:
    app = _app("upper_format", "JSON")
    with serve(app) as server:
        assert server.get("/missing").json == {"status": 404, "message": "No such item"}


def test_an_invalid_error_format_fails_at_registration() -> None:
    app = Sanic("bad_route_format")
    message = "error_format='yaml' is not one of 'auto', 'json', 'html', 'text'"
    with pytest.raises(ValueError) as caught:
        app.get("/", error_format="yaml")
    assert str(caught.value) == message
    with pytest.raises(ValueError) as caught:
        Blueprint("bp", error_format="yaml")
    assert str(caught.value) == message
    with pytest.raises(ValueError):
        app.add_route(lambda request: text(""), "/", error_format="yaml")


def test_a_route_may_return_to_auto_inside_a_json_blueprint(serve) -> None:
    app = Sanic(
        "bp_auto",
    )
    api = Blueprint("api", error_format="json")

    @api.get("/page", error_format="auto")
    async def page(request):
        raise NotFound("No such item")

    app.blueprint(api)
    with serve(app) as server:
        assert server.get("/page").body == b"Error: No such item"
        reply = server.get("/page", headers={"Accept": "text/html"})
        assert reply.body == NOT_FOUND_HTML.encode()
