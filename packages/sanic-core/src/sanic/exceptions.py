"""``sanic.exceptions``: the HTTP exceptions, from sanic-http.

``Handler`` is the error handler the guide's "Custom Protocols" section names
(``sanic.exceptions.Handler``); it is :class:`sanic.handlers.ErrorHandler`.
``error_text(message)`` is the default plain-text error body, ``Error: <message>``.
"""

from __future__ import annotations

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

from .handlers import ErrorHandler as Handler

__all__ = [
    "STATUS_CODES",
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
    "RequestTimeout",
    "SanicException",
    "ServerError",
    "ServiceUnavailable",
    "URITooLong",
    "URLBuildError",
    "Unauthorized",
    "abort",
    "add_status_code",
    "error_text",
]
