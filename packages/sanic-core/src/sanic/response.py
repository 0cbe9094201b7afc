"""``sanic.response``: the response type and helpers, from sanic-http."""

from __future__ import annotations

from sanic_http import (
    HTTPResponse,
    StreamingHTTPResponse,
    file,
    file_stream,
    html,
    json,
    json_dumps,
    raw,
    redirect,
    stream,
    text,
)

__all__ = [
    "HTTPResponse",
    "StreamingHTTPResponse",
    "file",
    "file_stream",
    "html",
    "json",
    "json_dumps",
    "raw",
    "redirect",
    "stream",
    "text",
]
