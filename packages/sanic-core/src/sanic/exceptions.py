"""``sanic.exceptions``: the HTTP exceptions, from sanic-http.

``Handler`` is the error handler the guide's "Custom Protocols" section names
(``sanic.exceptions.Handler``); it is :class:`sanic.handlers.ErrorHandler`.
``error_text(message)`` is the default plain-text error body, ``Error: <message>``.
The ``TRACEBACK_*`` and ``INTERNAL_SERVER_ERROR_HTML`` templates of the HTML error
pages are those of :mod:`sanic.handlers`, and ``PyFileError`` is what
``Config.from_pyfile`` raises for a file that fails to run.
``WebSocketConnectionClosed`` is what ``ws.recv()`` and ``ws.send()`` raise once
a websocket has closed (sanic-http's ``ConnectionClosed``, the ``websockets``
library's exception: ``ConnectionClosedOK`` after a normal close, else
``ConnectionClosedError``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sanic_http import (
    STATUS_CODES,
    ContentRangeError,
    FileNotFound,
    Forbidden,
    HeaderNotFound,
    HeaderTooLarge,
    InvalidRangeType,
    InvalidUsage,
    MethodNotSupported,
    NotFound,
    PayloadTooLarge,
    RequestTimeout,
    SanicException,
    ServerError,
    ServiceUnavailable,
    Unauthorized,
    URITooLong,
    URLBuildError,
    abort,
    add_status_code,
    error_text,
)

from .config import PyFileError
from .handlers import (
    INTERNAL_SERVER_ERROR_HTML,
    TRACEBACK_BORDER,
    TRACEBACK_LINE_HTML,
    TRACEBACK_STYLE,
    TRACEBACK_WRAPPER_HTML,
    TRACEBACK_WRAPPER_INNER_HTML,
)
from .handlers import ErrorHandler as Handler

if TYPE_CHECKING:
    from sanic_http import ConnectionClosed as WebSocketConnectionClosed


def __getattr__(name: str) -> object:
    # WebSocketConnectionClosed: Raised by ``ws.recv()``/``ws.send()`` on a
    # closed websocket. Looked up on first use, as sanic-http imports the
    # ``websockets`` library only when a websocket name is asked for.
    if name == "WebSocketConnectionClosed":
        from sanic_http import ConnectionClosed

        globals()[name] = ConnectionClosed
        return ConnectionClosed
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "INTERNAL_SERVER_ERROR_HTML",
    "STATUS_CODES",
    "TRACEBACK_BORDER",
    "TRACEBACK_LINE_HTML",
    "TRACEBACK_STYLE",
    "TRACEBACK_WRAPPER_HTML",
    "TRACEBACK_WRAPPER_INNER_HTML",
    "ContentRangeError",
    "FileNotFound",
    "Forbidden",
    "Handler",
    "HeaderNotFound",
    "HeaderTooLarge",
    "InvalidRangeType",
    "InvalidUsage",
    "MethodNotSupported",
    "NotFound",
    "PayloadTooLarge",
    "PyFileError",
    "RequestTimeout",
    "SanicException",
    "ServerError",
    "ServiceUnavailable",
    "URITooLong",
    "URLBuildError",
    "Unauthorized",
    "WebSocketConnectionClosed",
    "abort",
    "add_status_code",
    "error_text",
]
