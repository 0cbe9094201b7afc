"""A timeout for the running task that costs no extra task.

``asyncio.wait_for`` wraps its awaitable in a new task, and so costs several
turns of the event loop per use; the in-process client would pay that twice per
request. A ``Deadline`` instead schedules one timer that cancels the current
task and turns that cancellation into ``asyncio.TimeoutError`` (as
``asyncio.timeout`` does on Python 3.11+, which 3.10 lacks).
"""

from __future__ import annotations

import asyncio
from types import TracebackType

__all__ = ["Deadline"]


class Deadline:
    """``with Deadline(seconds):`` inside a task; raises ``asyncio.TimeoutError``.

    Args:
        seconds: How long the block may take.
    """

    __slots__ = ("_fired", "_handle", "_seconds", "_task")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
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
        self._handle = task.get_loop().call_later(self._seconds, self._fire)
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
