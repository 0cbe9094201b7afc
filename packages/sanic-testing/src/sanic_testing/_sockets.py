"""The listening socket a test server accepts connections from.

Binding it here, before the server starts, fixes the port the client will use
and lets a busy port (another test process, ``pytest -n 2``) fall back to a free
one instead of failing.
"""

from __future__ import annotations

import socket

__all__ = ["bind_socket"]


def _listening(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # SO_REUSEADDR lets the fixed port be bound again while the previous
        # test's connections sit in TIME_WAIT; on Linux it does not let two
        # listening sockets share the port, so a live server is still detected.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        # Listen at once: a socket that is only bound can be bound a second time
        # by another process with SO_REUSEADDR, and its listen() would then fail.
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock


def bind_socket(host: str, port: int | None, backlog: int = 100) -> socket.socket:
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
            return _listening(host, port, backlog)
        except OSError:
            pass
    return _listening(host, 0, backlog)
