"""File responses: ``file()``, ``file_stream()`` and byte ranges.

Files are read in a worker thread so a slow disk never stalls the event loop. Small
files (up to ``stream_threshold``) become an ordinary ``HTTPResponse``; bigger ones a
``StreamingHTTPResponse`` with a known ``Content-Length`` that reads one chunk at a
time, so memory use does not grow with the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import os
import re
from dataclasses import dataclass
from typing import BinaryIO, Protocol
from urllib.parse import quote

from multidict import CIMultiDict

from ._exceptions import ContentRangeError, FileNotFound, InvalidRangeType
from ._response import HeadersArg, HTTPResponse
from ._streaming import StreamingFn, StreamingHTTPResponse

__all__ = ["ByteRange", "file", "file_stream", "parse_range"]

#: Files up to this size are read whole; bigger ones are streamed.
STREAM_THRESHOLD = 256 * 1024
#: Chunk size used when ``file()`` streams a big file.
FILE_CHUNK_SIZE = 64 * 1024


class RangeLike(Protocol):
    """Anything with inclusive ``start`` and ``end`` byte offsets."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class ByteRange:
    """A satisfiable byte range of a representation (RFC 9110 §14.1.2).

    Attributes:
        start: The first byte offset.
        end: The last byte offset, inclusive.
        total: The full size of the representation.
    """

    start: int
    end: int
    total: int

    @property
    def size(self) -> int:
        """The number of bytes in the range."""
        return self.end - self.start + 1

    def content_range(self) -> str:
        """The ``Content-Range`` value for a 206 answer (RFC 9110 §14.4)."""
        return f"bytes {self.start}-{self.end}/{self.total}"


_RANGE_SPEC = re.compile(r"(\d*)-(\d*)")


def parse_range(header: str, total: int) -> ByteRange | None:
    """Parse a ``Range`` request header against a representation of ``total`` bytes.

    Only single byte ranges are served; a list of several ranges is ignored (the
    whole representation is sent), which RFC 9110 §14.2 allows.

    Args:
        header: The ``Range`` header value, for example ``"bytes=0-99"``.
        total: The size of the representation.

    Returns:
        The range to send, or ``None`` to send everything.

    Raises:
        InvalidRangeType: If the unit is not ``bytes`` or the header is malformed.
        ContentRangeError: If the range lies outside the representation.
    """
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        raise InvalidRangeType("Invalid range type", total)
    if "," in spec:
        return None
    match = _RANGE_SPEC.fullmatch(spec.strip())
    if match is None or match.group() == "-":
        raise InvalidRangeType("Invalid range", total)
    first, last = match.groups()
    if not first:
        # "-N": the last N bytes (RFC 9110 §14.1.1 suffix-range).
        length = int(last)
        if length == 0 or total == 0:
            raise ContentRangeError("Range not satisfiable", total)
        return ByteRange(max(total - length, 0), total - 1, total)
    start = int(first)
    if last and int(last) < start:
        # A last-pos before the first-pos is invalid (RFC 9110 §14.1.1); an open
        # range starting past the end is merely unsatisfiable (416, below).
        raise InvalidRangeType("Invalid range", total)
    end = int(last) if last else total - 1
    if start >= total:
        raise ContentRangeError("Range not satisfiable", total)
    return ByteRange(start, min(end, total - 1), total)


