"""The response every client returns: the same type over a socket or in-process.

It is a plain value (status, headers, body bytes) with the derived views a test
wants: ``text``, ``json`` and ``cookies``, each computed on first use so a
benchmark of many requests does not pay for views it never reads.
"""

from __future__ import annotations

import json as _json
from collections.abc import Mapping
from functools import cached_property
from http.cookies import CookieError, SimpleCookie
from typing import Any, Protocol

from multidict import CIMultiDict, CIMultiDictProxy

__all__ = ["SanicTestResponse"]


class _Message(Protocol):
    """A response's header section and body, read when first asked for."""

    def headers(self) -> CIMultiDict[str]: ...

    def body(self, headers: Mapping[str, str] | None = None) -> bytes: ...


def _charset(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return "utf-8"


class SanicTestResponse:
    """What the server answered.

    Args:
        status: The status code.
        headers: The response headers as received (``Set-Cookie`` included).
        body: The body, de-chunked; empty for HEAD.
        reason: The reason phrase of the status line.

    Attributes:
        status: The status code.
        reason: The reason phrase.
        headers: A read-only case-insensitive multi-valued mapping.
        body: The body as bytes.
    """

    _message: _Message

    def __init__(
        self,
        status: int,
        headers: CIMultiDict[str] | CIMultiDictProxy[str],
        body: bytes,
        reason: str = "",
    ) -> None:
        self.status = status
        self.reason = reason
        self.headers: CIMultiDictProxy[str] = (
            headers
            if isinstance(headers, CIMultiDictProxy)
            else CIMultiDictProxy(headers)
        )
        self.body = body

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

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header, or ``""`` without one."""
        return self.headers.get("Content-Type", "")

    @cached_property
    def text(self) -> str:
        """The body decoded with the charset of its content type (UTF-8 default).

        Undecodable bytes become U+FFFD rather than failing the test here.
        """
        charset = _charset(self.content_type)
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
