"""Running an app's listeners where no server does it for us.

The in-process client has no server at all, and the server ``create_server``
returns runs only the start listeners; both clients run the rest themselves,
the way the server would: ``listener(app, loop)``, awaited when it is async, in
the order ``app.lifecycle_listeners()`` gives (stop listeners in reverse
registration order, ``add_task`` tasks started and cancelled).
"""

from __future__ import annotations

import asyncio
from inspect import isawaitable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sanic import Sanic

__all__ = ["run_listeners"]


async def run_listeners(app: Sanic, *events: str) -> None:
    """Run ``app``'s listeners for each of ``events``, in order, on this loop.

    Args:
        app: The app whose ``listeners`` mapping to use.
        *events: Event names such as ``"before_server_stop"``.
    """
    loop = asyncio.get_running_loop()
    # New lists: a listener may register or remove listeners.
    lifecycle = app.lifecycle_listeners()
    for event in events:
        for listener in lifecycle[event]:
            result = listener(app, loop)
            if isawaitable(result):
                await result
