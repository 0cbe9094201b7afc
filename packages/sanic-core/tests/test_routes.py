"""Routing features of Sanic 0.4-era code, over a real server: regex parameters
across slashes, methods=None, merging methods, remove_route, url_for schemes."""

from __future__ import annotations

import pytest

from sanic import Blueprint, Sanic
from sanic.constants import HTTP_METHODS
from sanic.exceptions import URLBuildError
from sanic.response import text
from sanic.router import (
    ParameterNameConflicts,
    RouteDoesNotExist,
    RouteExists,
    Router,
    RouterError,
)
from sanic_router import Converter


async def folder(request, name):
    return text("Folder - {}".format(name))


def test_a_regex_parameter_matches_across_slashes(serve):
    app = Sanic("regex_slashes")
    app.route("/folder/<name:[A-Za-z0-9/]+>/end/")(folder)

    async def person(request, name):
        return text("Person - {}".format(name))

    app.add_route(person, "/person/<name:[a-z/]+>")
    bp = Blueprint("bp", url_prefix="/bp")

    @bp.route("/files/<rest:[a-z.]+/[a-z.]+>")
    async def files(request, rest):
        return text("File - {}".format(rest))

    app.blueprint(bp)
    with serve(app) as server:
        reply = server.get("/folder/a/b/c/end/")
        assert (reply.status, reply.text) == (200, "Folder - a/b/c")
        assert server.get("/folder/a/end/").text == "Folder - a"
        assert server.get("/folder/a/b-c/end/").status == 404
        assert server.get("/person/ann/bob").text == "Person - ann/bob"
        assert server.get("/bp/files/docs/a.txt").text == "File - docs/a.txt"
        assert server.get("/bp/files/a.txt").status == 404
    assert app.url_for("folder", name="a/b/c") == "/folder/a/b/c/end/"
    assert app.url_for("bp.files", rest="docs/a.txt") == "/bp/files/docs/a.txt"
    with pytest.raises(URLBuildError):
        app.url_for("folder", name="a b")  # does not match the pattern


def test_a_regex_parameter_with_a_dot_matches_across_slashes_too(serve):
    app = Sanic("dot_slashes")

    @app.route(r"/docs/<page:.+\.html>")
    async def page(request, page):
        return text("Page - {}".format(page))

    @app.route("/docs/<other>")
    async def other(request, other):
        return text("Other - {}".format(other))

    bp = Blueprint("files", url_prefix="/bp")

    @bp.route("/<name:[^/].*>")
    async def files(request, name):
        return text("File - {}".format(name))

    app.blueprint(bp)
    with serve(app) as server:
        assert server.get("/docs/a/b/c.html").text == "Page - a/b/c.html"
        assert server.get("/docs/x.html").text == "Page - x.html"
        assert server.get("/docs/x").text == "Other - x"
        assert server.get("/docs/a/b/c.txt").status == 404
        assert server.get("/bp/a/b/c.txt").text == "File - a/b/c.txt"
    assert app.url_for("page", page="a/b.html") == "/docs/a/b.html"
    assert app.url_for("files.files", name="a/b.txt") == "/bp/a/b.txt"


def test_methods_none_means_every_method(serve):
    app = Sanic("every_method")

    @app.route("/any", methods=None)
    async def anything(request):
        return text("any " + request.method)

    async def added(request):
        return text("added " + request.method)

    app.add_route(added, "/added", methods=None)

    @app.route("/default")
    async def default(request):
        return text("default")

    assert "HEAD" in HTTP_METHODS and "PATCH" in HTTP_METHODS
    with serve(app) as server:
        for method in HTTP_METHODS:
            for path, body in (("/any", "any"), ("/added", "added")):
                reply = server.request(method, path)
                assert reply.status == 200, (method, path)
                if method != "HEAD":
                    assert reply.text == f"{body} {method}"
        assert server.get("/default").text == "default"
        reply = server.request("POST", "/default")
        assert reply.status == 405
        assert reply.headers["Allow"] == "GET, HEAD"


