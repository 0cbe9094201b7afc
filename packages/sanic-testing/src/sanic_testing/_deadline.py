"""A timeout for the running task that costs no extra task, and often no timer.

``asyncio.wait_for`` wraps its awaitable in a new task, and so costs several
turns of the event loop per use; the in-process client would pay that twice per
request. A ``Deadline`` instead schedules one timer that cancels the current
task and turns that cancellation into ``asyncio.TimeoutError`` (as
``asyncio.timeout`` does on Python 3.11+, which 3.10 lacks).

Most handlers never wait for anything, so ``within`` goes one step further: it
runs the coroutine's first step itself and arms a ``Deadline`` only when the
coroutine actually suspends. A step that never gives the loop control cannot be
interrupted by any timer, so nothing is lost; the deadline still counts from
the start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Generator
from types import TracebackType
from typing import Generic, TypeVar

__all__ = ["Deadline", "within"]

T = TypeVar("T")


class Deadline:
    """``with Deadline(seconds):`` inside a task; raises ``asyncio.TimeoutError``.

    Args:
        seconds: How long the block may take.
        started: The loop time the ``seconds`` count from; now when omitted.
    """

    __slots__ = ("_fired", "_handle", "_seconds", "_started", "_task")

    def __init__(self, seconds: float, started: float | None = None) -> None:
        self._seconds = seconds
        self._started = started
        self._fired = False
        self._handle: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[object] | None = None

    def __enter__(self) -> Deadline:
        try:
            task = asyncio.current_task()
        except RuntimeError:  # no running loop at all
            task = None
        if task is None:
            raise RuntimeError("Deadline works only inside a running task")
        self._task = task
        loop = task.get_loop()
        started = loop.time() if self._started is None else self._started
        self._handle = loop.call_at(started + self._seconds, self._fire)
        return self

    def _fire(self) -> None:
        if self._task is not None and not self._task.done():
            self._fired = True
            self._task.cancel()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.cancel()
        if self._fired and exc_type is asyncio.CancelledError:
            uncancel = getattr(self._task, "uncancel", None)
            if uncancel is not None:
                # Python 3.11+: forget our cancel so later awaits are unaffected.
                uncancel()
            raise asyncio.TimeoutError from exc


class _Resumed(Generic[T]):
    """Awaits the rest of a coroutine whose first step has already run.

    Its ``__await__`` passes what the coroutine yields up to the task and what
    the task sends or throws back down, as ``await`` would (PEP 380).
    """

    __slots__ = ("_coroutine", "_pending")

    def __init__(
        self, coroutine: Coroutine[object, object, T], pending: object
    ) -> None:
        self._coroutine = coroutine
        self._pending = pending

    def __await__(self) -> Generator[object, object, T]:
        coroutine = self._coroutine
        pending = self._pending
        result: T
        while True:
            try:
                sent = yield pending
            except GeneratorExit:
                coroutine.close()
                raise
            except BaseException as exc:
                try:
                    pending = coroutine.throw(exc)
                except StopIteration as done:
                    result = done.value
                    return result
            else:
                try:
                    pending = coroutine.send(sent)
                except StopIteration as done:
                    result = done.value
                    return result


async def within(coroutine: Coroutine[object, object, T], seconds: float) -> T:
    """Await ``coroutine`` in this task, failing it after ``seconds``.

    Args:
        coroutine: A coroutine object not started yet.
        seconds: How long it may take, counted from this call.

    Returns:
        What the coroutine returns.

    Raises:
        asyncio.TimeoutError: It took longer.
    """
    started = asyncio.get_running_loop().time()
    try:
        pending = coroutine.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    with Deadline(seconds, started):
        return await _Resumed(coroutine, pending)
