"""Blueprints as the guide's "Blueprints" section shows them."""

from __future__ import annotations

import pytest

from sanic import Blueprint, Sanic
from sanic.exceptions import NotFound
from sanic.response import json, text


def test_first_blueprint_and_request_app(serve):
    bp = Blueprint("my_blueprint")

    @bp.route("/")
    async def bp_root(request):
        if request.app.config["DEBUG"]:
            return json({"status": "debug"})
        return json({"status": "production"})

    app = Sanic(__name__)
    app.blueprint(bp)
    with serve(app) as server:
        assert server.get("/").json == {"status": "production"}
    with serve(app, debug=True) as server:
        assert server.get("/").json == {"status": "debug"}
    assert [route.name for route in app.router.routes] == ["my_blueprint.bp_root"]


def test_api_versioning_and_registration_prefix_wins(serve):
    blueprint_v1 = Blueprint("v1", url_prefix="/v1")
    blueprint_v2 = Blueprint("v2", url_prefix="/wrong")

    @blueprint_v1.route("/")
    async def api_v1_root(request):
        return text("Welcome to version 1 of our documentation")

    @blueprint_v2.route("/")
    async def api_v2_root(request):
        return text("Welcome to version 2 of our documentation")

    app = Sanic(__name__)
    app.blueprint(blueprint_v1, url_prefix="/v1")
    app.blueprint(blueprint_v2, url_prefix="/v2")
    with serve(app) as server:
        assert server.get("/v1").text == "Welcome to version 1 of our documentation"
        assert server.get("/v2/").text == "Welcome to version 2 of our documentation"
        assert server.get("/wrong").status == 404


def test_endpoint_is_dotted(serve):
    app = Sanic(__name__)
    blueprint = Blueprint("foo")

    @blueprint.get("/")
    async def bar(request):
        return text(request.endpoint)

    app.blueprint(blueprint)
    with serve(app) as server:
        assert server.get("/").text == "foo.bar"


def test_middleware_exceptions_and_listeners_apply_globally(serve):
    bp = Blueprint("my_blueprint", url_prefix="/bp")
    events: list[str] = []

    @bp.middleware
    async def spy(request):
        events.append("spy " + request.path)

    @bp.middleware("response")
    async def stamp(request, response):
        response.headers["X-Bp"] = "yes"

    @bp.exception(NotFound)
    def ignore_404s(request, exception):
        return text("Yep, I totally found the page: {}".format(request.url))

    @bp.listener("before_server_start")
    async def setup_connection(app, loop):
        events.append(f"start {app.name}")

    @bp.listener("after_server_stop")
    async def close_connection(app, loop):
        events.append("stop")

    @bp.route("/in")
    async def inside(request):
        return text("inside")

    app = Sanic("global")

    @app.route("/app")
    async def outside(request):
        return text("outside")

    app.blueprint(bp)
    with serve(app) as server:
        outside_reply = server.get("/app")
        missing = server.get("/nowhere")
        inside_reply = server.get("/bp/in")
    assert outside_reply.headers["X-Bp"] == "yes"
    assert missing.status == 200 and missing.text.startswith("Yep")
    assert inside_reply.text == "inside"
    assert events == ["start global", "spy /app", "spy /nowhere", "spy /bp/in", "stop"]


def test_static_under_prefix(serve, tmp_path):
    (tmp_path / "hello.txt").write_text("hi there")
    bp = Blueprint("files", url_prefix="/bp")
    bp.static("/web", str(tmp_path))
    app = Sanic(__name__)
    app.blueprint(bp)
    with serve(app) as server:
        assert server.get("/bp/web/hello.txt").text == "hi there"


