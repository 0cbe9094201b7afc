"""Seed of sanic-request: the request contract other packages build against.

The request helper replaces this with the full implementation.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from multidict import CIMultiDict


class RequestParameters(dict[str, list[str]]):
    """A dict of lists: ``get`` gives the first value, ``getlist`` all of them."""

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        values = super().get(name)
        return values[0] if values else default

    def getlist(self, name: str, default: Any = None) -> Any:
        return super().get(name, default)


class Request:
    """An HTTP request built from the parts a server has."""

    def __init__(
        self,
        url_bytes: bytes,
        headers: Any,
        version: str,
        method: str,
        transport: Any = None,
        app: Any = None,
    ) -> None:
        self.raw_url = url_bytes
        self.headers = headers if isinstance(headers, CIMultiDict) else CIMultiDict(headers)
        self.version = version
        self.method = method
        self.transport = transport
        self.app = app
        self.body = b""
        self.endpoint: str | None = None
        self.uri_template: str | None = None
        path, _, query = url_bytes.decode("utf-8", "surrogateescape").partition("?")
        self.path = path
        self.query_string = query

    @property
    def args(self) -> RequestParameters:
        return RequestParameters(parse_qs(self.query_string))


__all__ = ["Request", "RequestParameters"]
