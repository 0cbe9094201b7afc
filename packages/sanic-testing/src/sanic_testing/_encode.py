"""Turn aiohttp-style request arguments into what the wire would carry.

The in-process client has no aiohttp session, but a test written for the socket
clients passes ``params``, ``data``, ``json``, ``headers``, ``cookies`` and
``auth`` as aiohttp takes them. This module encodes them the way aiohttp does
(its own payload classes build the body, so forms and multipart match) and adds
the headers aiohttp adds on its own.
"""

from __future__ import annotations

import json as _json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from http.cookies import Morsel, SimpleCookie
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import aiohttp
from aiohttp import payload as aiohttp_payload
from aiohttp.http import SERVER_SOFTWARE
from multidict import CIMultiDict

__all__ = ["EncodedRequest", "encode_request"]

#: Methods aiohttp sends without ``Content-Length: 0`` when there is no body.
_BODILESS = frozenset({"GET", "HEAD", "OPTIONS", "CONNECT", "TRACE"})


#: The headers aiohttp adds to every request (its Accept-Encoding depends on the
#: decompressors installed, so ask aiohttp rather than guess).
_DEFAULT_HEADERS: dict[str, str] = {
    "Accept": "*/*",
    "Accept-Encoding": "gzip, deflate",
    **getattr(aiohttp.ClientRequest, "DEFAULT_HEADERS", {}),
    "User-Agent": SERVER_SOFTWARE,
}

#: The header aiohttp adds for a ``json=`` body.
_JSON_HEADERS = {"Content-Type": "application/json"}
#: ``json.dumps`` with its defaults, as aiohttp calls it, minus the argument checks.
_json_encode = _json.JSONEncoder().encode


@lru_cache(maxsize=64)
def _automatic_headers(host: str, json: bool) -> CIMultiDict[str]:
    """The headers aiohttp adds to a request with no headers of the test's own.

    A template per host and body kind, copied per request: building the
    mapping each time costs more than the copy.
    """
    return CIMultiDict(
        {"Host": host, **_DEFAULT_HEADERS, **(_JSON_HEADERS if json else {})}
    )


#: Characters left as they are in a request target: RFC 3986 reserved and
#: unreserved characters and ``%`` of existing escapes.
_TARGET_SAFE = "/?#[]@!$&'()*+,;=:-._~%"
#: Names and values urlencode leaves as they are (RFC 3986 unreserved).
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")
_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9/?#\[\]@!$&'()*+,;=:\-._~%]")

#: ``params`` as aiohttp takes them: a ready query string, or names to values
#: (a value may be a list or tuple of values), as a mapping or as pairs.
QueryParams = str | Mapping[object, object] | Iterable[tuple[object, object]] | None
#: ``cookies`` as aiohttp takes them: names to values or ``Morsel``s.
Cookies = Mapping[str, str | Morsel[str]] | Iterable[tuple[str, str | Morsel[str]]]
#: ``headers`` as aiohttp takes them: a mapping or name/value pairs.
Headers = Mapping[str, str] | Iterable[tuple[str, str]] | None


class EncodedRequest:
    """A request as bytes and headers, ready for the wire (:meth:`wire`).

    Attributes:
        method: The upper-case method.
        target: The request target (path and query) as bytes.
        headers: The header fields in the order they would be sent.
        body: The encoded body.
    """

    __slots__ = ("body", "headers", "method", "target")

    def __init__(
        self, method: str, target: bytes, headers: CIMultiDict[str], body: bytes
    ) -> None:
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body

    def wire(self) -> bytes:
        """The request as aiohttp puts it on the wire: request line, header
        fields (UTF-8, as aiohttp encodes them), a blank line and the body."""
        return self.head() + self.body

    def head(self) -> bytes:
        """The request line and header fields, up to and with the blank line."""
        fields = "".join(
            [f"{name}: {value}\r\n" for name, value in self.headers.items()]
        )
        return b"%s %s HTTP/1.1\r\n%s\r\n" % (
            self.method.encode("ascii"),
            self.target,
            fields.encode("utf-8"),
        )

    @property
    def expects_continue(self) -> bool:
        """Whether the body waits for ``100 Continue`` (``Expect:
        100-continue``, as aiohttp's ``expect100=True`` sets it)."""
        return self.headers.get("Expect", "").lower() == "100-continue"


def _query(params: QueryParams) -> str:
    if params is None:
        return ""
    if isinstance(params, str):
        return params
    pairs: Iterable[tuple[object, object]] = (
        params.items() if isinstance(params, Mapping) else params
    )
    flat: list[tuple[str, str]] = []
    for key, value in pairs:
        name = str(key)
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if item.__class__ is not str and (
                isinstance(item, bool) or not isinstance(item, (str, int, float))
            ):
                # aiohttp refuses these too, rather than guess an encoding.
                raise TypeError(
                    f"invalid query parameter {name!r}: {type(item).__name__}"
                )
            flat.append((name, str(item)))
    # The common case needs no escaping; urlencode is slow, so only when it does.
    if _UNRESERVED.fullmatch("".join([name + item for name, item in flat])):
        return "&".join([name + "=" + item for name, item in flat])
    return urlencode(flat)


