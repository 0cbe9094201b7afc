"""Read a serialised HTTP/1.1 response back into a ``SanicTestResponse``.

The input is what this framework's own responses write (RFC 9112 section 4-7):
a status line, header fields, and a body framed by ``Content-Length``, by
chunked transfer coding, or by the end of the data.
"""

from __future__ import annotations

from multidict import CIMultiDict

from ._response import SanicTestResponse

__all__ = ["dechunk", "parse_response"]


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


def parse_response(data: bytes) -> SanicTestResponse:
    """Parse one complete response.

    Args:
        data: Status line, headers, blank line and body.

    Returns:
        The response, with the body de-chunked.

    Raises:
        ValueError: ``data`` is not an HTTP response.
    """
    head, separator, rest = data.partition(b"\r\n\r\n")
    if not separator:
        raise ValueError("no end of the header section in the response")
    lines = head.decode("utf-8", "surrogateescape").split("\r\n")
    _version, _, status_reason = lines[0].partition(" ")
    status, _, reason = status_reason.partition(" ")
    pairs = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        pairs.append((name.strip(), value.strip()))
    headers: CIMultiDict[str] = CIMultiDict(pairs)
    if not rest:
        body = b""  # HEAD, 204, 304: the head only
    elif "chunked" in headers.get("Transfer-Encoding", "").lower():
        body = dechunk(rest)
    elif "Content-Length" in headers:
        body = rest[: int(headers["Content-Length"])]
    else:
        body = rest
    return SanicTestResponse(int(status), headers, body, reason)
