"""The event loop implementation, chosen once at import time.

uvloop is used when it is installed, unless the environment variable
``SANIC_NO_UVLOOP`` is set (``1``, ``true``, ``yes`` or ``on``; the rule is in
``_compat``); plain asyncio is the fallback (and the only choice on Windows and
PyPy, where uvloop is absent).
Tests run the server on both by passing their own loop factory to ``serve()``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from ._compat import uvloop

__all__ = ["LOOP_IMPLEMENTATION", "new_event_loop"]


def _choose() -> tuple[str, Callable[[], asyncio.AbstractEventLoop]]:
    if uvloop is None:
        return "asyncio", asyncio.new_event_loop
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return "uvloop", factory


LOOP_IMPLEMENTATION: str
"""``"uvloop"`` or ``"asyncio"``: what ``new_event_loop`` creates."""
LOOP_IMPLEMENTATION, _factory = _choose()


def new_event_loop() -> asyncio.AbstractEventLoop:
    """Create a new event loop of the implementation chosen at import time.

    Returns:
        A fresh uvloop or asyncio event loop (not set as the current loop).
    """
    return _factory()
