"""sanic-http: the HTTP/1.1 wire and WebSockets, responses, cookies and HTTP errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._config_keys import CONFIG_KEYS, ConfigKey
from ._cookies import Cookie, CookieJar
from ._exceptions import (
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
from ._file import ByteRange, file, file_stream, parse_range
from ._json import json_dumps
from ._loop import LOOP_IMPLEMENTATION, new_event_loop
from ._protocol import ErrorHandler, HttpProtocol, RequestHandler, WriteCallback
from ._response import (
    HTTPResponse,
    InvalidHeaderError,
    empty,
    html,
    json,
    raw,
    redirect,
    text,
)
from ._server import (
    DEFAULT_BACKLOG,
    HttpServer,
    hold_stop_signals,
    serve,
    trigger_listeners,
)
from ._settings import ServerSettings
from ._signal import Signal
from ._streaming import StreamingHTTPResponse, stream
from ._unix import DEFAULT_UNIX_MODE, unix_socket
from ._upgrade import UpgradedProtocol, UpgradeResponse
from ._workers import (
    STOP_SERVER_EXIT_CODE,
    bind_socket,
    request_rolling_restart,
    request_server_stop,
    serve_multiple,
    supervisor_pid,
)

if TYPE_CHECKING:
    from ._websocket import (
        ConnectionClosed,
        WebSocket,
        connection_closed,
        websocket_handshake,
    )

#: Names of the websocket wire, imported on first use: the ``websockets``
#: library takes a noticeable share of startup, and most apps serve no websocket.
_WEBSOCKET_NAMES = frozenset(
    ("ConnectionClosed", "WebSocket", "connection_closed", "websocket_handshake")
)


def __getattr__(name: str) -> object:
    if name in _WEBSOCKET_NAMES:
        from . import _websocket

        value: object = getattr(_websocket, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CONFIG_KEYS",
    "DEFAULT_BACKLOG",
    "DEFAULT_UNIX_MODE",
    "LOOP_IMPLEMENTATION",
    "STATUS_CODES",
    "STOP_SERVER_EXIT_CODE",
    "ByteRange",
    "ConfigKey",
    "ConnectionClosed",
    "ContentRangeError",
    "Cookie",
    "CookieJar",
    "ErrorHandler",
    "FileNotFound",
    "Forbidden",
    "HTTPResponse",
    "HeaderNotFound",
    "HeaderTooLarge",
    "HttpProtocol",
    "HttpServer",
    "InvalidHeaderError",
    "InvalidRangeType",
    "InvalidUsage",
    "MethodNotSupported",
    "NotFound",
    "PayloadTooLarge",
    "RequestHandler",
    "RequestTimeout",
    "SanicException",
    "ServerError",
    "ServerSettings",
    "ServiceUnavailable",
    "Signal",
    "StreamingHTTPResponse",
    "URITooLong",
    "URLBuildError",
    "Unauthorized",
    "UpgradeResponse",
    "UpgradedProtocol",
    "WebSocket",
    "WriteCallback",
    "abort",
    "add_status_code",
    "bind_socket",
    "connection_closed",
    "empty",
    "error_text",
    "file",
    "file_stream",
    "hold_stop_signals",
    "html",
    "json",
    "json_dumps",
    "new_event_loop",
    "parse_range",
    "raw",
    "redirect",
    "request_rolling_restart",
    "request_server_stop",
    "serve",
    "serve_multiple",
    "stream",
    "supervisor_pid",
    "text",
    "trigger_listeners",
    "unix_socket",
    "websocket_handshake",
]
