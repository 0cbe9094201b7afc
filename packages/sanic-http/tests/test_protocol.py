"""HttpProtocol over real sockets, on uvloop and on plain asyncio."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from _live import WAIT, App, AsyncErrors, LiveServer, LoopFactory

from sanic_http import (
    HeaderTooLarge,
    HttpProtocol,
    InvalidUsage,
    PayloadTooLarge,
    RequestTimeout,
    ServerSettings,
    ServiceUnavailable,
    URITooLong,
    stream,
    text,
)


@pytest.fixture
def live(loop_factory: LoopFactory) -> Iterator[LiveServer]:
    with LiveServer(loop_factory) as server:
        yield server


def limited(loop_factory: LoopFactory, **settings: Any) -> LiveServer:
    return LiveServer(loop_factory, settings=ServerSettings(**settings))


# -- keep-alive -----------------------------------------------------------------------


def test_http11_keeps_the_connection_for_the_next_request(live: LiveServer) -> None:
    with live.client() as client:
        first = client.get("/a")
        second = client.get("/b", "X-N: 2\r\n")
    assert (first.status, first.body) == (200, b"ok GET /a")
    assert first.headers["connection"] == "keep-alive"
    assert first.headers["keep-alive"] == "timeout=5"
    assert second.body == b"ok GET /b"
    assert live.connection_count() <= 1


def test_http11_connection_close_is_honoured(live: LiveServer) -> None:
    with live.client() as client:
        response = client.get("/", "Connection: close\r\n")
        assert response.headers["connection"] == "close"
        assert client.closed()


def test_http10_closes_unless_keep_alive_is_asked(live: LiveServer) -> None:
    with live.client() as client:
        client.send(b"GET /x HTTP/1.0\r\n\r\n")
        response = client.response()
        assert (response.version, response.body) == ("1.0", b"ok GET /x")
        assert response.headers["connection"] == "close"
        assert client.closed()
    with live.client() as client:
        client.send(b"GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        assert client.response().headers["connection"] == "keep-alive"
        client.send(b"GET /y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        assert client.response().body == b"ok GET /y"


def test_keep_alive_can_be_switched_off(loop_factory: LoopFactory) -> None:
    with limited(loop_factory, keep_alive=False) as live, live.client() as client:
        assert client.get("/").headers["connection"] == "close"
        assert client.closed()


def test_idle_keep_alive_connection_closes_quietly(loop_factory: LoopFactory) -> None:
    with limited(loop_factory, keep_alive_timeout=0.2) as live, live.client() as client:
        assert client.get("/").status == 200
        started = time.monotonic()
        assert client.closed()  # EOF, no 408 or other bytes
        assert time.monotonic() - started < WAIT


def test_connection_set_tracks_open_connections(live: LiveServer) -> None:
    with live.client() as client:
        client.get("/")
        assert live.connection_count() == 1
        client.send(b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        client.response()
        assert client.closed()
    deadline = time.monotonic() + WAIT
    while live.connection_count() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert live.connection_count() == 0


# -- pipelining ------------------------------------------------------------------------


def test_pipelined_requests_are_answered_in_order_one_at_a_time(
    loop_factory: LoopFactory,
) -> None:
    app = App()
    with LiveServer(loop_factory, handler=app) as live, live.client() as client:
        delays = ["0.15", "0.05", "0", "0.1", "0"]
        client.send(
            b"".join(
                f"GET /slow?{d} HTTP/1.1\r\nHost: t\r\n\r\n".encode() for d in delays
            )
        )
        bodies = [client.response().body for _ in delays]
    assert bodies == [f"slow {d}".encode() for d in delays]
    assert app.max_active == 1


def test_many_pipelined_requests_with_bodies(live: LiveServer) -> None:
    requests = b"".join(
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n%s" % (len(b), b)
        for b in (b"id-%d" % n for n in range(200))
    )
    with live.client() as client:
        client.send(requests)
        bodies = [client.response().body for _ in range(200)]
    assert bodies == [b"id-%d" % n for n in range(200)]


# -- bodies, Expect and HEAD -----------------------------------------------------------


def test_content_length_body(live: LiveServer) -> None:
    with live.client() as client:
        client.send(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhe")
        client.send(b"llo")
        assert client.response().body == b"hello"


def test_chunked_request_body_is_decoded(live: LiveServer) -> None:
    with live.client() as client:
        client.send(
            b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        client.send(b"5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-T: 1\r\n\r\n")
        assert client.response().body == b"hello world"
        assert client.get("/after").body == b"ok GET /after"


def test_expect_100_continue(live: LiveServer) -> None:
    with live.client() as client:
        client.send(
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
            b"Expect: 100-continue\r\n\r\n"
        )
        interim = client.response()
        assert interim.status == 100
        client.send(b"body")
        assert client.response().body == b"body"


def test_expect_100_continue_waits_for_earlier_responses(live: LiveServer) -> None:
    with live.client() as client:
        client.send(
            b"GET /slow?0.1 HTTP/1.1\r\nHost: t\r\n\r\n"
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
            b"Expect: 100-continue\r\n\r\n"
        )
        assert client.response().body == b"slow 0.1"
        assert client.response().status == 100
        client.send(b"ok")
        assert client.response().body == b"ok"


def test_head_has_get_length_and_no_body(live: LiveServer) -> None:
    with live.client() as client:
        get = client.get("/page")
        client.send(b"HEAD /page HTTP/1.1\r\nHost: t\r\n\r\n")
        head = client.response(head=True)
        # Nothing but the next response may follow the HEAD response's header.
        assert client.get("/next").body == b"ok GET /next"
    assert head.status == 200
    assert head.headers["content-length"] == get.headers["content-length"]


def test_header_values_are_decoded(live: LiveServer) -> None:
    with live.client() as client:
        client.send(
            b"GET /headers HTTP/1.1\r\nHost: t\r\n"
            b"X-Utf: caf\xc3\xa9\r\nX-Latin: caf\xe9\r\n\r\n"
        )
        headers = dict(json.loads(client.response().body))
    assert headers["X-Utf"] == "café"
    assert headers["X-Latin"] == "café"


# -- limits ----------------------------------------------------------------------------


def test_content_length_over_limit_is_413_before_the_body(
    loop_factory: LoopFactory,
) -> None:
    with limited(loop_factory, request_max_size=10) as live, live.client() as client:
        client.send(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n")
        response = client.response()
        assert response.status == 413
        assert response.headers["connection"] == "close"
        assert client.closed()
    assert isinstance(live.errors.seen[-1], PayloadTooLarge)


def test_chunked_body_over_limit_is_413(loop_factory: LoopFactory) -> None:
    with limited(loop_factory, request_max_size=10) as live, live.client() as client:
        client.send(
            b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        client.send(b"6\r\nabcdef\r\n6\r\nghijkl\r\n")
        assert client.response().status == 413
        assert client.closed()


def test_413_is_readable_while_the_client_keeps_sending(
    loop_factory: LoopFactory,
) -> None:
    with limited(loop_factory, request_max_size=10) as live, live.client() as client:
        client.send(
            b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        # The server answers after 10 bytes; the rest arrives after its answer and
        # must be drained (lingering close), not answered with a reset.
        for _ in range(256):
            client.send(b"400\r\n" + b"x" * 1024 + b"\r\n")
        assert client.response().status == 413
        assert client.closed()


def test_body_at_the_limit_is_accepted(loop_factory: LoopFactory) -> None:
    with limited(loop_factory, request_max_size=10) as live, live.client() as client:
        client.send(
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789"
        )
        assert client.response().body == b"0123456789"


def test_too_many_headers_is_431(loop_factory: LoopFactory) -> None:
    with limited(loop_factory, max_header_count=5) as live, live.client() as client:
        client.send(b"GET / HTTP/1.1\r\nHost: t\r\n" + b"X-A: 1\r\n" * 6 + b"\r\n")
        assert client.response().status == 431
        assert client.closed()
    assert isinstance(live.errors.seen[-1], HeaderTooLarge)


def test_header_section_too_large_is_431(live: LiveServer) -> None:
    with live.client() as client:
        client.send(
            b"GET / HTTP/1.1\r\nHost: t\r\n"
            + b"X-Big: %s\r\n" % (b"v" * 17_000)
            + b"\r\n"
        )
        assert client.response().status == 431


def test_endless_header_value_is_cut_off(live: LiveServer) -> None:
    with live.client() as client:
        client.send(b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: ")
        # The bound is the header limit plus at most one read's worth of bytes.
        for _ in range(200):
            try:
                client.send(b"v" * 4096)
            except (BrokenPipeError, ConnectionResetError):
                break
        assert client.response().status == 431


def test_eight_kib_header_section_works(live: LiveServer) -> None:
    headers = b"".join(b"X-H%d: %s\r\n" % (n, b"v" * 1000) for n in range(8))
    with live.client() as client:
        client.send(b"GET /fine HTTP/1.1\r\nHost: t\r\n" + headers + b"\r\n")
        assert client.response().body == b"ok GET /fine"


def test_long_url_is_414(live: LiveServer) -> None:
    with live.client() as client:
        client.send(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: t\r\n\r\n")
        assert client.response().status == 414
        assert client.closed()
    assert isinstance(live.errors.seen[-1], URITooLong)


# -- timeouts --------------------------------------------------------------------------


def test_trickled_request_gets_408_at_the_deadline(loop_factory: LoopFactory) -> None:
    with limited(loop_factory, request_timeout=0.4) as live, live.client() as client:
        started = time.monotonic()
        client.send(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n")
        # One byte every 50 ms: each would reset a per-packet timer.
        client.sock.settimeout(0.05)
        response = None
        while response is None and time.monotonic() - started < WAIT:
            client.send(b"x")
            try:
                response = client.response()
            except TimeoutError:
                continue
        assert response is not None
        assert response.status == 408
        assert time.monotonic() - started < 2.0
    assert isinstance(live.errors.seen[-1], RequestTimeout)


def test_async_error_handler_answers_408(loop_factory: LoopFactory) -> None:
    settings = ServerSettings(request_timeout=0.2)
    server = LiveServer(loop_factory, errors=AsyncErrors(), settings=settings)
    with server as live, live.client() as client:
        client.send(b"GET / HTTP/1.1\r\nHost: t\r\n")
        response = client.response()
        assert (response.status, response.body) == (408, b"error: Request Timeout")
        assert client.closed()


def test_silent_new_connection_is_closed(loop_factory: LoopFactory) -> None:
    with limited(loop_factory, request_timeout=0.2) as live, live.client() as client:
        assert client.closed()


def test_slow_stream_is_cut_off_at_the_response_timeout(
    loop_factory: LoopFactory,
) -> None:
    async def handler(request: Any, write: Any) -> None:
        async def body(response: Any) -> None:
            await response.write("started")
            await asyncio.sleep(30)

        await write(stream(body))

    settings = ServerSettings(response_timeout=0.2)
    server = LiveServer(loop_factory, handler=handler, settings=settings)
    with server as live, live.client() as client:
        client.send(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        head = client.read_until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK")
        assert client.read_until(b"started\r\n").endswith(b"7\r\nstarted\r\n")
        assert client.closed()  # no 503 can follow a head already sent


def test_slow_handler_gets_503(loop_factory: LoopFactory) -> None:
    with limited(loop_factory, response_timeout=0.2) as live, live.client() as client:
        response = client.get("/slow?3")
        assert response.status == 503
        assert client.closed()
    assert isinstance(live.errors.seen[-1], ServiceUnavailable)


# -- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        # RFC 9112 §3.2: exactly one Host on HTTP/1.1, never two.
        b"GET / HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        b"GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n",
        # RFC 9112 §6.1: framing llhttp accepts but this server cannot trust.
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: foo, chunked\r\n\r\n",
        b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        # Only HTTP/1.0 and 1.1 are served here.
        b"GET / HTTP/2.0\r\nHost: t\r\n\r\n",
        b"GET /\r\n\r\n",
    ],
)
def test_parser_errors_are_400_and_close(live: LiveServer, data: bytes) -> None:
    with live.client() as client:
        client.send(data)
        assert client.response().status == 400
        assert client.closed()
    assert isinstance(live.errors.seen[-1], InvalidUsage)
    with live.client() as client:
        assert client.get("/").status == 200


def test_http10_needs_no_host_and_chunked_may_be_capitalised(live: LiveServer) -> None:
    with live.client() as client:
        client.send(b"GET / HTTP/1.0\r\n\r\n")
        assert client.response().status == 200
    with live.client() as client:
        client.send(
            b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: Chunked \r\n\r\n"
            b"2\r\nok\r\n0\r\n\r\n"
        )
        assert client.response().body == b"ok"


def test_content_length_with_transfer_encoding_is_400(live: LiveServer) -> None:
    with live.client() as client:
        client.send(
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        )
        assert client.response().status == 400
        assert client.closed()


def test_error_after_pipelined_requests_comes_last(live: LiveServer) -> None:
    with live.client() as client:
        client.send(
            b"GET /slow?0.05 HTTP/1.1\r\nHost: t\r\n\r\n"
            b"GET /b HTTP/1.1\r\nHost: t\r\n\r\nNOPE\r\n\r\n"
        )
        statuses = [client.response().status for _ in range(3)]
        assert statuses == [200, 200, 400]
        assert client.closed()


def test_failing_error_handler_falls_back_to_a_plain_response(
    loop_factory: LoopFactory,
) -> None:
    class Broken:
        def response(self, request: Any, exception: BaseException) -> Any:
            raise RuntimeError("broken error handler")

    with LiveServer(loop_factory, errors=Broken()) as live, live.client() as client:
        client.send(b"NOPE\r\n\r\n")
        response = client.response()
        assert (response.status, response.body) == (400, b"Error: Bad Request")


def test_non_response_is_logged_and_answered_500(
    live: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, "sanic.error"), live.client() as client:
        assert client.get("/string").status == 500
    assert "not a response" in caplog.text


def test_async_500_is_written_before_anything_else(loop_factory: LoopFactory) -> None:
    with (
        LiveServer(loop_factory, errors=AsyncErrors()) as live,
        live.client() as client,
    ):
        client.send(
            b"GET /string HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n"
        )
        response = client.response()
        assert (response.status, response.headers["connection"]) == (500, "close")
        assert client.closed()


def test_handler_exception_is_500(live: LiveServer) -> None:
    with live.client() as client:
        assert client.get("/raise").status == 500
    with live.client() as client:
        assert client.get("/").status == 200


def test_upgrade_request_is_answered_then_closed(live: LiveServer) -> None:
    with live.client() as client:
        client.send(
            b"GET /up HTTP/1.1\r\nHost: t\r\n"
            b"Connection: Upgrade\r\nUpgrade: websocket\r\n\r\nxyz"
        )
        response = client.response()
        assert (response.status, response.headers["connection"]) == (200, "close")
        assert client.closed()


def test_half_closed_client_still_gets_its_response(live: LiveServer) -> None:
    with live.client() as client:
        client.send(b"GET /slow?0.05 HTTP/1.1\r\nHost: t\r\n\r\n")
        client.sock.shutdown(1)
        assert client.response().body == b"slow 0.05"
        assert client.closed()


# -- streaming, custom protocols, logging ----------------------------------------------


def test_streaming_response_is_chunked(live: LiveServer) -> None:
    with live.client() as client:
        response = client.get("/stream")
        assert response.headers["transfer-encoding"] == "chunked"
        assert response.body == b"one,two"
        client.send(b"HEAD /stream HTTP/1.1\r\nHost: t\r\n\r\n")
        assert client.response(head=True).status == 200
        assert client.get("/next").body == b"ok GET /next"


def test_streaming_response_to_http10_ends_by_closing(live: LiveServer) -> None:
    with live.client() as client:
        client.send(b"GET /stream HTTP/1.0\r\n\r\n")
        assert client.response().body == b"one,two"


class CustomHttpProtocol(HttpProtocol):
    # The guide's "Custom Protocols" example, verbatim apart from annotations.
    def __init__(  # type: ignore[no-untyped-def]
        self,
        *,
        loop,
        request_handler,
        error_handler,
        signal,
        connections,
        request_timeout,
        request_max_size,
    ):
        super().__init__(
            loop=loop,
            request_handler=request_handler,
            error_handler=error_handler,
            signal=signal,
            connections=connections,
            request_timeout=request_timeout,
            request_max_size=request_max_size,
        )

    def write_response(self, response):  # type: ignore[no-untyped-def]
        if isinstance(response, str):
            response = text(response)
        self.transport.write(response.output(self.request.version))
        self.transport.close()


def test_guide_custom_protocol_works_verbatim(loop_factory: LoopFactory) -> None:
    server = LiveServer(loop_factory, protocol=CustomHttpProtocol)
    with server as live:
        with live.client() as client:
            response = client.get("/string")
            assert (response.status, response.body) == (200, b"not a response")
            assert client.closed()
        with live.client() as client:
            assert client.get("/x").body == b"ok GET /x"
            assert client.closed()


def test_access_log_only_when_enabled(
    loop_factory: LoopFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, "sanic.access"):
        with limited(loop_factory, access_log=False) as live, live.client() as client:
            client.get("/quiet")
        assert not [r for r in caplog.records if r.name == "sanic.access"]
        with LiveServer(loop_factory) as live, live.client() as client:
            client.get("/loud")  # on by default, as the ACCESS_LOG key is
    records = [r for r in caplog.records if r.name == "sanic.access"]
    assert len(records) == 1
    assert records[0].status == 200  # type: ignore[attr-defined]
    assert "GET /loud" in records[0].getMessage()
