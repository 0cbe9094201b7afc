"""The HTTP error vocabulary: ``SanicException``, its subclasses and status codes.

Raising one of these from a handler makes the framework answer with its status code.
The hierarchy::

    SanicException (500 unless given)
    ├── InvalidUsage (400)
    │   └── HeaderNotFound (400)
    ├── Unauthorized (401)
    ├── Forbidden (403)
    ├── NotFound (404)
    │   └── FileNotFound (404)
    ├── MethodNotSupported (405)          sets ``Allow``
    ├── RequestTimeout (408)
    ├── PayloadTooLarge (413)
    ├── URITooLong (414)
    ├── ContentRangeError (416)           sets ``Content-Range: bytes */size``
    │   └── InvalidRangeType (416)
    ├── HeaderTooLarge (431)
    ├── ServerError (500)
    │   └── URLBuildError (500)
    └── ServiceUnavailable (503)

``abort(status)`` raises the registered subclass for a status (or a plain
``SanicException`` carrying it), so code can speak in numbers when it wants to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import NoReturn, TypeVar

__all__ = [
    "STATUS_CODES",
    "ContentRangeError",
    "FileNotFound",
    "Forbidden",
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

#: Reason phrases from RFC 9110 §15 (plus a few registered elsewhere: 102 RFC 2518,
#: 103 RFC 8297, 207/208/226/422/423/424/507/508 WebDAV, 428/429/431/511 RFC 6585,
#: 451 RFC 7725), as bytes ready for a status line.
STATUS_CODES: dict[int, bytes] = {
    100: b"Continue",
    101: b"Switching Protocols",
    102: b"Processing",
    103: b"Early Hints",
    200: b"OK",
    201: b"Created",
    202: b"Accepted",
    203: b"Non-Authoritative Information",
    204: b"No Content",
    205: b"Reset Content",
    206: b"Partial Content",
    207: b"Multi-Status",
    208: b"Already Reported",
    226: b"IM Used",
    300: b"Multiple Choices",
    301: b"Moved Permanently",
    302: b"Found",
    303: b"See Other",
    304: b"Not Modified",
    305: b"Use Proxy",
    307: b"Temporary Redirect",
    308: b"Permanent Redirect",
    400: b"Bad Request",
    401: b"Unauthorized",
    402: b"Payment Required",
    403: b"Forbidden",
    404: b"Not Found",
    405: b"Method Not Allowed",
    406: b"Not Acceptable",
    407: b"Proxy Authentication Required",
    408: b"Request Timeout",
    409: b"Conflict",
    410: b"Gone",
    411: b"Length Required",
    412: b"Precondition Failed",
    413: b"Content Too Large",
    414: b"URI Too Long",
    415: b"Unsupported Media Type",
    416: b"Range Not Satisfiable",
    417: b"Expectation Failed",
    418: b"I'm a teapot",
    421: b"Misdirected Request",
    422: b"Unprocessable Content",
    423: b"Locked",
    424: b"Failed Dependency",
    425: b"Too Early",
    426: b"Upgrade Required",
    428: b"Precondition Required",
    429: b"Too Many Requests",
    431: b"Request Header Fields Too Large",
    451: b"Unavailable For Legal Reasons",
    500: b"Internal Server Error",
    501: b"Not Implemented",
    502: b"Bad Gateway",
    503: b"Service Unavailable",
    504: b"Gateway Timeout",
    505: b"HTTP Version Not Supported",
    506: b"Variant Also Negotiates",
    507: b"Insufficient Storage",
    508: b"Loop Detected",
    510: b"Not Extended",
    511: b"Network Authentication Required",
}

_EXCEPTIONS: dict[int, type[SanicException]] = {}

_E = TypeVar("_E", bound="type[SanicException]")


def add_status_code(code: int) -> Callable[[_E], _E]:
    """Class decorator: give an exception class a status code and register it.

    The registered class is what ``abort(code)`` raises.

    Args:
        code: The HTTP status code (100-599).

    Returns:
        A decorator that sets ``status_code`` on the class and records it.
    """
    if not 100 <= code <= 599:
        raise ValueError(f"status code out of range: {code}")

    def register(cls: _E) -> _E:
        cls.status_code = code
        _EXCEPTIONS[code] = cls
        return cls

    return register


class SanicException(Exception):
    """Base of every HTTP error; the framework answers with ``status_code``.

    Args:
        message: Text for the response body (shown to the client).
        status_code: Overrides the class's status code for this instance.
        headers: Extra response headers (for example ``WWW-Authenticate``).

    Attributes:
        status_code: The HTTP status to answer with (class default 500).
        headers: Headers the error response should carry.
    """

    status_code: int = 500

    def __init__(
        self,
        message: str = "",
        status_code: int | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
        self.headers: dict[str, str] = dict(headers) if headers else {}

    def __str__(self) -> str:
        return self.message


@add_status_code(400)
class InvalidUsage(SanicException):
    """The request is malformed or cannot be served as sent (400)."""


class HeaderNotFound(InvalidUsage):
    """A header the handler requires is missing (400)."""


@add_status_code(401)
class Unauthorized(SanicException):
    """Authentication is required.

    Args:
        message: Response text.
        status_code: Optional override.
        scheme: When given, a ``WWW-Authenticate`` challenge is added
            (RFC 9110 §11.6.1), with ``params`` as ``key="value"`` pairs.
        headers: Extra headers.
        **params: Challenge parameters such as ``realm``.
    """

    def __init__(
        self,
        message: str = "",
        status_code: int | None = None,
        *,
        scheme: str | None = None,
        headers: Mapping[str, str] | None = None,
        **params: str,
    ) -> None:
        super().__init__(message, status_code, headers=headers)
        if scheme is not None:
            pairs = ", ".join(f'{key}="{value}"' for key, value in params.items())
            challenge = f"{scheme} {pairs}" if pairs else scheme
            self.headers["WWW-Authenticate"] = challenge


@add_status_code(403)
class Forbidden(SanicException):
    """The client may not access this resource (403)."""


@add_status_code(404)
class NotFound(SanicException):
    """No route matches the request (404)."""


class FileNotFound(NotFound):
    """A static or served file does not exist.

    Args:
        message: Response text.
        path: The file system path that was looked up.
        relative_url: The URL part that named the file.
    """

    def __init__(
        self, message: str = "", path: str = "", relative_url: str = ""
    ) -> None:
        super().__init__(message)
        self.path = path
        self.relative_url = relative_url


@add_status_code(405)
class MethodNotSupported(SanicException):
    """The route exists but not for this method; sets ``Allow`` (RFC 9110 §15.5.6).

    Args:
        message: Response text.
        method: The method that was refused.
        allowed_methods: The methods the route accepts.
    """

    def __init__(
        self,
        message: str = "",
        method: str = "",
        allowed_methods: Iterable[str] = (),
    ) -> None:
        super().__init__(message)
        self.method = method
        self.allowed_methods = sorted(set(allowed_methods))
        if self.allowed_methods:
            self.headers["Allow"] = ", ".join(self.allowed_methods)


@add_status_code(408)
class RequestTimeout(SanicException):
    """The request did not arrive completely in time (408)."""


@add_status_code(413)
class PayloadTooLarge(SanicException):
    """The request body is over the configured limit (413)."""


@add_status_code(414)
class URITooLong(SanicException):
    """The request target is over the configured limit (414)."""


@add_status_code(416)
class ContentRangeError(SanicException):
    """A ``Range`` cannot be satisfied; reports the size (RFC 9110 §15.5.17).

    Args:
        message: Response text.
        total: The full size of the representation, for ``Content-Range``.
    """

    def __init__(self, message: str = "", total: int | None = None) -> None:
        super().__init__(message)
        self.total = total
        if total is not None:
            self.headers["Content-Range"] = f"bytes */{total}"


class InvalidRangeType(ContentRangeError):
    """The ``Range`` unit is not ``bytes`` or the header is malformed (416)."""


@add_status_code(431)
class HeaderTooLarge(SanicException):
    """The request header section is over the configured limit (431)."""


@add_status_code(500)
class ServerError(SanicException):
    """Something went wrong on the server side (500)."""


class URLBuildError(ServerError):
    """``url_for`` could not build a URL from its arguments (500)."""


@add_status_code(503)
class ServiceUnavailable(SanicException):
    """The server cannot answer now, for example a handler timed out (503)."""


def abort(status_code: int, message: str | None = None) -> NoReturn:
    """Raise the exception registered for a status code.

    Args:
        status_code: The HTTP status to answer with.
        message: Response text; defaults to the reason phrase.

    Raises:
        SanicException: Always; the registered subclass when there is one.
    """
    if message is None:
        reason = STATUS_CODES.get(status_code)
        message = reason.decode("ascii") if reason else ""
    cls = _EXCEPTIONS.get(status_code)
    if cls is None:
        raise SanicException(message, status_code)
    raise cls(message)


def error_text(message: str) -> str:
    """Return the default plain-text body of an error answer: ``Error: <message>``.

    The one home of that format: an application's default error answer and the
    server's last-resort answer (when the error handler fails) both use it,
    whatever raised the error.

    Args:
        message: The error's message, or its reason phrase when it has none.
    """
    return f"Error: {message}"
