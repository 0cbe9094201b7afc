"""Streamed responses: ``StreamingHTTPResponse`` and ``stream()``.

The body is written by a function while the response is sent, as chunked
transfer coding (HTTP/1.1) or until the connection closes (HTTP/1.0); each
``write`` may be awaited to wait until the connection's buffer drains.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator

from ._head import NO_BODY_STATUSES
from ._response import Drain, HeadersArg, HTTPResponse, Write

__all__ = ["StreamingFn", "StreamingHTTPResponse", "stream"]

StreamingFn = Callable[["StreamingHTTPResponse"], Awaitable[object]]


class _Drained:
    """What ``StreamingHTTPResponse.write`` returns: awaiting it drains the writer.

    Not a coroutine, so code from before ``write`` was awaitable may ignore it
    without a "never awaited" warning.
    """

    __slots__ = ("_drain",)

    def __init__(self, drain: Drain | None) -> None:
        self._drain = drain

    def __await__(self) -> Generator[object, None, None]:
        if self._drain is not None:
            yield from self._drain().__await__()


class StreamingHTTPResponse(HTTPResponse):
    """A response whose body is produced while it is sent.

    ``streaming_fn(response)`` is awaited during ``send()`` and calls
    ``await response.write(data)`` for each piece. Without ``content_length`` the
    body goes out with ``Transfer-Encoding: chunked`` (RFC 9112 §7.1); an HTTP/1.0
    client gets it raw and the connection closes to end it (RFC 9112 §6.3).

    How a server drives it::

        keep_open = await response.send(
            transport.write, request.version, keep_alive, keep_alive_timeout, drain
        )
        # drain: an async callable that waits while the transport is paused.
        # keep_open is False when the body was delimited by closing the connection.
        # If send() raises after the head went out, close the connection: the body
        # is incomplete and the client cannot tell otherwise.

    Args:
        streaming_fn: An async callable taking this response.
        status: The HTTP status code.
        headers: Initial headers.
        content_type: The media type of the body.
        content_length: The exact body length, when known: sent as
            ``Content-Length`` instead of chunked encoding, and enforced.
    """

    def __init__(
        self,
        streaming_fn: StreamingFn,
        status: int = 200,
        headers: HeadersArg = None,
        content_type: str = "text/plain; charset=utf-8",
        *,
        content_length: int | None = None,
    ) -> None:
        super().__init__(None, status, headers, content_type)
        self.streaming_fn = streaming_fn
        self.content_length = content_length
        self._write: Write | None = None
        self._drain: Drain | None = None
        self._chunked = False
        self._sent = 0

    def output(
        self,
        version: str = "1.1",
        keep_alive: bool = False,
        keep_alive_timeout: int | None = None,
        *,
        include_body: bool = True,
    ) -> bytes:
        """Not available: a streamed body exists only while ``send()`` runs.

        Raises:
            TypeError: Always.
        """
        raise TypeError("a StreamingHTTPResponse is written with send(), not output()")

    def write(self, data: str | bytes) -> _Drained:
        """Send one piece of the body; await the result to respect flow control.

        Args:
            data: Text (UTF-8 encoded) or bytes. Empty data sends nothing.

        Returns:
            An awaitable that waits until the transport can take more.

        Raises:
            RuntimeError: Outside ``send()``, or past ``content_length``.
        """
        if isinstance(data, str):
            data = data.encode("utf-8")
        write = self._write
        if write is None:
            raise RuntimeError("write() is only available while the response is sent")
        if not data:
            # An empty chunk would end a chunked body (RFC 9112 §7.1).
            return _Drained(None)
        if self._chunked:
            write(b"%x\r\n%b\r\n" % (len(data), data))
        else:
            self._sent += len(data)
            if self.content_length is not None and self._sent > self.content_length:
                raise RuntimeError("streamed more bytes than content_length")
            write(data)
        return _Drained(self._drain)

    async def send(
        self,
        write: Write,
        version: str = "1.1",
        keep_alive: bool = False,
        keep_alive_timeout: int | None = None,
        drain: Drain | None = None,
        *,
        include_body: bool = True,
    ) -> bool:
        """Write the head, run ``streaming_fn``, then end the body.

        Arguments as for ``HTTPResponse.send``; ``drain`` is what ``await
        response.write()`` awaits, and with ``include_body=False`` (HEAD)
        ``streaming_fn`` is not called. Returns whether the connection may be kept
        open: ``False`` when closing it is what ends the body (HTTP/1.0).

        Raises:
            InvalidHeaderError: Before anything is written, for an unsafe header.
            RuntimeError: If fewer or more bytes than ``content_length`` were
                streamed; the head is already out, so close the connection.
        """
        has_body = self.status not in NO_BODY_STATUSES
        if not has_body:
            framing = ""
        elif self.content_length is not None:
            framing = f"Content-Length: {self.content_length}\r\n"
        elif version == "1.0":
            # HTTP/1.0 has no chunked coding: closing the connection ends the body.
            framing, keep_alive = "", False
        else:
            framing = "Transfer-Encoding: chunked\r\n"
            self._chunked = True
        write(self._head(version, keep_alive, keep_alive_timeout, framing))
        if not include_body or not has_body:
            return keep_alive
        self._write, self._drain, self._sent = write, drain, 0
        try:
            await self.streaming_fn(self)
        finally:
            self._write = self._drain = None
        if self._chunked:
            write(b"0\r\n\r\n")
        elif self.content_length is not None and self._sent != self.content_length:
            raise RuntimeError(
                f"streamed {self._sent} bytes, content_length was {self.content_length}"
            )
        return keep_alive


def stream(
    streaming_fn: StreamingFn,
    status: int = 200,
    headers: HeadersArg = None,
    content_type: str = "text/plain; charset=utf-8",
) -> StreamingHTTPResponse:
    """Return a response whose body ``streaming_fn`` writes while it is sent."""
    return StreamingHTTPResponse(streaming_fn, status, headers, content_type)
