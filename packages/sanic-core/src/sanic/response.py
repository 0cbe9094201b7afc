"""``sanic.response``: the response type and helpers, from sanic-http.

``ALL_STATUS_CODES`` maps every status code to its reason phrase (bytes),
``COMMON_STATUS_CODES`` the few most answered; ``BaseHTTPResponse`` is the class
every response (plain or streaming) is an instance of. These are the names code
written for Sanic 0.4 and 18.12 imports, and ``UpgradeResponse``: the ``101``
that hands the connection to another protocol on a route declared with
``upgrade=``. ``empty`` (a ``204`` without a body) is current Sanic's.
"""

from __future__ import annotations

from sanic_http import (
    STATUS_CODES,
    HTTPResponse,
    StreamingHTTPResponse,
    UpgradeResponse,
    empty,
    file,
    file_stream,
    html,
    json,
    json_dumps,
    raw,
    redirect,
    stream,
    text,
)

__all__ = [
    "ALL_STATUS_CODES",
    "COMMON_STATUS_CODES",
    "BaseHTTPResponse",
    "HTTPResponse",
    "StreamingHTTPResponse",
    "UpgradeResponse",
    "empty",
    "file",
    "file_stream",
    "html",
    "json",
    "json_dumps",
    "raw",
    "redirect",
    "stream",
    "text",
]

ALL_STATUS_CODES = STATUS_CODES
COMMON_STATUS_CODES = {code: STATUS_CODES[code] for code in (200, 400, 404, 500)}
BaseHTTPResponse = HTTPResponse
