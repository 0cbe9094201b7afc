from __future__ import annotations

import asyncio
import ssl
import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanic_request import Request


class _Transport:
    """A transport stand-in exposing only ``get_extra_info``."""

    def __init__(self, **extra: Any) -> None:
        self.extra = extra

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.extra.get(name, default)


def request_with(headers: Any = (), transport: Any = None, app: Any = None) -> Request:
    return Request(b"/posts/1/?foo=bar", headers, "1.1", "GET", transport, app)


async def _request_over_a_real_socket(headers: dict[str, str]) -> tuple[Request, int]:
    """Accept one TCP connection on 127.0.0.1 and build a request from it."""
    built: asyncio.Future[Request] = asyncio.get_running_loop().create_future()

    class Protocol(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            built.set_result(Request(b"/p?q=1", headers, "1.1", "GET", transport))

    server = await asyncio.get_running_loop().create_server(Protocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port), timeout=5
    )
    try:
        request = await asyncio.wait_for(built, timeout=5)
        assert request.socket[1] == writer.get_extra_info("sockname")[1]
        return request, port
    finally:
        writer.close()
        server.close()
        await asyncio.wait_for(server.wait_closed(), timeout=5)


def test_peer_and_socket_from_a_real_connection() -> None:
    request, port = asyncio.run(_request_over_a_real_socket({}))
    assert request.ip == "127.0.0.1"
    assert isinstance(request.port, int) and request.port > 0
    assert request.socket == (request.ip, request.port)
    # Without a Host header, the server socket's address stands in.
    assert request.host == f"127.0.0.1:{port}"
    assert request.server_port == port
    assert request.url == f"http://127.0.0.1:{port}/p?q=1"


def test_host_header_wins_over_the_socket() -> None:
    request, _port = asyncio.run(_request_over_a_real_socket({"Host": "example.com"}))
    assert request.host == "example.com"
    assert request.server_name == "example.com"


def test_no_transport_is_safe() -> None:
    request = request_with()
    assert (request.ip, request.port, request.socket) == (None, None, (None, None))
    assert request.host == ""
    assert request.server_name == ""
    assert request.server_port == 80
    assert request.scheme == "http"


def test_ipv6_and_unix_peers() -> None:
    v6 = request_with(transport=_Transport(peername=("::1", 5000, 0, 0)))
    assert v6.socket == ("::1", 5000)
    unix = request_with(transport=_Transport(peername=""))
    assert unix.socket == (None, None)
    v6_server = request_with(transport=_Transport(sockname=("::1", 8000, 0, 0)))
    assert v6_server.host == "[::1]:8000"
    assert v6_server.server_name == "[::1]"


def test_guide_url_example() -> None:
    request = request_with({"Host": "localhost:8000"})
    assert request.url == "http://localhost:8000/posts/1/?foo=bar"
    assert request.path == "/posts/1/"
    assert request.query_string == "foo=bar"
    assert request.host == "localhost:8000"
    assert request.server_name == "localhost"
    assert request.server_port == 8000


def test_tls_transport_gives_https_and_443() -> None:
    tls = _Transport(sslcontext=ssl.create_default_context())
    request = request_with({"Host": "example.com"}, tls)
    assert request.scheme == "https"
    assert request.server_port == 443
    assert request.url == "https://example.com/posts/1/?foo=bar"


@pytest.mark.parametrize(("secure", "scheme"), [(False, "ws"), (True, "wss")])
def test_websocket_upgrade_schemes(secure: bool, scheme: str) -> None:
    extra = {"sslcontext": ssl.create_default_context()} if secure else {}
    request = request_with({"Upgrade": "WebSocket"}, _Transport(**extra))
    assert request.scheme == scheme


@pytest.mark.parametrize(
    ("headers", "secret", "scheme", "plain"),
    [
        ({"X-Forwarded-Proto": "https"}, None, "wss", "https"),
        ({"X-Forwarded-Proto": "HTTP"}, None, "ws", "http"),
        ({"X-Forwarded-Proto": "wss"}, None, "wss", "wss"),  # taken as it is
        ({"Forwarded": "for=1.2.3.4;proto=https;secret=s3"}, "s3", "wss", "https"),
        ({"Forwarded": "for=1.2.3.4;proto=http;secret=s3"}, "s3", "ws", "http"),
    ],
)
def test_a_websocket_upgrade_behind_a_proxy_is_ws_or_wss(
    headers: dict[str, str], secret: str | None, scheme: str, plain: str
) -> None:
    class Proxied(Request):
        forwarded_secret = secret

    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", **headers}
    request = Proxied(b"/feed", upgrade, "1.1", "GET", _Transport(), None)
    assert request.scheme == scheme
    assert request.url == f"{scheme}:///feed"
    assert Proxied(b"/", headers, "1.1", "GET", _Transport(), None).scheme == plain


def test_forwarded_headers_override() -> None:
    request = request_with(
        {
            "Host": "internal:8000",
            "X-Forwarded-Proto": "HTTPS, http",
            "X-Forwarded-Host": "public.example.com:9000, internal",
            "X-Forwarded-Port": "443",
        }
    )
    assert request.scheme == "https"
    assert request.server_name == "public.example.com"
    assert request.server_port == 443
    assert request.host == "internal:8000"


def test_forwarded_headers_can_be_distrusted() -> None:
    class Direct(Request):
        trust_forwarded_headers = False

    request = Direct(
        b"/",
        {
            "Host": "internal:8000",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "evil",
            "X-Forwarded-Port": "1",
        },
        "1.1",
        "GET",
    )
    assert (request.scheme, request.server_name, request.server_port) == (
        "http",
        "internal",
        8000,
    )


