"""Static files: one file at a URL, or a directory's files below a URL prefix.

Nothing outside the served directory is reachable: the requested path (already
percent-decoded by the router) is refused if it holds a NUL byte or a ``..``
segment, and the resolved target (symlinks followed) must still lie inside the
resolved root. ``Last-Modified``/``If-Modified-Since`` (RFC 9110 §13.1.3) and single
byte ranges (RFC 9110 §14) are answered; sanic-http's ``file()`` sends the body
(large files streamed in chunks, never read whole).
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

from sanic_http import FileNotFound, HTTPResponse, InvalidRangeType, file, parse_range

__all__ = ["static_route"]

FILE_PARAM = "__file_uri__"


def _content_type(path: Path) -> str:
    guessed, _ = mimetypes.guess_type(path.name)
    guessed = guessed or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript",):
        guessed += "; charset=utf-8"
    return guessed


def _not_modified(request: Any, mtime: float) -> bool:
    since = request.headers.get("if-modified-since")
    if not since:
        return False
    try:
        return int(mtime) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


async def serve_path(request: Any, path: Path) -> HTTPResponse:
    """Answer a request for the regular file at ``path`` (already vetted).

    The body comes from sanic-http's ``file()``, which streams large files.
    """
    try:
        stat = path.stat()
    except OSError:
        raise FileNotFound("File not found") from None
    if not path.is_file():
        raise FileNotFound("File not found")
    headers = {
        "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
        "Accept-Ranges": "bytes",
    }
    if _not_modified(request, stat.st_mtime):
        return HTTPResponse(status=304, headers=headers)
    byte_range = None
    range_header = request.headers.get("range")
    if range_header:
        try:
            byte_range = parse_range(range_header, stat.st_size)
        except InvalidRangeType:
            byte_range = None  # a Range a server cannot use is ignored (RFC 9110 §14.2)
    return await file(
        path, mime_type=_content_type(path), headers=headers, _range=byte_range
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
            return await serve_path(request, _inside(root, params[FILE_PARAM]))

        return static_directory, route_uri

    single = location.resolve()

    async def static_file(request: Any, **params: str) -> HTTPResponse:
        return await serve_path(request, single)

    return static_file, uri
