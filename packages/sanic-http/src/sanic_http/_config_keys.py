"""The configuration keys: one table of names, defaults, types and meanings.

Every limit, timeout and switch a Sanic app reads from its config is one
:class:`ConfigKey` row here, and nothing else writes its default:

* ``sanic.config.DEFAULT_CONFIG`` is ``{row.key: row.default for row in CONFIG_KEYS}``;
* each :class:`~sanic_http.ServerSettings` field defaults to its row's default, and
  ``ServerSettings.from_config(config)`` reads the rows back from a config;
* a key with a ``request_attribute`` (``REQUEST_MAX_FORM_FIELDS``, the proxy
  settings) defaults to that attribute of ``sanic_request.Request``, the request
  parser's own default, which the server applies per app (a subclass).

``docs/configuration.md`` lists every row and ``docs/limits-and-security.md`` the
limits (``limit=True``); a test keeps both equal to this table.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Generic, TypeVar

from sanic_request import Request

__all__ = ["CONFIG_KEYS", "ConfigKey"]

T = TypeVar("T", covariant=True)

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclasses.dataclass(frozen=True)
class ConfigKey(Generic[T]):
    """One configuration key.

    Attributes:
        key: The config name, such as ``"REQUEST_TIMEOUT"``.
        field: The :class:`~sanic_http.ServerSettings` field it sets, or ``None``
            for a key only the app (or the request parser) reads.
        kind: The value's type: ``bool``, ``int``, ``float`` or ``str``.
        default: The value an app starts with.
        doc: What it controls, in one line.
        limit: Whether it bounds what a peer can make the server do (these are
            the keys docs/limits-and-security.md lists).
        optional: Whether ``None`` is a valid value (it turns the feature off).
        request_attribute: The :class:`~sanic_request.Request` class attribute
            it sets (``ServerSettings.from_config`` gives a subclass with the
            app's value), or ``None``.
    """

    key: str
    field: str | None
    kind: type
    default: T
    doc: str
    limit: bool = False
    optional: bool = False
    request_attribute: str | None = None

    def convert(self, value: object) -> object:
        """``value`` as this key's ``kind``: how a config value is read.

        A string becomes a ``bool`` (``1``/``true``/``yes``/``on``,
        ``0``/``false``/``no``/``off``, any case), an ``int`` or a ``float`` when
        the key has that type, and stays a string for a ``str`` key (``"12345"``
        too); ``None`` (or the string ``none`` for an ``optional`` key) turns an
        optional feature off. An ``int`` serves a ``float`` key, a whole float an
        ``int`` key, ``0``/``1`` a ``bool`` key; a ``bool`` is no number.

        Raises:
            ValueError: ``value`` is not one of this key's type; the message
                names the key, the value and the default.
        """
        kind = self.kind
        if value is None and (self.default is None or self.optional):
            return None
        if self.optional and isinstance(value, str) and value.strip().lower() == "none":
            return None
        if isinstance(value, str) and kind is not str:
            text = value.strip().lower()
            if kind is bool and text in _TRUE | _FALSE:
                return text in _TRUE
            if kind is int or kind is float:
                with contextlib.suppress(ValueError):
                    return int(text) if kind is int else float(text)
        elif kind is bool and isinstance(value, int):  # True, False, 0, 1
            return bool(value)
        elif isinstance(value, bool):
            pass  # not a number, whatever int() thinks
        elif kind is int and isinstance(value, float) and value.is_integer():
            return int(value)
        elif kind is float and isinstance(value, int | float):
            return float(value)
        elif isinstance(value, kind):
            return value
        raise ValueError(
            f"config {self.key}={value!r} is not a valid {kind.__name__} "
            f"(default {self.default!r}: {self.doc})"
        )


DEBUG: ConfigKey[bool] = ConfigKey(
    "DEBUG", "debug", bool, False, "debug mode (`app.run(debug=True)` sets it)"
)
SERVER_NAME: ConfigKey[str | None] = ConfigKey(
    "SERVER_NAME",
    None,
    str,
    None,
    "the server of `url_for(..., _external=True)` and of `request.server_name`",
)
FALLBACK_ERROR_FORMAT: ConfigKey[str] = ConfigKey(
    "FALLBACK_ERROR_FORMAT",
    None,
    str,
    "auto",
    "format of error answers for routes without an `error_format`: `auto` (by "
    "`Accept`), `json`, `html` or `text`",
)
REQUEST_MAX_SIZE: ConfigKey[int] = ConfigKey(
    "REQUEST_MAX_SIZE",
    "request_max_size",
    int,
    100_000_000,
    "largest request body in bytes; larger: `413`",
    limit=True,
)
REQUEST_TIMEOUT: ConfigKey[float] = ConfigKey(
    "REQUEST_TIMEOUT",
    "request_timeout",
    float,
    60.0,
    "seconds to receive a whole request; slower: `408`",
    limit=True,
)
RESPONSE_TIMEOUT: ConfigKey[float] = ConfigKey(
    "RESPONSE_TIMEOUT",
    "response_timeout",
    float,
    60.0,
    "seconds a handler may take; longer: `503`",
    limit=True,
)
KEEP_ALIVE: ConfigKey[bool] = ConfigKey(
    "KEEP_ALIVE",
    "keep_alive",
    bool,
    True,
    "whether a connection may carry more than one request",
    limit=True,
)
KEEP_ALIVE_TIMEOUT: ConfigKey[float] = ConfigKey(
    "KEEP_ALIVE_TIMEOUT",
    "keep_alive_timeout",
    float,
    5.0,
    "seconds an idle keep-alive connection stays open",
    limit=True,
)
GRACEFUL_SHUTDOWN_TIMEOUT: ConfigKey[float] = ConfigKey(
    "GRACEFUL_SHUTDOWN_TIMEOUT",
    "graceful_shutdown_timeout",
    float,
    15.0,
    "seconds requests in flight get to finish on shutdown",
    limit=True,
)
REQUEST_MAX_HEADER_SIZE: ConfigKey[int] = ConfigKey(
    "REQUEST_MAX_HEADER_SIZE",
    "max_header_size",
    int,
    16_384,
    "bytes of header names, values and separators; more: `431`",
    limit=True,
)
REQUEST_MAX_HEADERS: ConfigKey[int] = ConfigKey(
    "REQUEST_MAX_HEADERS",
    "max_header_count",
    int,
    100,
    "number of header fields; more: `431`",
    limit=True,
)
REQUEST_MAX_URL_SIZE: ConfigKey[int] = ConfigKey(
    "REQUEST_MAX_URL_SIZE",
    "max_url_size",
    int,
    8_192,
    "bytes of the request target; longer: `414`",
    limit=True,
)
REQUEST_MAX_FORM_FIELDS: ConfigKey[int] = ConfigKey(
    "REQUEST_MAX_FORM_FIELDS",
    None,
    int,
    Request.max_fields,
    "fields of a query string (more: `400`), of a form or parts of a multipart "
    "body (more: `413`)",
    limit=True,
    request_attribute="max_fields",
)
REQUEST_STREAM_HIGH_WATER: ConfigKey[int] = ConfigKey(
    "REQUEST_STREAM_HIGH_WATER",
    "stream_high_water",
    int,
    65_536,
    "unread bytes of a streamed request body above which the server stops reading",
    limit=True,
)
REQUEST_CANCEL_ON_DISCONNECT: ConfigKey[bool] = ConfigKey(
    "REQUEST_CANCEL_ON_DISCONNECT",
    "cancel_on_disconnect",
    bool,
    True,
    "cancel a request's handler when its client disconnects",
)
ACCESS_LOG: ConfigKey[bool] = ConfigKey(
    "ACCESS_LOG",
    "access_log",
    bool,
    True,
    "one line per response to the `sanic.access` logger "
    "(`app.run(access_log=...)` overrides it)",
)
TRUST_FORWARDED_HEADERS: ConfigKey[bool] = ConfigKey(
    "TRUST_FORWARDED_HEADERS",
    None,
    bool,
    Request.trust_forwarded_headers,
    "believe `X-Forwarded-Proto`, `-Host` and `-Port` for `request.scheme`, "
    "`server_name` and `server_port`",
    request_attribute="trust_forwarded_headers",
)
FORWARDED_SECRET: ConfigKey[str | None] = ConfigKey(
    "FORWARDED_SECRET",
    None,
    str,
    Request.forwarded_secret,
    "the `secret=` your proxy puts in its RFC 7239 `Forwarded` element; that "
    "element's `for`, `proto` and `host` are then believed first",
    optional=True,
    request_attribute="forwarded_secret",
)
REAL_IP_HEADER: ConfigKey[str | None] = ConfigKey(
    "REAL_IP_HEADER",
    None,
    str,
    Request.real_ip_header,
    "a header your proxy sets to the client's address alone (`X-Real-IP`) for "
    "`request.remote_addr`",
    optional=True,
    request_attribute="real_ip_header",
)
PROXIES_COUNT: ConfigKey[int] = ConfigKey(
    "PROXIES_COUNT",
    None,
    int,
    Request.proxies_count,
    "proxies in front of the app appending to `FORWARDED_FOR_HEADER`; "
    "`request.remote_addr` is the entry that many places from the right "
    "(`0`: not read)",
    request_attribute="proxies_count",
)
FORWARDED_FOR_HEADER: ConfigKey[str] = ConfigKey(
    "FORWARDED_FOR_HEADER",
    None,
    str,
    Request.forwarded_for_header,
    "the address list `PROXIES_COUNT` counts in",
    request_attribute="forwarded_for_header",
)

WEBSOCKET_MAX_SIZE: ConfigKey[int] = ConfigKey(
    "WEBSOCKET_MAX_SIZE",
    "websocket_max_size",
    int,
    1_048_576,
    "largest incoming WebSocket message in bytes; larger: close `1009`",
    limit=True,
)
WEBSOCKET_MAX_QUEUE: ConfigKey[int] = ConfigKey(
    "WEBSOCKET_MAX_QUEUE",
    "websocket_max_queue",
    int,
    32,
    "WebSocket messages received and not yet taken by the handler above which "
    "the server stops reading",
    limit=True,
)
WEBSOCKET_PING_INTERVAL: ConfigKey[float | None] = ConfigKey(
    "WEBSOCKET_PING_INTERVAL",
    "websocket_ping_interval",
    float,
    20.0,
    "seconds between the server's keepalive pings on a WebSocket (`None`: no pings)",
    optional=True,
)
WEBSOCKET_PING_TIMEOUT: ConfigKey[float | None] = ConfigKey(
    "WEBSOCKET_PING_TIMEOUT",
    "websocket_ping_timeout",
    float,
    20.0,
    "seconds a WebSocket peer gets to answer a keepalive ping; later: close `1011` "
    "(`None`: wait forever)",
    limit=True,
    optional=True,
)
WEBSOCKET_PER_MESSAGE_DEFLATE: ConfigKey[bool] = ConfigKey(
    "WEBSOCKET_PER_MESSAGE_DEFLATE",
    "websocket_per_message_deflate",
    bool,
    True,
    "accept per-message deflate compression (RFC 7692) when a WebSocket client "
    "offers it",
)

#: Every configuration key, in the order the docs list them.
CONFIG_KEYS: tuple[ConfigKey[object], ...] = (
    DEBUG,
    SERVER_NAME,
    FALLBACK_ERROR_FORMAT,
    REQUEST_MAX_SIZE,
    REQUEST_TIMEOUT,
    RESPONSE_TIMEOUT,
    KEEP_ALIVE,
    KEEP_ALIVE_TIMEOUT,
    GRACEFUL_SHUTDOWN_TIMEOUT,
    REQUEST_MAX_HEADER_SIZE,
    REQUEST_MAX_HEADERS,
    REQUEST_MAX_URL_SIZE,
    REQUEST_MAX_FORM_FIELDS,
    REQUEST_STREAM_HIGH_WATER,
    REQUEST_CANCEL_ON_DISCONNECT,
    ACCESS_LOG,
    TRUST_FORWARDED_HEADERS,
    FORWARDED_SECRET,
    REAL_IP_HEADER,
    PROXIES_COUNT,
    FORWARDED_FOR_HEADER,
    WEBSOCKET_MAX_SIZE,
    WEBSOCKET_MAX_QUEUE,
    WEBSOCKET_PING_INTERVAL,
    WEBSOCKET_PING_TIMEOUT,
    WEBSOCKET_PER_MESSAGE_DEFLATE,
)
