"""The HTTP exception vocabulary, its status codes and abort()."""

from __future__ import annotations

import pytest

import sanic_http
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
)
from sanic_http._exceptions import _EXCEPTIONS


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (SanicException, 500),
        (InvalidUsage, 400),
        (HeaderNotFound, 400),
        (Unauthorized, 401),
        (Forbidden, 403),
        (NotFound, 404),
        (FileNotFound, 404),
        (MethodNotSupported, 405),
        (RequestTimeout, 408),
        (PayloadTooLarge, 413),
        (URITooLong, 414),
        (ContentRangeError, 416),
        (InvalidRangeType, 416),
        (HeaderTooLarge, 431),
        (ServerError, 500),
        (URLBuildError, 500),
        (ServiceUnavailable, 503),
    ],
)
def test_status_codes(cls: type[SanicException], status: int) -> None:
    assert cls.status_code == status
    assert cls("message").status_code == status
    assert issubclass(cls, SanicException)
    assert status in STATUS_CODES


def test_guide_server_error_with_status_code() -> None:
    error = ServerError("Something bad happened", status_code=500)
    assert (error.status_code, str(error), error.message) == (
        500,
        "Something bad happened",
        "Something bad happened",
    )
    assert ServerError("teapot", status_code=418).status_code == 418
    assert ServerError.status_code == 500


def test_headers() -> None:
    assert SanicException("x").headers == {}
    assert SanicException("x", headers={"Retry-After": "5"}).headers == {
        "Retry-After": "5"
    }
    error = MethodNotSupported("no", "DELETE", ["POST", "GET", "GET"])
    assert error.headers == {"Allow": "GET, POST"}
    assert (error.method, error.allowed_methods) == ("DELETE", ["GET", "POST"])
    assert MethodNotSupported("no").headers == {}


def test_unauthorized_challenge() -> None:
    error = Unauthorized("Auth required.", scheme="Basic", realm="Restricted Area")
    assert error.headers == {"WWW-Authenticate": 'Basic realm="Restricted Area"'}
    assert Unauthorized("x", scheme="Bearer").headers == {"WWW-Authenticate": "Bearer"}
    assert Unauthorized("x").headers == {}


def test_content_range_error_reports_size() -> None:
    assert ContentRangeError("bad", 100).headers == {"Content-Range": "bytes */100"}
    assert InvalidRangeType("bad").headers == {}


def test_file_not_found_carries_path() -> None:
    error = FileNotFound("File not found", path="/x", relative_url="x")
    assert (error.path, error.relative_url, error.status_code) == ("/x", "x", 404)


def test_reason_phrases_are_rfc_9110() -> None:
    assert STATUS_CODES[413] == b"Content Too Large"
    assert STATUS_CODES[422] == b"Unprocessable Content"
    assert all(isinstance(reason, bytes) for reason in STATUS_CODES.values())


def test_abort_raises_registered_subclass() -> None:
    with pytest.raises(NotFound) as caught:
        abort(404)
    assert str(caught.value) == "Not Found"
    with pytest.raises(ServiceUnavailable, match="later"):
        abort(503, "later")


def test_abort_unregistered_code_raises_base_with_that_code() -> None:
    with pytest.raises(SanicException) as caught:
        abort(418)
    assert type(caught.value) is SanicException
    assert (caught.value.status_code, str(caught.value)) == (418, "I'm a teapot")
    with pytest.raises(SanicException) as caught:
        abort(599)
    assert (caught.value.status_code, str(caught.value)) == (599, "")


def test_add_status_code_registers_for_abort() -> None:
    try:

        @add_status_code(409)
        class Conflict(SanicException):
            pass

        assert Conflict.status_code == 409
        with pytest.raises(Conflict):
            abort(409)
    finally:
        _EXCEPTIONS.pop(409, None)


@pytest.mark.parametrize("code", [99, 600])
def test_add_status_code_range(code: int) -> None:
    with pytest.raises(ValueError):
        add_status_code(code)


def test_exceptions_are_exported() -> None:
    from sanic_http import _exceptions

    for name in ("SanicException", "NotFound", "abort", "STATUS_CODES"):
        assert name in sanic_http.__all__
        assert getattr(sanic_http, name) is getattr(_exceptions, name)
