"""Promises 1-3: message framing, header syntax and chunked bodies.

Where RFC 9112 lets a server choose (for instance refusing obs-fold or unfolding
it), each check accepts every allowed answer and nothing else.
"""

from __future__ import annotations

import json

from ._target import Target
from ._wire import Connection, Failure, check, refused, request, serving

POST = b"POST /echo HTTP/1.1\r\nHost: t\r\n"
CHUNKED = POST + b"Transfer-Encoding: chunked\r\n"

# -- promise 1: framing (RFC 9112 §6.1, §6.2, §6.3) -----------------------------------
# §6.3 ¶3: Content-Length with Transfer-Encoding may be refused, or decoded as
# chunked with the connection closed afterwards. §6.3 ¶5: an invalid or repeated
# Content-Length is unrecoverable (400). §6.1: a Transfer-Encoding whose last coding
# is not "chunked" cannot be framed (400); an unknown coding earns 501. HTTP/1.0
# with Transfer-Encoding has faulty framing (400 and close).


@check(1)
def content_length_with_transfer_encoding(target: Target) -> None:
    data = (
        POST + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n0\r\n\r\nGET /id/smuggled HTTP/1.1\r\nHost: t\r\n\r\n"
    )
    with Connection(target.host, target.port) as conn:
        conn.send(data)
        reply = conn.expect()
        if reply.status == 200 and reply.body != b"abc":
            raise Failure(f"CL+TE body not decoded as chunked: {reply.body!r}")
        if reply.status not in (200, 400):
            raise Failure(f"CL+TE answered {reply.status}")
        if not conn.closes():
            raise Failure("connection kept open after CL+TE (smuggling)")


