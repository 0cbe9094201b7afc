"""Middleware exactly as the guide's "Middleware" section describes it."""

from __future__ import annotations

from sanic import Sanic
from sanic.exceptions import NotFound
from sanic.response import text


def test_order_and_modifying_in_place(serve):
    app = Sanic(__name__)
    seen: list[str] = []

    @app.middleware
    async def bare(request):
        seen.append("bare")

    @app.middleware("request")
    def second(request):
        seen.append("second")

    @app.middleware("response")
    async def custom_banner(request, response):
        response.headers["Server"] = "Fake-Server"

    @app.middleware("response")
    async def prevent_xss(request, response):
        response.headers["x-xss-protection"] = "1; mode=block"

    @app.route("/")
    async def handler(request):
        seen.append("handler")
        return text("ok")

    with serve(app) as server:
        reply = server.get("/")
    assert seen == ["bare", "second", "handler"]
    assert reply.text == "ok"
    assert reply.headers["Server"] == "Fake-Server"
    assert reply.headers["x-xss-protection"] == "1; mode=block"


def test_request_middleware_halts(serve):
    app = Sanic(__name__)
    called: list[str] = []

    @app.middleware("request")
    async def halt_request(request):
        return text("I halted the request")

    @app.middleware("request")
    async def never(request):
        called.append("later request middleware")

    @app.middleware("response")
    async def never_either(request, response):
        called.append("response middleware")

    @app.route("/")
    async def handler(request):
        called.append("handler")
        return text("handler")

    with serve(app) as server:
        assert server.get("/").text == "I halted the request"
        assert server.get("/unrouted").text == "I halted the request"
    assert called == []


def test_response_middleware_replaces_and_stops(serve):
    app = Sanic(__name__)
    called: list[str] = []

    @app.middleware("response")
    async def halt_response(request, response):
        return text("I halted the response")

    @app.middleware("response")
    async def never(request, response):
        called.append("never")

    @app.route("/")
    async def handler(request):
        return text("handler")

    with serve(app) as server:
        assert server.get("/").text == "I halted the response"
    assert called == []


def test_response_middleware_sees_error_responses(serve):
    app = Sanic(__name__)

    @app.middleware("response")
    async def banner(request, response):
        response.headers["X-Seen"] = str(response.status)

    @app.exception(NotFound)
    def custom(request, exception):
        return text("custom 404", status=404)

    with serve(app) as server:
        reply = server.get("/missing")
    assert reply.status == 404
    assert reply.text == "custom 404"
    assert reply.headers["X-Seen"] == "404"


def test_failing_middleware_gives_500(serve):
    app = Sanic(__name__)

    @app.middleware("request")
    async def broken(request):
        raise RuntimeError("secret detail")

    @app.route("/")
    async def handler(request):
        return text("never")

    with serve(app) as server:
        reply = server.get("/")
    assert reply.status == 500
    assert "secret detail" not in reply.text
