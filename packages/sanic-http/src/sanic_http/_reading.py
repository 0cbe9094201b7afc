"""Reading a request's head and body: the httptools callbacks of the protocol.

:class:`RequestReader` holds the parser callbacks of :class:`HttpProtocol` that
build a request from the wire and enforce the limits on its parts as they arrive:
the request target (414), the header section (431), the framing rules RFC 9112
adds to what llhttp accepts (400), the body size (413) and ``Expect:
100-continue``. A limit is enforced by raising :class:`Refused` inside the
callback; the protocol's ``data_received`` turns it into the answer. Queueing a
complete request, timing and the connection's state machine stay in
``_protocol``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sanic_request import Request

from ._exceptions import HeaderTooLarge, InvalidUsage, PayloadTooLarge, URITooLong
from ._refusal import Refused

if TYPE_CHECKING:
    from httptools import HttpRequestParser

__all__ = ["CONTINUE", "RequestReader"]

# RFC 9110 §10.1.1: the interim response that tells a client to send its body.
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


# Lengths of the header names the protocol itself reads (host, expect,
# content-length, transfer-encoding): a cheap filter before lower-casing a name.
_WATCHED_LENGTHS = frozenset({4, 6, 14, 17})


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
    """The receiving half of :class:`~sanic_http.HttpProtocol` (a mixin).

    The connection state it shares with the rest of the protocol is declared
    here and set by ``HttpProtocol``.
    """

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    request_timeout: float
    request_max_size: int
    _parser: HttpRequestParser
    _request_class: type[Request]
    _app: object
    _task: asyncio.Task[None] | None
    _fresh: bool
    _receiving: bool
    _in_head: bool
    _continue_pending: bool
    _keep_alive_enabled: bool
    _incoming: Request | None
    _incoming_keep_alive: bool
    _recv_deadline: float
    _timer_at: float
    _max_url: int
    _max_header_size: int
    _max_header_count: int
    _wire: int
    _url: bytes
    _headers: list[tuple[bytes, bytes]]
    _hosts: int
    _codings: list[bytes]
    _length: bytes | None
    _expect: bytes | None
    _head_size: int
    _body: list[bytes]
    _body_size: int
    _chunks: int

    def _arm(self) -> None:
        raise NotImplementedError  # the protocol's timer

    def on_message_begin(self) -> None:
        """httptools: a request starts; its deadline runs from here."""
        self._receiving = True
        self._in_head = True
        self._wire = 0
        self._url = b""
        self._headers = []
        self._hosts = 0
        self._codings = []
        self._length = self._expect = None
        self._head_size = 0
        self._body = []
        self._body_size = 0
        self._chunks = 0
        self._incoming = None
        if self._fresh:
            # The first request's deadline already runs from the connection.
            self._fresh = False
        else:
            self._recv_deadline = at = self.loop.time() + self.request_timeout
            if at < self._timer_at:  # a later deadline waits for the timer
                self._arm()

    def on_url(self, url: bytes) -> None:
        """httptools: a piece of the request target."""
        url = self._url + url
        if len(url) > self._max_url:
            raise Refused(URITooLong("URI Too Long"))
        self._url = url

    def on_header(self, name: bytes, value: bytes) -> None:
        """httptools: one complete header (or trailer) field."""
        self._head_size += len(name) + len(value) + 4
        if self._in_head:
            self._headers.append((name, value))
            count = len(self._headers)
            if len(name) in _WATCHED_LENGTHS:
                self._watch(name.lower(), value)
        else:
            # RFC 9112 §7.1.2: trailer fields may be discarded; they still count.
            count = self._max_header_count
        if self._head_size > self._max_header_size or count > self._max_header_count:
            raise Refused(HeaderTooLarge("Request Header Fields Too Large"))

    def _watch(self, name: bytes, value: bytes) -> None:
        """Keep the fields the protocol acts on (the request decodes the rest)."""
        if name == b"host":
            self._hosts += 1
        elif name == b"content-length":
            self._length = value
        elif name == b"transfer-encoding":
            self._codings.append(value)
        elif name == b"expect":
            self._expect = value

    def on_headers_complete(self) -> None:
        """httptools: build the request and check what its headers announce."""
        self._in_head = False
        parser = self._parser
        version = parser.get_http_version()
        self._incoming = self._request_class(
            self._url,
            self._headers,  # decoded by the request if a handler reads them
            version,
            parser.get_method().decode("ascii"),
            transport=self.transport,
            app=self._app,
        )
        self._incoming_keep_alive = (
            self._keep_alive_enabled and parser.should_keep_alive()
        )
        # What llhttp lets through but RFC 9112 forbids; checked once per head.
        if self._hosts != 1 and (self._hosts or version != "1.0"):
            # §3.2: HTTP/1.1 needs exactly one Host; no version may send two.
            raise Refused(InvalidUsage("Bad Request: exactly one Host is required"))
        if version != "1.1" and version != "1.0":
            raise Refused(InvalidUsage("Bad Request: unsupported HTTP version"))
        if self._codings:
            _check_transfer_coding(self._codings, version)
        length = self._length
        if length is not None and int(length) > self.request_max_size:
            raise Refused(PayloadTooLarge("Payload Too Large"))
        expect = self._expect
        if (
            expect is not None
            and expect.lower() == b"100-continue"
            and version != "1.0"
        ):
            if self._task is None:
                self.transport.write(CONTINUE)
            else:
                # Interim responses must not overtake earlier final ones.
                self._continue_pending = True

    def on_chunk_header(self) -> None:
        """httptools: a chunk of a chunked body begins."""
        self._chunks += 1

    def on_body(self, body: bytes) -> None:
        """httptools: a piece of the body (already de-chunked)."""
        size = self._body_size + len(body)
        if size > self.request_max_size:
            raise Refused(PayloadTooLarge("Payload Too Large"))
        self._body_size = size
        self._body.append(body)
