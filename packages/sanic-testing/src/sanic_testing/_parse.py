"""Read a serialised HTTP/1.1 response back into a ``SanicTestResponse``.

The input is what this framework's own responses write (RFC 9112 section 4-7):
a status line, header fields, and a body framed by ``Content-Length``, by
chunked transfer coding, or by the end of the data.

Only the status line is read at once; the header fields and the body are read
when a test first asks for them (``WireMessage``), so a test that looks at
``status`` and ``json`` pays for no header mapping at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from multidict import CIMultiDict

from ._response import SanicTestResponse

__all__ = ["WireMessage", "dechunk", "parse_response"]


def dechunk(data: bytes) -> bytes:
    """Decode a chunked body (RFC 9112 section 7.1); trailers are dropped.

    Args:
        data: The bytes after the header section.

    Returns:
        The body.

    Raises:
        ValueError: The chunked coding is malformed or ends early.
    """
    parts: list[bytes] = []
    position = 0
    while True:
        end = data.find(b"\r\n", position)
        if end < 0:
            raise ValueError("chunked body ends inside a chunk size line")
        # Chunk extensions follow a ';' and carry nothing we need.
        size = int(data[position:end].split(b";", 1)[0].strip(), 16)
        start = end + 2
        if size == 0:
            return b"".join(parts)
        stop = start + size
        if data[stop : stop + 2] != b"\r\n":
            raise ValueError("chunked body ends inside a chunk")
        parts.append(data[start:stop])
        position = stop + 2


class WireMessage:
    """The header section and the rest of a response, read on demand.

    Args:
        fields: The header field lines, without the status line and without
            the blank line that ends them.
        rest: Everything after the blank line.
    """

    __slots__ = ("_fields", "_rest")

    def __init__(self, fields: bytes, rest: bytes) -> None:
        self._fields = fields
        self._rest = rest

    def headers(self) -> CIMultiDict[str]:
        """The header fields, in order, names and values stripped."""
        pairs = []
        if self._fields:
            text = self._fields.decode("utf-8", "surrogateescape")
            for line in text.split("\r\n"):
                name, _, value = line.partition(":")
                pairs.append((name.strip(), value.strip()))
        return CIMultiDict(pairs)

    def body(self, headers: Mapping[str, str] | None = None) -> bytes:
        """The body, de-chunked or cut to ``Content-Length``.

        Args:
            headers: The header fields, when they are parsed already.

        Raises:
            ValueError: A chunked body is malformed.
        """
        rest = self._rest
        if not rest:
            return b""  # HEAD, 204, 304: the head only
        if headers is None:
            lowered = self._fields.lower()
            # What this framework writes: one Content-Length matching the rest
            # and no Transfer-Encoding anywhere. Then the rest is the body, as
            # the full reading below would find, without building the mapping.
            if (
                b"transfer-encoding" not in lowered
                and lowered.count(b"content-length") == 1
                and b"content-length: %d\r\n" % len(rest) in lowered + b"\r\n"
            ):
                return rest
            headers = self.headers()
        if "chunked" in headers.get("Transfer-Encoding", "").lower():
            return dechunk(rest)
        if "Content-Length" in headers:
            return rest[: int(headers["Content-Length"])]
        return rest


def parse_response(data: bytes) -> SanicTestResponse:
    """Parse one complete response; headers and body are read on first use.

    Args:
        data: Status line, headers, blank line and body.

    Returns:
        The response.

    Raises:
        ValueError: ``data`` is not an HTTP response.
    """
    head, separator, rest = data.partition(b"\r\n\r\n")
    if not separator:
        raise ValueError("no end of the header section in the response")
    status_line, _, fields = head.partition(b"\r\n")
    _version, _, status_reason = status_line.partition(b" ")
    status, _, reason = status_reason.partition(b" ")
    return SanicTestResponse._from_wire(
        int(status),
        reason.decode("utf-8", "surrogateescape"),
        WireMessage(fields, rest),
    )