def test_bad_forwarded_port_falls_back_to_host() -> None:
    request = request_with({"Host": "h:81", "X-Forwarded-Port": "nope"})
    assert request.server_port == 81


class _App:
    def __init__(self, server_name: Any) -> None:
        self.config = {"SERVER_NAME": server_name}


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("example.org", "example.org"),
        ("example.org:8443", "example.org"),
        ("https://example.org:8443/base", "example.org"),
        (None, "public"),
        ("", "public"),
    ],
)
def test_server_name_order(configured: Any, expected: str) -> None:
    request = request_with(
        {"Host": "local:80", "X-Forwarded-Host": "public"}, app=_App(configured)
    )
    assert request.server_name == expected


def test_server_name_without_config_or_forwarding_uses_host() -> None:
    assert request_with({"Host": "local:80"}, app=object()).server_name == "local"


# -- absolute-form targets (RFC 9112 section 3.2.2) ---------------------------

_CONFLICTING_HOST = [("Host", "other.test")]


def absolute(target: bytes, headers: Any = _CONFLICTING_HOST, **kw: Any) -> Request:
    return Request(target, headers, "1.1", "GET", kw.get("transport"), kw.get("app"))


@pytest.mark.parametrize(
    ("target", "authority"),
    [
        (b"http://example.com/path?q=1", "example.com"),
        (b"http://example.com:8080/path", "example.com:8080"),
        (b"https://Example.COM?q=1", "Example.COM"),
        (b"http://example.com#frag", "example.com"),
        (b"http://[::1]:8000/", "[::1]:8000"),
        (b"http://user@example.com/p", "example.com"),
        (b"http://user:secret@example.com:81/p", "example.com:81"),
        (b"http://a@b@example.com/x@y", "example.com"),
        (b"HTTP+x.y-z://h/", "h"),
        (b"http:///p", ""),
    ],
)
def test_absolute_form_authority_wins_over_the_host_header(
    target: bytes, authority: str
) -> None:
    request = absolute(target)
    assert request.target_authority == authority
    assert request.host == authority
    assert "@" not in request.host and "other.test" not in request.url


@pytest.mark.parametrize(
    "target",
    [
        b"/path?u=http://example.com/",  # origin-form with a URL in the query
        b"*",  # asterisk-form (OPTIONS)
        b"example.com:443",  # authority-form (CONNECT): the tunnel's target
        b"1http://example.com/",  # not a scheme: kept as the path
        b"ht tp://example.com/",
    ],
)
def test_other_forms_keep_the_host_header(target: bytes) -> None:
    request = absolute(target)
    assert request.target_authority is None
    assert request.host == "other.test"


def test_target_authority_needs_no_host_header() -> None:
    request = request_with({"Host": "example.com"})
    assert request.target_authority is None
    assert absolute(b"http://example.com/", ()).host == "example.com"


def test_absolute_form_feeds_server_name_port_and_url() -> None:
    request = absolute(b"http://user:pw@example.com:8080/posts/1/?foo=bar")
    assert request.path == "/posts/1/"
    assert request.query_string == "foo=bar"
    assert request.server_name == "example.com"
    assert request.server_port == 8080
    assert request.url == "http://example.com:8080/posts/1/?foo=bar"
    socket_port = absolute(
        b"http://example.com/", transport=_Transport(sockname=("10.0.0.1", 9000))
    )
    # No port in the authority: the socket's, never one from the Host header.
    assert socket_port.server_port == 9000
    assert socket_port.url == "http://example.com/"


def test_absolute_form_feeds_url_for() -> None:
    calls: list[dict[str, Any]] = []

    class App:
        config: dict[str, Any] = {}

        def url_for(self, view_name: str, **kwargs: Any) -> str:
            calls.append(kwargs)
            return "built"

    request = absolute(b"http://example.com:8080/", app=App())
    assert request.url_for("view") == "built"
    assert calls[0]["_server"] == "example.com:8080"


def test_forwarded_host_still_wins_for_server_name() -> None:
    headers = [("Host", "other.test"), ("X-Forwarded-Host", "public.example")]
    request = absolute(b"http://example.com/", headers)
    assert request.server_name == "public.example"
    assert request.host == "example.com"


def test_non_utf8_authority_is_replaced_not_raised() -> None:
    assert absolute(b"http://ex\xffample.com/").host == "ex\ufffdample.com"


_REG_NAME = st.text(
    alphabet=string.ascii_letters + string.digits + "-._~!$&'()*+,;=%",
    min_size=1,
    max_size=30,
)
_IPV6 = st.ip_addresses(v=6).map(lambda ip: f"[{ip}]")
_AUTHORITY = st.tuples(
    st.one_of(_REG_NAME, st.ip_addresses(v=4).map(str), _IPV6),
    st.one_of(st.just(""), st.integers(0, 65535).map(lambda port: f":{port}")),
).map("".join)
# Visible ASCII: an origin-form target may carry "?" and "#" too.
_ORIGIN = st.text(alphabet=string.printable[:94], max_size=40).map(lambda p: "/" + p)


@given(authority=_AUTHORITY, origin=_ORIGIN, userinfo=st.booleans())
def test_absolute_form_is_origin_form_plus_authority(
    authority: str, origin: str, userinfo: bool
) -> None:
    prefix = "user:pw@" if userinfo else ""
    request = absolute(f"http://{prefix}{authority}{origin}".encode())
    plain = Request(origin.encode(), _CONFLICTING_HOST, "1.1", "GET")
    assert request.host == authority
    assert (request.path, request.query_string) == (plain.path, plain.query_string)
