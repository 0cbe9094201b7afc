"""The event loop implementation, chosen once at import time.

uvloop is used when it is installed, unless the environment variable
``SANIC_NO_UVLOOP`` is set to a non-empty value other than ``0``; plain asyncio is
the fallback (and the only choice on Windows and PyPy, where uvloop is absent).
Tests run the server on both by passing their own loop factory to ``serve()``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

__all__ = ["LOOP_IMPLEMENTATION", "new_event_loop"]


def _choose() -> tuple[str, Callable[[], asyncio.AbstractEventLoop]]:
    if os.environ.get("SANIC_NO_UVLOOP", "") not in ("", "0"):
        return "asyncio", asyncio.new_event_loop
    try:
        import uvloop
    except ImportError:
        return "asyncio", asyncio.new_event_loop
    return "uvloop", uvloop.new_event_loop


#: ``"uvloop"`` or ``"asyncio"``: what :func:`new_event_loop` creates.
LOOP_IMPLEMENTATION, _factory = _choose()


def new_event_loop() -> asyncio.AbstractEventLoop:
    """Create a new event loop of the implementation chosen at import time.

    Returns:
        A fresh uvloop or asyncio event loop (not set as the current loop).
    """
    return _factory()
