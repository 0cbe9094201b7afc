"""Proxy headers: which are believed under which setting, and the parsers.

``request.remote_addr`` and the ``Forwarded`` element (RFC 7239) with a secret;
the trust model docs/deploying.md tabulates.
"""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanic_request import Request
from sanic_request._forwarded import (
    client_address,
    forwarded_for,
    node_ip,
    parse_forwarded,
)


class _Peer:
    """A transport stand-in whose peer is the proxy, 10.0.0.1."""

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("10.0.0.1", 4321)}.get(name, default)


def behind(headers: Any, **settings: object) -> Request:
    """A request from the proxy 10.0.0.1, with a Request subclass's settings."""
    cls: type[Request] = type("Configured", (Request,), dict(settings))
    return cls(b"/p", headers, "1.1", "GET", _Peer())


SPOOFABLE = {
    "X-Forwarded-For": "6.6.6.6, 1.2.3.4",
    "X-Real-IP": "1.2.3.4",
    "Forwarded": "for=1.2.3.4;secret=s",
}

# -- remote_addr: off by default ----------------------------------------------


def test_no_header_is_trusted_for_the_client_address_by_default() -> None:
    request = behind(SPOOFABLE)
    assert request.remote_addr == ""
    assert request.ip == "10.0.0.1"


def test_remote_addr_does_not_read_the_headers_when_every_setting_is_off() -> None:
    request = behind([(b"X-Forwarded-For", b"1.2.3.4")])
    assert request.remote_addr == ""
    assert request._headers.__class__ is list  # never decoded


# -- PROXIES_COUNT and FORWARDED_FOR_HEADER -----------------------------------


def test_one_proxy_trusts_only_the_rightmost_entry() -> None:
    request = behind({"X-Forwarded-For": "6.6.6.6, 1.2.3.4"}, proxies_count=1)
    assert request.remote_addr == "1.2.3.4"
    assert request.ip == "10.0.0.1"


def test_entries_beyond_the_proxy_count_are_ignored() -> None:
    # Two proxies appended "1.2.3.4" and "10.9.9.9"; the client wrote the rest.
    value = "6.6.6.6, 7.7.7.7, 1.2.3.4, 10.9.9.9"
    assert behind({"X-Forwarded-For": value}, proxies_count=2).remote_addr == (
        "1.2.3.4"
    )


def test_fewer_entries_than_proxies_gives_no_address() -> None:
    request = behind({"X-Forwarded-For": "1.2.3.4"}, proxies_count=2)
    assert request.remote_addr == ""


def test_several_header_lines_form_one_list() -> None:
    headers = [(b"X-Forwarded-For", b"6.6.6.6"), (b"X-Forwarded-For", b"1.2.3.4")]
    assert behind(headers, proxies_count=1).remote_addr == "1.2.3.4"
    assert behind(headers, proxies_count=2).remote_addr == "6.6.6.6"


@pytest.mark.parametrize(
    "value",
    ["", ",", "1.2.3.4, not-an-ip", "1.2.3.4, unknown", "1.2.3.4, 1.2.3.999", "\x00"],
)
def test_a_malformed_list_gives_no_address(value: str) -> None:
    assert behind({"X-Forwarded-For": value}, proxies_count=1).remote_addr == ""


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("2001:db8::1", "2001:db8::1"),
        ("6.6.6.6, [2001:DB8::1]:443", "2001:db8::1"),
        ("1.2.3.4:5678", "1.2.3.4"),
    ],
)
def test_ipv6_and_ports_in_the_list(value: str, address: str) -> None:
    assert behind({"X-Forwarded-For": value}, proxies_count=1).remote_addr == address


def test_the_list_header_is_configurable() -> None:
    headers = {"X-Forwarded-For": "6.6.6.6", "X-Client-Chain": "1.2.3.4"}
    request = behind(headers, proxies_count=1, forwarded_for_header="X-Client-Chain")
    assert request.remote_addr == "1.2.3.4"
    assert behind(headers, forwarded_for_header="X-Client-Chain").remote_addr == ""


# -- REAL_IP_HEADER ---------------------------------------------------------------


def test_real_ip_header() -> None:
    request = behind(SPOOFABLE, real_ip_header="X-Real-IP")
    assert request.remote_addr == "1.2.3.4"
    assert behind({"X-Real-IP": "[::1]"}, real_ip_header="x-real-ip").remote_addr == (
        "::1"
    )


