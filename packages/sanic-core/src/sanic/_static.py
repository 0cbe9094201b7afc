"""Static files: one file at a URL, or a directory's files below a URL prefix.

Nothing outside the served directory is reachable: the requested path (already
percent-decoded by the router) is refused if it holds a NUL byte or a ``..``
segment, and the resolved target (symlinks followed) must still lie inside the
resolved root. ``Last-Modified``/``If-Modified-Since`` (RFC 9110 §13.1.3, on by
default: ``use_modified_since``) and single byte ranges (RFC 9110 §14, off by
default as in Sanic 0.4: ``use_content_range``) are answered; sanic-http's
``file()`` sends the body (large files streamed in chunks, never read whole).
Every option is settled when the route is registered.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sanic_request import Request

from sanic_http import FileNotFound, HTTPResponse, InvalidRangeType, file, parse_range

__all__ = ["DEFAULT_PATTERN", "StaticOptions", "static_route"]

FILE_PARAM = "__file_uri__"
#: ``app.static``'s default ``pattern``: any file name below the directory.
DEFAULT_PATTERN = r"/?.+"


@dataclass(frozen=True)
class StaticOptions:
    """How a static route answers; fixed when the route is registered.

    Attributes:
        use_modified_since: Send ``Last-Modified`` and answer a fresh
            ``If-Modified-Since`` with 304.
        use_content_range: Send ``Accept-Ranges`` and answer a single byte
            ``Range`` with 206 (416 when unsatisfiable).
        stream_threshold: Files larger than this are streamed in chunks; None
            for sanic-http's default.
        content_type: The Content-Type of every file served; None to guess it
            from the extension.
    """

    use_modified_since: bool = True
    use_content_range: bool = False
    stream_threshold: int | None = None
    content_type: str | None = None


_DEFAULT_OPTIONS = StaticOptions()


def _content_type(path: Path) -> str:
    guessed, _ = mimetypes.guess_type(path.name)
    guessed = guessed or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript",):
        guessed += "; charset=utf-8"
    return guessed


def _not_modified(request: Request, mtime: float) -> bool:
    since = request.headers.get("if-modified-since")
    if not since:
        return False
    from email.utils import parsedate_to_datetime  # not at import: startup time

    try:
        return int(mtime) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


async def serve_path(
    request: Request, path: Path, options: StaticOptions = _DEFAULT_OPTIONS
) -> HTTPResponse:
    """Answer a request for the regular file at ``path`` (already vetted).

    The body comes from sanic-http's ``file()``, which streams large files.
    """
    try:
        stat = path.stat()
    except OSError:
        raise FileNotFound("File not found") from None
    if not path.is_file():
        raise FileNotFound("File not found")
    headers: dict[str, str] = {}
    if options.use_modified_since:
        from email.utils import formatdate  # not at import: startup time

        headers["Last-Modified"] = formatdate(stat.st_mtime, usegmt=True)
        if _not_modified(request, stat.st_mtime):
            return HTTPResponse(status=304, headers=headers)
    byte_range = None
    if options.use_content_range:
        headers["Accept-Ranges"] = "bytes"
        range_header = request.headers.get("range")
        if range_header:
            try:
                byte_range = parse_range(range_header, stat.st_size)
            except InvalidRangeType:
                # A Range a server cannot use is ignored (RFC 9110 §14.2).
                byte_range = None
    # Without use_content_range a Range header is ignored: the whole file, 200.
    mime_type = options.content_type or _content_type(path)
    if options.stream_threshold is None:
        return await file(path, mime_type=mime_type, headers=headers, _range=byte_range)
    return await file(
        path,
        mime_type=mime_type,
        headers=headers,
        _range=byte_range,
        stream_threshold=options.stream_threshold,
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


def _file_filter(pattern: str) -> Callable[[str], bool] | None:
    """Compile ``pattern`` into a test of a path below the directory.

    Returns None for the default pattern, which admits every path. Otherwise the
    pattern must match the whole path, written with or without its leading
    ``/`` (``sub/style.css`` or ``/sub/style.css``), as the default ``/?.+``
    suggests.
    """
    if pattern == DEFAULT_PATTERN:
        return None
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise ValueError(
            f"static() pattern {pattern!r} is not a regular expression: {error}"
        ) from None
    match = compiled.fullmatch

    def admits(relative: str) -> bool:
        return match(relative) is not None or match("/" + relative) is not None

    return admits


def static_route(
    uri: str,
    file_or_directory: str | os.PathLike[str],
    pattern: str = DEFAULT_PATTERN,
    options: StaticOptions = _DEFAULT_OPTIONS,
) -> tuple[Callable[..., object], str]:
    """Build the handler and route URI for ``app.static(uri, file_or_directory)``.

    Args:
        uri: The URL of the file, or the prefix of the directory's files.
        file_or_directory: What to serve.
        pattern: For a directory, a regular expression the path below it must
            match in full (else 404); ignored for a single file.
        options: How the files are answered.

    Raises:
        ValueError: ``pattern`` is not a valid regular expression.
    """
    location = Path(file_or_directory)
    if location.is_dir():
        root = location.resolve()
        route_uri = uri.rstrip("/") + f"/<{FILE_PARAM}:path>"
        admits = _file_filter(pattern)

        async def static_directory(request: Request, **params: str) -> HTTPResponse:
            relative = params[FILE_PARAM]
            if admits is not None and not admits(relative):
                raise FileNotFound("File not found")
            return await serve_path(request, _inside(root, relative), options)

        return static_directory, route_uri

    single = location.resolve()

    async def static_file(request: Request, **params: str) -> HTTPResponse:
        return await serve_path(request, single, options)

    return static_file, uri
