"""Static files: one file at a URL, or a directory's files below a URL prefix.

Nothing outside the served directory is reachable: the requested path (already
percent-decoded by the router) is refused if it holds a NUL byte or a ``..``
segment, and the resolved target (symlinks followed) must still lie inside the
resolved root. ``Last-Modified``/``If-Modified-Since`` (RFC 9110 §13.1.3) and single
byte ranges (RFC 9110 §14) are answered; bodies are streamed, never read whole.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Awaitable, Callable
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

from sanic_http import (
    ContentRangeError,
    FileNotFound,
    HTTPResponse,
    StreamingHTTPResponse,
)

__all__ = ["static_route"]

CHUNK_SIZE = 64 * 1024
FILE_PARAM = "__file_uri__"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)\Z")


def _content_type(path: Path) -> str:
    guessed, _ = mimetypes.guess_type(path.name)
    guessed = guessed or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript",):
        guessed += "; charset=utf-8"
    return guessed


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """Parse one ``bytes=a-b`` range into inclusive offsets; ``None`` to ignore it.

    Raises:
        ContentRangeError: The range cannot be satisfied (416).
    """
    found = _RANGE.match(header.strip())
    if found is None:
        return None  # multiple or unknown ranges: send the whole file (RFC 9110 §14.2)
    first, last = found.groups()
    if not first and not last:
        return None
    if not first:
        start, end = max(size - int(last), 0), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        error = ContentRangeError("Requested range not satisfiable")
        error.headers["Content-Range"] = f"bytes */{size}"
        raise error
    return start, end


def _streamer(path: Path, start: int, length: int) -> Callable[[Any], Awaitable[None]]:
    async def send_file(response: StreamingHTTPResponse) -> None:
        with path.open("rb") as handle:
            handle.seek(start)
            left = length
            while left > 0:
                chunk = handle.read(min(CHUNK_SIZE, left))
                if not chunk:
                    break
                left -= len(chunk)
                await response.write(chunk)

    return send_file


def _not_modified(request: Any, mtime: float) -> bool:
    since = request.headers.get("if-modified-since")
    if not since:
        return False
    try:
        return int(mtime) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


def serve_path(request: Any, path: Path) -> HTTPResponse:
    """Answer a request for the regular file at ``path`` (already vetted)."""
    try:
        stat = path.stat()
    except OSError:
        raise FileNotFound("File not found") from None
    if not path.is_file():
        raise FileNotFound("File not found")
    modified = formatdate(stat.st_mtime, usegmt=True)
    headers = {"Last-Modified": modified, "Accept-Ranges": "bytes"}
    if _not_modified(request, stat.st_mtime):
        return HTTPResponse(status=304, headers=headers)
    size, status, start = stat.st_size, 200, 0
    range_header = request.headers.get("range")
    if range_header:
        chosen = _byte_range(range_header, size)
        if chosen is not None:
            start, end = chosen
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
            size = end - start + 1
    return StreamingHTTPResponse(
        _streamer(path, start, size),
        status=status,
        headers=headers,
        content_type=_content_type(path),
        content_length=size,
    )


def _inside(root: Path, relative: str) -> Path:
    """Resolve ``relative`` below ``root`` or refuse with 404."""
    if "\x00" in relative:
        raise FileNotFound("File not found")
    parts = re.split(r"[/\\]", relative)
    if any(part == ".." for part in parts) or os.path.isabs(relative):
        raise FileNotFound("File not found")
    target = (root / relative.lstrip("/")).resolve()
    if target != root and root not in target.parents:
        raise FileNotFound("File not found")
    return target


def static_route(
    uri: str, file_or_directory: str | os.PathLike[str]
) -> tuple[Callable[..., Any], str]:
    """Build the handler and route URI for ``app.static(uri, file_or_directory)``."""
    location = Path(file_or_directory)
    if location.is_dir():
        root = location.resolve()
        route_uri = uri.rstrip("/") + f"/<{FILE_PARAM}:path>"

        async def static_directory(request: Any, **params: str) -> HTTPResponse:
            return serve_path(request, _inside(root, params[FILE_PARAM]))

        return static_directory, route_uri

    single = location.resolve()

    async def static_file(request: Any, **params: str) -> HTTPResponse:
        return serve_path(request, single)

    return static_file, uri
