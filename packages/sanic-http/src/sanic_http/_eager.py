"""Run a coroutine at once and give it a task only if it has to wait.

Most handlers answer without waiting for anything. Creating a task for each of
them costs a task object, its registration in asyncio's task set and one more
pass of the event loop; running the coroutine directly in the protocol's
callback costs none of that. Only a coroutine that suspends is handed to a task,
which continues it from where it stopped.

On Python 3.12+ this is the standard library's eager task start, so the
coroutine runs inside its task from the first line. Before 3.12 the coroutine
runs in a fresh copy of the context (as a task's would) but outside any task
until it first waits: ``asyncio.current_task()`` is None there, and helpers that
need it (``asyncio.timeout()``, ``TaskGroup``) must come after the first
``await`` that suspends, or the protocol's ``eager_handlers`` be set to False.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine, Generator
from contextvars import Context, copy_context
from typing import Any

__all__ = ["BUSY", "start"]


class _Busy:
    """Marks a connection as handling while its coroutine runs without a task."""

    __slots__ = ()

    def cancel(self) -> bool:
        """Nothing to cancel: nothing can interrupt code that is running."""
        return False


BUSY: Any = _Busy()


class _Resume:
    """An awaitable that continues a coroutine which already started."""

    __slots__ = ("_context", "_coro", "_waiting")

    def __init__(
        self, coro: Coroutine[Any, Any, None], context: Context, waiting: Any
    ) -> None:
        self._coro = coro
        self._context = context
        self._waiting = waiting

    def __await__(self) -> Generator[Any, Any, None]:
        coro, run, value = self._coro, self._context.run, self._waiting
        self._waiting = None
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
    coro: Coroutine[Any, Any, None], context: Context, waiting: Any
) -> None:
    await _Resume(coro, context, waiting)


if sys.version_info >= (3, 12):

    def start(
        loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, None]
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
        loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, None]
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
