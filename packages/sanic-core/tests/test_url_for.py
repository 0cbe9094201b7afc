"""url_for on the app, blueprints, views and requests: what the app adds to the
router's URL building."""

from __future__ import annotations

import pytest

from sanic import Blueprint, Sanic
from sanic.exceptions import URLBuildError
from sanic.response import redirect, text
from sanic.views import HTTPMethodView


@pytest.fixture
def app() -> Sanic:
    app = Sanic("url_for")

    @app.route("/")
    async def index(request):
        url = app.url_for("post_handler", post_id=5)
        return redirect(url)

    @app.route("/posts/<post_id>")
    async def post_handler(request, post_id):
        return text("Post - {}".format(post_id))

    @app.route("/typed/<n:int>")
    async def typed(request, n):
        return text(str(n))

    return app


# The router builds the guide's URLs (sanic-router's test_urls.py has them all);
# what the app adds is SERVER_NAME, blueprint names and URLBuildError.
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"_external": True}, "//server/posts/5?arg_one=one"),
        (
            {"_external": True, "_server": "other:8000"},
            "//other:8000/posts/5?arg_one=one",
        ),
        ({"_external": True, "_scheme": "https"}, "https://server/posts/5?arg_one=one"),
        ({}, "/posts/5?arg_one=one"),
    ],
)
def test_server_name_from_config(app, kwargs, expected):
    app.config.SERVER_NAME = "server"
    assert app.url_for("post_handler", post_id=5, arg_one="one", **kwargs) == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"n": "abc"},
        {"n": 5, "_scheme": "http"},
    ],
)
def test_build_errors(app, kwargs):
    with pytest.raises(URLBuildError):
        app.url_for("typed", **kwargs)


def test_unknown_name(app):
    with pytest.raises(URLBuildError):
        app.url_for("nope")


def test_redirect_to_built_url(serve, app):
    with serve(app) as server:
        reply = server.get("/")
    assert reply.status == 302
    assert reply.headers["Location"] == "/posts/5"


def test_blueprint_and_class_view_names(serve):
    app = Sanic("names")
    blueprint_v1 = Blueprint("v1", url_prefix="/v1")

    @blueprint_v1.route("/")
    async def root(request):
        url = app.url_for("v1.post_handler", post_id=5)
        return redirect(url)

    @blueprint_v1.route("/post/<post_id>")
    async def post_handler(request, post_id):
        return text("Post {} in Blueprint V1".format(post_id))

    class SpecialClassView(HTTPMethodView):
        def get(self, request):
            return text("Hello from the Special Class View!")

    @app.route("/")
    def index(request):
        url = app.url_for("SpecialClassView")
        return redirect(url)

    app.add_route(SpecialClassView.as_view(), "/special_class_view")
    app.blueprint(blueprint_v1)
    assert app.url_for("v1.post_handler", post_id=5) == "/v1/post/5"
    with serve(app) as server:
        assert server.get("/v1").headers["Location"] == "/v1/post/5"
        assert server.get("/v1/post/5").text == "Post 5 in Blueprint V1"
        assert server.get("/").headers["Location"] == "/special_class_view"
        assert server.get("/special_class_view").text == (
            "Hello from the Special Class View!"
        )


def test_request_url_for_is_external(serve, app):
    @app.route("/whereis")
    async def whereis(request):
        return text(request.url_for("post_handler", post_id=7))

    with serve(app) as server:
        reply = server.get("/whereis", headers={"Host": "example.org:1234"})
    assert reply.text == "http://example.org:1234/posts/7"
