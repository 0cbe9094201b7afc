"""Each run of requests gets a task of its own: eager from Python 3.12, plain before.

Handlers see a task from their first line, a fresh context per request, and
the task features (timeouts, cancellation, task groups) behave as usual.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from typing import Any

import pytest
from _live import WAIT, Errors, LiveServer, LoopFactory
from test_request_streaming_split import MemoryTransport

from sanic_http import HttpProtocol, ServerSettings, Signal, text

seen: contextvars.ContextVar[str] = contextvars.ContextVar("seen", default="unset")


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


class Exits:
    """Raises SystemExit, as a worker's abort signal handler does mid-request."""

    async def __call__(self, request: Any, write: Callable[[Any], Any]) -> None:
        raise SystemExit(1)


@pytest.mark.parametrize("protocol", [HttpProtocol, TaskPerRequest])
def test_system_exit_in_a_handler_is_not_taken_for_a_bad_request(
    loop_factory: LoopFactory, protocol: type[HttpProtocol]
) -> None:
    # Started eagerly, the handler runs inside the parser's callback: its
    # SystemExit must stop the loop, not be answered as a 400.
    loop = loop_factory()
    connection = protocol(
        loop=loop,
        connections=set(),
        signal=Signal(),
        request_handler=Exits(),
        error_handler=Errors(),
        request_timeout=60.0,
        request_max_size=10**6,
    )
    connection.settings = ServerSettings()
    transport = MemoryTransport()

    async def main() -> None:
        connection.connection_made(transport)
        loop.call_soon(connection.data_received, b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        await asyncio.sleep(WAIT)

    try:
        with pytest.raises(SystemExit):
            loop.run_until_complete(main())
        assert bytes(transport.written) == b""
    finally:
        connection.connection_lost(None)
        loop.close()
