"""The blocking clients: each call is one run of the client's own loop."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sanic import Sanic
from sanic.response import text
from sanic_testing import InProcessClient


@pytest.fixture
def log() -> list[str]:
    return []


@pytest.fixture
def app(log: list[str]) -> Sanic:
    app = Sanic("sync")

    @app.route("/later")
    async def later(request: Any) -> Any:
        async def note() -> None:
            log.append("background")

        asyncio.get_running_loop().create_task(note())
        return text("now")

    @app.route("/waits")
    async def waits(request: Any) -> Any:
        for _ in range(3):
            await asyncio.sleep(0)
        await asyncio.sleep(0.01)
        return text("waited")

    @app.route("/stops")
    async def stops(request: Any) -> Any:
        asyncio.get_running_loop().stop()
        # Resumes, and ends, during the client's next call.
        await asyncio.sleep(0)
        return text("abandoned")

    return app


def test_a_handler_that_waits_is_run_to_its_end(app: Sanic) -> None:
    with InProcessClient(app) as client:
        assert client.get("/waits")[1].text == "waited"
        assert client.get("/waits")[1].text == "waited"


def test_work_the_app_leaves_behind_runs_on_the_next_call(
    app: Sanic, log: list[str]
) -> None:
    with InProcessClient(app) as client:
        assert client.get("/later")[1].text == "now"
        client.get("/waits")
        assert log == ["background"]


def test_an_app_stopping_the_loop_is_an_error(app: Sanic) -> None:
    with InProcessClient(app) as client:
        with pytest.raises(RuntimeError, match="stopped before the call ended"):
            client.get("/stops")
        # The abandoned call ending now does not cut this one short.
        assert client.get("/waits")[1].text == "waited"


def test_calling_from_inside_a_running_loop_is_an_error(app: Sanic) -> None:
    async def inside() -> None:
        with InProcessClient(app) as client:
            client.get("/waits")

    with pytest.raises(RuntimeError, match="use the async client"):
        asyncio.run(inside())