def test_methods_merge_and_a_taken_method_raises_route_exists(serve):
    app = Sanic("merge")

    @app.route("/item", methods=["GET"])
    async def read(request):
        return text("read")

    @app.route("/item", methods=["POST"])
    async def write(request):
        return text("write")

    @app.route("/all", methods=None)
    async def everything(request):
        return text("all")

    with pytest.raises(RouteExists):

        @app.route("/item", methods=["PUT", "GET"])
        async def again(request):
            return text("again")

    with pytest.raises(RouteExists):
        app.add_route(read, "/all", methods=["DELETE"])

    with serve(app) as server:
        assert server.get("/item").text == "read"
        assert server.request("POST", "/item").text == "write"
        assert server.request("PUT", "/item").status == 405  # "again" was refused
        assert server.request("DELETE", "/all").text == "all"


def test_a_repeated_parameter_name_raises_parameter_name_conflicts():
    app = Sanic("conflicts")
    with pytest.raises(ParameterNameConflicts):
        app.add_route(folder, "/a/<name>/<name:int>")
    assert issubclass(ParameterNameConflicts, RouterError)


def _remove_app() -> Sanic:
    app = Sanic("remove")

    @app.route("/static", methods=["GET", "POST"])
    async def static(request):
        return text("static")

    @app.route("/user/<name>")
    async def user(request, name):
        return text("user " + name)

    app.route("/folder/<name:[A-Za-z0-9/]+>/end/")(folder)

    @app.route("/keep")
    async def keep(request):
        return text("keep")

    bp = Blueprint("bp", url_prefix="/bp")

    @bp.route("/in/<n:int>")
    async def inside(request, n):
        return text("in {}".format(n))

    app.blueprint(bp)
    return app


REMOVED = [
    ("/static", "/static"),
    ("/user/<name>", "/user/ann"),
    ("/folder/<name:[A-Za-z0-9/]+>/end/", "/folder/a/b/end/"),
    ("/bp/in/<n:int>", "/bp/in/5"),
]


def test_remove_route_before_the_server_starts(serve):
    app = _remove_app()
    for uri, _ in REMOVED:
        app.remove_route(uri)
    with serve(app) as server:
        for _, path in REMOVED:
            assert server.get(path).status == 404, path
        assert server.request("POST", "/static").status == 404
        assert server.get("/keep").text == "keep"


def test_remove_route_between_runs(serve):
    app = _remove_app()
    with serve(app) as server:
        for _, path in REMOVED:
            assert server.get(path).status == 200, path
    for uri, _ in REMOVED:
        app.remove_route(uri, clean_cache=True)
    with serve(app) as server:
        for _, path in REMOVED:
            assert server.get(path).status == 404, path
        assert server.get("/keep").text == "keep"

    # A later registration (on a copy of the finalized router) does not bring
    # the removed routes back, and the freed URI may be registered again.
    @app.route("/static")
    async def replaced(request):
        return text("replaced")

    with serve(app) as server:
        assert server.get("/static").text == "replaced"
        assert server.get("/user/ann").status == 404
        assert server.get("/keep").text == "keep"
    assert [spec.uri for spec in app._route_specs] == ["/keep", "/static"]


def test_remove_route_of_an_unknown_uri_raises_route_does_not_exist():
    app = _remove_app()
    for uri in ("/nowhere", "/user/<name:int>", "/in/<n:int>"):
        with pytest.raises(RouteDoesNotExist):
            app.remove_route(uri)
    app.remove_route("/keep")
    with pytest.raises(RouteDoesNotExist):
        app.remove_route("/keep")


