"""A handler that returns something other than a response: an error naming the fix.

The log names the route, the handler (``module:qualname (file:line)``), what it
returned and what to return instead; the client gets the default 500 and nothing
more (the message only in debug mode); response middleware runs and the
connection stays usable, as for any other error.
"""

from __future__ import annotations

import inspect
import logging
from pathlib import Path
from typing import Any

import pytest
from sanic_test_helpers import Client
from test_asgi import call, http_scope, run

from sanic import Sanic
from sanic.response import HTTPResponse, file, text
from sanic.views import HTTPMethodView

HERE = Path(__file__)
UNAWAITED: list[Any] = []


def line_of(name: str) -> int:
    """The line ``def name(`` is on in this file (found in the source text)."""
    lines = HERE.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if f"def {name}(" in line)


async def returns_dict(request: Any) -> Any:
    return {"id": 1}


def returns_str(request: Any) -> Any:
    return "hello"


async def returns_none(request: Any) -> Any:
    pass


async def returns_unawaited_file(request: Any) -> Any:
    coroutine = file(__file__)
    UNAWAITED.append(coroutine)
    return coroutine


async def returns_the_class(request: Any) -> Any:
    return HTTPResponse


class TodoView(HTTPMethodView):
    def get(self, request: Any, todo_id: int) -> Any:
        return [todo_id]


CASES = {
    "/dict": (
        returns_dict,
        "returned a dict ({'id': 1}), not a response; return json(...) instead",
    ),
    "/str": (
        returns_str,
        "returned a str ('hello'), not a response;"
        " return text(...) (or html(...)) instead",
    ),
    "/none": (
        returns_none,
        "returned None, not a response; return a response such as text(...)"
        " or json(...) (is a return statement missing?)",
    ),
    "/file": (
        returns_unawaited_file,
        "returned an un-awaited coroutine file(...), not a response;"
        " await it: return await file(...)",
    ),
    "/class": (
        returns_the_class,
        "returned the class HTTPResponse itself, not a response;"
        " return an instance such as HTTPResponse(...), text(...)",
    ),
}


def expected(path: str) -> str:
    handler, outcome = CASES[path]
    name = handler.__name__
    where = f"{__name__}:{name} ({HERE}:{line_of(name)})"
    return f"GET {path}: the handler {where} {outcome}"


@pytest.fixture
def app() -> Sanic:
    app = Sanic("handler_results")
    for path, (handler, _) in CASES.items():
        app.add_route(handler, path)
    app.add_route(TodoView.as_view(), "/todos/<todo_id:int>")

    @app.route("/ok")
    async def ok(request: Any) -> Any:
        return text("ok")

    @app.middleware("response")
    async def mark(request: Any, response: Any) -> None:
        response.headers["X-Middleware"] = "ran"

    return app


def logged_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The ``TypeError`` messages logged on ``sanic.error`` (and nothing else)."""
    found = []
    for record in caplog.records:
        if record.name == "sanic.error" and record.exc_info:
            error = record.exc_info[1]
            assert isinstance(error, TypeError), error
            assert error.__traceback__ is None  # no frames of the framework
            found.append(str(error))
    return found


@pytest.mark.parametrize("path", list(CASES))
def test_the_log_names_route_handler_result_and_fix_the_client_gets_the_500(
    serve: Any, app: Sanic, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="sanic.error"),
        serve(app) as server,
        Client.connect(server.host, server.port) as client,
    ):
        failed = client.get(path)
        after = client.get("/ok")  # the same connection: kept alive
    assert (failed.status, failed.text) == (500, "Error: Internal Server Error")
    assert failed.header("X-Middleware") == "ran"
    assert (after.status, after.text) == (200, "ok")
    assert logged_errors(caplog) == [expected(path)]


def test_an_unawaited_coroutine_is_closed(serve: Any, app: Sanic) -> None:
    UNAWAITED.clear()
    with serve(app) as server:
        assert server.get("/file").status == 500
    [coroutine] = UNAWAITED
    # Closed: no "coroutine was never awaited" RuntimeWarning when it is freed.
    assert inspect.getcoroutinestate(coroutine) == inspect.CORO_CLOSED


def test_a_class_based_view_is_named_by_its_method(
    serve: Any, app: Sanic, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="sanic.error"), serve(app) as server:
        assert server.get("/todos/7").status == 500
    where = f"{__name__}:TodoView.get ({HERE}:{line_of('get')})"
    assert logged_errors(caplog) == [
        f"GET /todos/<todo_id:int>: the handler {where} returned a list ([7]),"
        " not a response; return json(...) instead"
    ]


def test_in_debug_mode_the_client_also_gets_the_message(serve: Any, app: Sanic) -> None:
    with serve(app, debug=True) as server:
        reply = server.get("/dict")
    assert reply.status == 500
    assert reply.text == (
        f"Error: Internal Server Error\n\nTypeError: {expected('/dict')}\n"
    )


def test_an_exception_handler_sees_the_error(serve: Any, app: Sanic) -> None:
    @app.exception(TypeError)
    def explain(request: Any, exception: BaseException) -> Any:
        return text(f"caught: {exception}", status=500)

    with serve(app) as server:
        reply = server.get("/none")
    assert (reply.status, reply.text) == (500, f"caught: {expected('/none')}")


@pytest.mark.parametrize("path", ["/dict", "/file"])
def test_over_asgi_it_is_the_same_error(
    app: Sanic, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    with caplog.at_level(logging.ERROR, logger="sanic.error"):
        sent = run(call(app, http_scope(path=path)))
    assert (sent.status, sent.body) == (500, b"Error: Internal Server Error")
    assert sent.header(b"x-middleware") == [b"ran"]
    assert logged_errors(caplog) == [expected(path)]
