"""A raw-socket client whose every response is parsed by llhttp (httptools).

Nothing here normalises what is sent: the bytes go to the server exactly as a
check wrote them. What comes back must be well-formed HTTP/1.1; a response the
strict response parser rejects fails the check that received it.
"""

from __future__ import annotations

import socket
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httptools

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

WAIT = 5.0  # bound on every blocking wait


class Failure(AssertionError):
    """A server broke a promise (or sent something that is not HTTP)."""


@dataclass
class Reply:
    """One complete response."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _Collector:
    def __init__(self) -> None:
        self.done: deque[Reply] = deque()
        self.current: Reply | None = None
        self.parser = httptools.HttpResponseParser(self)

    def on_message_begin(self) -> None:
        self.current = Reply(0)

    def on_header(self, name: bytes, value: bytes) -> None:
        assert self.current is not None
        self.current.headers.append(
            (name.decode("latin-1"), value.decode("latin-1").strip(" \t"))
        )

    def on_headers_complete(self) -> None:
        assert self.current is not None
        self.current.status = self.parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        assert self.current is not None
        self.current.body += body

    def on_message_complete(self) -> None:
        assert self.current is not None
        self.done.append(self.current)
        self.current = None


class Connection:
    """One client connection; ``reply()`` returns the next complete response.

    Args:
        host: The server's address.
        port: The server's port.
        timeout: Bound on each wait for the server.
    """

    def __init__(self, host: str, port: int, timeout: float = WAIT) -> None:
        self.sock = socket.create_connection((host, port), timeout)
        self.timeout = timeout
        self.received = b""
        self.eof = False
        self._collector = _Collector()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.sock.close()

    def send(self, data: bytes) -> bool:
        """Send everything; ``False`` when the server already closed."""
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def _fill(self, deadline: float) -> bool:
        left = deadline - time.monotonic()
        if left <= 0 or self.eof:
            return False
        self.sock.settimeout(left)
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            return False
        except OSError:  # reset: the server closed without reading everything
            data = b""
        if not data:
            self.eof = True
            return False
        self.received += data
        try:
            self._collector.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            raise Failure(
                f"malformed response ({exc}): {self.received[:300]!r}"
            ) from exc
        return True

    def reply(self, timeout: float | None = None) -> Reply | None:
        """The next response, or ``None`` if the server closes (or times out) first."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        done = self._collector.done
        while not done:
            if not self._fill(deadline):
                return None
        return done.popleft()

    def expect(self, timeout: float | None = None) -> Reply:
        """The next response; fails when none comes."""
        reply = self.reply(timeout)
        if reply is None:
            state = "closed" if self.eof else "timed out"
            raise Failure(f"no response ({state}); got {self.received[:200]!r}")
        return reply

    def closes(self, timeout: float | None = None) -> bool:
        """Whether the server closes the connection within ``timeout``."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while self._fill(deadline):
            pass
        if self._collector.current is not None and not self.eof:
            return False
        return self.eof


def request(path: str = "/", method: str = "GET", extra: str = "") -> bytes:
    """A well-formed HTTP/1.1 request head (``extra``: more header lines)."""
    return f"{method} {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode("latin-1")


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
