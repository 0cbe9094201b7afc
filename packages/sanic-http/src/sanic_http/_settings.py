"""Server settings: every limit and timeout, with its default, in one value."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sanic_request import Request

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
        access_log: Log one line per response to the ``sanic.access`` logger.
        debug: Log more detail about failures.
        request_class: Called as ``request_class(url_bytes, headers, version,
            method, transport=..., app=...)`` to build each request.
        app: Passed to every request and to the listeners.
    """

    request_timeout: float = 60.0
    response_timeout: float = 60.0
    keep_alive: bool = True
    keep_alive_timeout: float = 5.0
    request_max_size: int = 100_000_000
    max_header_size: int = 16_384
    max_header_count: int = 100
    max_url_size: int = 8_192
    graceful_shutdown_timeout: float = 15.0
    access_log: bool = False
    debug: bool = False
    request_class: Callable[..., Request] = Request
    app: Any = None

    def replace(self, **changes: Any) -> ServerSettings:
        """Return a copy with some fields changed.

        Args:
            **changes: Field names and their new values.

        Returns:
            The new settings.
        """
        return dataclasses.replace(self, **changes)
