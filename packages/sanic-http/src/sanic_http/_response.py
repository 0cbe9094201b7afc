"""HTTP responses: ``HTTPResponse`` and the helpers that build one.

``StreamingHTTPResponse`` and ``stream()`` are in ``_streaming``.

A response is a value: status, headers, body and cookies. It becomes bytes in one
step, ``output()`` (or ``send()`` for a streamed body), which is also where every
header is checked (see ``_head``): an unsafe name or value raises
``InvalidHeaderError`` and nothing is written.

Headers the server owns are written by ``output()`` itself and ignored when a
handler sets them: ``Content-Length``, ``Transfer-Encoding``, ``Connection`` and
``Keep-Alive`` (framing and connection management, RFC 9112 §6 and §9). A
``Date`` header is added (RFC 9110 §6.6.1) unless the handler set one.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeAlias
from urllib.parse import quote

from multidict import CIMultiDict

from ._cookies import CookieJar
from ._head import NO_BODY_STATUSES, InvalidHeaderError, build_head, plain_response
from ._json import json_dumps, json_dumps_bytes

__all__ = [
    "Drain",
    "HTTPResponse",
    "HeadersArg",
    "InvalidHeaderError",
    "Write",
    "empty",
    "html",
    "json",
    "raw",
    "redirect",
    "text",
]

HeadersArg: TypeAlias = "Mapping[str, object] | Iterable[tuple[str, object]] | None"
Write = Callable[[bytes], object]
Drain = Callable[[], Awaitable[object]]


def _body_bytes(body: object) -> bytes:
    """Return the bytes of a body that is not ``bytes`` (off the fast path).

    Text is encoded as UTF-8, other bytes-like objects are copied, and anything
    else is sent as its ``str()``: ``text(902)`` sends ``902``, never 902 zero bytes.
    """
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    return str(body).encode("utf-8")


class HTTPResponse:
    """A complete response whose body is known up front.

    Args:
        body: The body: text is encoded as UTF-8, bytes-like objects are sent as
            they are, and any other value as its ``str()``.
        status: The HTTP status code.
        headers: Initial headers; values that are not strings are converted with
            ``str()`` when written.
        content_type: Sent as ``Content-Type`` unless ``headers`` has one.
        body_bytes: A body given as bytes (used when ``body`` is ``None``).

    Attributes:
        body: The body as bytes.
        status: The status code.
        headers: A case-insensitive multi-valued mapping (``multidict.CIMultiDict``).
        content_type: The media type of the body.
    """

    def __init__(
        self,
        body: Any = None,
        status: int = 200,
        headers: HeadersArg = None,
        content_type: str = "text/plain; charset=utf-8",
        body_bytes: bytes = b"",
    ) -> None:
        if isinstance(body, str):
            self.body = body.encode("utf-8")
        elif body.__class__ is bytes:
            self.body = body
        elif body is None:
            self.body = bytes(body_bytes)
        else:
            self.body = _body_bytes(body)
        self.status = status
        self.content_type = content_type
        # Most responses never touch their headers: the mapping is made on demand.
        self._headers: CIMultiDict[Any] | None = (
            CIMultiDict(headers) if headers else None
        )
        self._cookies: CookieJar | None = None

    @property
    def headers(self) -> CIMultiDict[Any]:
        """The response headers (created on first use)."""
        if self._headers is None:
            self._headers = CIMultiDict()
        return self._headers

    @headers.setter
    def headers(self, value: HeadersArg) -> None:
        self._headers = CIMultiDict(value) if value else None

    @property
    def cookies(self) -> CookieJar:
        """The cookies this response sets (created on first use)."""
        if self._cookies is None:
            self._cookies = CookieJar()
        return self._cookies

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.status} {self.content_type}>"

    def _head(
        self,
        version: str,
        keep_alive: bool,
        keep_alive_timeout: int | None,
        framing: str,
    ) -> bytes:
        """Return the status line and header section, ending with the blank line.

        Raises:
            InvalidHeaderError: If a header name or value is unsafe to write.
        """
        return build_head(
            version,
            self.status,
            self._headers,
            self.content_type,
            self._cookies,
            framing,
            keep_alive,
            keep_alive_timeout,
        )

    def output(
        self,
        version: str = "1.1",
        keep_alive: bool = False,
        keep_alive_timeout: int | None = None,
        *,
        include_body: bool = True,
    ) -> bytes:
        """Serialise the whole response: status line, headers, blank line, body.

        Args:
            version: The request's HTTP version (``"1.0"`` or ``"1.1"``).
            keep_alive: Whether the connection stays open afterwards.
            keep_alive_timeout: Advertised in ``Keep-Alive: timeout=N`` when given.
            include_body: ``False`` for a HEAD request: headers (with the real
                ``Content-Length``) but no body (RFC 9110 §9.3.2).

        Returns:
            The bytes to write to the transport.

        Raises:
            InvalidHeaderError: If a header is unsafe; nothing should be written.
        """
        status = self.status
        if status in NO_BODY_STATUSES:
            return self._head(version, keep_alive, keep_alive_timeout, "")
        body = self.body
        if body.__class__ is not bytes:
            # Middleware may have replaced the body with text, a buffer or a value.
            body = _body_bytes(body)
        if not self._headers and not self._cookies:
            return plain_response(
                version,
                status,
                self.content_type,
                keep_alive,
                keep_alive_timeout,
                body,
                include_body,
            )
        head = self._head(
            version, keep_alive, keep_alive_timeout, f"Content-Length: {len(body)}\r\n"
        )
        return head + body if include_body and body else head

    async def send(
        self,
        write: Write,
        version: str = "1.1",
        keep_alive: bool = False,
        keep_alive_timeout: int | None = None,
        drain: Drain | None = None,
        *,
        include_body: bool = True,
    ) -> bool:
        """Write the response through ``write``; the same interface as streaming.

        Args:
            write: Called with each piece of bytes (``transport.write``).
            version: The request's HTTP version.
            keep_alive: Whether the connection may stay open afterwards.
            keep_alive_timeout: Advertised in ``Keep-Alive`` when given.
            drain: Awaited after writes to respect flow control (unused here).
            include_body: ``False`` for HEAD.

        Returns:
            Whether the connection may be kept open (``keep_alive`` here).
        """
        write(
            self.output(
                version, keep_alive, keep_alive_timeout, include_body=include_body
            )
        )
        return keep_alive


def empty(status: int = 204, headers: HeadersArg = None) -> HTTPResponse:
    """Return a response without a body and without a ``Content-Type``.

    With the default ``204 No Content`` nothing follows the headers (not even
    ``Content-Length``); with another status the body is empty
    (``Content-Length: 0``).
    """
    return HTTPResponse(None, status, headers, "")


def text(
    body: object,
    status: int = 200,
    headers: HeadersArg = None,
    content_type: str = "text/plain; charset=utf-8",
) -> HTTPResponse:
    """Return a plain-text response.

    A body that is neither text nor bytes is sent as its ``str()``: ``text(902)``
    sends ``902`` (and ``text(None)`` sends ``None``).
    """
    return HTTPResponse(
        body if body is not None else "None", status, headers, content_type
    )


def html(body: object, status: int = 200, headers: HeadersArg = None) -> HTTPResponse:
    """Return an HTML response (``text/html; charset=utf-8``).

    A body that is neither text nor bytes is sent as its ``str()``, as with ``text``.
    """
    return HTTPResponse(
        body if body is not None else "None",
        status,
        headers,
        "text/html; charset=utf-8",
    )


def raw(
    body: bytes,
    status: int = 200,
    headers: HeadersArg = None,
    content_type: str = "application/octet-stream",
) -> HTTPResponse:
    """Return a response with a bytes body sent as it is."""
    return HTTPResponse(body, status, headers, content_type)


def json(
    body: object,
    status: int = 200,
    headers: HeadersArg = None,
    content_type: str = "application/json",
    dumps: Callable[..., str | bytes] = json_dumps,
    **kwargs: object,
) -> HTTPResponse:
    """Return a JSON response.

    Args:
        body: Any JSON-serialisable value (see ``json_dumps`` for the extras).
        status: The HTTP status code.
        headers: Initial headers.
        content_type: The media type.
        dumps: The encoder; it may return text or bytes.
        **kwargs: Passed to ``dumps`` (``indent``, ``sort_keys``, ...).
    """
    if dumps is json_dumps and not kwargs:
        data: str | bytes = json_dumps_bytes(body)
    else:
        data = dumps(body, **kwargs)
    return HTTPResponse(data, status, headers, content_type)


# Characters left as they are in a redirect target: RFC 3986 reserved and
# unreserved characters plus "%" so existing escapes survive.
_URL_SAFE = ":/?#[]@!$&'()*+,;=-._~%"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def redirect(
    to: str,
    headers: HeadersArg = None,
    status: int = 302,
    content_type: str = "text/html; charset=utf-8",
) -> HTTPResponse:
    """Return a redirect to ``to``.

    The target is percent-encoded where needed (spaces, non-ASCII); existing escapes
    are kept.

    Raises:
        ValueError: If ``to`` contains CR, LF or another control character.
    """
    if _CONTROL.search(to):
        raise ValueError("control character (CR, LF, ...) in redirect target")
    response = HTTPResponse(None, status, headers, content_type)
    response.headers["Location"] = quote(to, safe=_URL_SAFE)
    return response
