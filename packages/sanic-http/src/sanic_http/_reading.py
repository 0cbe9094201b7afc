"""Reading a request's head and body: the httptools callbacks of the protocol.

:class:`RequestReader` holds the parser callbacks of :class:`HttpProtocol` that
build a request from the wire and enforce the limits on its parts as they arrive:
the request target (414), the header section (431), the framing rules RFC 9112
adds to what llhttp accepts (400), the body size (413) and ``Expect:
100-continue``. A limit is enforced by raising :class:`Refused` inside the
callback; the protocol's ``data_received`` turns it into the answer.

What is read of one request lives in one :class:`Incoming` record, created when
the request begins and dropped when it is complete (so the body's pieces do not
outlive the joined body). On a streaming route (``ServerSettings.stream_check``)
the body goes to the request's :class:`~sanic_request.RequestStream` instead,
whose handler starts at the head: reading pauses while the stream holds more
than ``stream_high_water`` unread bytes, each piece restarts the idle deadline
(``request_timeout``), and ``100 Continue`` waits for the handler's first read.
Beginning and completing a request, timing and the connection's state machine
stay in ``_connection``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from sanic_request import Request, RequestStream

from ._exceptions import HeaderTooLarge, InvalidUsage, PayloadTooLarge, URITooLong
from ._refusal import Refused
from ._state import BODY as _BODY
from ._state import HEAD as _HEAD
from ._state import HEADED, State
from ._state import READY as _READY

#: The deadline of what has none (a timer never fires for it).
NEVER = float("inf")

if TYPE_CHECKING:
    from httptools import HttpRequestParser

__all__ = ["CONTINUE", "NEVER", "Incoming", "RequestReader"]

# RFC 9110 §10.1.1: the interim response that tells a client to send its body.
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


# Lengths of the header names the protocol itself reads (host, expect,
# content-length, transfer-encoding): a cheap filter before lower-casing a name.
_WATCHED_LENGTHS = frozenset({4, 6, 14, 17})


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
        "stream",
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
        self.stream: RequestStream | None = None  # on a streaming route


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
    _stream_check: Callable[[Request], bool] | None
    _stream_high_water: int
    _recv_deadline: float
    _timer_at: float
    _reading_paused: bool
    loop: asyncio.AbstractEventLoop
    request_timeout: float

    def _arm(self) -> None:
        raise NotImplementedError  # the connection's timer

    def _dispatch(self, request: Request, keep_alive: bool) -> None:
        raise NotImplementedError  # the connection's: start or queue the handler

    def _read_if_free(self) -> None:
        raise NotImplementedError  # the connection's: resume reading if it may

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
            if name == b"Host":  # the one header every request has: no call
                incoming.hosts += 1
            elif name == b"Content-Length":  # every body's, as clients spell it
                incoming.length = value
            elif len(name) in _WATCHED_LENGTHS:
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
        incoming.request = request = self._request_class(
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
        wants_continue = (
            expect is not None
            and expect.lower() == b"100-continue"
            and version != "1.0"
        )
        check = self._stream_check
        if check is not None and check(request):
            # A streaming route: the handler starts now and reads the body as it
            # arrives; 100 Continue waits for its first read.
            self._start_stream(incoming, wants_continue)
        elif wants_continue:
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
        if incoming.stream is not None:
            self._feed_stream(incoming.stream, body)
        elif incoming.body is None:
            incoming.body = [body]
        else:
            incoming.body.append(body)

    # -- streamed request bodies -------------------------------------------------

    def _start_stream(self, incoming: Incoming, wants_continue: bool) -> None:
        """Give the request a body stream and start its handler at once."""
        request = incoming.request
        assert request is not None
        incoming.stream = request.stream = RequestStream(
            high_water=self._stream_high_water,
            pause=self._pause_stream,
            resume=self._resume_stream,
            on_first_read=self._send_continue if wants_continue else None,
        )
        length = incoming.length
        if incoming.codings is None and (length is None or not int(length)):
            request.stream.feed_eof()  # no body: the stream is complete already
        self._dispatch(request, incoming.keep_alive)

    def _feed_stream(self, stream: RequestStream, body: bytes) -> None:
        if stream.done:
            return  # failed (the handler returned, or an error): discard
        # Each piece restarts the idle deadline (request_timeout between pieces).
        self._recv_deadline = self.loop.time() + self.request_timeout
        stream.feed_data(body)

    def _pause_stream(self) -> None:
        """The handler has not taken what was fed: stop reading (no deadline)."""
        self._recv_deadline = NEVER
        if not self._reading_paused:
            self._reading_paused = True
            self.transport.pause_reading()

    def _resume_stream(self) -> None:
        """The handler took the data: read on, and the idle deadline runs again."""
        recv = self._recv
        if recv is _HEAD or recv is _BODY:
            self._recv_deadline = at = self.loop.time() + self.request_timeout
            if at < self._timer_at:
                self._arm()
        self._read_if_free()

    def _send_continue(self) -> None:
        """The handler's first read: ask for the body if it has not come yet."""
        recv = self._recv
        if (recv is _HEAD or recv is _BODY) and not self.transport.is_closing():
            self.transport.write(CONTINUE)


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
