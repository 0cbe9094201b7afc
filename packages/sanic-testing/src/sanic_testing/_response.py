"""The response every client returns: the same type over a socket or in-process.

It is a plain value (status, headers, body bytes) with the derived views a test
wants: ``text``, ``json`` and ``cookies``, each computed on first use so a
benchmark of many requests does not pay for views it never reads. It has the
attributes of aiohttp's ``ClientResponse`` that tests written for Sanic 0.4 to
18.12 read (``status``, ``reason``, ``headers``, ``cookies``, ``url``,
``content_type``, ``charset``, ``history``), with ``body``, ``text`` and ``json``
as values rather than coroutines.
"""

from __future__ import annotations

import json as _json
from collections.abc import Mapping
from functools import cached_property
from http.cookies import CookieError, SimpleCookie
from typing import Any, Protocol

from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

__all__ = ["SanicTestResponse"]


class _Message(Protocol):
    """A response's header section and body, read when first asked for."""

    def headers(self) -> CIMultiDict[str]: ...

    def body(self, headers: Mapping[str, str] | None = None) -> bytes: ...


#: aiohttp's ``content_type`` when a response has no ``Content-Type`` header
#: (RFC 9110 section 8.3: the recipient may treat it as a byte stream).
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


class SanicTestResponse:
    """What the server answered.

    Args:
        status: The status code.
        headers: The response headers as received (``Set-Cookie`` included).
        body: The body, de-chunked; empty for HEAD.
        reason: The reason phrase of the status line.
        url: The URL that was requested last (after redirects).
        history: The redirect responses that led here, first one first.

    Attributes:
        status: The status code.
        reason: The reason phrase.
        headers: A read-only case-insensitive multi-valued mapping.
        body: The body as bytes.
        history: The redirect responses followed to get here, as aiohttp's
            ``history``: status, reason, headers and url; their bodies are not
            kept (``b""``), aiohttp does not read them. Empty without redirects.
    """

    _message: _Message
    #: Where ``url`` comes from: a ``URL``, or a string parsed on first use.
    _location: URL | str = ""
    history: tuple[SanicTestResponse, ...] = ()

    def __init__(
        self,
        status: int,
        headers: CIMultiDict[str] | CIMultiDictProxy[str],
        body: bytes,
        reason: str = "",
        *,
        url: URL | str = "",
        history: tuple[SanicTestResponse, ...] = (),
    ) -> None:
        self.status = status
        self.reason = reason
        self.headers: CIMultiDictProxy[str] = (
            headers
            if isinstance(headers, CIMultiDictProxy)
            else CIMultiDictProxy(headers)
        )
        self.body = body
        self._location = url
        if history:
            self.history = history

    @classmethod
    def _from_wire(
        cls, status: int, reason: str, message: _Message
    ) -> SanicTestResponse:
        """A response whose ``headers`` and ``body`` are read on first use.

        Args:
            status: The status code.
            reason: The reason phrase.
            message: Reads the header fields and the body when asked.

        Returns:
            The response.
        """
        response = cls.__new__(cls)
        response.status = status
        response.reason = reason
        response._message = message
        return response

    @cached_property
    def headers(self) -> CIMultiDictProxy[str]:
        """A read-only case-insensitive multi-valued mapping of the headers."""
        return CIMultiDictProxy(self._message.headers())

    @cached_property
    def body(self) -> bytes:
        """The body as bytes."""
        # The mapping, when built already, spares reading the fields twice.
        parsed = self.__dict__.get("headers")
        return self._message.body(parsed)

    def __repr__(self) -> str:
        return f"<SanicTestResponse: {self.status} {self.content_type}>"

    @cached_property
    def url(self) -> URL:
        """The URL requested last, as a ``yarl.URL`` (``url.port``, ``url.path``).

        Over a socket, aiohttp's final URL: ``url.port`` is the port the server
        ran on. From the in-process client, the address requests appear to be
        sent to (``127.0.0.1:42101`` unless its ``host``/``port`` say otherwise).
        """
        location = self._location
        return location if isinstance(location, URL) else URL(location)

    @property
    def content_type(self) -> str:
        """The media type of ``Content-Type``, lower case and without parameters
        (``"text/plain"``), as aiohttp gives it; ``"application/octet-stream"``
        without the header."""
        header = self.headers.get("Content-Type")
        if header is None:
            return DEFAULT_CONTENT_TYPE
        return header.partition(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of ``Content-Type`` as sent, or ``None``."""
        return _charset(self.headers.get("Content-Type", ""))

    @cached_property
    def text(self) -> str:
        """The body decoded with the charset of its content type (UTF-8 default).

        Undecodable bytes become U+FFFD rather than failing the test here.
        """
        charset = self.charset or "utf-8"
        try:
            return self.body.decode(charset, "replace")
        except LookupError:
            return self.body.decode("utf-8", "replace")

    @cached_property
    def json(self) -> Any:
        """The body parsed as JSON, or ``None`` when it is not JSON."""
        if not self.body:
            return None
        try:
            return _json.loads(self.body)
        except ValueError:
            return None

    @cached_property
    def cookies(self) -> SimpleCookie:
        """The cookies set by ``Set-Cookie`` headers (``cookies[name].value``).

        A header that cannot be parsed is skipped, as a browser would.
        """
        jar: SimpleCookie = SimpleCookie()
        for header in self.headers.getall("Set-Cookie", ()):
            try:
                jar.load(header)
            except CookieError:
                continue
        return jar
