"""Handlers run at once and get a task only when they wait (``_eager.start``)."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from typing import Any

import pytest
from _live import LiveServer, LoopFactory

from sanic_http import HttpProtocol, ServerSettings, text
from sanic_http._eager import start

seen: contextvars.ContextVar[str] = contextvars.ContextVar("seen", default="unset")


def run(loop_factory: LoopFactory, main: Callable[[], Any]) -> Any:
    loop = loop_factory()
    try:
        return loop.run_until_complete(main())
    finally:
        loop.close()


def test_a_coroutine_that_never_waits_finishes_inside_start(
    loop_factory: LoopFactory,
) -> None:
    steps: list[str] = []

    async def handler() -> None:
        steps.append("ran")

    async def main() -> tuple[Any, list[str]]:
        task = start(asyncio.get_running_loop(), handler())
        return task, list(steps)

    assert run(loop_factory, main) == (None, ["ran"])


def test_a_coroutine_that_waits_is_continued_by_a_task(
    loop_factory: LoopFactory,
) -> None:
    steps: list[str] = []

    async def handler(future: asyncio.Future[str]) -> None:
        steps.append("before")
        steps.append(await future)
        await asyncio.sleep(0)
        steps.append("after")

    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()
        task = start(loop, handler(future))
        assert task is not None and steps == ["before"]
        future.set_result("woken")
        await asyncio.wait_for(task, 5)
        return steps

    assert run(loop_factory, main) == ["before", "woken", "after"]


def test_an_exception_before_the_first_wait_propagates(
    loop_factory: LoopFactory,
) -> None:
    async def handler() -> None:
        raise KeyError("boom")

    async def main() -> None:
        start(asyncio.get_running_loop(), handler())

    with pytest.raises(KeyError):
        run(loop_factory, main)


def test_cancelling_the_task_reaches_the_coroutine(loop_factory: LoopFactory) -> None:
    steps: list[str] = []

    async def handler() -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            steps.append("cancelled")
            raise

    async def main() -> None:
        task = start(asyncio.get_running_loop(), handler())
        assert task is not None
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)

    run(loop_factory, main)
    assert steps == ["cancelled"]


def test_each_coroutine_gets_its_own_context(loop_factory: LoopFactory) -> None:
    async def handler(value: str, out: list[str]) -> None:
        seen.set(value)
        await asyncio.sleep(0)
        out.append(seen.get())

    async def main() -> tuple[list[str], str]:
        loop = asyncio.get_running_loop()
        out: list[str] = []
        tasks = [start(loop, handler(v, out)) for v in ("a", "b")]
        await asyncio.wait_for(asyncio.gather(*[t for t in tasks if t]), 5)
        return out, seen.get()

    assert run(loop_factory, main) == (["a", "b"], "unset")


class Recorder:
    """Answers with the context variable as it found it, then sets it."""

    async def __call__(self, request: Any, write: Callable[[Any], Any]) -> None:
        before = seen.get()
        seen.set(request.path)
        if request.path == "/wait":
            await asyncio.sleep(0.01)
        write(text(f"{before} {seen.get()}"))


class TaskPerRequest(HttpProtocol):
    eager_handlers = False


@pytest.mark.parametrize("protocol", [HttpProtocol, TaskPerRequest])
def test_requests_on_one_connection_do_not_share_context(
    loop_factory: LoopFactory, protocol: type[HttpProtocol]
) -> None:
    with (
        LiveServer(loop_factory, handler=Recorder(), protocol=protocol) as live,
        live.client() as client,
    ):
        bodies = [client.get(path).body for path in ("/a", "/wait", "/b")]
    assert bodies == [b"unset /a", b"unset /wait", b"unset /b"]


class TaskChecker:
    """Answers whether its first line runs inside a task, as a handler may need."""

    async def __call__(self, request: Any, write: Callable[[Any], Any]) -> None:
        inside = asyncio.current_task() is not None
        # aiohttp's client timeouts and asyncio.timeout() need a current task.
        await asyncio.wait_for(asyncio.sleep(0), 1.0)
        write(text(f"task={inside}"))


def test_handlers_start_inside_a_task_by_default(loop_factory: LoopFactory) -> None:
    with (
        LiveServer(loop_factory, handler=TaskChecker()) as live,
        live.client() as client,
    ):
        assert client.get("/").body == b"task=True"


class TaskSemantics:
    """Handlers that lean on their task from the first line.

    ``/timeout`` starts ``asyncio.timeout()`` before any wait; ``/timeout0`` makes
    it expire at once (its cancellation lands before the handler's task has run
    a step of its own); ``/cancel`` cancels its own task before waiting (as a
    connection's first request: before that task has run at all); ``/same``
    compares the current task before and after a wait; ``/group`` opens a
    TaskGroup first.
    """

    async def __call__(self, request: Any, write: Callable[[Any], Any]) -> None:
        path = request.path
        if path in ("/timeout", "/timeout0"):
            try:
                async with asyncio.timeout(0 if path == "/timeout0" else 0.01):
                    await asyncio.sleep(5)
                answer = "slept"
            except TimeoutError:
                answer = "timed out"
        elif path == "/cancel":
            asyncio.current_task().cancel()  # type: ignore[union-attr]
            try:
                await asyncio.sleep(5)
                answer = "slept"
            except asyncio.CancelledError:
                asyncio.current_task().uncancel()  # type: ignore[union-attr]
                answer = "cancelled"
        elif path == "/same":
            first = asyncio.current_task()
            await asyncio.sleep(0.001)
            answer = f"same={first is asyncio.current_task() and first is not None}"
        elif path == "/group":
            async with asyncio.TaskGroup() as group:
                child = group.create_task(asyncio.sleep(0.001, "child"))
            answer = child.result()
        else:
            answer = "plain"
        write(text(answer))


@pytest.mark.skipif(
    not hasattr(asyncio, "timeout"), reason="asyncio.timeout/TaskGroup: 3.11+"
)
@pytest.mark.parametrize(
    "first", ["/cancel", "/timeout0", "/timeout", "/same", "/group"]
)
def test_task_features_work_from_a_handlers_first_line(
    loop_factory: LoopFactory, first: str
) -> None:
    """Every path as a connection's first request and again on a kept-alive one."""
    expected = {
        "/cancel": b"cancelled",
        "/timeout0": b"timed out",
        "/timeout": b"timed out",
        "/same": b"same=True",
        "/group": b"child",
        "/": b"plain",
    }
    order = [first, "/", "/cancel", "/timeout0", "/timeout", "/same", "/group", "/"]
    with (
        LiveServer(loop_factory, handler=TaskSemantics()) as live,
        live.client() as client,
    ):
        bodies = [client.get(path).body for path in order]
    assert bodies == [expected[path] for path in order]


def test_a_connection_after_a_response_timeout_is_served(
    loop_factory: LoopFactory,
) -> None:
    """The 503 cancels the handler's task; later requests still get handled."""

    class Slow:
        async def __call__(self, request: Any, write: Callable[[Any], Any]) -> None:
            if request.path == "/slow":
                await asyncio.sleep(5)
            write(text("ok"))

    settings = ServerSettings(response_timeout=0.05)
    with LiveServer(loop_factory, handler=Slow(), settings=settings) as live:
        with live.client() as client:
            assert client.get("/").body == b"ok"
            assert client.get("/slow").status == 503
        with live.client() as client:
            assert [client.get("/").body for _ in range(2)] == [b"ok", b"ok"]
