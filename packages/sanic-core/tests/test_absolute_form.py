"""Absolute-form request targets route by their authority (RFC 9112 §3.2.2).

A proxy-style request line such as ``GET http://example.com/ HTTP/1.1`` names
the host itself; the server MUST ignore the Host header then, both for host
routing and for ``request.host``.
"""

from __future__ import annotations

import pytest

from sanic import Sanic
from sanic.response import text


@pytest.fixture
def app() -> Sanic:
    app = Sanic("absolute_form")

    @app.route("/where", host="example.com")
    async def example(request):
        return text(f"example.com route; host={request.host}; url={request.url}")

    @app.route("/where", host="other.test")
    async def other(request):
        return text(f"other.test route; host={request.host}")

    @app.route("/where")
    async def default(request):
        return text(f"default route; host={request.host}")

    return app


def _get(server, target: str, host: str) -> bytes:
    """Send one raw request and return the body of the response."""
    raw = server.raw(
        f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    )
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 "), head
    return body


def test_absolute_form_authority_beats_a_conflicting_host_header(serve, app):
    with serve(app) as server:
        origin = _get(server, "/where?q=1", "other.test")
        absolute = _get(server, "http://example.com/where?q=1", "other.test")
        with_port = _get(server, "http://EXAMPLE.com:8000/where", "other.test")
        userinfo = _get(server, "http://user:pw@example.com/where", "other.test")
        unknown = _get(server, "http://unknown.test/where", "example.com")
    # The control: an origin-form target routes by its Host header.
    assert origin == b"other.test route; host=other.test"
    assert absolute == (
        b"example.com route; host=example.com; url=http://example.com/where?q=1"
    )
    assert with_port == (
        b"example.com route; host=EXAMPLE.com:8000; url=http://EXAMPLE.com:8000/where"
    )
    # RFC 9110 §4.2.4: userinfo is dropped, never echoed into host or url.
    assert userinfo == (
        b"example.com route; host=example.com; url=http://example.com/where"
    )
    assert unknown == b"default route; host=unknown.test"


def test_without_host_routes_absolute_form_still_sets_host(serve):
    app = Sanic("absolute_form_plain")

    @app.route("/where")
    async def where(request):
        return text(f"{request.host} {request.path} {request.query_string}")

    with serve(app) as server:
        body = _get(server, "http://example.com:81/where?a=b", "other.test")
    assert body == b"example.com:81 /where a=b"
