"""A raw-socket HTTP/1.1 client: bytes go out exactly as written, responses come
back one at a time, each read by hand and checked by llhttp."""

from __future__ import annotations

import socket
import time

from ._parse import Response, WireError, check_strict, parse_head

__all__ = ["WAIT", "Client", "exchange", "free_port", "read_all", "request_bytes"]

WAIT = 5.0  # the bound on every blocking wait, in seconds


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now on ``host`` (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def request_bytes(path: str = "/", method: str = "GET", extra: str = "") -> bytes:
    """A well-formed HTTP/1.1 request head (``extra``: more CRLF-ended lines)."""
    return f"{method} {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode("latin-1")


class _Closed(Exception):
    """The server closed (or went quiet) before the response was complete."""


class Client:
    """One client connection; keeps unread bytes for the next response.

    Args:
        sock: A connected socket (plain or TLS).
        timeout: The default bound on each wait for the server.

    Attributes:
        received: Every byte received so far.
        eof: Whether the server closed its side.
    """

    def __init__(self, sock: socket.socket, timeout: float = WAIT) -> None:
        self.sock = sock
        self.timeout = timeout
        self.buffer = b""
        self.received = b""
        self.eof = False
        self._deadline = 0.0
        self._taken: list[bytes] = []

    @classmethod
    def connect(cls, host: str, port: int, timeout: float = WAIT) -> Client:
        """Open a TCP connection to ``host:port``."""
        return cls(socket.create_connection((host, port), timeout), timeout)

    def __enter__(self) -> Client:
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

    def _fill(self) -> bool:
        left = self._deadline - time.monotonic()
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
        self.buffer += data
        self.received += data
        return True

    def _take(self, size: int) -> bytes:
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        self._taken.append(data)
        return data

    def _start(self, timeout: float | None) -> None:
        wait = self.timeout if timeout is None else timeout
        self._deadline = time.monotonic() + wait
        self._taken = []

    def read_exactly(self, size: int, timeout: float | None = None) -> bytes:
        """The next ``size`` bytes; fails if they do not all come."""
        self._start(timeout)
        return self._exactly(size)

    def read_until(self, marker: bytes, timeout: float | None = None) -> bytes:
        """The bytes up to and including ``marker``; fails if it does not come."""
        self._start(timeout)
        return self._until(marker)

    def _exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self._fill():
                raise _Closed(f"closed after {self.buffer!r}")
        return self._take(size)

    def _until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            if not self._fill():
                raise _Closed(f"closed before {marker!r}: {self.buffer!r}")
        return self._take(self.buffer.index(marker) + len(marker))

    def _read(self, head: bool) -> Response:
        response = parse_head(self._until(b"\r\n\r\n"))
        headers, status = response.headers, response.status
        if head or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif "transfer-encoding" in headers:
            if headers["transfer-encoding"].lower() != "chunked":
                raise WireError(f"unexpected Transfer-Encoding in {response.head!r}")
            body = self._chunked()
        elif "content-length" in headers:
            body = self._exactly(int(headers["content-length"]))
        else:  # delimited by the close
            while self._fill():
                pass
            body = self._take(len(self.buffer))
        strict = check_strict(b"".join(self._taken), head=head)
        if strict.fields != response.fields:
            raise WireError(f"llhttp read {strict.fields}, by hand {response.fields}")
        response.body = body
        return response

    def _chunked(self) -> bytes:
        body = b""
        while True:
            size_line = self._until(b"\r\n")[:-2].split(b";")[0]
            try:
                size = int(size_line, 16)
            except ValueError:
                raise WireError(f"malformed chunk size {size_line!r}") from None
            if size == 0:
                while self._until(b"\r\n") != b"\r\n":  # trailer fields
                    pass
                return body
            body += self._exactly(size)
            if self._exactly(2) != b"\r\n":
                raise WireError("chunk data not followed by CRLF")

    def reply(
        self, timeout: float | None = None, *, head: bool = False
    ) -> Response | None:
        """The next response, or ``None`` if the server closes or goes quiet first.

        Args:
            timeout: The bound on the wait (default: the client's).
            head: The response answers a HEAD request (no body).

        Raises:
            WireError: What came is not a well-formed response.
        """
        self._start(timeout)
        try:
            return self._read(head)
        except _Closed:
            self.buffer = b"".join(self._taken) + self.buffer
            if self.buffer:  # garbage fails here; a truncated response does not
                check_strict(self.buffer, head=head)
            return None

    def response(self, *, head: bool = False, timeout: float | None = None) -> Response:
        """The next response; fails when none comes."""
        reply = self.reply(timeout, head=head)
        if reply is None:
            state = "closed" if self.eof else "timed out"
            raise WireError(f"no response ({state}); got {self.received[:200]!r}")
        return reply

    expect = response

    def closes(self, timeout: float | None = None) -> bool:
        """Whether the server closes the connection within ``timeout``."""
        self._start(timeout)
        while self._fill():
            pass
        return self.eof

    def closed(self, timeout: float | None = None) -> bool:
        """Whether the server closed with nothing (more) to read."""
        if self.buffer:
            return False
        self._start(timeout)
        return not self._fill() and self.eof

    def get(self, path: str = "/", extra: str = "") -> Response:
        """Send ``GET path`` (``extra``: more header lines) and read the response."""
        self.send(request_bytes(path, "GET", extra))
        return self.response()


def read_all(sock: socket.socket) -> bytes:
    """Read until the server closes (or resets); the socket's timeout fails.

    Raises:
        TimeoutError: The server neither closed nor sent anything for the socket's
            timeout: a server that hangs fails the test instead of passing silently.
    """
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def exchange(
    host: str,
    port: int,
    data: bytes,
    *,
    half_close: bool = False,
    timeout: float = WAIT,
) -> bytes:
    """Send ``data`` on a new connection; return all that comes back until the close.

    Args:
        half_close: Shut down the sending side after ``data`` (the server sees EOF).
    """
    with socket.create_connection((host, port), timeout) as sock:
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may refuse and close before reading everything
        return read_all(sock)
