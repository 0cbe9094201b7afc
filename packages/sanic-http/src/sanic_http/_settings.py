"""Server settings: every limit and timeout, with its default, in one value.

The defaults are not written here: each field reads its row of the configuration
table (:mod:`sanic_http._config_keys`), and :meth:`ServerSettings.from_config`
reads a whole app config back through the same rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, cast

from sanic_request import Request

from . import _config_keys as keys

__all__ = ["ServerSettings"]


@dataclasses.dataclass(frozen=True)
class ServerSettings:
    """Settings one server binds at startup and every connection reads.

    The protocol's constructor takes only the seven keyword arguments the guide
    documents; ``serve()`` hands the rest to each connection as this object (the
    ``settings`` attribute), so a custom protocol keeps working unchanged.

    Attributes:
        request_timeout: Seconds to receive a whole request, from its first byte
            (the first request of a connection: from the connection); then 408.
        response_timeout: Seconds a handler may take before 503.
        keep_alive: Whether connections may serve more than one request.
        keep_alive_timeout: Seconds an idle keep-alive connection is kept open.
        request_max_size: Largest request body in bytes; more is answered 413.
        max_header_size: Largest header section in bytes (names, values and
            separators); more is answered 431.
        max_header_count: Most header fields in one request; more is answered 431.
        max_url_size: Longest request target in bytes; longer is answered 414.
        graceful_shutdown_timeout: Seconds in-flight requests get to finish after
            SIGINT or SIGTERM before their connections are closed.
        stream_high_water: Unread bytes of a streamed request body above which
            the connection stops reading from its socket (the stream's
            ``high_water``); it reads again once the handler has taken them.
        cancel_on_disconnect: Whether a handler's task is cancelled when its
            client disconnects before the response is complete.
        websocket_max_size: Largest incoming WebSocket message in bytes; a
            larger one closes the connection with 1009; 0: no limit.
        websocket_max_queue: WebSocket messages received and not yet taken by
            the handler above which the connection stops reading (it reads
            again once the handler has taken half of them); 0: no limit.
        websocket_ping_interval: Seconds between keepalive pings on a
            WebSocket; None sends none.
        websocket_ping_timeout: Seconds a WebSocket peer gets to answer a
            keepalive ping before the connection is closed with 1011; None
            waits forever.
        websocket_per_message_deflate: Accept per-message deflate (RFC 7692)
            when a WebSocket client offers it.
        access_log: Log one line per response to the ``sanic.access`` logger
            (on by default, as ``ACCESS_LOG`` is).
        debug: Log more detail about failures.
        request_class: Called as ``request_class(url_bytes, headers, version,
            method, transport=..., app=...)`` to build each request.
        app: Passed to every request and to the listeners.
        stream_check: Called with each request when its head is complete;
            True means the route streams its body (``request.stream``) and the
            handler starts at once. ``None`` (the default, and what an app
            without streaming routes passes) means no request streams, and
            costs nothing per request. Not a config key: the app sets it.
        upgrade_check: Called with a request that asks to upgrade (``Connection:
            upgrade`` and ``Upgrade``), once its head is complete; True means its
            handler may switch protocols with an ``UpgradeResponse`` (the route
            accepts one of the offered protocols). ``None`` lets every handler
            decide. Never called for other requests. Not a config key: the app
            sets it.
    """

    request_timeout: float = keys.REQUEST_TIMEOUT.default
    response_timeout: float = keys.RESPONSE_TIMEOUT.default
    keep_alive: bool = keys.KEEP_ALIVE.default
    keep_alive_timeout: float = keys.KEEP_ALIVE_TIMEOUT.default
    request_max_size: int = keys.REQUEST_MAX_SIZE.default
    max_header_size: int = keys.REQUEST_MAX_HEADER_SIZE.default
    max_header_count: int = keys.REQUEST_MAX_HEADERS.default
    max_url_size: int = keys.REQUEST_MAX_URL_SIZE.default
    graceful_shutdown_timeout: float = keys.GRACEFUL_SHUTDOWN_TIMEOUT.default
    stream_high_water: int = keys.REQUEST_STREAM_HIGH_WATER.default
    cancel_on_disconnect: bool = keys.REQUEST_CANCEL_ON_DISCONNECT.default
    access_log: bool = keys.ACCESS_LOG.default
    websocket_max_size: int = keys.WEBSOCKET_MAX_SIZE.default
    websocket_max_queue: int = keys.WEBSOCKET_MAX_QUEUE.default
    websocket_ping_interval: float | None = keys.WEBSOCKET_PING_INTERVAL.default
    websocket_ping_timeout: float | None = keys.WEBSOCKET_PING_TIMEOUT.default
    websocket_per_message_deflate: bool = keys.WEBSOCKET_PER_MESSAGE_DEFLATE.default
    debug: bool = keys.DEBUG.default
    request_class: type[Request] = Request
    app: object = None
    stream_check: Callable[[Request], bool] | None = None
    upgrade_check: Callable[[Request], bool] | None = None

    def __post_init__(self) -> None:
        # Checked once here, so a bad value stops the start instead of failing
        # every streamed request.
        if self.stream_high_water < 0:
            key = keys.REQUEST_STREAM_HIGH_WATER.key
            raise ValueError(
                f"stream_high_water ({key}) must be 0 or more, "
                f"not {self.stream_high_water!r}"
            )
        sizes: tuple[keys.ConfigKey[object], ...] = (
            keys.WEBSOCKET_MAX_SIZE,
            keys.WEBSOCKET_MAX_QUEUE,
        )
        for row in sizes:
            value = getattr(self, row.field or "")
            if value < 0:
                raise ValueError(
                    f"{row.field} ({row.key}) must be 0 or more, not {value!r}"
                )
        times: tuple[keys.ConfigKey[object], ...] = (
            keys.WEBSOCKET_PING_INTERVAL,
            keys.WEBSOCKET_PING_TIMEOUT,
        )
        for row in times:
            value = getattr(self, row.field or "")
            if value is not None and value <= 0:
                raise ValueError(
                    f"{row.field} ({row.key}) must be more than 0 (or None), "
                    f"not {value!r}"
                )

    @classmethod
    def from_config(
        cls,
        config: Mapping[str, object],
        *,
        request_class: type[Request] = Request,
        app: object = None,
        stream_check: Callable[[Request], bool] | None = None,
        upgrade_check: Callable[[Request], bool] | None = None,
    ) -> ServerSettings:
        """The settings an app's config asks for.

        Every key of the configuration table that ``config`` holds is converted
        to its type (``"30"`` or ``30`` for a float timeout, ``"off"`` for a
        bool); missing keys keep their defaults. A key with a
        ``request_attribute`` (``REQUEST_MAX_FORM_FIELDS``, ``PROXIES_COUNT``,
        ``REAL_IP_HEADER``, ``FORWARDED_SECRET``, ``FORWARDED_FOR_HEADER``,
        ``TRUST_FORWARDED_HEADERS``) whose value differs from
        ``request_class``'s gives a subclass with that value, so one app's
        config never changes another's requests, and the defaults cost nothing.

        Args:
            config: The app's config (any mapping of key to value).
            request_class: The request class to build requests with.
            app: Passed to every request and to the listeners.
            stream_check: The app's test for streaming routes, as the field.
            upgrade_check: The app's test for upgrades, as the field.

        Returns:
            The settings.

        Raises:
            ValueError: A value is not of its key's type (the message names the
                key, the value and the default).
        """
        fields: dict[str, Any] = {}  # each converted to its field's type
        for row in keys.CONFIG_KEYS:
            if row.field is not None and row.key in config:
                fields[row.field] = row.convert(config[row.key])
        namespace: dict[str, object] = {}
        for row in keys.CONFIG_KEYS:
            attribute = row.request_attribute
            if attribute is not None and row.key in config:
                value = row.convert(config[row.key])
                if value != getattr(request_class, attribute):
                    namespace[attribute] = value
        proxies = namespace.get(keys.PROXIES_COUNT.request_attribute or "", 0)
        if isinstance(proxies, int) and proxies < 0:
            raise ValueError(
                f"config {keys.PROXIES_COUNT.key}={proxies!r} must be 0 or more"
            )
        if namespace:
            namespace["__module__"] = request_class.__module__
            namespace["__qualname__"] = request_class.__qualname__
            request_class = cast(
                "type[Request]",
                type(request_class.__name__, (request_class,), namespace),
            )
        made = cls(
            request_class=request_class,
            app=app,
            stream_check=stream_check,
            upgrade_check=upgrade_check,
        )
        return dataclasses.replace(made, **fields)

    def replace(self, **changes: Any) -> ServerSettings:
        """Return a copy with some fields changed.

        Args:
            **changes: Field names and their new values.

        Returns:
            The new settings.
        """
        return dataclasses.replace(self, **changes)
