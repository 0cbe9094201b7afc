"""Promises 4 and 5: size limits and time limits.

The servers under test run with a 1 MiB body limit, a 1 s request timeout and a
1 s keep-alive timeout; header and URL limits are their defaults.
"""

from __future__ import annotations

import threading
import time

from ._target import Target
from ._wire import Connection, Failure, check, refused, request, serving

BODY_LIMIT = 1 << 20
REQUEST_TIMEOUT = 1.0

# -- promise 4: limits (RFC 9110 §15.5.14 413, §15.5.15 414; RFC 6585 §5 431) -------
# A body over the limit is refused from its Content-Length before it is read, or
# by counting a chunked one; a too-large header section gets 431, a too-long
# target 414. Form fields and multipart parts are capped (1,000); malformed bodies
# and unusable JSON are the client's error (400), never the server's (500).


def _post(path: str, content_type: str, body: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _status(target: Target, data: bytes) -> tuple[int, bytes]:
    with Connection(target.host, target.port) as conn:
        conn.send(data)
        reply = conn.expect()
    return reply.status, reply.body


@check(4)
def body_over_limit_by_content_length(target: Target) -> None:
    # Nothing but the head is sent: the answer must not wait for the body.
    head = request("/echo", "POST", f"Content-Length: {BODY_LIMIT * 4}\r\n")
    refused(target, head, (413,))


@check(4)
def chunked_body_over_limit(target: Target) -> None:
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
    with Connection(target.host, target.port) as conn:
        conn.send(request("/echo", "POST", "Transfer-Encoding: chunked\r\n"))
        for _ in range(2 * BODY_LIMIT // (64 * 1024)):
            if not conn.send(chunk):
                break
        reply = conn.expect()
        if reply.status != 413:
            raise Failure(f"chunked body over the limit got {reply.status}")


@check(4)
def header_section_over_limit(target: Target) -> None:
    extra = "".join(f"X-Pad-{i}: {'v' * 1000}\r\n" for i in range(40))
    refused(target, request("/", extra=extra), (431,))


@check(4)
def url_over_limit(target: Target) -> None:
    refused(target, request("/id/" + "a" * 16_384), (414,))


@check(4)
def eight_kib_header_section_works(target: Target) -> None:
    extra = "".join(f"X-Pad-{i}: {'v' * 1000}\r\n" for i in range(8))
    with Connection(target.host, target.port) as conn:
        conn.send(request("/", extra=extra))
        reply = conn.expect()
        if reply.status != 200:
            raise Failure(f"an 8 KiB header section got {reply.status}")


@check(4)
def urlencoded_fields_capped(target: Target) -> None:
    kind = "application/x-www-form-urlencoded"
    fields = "&".join(f"f{i}=1" for i in range(1000)).encode()
    status, body = _status(target, _post("/form", kind, fields))
    if (status, body) != (200, b"1000"):
        raise Failure(f"1,000 fields: {status} {body[:60]!r}")
    status, _ = _status(target, _post("/form", kind, fields + b"&extra=1"))
    if status not in (400, 413):
        raise Failure(f"1,001 urlencoded fields got {status}")


def _multipart(parts: int) -> bytes:
    one = b'--b\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n1\r\n'
    return b"".join(one % i for i in range(parts)) + b"--b--\r\n"


@check(4)
def multipart_parts_capped(target: Target) -> None:
    kind = "multipart/form-data; boundary=b"
    status, body = _status(target, _post("/form", kind, _multipart(1000)))
    if (status, body) != (200, b"1000"):
        raise Failure(f"1,000 parts: {status} {body[:60]!r}")
    status, _ = _status(target, _post("/form", kind, _multipart(1001)))
    if status not in (400, 413):
        raise Failure(f"1,001 multipart parts got {status}")


@check(4)
def malformed_multipart(target: Target) -> None:
    kind = "multipart/form-data; boundary=b"
    bodies = [
        b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
        b"no boundary at all",
        b"--b\r\nno-colon-header\r\n\r\n1\r\n--b--\r\n",
        b"--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--\r\n",
    ]
    for body in bodies:
        status, _ = _status(target, _post("/form", kind, body))
        if status != 400:
            raise Failure(f"malformed multipart {body[:30]!r} got {status}")
    status, _ = _status(target, _post("/form", "multipart/form-data", b"x"))
    if status != 400:
        raise Failure(f"multipart without a boundary got {status}")


@check(4)
def unusable_json(target: Target) -> None:
    kind = "application/json"
    bodies = [b"{", b'{"a": 1,}', b'"\xff\xfe"', b"NaN", b"[" * 600 + b"]" * 600]
    bodies.append(b"[" * 100_000 + b"]" * 100_000)
    for body in bodies:
        status, _ = _status(target, _post("/json", kind, body))
        if status != 400:
            raise Failure(f"JSON {body[:20]!r}... got {status}")
    status, reply = _status(target, _post("/json", kind, b"[" * 20 + b"]" * 20))
    if (status, reply) != (200, b"list"):
        raise Failure(f"valid nested JSON got {status}")


# -- promise 5: time (RFC 9110 §15.5.9 408; RFC 9112 §9.5 idle connections) ---------
# The request deadline runs from the request's first byte; trickling bytes does
# not extend it. Idle connections may be closed at any time (§9.5).


@check(5)
def trickled_request_gets_408(target: Target) -> None:
    with Connection(target.host, target.port) as conn:
        conn.send(b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        start = time.monotonic()
        while time.monotonic() - start < REQUEST_TIMEOUT + 2:
            if not conn.send(b"a"):
                break
            reply = conn.reply(0.1)
            if reply is not None or conn.eof:
                break
        else:
            raise Failure("a trickling request was never cut off")
        took = time.monotonic() - start
        if reply is None or reply.status != 408:
            got = "no response" if reply is None else reply.status
            raise Failure(f"trickling request got {got} after {took:.1f}s")
        if not conn.closes():
            raise Failure("connection left open after 408")


@check(5)
def idle_new_connection_closed(target: Target) -> None:
    with Connection(target.host, target.port) as conn:
        if not conn.closes(REQUEST_TIMEOUT + 3):
            raise Failure("a silent new connection stays open")


@check(5)
def idle_keep_alive_connection_closed(target: Target) -> None:
    with Connection(target.host, target.port) as conn:
        conn.send(request("/"))
        conn.expect()
        if not conn.closes(REQUEST_TIMEOUT + 3):
            raise Failure("an idle keep-alive connection stays open")


@check(5)
def slow_crowd_does_not_block_others(target: Target) -> None:
    crowd = [Connection(target.host, target.port) for _ in range(150)]
    stop = threading.Event()

    def trickle() -> None:
        for conn in crowd:
            conn.send(b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        while not stop.wait(0.05):
            for conn in crowd:
                conn.send(b"a")

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    try:
        for _ in range(5):
            started = time.monotonic()
            with Connection(target.host, target.port, timeout=2.0) as conn:
                conn.send(request("/"))
                reply = conn.reply()
            took = time.monotonic() - started
            if reply is None or reply.status != 200 or took > 2.0:
                raise Failure(f"with 150 slow clients a request took {took:.2f}s")
    finally:
        stop.set()
        trickler.join(5)
        for conn in crowd:
            conn.close()
    serving(target)
