"""url_for's messages: the closest names for an unknown one, names relative to the
handler's blueprint, and a URLBuildError in a handler kept from the client."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from sanic import Blueprint, Sanic
from sanic.exceptions import URLBuildError
from sanic.response import json, text

CLOSEST = "'api.get_todo' or 'api.list_todos'"


@pytest.fixture
def app() -> Sanic:
    app = Sanic("url_for_messages")
    api = Blueprint("api", url_prefix="/api")

    async def helper() -> str:
        await asyncio.sleep(0)
        return app.url_for(".get_todo", todo_id=3)

    @api.route("/todos/<todo_id:int>")
    async def get_todo(request: Any, todo_id: int) -> Any:
        return json(
            {
                "app": app.url_for(".get_todo", todo_id=todo_id),
                "request_app": request.app.url_for(".list_todos"),
                "request": request.url_for(".get_todo", todo_id=todo_id),
                "awaited": await helper(),
            }
        )

    @api.route("/todos")
    def list_todos(request: Any) -> Any:
        return text(app.url_for(".index"))  # no api.index: an error

    @api.route("/later")
    async def later(request: Any) -> Any:
        async def task() -> str:
            return app.url_for(".get_todo", todo_id=1)

        try:
            await asyncio.create_task(task())
        except URLBuildError as exc:
            return text(f"{exc}\n{request.url_for('.get_todo', todo_id=1)}")
        return text("resolved in a task")

    @app.route("/")
    def index(request: Any) -> Any:
        return text(app.url_for(".index") + " " + request.url_for(".index"))

    @app.route("/broken")
    def broken(request: Any) -> Any:
        return text(app.url_for("get_todos"))

    app.blueprint(api)
    return app


def test_an_unknown_name_suggests_the_closest_names(app: Sanic) -> None:
    with pytest.raises(URLBuildError) as info:
        app.url_for("get_todo", todo_id=1)
    assert str(info.value) == (
        "url_for: no route named 'get_todo'; did you mean 'api.get_todo'?"
    )


def test_a_relative_name_resolves_in_the_handlers_blueprint(
    serve: Any, app: Sanic
) -> None:
    with serve(app) as server:
        reply = server.get("/api/todos/5")
        index = server.get("/")
    origin = f"http://{server.host}:{server.port}"
    assert reply.json == {
        "app": "/api/todos/5",
        "request_app": "/api/todos",
        "request": f"{origin}/api/todos/5",
        "awaited": "/api/todos/3",
    }
    # A route of the app itself: relative to the app's own routes.
    assert index.text == f"/ {origin}/"


def test_a_relative_name_outside_a_request_says_what_to_write(app: Sanic) -> None:
    with pytest.raises(URLBuildError) as info:
        app.url_for(".get_todo", todo_id=1)
    assert str(info.value) == (
        "url_for('.get_todo'): a name starting with '.' is relative to the"
        " blueprint of the request being handled, and no handler is running here"
        " (use request.url_for('.get_todo') with the request at hand, or the"
        " full name); did you mean 'api.get_todo'?"
    )


def test_in_a_task_the_request_resolves_a_relative_name(serve: Any, app: Sanic) -> None:
    with serve(app) as server:
        reply = server.get("/api/later")
    origin = f"http://{server.host}:{server.port}"
    assert reply.text.splitlines() == [
        "url_for('.get_todo'): a name starting with '.' is relative to the"
        " blueprint of the request being handled, and no handler is running here"
        " (use request.url_for('.get_todo') with the request at hand, or the"
        " full name); did you mean 'api.get_todo'?",
        f"{origin}/api/todos/1",
    ]


@pytest.mark.parametrize(
    ("accept", "body"),
    [
        ("*/*", "Error: Internal Server Error"),
        ("application/json", '{"status":500,"message":"Internal Server Error"}'),
    ],
)
def test_a_url_build_error_in_a_handler_is_a_500_that_leaks_nothing(
    serve: Any,
    app: Sanic,
    caplog: pytest.LogCaptureFixture,
    accept: str,
    body: str,
) -> None:
    with caplog.at_level(logging.ERROR, logger="sanic.error"), serve(app) as server:
        broken = server.get("/broken", headers={"Accept": accept})
        relative = server.get("/api/todos", headers={"Accept": accept})
        page = server.get("/broken", headers={"Accept": "text/html"})
    assert (broken.status, broken.text) == (500, body)
    assert (relative.status, relative.text) == (500, body)
    assert page.status == 500
    assert "get_todo" not in page.text and "url_for" not in page.text
    logged = [str(r.exc_info[1]) for r in caplog.records if r.exc_info]
    assert logged == [
        f"url_for: no route named 'get_todos'; did you mean {CLOSEST}?",
        "url_for: no route named 'api.index'; did you mean 'index'?",
        f"url_for: no route named 'get_todos'; did you mean {CLOSEST}?",
    ]


def test_in_debug_mode_a_url_build_error_reaches_the_client(
    serve: Any, app: Sanic
) -> None:
    with serve(app, debug=True) as server:
        broken = server.get("/broken")
    assert broken.status == 500
    assert broken.text.startswith("Error: Internal Server Error\n\nTraceback")
    assert broken.text.endswith(
        f"URLBuildError: url_for: no route named 'get_todos'; did you mean {CLOSEST}?\n"
    )
