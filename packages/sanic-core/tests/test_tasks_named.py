"""Named background tasks over a real server: ``add_task(name=)``,
``get_task``, ``await cancel_task``, unique names, and the bounded shutdown."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from sanic import Request, Sanic, json, text

WAIT = 10.0


def _ticker_app() -> tuple[Sanic, list[str], threading.Event]:
    app = Sanic("named_tasks")
    seen: list[str] = []
    started = threading.Event()

    async def ticker() -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("ticker cancelled")
            raise

    app.add_task(ticker, name="ticker")
    return app, seen, started


def test_get_task_then_cancel_task_from_handlers(serve: Any) -> None:
    app, seen, started = _ticker_app()

    @app.get("/state")
    async def state(request: Request) -> Any:
        task = request.app.get_task("ticker")
        assert task is not None
        return json({"name": task.get_name(), "done": task.done()})

    @app.post("/cancel")
    async def cancel(request: Request) -> Any:
        await request.app.cancel_task("ticker", "enough")
        task = request.app.get_task("ticker")  # the done task, until re-added
        assert task is not None
        return json({"cancelled": task.cancelled(), "seen": list(seen)})

    @app.post("/again")
    async def again(request: Request) -> Any:
        async def ticker_again() -> None:
            await asyncio.sleep(3600)

        request.app.add_task(ticker_again(), name="ticker")  # free once done
        await asyncio.sleep(0)
        task = request.app.get_task("ticker")
        assert task is not None
        return json({"done": task.done()})

    with serve(app) as server:
        assert started.wait(WAIT)
        assert server.get("/state").json == {"name": "ticker", "done": False}
        assert server.request("POST", "/cancel").json == {
            "cancelled": True,
            "seen": ["ticker cancelled"],  # awaited: it has ended
        }
        assert server.request("POST", "/again").json == {"done": False}


def test_a_name_is_unique_while_its_task_runs_or_waits(serve: Any) -> None:
    app, _, started = _ticker_app()

    async def other() -> None:
        await asyncio.sleep(3600)

    with pytest.raises(ValueError, match="'ticker' is already added"):
        app.add_task(other, name="ticker")
    with pytest.raises(TypeError, match="non-empty str"):
        app.add_task(other, name="")

    @app.get("/dup")
    async def dup(request: Request) -> Any:
        coroutine = other()
        try:
            request.app.add_task(coroutine, name="ticker")
        except ValueError as error:
            coroutine.close()
            return text(str(error))
        return text("added")

    with serve(app) as server:
        assert started.wait(WAIT)
        assert (
            server.get("/dup").text
            == "a background task named 'ticker' is already running"
        )


def test_unknown_names(serve: Any) -> None:
    app, _, started = _ticker_app()
    with pytest.raises(KeyError, match="no background task named 'ticker'"):
        app.get_task("ticker")  # not started yet

    @app.get("/unknown")
    async def unknown(request: Request) -> Any:
        with pytest.raises(KeyError, match="'nope'"):
            request.app.get_task("nope")
        with pytest.raises(KeyError, match="'nope'"):
            await request.app.cancel_task("nope")
        await request.app.cancel_task("nope", raise_exception=False)
        return json(request.app.get_task("nope", raise_exception=False))

    with serve(app) as server:
        assert started.wait(WAIT)
        assert server.get("/unknown").json is None
        # From another thread: the task itself, to inspect.
        task = app.get_task("ticker")
        assert task is not None and task.get_name() == "ticker"
    with pytest.raises(KeyError):
        app.get_task("ticker")  # the server has stopped


def test_a_named_task_ignoring_one_cancel_is_awaited_at_shutdown(serve: Any) -> None:
    app = Sanic("named_stubborn")
    seen: list[str] = []
    started = threading.Event()

    async def flusher() -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("cancel ignored")
        for _ in range(3):  # its clean-up still gets to run
            await asyncio.sleep(0)
        seen.append("flushed")

    app.add_task(flusher, name="flusher")

    @app.before_server_stop
    def before_stop(app: Sanic, loop: Any) -> None:
        seen.append("before_server_stop")

    @app.after_server_stop
    def after_stop(app: Sanic, loop: Any) -> None:
        seen.append("after_server_stop")

    @app.get("/")
    async def index(request: Request) -> Any:
        return text("ok")

    with serve(app) as server:
        assert started.wait(WAIT)
        assert server.get("/").text == "ok"
    assert seen == [
        "before_server_stop",
        "cancel ignored",
        "flushed",
        "after_server_stop",
    ]
