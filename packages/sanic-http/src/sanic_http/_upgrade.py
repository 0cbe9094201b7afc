"""The upgrade hand-off: ``101 Switching Protocols`` gives the connection away.

A request with ``Connection: upgrade`` and ``Upgrade: <protocols>`` (RFC 9110
§7.8) is handled like any other, with one more answer open to its handler: an
:class:`UpgradeResponse`. When the handler writes one, the connection

1. writes the ``101`` head (its ``Upgrade`` names the protocol, ``Connection:
   upgrade``),
2. lets go of the connection: no HTTP timer fires for it again, its parser is
   dropped, it leaves the server's ``connections``,
3. hands the transport to a new :class:`UpgradedProtocol` from the response's
   factory: ``transport.set_protocol(new)``, ``new.connection_made(transport)``,
   then ``new.data_received(tail)`` with the bytes the client sent right behind
   the request's head (if any), and reading resumes.

The new protocol stands in the server's ``connections`` until its connection
is lost, so shutdown reaches it: ``begin_shutdown()`` is called when the server
stops, and its transport is cut when the grace period ends.

Which requests may switch is decided once, when the head is complete, and only
for requests that ask to upgrade: ``ServerSettings.upgrade_check`` (the app's
routes), an HTTP/1.1 request, and a protocol the client offered. Any other
request is served as HTTP (the connection closes after the answer, since what
the client sends next may not be HTTP); an :class:`UpgradeResponse` to it is
answered 500. Nothing here runs for ordinary requests.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import cast

from sanic_request import Request

from ._head import upgrade_head
from ._response import HeadersArg
from ._streaming import StreamingHTTPResponse
from ._syntax import TOKEN

__all__ = ["ProtocolFactory", "UpgradeResponse", "UpgradedProtocol", "offered"]

# RFC 9110 §7.8: protocol = protocol-name ["/" protocol-version], both tokens.
_PROTOCOL = re.compile(f"{TOKEN.pattern}(?:/{TOKEN.pattern})?")


def offered(request: Request) -> frozenset[str]:
    """The protocols a request's ``Upgrade`` header offers, lower-cased.

    Each is offered both as written (``name/version``) and by its name alone,
    so ``Upgrade: echo/1`` matches a route that accepts ``echo``.
    """
    tokens: set[str] = set()
    for value in request.headers.getall("upgrade", ()):
        for item in value.split(","):
            token = item.strip(" \t").lower()
            if token:
                tokens.add(token)
                tokens.add(token.partition("/")[0])
    return frozenset(tokens)


class UpgradedProtocol(asyncio.Protocol):
    """Base of a protocol that takes over a connection after ``101``.

    Subclass it, override ``data_received`` (and whatever else the protocol
    needs), and call ``super()`` in ``connection_made`` and ``connection_lost``:
    they keep the connection in the server's ``connections`` while it is open,
    which is how shutdown reaches it.

    Attributes:
        transport: The connection's transport (from ``connection_made``).
        request: The request that asked for the upgrade (set before
            ``connection_made``).
    """

    transport: asyncio.Transport
    request: Request | None = None
    #: The server's open connections (None: not handed over by a server).
    _connections: set[asyncio.Protocol] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport; stand in the server's connections."""
        self.transport = cast("asyncio.Transport", transport)
        if self._connections is not None:
            self._connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        """Leave the server's connections (and let go of the request)."""
        if self._connections is not None:
            self._connections.discard(self)
        self.request = None

    def begin_shutdown(self) -> None:
        """The server is stopping: end the conversation within the grace period.

        Nothing by default: the connection stays until its peer ends it or the
        grace period ends (then its transport is cut). A protocol with a closing
        handshake (a WebSocket's close 1001) starts it here.
        """

    def _attach(self, connections: set[asyncio.Protocol], request: Request) -> None:
        """Called by the hand-off before ``connection_made``."""
        self._connections = connections
        self.request = request


#: What an :class:`UpgradeResponse` calls for the protocol that takes over.
ProtocolFactory = Callable[[], UpgradedProtocol]


class UpgradeResponse(StreamingHTTPResponse):
    """``101 Switching Protocols``: hand the connection to another protocol.

    Written by a handler to a request that asked to upgrade to ``protocol``
    (its ``Upgrade`` header offered it, and ``ServerSettings.upgrade_check``
    accepted it); the server then writes the head and hands the transport to
    ``protocol_factory()`` (see the module docstring). It is a streamed response
    in that what follows its head is produced after it is sent; it has no body.

    Args:
        protocol_factory: Returns the :class:`UpgradedProtocol` that takes over.
        protocol: The protocol switched to, as the ``Upgrade`` header names it
            (``websocket``, ``name/version``).
        headers: More headers for the ``101`` (``Sec-WebSocket-Accept``, ...).

    Raises:
        ValueError: ``protocol`` is not a protocol token (RFC 9110 §7.8).
    """

    def __init__(
        self,
        protocol_factory: ProtocolFactory,
        protocol: str,
        headers: HeadersArg = None,
    ) -> None:
        if not isinstance(protocol, str) or not _PROTOCOL.fullmatch(protocol):
            raise ValueError(f"not an upgrade protocol: {protocol!r}")
        super().__init__(_no_body, 101, headers, "")
        self.headers["Upgrade"] = protocol
        self.protocol = protocol
        self.protocol_factory = protocol_factory

    @staticmethod
    def is_protocol(name: str) -> bool:
        """Whether ``name`` is a protocol an ``Upgrade`` header may name
        (``name`` or ``name/version``, RFC 9110 §7.8)."""
        return _PROTOCOL.fullmatch(name) is not None

    #: The protocols a request's ``Upgrade`` header offers (see :func:`offered`).
    offered = staticmethod(offered)

    def head(self, version: str = "1.1") -> bytes:
        """The ``101`` head: these headers, ``Upgrade`` and ``Connection``.

        Raises:
            InvalidHeaderError: If a header name or value is unsafe to write.
        """
        return upgrade_head(version, self._headers, self._cookies)

    async def send(self, *args: object, **kwargs: object) -> bool:
        """Not available: the server's hand-off writes an ``UpgradeResponse``.

        Raises:
            TypeError: Always.
        """
        raise TypeError("an UpgradeResponse is written by the server's hand-off")


async def _no_body(response: StreamingHTTPResponse) -> None:
    """An upgrade's "body" is the new protocol's."""
