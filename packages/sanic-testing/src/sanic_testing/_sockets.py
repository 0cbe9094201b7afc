"""The listening socket a test server accepts connections from.

Binding it here, before the server starts, fixes the port the client will use
and lets a busy port (another test process, ``pytest -n 2``) fall back to a free
one instead of failing. The socket itself is sanic-http's ``bind_socket`` (through
``sanic.server``): ``SO_REUSEADDR``, so a port in TIME_WAIT binds again, and
listening at once, so no other process can bind the port in between.
"""

from __future__ import annotations

import socket

from sanic.server import DEFAULT_BACKLOG
from sanic.server import bind_socket as _listening

__all__ = ["DEFAULT_BACKLOG", "bind_socket"]


def bind_socket(
    host: str, port: int | None, backlog: int = DEFAULT_BACKLOG
) -> socket.socket:
    """Return a socket listening on ``host:port``, or on a free port.

    Args:
        host: The address to listen on.
        port: The preferred port; ``None`` or ``0`` asks for a free port.
        backlog: The listen backlog.

    Returns:
        A listening socket; its ``getsockname()`` gives the port really used.

    Raises:
        OSError: Not even a free port could be bound on ``host``.
    """
    if port:
        try:
            return _listening(host, port, backlog=backlog)
        except OSError:
            pass
    return _listening(host, 0, backlog=backlog)