def test_static_keywords_and_head_under_a_blueprint(serve, tmp_path):
    (tmp_path / "hello.txt").write_text("hi there")
    (tmp_path / "page.html").write_text("<p>page</p>")
    bp = Blueprint("files", url_prefix="/bp")
    bp.static(
        "/web",
        tmp_path,
        pattern=r".+\.txt",
        use_modified_since=False,
        use_content_range=True,
        name="web",
    )
    bp.static("/default", tmp_path, name="default")
    app = Sanic(__name__)
    app.blueprint(bp)
    with serve(app) as server:
        ranged = server.get("/bp/web/hello.txt", headers={"Range": "bytes=3-7"})
        unsatisfiable = server.get("/bp/web/hello.txt", headers={"Range": "bytes=99-"})
        filtered = server.get("/bp/web/page.html")
        head = server.request(
            "HEAD", "/bp/web/hello.txt", headers={"Range": "bytes=0-1"}
        )
        default = server.get("/bp/default/hello.txt", headers={"Range": "bytes=3-7"})
    assert ranged.status == 206 and ranged.text == "there"
    assert ranged.headers["Content-Range"] == "bytes 3-7/8"
    assert "Last-Modified" not in ranged.headers
    assert unsatisfiable.status == 416
    assert filtered.status == 404
    assert head.status == 206 and head.body == b""
    assert head.headers["Content-Range"] == "bytes 0-1/8"
    assert head.headers["Content-Length"] == "2"
    assert default.status == 200 and default.text == "hi there"
    assert "Last-Modified" in default.headers


def test_duplicate_names_are_refused():
    app = Sanic(__name__)
    app.blueprint(Blueprint("same"))
    with pytest.raises(ValueError, match="same"):
        app.blueprint(Blueprint("same"))


def test_bad_blueprint_name():
    with pytest.raises(ValueError):
        Blueprint("a.b")


def test_blueprint_group_prefixes_and_registers_every_blueprint(serve):
    from sanic.response import text

    users = Blueprint("users", url_prefix="/users")
    health = Blueprint("health")
    deep = Blueprint("deep", url_prefix="deep/")

    @users.route("/")
    async def list_users(request):
        return text("users")

    @health.route("/ping")
    async def ping(request):
        return text("pong")

    @deep.route("/x")
    async def deep_x(request):
        return text("deep")

    inner = Blueprint.group(deep, url_prefix="/inner")
    api = Blueprint.group(users, health, inner, url_prefix="/api/v1/")
    assert api == [users, health, deep]
    assert [bp.url_prefix for bp in api] == [
        "/api/v1/users",
        "/api/v1",
        "/api/v1/inner/deep",
    ]
    app = Sanic("grouped")
    app.blueprint(api)
    assert list(app.blueprints) == ["users", "health", "deep"]
    with serve(app) as server:
        assert server.get("/api/v1/users").text == "users"
        assert server.get("/api/v1/ping").text == "pong"
        assert server.get("/api/v1/inner/deep/x").text == "deep"
    assert app.url_for("users.list_users") == "/api/v1/users"


def test_blueprint_records_are_the_0_4_named_records():
    from sanic.blueprints import (
        FutureException,
        FutureListener,
        FutureMiddleware,
        FutureRoute,
    )

    bp = Blueprint("records")

    @bp.route("/r")
    async def handler(request):
        return None

    @bp.middleware("response")
    async def add_header(request, response):
        return None

    @bp.exception(KeyError, ValueError)
    def on_error(request, exception):
        return None

    @bp.listener("after_server_stop")
    def stopped(app, loop):
        return None

    assert isinstance(bp.routes[0], FutureRoute) and bp.routes[0].uri == "/r"
    assert bp.middlewares == [FutureMiddleware("response", add_header)]
    assert bp.exceptions == [FutureException((KeyError, ValueError), on_error)]
    assert bp.listeners == [FutureListener("after_server_stop", stopped)]
    assert bp.middlewares[0].middleware is add_header


def test_a_blueprint_static_is_recorded_as_a_future_static(serve, tmp_path):
    from sanic.blueprints import FutureStatic

    (tmp_path / "hello.txt").write_text("hi there")
    (tmp_path / "page.html").write_text("<p>page</p>")
    bp = Blueprint("files", url_prefix="/bp")
    bp.static("/web", tmp_path, r".+\.txt", name="web")
    assert bp.statics == [
        FutureStatic("/web", tmp_path, (r".+\.txt",), {"name": "web"})
    ]
    assert bp.statics[0].file_or_directory is tmp_path
    assert bp.routes == []
    with pytest.raises(ValueError):
        bp.static("/bad", tmp_path, "(unclosed")  # refused when recorded
    assert len(bp.statics) == 1
    # Replayed when registered: under a prefix given after it was recorded.
    app = Sanic("future_static")
    app.blueprint(Blueprint.group(bp, url_prefix="/g"))
    with serve(app) as server:
        served = server.get("/g/bp/web/hello.txt")
        filtered = server.get("/g/bp/web/page.html")
    assert (served.status, served.text) == (200, "hi there")
    assert filtered.status == 404
