"""The app's lifecycle over a real server: listener order, add_task, auto_reload."""

from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sanic_test_helpers import free_port

from sanic import Blueprint, Sanic
from sanic.response import text

WAIT = 10.0
EVENTS = (
    "before_server_start",
    "after_server_start",
    "before_server_stop",
    "after_server_stop",
)


def _record_all(target: Any, name: str, seen: list[str]) -> None:
    for event in EVENTS:

        def listener(app: Sanic, loop: Any, event: str = event) -> None:
            seen.append(f"{event}:{name}")

        target.listener(event)(listener)


async def _until(condition: Any) -> None:
    """Wait on the loop until ``condition()`` holds (bounded, never timed)."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "never happened"
        await asyncio.sleep(0.005)


def _ok_route(app: Sanic) -> None:
    @app.route("/")
    async def index(request: Any) -> Any:
        return text("ok")


def test_stop_listeners_run_in_reverse_registration_order(serve):
    """App and blueprint listeners alike: teardown mirrors setup."""
    app = Sanic("order")
    blueprint = Blueprint("bp")
    seen: list[str] = []
    _record_all(app, "first", seen)
    _record_all(blueprint, "blueprint", seen)
    app.blueprint(blueprint)
    _record_all(app, "last", seen)
    _ok_route(app)

    with serve(app) as server:
        assert server.get("/").text == "ok"
    with serve(app) as server:  # the order is the same on every start
        assert server.get("/").text == "ok"
    once = [
        f"{event}:{name}"
        for event in EVENTS
        for name in (
            ("first", "blueprint", "last")
            if event.endswith("start")
            else ("last", "blueprint", "first")
        )
    ]
    assert seen == once * 2
    # The app's own lists keep registration order.
    assert [f.__defaults__[0] for f in app.listeners["before_server_stop"]] == [
        "before_server_stop"
    ] * 3


def test_create_server_runs_stop_listeners_in_reverse():
    app = Sanic("order_embedded")
    seen: list[str] = []
    _record_all(app, "a", seen)
    _record_all(app, "b", seen)

    async def main() -> None:
        server = await app.create_server(host="127.0.0.1", port=0, access_log=False)
        await server.stop()

    asyncio.run(main())
    assert seen == [
        "before_server_start:a",
        "before_server_start:b",
        "after_server_start:a",
        "after_server_start:b",
        "before_server_stop:b",
        "before_server_stop:a",
        "after_server_stop:b",
        "after_server_stop:a",
    ]


def test_tasks_added_before_the_start_run_on_the_server_loop(serve):
    """A coroutine object, a coroutine function and a function of the app."""
    app = Sanic("tasks_before")
    loops: dict[str, Any] = {}
    state: dict[str, asyncio.Event] = {}

    @app.listener("before_server_start")
    def make_event(app: Sanic, loop: Any) -> None:
        state["all_ran"] = asyncio.Event()

    def ran(kind: str) -> None:
        loops[kind] = asyncio.get_running_loop()
        if len(loops) == 3:
            state["all_ran"].set()

    async def no_arguments() -> None:
        ran("coroutine function")

    async def with_app(app_arg: Sanic) -> None:
        assert app_arg is app
        ran("function of the app")

    async def plain() -> None:
        ran("coroutine object")

    app.add_task(plain())
    app.add_task(no_arguments)
    app.add_task(lambda app_arg: with_app(app_arg))

    @app.route("/")
    async def index(request: Any) -> Any:
        await asyncio.wait_for(state["all_ran"].wait(), WAIT)
        return text(" | ".join(sorted(loops)))

    with serve(app) as server:
        reply = server.get("/")
    assert reply.status == 200
    assert reply.text == "coroutine function | coroutine object | function of the app"
    assert all(loop is app._server_loop for loop in loops.values())


def test_tasks_are_scheduled_after_the_server_listens(serve):
    app = Sanic("tasks_order")
    seen: list[str] = []

    @app.listener("before_server_start")
    def before(app: Sanic, loop: Any) -> None:
        seen.append("before_server_start")

    @app.listener("after_server_start")
    async def after(app: Sanic, loop: Any) -> None:
        seen.append("after_server_start")
        await asyncio.sleep(0)  # the task may run from here on

    async def task() -> None:
        seen.append("task")

    app.add_task(task)
    _ok_route(app)
    with serve(app) as server:
        assert server.get("/").text == "ok"
    assert seen == ["before_server_start", "after_server_start", "task"]


def test_a_coroutine_object_runs_once_a_function_every_start(serve):
    app = Sanic("tasks_restart")
    runs: list[str] = []

    async def once() -> None:
        runs.append("object")

    async def each() -> None:
        runs.append("function")

    app.add_task(once())
    app.add_task(each)

    expected = [2]

    @app.route("/")
    async def index(request: Any) -> Any:
        await _until(lambda: len(runs) >= expected[0])
        return text(",".join(sorted(runs)))

    with serve(app) as server:
        assert server.get("/").text == "function,object"
    expected[0] = 3
    with serve(app) as server:
        assert server.get("/").text == "function,function,object"


def test_tasks_added_while_running_are_scheduled_at_once(serve):
    app = Sanic("tasks_running")
    from_thread = threading.Event()
    loops: list[Any] = []

    @app.route("/")
    async def index(request: Any) -> Any:
        done = asyncio.Event()

        async def task() -> None:
            loops.append(asyncio.get_running_loop())
            done.set()

        request.app.add_task(task())
        await asyncio.wait_for(done.wait(), WAIT)
        return text("task ran")

    async def in_thread(app_arg: Sanic) -> None:
        loops.append(asyncio.get_running_loop())
        from_thread.set()

    with serve(app) as server:
        assert server.get("/").text == "task ran"
        app.add_task(in_thread)  # from the test's thread, not the loop's
        assert from_thread.wait(WAIT)
    assert len(loops) == 2
    assert all(loop is app._server_loop for loop in loops)
    # Neither was remembered for the next start.
    with serve(app) as server:
        assert server.get("/").text == "task ran"
    assert len(loops) == 3


def test_running_tasks_are_cancelled_after_before_server_stop(serve):
    app = Sanic("tasks_cancelled")
    seen: list[str] = []
    started = threading.Event()

    async def forever() -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("task cancelled")
            raise

    app.add_task(forever)

    @app.listener("before_server_stop")
    def before_stop(app: Sanic, loop: Any) -> None:
        seen.append("before_server_stop")

    @app.listener("after_server_stop")
    def after_stop(app: Sanic, loop: Any) -> None:
        seen.append("after_server_stop")

    _ok_route(app)
    with serve(app) as server:
        assert started.wait(WAIT)
        assert server.get("/").text == "ok"
        assert seen == []
    assert seen == ["before_server_stop", "task cancelled", "after_server_stop"]


def test_a_task_resisting_cancellation_delays_the_stop_boundedly(serve, caplog):
    app = Sanic("tasks_stubborn")
    app.config.GRACEFUL_SHUTDOWN_TIMEOUT = 0.1
    seen: list[str] = []
    started = threading.Event()

    async def stubborn() -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("ignored a cancel")
            await asyncio.sleep(3600)  # cancelled again when the loop closes

    app.add_task(stubborn)

    @app.listener("after_server_stop")
    def after_stop(app: Sanic, loop: Any) -> None:
        seen.append("after_server_stop")

    _ok_route(app)
    with caplog.at_level(logging.WARNING, logger="sanic.error"), serve(app) as server:
        assert started.wait(WAIT)
        assert server.get("/").text == "ok"
    assert seen == ["ignored a cancel", "after_server_stop"]
    assert "1 background task(s) still running" in caplog.text


def test_a_failing_task_is_logged_and_the_server_keeps_serving(serve, caplog):
    app = Sanic("tasks_failing")
    failed = threading.Event()

    async def broken() -> None:
        try:
            raise RuntimeError("task exploded")
        finally:
            failed.set()

    def not_a_coroutine(app_arg: Sanic) -> int:
        return 42

    app.add_task(broken)
    app.add_task(not_a_coroutine)
    _ok_route(app)
    with caplog.at_level(logging.ERROR, logger="sanic.error"), serve(app) as server:
        assert failed.wait(WAIT)
        assert server.get("/").text == "ok"
        assert server.get("/").text == "ok"
    failures = [r for r in caplog.records if r.name == "sanic.error"]
    messages = [r.getMessage() for r in failures]
    assert any(
        "broken failed" in r.getMessage()
        and r.exc_info
        and "task exploded" in str(r.exc_info[1])
        for r in failures
    )
    assert any("not_a_coroutine returned 42, not a coroutine" in m for m in messages)


def test_add_task_rejects_what_cannot_run():
    app = Sanic("tasks_bad")
    with pytest.raises(TypeError, match="coroutine"):
        app.add_task(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="no arguments or the app"):
        app.add_task(lambda app, other: None)


def test_auto_reload_is_accepted(serve, caplog):
    app = Sanic("reload")
    _ok_route(app)
    with caplog.at_level(logging.WARNING, logger="sanic.root"):
        with serve(app, auto_reload=False) as server:
            assert server.get("/").text == "ok"
        assert "auto_reload" not in caplog.text
        # Outside the main thread no reloader can run (test_reload.py has it).
        with serve(app, auto_reload=True, reload_dir=".") as server:
            assert server.get("/").text == "ok"
        assert "the reloader needs the main thread" in caplog.text
        caplog.clear()

        async def embedded(auto_reload: bool) -> None:
            server = await app.create_server(
                host="127.0.0.1", port=0, access_log=False, auto_reload=auto_reload
            )
            await server.stop()

        asyncio.run(embedded(False))
        assert "auto_reload" not in caplog.text
        asyncio.run(embedded(True))
    assert "only app.run() reloads" in caplog.text


WORKERS = textwrap.dedent(
    """
    import asyncio, os, sys
    from pathlib import Path
    from sanic import Sanic
    from sanic.response import text

    marks = Path(sys.argv[2])
    app = Sanic("workers")

    async def watch():
        (marks / f"started-{os.getpid()}").touch()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            (marks / f"cancelled-{os.getpid()}").touch()
            raise

    @app.route("/")
    async def index(request):
        return text("ok")

    app.add_task(watch())  # a coroutine object: each worker runs its own copy
    app.run(host="127.0.0.1", port=int(sys.argv[1]), workers=2, access_log=False)
    print("parent", os.getpid())
    """
)


def test_each_worker_runs_and_cancels_its_tasks(tmp_path: Path):
    (tmp_path / "workers.py").write_text(WORKERS)
    marks = tmp_path / "marks"
    marks.mkdir()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "workers.py", str(port), str(marks)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + WAIT
        while len(list(marks.glob("started-*"))) < 2 and time.monotonic() < deadline:
            if process.poll() is not None:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err.decode()
    parent = int(out.decode().split()[1])
    started = {int(p.name.split("-")[1]) for p in marks.glob("started-*")}
    cancelled = {int(p.name.split("-")[1]) for p in marks.glob("cancelled-*")}
    assert len(started) == 2
    assert parent not in started
    assert cancelled == started
    assert "never awaited" not in err.decode()


def test_app_loop_is_the_server_loop_while_it_runs(serve: Any) -> None:
    from sanic.exceptions import SanicException

    app = Sanic("loop_property")
    seen: dict[str, Any] = {}

    @app.listener("before_server_start")
    def before(app: Sanic, loop: Any) -> None:
        seen["listener"] = app.loop is loop

    @app.route("/")
    async def handler(request: Any) -> Any:
        return text(str(app.loop is asyncio.get_running_loop()))

    with pytest.raises(SanicException, match="only available while the server runs"):
        app.loop
    with serve(app) as server:
        assert server.get("/").text == "True"
    assert seen == {"listener": True}
    with pytest.raises(SanicException):
        app.loop


def test_register_blueprint_is_the_deprecated_blueprint(serve: Any) -> None:
    app = Sanic("register_blueprint")
    bp = Blueprint("old", url_prefix="/old")

    @bp.route("/")
    async def handler(request: Any) -> Any:
        return text("old style")

    with pytest.warns(DeprecationWarning, match="app.blueprint"):
        app.register_blueprint(bp)
    assert app.blueprints == {"old": bp}
    with serve(app) as server:
        assert server.get("/old").text == "old style"


def test_app_trigger_events_runs_sync_and_async_events() -> None:
    app = Sanic("trigger_events")
    seen: list[str] = []

    async def later(loop: Any) -> None:
        await asyncio.sleep(0)
        seen.append("async")

    loop = asyncio.new_event_loop()
    try:
        app.trigger_events([lambda loop: seen.append("sync"), later], loop)
    finally:
        loop.close()
    assert seen == ["sync", "async"]