def test_real_ip_header_sent_twice_or_malformed_gives_no_address() -> None:
    twice = [(b"X-Real-IP", b"6.6.6.6"), (b"X-Real-IP", b"1.2.3.4")]
    assert behind(twice, real_ip_header="X-Real-IP").remote_addr == ""
    bad = {"X-Real-IP": "6.6.6.6, 1.2.3.4", "X-Forwarded-For": "1.2.3.4"}
    request = behind(bad, real_ip_header="X-Real-IP", proxies_count=1)
    assert request.remote_addr == ""


def test_without_the_real_ip_header_the_list_is_next() -> None:
    headers = {"X-Forwarded-For": "1.2.3.4"}
    request = behind(headers, real_ip_header="X-Real-IP", proxies_count=1)
    assert request.remote_addr == "1.2.3.4"


# -- FORWARDED_SECRET ------------------------------------------------------------


def test_the_element_with_the_secret_gives_address_scheme_and_host() -> None:
    headers = {
        "Host": "internal:8000",
        "Forwarded": 'for=6.6.6.6;proto=https;host=evil, for="[2001:db8::7]:4711";'
        'proto=HTTPS;host="example.com:8443";secret="s3cr;et"',
        "X-Forwarded-Proto": "http",
        "X-Forwarded-Host": "evil",
        "X-Forwarded-Port": "1",
        "X-Forwarded-For": "6.6.6.6",
    }
    request = behind(headers, forwarded_secret="s3cr;et", proxies_count=1)
    assert request.remote_addr == "2001:db8::7"
    assert request.scheme == "https"
    assert request.server_name == "example.com"
    assert request.server_port == 8443
    assert request.host == "internal:8000"  # the Host header, as always
    assert request.ip == "10.0.0.1"


def test_host_without_port_takes_the_schemes_port() -> None:
    headers = {"Forwarded": "for=1.2.3.4;proto=https;host=example.com;secret=s"}
    assert behind(headers, forwarded_secret="s").server_port == 443
    headers = {"Forwarded": "host=example.com;secret=s", "X-Forwarded-Port": "9"}
    assert behind(headers, forwarded_secret="s").server_port == 80


def test_elements_without_the_secret_are_not_believed() -> None:
    headers = {
        "Host": "internal:8000",
        "Forwarded": "for=6.6.6.6;proto=https;host=evil;secret=guess",
        "X-Forwarded-For": "1.2.3.4",
    }
    request = behind(headers, forwarded_secret="s", proxies_count=1)
    # Not matched: the other settings decide.
    assert request.remote_addr == "1.2.3.4"
    assert (request.scheme, request.server_name) == ("http", "internal")
    assert behind(headers, forwarded_secret="guess").remote_addr == "6.6.6.6"


def test_the_rightmost_element_with_the_secret_wins() -> None:
    headers = {"Forwarded": "for=6.6.6.6;secret=s, for=1.2.3.4;secret=s, for=10.1.1.1"}
    assert behind(headers, forwarded_secret="s").remote_addr == "1.2.3.4"


def test_without_a_secret_forwarded_is_ignored() -> None:
    headers = {"Forwarded": "for=1.2.3.4;proto=https;secret=", "Host": "h"}
    request = behind(headers, forwarded_secret="")
    assert (request.remote_addr, request.scheme) == ("", "http")


def test_a_missing_parameter_falls_back_to_the_next_source() -> None:
    headers = {
        "Host": "internal:8000",
        "Forwarded": "secret=s;by=10.0.0.1",
        "X-Forwarded-Proto": "https",
        "X-Real-IP": "1.2.3.4",
    }
    request = behind(headers, forwarded_secret="s", real_ip_header="X-Real-IP")
    assert request.remote_addr == "1.2.3.4"
    assert request.scheme == "https"
    assert (request.server_name, request.server_port) == ("internal", 8000)


def test_a_malformed_for_in_the_secret_element_gives_no_address() -> None:
    headers = {"Forwarded": "for=unknown;secret=s", "X-Real-IP": "1.2.3.4"}
    request = behind(headers, forwarded_secret="s", real_ip_header="X-Real-IP")
    assert request.remote_addr == ""


def test_distrusting_x_forwarded_keeps_the_explicit_settings() -> None:
    headers = {
        "Host": "internal:8000",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "evil",
        "X-Forwarded-For": "1.2.3.4",
        "Forwarded": "proto=https;host=example.com;secret=s",
    }
    request = behind(headers, trust_forwarded_headers=False, proxies_count=1)
    assert (request.scheme, request.server_name) == ("http", "internal")
    assert request.remote_addr == "1.2.3.4"
    request = behind(headers, trust_forwarded_headers=False, forwarded_secret="s")
    assert (request.scheme, request.server_name) == ("https", "example.com")


