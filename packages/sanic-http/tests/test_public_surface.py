"""The public surface of sanic_http changes only on purpose."""

from __future__ import annotations

from sanic_test_helpers import assert_public_surface

import sanic_http

# The value-type half: responses, cookies, HTTP errors, JSON.
VALUE_TYPES = {
    "ByteRange",
    "ContentRangeError",
    "Cookie",
    "CookieJar",
    "FileNotFound",
    "Forbidden",
    "HTTPResponse",
    "HeaderNotFound",
    "HeaderTooLarge",
    "InvalidHeaderError",
    "InvalidRangeType",
    "InvalidUsage",
    "MethodNotSupported",
    "NotFound",
    "PayloadTooLarge",
    "RequestTimeout",
    "STATUS_CODES",
    "SanicException",
    "ServerError",
    "ServiceUnavailable",
    "StreamingHTTPResponse",
    "URITooLong",
    "URLBuildError",
    "Unauthorized",
    "abort",
    "add_status_code",
    "empty",
    "error_text",
    "file",
    "file_stream",
    "html",
    "json",
    "json_dumps",
    "parse_range",
    "raw",
    "redirect",
    "stream",
    "text",
}


# The wire half: the protocol, the server, its settings and configuration keys.
WIRE = {
    "CONFIG_KEYS",
    "DEFAULT_BACKLOG",
    "DEFAULT_UNIX_MODE",
    "ConfigKey",
    "ErrorHandler",
    "HttpProtocol",
    "HttpServer",
    "LOOP_IMPLEMENTATION",
    "RequestHandler",
    "ServerSettings",
    "Signal",
    "UpgradeResponse",
    "UpgradedProtocol",
    "WebSocket",
    "ConnectionClosed",
    "WriteCallback",
    "connection_closed",
    "bind_socket",
    "hold_stop_signals",
    "new_event_loop",
    "serve",
    "serve_multiple",
    "STOP_SERVER_EXIT_CODE",
    "request_rolling_restart",
    "request_server_stop",
    "supervisor_pid",
    "trigger_listeners",
    "unix_socket",
    "websocket_handshake",
}


def test_public_surface_is_exactly_the_two_halves() -> None:
    assert not VALUE_TYPES & WIRE
    assert_public_surface(sanic_http, VALUE_TYPES | WIRE)


def test_the_log_module_has_the_three_loggers() -> None:
    import sanic_http.log

    assert_public_surface(sanic_http.log, ["access_logger", "error_logger", "logger"])
