"""The battery's client side: sanic_test_helpers' raw-socket ``Client``, whose every
response is checked by llhttp (httptools), and the check registry.

Nothing here normalises what is sent: the bytes go to the server exactly as a
check wrote them. What comes back must be well-formed HTTP/1.1; a response the
strict response parser rejects fails the check that received it.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

from sanic_test_helpers import WAIT, Client, request_bytes
from sanic_test_helpers import Response as Reply
from sanic_test_helpers import WireError as Failure

if TYPE_CHECKING:
    from ._target import Target

__all__ = [
    "REGISTRY",
    "Connection",
    "Failure",
    "Reply",
    "check",
    "refused",
    "request",
    "serving",
]


class Connection(Client):
    """One client connection to ``host:port``; ``reply()`` returns the next response.

    Args:
        host: The server's address.
        port: The server's port.
        timeout: Bound on each wait for the server.
    """

    def __init__(self, host: str, port: int, timeout: float = WAIT) -> None:
        super().__init__(socket.create_connection((host, port), timeout), timeout)


#: A well-formed HTTP/1.1 request head: ``request(path, method, extra)``.
request = request_bytes


Check = Callable[["Target"], None]
#: Every check, in definition order, keyed by promise number (1-9).
REGISTRY: dict[int, list[Check]] = {}


def check(promise: int) -> Callable[[Check], Check]:
    """Register a check of ``promise``; its name describes the attack."""

    def register(func: Check) -> Check:
        REGISTRY.setdefault(promise, []).append(func)
        return func

    return register


def refused(target: Target, data: bytes, statuses: tuple[int, ...] = (400,)) -> Reply:
    """Send ``data``; the answer must have one of ``statuses`` and then close."""
    with Connection(target.host, target.port) as conn:
        conn.send(data)
        reply = conn.expect()
        if reply.status not in statuses:
            raise Failure(
                f"expected {statuses}, got {reply.status}: {reply.body[:120]!r}"
            )
        if not conn.closes():
            raise Failure(f"connection left open after {reply.status}")
    return reply


def serving(target: Target) -> None:
    """A good request on a new connection still gets its answer."""
    with Connection(target.host, target.port) as conn:
        conn.send(request("/"))
        reply = conn.expect()
        if reply.status != 200 or reply.body != b"ok":
            raise Failure(f"a good request got {reply.status}: {reply.body[:120]!r}")
