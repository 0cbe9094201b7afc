"""The public surface of sanic_http changes only on purpose."""

from __future__ import annotations

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


def test_value_types_are_public() -> None:
    assert set(sanic_http.__all__) >= VALUE_TYPES


def test_every_public_name_exists_once() -> None:
    assert len(sanic_http.__all__) == len(set(sanic_http.__all__))
    for name in sanic_http.__all__:
        assert getattr(sanic_http, name) is not None
