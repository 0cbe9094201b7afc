"""``app.add_task``: background coroutines that live as long as the server.

A task is a coroutine object, a coroutine function, or a function of the app that
returns a coroutine. What happens to it depends on when it is added:

* before the server starts, it is remembered and scheduled on the server's loop
  right after the server starts listening, before the ``after_server_start``
  listeners run. Every start schedules it again (each worker of
  ``app.run(workers=N)`` runs its own; the one-shot test client starts a server
  per request), except a coroutine object: it can be awaited only once, so it
  runs in the first start only (each worker has its own copy of it);
* while a server runs (from its first ``before_server_start`` listener on), it
  is scheduled on that server's loop at once, for that server only; any thread
  may add one.

When the server stops, after the ``before_server_stop`` listeners, every task
still running is cancelled and awaited for up to ``GRACEFUL_SHUTDOWN_TIMEOUT``
seconds. A task that raises is logged on ``sanic.error``; the server keeps
serving.

A task may have a name (``add_task(task, name="ticker")``), unique per app: it
becomes the ``asyncio.Task``'s name, ``get_task(name)`` returns the task of the
current server (running, or done until the name is used again or the server
stops) and ``await cancel_task(name)`` cancels it and waits for it. Adding a name
whose task is running, or waits for the server to start, is a ``ValueError``.

The work happens in three listeners the app puts around its own at each start
(see ``RunMixin.lifecycle_listeners``); nothing runs per request.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .log import error_logger

if TYPE_CHECKING:
    from ._running import RunMixin

__all__ = ["BackgroundTasks", "Task"]

#: What ``app.add_task`` takes: a coroutine (any awaitable) or a function making one.
Task = Awaitable[object] | Callable[..., object]


def _takes_app(function: Callable[..., object]) -> bool:
    """Whether ``function`` is called with the app (else with no arguments).

    Raises:
        TypeError: It can be called neither way.
    """
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # some builtins have none: no arguments
        return False
    for arguments in ((None,), ()):
        try:
            signature.bind(*arguments)
        except TypeError:
            continue
        return bool(arguments)
    raise TypeError(
        f"add_task() needs a coroutine, or a function taking no arguments or the "
        f"app, not {function!r}"
    )


def _describe(task: object) -> str:
    """A short name for a task, its coroutine or its function."""
    get_coro = getattr(task, "get_coro", None)
    if get_coro is not None:
        task = get_coro()
    return str(getattr(task, "__qualname__", None) or repr(task))


async def _awaited(awaitable: Awaitable[object]) -> object:
    """A coroutine awaiting ``awaitable`` (a named task needs an ``asyncio.Task``)."""
    return await awaitable


class _Entry:
    """One added task: how to get the awaitable to schedule from it."""

    __slots__ = ("awaitable", "function", "name", "takes_app")

    def __init__(self, task: Task, name: str | None = None) -> None:
        self.name = name
        self.awaitable: Awaitable[object] | None = None
        self.function: Callable[..., object] | None = None
        self.takes_app = False
        if inspect.isawaitable(task):
            self.awaitable = task
        elif callable(task):
            self.function = task
            self.takes_app = _takes_app(task)
        else:
            raise TypeError(
                f"add_task() needs a coroutine or a function returning one, "
                f"not {task!r}"
            )

    def make(self, app: RunMixin) -> Awaitable[object] | None:
        """The awaitable to schedule, or ``None`` (logged) when there is none."""
        if self.awaitable is not None:
            return self.awaitable
        assert self.function is not None
        try:
            result = self.function(app) if self.takes_app else self.function()
        except Exception:
            error_logger.exception(
                "Background task %s failed to start", _describe(self.function)
            )
            return None
        if not inspect.isawaitable(result):
            error_logger.error(
                "Background task %s returned %r, not a coroutine",
                _describe(self.function),
                result,
            )
            return None
        return result


class BackgroundTasks:
    """An app's added tasks and the ones running on its servers' loops."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []
        self._running: set[asyncio.Future[object]] = set()
        #: The named tasks scheduled since the server started, by name.
        self._named: dict[str, asyncio.Task[object]] = {}
        #: Whether ``start`` has scheduled the remembered entries (until stop).
        self._started = False
        #: The loop of the server that is starting or running, if any.
        self._loop: asyncio.AbstractEventLoop | None = None

    def _check_name(self, name: str) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"a task name must be a non-empty str, not {name!r}")
        task = self._named.get(name)
        if task is not None and not task.done():
            raise ValueError(f"a background task named {name!r} is already running")
        if not self._started and any(e.name == name for e in self._entries):
            raise ValueError(
                f"a background task named {name!r} is already added and waits "
                "for the server to start"
            )

    def add(self, app: RunMixin, task: Task, name: str | None = None) -> None:
        """Remember ``task`` for every start, or schedule it now (see above)."""
        if name is not None:
            self._check_name(name)
        entry = _Entry(task, name)
        loop = self._loop
        if loop is None or loop.is_closed():
            self._entries.append(entry)
            return
        try:
            current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        if current is loop:
            self._schedule(app, loop, entry)
        else:
            loop.call_soon_threadsafe(self._schedule, app, loop, entry)

    def _schedule(
        self, app: RunMixin, loop: asyncio.AbstractEventLoop, entry: _Entry
    ) -> None:
        awaitable = entry.make(app)
        if awaitable is None:
            return
        name = entry.name
        if name is not None:
            previous = self._named.get(name)
            if previous is not None and not previous.done():
                # Added twice from other threads before either was scheduled.
                error_logger.error(
                    "Background task %r not started: one of that name is running",
                    name,
                )
                close = getattr(awaitable, "close", None)
                if close is not None:
                    close()
                return
        task: asyncio.Future[object]
        if name is None:
            task = asyncio.ensure_future(awaitable, loop=loop)
        else:
            coroutine = (
                awaitable if inspect.iscoroutine(awaitable) else _awaited(awaitable)
            )
            task = self._named[name] = loop.create_task(coroutine, name=name)
        self._running.add(task)
        task.add_done_callback(self._finished)

    def get(
        self, name: str, raise_exception: bool = True
    ) -> asyncio.Task[object] | None:
        """The task named ``name`` of the current server (see ``Sanic.get_task``)."""
        task = self._named.get(name)
        if task is None:
            if raise_exception:
                raise KeyError(f"no background task named {name!r} on a running server")
            return None
        return task

    async def cancel_named(
        self, app: RunMixin, name: str, msg: str | None, raise_exception: bool
    ) -> None:
        """Cancel the task named ``name`` and wait for it (``Sanic.cancel_task``)."""
        task = self.get(name, raise_exception)
        if task is None or task.done():
            return
        if task.get_loop() is not asyncio.get_running_loop():
            raise RuntimeError(
                f"cancel_task({name!r}) must be awaited on the server's loop"
            )
        task.cancel(msg)
        grace = float(app.config.GRACEFUL_SHUTDOWN_TIMEOUT)
        _, pending = await asyncio.wait({task}, timeout=grace)
        if pending:
            error_logger.warning(
                "Background task %r still running %.3g s after being cancelled",
                name,
                grace,
            )

    def _finished(self, task: asyncio.Future[object]) -> None:
        self._running.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            error_logger.error(
                "Background task %s failed", _describe(task), exc_info=error
            )

    # The listeners, in the app's lifecycle ------------------------------------------

    def bind(self, app: RunMixin, loop: asyncio.AbstractEventLoop) -> None:
        """First ``before_server_start`` listener: tasks added from now on run now."""
        self._loop = loop

    def start(self, app: RunMixin, loop: asyncio.AbstractEventLoop) -> None:
        """First ``after_server_start`` listener: schedule the remembered tasks."""
        self._loop = loop
        self._started = True
        entries = self._entries
        # A coroutine object runs once; functions make a new coroutine each start.
        self._entries = [entry for entry in entries if entry.function is not None]
        for entry in entries:
            self._schedule(app, loop, entry)

    async def cancel(self, app: RunMixin, loop: asyncio.AbstractEventLoop) -> None:
        """Last ``before_server_stop`` listener: cancel the running tasks, wait."""
        if self._loop is loop:
            self._loop = None
            self._started = False
        self._named = {
            name: task
            for name, task in self._named.items()
            if task.get_loop() is not loop
        }
        running = [task for task in self._running if task.get_loop() is loop]
        if not running:
            return
        for task in running:
            task.cancel()
        grace = float(app.config.GRACEFUL_SHUTDOWN_TIMEOUT)
        _, pending = await asyncio.wait(running, timeout=grace)
        if pending:
            error_logger.warning(
                "%d background task(s) still running %.3g s after being cancelled",
                len(pending),
                grace,
            )

    def discard_unstarted(self) -> None:
        """Close the coroutine objects no start has run (a pool's parent process).

        Each worker ran its own copy; the parent's would only warn, never awaited.
        """
        kept = []
        for entry in self._entries:
            if entry.function is None:
                close = getattr(entry.awaitable, "close", None)
                if close is not None:
                    close()
            else:
                kept.append(entry)
        self._entries = kept
