"""Exceptions: the guide's "Exceptions" section and the default error answers."""

from __future__ import annotations

import pytest

from sanic import Sanic
from sanic.exceptions import (
    Forbidden,
    InvalidUsage,
    NotFound,
    SanicException,
    ServerError,
)
from sanic.response import json, text


@pytest.fixture
def app() -> Sanic:
    app = Sanic("errors")

    @app.route("/killme")
    def i_am_ready_to_die(request):
        raise ServerError("Something bad happened", status_code=500)

    @app.route("/forbidden")
    async def forbidden(request):
        raise Forbidden("Keep out")

    @app.route("/crash")
    async def crash(request):
        raise KeyError("database password is hunter2")

    @app.route("/not-a-response")
    async def not_a_response(request):
        return "string"

    @app.route("/json", methods=["POST"])
    async def parse(request):
        try:
            return json({"got": request.json})
        except InvalidUsage as exc:
            return text("caught: " + str(exc), status=422)

    @app.route("/json-uncaught", methods=["POST"])
    async def parse_uncaught(request):
        return json(request.json)

    return app


def test_raised_exceptions_answer_with_their_status(serve, app):
    with serve(app) as server:
        killed = server.get("/killme")
        forbidden = server.get("/forbidden")
    assert (killed.status, killed.text) == (500, "Something bad happened")
    assert (forbidden.status, forbidden.text) == (403, "Keep out")


def test_unexpected_errors_leak_nothing(serve, app):
    with serve(app) as server:
        crashed = server.get("/crash")
        html = server.get("/crash", headers={"Accept": "text/html"})
    assert crashed.status == 500
    assert "hunter2" not in crashed.text
    assert "Traceback" not in crashed.text
    assert "hunter2" not in html.text


def test_debug_shows_the_traceback(serve, app):
    with serve(app, debug=True) as server:
        crashed = server.get("/crash")
    assert crashed.status == 500
    assert "Traceback" in crashed.text
    assert "hunter2" in crashed.text


def test_format_follows_accept(serve, app):
    with serve(app) as server:
        as_json = server.get("/forbidden", headers={"Accept": "application/json"})
        as_html = server.get("/forbidden", headers={"Accept": "text/html,*/*"})
        as_text = server.get("/forbidden", headers={"Accept": "*/*"})
    assert as_json.json == {"status": 403, "message": "Keep out"}
    assert as_json.headers["Content-Type"].startswith("application/json")
    assert as_html.headers["Content-Type"].startswith("text/html")
    assert "<h1>" in as_html.text and "Keep out" in as_html.text
    assert as_text.text == "Keep out"


def test_non_response_is_500(serve, app):
    with serve(app) as server:
        reply = server.get("/not-a-response")
    assert reply.status == 500


def test_guide_handler_for_not_found(serve, app):
    @app.exception(NotFound)
    def ignore_404s(request, exception):
        return text("Yep, I totally found the page: {}".format(request.url))

    with serve(app) as server:
        reply = server.get("/somewhere?x=1")
    assert reply.status == 200
    assert reply.text == (
        f"Yep, I totally found the page: http://127.0.0.1:{server.port}/somewhere?x=1"
    )


def test_sanic_exception_catches_all_http_errors(serve, app):
    @app.exception(SanicException)
    async def everything(request, exception):
        return text(f"handled {exception.status_code}", status=exception.status_code)

    with serve(app) as server:
        assert server.get("/forbidden").text == "handled 403"
        assert server.get("/missing").text == "handled 404"
        assert server.request("POST", "/forbidden").text == "handled 405"
        assert server.get("/crash").status == 500


def test_json_errors_are_invalid_usage(serve, app):
    headers = {"Content-Type": "application/json"}
    with serve(app) as server:
        good = server.request("POST", "/json", body='{"a": [1]}', headers=headers)
        caught = server.request("POST", "/json", body="{nope", headers=headers)
        uncaught = server.request(
            "POST", "/json-uncaught", body="{nope", headers=headers
        )
    assert good.json == {"got": {"a": [1]}}
    assert caught.status == 422
    assert caught.text.startswith("caught: ")
    assert uncaught.status == 400


def test_failing_exception_handler_falls_back_to_500(serve, app):
    @app.exception(Forbidden)
    def broken(request, exception):
        raise RuntimeError("handler bug")

    with serve(app) as server:
        reply = server.get("/forbidden")
    assert reply.status == 500
    assert "handler bug" not in reply.text