def _target(uri: str, params: QueryParams) -> tuple[str, str | None]:
    """The path and query to send, and the ``Host`` an absolute URI names."""
    host: str | None = None
    if uri.startswith(("http://", "https://")):
        parts = urlsplit(uri)
        host = parts.netloc
        uri = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    elif not uri.startswith("/"):
        uri = "/" + uri
    # Percent-encode what may not appear raw in a request-target (RFC 3986
    # section 2), as aiohttp's URL handling does; existing escapes stay.
    uri = uri.partition("#")[0]
    if _NEEDS_QUOTING.search(uri):
        uri = quote(uri, safe=_TARGET_SAFE)
    extra = _query(params)
    if extra:
        uri += ("&" if "?" in uri else "?") + extra
    return uri, host


def _cookie_header(cookies: Cookies) -> str:
    jar: SimpleCookie = SimpleCookie()
    items = cookies.items() if isinstance(cookies, Mapping) else cookies
    for name, value in items:
        if isinstance(value, Morsel):
            jar[name] = value.value
        else:
            jar[name] = value
    return jar.output(header="", sep=";").strip()


async def _payload_bytes(body: aiohttp_payload.Payload) -> bytes:
    if hasattr(body, "as_bytes"):
        return bytes(await body.as_bytes())
    chunks: list[bytes] = []

    class _Collector:
        async def write(self, chunk: bytes) -> None:
            chunks.append(bytes(chunk))

    await body.write(_Collector())  # type: ignore[arg-type]
    return b"".join(chunks)


async def _data_body(data: Any) -> tuple[bytes, Mapping[str, str]]:
    """Encode ``data`` as aiohttp would; returns body and headers.

    ``data`` is whatever aiohttp's ``data=`` takes (bytes, text, a file, form
    fields...): aiohttp decides, so it stays ``Any`` here as it is there.
    """
    if isinstance(data, aiohttp.FormData):
        body = data()
    else:
        try:
            body = aiohttp_payload.get_payload(data, disposition=None)
        except aiohttp_payload.LookupError:
            body = aiohttp.FormData(data)()
    return await _payload_bytes(body), CIMultiDict(body.headers)


def _merged_headers(
    host: str,
    given: Headers,
    skipped: Iterable[str] | None,
    body_headers: Mapping[str, str] | None,
) -> CIMultiDict[str]:
    """The test's own headers plus those aiohttp adds that it did not give or skip."""
    automatic = {"Host": host, **_DEFAULT_HEADERS}
    if body_headers:
        automatic.update(body_headers)
    headers: CIMultiDict[str] = CIMultiDict(given or ())
    skip = {name.lower() for name in skipped or ()}
    for name, value in automatic.items():
        if name not in headers and name.lower() not in skip:
            headers[name] = value
    return headers


#: The ``ClientSession.request`` arguments the in-process client honours.
_OPTIONS = frozenset(
    {
        "params",
        "data",
        "json",
        "headers",
        "cookies",
        "auth",
        "skip_auto_headers",
        "expect100",
    }
)


async def encode_request(
    method: str, uri: str, host: str, options: Mapping[str, Any]
) -> EncodedRequest:
    """Encode one request from aiohttp's ``ClientSession.request`` arguments.

    Args:
        method: The HTTP method.
        uri: The path (with an optional query) or an absolute URL.
        host: The ``Host`` header when ``uri`` is a path.
        options: ``params``, ``data``, ``json``, ``headers``, ``cookies``,
            ``auth``, ``skip_auto_headers`` and ``expect100``; left as they are.

    Returns:
        The encoded request.

    Raises:
        TypeError: An argument the in-process client cannot honour.
        ValueError: Both ``data`` and ``json`` were given.
    """
    unknown = options.keys() - _OPTIONS
    if unknown:
        raise TypeError(
            f"the in-process client does not support: {', '.join(sorted(unknown))}"
        )
    get = options.get
    data = get("data")
    json = get("json")
    given = get("headers")
    skipped = get("skip_auto_headers")
    cookies = get("cookies")
    auth = get("auth")
    method = method.upper()
    target, named_host = _target(uri, get("params"))
    body_headers: Mapping[str, str] | None
    if data is not None:
        if json is not None:
            raise ValueError(
                "data and json parameters can not be used at the same time"
            )
        body, body_headers = await _data_body(data)
    elif json is not None:
        body, body_headers = _json_encode(json).encode("utf-8"), _JSON_HEADERS
    else:
        body, body_headers = b"", None
    if not (given or skipped) and (
        body_headers is None or body_headers is _JSON_HEADERS
    ):
        headers = _automatic_headers(
            named_host or host, body_headers is not None
        ).copy()
    else:
        headers = _merged_headers(named_host or host, given, skipped, body_headers)
    if body or method not in _BODILESS:
        headers["Content-Length"] = str(len(body))
    if cookies:
        headers.add("Cookie", _cookie_header(cookies))
    if auth is not None and "Authorization" not in headers:
        headers["Authorization"] = auth.encode()
    if get("expect100"):
        headers["Expect"] = "100-continue"
    return EncodedRequest(method, target.encode("utf-8"), headers, body)
