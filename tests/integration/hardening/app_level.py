"""Promises 6-8: static files, response headers and handler errors."""

from __future__ import annotations

from ._target import SECRET, Target
from ._wire import Connection, Failure, Reply, check, request, serving


def _get(target: Target, raw_path: bytes) -> Reply:
    with Connection(target.host, target.port) as conn:
        conn.send(b"GET " + raw_path + b" HTTP/1.1\r\nHost: t\r\n\r\n")
        reply = conn.reply()
    if reply is None:  # refused by closing: nothing leaked, but say so
        return Reply(0)
    return reply


# -- promise 6: static files (RFC 3986 §5.2.4 dot segments, §2.1 percent-encoding) --
# However a path is spelled, nothing outside the served root is read; a bad path
# is the client's error (4xx; a 3xx or a plain close is tolerated), never a 500.


def _contained(target: Target, paths: list[bytes]) -> None:
    for path in paths:
        reply = _get(target, path)
        if SECRET.encode() in reply.body:
            raise Failure(f"{path!r} escaped the static root")
        if reply.status >= 500 or 200 <= reply.status < 300:
            raise Failure(f"{path!r} answered {reply.status}")


@check(6)
def static_files_are_served(target: Target) -> None:
    for path, body in (
        (b"/static/hello.txt", b"hello"),
        (b"/static/sub/inner.txt", b"inner"),
    ):
        reply = _get(target, path)
        if reply.status != 200 or reply.body != body:
            raise Failure(f"{path!r} answered {reply.status} {reply.body[:40]!r}")


@check(6)
def dot_dot_segments(target: Target) -> None:
    _contained(
        target,
        [
            b"/static/../secret.txt",
            b"/static/sub/../../secret.txt",
            b"/static/%2e%2e/secret.txt",
            b"/static/%2E%2E/secret.txt",
            b"/static/.%2e/secret.txt",
            b"/static/%2e%2e%2fsecret.txt",
            b"/static/..%2fsecret.txt",
            b"/static/sub%2f..%2f..%2fsecret.txt",
        ],
    )


@check(6)
def double_encoding(target: Target) -> None:
    _contained(
        target,
        [
            b"/static/%252e%252e%252fsecret.txt",
            b"/static/%252e%252e/secret.txt",
            b"/static/..%252fsecret.txt",
        ],
    )


@check(6)
def overlong_utf8(target: Target) -> None:
    _contained(
        target,
        [
            b"/static/%c0%ae%c0%ae/secret.txt",
            b"/static/..%c0%afsecret.txt",
            b"/static/%e0%80%ae%e0%80%ae/secret.txt",
        ],
    )


@check(6)
def backslashes(target: Target) -> None:
    _contained(
        target,
        [
            b"/static/..\\secret.txt",
            b"/static/..%5csecret.txt",
            b"/static/%5c..%5csecret.txt",
        ],
    )


@check(6)
def absolute_paths(target: Target) -> None:
    secret = str(target.site / "secret.txt").encode()
    quoted = secret.replace(b"/", b"%2f")
    _contained(
        target,
        [
            b"/static/" + quoted,
            b"/static/" + secret,
            b"/static//" + secret.lstrip(b"/"),
            b"/static/%2fetc%2fpasswd",
        ],
    )


@check(6)
def sibling_directory_with_the_same_prefix(target: Target) -> None:
    _contained(
        target,
        [
            b"/static/../public-private/secret.txt",
            b"/static/%2e%2e/public-private/secret.txt",
            b"/static-private/secret.txt",
        ],
    )


@check(6)
def symlinks_pointing_outside(target: Target) -> None:
    _contained(target, [b"/static/link.txt", b"/static/uplink/secret.txt"])


@check(6)
def nul_byte(target: Target) -> None:
    for path in (b"/static/hello.txt%00.png", b"/static/%00", b"/static/sub%00/x"):
        reply = _get(target, path)
        if not 400 <= reply.status < 500:
            raise Failure(f"{path!r} answered {reply.status}")


# -- promise 7: response splitting (RFC 9110 §5.5, RFC 9112 §4) ---------------------
# CR, LF and NUL never appear in a field value on the wire: the handler's bad
# header is refused (500) or dropped; it is never written as a header line.


def _not_split(target: Target, path: bytes, header: str) -> None:
    reply = _get(target, path)
    names = {name.lower() for name, _ in reply.fields}
    if "injected" in names:
        raise Failure(f"{path!r} split the response: {reply.fields}")
    value = reply.header(header)
    if value is not None and any(c in value for c in "\r\n\x00"):
        raise Failure(f"{path!r} wrote a control character in {header}")
    if reply.status not in (500, 200, 302, 303, 307):
        raise Failure(f"{path!r} answered {reply.status}")


@check(7)
def crlf_in_a_header_value(target: Target) -> None:
    for bad in (b"%0d%0a", b"%0a", b"%0d", b"%0d%0a%0d%0a", b"%00"):
        path = b"/header?v=a" + bad + b"Injected:%20yes"
        _not_split(target, path, "x-echo")
    serving(target)


@check(7)
def crlf_in_a_redirect_target(target: Target) -> None:
    for bad in (b"%0d%0a", b"%0a", b"%0d"):
        path = b"/redirect?to=/next" + bad + b"Injected:%20yes"
        _not_split(target, path, "location")
    serving(target)


# -- promise 8: errors (RFC 9110 §15.6.1; OWASP: no stack traces to clients) --------


@check(8)
def handler_exception_is_a_bare_500(target: Target) -> None:
    for accept in ("", "Accept: text/html\r\n", "Accept: application/json\r\n"):
        with Connection(target.host, target.port) as conn:
            conn.send(request("/raise", extra=accept))
            reply = conn.expect()
        if reply.status != 500:
            raise Failure(f"a failing handler answered {reply.status}")
        for leak in (b"secret-detail-31337", b"Traceback", b"RuntimeError"):
            if leak in reply.body:
                raise Failure(f"the 500 shows {leak!r}")


@check(8)
def others_are_served_after_a_failure(target: Target) -> None:
    with Connection(target.host, target.port) as conn:
        conn.send(request("/raise") + request("/id/next"))
        first = conn.expect()
        second = conn.reply()
        if first.status != 500:
            raise Failure(f"a failing handler answered {first.status}")
        if second is not None and second.body != b"id next":
            raise Failure(f"the request after a 500 got {second.body!r}")
    serving(target)
