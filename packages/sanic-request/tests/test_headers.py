from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanic_request._headers import (
    decode_ext_value,
    parse_cookie_header,
    parse_options_header,
    parse_port,
    split_host_port,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text/plain", ("text/plain", {})),
        (
            "Multipart/Form-Data; Boundary=abc",
            ("multipart/form-data", {"boundary": "abc"}),
        ),
        (
            'multipart/form-data; boundary="a b;c"',
            ("multipart/form-data", {"boundary": "a b;c"}),
        ),
        (
            'form-data; name="f"; filename="a \\"q\\".txt"',
            ("form-data", {"name": "f", "filename": 'a "q".txt'}),
        ),
        (
            "text/plain; charset = utf-8 ;x",
            ("text/plain", {"charset": "utf-8", "x": ""}),
        ),
        ('a; n="1"; n="2"', ("a", {"n": "1"})),
        ('a; n="unterminated', ("a", {"n": '"unterminated'})),
        ('a; n="C:\\dir\\x \\\\ \\0"', ("a", {"n": "C:\\dir\\x \\ \\0"})),
        ("a; n=", ("a", {"n": ""})),
    ],
)
def test_parse_options_header(value: str, expected: tuple[str, dict[str, str]]) -> None:
    assert parse_options_header(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("UTF-8''na%C3%AFve%20file.txt", "naïve file.txt"),
        ("utf-8'en'%E2%82%AC", "€"),
        ("iso-8859-1''%E9t%E9", "été"),
        ("''plain", "plain"),
        ("no-quotes", None),
        ("bogus-charset''x", None),
        ("utf-8''%ff", None),
    ],
)
def test_decode_ext_value_rfc5987(value: str, expected: str | None) -> None:
    assert decode_ext_value(value) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("test=It worked!", {"test": "It worked!"}),
        ("a=1; b=2;c=3", {"a": "1", "b": "2", "c": "3"}),
        ('q="quoted value"; e=', {"q": "quoted value", "e": ""}),
        ("a=1; a=2", {"a": "1"}),
        ("flag; =x; b=x=y", {"b": "x=y"}),
        ("", {}),
    ],
)
def test_parse_cookie_header(header: str, expected: dict[str, str]) -> None:
    assert parse_cookie_header(header) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost:8080", ("localhost", 8080)),
        ("example.com", ("example.com", None)),
        ("example.com:", ("example.com", None)),
        ("example.com:http", ("example.com", None)),
        ("[::1]:8000", ("[::1]", 8000)),
        ("[::1]", ("[::1]", None)),
        ("::1", ("::1", None)),
        ("h:99999", ("h", None)),
        ("h:²", ("h", None)),
    ],
)
def test_split_host_port(host: str, expected: tuple[str, int | None]) -> None:
    assert split_host_port(host) == expected


def test_parse_port_bounds() -> None:
    assert parse_port(" 443 ") == 443
    assert parse_port("0") is None
    assert parse_port("65535") == 65535
    assert parse_port("65536") is None
    assert parse_port("1" * 5000) is None


@given(st.text(max_size=80))
def test_header_parsers_never_raise(value: str) -> None:
    kind, params = parse_options_header(value)
    assert kind == kind.lower()
    assert all(isinstance(v, str) for v in params.values())
    assert all(isinstance(v, str) for v in parse_cookie_header(value).values())
    name, port = split_host_port(value)
    assert isinstance(name, str)
    assert port is None or 0 <= port <= 65535
    result = decode_ext_value(value)
    assert result is None or isinstance(result, str)


def test_multipart_decodes_header_values_with_the_header_decoder() -> None:
    from sanic_request import _headers, _multipart

    # One rule for bytes of a header value: UTF-8 where valid, else Latin-1.
    assert _multipart.decode_value is _headers.decode_value
    assert not hasattr(_multipart, "_decode_header")
    assert _headers.decode_value("é".encode()) == "é"
    assert _headers.decode_value(b"\xe9") == "é"
