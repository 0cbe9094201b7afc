"""The :class:`Request`: the raw parts a server has, parsed lazily and once."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from functools import cached_property
from types import SimpleNamespace
from typing import Any, Final, NoReturn
from uuid import uuid4

from multidict import CIMultiDict

from . import _json
from ._address import AddressMixin, split_target
from ._errors import RequestParseError
from ._headers import (
    HeadersInput,
    decode_header_pairs,
    parse_cookie_header,
    parse_options_header,
    stored_headers,
)
from ._multipart import parse_multipart
from ._params import RequestParameters, group_pairs, parse_urlencoded
from ._stream import RequestStream

__all__ = ["DEFAULT_HTTP_CONTENT_TYPE", "Request", "parse_multipart_form"]

#: The type of a body sent without a Content-Type header: arbitrary bytes (RFC 9110
#: section 8.3). ``Request.content_type`` falls back to it, so such a body is never
#: parsed as a form.
DEFAULT_HTTP_CONTENT_TYPE = "application/octet-stream"

_UNSET: Final = object()
# What a client-sent request id may hold: no spaces or controls, nothing a log
# line or header would need escaped (its length is checked apart).
_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._:+/=@-]+")


class Request(AddressMixin):
    """An HTTP request built from what a server has, usable without Sanic.

    Everything derived from the headers or body is computed on first access and
    cached; constructing a request only splits the URL. The server assigns
    ``body`` (bytes) before the handler runs, or on a streaming route sets
    ``stream`` instead (see :meth:`receive_body`); the router assigns ``app``,
    ``endpoint`` and ``uri_template``. ``target_authority`` is the
    ``host[:port]`` of an absolute-form target (``GET http://example.com/p``,
    userinfo dropped), which :attr:`host` prefers to the Host header (RFC 9112
    section 3.2.2); None for an origin-form target.

    Class attributes a subclass may override:

    * ``max_fields`` (1000): most fields in a query string, urlencoded body or
      multipart body (parts); beyond it a query is a 400, a body a 413.
    * ``max_json_depth`` (512): deepest nesting of arrays/objects in a JSON body.
    * ``max_part_size`` (100 MiB): largest single multipart part (413).
    * ``max_part_header_size`` (16 KiB): largest header block of one part.
    * ``default_content_type`` (:data:`DEFAULT_HTTP_CONTENT_TYPE`,
      ``application/octet-stream``): ``content_type`` when the header is
      absent, and so how a body without one is treated (not as a form).
    * ``json_loads``: the JSON decoder (orjson when importable, see
      ``SANIC_NO_ORJSON``).
    * ``trust_forwarded_headers`` (True): whether ``X-Forwarded-Proto``,
      ``X-Forwarded-Host`` and ``X-Forwarded-Port`` are honoured.
    * ``forwarded_secret``, ``real_ip_header``, ``proxies_count`` and
      ``forwarded_for_header``: which proxy headers give ``remote_addr`` (see
      :class:`~sanic_request._address.AddressMixin`); all off by default.
    * ``request_id_header`` (``"X-Request-ID"``) and ``max_request_id_length``
      (128): where :attr:`id` comes from, and the longest value taken from it.

    Args:
        url_bytes: The request-target as received, e.g. ``b"/p?a=1"``.
        headers: The headers; a ``CIMultiDict`` is used as is; a list of
            ``(bytes, bytes)`` pairs as received is decoded into one on first
            access of ``headers`` (values as UTF-8, else Latin-1); anything
            else is copied into one.
        version: The HTTP version, e.g. ``"1.1"``.
        method: The method, e.g. ``"GET"``.
        transport: The connection's transport, for peer and socket addresses
            and TLS detection.
        app: The application handling the request.
    """

    __slots__ = (
        "__dict__",
        "_args",
        "_cookies",
        "_files",
        "_form",
        "_headers",
        "_json",
        "_query_args",
        "_raw_query",
        "_storage",
        "app",
        "body",
        "endpoint",
        "method",
        "path",
        "raw_url",
        "target_authority",
        "transport",
        "uri_template",
        "version",
    )

    max_fields: int = 1000
    max_json_depth: int = 512
    max_part_size: int = 100 * 1024 * 1024
    max_part_header_size: int = 16 * 1024
    default_content_type: str = DEFAULT_HTTP_CONTENT_TYPE
    request_id_header: str = "X-Request-ID"
    max_request_id_length: int = 128
    json_loads: Callable[[bytes], Any] = staticmethod(_json.loads)
    #: The body as a :class:`RequestStream` on a streaming route (the server sets
    #: it); None, this class attribute, for every other request.
    stream: RequestStream | None = None

    def __init__(
        self,
        url_bytes: bytes,
        headers: HeadersInput,
        version: str,
        method: str,
        transport: asyncio.BaseTransport | None = None,
        app: Any = None,
    ) -> None:
        self.raw_url = url_bytes
        # A list (what a server received) is decoded only if headers are read.
        self._headers: Any = (
            headers if headers.__class__ is list else stored_headers(headers)
        )
        self.version = version
        self.method = method
        self.transport = transport
        self.app = app
        self.body: bytes = b""
        self.endpoint: str | None = None
        self.uri_template: str | None = None
        path, self._raw_query, self.target_authority = split_target(url_bytes)
        # Non-ASCII bytes are invalid in a request-target (RFC 3986 section 2);
        # replace rather than fail so the router can still answer 404.
        self.path: str = path.decode("utf-8", "replace")
        self._args: RequestParameters | None = None
        self._query_args: list[tuple[str, str]] | None = None
        self._json: Any = _UNSET
        self._form: RequestParameters | None = None
        self._files: RequestParameters | None = None
        self._cookies: dict[str, str] | None = None
        self._storage: dict[str, Any] | None = None
        self._peer: tuple[str | None, int | None] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.method} {self.path}>"

    # -- errors ------------------------------------------------------------

    def parse_error(self, error: RequestParseError) -> BaseException:
        """Return the exception to raise for a parse failure.

        Every property that parses input raises what this returns, so a
        framework subclass can map the package's error to its own HTTP
        exceptions (using ``error.status``) at access time.

        Args:
            error: The failure, with ``message`` and ``status`` (400 or 413).

        Returns:
            The exception to raise; by default ``error`` itself.
        """
        return error

    def _fail(
        self, error: RequestParseError, cause: BaseException | None = None
    ) -> NoReturn:
        error.__cause__ = cause
        exc = self.parse_error(error)
        if exc is error:
            raise error
        raise exc from error

    # -- per-request storage (Sanic 0.4 requests were dicts) ----------------

    def __getitem__(self, key: str) -> Any:
        if self._storage is None:
            raise KeyError(key)
        return self._storage[key]

    def __setitem__(self, key: str, value: object) -> None:
        if self._storage is None:
            self._storage = {}
        self._storage[key] = value

    def __delitem__(self, key: str) -> None:
        if self._storage is None:
            raise KeyError(key)
        del self._storage[key]

    def __contains__(self, key: object) -> bool:
        return self._storage is not None and key in self._storage

    def get(self, key: str, default: object = None) -> Any:
        """Return a value stored with ``request[key] = value``, else ``default``."""
        if self._storage is None:
            return default
        return self._storage.get(key, default)

    # -- the user's state and the request's id (computed on first access) ----
    # Both live in the instance ``__dict__`` once made: a request that never
    # touches them pays nothing.

    @cached_property
    def ctx(self) -> SimpleNamespace:
        """A namespace for the user's per-request state (``request.ctx.user = u``).

        Created empty on first access; beside ``request['key']`` storage, which
        it does not share.
        """
        return SimpleNamespace()

    @cached_property
    def id(self) -> str:
        """The request's id: the ``X-Request-ID`` header when it is valid, else a
        new random one (``uuid4().hex``, 32 hex digits).

        A valid header value has 1 to ``max_request_id_length`` (128) characters,
        each a letter, digit or one of ``. _ : + / = @ -``; any other value (too
        long, spaces, control characters, an empty one) is replaced by a
        generated id, so the id is always safe to log. Computed on first access
        and then fixed; assigning ``request.id`` replaces it.
        """
        value = self.headers.get(self.request_id_header)
        if (
            value is not None
            and len(value) <= self.max_request_id_length
            and _REQUEST_ID.fullmatch(value)
        ):
            return value
        return uuid4().hex

    # -- query string ------------------------------------------------------

    def get_query_args(
        self,
        keep_blank_values: bool = False,
        strict_parsing: bool = False,
        encoding: str = "utf-8",
        errors: str = "replace",
    ) -> list[tuple[str, str]]:
        """Parse the query string into ``(name, value)`` pairs.

        Args:
            keep_blank_values: Keep names whose value is blank, as ``""``.
            strict_parsing: Raise on malformed fields and bad percent-escapes
                instead of ignoring them.
            encoding: Charset of percent-decoded bytes.
            errors: How undecodable bytes are handled, as for
                :meth:`bytes.decode`.

        Returns:
            The pairs in order, e.g. ``[("key1", "value1"), ("key2", "value2")]``.

        Raises:
            RequestParseError: Via :meth:`parse_error`, on malformed input under
                ``strict_parsing`` or ``errors="strict"``, or too many fields.
        """
        try:
            return parse_urlencoded(
                self._raw_query,
                keep_blank_values=keep_blank_values,
                strict_parsing=strict_parsing,
                encoding=encoding,
                errors=errors,
                max_fields=self.max_fields,
                limit_status=400,
            )
        except RequestParseError as err:
            self._fail(err, err.__cause__)

    def get_args(
        self,
        keep_blank_values: bool = False,
        strict_parsing: bool = False,
        encoding: str = "utf-8",
        errors: str = "replace",
    ) -> RequestParameters:
        """Parse the query string into a :class:`RequestParameters`.

        Takes the same arguments as :meth:`get_query_args`.

        Returns:
            Each name mapped to its list of values.
        """
        return group_pairs(
            self.get_query_args(keep_blank_values, strict_parsing, encoding, errors)
        )

    @property
    def query_args(self) -> list[tuple[str, str]]:
        """The query as ``(name, value)`` pairs, parsed with the defaults."""
        if self._query_args is None:
            self._query_args = self.get_query_args()
        return self._query_args

    @property
    def args(self) -> RequestParameters:
        """The query as :class:`RequestParameters`, parsed with the defaults."""
        if self._args is None:
            self._args = group_pairs(self.query_args)
        return self._args

    @property
    def raw_args(self) -> dict[str, str]:
        """The query string's first value for each name (Sanic 18.12's name)."""
        return {name: values[0] for name, values in self.args.items()}

    # -- body --------------------------------------------------------------

    async def receive_body(self) -> None:
        """Read what remains of :attr:`stream` into :attr:`body`.

        On a streaming route ``body`` is ``b""`` until this is awaited; then it
        holds every byte not read from the stream before. Without a stream (the
        server read the whole body already) this does nothing.

        Raises:
            BaseException: What the stream raises (e.g. the server's 413).
        """
        if self.stream is not None:
            self.body += b"".join([chunk async for chunk in self.stream])

    @property
    def content_type(self) -> str:
        """The Content-Type header, or ``default_content_type`` when absent."""
        return self.headers.get("Content-Type", self.default_content_type)

    @property
    def json(self) -> Any:
        """The body decoded as JSON; None when the body is empty.

        Raises:
            RequestParseError: Via :meth:`parse_error` (400) on invalid JSON,
                invalid UTF-8 or nesting deeper than ``max_json_depth``.
        """
        if self._json is _UNSET:
            self._json = self._load_json()
        return self._json

    def load_json(self, loads: Callable[[bytes], object] | None = None) -> Any:
        """Decode the body as JSON, with ``loads`` instead of ``json_loads``.

        The value is cached as :attr:`json`; errors are as for :attr:`json`.
        Without ``loads`` this is the same as reading :attr:`json`.

        Args:
            loads: A decoder taking the body's bytes (``json.loads`` works).
        """
        if loads is None:
            return self.json
        self._json = self._load_json(loads)
        return self._json

    def _load_json(self, loads: Callable[[bytes], object] | None = None) -> Any:
        body = self.body
        if not body:
            return None
        try:
            value = (loads or self.json_loads)(body)
        except (ValueError, RecursionError) as err:
            message = f"Failed when parsing body as json: {err}"
            self._fail(RequestParseError(message), err)
        # Nesting deeper than the limit takes more than ``limit`` opening brackets
        # and as many closing ones: a shorter body is not counted at all, and only
        # a body with more brackets than the limit is walked.
        limit = self.max_json_depth
        if (
            len(body) > 2 * limit + 1
            and body.count(b"[") + body.count(b"{") > limit
            and _json.too_deep(value, limit)
        ):
            self._fail(RequestParseError(f"JSON nested deeper than {limit} levels"))
        return value

    @property
    def form(self) -> RequestParameters:
        """Fields of a urlencoded or multipart body (empty for other types)."""
        if self._form is None:
            self._parse_body()
        assert self._form is not None
        return self._form

    @property
    def files(self) -> RequestParameters:
        """Uploaded :class:`File` objects of a multipart body, by field name."""
        if self._files is None:
            self._parse_body()
        assert self._files is not None
        return self._files

    def _parse_body(self) -> None:
        mime, params = parse_options_header(self.content_type)
        form = files = None
        try:
            if mime == "application/x-www-form-urlencoded":
                form = group_pairs(
                    parse_urlencoded(
                        self.body,
                        keep_blank_values=True,
                        encoding=params.get("charset") or "utf-8",
                        max_fields=self.max_fields,
                    )
                )
            elif mime == "multipart/form-data":
                fields, uploads = parse_multipart(
                    self.body,
                    params.get("boundary", ""),
                    max_parts=self.max_fields,
                    max_part_size=self.max_part_size,
                    max_header_size=self.max_part_header_size,
                )
                form, files = group_pairs(fields), group_pairs(uploads)
        except RequestParseError as err:
            self._fail(err, err.__cause__)
        self._form = form if form is not None else RequestParameters()
        self._files = files if files is not None else RequestParameters()

    # -- headers -----------------------------------------------------------

    @property
    def headers(self) -> CIMultiDict[str]:
        """The request headers, case-insensitive; repeated names keep every value."""
        headers = self._headers
        if headers.__class__ is list:
            if headers and headers[0][0].__class__ is bytes:
                headers = decode_header_pairs(headers)
            else:
                headers = CIMultiDict(headers)
            self._headers = headers
        result: CIMultiDict[str] = headers
        return result

    @headers.setter
    def headers(self, value: HeadersInput) -> None:
        self._headers = stored_headers(value)

    @property
    def cookies(self) -> dict[str, str]:
        """Cookies from the Cookie header(s), by name."""
        if self._cookies is None:
            values = self.headers.getall("Cookie", ())
            self._cookies = parse_cookie_header("; ".join(values)) if values else {}
        return self._cookies

    @property
    def token(self) -> str | None:
        """The Authorization header; for ``Bearer``/``Token`` only the credential.

        ``Authorization: Basic YWRtaW46YWRtaW4=`` gives the whole value,
        ``Authorization: Bearer abc`` gives ``"abc"``.
        """
        value = self.headers.get("Authorization")
        if value is None:
            return None
        scheme, sep, credential = value.strip().partition(" ")
        # auth-scheme is case-insensitive (RFC 7235 section 2.1).
        if sep and scheme.lower() in ("bearer", "token"):
            return credential.strip()
        return value

    # -- routing ------------------------------------------------------------

    def url_for(self, view_name: str, **kwargs: object) -> str:
        """Build an external URL for ``view_name`` with this request's scheme/host.

        Args:
            view_name: The handler's name, as for the app's ``url_for``.
            **kwargs: Path and query parameters, passed on.

        Returns:
            The URL built by ``self.app.url_for``.

        Raises:
            RuntimeError: When the request has no app.
        """
        if self.app is None:
            raise RuntimeError("url_for needs request.app to be set")
        url: str = self.app.url_for(
            view_name, _external=True, _scheme=self.scheme, _server=self.host, **kwargs
        )
        return url


def parse_multipart_form(
    body: bytes, boundary: bytes | str
) -> tuple[RequestParameters, RequestParameters]:
    """Parse a ``multipart/form-data`` body into fields and files (Sanic 0.4's name).

    The limits are :class:`Request`'s defaults (``max_fields``,
    ``max_part_size``, ``max_part_header_size``).

    Args:
        body: The whole body.
        boundary: The ``boundary`` parameter of its Content-Type.

    Returns:
        ``(fields, files)``: text values and :class:`File` objects by field name.

    Raises:
        RequestParseError: 400 when the body is malformed, 413 over a limit.
    """
    if isinstance(boundary, bytes):
        boundary = boundary.decode("latin-1")
    fields, files = parse_multipart(
        body,
        boundary,
        max_parts=Request.max_fields,
        max_part_size=Request.max_part_size,
        max_header_size=Request.max_part_header_size,
    )
    return group_pairs(fields), group_pairs(files)
