"""Reading a request's head and body: the httptools callbacks of the protocol.

:class:`RequestReader` holds the parser callbacks of :class:`HttpProtocol` that
build a request from the wire and enforce the limits on its parts as they arrive:
the request target (414), the header section (431), the framing rules RFC 9112
adds to what llhttp accepts (400), the body size (413) and ``Expect:
100-continue``. A limit is enforced by raising :class:`Refused` inside the
callback; the protocol's ``data_received`` turns it into the answer.

What is read of one request lives in one :class:`Incoming` record, created when
the request begins and dropped when it is complete (so the body's pieces do not
outlive the joined body). Beginning and completing a request, timing and the
connection's state machine stay in ``_protocol``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sanic_request import Request

from ._exceptions import HeaderTooLarge, InvalidUsage, PayloadTooLarge, URITooLong
from ._refusal import Refused
from ._state import HEADED, State

if TYPE_CHECKING:
    from httptools import HttpRequestParser

__all__ = ["CONTINUE", "Incoming", "RequestReader"]

# RFC 9110 §10.1.1: the interim response that tells a client to send its body.
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


# Lengths of the header names the protocol itself reads (host, expect,
# content-length, transfer-encoding): a cheap filter before lower-casing a name.
_WATCHED_LENGTHS = frozenset({4, 6, 14, 17})
_READY = State.READY


class Incoming:
    """What has been read of the request that is arriving (one per request)."""

    __slots__ = (
        "body",
        "body_size",
        "chunks",
        "codings",
        "continue_pending",
        "expect",
        "head_size",
        "headers",
        "hosts",
        "keep_alive",
        "length",
        "request",
        "url",
        "wire",
    )

    def __init__(self) -> None:
        self.wire = 0  # bytes received since the read in which the request began
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.hosts = 0
        self.codings: list[bytes] | None = None
        self.length: bytes | None = None
        self.expect: bytes | None = None
        self.head_size = 0
        self.body: list[bytes] | None = None
        self.body_size = 0
        self.chunks = 0
        self.request: Request | None = None
        self.keep_alive = False
        self.continue_pending = False


def _check_transfer_coding(codings: list[bytes], version: str) -> None:
    """Refuse what llhttp accepts in Transfer-Encoding but RFC 9112 §6.1 does not.

    llhttp already refuses it with Content-Length, a last coding other than
    ``chunked`` and ``chunked`` twice. Left are a second header line, HTTP/1.0
    (whose framing is then faulty) and codings before ``chunked`` that this
    server cannot decode (400 rather than the optional 501: the body cannot be
    framed safely either way).
    """
    if len(codings) > 1:
        raise Refused(InvalidUsage("Bad Request: more than one Transfer-Encoding"))
    if version == "1.0":
        raise Refused(InvalidUsage("Bad Request: Transfer-Encoding in HTTP/1.0"))
    if codings[0].strip(b" \t").lower() != b"chunked":
        raise Refused(InvalidUsage("Bad Request: unsupported transfer coding"))


class RequestReader:
    """The parser callbacks of :class:`~sanic_http.HttpProtocol` (a mixin).

    They work on the protocol's current :class:`Incoming` record; the few
    connection fields they read are declared here and set by ``HttpProtocol``.
    """

    transport: asyncio.Transport
    request_max_size: int
    _in: Incoming
    _recv: State
    _parser: HttpRequestParser
    _serve: State
    _request_class: type[Request]
    _app: object
    _keep_alive_enabled: bool
    _max_url: int
    _max_header_size: int
    _max_header_count: int

    def on_url(self, url: bytes) -> None:
        """httptools: a piece of the request target."""
        incoming = self._in
        url = incoming.url + url
        if len(url) > self._max_url:
            raise Refused(URITooLong("URI Too Long"))
        incoming.url = url

    def on_header(self, name: bytes, value: bytes) -> None:
        """httptools: one complete header (or trailer) field."""
        incoming = self._in
        incoming.head_size += len(name) + len(value) + 4
        if incoming.request is None:
            incoming.headers.append((name, value))
            count = len(incoming.headers)
            if len(name) in _WATCHED_LENGTHS:
                _watch(incoming, name.lower(), value)
        else:
            # RFC 9112 §7.1.2: trailer fields may be discarded; they still count.
            count = self._max_header_count
        if incoming.head_size > self._max_header_size or count > self._max_header_count:
            raise Refused(HeaderTooLarge("Request Header Fields Too Large"))

    def on_headers_complete(self) -> None:
        """httptools: build the request and check what its headers announce."""
        self._recv = HEADED
        incoming = self._in
        parser = self._parser
        version = parser.get_http_version()
        incoming.request = self._request_class(
            incoming.url,
            incoming.headers,  # decoded by the request if a handler reads them
            version,
            parser.get_method().decode("ascii"),
            transport=self.transport,
            app=self._app,
        )
        incoming.keep_alive = self._keep_alive_enabled and parser.should_keep_alive()
        # What llhttp lets through but RFC 9112 forbids; checked once per head.
        hosts = incoming.hosts
        if hosts != 1 and (hosts or version != "1.0"):
            # §3.2: HTTP/1.1 needs exactly one Host; no version may send two.
            raise Refused(InvalidUsage("Bad Request: exactly one Host is required"))
        if version != "1.1" and version != "1.0":
            raise Refused(InvalidUsage("Bad Request: unsupported HTTP version"))
        if incoming.codings is not None:
            _check_transfer_coding(incoming.codings, version)
        length = incoming.length
        if length is not None and int(length) > self.request_max_size:
            raise Refused(PayloadTooLarge("Payload Too Large"))
        expect = incoming.expect
        if (
            expect is not None
            and expect.lower() == b"100-continue"
            and version != "1.0"
        ):
            if self._serve is _READY:
                self.transport.write(CONTINUE)
            else:
                # Interim responses must not overtake earlier final ones.
                incoming.continue_pending = True

    def on_chunk_header(self) -> None:
        """httptools: a chunk of a chunked body begins."""
        self._in.chunks += 1

    def on_body(self, body: bytes) -> None:
        """httptools: a piece of the body (already de-chunked)."""
        incoming = self._in
        size = incoming.body_size + len(body)
        if size > self.request_max_size:
            raise Refused(PayloadTooLarge("Payload Too Large"))
        incoming.body_size = size
        if incoming.body is None:
            incoming.body = [body]
        else:
            incoming.body.append(body)


def _watch(incoming: Incoming, name: bytes, value: bytes) -> None:
    """Keep the fields the protocol acts on (the request decodes the rest)."""
    if name == b"host":
        incoming.hosts += 1
    elif name == b"content-length":
        incoming.length = value
    elif name == b"transfer-encoding":
        if incoming.codings is None:
            incoming.codings = [value]
        else:
            incoming.codings.append(value)
    elif name == b"expect":
        incoming.expect = value
