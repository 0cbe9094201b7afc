"""A handler that returns something other than a response, through every client:
the default 500 after response middleware, and the log that names the fix."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from sanic import Sanic
from sanic.response import text


@pytest.fixture
def app() -> Sanic:
    app = Sanic("handler_results_clients")

    @app.route("/dict")
    async def returns_dict(request: Any) -> Any:
        return {"id": 1}

    @app.route("/ok")
    async def ok(request: Any) -> Any:
        return text("ok")

    @app.middleware("response")
    async def mark(request: Any, response: Any) -> None:
        response.headers["X-Middleware"] = "ran"

    return app


def test_a_dict_is_the_documented_500_and_a_logged_type_error(
    sanic_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="sanic.error"):
        _, failed = sanic_client.get("/dict")
        _, after = sanic_client.get("/ok")
    assert (failed.status, failed.text) == (500, "Error: Internal Server Error")
    assert failed.headers["X-Middleware"] == "ran"
    assert (after.status, after.text) == (200, "ok")
    [error] = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert isinstance(error, TypeError)
    assert str(error).startswith(
        f"GET /dict: the handler {__name__}:app.<locals>.returns_dict ({__file__}:"
    )
    assert str(error).endswith(
        "returned a dict ({'id': 1}), not a response; return json(...) instead"
    )