# -- the parsers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "elements"),
    [
        (
            "for=192.0.2.60;proto=http;by=203.0.113.43",
            [{"for": "192.0.2.60", "proto": "http", "by": "203.0.113.43"}],
        ),
        ('For="[2001:db8:cafe::17]:4711"', [{"for": "[2001:db8:cafe::17]:4711"}]),
        (
            "for=192.0.2.43, for=198.51.100.17",
            [{"for": "192.0.2.43"}, {"for": "198.51.100.17"}],
        ),
        ('for="a\\"b,c";secret="x;y"', [{"for": 'a"b,c', "secret": "x;y"}]),
        ("for=a ; proto=http ,, for=b", [{"for": "a", "proto": "http"}, {"for": "b"}]),
        # Lenient where proxies are: unquoted brackets and "=" in a value.
        (
            "for=[::1]:80;secret=c2VjcmV0==",
            [{"for": "[::1]:80", "secret": "c2VjcmV0=="}],
        ),
        # Malformed elements are dropped, the others kept.
        ("for=a;for=b, for=c", [{"for": "c"}]),
        ("for=a b, for=c", [{"for": "c"}]),
        ("for=, for=c", [{"for": "c"}]),
        ('for="never closed, for=c', []),
        ('for=c, for="a\\', [{"for": "c"}]),
        ("", []),
    ],
)
def test_parse_forwarded(value: str, elements: list[dict[str, str]]) -> None:
    assert parse_forwarded(value) == elements


@pytest.mark.parametrize(
    ("node", "address"),
    [
        ("192.0.2.1", "192.0.2.1"),
        (" 192.0.2.1:80 ", "192.0.2.1"),
        ("192.0.2.1:_obf", "192.0.2.1"),
        ("[2001:DB8::1]", "2001:db8::1"),
        ("[2001:db8::1]:8080", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("unknown", ""),
        ("_hidden", ""),
        ("192.0.2.1:99999", ""),
        ("192.0.2.1:port", ""),
        ("[192.0.2.1]", ""),
        ("[2001:db8::1", ""),
        ("[2001:db8::1]x", ""),
        ("example.com", ""),
    ],
)
def test_node_ip(node: str, address: str) -> None:
    assert node_ip(node) == address


def test_client_address_and_forwarded_for() -> None:
    assert client_address(["6.6.6.6, 1.2.3.4"], 1) == "1.2.3.4"
    assert client_address(["1.2.3.4"], 0) == ""
    assert forwarded_for(["for=1.2.3.4;secret=s"], "") is None
    assert forwarded_for(["for=1.2.3.4", 'secret=s;for="::1"'], "s") == {
        "secret": "s",
        "for": "::1",
    }


_TCHARS = "!#$%&'*+.^_`|~-" + string.ascii_letters + string.digits
_tokens = st.text(_TCHARS, min_size=1, max_size=8)
_values = st.text(st.characters(min_codepoint=32, max_codepoint=0x10FFFF), max_size=12)


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@given(
    st.lists(
        st.dictionaries(_tokens.map(str.lower), _values, min_size=1, max_size=4),
        max_size=4,
    )
)
def test_parse_forwarded_reads_back_what_is_written(
    elements: list[dict[str, str]],
) -> None:
    value = ", ".join(
        ";".join(f"{name}={_quote(text)}" for name, text in element.items())
        for element in elements
    )
    assert parse_forwarded(value) == elements


@given(
    st.text(alphabet=st.sampled_from('for=";,\\ \t[]:_ab1.'), max_size=40) | st.text()
)
def test_the_parsers_never_raise(value: str) -> None:
    elements = parse_forwarded(value)
    assert all(isinstance(element, dict) and element for element in elements)
    assert isinstance(node_ip(value), str)
    assert isinstance(client_address([value], 1), str)
    request = behind(
        {"Forwarded": value, "X-Forwarded-For": value, "X-Real-IP": value},
        forwarded_secret="s",
        proxies_count=2,
        real_ip_header="X-Real-IP",
    )
    assert isinstance(request.remote_addr, str)
    assert isinstance(request.scheme, str)
    assert isinstance(request.server_name, str)
    assert isinstance(request.server_port, int)