@check(1)
def duplicate_content_length(target: Target) -> None:
    refused(target, POST + b"Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
    refused(target, POST + b"Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc")


@check(1)
def non_numeric_content_length(target: Target) -> None:
    for value in (b"abc", b"+3", b"-1", b"0x3", b"3 3", b"3, 3", b"1e2"):
        refused(target, POST + b"Content-Length: " + value + b"\r\n\r\nabc")
    huge = POST + b"Content-Length: 99999999999999999999999\r\n\r\nabc"
    refused(target, huge, (400, 413))


@check(1)
def transfer_coding_not_ending_in_chunked(target: Target) -> None:
    for value in (b"chunked, gzip", b"gzip", b"identity"):
        data = POST + b"Transfer-Encoding: " + value + b"\r\n\r\n0\r\n\r\n"
        refused(target, data, (400, 501))


@check(1)
def unknown_transfer_coding(target: Target) -> None:
    for value in (b"foo, chunked", b"xchunked", b"chunked;x=1"):
        data = POST + b"Transfer-Encoding: " + value + b"\r\n\r\n0\r\n\r\n"
        refused(target, data, (400, 501))


@check(1)
def two_transfer_encoding_headers(target: Target) -> None:
    data = (
        POST + b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    )
    refused(target, data)
    data = (
        POST + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"0\r\n\r\n"
    )
    refused(target, data)


@check(1)
def transfer_encoding_on_http10(target: Target) -> None:
    data = (
        b"POST /echo HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n0\r\n\r\n"
    )
    refused(target, data)


@check(1)
def get_body_is_framed_by_content_length(target: Target) -> None:
    body = b"GET /id/inner HTTP/1.1\r\nHost: t\r\n\r\n"
    head = b"GET /echo HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(body)
    data = head + body + request("/id/2")
    with Connection(target.host, target.port) as conn:
        conn.send(data)
        first, second = conn.expect(), conn.expect()
        if first.status != 200 or b"/id/inner" not in first.body:
            raise Failure(f"GET body not read as a body: {first.status} {first.body!r}")
        if second.body != b"id 2":
            raise Failure(f"request after a GET body got {second.body!r}")


# -- promise 2: header syntax (RFC 9112 §5, §5.2, §3.2; RFC 9110 §5.5) ---------------
# §5.1: whitespace between name and colon MUST be refused (400). RFC 9110 §5.5: CR,
# LF and NUL in a value are invalid; a recipient MAY replace each with SP instead.
# §5.2: obs-fold is refused (400) or replaced by SP. §3.2: HTTP/1.1 without Host,
# or any request with two, MUST get 400.


def _shown(target: Target, head: bytes, name: str = "x-a") -> tuple[int, object]:
    """Send a request to /show?h=name; return (status, the value the app saw)."""
    data = b"GET /show?h=" + name.encode() + b" HTTP/1.1\r\n" + head + b"\r\n"
    with Connection(target.host, target.port) as conn:
        conn.send(data)
        reply = conn.expect()
        if reply.status == 400:
            if not conn.closes():
                raise Failure("connection left open after 400")
            return 400, None
    if reply.status != 200:
        raise Failure(f"answered {reply.status}: {reply.body[:120]!r}")
    return 200, json.loads(reply.body)


def _refused_or_replaced(target: Target, head: bytes) -> None:
    status, value = _shown(target, head)
    if status == 200 and (
        not isinstance(value, str) or any(c in value for c in "\r\n\x00")
    ):
        raise Failure(f"invalid byte reached the app: {value!r}")


@check(2)
def whitespace_before_colon(target: Target) -> None:
    refused(target, request("/", extra="X-A : 1\r\n"))
    refused(target, request("/", extra="X-A\t: 1\r\n"))


@check(2)
def invalid_field_name(target: Target) -> None:
    for name in (b"X(A", b"X\x01A", b"", b"X A", b"X\xffA"):
        refused(target, b"GET / HTTP/1.1\r\nHost: t\r\n" + name + b": 1\r\n\r\n")


@check(2)
def bare_cr_in_value(target: Target) -> None:
    _refused_or_replaced(target, b"Host: t\r\nX-A: a\rb\r\n")


@check(2)
def bare_lf_in_value(target: Target) -> None:
    status, value = _shown(target, b"Host: t\r\nX-A: a\nX-B: b\r\n", "x-b")
    if status == 200 and value is not None:
        raise Failure("a bare LF split a header line in two")


@check(2)
def nul_in_value(target: Target) -> None:
    _refused_or_replaced(target, b"Host: t\r\nX-A: a\x00b\r\n")


@check(2)
def obs_fold(target: Target) -> None:
    status, value = _shown(target, b"Host: t\r\nX-A: a\r\n b\r\n")
    if status == 200 and (not isinstance(value, str) or "b" not in value):
        raise Failure(f"obs-fold silently dropped: {value!r}")


@check(2)
def missing_host_on_http11(target: Target) -> None:
    refused(target, b"GET / HTTP/1.1\r\n\r\n")
    with Connection(target.host, target.port) as conn:  # HTTP/1.0 needs none
        conn.send(b"GET / HTTP/1.0\r\n\r\n")
        if conn.expect().status != 200:
            raise Failure("HTTP/1.0 without Host refused")


@check(2)
def two_host_headers(target: Target) -> None:
    refused(target, b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
    refused(target, b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n")


# -- promise 3: chunked bodies (RFC 9112 §7.1) --------------------------------------
# chunk-size = 1*HEXDIG, nothing else; each chunk's data ends with CRLF; lines end
# with CRLF (a bare LF in a size line or extension is refused, §2.2 allows
# leniency only outside the body framing); trailers end the message (§7.1.2).


def _chunked(body: bytes) -> bytes:
    return CHUNKED + b"\r\n" + body


@check(3)
def chunk_size_not_hex(target: Target) -> None:
    for size in (b"0x3", b"+3", b"-3", b" 3", b"3 ", b"1_0", b"g"):
        refused(target, _chunked(size + b"\r\nabc\r\n0\r\n\r\n"))


@check(3)
def chunk_size_overflow(target: Target) -> None:
    data = _chunked(b"10000000000000003\r\nabc\r\n0\r\n\r\n")
    refused(target, data, (400, 413))
    refused(target, _chunked(b"f" * 40 + b"\r\nabc\r\n0\r\n\r\n"), (400, 413))


@check(3)
def crlf_required_after_chunk_data(target: Target) -> None:
    refused(target, _chunked(b"3\r\nabcXX0\r\n\r\n"))
    refused(target, _chunked(b"3\r\nabc\n0\r\n\r\n"))


@check(3)
def bare_lf_in_chunk_lines(target: Target) -> None:
    refused(target, _chunked(b"3\nabc\r\n0\r\n\r\n"))
    refused(target, _chunked(b"3;a=b\nc\r\nabc\r\n0\r\n\r\n"))


@check(3)
def trailers_do_not_leak_into_the_next_request(target: Target) -> None:
    data = _chunked(
        b"3;ext=1\r\nabc\r\n0\r\nX-Trailer: 1\r\nX-More: 2\r\n\r\n"
    ) + request("/id/after")
    with Connection(target.host, target.port) as conn:
        conn.send(data)
        first, second = conn.expect(), conn.expect()
        if first.status != 200 or first.body != b"abc":
            raise Failure(f"chunked body with trailers: {first.status} {first.body!r}")
        if second.status != 200 or second.body != b"id after":
            raise Failure(f"next request after trailers: {second.status}")
    serving(target)
