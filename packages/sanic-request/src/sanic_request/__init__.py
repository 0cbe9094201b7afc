"""sanic-request: the HTTP request object and its parsers, standalone.

Build a :class:`Request` from what a server has (URL bytes, headers, version,
method, transport) and read ``args``, ``form``, ``files``, ``json``,
``cookies``, ``url`` and the rest; each parses on first access and is cached.
"""

from __future__ import annotations

from ._errors import RequestParseError
from ._json import BACKEND as JSON_BACKEND
from ._params import File, RequestParameters
from ._request import DEFAULT_HTTP_CONTENT_TYPE, Request, parse_multipart_form
from ._stream import RequestStream

__all__ = [
    "DEFAULT_HTTP_CONTENT_TYPE",
    "JSON_BACKEND",
    "File",
    "Request",
    "RequestParameters",
    "RequestParseError",
    "RequestStream",
    "parse_multipart_form",
]