def test_remove_route_by_host(serve):
    app = Sanic("remove_host")

    @app.route("/h", host=["a.com", "b.com"])
    async def for_hosts(request):
        return text("hosts")

    @app.route("/h")
    async def for_anyone(request):
        return text("default")

    with pytest.raises(RouteDoesNotExist):
        app.remove_route("/h", host="c.com")
    app.remove_route("/h", host="a.com")
    with serve(app) as server:
        assert server.get("/h", headers={"Host": "a.com"}).text == "default"
        assert server.get("/h", headers={"Host": "b.com"}).text == "hosts"
    app.remove_route("/h")
    with serve(app) as server:
        assert server.get("/h", headers={"Host": "a.com"}).status == 404
        assert server.get("/h", headers={"Host": "b.com"}).text == "hosts"
    assert [spec.host for spec in app._route_specs] == [("b.com",)]


def test_routes_added_after_a_run_keep_the_router_converters(serve):
    even = Converter("even", r"[0-9]*[02468]", int)
    app = Sanic("converters", router=Router(converters={"even": even}))

    @app.route("/first/<n:even>")
    async def first(request, n):
        return text("first {}".format(n))

    with serve(app) as server:
        assert server.get("/first/2").text == "first 2"

    @app.route("/second/<n:even>")
    async def second(request, n):
        return text("second {}".format(n))

    with serve(app) as server:
        assert server.get("/second/4").text == "second 4"
        assert server.get("/second/3").status == 404
        assert server.get("/first/2").text == "first 2"


def test_a_router_assigned_after_a_run_answers_the_next_requests(serve):
    app = Sanic("assigned_router")

    @app.route("/old")
    async def old(request):
        return text("old")

    with serve(app) as server:
        assert server.get("/old").text == "old"
    router = Router()
    router.add("/new/<name>", ["GET"], folder)
    app.router = router
    with serve(app) as server:
        assert server.get("/new/x").text == "Folder - x"
        assert server.get("/old").status == 404


@pytest.mark.parametrize(
    ("kwargs", "config", "expected"),
    [
        ({"_server": "http://example.com:8000"}, None, "http://example.com:8000"),
        ({}, "http://example.com:8000", "http://example.com:8000"),
        ({}, "https://example.com", "https://example.com"),
        ({"_scheme": "https"}, "http://example.com", "https://example.com"),
        ({}, "server", "//server"),
        ({"_server": "server"}, None, "//server"),
    ],
)
def test_url_for_takes_the_scheme_of_the_server(kwargs, config, expected):
    app = Sanic("schemes")

    @app.route("/posts/<post_id>")
    async def post_handler(request, post_id):
        return text(post_id)

    if config is not None:
        app.config.SERVER_NAME = config
    url = app.url_for("post_handler", post_id=5, _external=True, **kwargs)
    assert url == expected + "/posts/5"


def test_the_app_router_has_the_0_4_look_ups(serve):
    import re

    from sanic.router import REGEX_TYPES

    app = Sanic("lookups")
    assert isinstance(app.router, Router)

    @app.route("/posts/<post_id:int>", methods=["GET", "POST"])
    async def post(request, post_id):
        return text(str(post_id))

    @app.route("/posts/<post_id:int>", methods=["DELETE"], name="drop")
    async def drop(request, post_id):
        return text("gone")

    uri, route = app.router.find_route_by_view_name("post")
    assert (uri, route.handler) == ("/posts/<post_id:int>", post)
    assert app.router.find_route_by_view_name("nope") == (None, None)
    assert app.router.get_supported_methods("/posts/<post_id:int>") == {
        "GET",
        "POST",
        "DELETE",
    }
    assert app.router.get_supported_methods("/other") == frozenset()
    parse, pattern = REGEX_TYPES["int"]
    assert parse("42") == 42 and re.fullmatch(pattern, "42")
    assert not re.fullmatch(REGEX_TYPES["string"][1], "a/b")
    assert re.fullmatch(REGEX_TYPES["path"][1], "a/b")
    with serve(app) as server:
        assert server.request("DELETE", "/posts/3").text == "gone"
    # Routes added after a run keep the router's class (and its look-ups).
    app.add_route(drop, "/later", name="later")
    assert app.router.find_route_by_view_name("later")[0] == "/later"
