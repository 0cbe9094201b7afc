"""``sanic.server``: the protocol and server functions, from sanic-http.

Subclass :class:`HttpProtocol` and pass it as ``app.run(protocol=...)`` to change
how responses are written (the guide's "Custom Protocols" section).

The other names are those code written for Sanic 0.4 imports from here:
``CIDict`` (a case-insensitive dict), ``trigger_events`` (run listener callables
before or after a loop runs), and ``current_time`` with ``update_current_time``
(a once-a-second clock a protocol may read instead of calling ``time()``).
``bind_socket`` makes a listening socket to pass as ``run(sock=...)`` (the test
client binds its port with it). ``UpgradedProtocol`` is the base of a protocol
that takes a connection over after ``101 Switching Protocols`` (see
``sanic.response.UpgradeResponse`` and ``app.route(..., upgrade=...)``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Mapping
from inspect import isawaitable
from typing import Any

from sanic_http import (
    DEFAULT_BACKLOG,
    HttpProtocol,
    ServerSettings,
    Signal,
    UpgradedProtocol,
    bind_socket,
    serve,
    serve_multiple,
)

__all__ = [
    "DEFAULT_BACKLOG",
    "CIDict",
    "HttpProtocol",
    "ServerSettings",
    "Signal",
    "UpgradedProtocol",
    "bind_socket",
    "current_time",
    "serve",
    "serve_multiple",
    "trigger_events",
    "update_current_time",
]

#: Whole seconds since the epoch, as of the last ``update_current_time()`` tick.
current_time: int = int(time.time())


def update_current_time(loop: asyncio.AbstractEventLoop) -> None:
    """Set ``current_time`` now, and again every second on ``loop``.

    Nothing calls this unless you do: the server keeps its own timers.
    """
    global current_time
    current_time = int(time.time())
    loop.call_later(1, update_current_time, loop)


def trigger_events(
    events: Iterable[Callable[[asyncio.AbstractEventLoop], object]] | None,
    loop: asyncio.AbstractEventLoop,
) -> None:
    """Call each ``event(loop)`` in order; run a coroutine result to completion.

    For use outside a running loop (before ``run_forever`` or after it stops),
    as the server does with its listeners.

    Raises:
        RuntimeError: ``loop`` is running and an event returned a coroutine.
    """
    for event in events or ():
        result = event(loop)
        if isawaitable(result):
            loop.run_until_complete(result)


class CIDict(dict[str, object]):
    """A ``dict`` whose string keys are compared without regard to case.

    Keys are stored as given the first time (``d["Content-Type"]``); reading,
    writing, ``in``, ``get`` and ``del`` match any case.
    """

    def __init__(
        self,
        *args: Mapping[str, object] | Iterable[tuple[str, object]],
        **kwargs: object,
    ) -> None:
        super().__init__()
        self._keys: dict[str, str] = {}
        self.update(*args, **kwargs)

    def _key(self, key: str) -> str:
        return self._keys.get(key.casefold(), key)

    def __getitem__(self, key: str) -> object:
        return super().__getitem__(self._key(key))

    def __setitem__(self, key: str, value: object) -> None:
        stored = self._keys.setdefault(key.casefold(), key)
        super().__setitem__(stored, value)

    def __delitem__(self, key: str) -> None:
        stored = self._key(key)
        super().__delitem__(stored)
        del self._keys[key.casefold()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.casefold() in self._keys

    def get(self, key: str, default: object = None) -> object:
        """The value for ``key`` in any case, else ``default``."""
        return super().get(self._key(key), default)

    def update(self, *args: Any, **kwargs: Any) -> None:  # dict.update's forms
        """Add every pair of a mapping or iterable of pairs, and ``kwargs``."""
        for key, value in dict(*args, **kwargs).items():
            self[key] = value
