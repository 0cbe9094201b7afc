"""Run a coroutine at once and give it a task only if it has to wait.

Most handlers answer without waiting for anything. Creating a task for each of
them costs a task object, its registration in asyncio's task set and one more
pass of the event loop; running the coroutine directly in the protocol's
callback costs none of that. Only a coroutine that suspends is handed to a task,
which continues it from where it stopped.

On Python 3.12+ this is the standard library's eager task start, so the
coroutine runs inside its task from the first line. Before 3.12 the same is
built from a task per *connection* (a :class:`Carrier`): each coroutine's first
step runs with that task entered as the current one, in a fresh copy of the
context, and a coroutine that waits is handed to it to continue. Either way
``asyncio.current_task()`` inside a handler is the task that runs it to the end,
so ``asyncio.timeout()``, ``TaskGroup`` and cancellation behave as usual.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine, Generator
from contextvars import Context, copy_context
from typing import Any

if sys.version_info < (3, 12):
    from asyncio.tasks import _enter_task, _leave_task

__all__ = ["BUSY", "Carrier", "start"]


class _Busy:
    """Marks a connection as handling while its coroutine runs without a task."""

    __slots__ = ()

    def cancel(self) -> bool:
        """Nothing to cancel: nothing can interrupt code that is running."""
        return False


BUSY: Any = _Busy()


class _Resume:
    """An awaitable that continues a coroutine which already started.

    It passes ``waiting`` (what the coroutine waits on) to the task, or first
    throws ``thrown`` into the coroutine when that is given.
    """

    __slots__ = ("_context", "_coro", "_thrown", "_waiting")

    def __init__(
        self,
        coro: Coroutine[object, object, None],
        context: Context,
        waiting: object,
        thrown: BaseException | None = None,
    ) -> None:
        self._coro = coro
        self._context = context
        self._waiting = waiting
        self._thrown = thrown

    def __await__(self) -> Generator[object, object, None]:
        coro, run, value = self._coro, self._context.run, self._waiting
        thrown, self._waiting, self._thrown = self._thrown, None, None
        if thrown is not None:
            try:
                value = run(coro.throw, thrown)
            except StopIteration:
                return
        while True:
            # Pass through what the coroutine waits on, and back what (or which
            # exception, e.g. a cancellation) the task resumes it with.
            try:
                sent = yield value
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:
                try:
                    value = run(coro.throw, exc)
                except StopIteration:
                    return
                continue
            try:
                value = run(coro.send, sent)
            except StopIteration:
                return


async def _resume(
    coro: Coroutine[object, object, None], context: Context, waiting: object
) -> None:
    await _Resume(coro, context, waiting)


class _CarrierTask(asyncio.Task):  # type: ignore[type-arg]
    """Keeps a cancellation that comes before the task's first step.

    asyncio would throw it into the coroutine before its first line, out of reach
    of any ``except``, and a coroutine handed over meanwhile would never be
    continued; here the carrier's first step re-applies it where it can be
    passed on.
    """

    started = False
    deferred: tuple[object, ...] | None = None

    def cancel(self, *args: object, **kwargs: object) -> bool:
        if self.started or self.done():
            return super().cancel(*args, **kwargs)
        if self.deferred is None:
            self.deferred = args or tuple(kwargs.values())
        return True


class Carrier:
    """A connection's task, which the coroutines it starts run in (before 3.12).

    ``start(coro)`` runs the coroutine's first step at once, with the carrier's
    task entered as the current task and in a fresh copy of the context. If the
    coroutine has to wait, the task (parked until then) continues it; one
    coroutine at a time. The task lives as long as the connection: cancel it
    when the connection is lost.

    Args:
        loop: The connection's event loop.
    """

    __slots__ = ("_handover", "_loop", "_wake", "task")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._handover: (
            tuple[Coroutine[object, object, None], Context, object] | None
        ) = None
        self._wake: asyncio.Future[None] | None = None
        self.task: _CarrierTask = _CarrierTask(self._carry(), loop=loop)

    def start(self, coro: Coroutine[object, object, None]) -> asyncio.Task[None] | None:
        """Run ``coro`` until it first waits, as if inside the carrier's task.

        Returns:
            The carrier's task, which continues the coroutine, or None when it
            already finished. An exception escaping the coroutine propagates.
        """
        loop, task = self._loop, self.task
        try:
            _enter_task(loop, task)
        except RuntimeError:
            # Called from inside a task (not from a protocol callback): that
            # task cannot be swapped out here, so the coroutine gets its own.
            return loop.create_task(coro)
        context = copy_context()
        try:
            waiting = context.run(coro.send, None)
        except StopIteration:
            return None
        finally:
            _leave_task(loop, task)
        self._handover = (coro, context, waiting)
        wake = self._wake
        if wake is not None:
            self._wake = None
            if not wake.done():  # done: cancelled, and the task wakes up anyway
                wake.set_result(None)
        return task

    async def _carry(self) -> None:
        loop, task = self._loop, self.task
        task.started = True
        if task.deferred is not None:  # cancelled before this first step
            asyncio.Task.cancel(task, *task.deferred)
        while True:
            item = self._handover
            if item is None:
                self._wake = wake = loop.create_future()
                try:
                    await wake
                except asyncio.CancelledError as exc:
                    # Cancelled just as a coroutine was handed over (asyncio.timeout
                    # inside its first step, say): the coroutine gets the error.
                    self._wake = None
                    item, self._handover = self._handover, None
                    if item is None:
                        raise
                    await _Resume(item[0], item[1], None, exc)
                continue
            self._handover = None
            await _Resume(*item)


if sys.version_info >= (3, 12):

    def start(
        loop: asyncio.AbstractEventLoop, coro: Coroutine[object, object, None]
    ) -> asyncio.Task[None] | None:
        """Run ``coro`` until it first waits (the standard library's eager start).

        Returns:
            The task that continues it, or None when it already finished. An
            exception escaping the coroutine propagates to the caller.
        """
        task: asyncio.Task[None] = asyncio.Task(coro, loop=loop, eager_start=True)
        if task.done():
            task.result()
            return None
        return task

else:

    def start(
        loop: asyncio.AbstractEventLoop, coro: Coroutine[object, object, None]
    ) -> asyncio.Task[None] | None:
        """Run ``coro`` until it first waits, in a fresh copy of the context.

        Returns:
            The task that continues it, or None when it already finished. An
            exception escaping the coroutine propagates to the caller.
        """
        context = copy_context()
        try:
            waiting = context.run(coro.send, None)
        except StopIteration:
            return None
        return loop.create_task(_resume(coro, context, waiting))
