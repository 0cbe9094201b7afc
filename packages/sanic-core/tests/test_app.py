"""Routing through a real server: the guide's "Routing" section and add_route."""

from __future__ import annotations

import pytest

from sanic import Sanic
from sanic.response import json, text
from sanic.views import CompositionView, HTTPMethodView


@pytest.fixture
def app() -> Sanic:
    app = Sanic("routing")

    @app.route("/")
    async def test(request):
        return json({"hello": "world"})

    @app.route("/tag/<tag>")
    async def tag_handler(request, tag):
        return text("Tag - {}".format(tag))

    @app.route("/number/<integer_arg:int>")
    async def integer_handler(request, integer_arg):
        return text("Integer - {}".format(integer_arg))

    @app.route("/number/<number_arg:number>")
    async def number_handler(request, number_arg):
        return text("Number - {}".format(number_arg))

    @app.route("/person/<name:[A-z]>")
    async def person_handler(request, name):
        return text("Person - {}".format(name))

    @app.route("/folder/<folder_id:[A-z0-9]{0,4}>")
    async def folder_handler(request, folder_id):
        return text("Folder - {}".format(folder_id))

    @app.route("/post", methods=["POST"])
    async def post_handler(request):
        return text("POST request - {}".format(request.json))

    @app.route("/get", methods=["GET"], host="example.com")
    async def get_handler(request):
        return text("GET request - {}".format(request.args))

    @app.route("/get", methods=["GET"])
    async def get_handler_default(request):
        return text("GET request in default - {}".format(request.args))

    @app.put("/put")
    def sync_put(request):
        return text("put " + request.body.decode())

    @app.route("/strict", strict_slashes=True)
    async def strict(request):
        return text("strict")

    return app


CASES = [
    ("/", 200, '{"hello":"world"}'),
    ("/tag/python", 200, "Tag - python"),
    ("/number/5", 200, "Integer - 5"),
    ("/number/-5", 200, "Integer - -5"),
    ("/number/5.5", 200, "Number - 5.5"),
    ("/number/abc", 404, None),
    ("/person/J", 200, "Person - J"),
    ("/person/John", 404, None),
    ("/folder/ab12", 200, "Folder - ab12"),
    ("/folder/abc123", 404, None),
    ("/tag/with%20space", 200, "Tag - with space"),
    ("/nowhere", 404, None),
    ("/strict/", 404, None),
    ("/strict", 200, "strict"),
]


@pytest.mark.parametrize(("path", "status", "body"), CASES)
def test_guide_routes(serve, app, path, status, body):
    with serve(app) as server:
        reply = server.get(path)
    assert reply.status == status
    if body is not None:
        assert reply.text == body


def test_methods_hosts_and_shorthands(serve, app):
    with serve(app) as server:
        posted = server.request(
            "POST",
            "/post",
            body='{"a": 1}',
            headers={"Content-Type": "application/json"},
        )
        wrong = server.request("DELETE", "/post")
        default_host = server.get("/get?x=1")
        by_host = server.get("/get?x=1", headers={"Host": "example.com:8000"})
        put = server.request("PUT", "/put", body="data")
        trailing = server.get("/get/")
    assert posted.text == "POST request - {'a': 1}"
    assert wrong.status == 405
    assert wrong.headers["Allow"] == "POST"
    assert default_host.text == "GET request in default - {'x': ['1']}"
    assert by_host.text == "GET request - {'x': ['1']}"
    assert put.text == "put data"
    assert trailing.status == 200


def test_head_answers_like_get_without_body(serve, app):
    with serve(app) as server:
        get = server.get("/tag/x")
        head = server.request("HEAD", "/tag/x")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_add_route_functions_and_views(serve):
    app = Sanic("add_route")

    async def handler1(request):
        return text("OK")

    async def handler2(request, name):
        return text("Folder - {}".format(name))

    async def person_handler2(request, name):
        return text("Person - {}".format(name))

    app.add_route(handler1, "/test")
    app.add_route(handler2, "/folder/<name>")
    app.add_route(person_handler2, "/person/<name:[A-z]>", methods=["GET"])

    class SimpleView(HTTPMethodView):
        def get(self, request):
            return text("I am get method")

        async def post(self, request):
            return text("I am post method")

    app.add_route(SimpleView.as_view(), "/view")

    view = CompositionView()
    view.add(["GET"], lambda request: text("composed get"))
    app.add_route(view, "/composed", name="composed")

    with serve(app) as server:
        assert server.get("/test").text == "OK"
        assert server.get("/folder/abc").text == "Folder - abc"
        assert server.get("/person/Z").text == "Person - Z"
        assert server.get("/view").text == "I am get method"
        assert server.request("POST", "/view").text == "I am post method"
        refused = server.request("PUT", "/view")
        assert refused.status == 405
        assert set(refused.headers["Allow"].replace(" ", "").split(",")) >= {
            "GET",
            "POST",
        }
        assert server.get("/composed").text == "composed get"
        assert server.request("POST", "/composed").status == 405
    assert app.url_for("SimpleView") == "/view"
    assert app.url_for("composed") == "/composed"


def test_request_app_and_endpoint(serve):
    app = Sanic(__name__)

    @app.get("/")
    def hello(request):
        assert request.app is app
        return text(request.endpoint)

    with serve(app) as server:
        assert server.get("/").text == "hello"


def test_routes_added_after_a_run_are_served(serve):
    app = Sanic("late")

    @app.get("/first")
    async def first(request):
        return text("first")

    with serve(app) as server:
        assert server.get("/first").text == "first"

    @app.get("/second")
    async def second(request):
        return text("second")

    with serve(app) as server:
        assert server.get("/first").text == "first"
        assert server.get("/second").text == "second"