def _content_disposition(filename: str) -> str:
    # RFC 6266: a plain ASCII fallback plus the exact name in RFC 8187 encoding.
    fallback = "".join(
        c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else "_" for c in filename
    )
    exact = quote(filename, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{exact}"


def _prepare(
    location: str | os.PathLike[str],
    mime_type: str | None,
    headers: HeadersArg,
    filename: str | None,
    _range: RangeLike | None,
) -> tuple[str, int, int, int, CIMultiDict[object], str]:
    path = os.fspath(location)
    try:
        size = os.stat(path).st_size
    except (FileNotFoundError, NotADirectoryError) as error:
        raise FileNotFound("File not found", path=path) from error
    if os.path.isdir(path):
        raise FileNotFound("File not found", path=path)
    if mime_type is None:
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    merged: CIMultiDict[object] = CIMultiDict(headers or ())
    if filename is not None:
        merged["Content-Disposition"] = _content_disposition(filename)
    status, start, length = 200, 0, size
    if _range is not None:
        start, end = _range.start, min(_range.end, size - 1)
        if start < 0 or start > end:
            raise ContentRangeError("Range not satisfiable", size)
        status, length = 206, end - start + 1
        merged["Content-Range"] = f"bytes {start}-{end}/{size}"
    return path, status, start, length, merged, mime_type


def _read(path: str, start: int, length: int) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(start)
        return handle.read(length)


def _streaming(
    path: str,
    status: int,
    start: int,
    length: int,
    headers: CIMultiDict[object],
    mime: str,
    chunk_size: int,
) -> StreamingHTTPResponse:
    return StreamingHTTPResponse(
        _streamer(path, start, length, chunk_size),
        status,
        headers,
        mime,
        content_length=length,
    )


def _open_at(path: str, start: int) -> BinaryIO:
    """Open ``path`` for reading at ``start`` (runs in a worker thread)."""
    with contextlib.ExitStack() as on_error:
        handle: BinaryIO = on_error.enter_context(open(path, "rb"))
        handle.seek(start)
        on_error.pop_all()  # success: the caller closes it
    return handle


def _close_opened(opening: asyncio.Future[BinaryIO]) -> None:
    if not opening.cancelled() and opening.exception() is None:
        opening.result().close()


def _streamer(path: str, start: int, length: int, chunk_size: int) -> StreamingFn:
    async def stream_file(response: StreamingHTTPResponse) -> None:
        loop = asyncio.get_running_loop()
        opening = loop.run_in_executor(None, _open_at, path, start)
        try:
            handle: BinaryIO = await asyncio.shield(opening)
        except asyncio.CancelledError:
            # The thread still opens the file: close it when it has (a client
            # that went away, or shutdown, must not leak a file handle).
            opening.add_done_callback(_close_opened)
            raise
        try:
            remaining = length
            while remaining > 0:
                data = await loop.run_in_executor(
                    None, handle.read, min(chunk_size, remaining)
                )
                if not data:
                    # The file shrank while being sent; the length check in send()
                    # reports it so the connection is closed.
                    break
                remaining -= len(data)
                await response.write(data)
        finally:
            handle.close()

    return stream_file


async def file(
    location: str | os.PathLike[str],
    mime_type: str | None = None,
    headers: HeadersArg = None,
    filename: str | None = None,
    _range: RangeLike | None = None,
    *,
    stream_threshold: int = STREAM_THRESHOLD,
) -> HTTPResponse:
    """Return a response with the contents of a file.

    Args:
        location: The file's path.
        mime_type: The content type; guessed from the extension when omitted.
        headers: Extra headers.
        filename: When given, sent as an attachment with this name.
        _range: A byte range (``start``/``end`` inclusive) to send with 206.
        stream_threshold: Files larger than this are streamed in 64 KiB chunks.

    Returns:
        An ``HTTPResponse``, or a ``StreamingHTTPResponse`` for a large file.

    Raises:
        FileNotFound: If there is no file at ``location``.
        ContentRangeError: If the range lies outside the file.
    """
    loop = asyncio.get_running_loop()
    path, status, start, length, merged, mime = await loop.run_in_executor(
        None, _prepare, location, mime_type, headers, filename, _range
    )
    if length > stream_threshold:
        return _streaming(path, status, start, length, merged, mime, FILE_CHUNK_SIZE)
    body = await loop.run_in_executor(None, _read, path, start, length)
    return HTTPResponse(body, status, merged, mime)


async def file_stream(
    location: str | os.PathLike[str],
    chunk_size: int = 4096,
    mime_type: str | None = None,
    headers: HeadersArg = None,
    filename: str | None = None,
    _range: RangeLike | None = None,
) -> StreamingHTTPResponse:
    """Return a response that streams a file in ``chunk_size`` pieces.

    Args and errors are those of ``file()``, with ``chunk_size`` the number of bytes
    read and written at a time.
    """
    loop = asyncio.get_running_loop()
    path, status, start, length, merged, mime = await loop.run_in_executor(
        None, _prepare, location, mime_type, headers, filename, _range
    )
    return _streaming(path, status, start, length, merged, mime, chunk_size)
