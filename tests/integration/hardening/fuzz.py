"""Fuzz a live server with generated requests (the nox ``fuzz`` session).

Run explicitly: ``pytest tests/integration/hardening/fuzz.py`` (the file name keeps
it out of the normal suite). Hypothesis builds requests that are valid, nearly
valid and hostile (bad framing, control bytes, broken chunking, random bytes
spliced in), sends each on its own connection and half-closes. Whatever comes
back must parse as HTTP/1.1 responses (llhttp via httptools), the server must
still be running after every example, and a good request must still work.
``FUZZ_EXAMPLES`` (default 1,000) bounds the examples per event loop.
"""

from __future__ import annotations

import os
from typing import Any

import httptools
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sanic_test_helpers import exchange

from hardening import Target
from hardening._wire import Connection, request

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
READ_TIMEOUT = 5.0

TOKEN = st.text(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1
)
VALUES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)
HOSTILE = st.sampled_from(["\r", "\n", "\x00", " ", "\t", ":", "\x7f", "\xff", "\r\n "])
PATHS = st.sampled_from(
    ["/", "/echo", "/id/x", "/show?h=x-a", "/static/hello.txt", "/raise", "/form",
     "/json", "/header?v=a%0d%0ab", "/redirect?to=%0a", "/static/%2e%2e/secret.txt",
     "/static/%00", "/id/%ff%fe", "/static/sub/../hello.txt"]
)  # fmt: skip
# Each part of a request: the valid choices, then the hostile ones.
METHODS = (["GET", "GET", "POST", "PUT", "OPTIONS"], ["get", "X", "G\x00T", "DELETE"])
VERSIONS = (["HTTP/1.1", "HTTP/1.0"], ["HTTP/2.0", "HTTP/1.1 ", "HTTP/9", "http/1.1"])
FRAMINGS = (["length", "chunked", "none"], ["both", "wrong", "bad-chunks", "gzip"])
LENGTHS = ["-1", "x", "9", "1,1", "+1", "99999999999999999999999"]
CHUNK_SIZES = ["0x1", " 1", "1 ", "ffffffffffffffffff", "-1", "1_0"]
CHUNK_ENDS = [b"\n", b"", b"X: 1\n\n", b"\r\r\n"]


class _Draw:
    """Draws each part valid, or (in a hostile example, one time in three) not."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.hostile = draw(st.booleans())

    def bad(self) -> bool:
        return self.hostile and bool(self.draw(st.integers(0, 2)) == 0)

    def pick(self, choices: tuple[list[Any], list[Any]]) -> Any:
        good, bad = choices
        return self.draw(st.sampled_from(bad if self.bad() else good))

    def text(self, base: st.SearchStrategy[str]) -> str:
        value: str = self.draw(base)
        if self.bad():
            cut = self.draw(st.integers(0, len(value)))
            value = value[:cut] + self.draw(HOSTILE) + value[cut:]
        return value


@st.composite
def _requests(draw: Any) -> bytes:
    d = _Draw(draw)
    method, path, version = d.pick(METHODS), draw(PATHS), d.pick(VERSIONS)
    headers = [] if d.bad() else [("Host", "t")]
    for _ in range(draw(st.integers(0, 4))):
        headers.append((d.text(TOKEN), d.text(VALUES)))
    if draw(st.integers(0, 5)) == 0:
        headers.append(("Expect", "100-continue"))
    body: bytes = draw(st.binary(max_size=64))
    framing = d.pick(FRAMINGS)
    if framing == "chunked" and version == "HTTP/1.0" and not d.hostile:
        framing = "length"  # chunked needs HTTP/1.1 (RFC 9112 §6.1)
    if framing in ("length", "both"):
        headers.append(("Content-Length", str(len(body))))
    elif framing == "wrong":
        headers.append(("Content-Length", draw(st.sampled_from(LENGTHS))))
    if framing in ("chunked", "both", "bad-chunks", "gzip"):
        coding = "gzip, chunked" if framing == "gzip" else "chunked"
        headers.append(("Transfer-Encoding", coding))
        size, end = "%x" % len(body), b"\r\n"
        if framing == "bad-chunks":
            size = draw(st.sampled_from(CHUNK_SIZES))
            end = draw(st.sampled_from(CHUNK_ENDS))
        body = size.encode() + b"\r\n" + body + b"\r\n0\r\n" + end
    head = f"{method} {path} {version}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers
    )
    data = head.encode("utf-8", "surrogateescape") + b"\r\n" + body
    if d.bad():  # splice random bytes anywhere
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(min_size=1, max_size=8)) + data[cut:]
    if draw(st.booleans()):  # pipeline a good request behind it
        data += request("/id/next")
    return data


class _Responses:
    def __init__(self) -> None:
        self.complete = 0
        self.started = 0
        self.parser = httptools.HttpResponseParser(self)

    def on_message_begin(self) -> None:
        self.started += 1

    def on_message_complete(self) -> None:
        self.complete += 1
        status = self.parser.get_status_code()
        assert 100 <= status <= 599, f"status {status}"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=_requests())
def test_every_answer_is_well_formed_http(target: Target, data: bytes) -> None:
    received = exchange(
        target.host, target.port, data, half_close=True, timeout=READ_TIMEOUT
    )
    responses = _Responses()
    try:
        responses.parser.feed_data(received)
    except httptools.HttpParserUpgrade:
        pass
    except httptools.HttpParserError as exc:
        raise AssertionError(f"malformed answer to {data!r}: {received!r}") from exc
    assert responses.started == responses.complete, f"truncated: {received!r}"
    assert target.process.alive(), f"the server died on {data!r}"


def test_a_good_request_works_afterwards(target: Target) -> None:
    with Connection(target.host, target.port) as conn:
        conn.send(request("/"))
        reply = conn.expect()
    assert (reply.status, reply.body) == (200, b"ok")
    assert target.process.alive()
