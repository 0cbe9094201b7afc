"""Response cookies as the guide's "Cookies" section uses them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sanic_test_helpers import parse_response as parse

from sanic_http import Cookie, CookieJar, text
from sanic_http._cookies import format_http_date


def set_cookies(response_cookies: CookieJar) -> list[str]:
    response = text("x")
    response._cookies = response_cookies
    return parse(response.output()).get_all("Set-Cookie")


def test_guide_writing_cookies() -> None:
    response = text("There's a cookie up in this response")
    response.cookies["test"] = "It worked!"
    response.cookies["test"]["domain"] = ".gotta-go-fast.com"
    response.cookies["test"]["httponly"] = True
    assert parse(response.output()).get_all("Set-Cookie") == [
        'test="It worked!"; Path=/; Domain=.gotta-go-fast.com; HttpOnly'
    ]


def test_guide_deleting_cookies() -> None:
    response = text("Time to eat some cookies muahaha")
    del response.cookies["kill_me"]
    response.cookies["short_life"] = "Glad to be here"
    response.cookies["short_life"]["max-age"] = 5
    del response.cookies["favorite_color"]
    response.cookies["favorite_color"] = "blue"
    response.cookies["favorite_color"] = "pink"
    del response.cookies["favorite_color"]
    lines = parse(response.output()).get_all("Set-Cookie")
    # "This cookie will remain unchanged": favorite_color was set on this response
    # before its last deletion, so nothing is sent for it.
    assert lines == [
        "kill_me=; Path=/; Max-Age=0",
        'short_life="Glad to be here"; Path=/; Max-Age=5',
    ]
    assert "favorite_color" not in response.cookies
    with pytest.raises(KeyError):
        _ = response.cookies["favorite_color"]


def test_deleting_a_cookie_set_on_this_response_removes_it() -> None:
    jar = CookieJar()
    jar["a"] = "1"
    jar["a"]["domain"] = ".example.com"
    del jar["a"]
    assert "a" not in jar and len(jar) == 0 and not jar
    assert set_cookies(jar) == []
    with pytest.raises(KeyError):
        _ = jar["a"]


def test_deleting_a_name_not_set_sends_an_expiring_cookie() -> None:
    jar = CookieJar()
    del jar["a"]
    assert set_cookies(jar) == ["a=; Path=/; Max-Age=0"]
    # The deletion can be made to match the cookie the browser has.
    jar["a"]["domain"] = ".example.com"
    jar["a"]["secure"] = True
    del jar["a"]  # still a deletion, not undone
    assert set_cookies(jar) == ["a=; Path=/; Domain=.example.com; Max-Age=0; Secure"]


def test_setting_again_after_delete_starts_a_fresh_cookie() -> None:
    jar = CookieJar()
    del jar["a"]
    jar["a"] = "2"
    assert set_cookies(jar) == ["a=2; Path=/"]
    del jar["a"]
    jar["a"] = "3"
    assert set_cookies(jar) == ["a=3; Path=/"]


def test_setting_again_keeps_attributes() -> None:
    jar = CookieJar()
    jar["a"] = "1"
    jar["a"]["secure"] = True
    jar["a"] = "2"
    assert set_cookies(jar) == ["a=2; Path=/; Secure"]


def test_a_deletion_takes_the_attributes_a_browser_needs_to_match() -> None:
    jar = CookieJar()
    del jar["__Secure-id"]
    jar["__Secure-id"]["secure"] = True
    jar["__Secure-id"]["samesite"] = "none"
    assert set_cookies(jar) == [
        "__Secure-id=; Path=/; Max-Age=0; Secure; SameSite=None"
    ]


def test_all_attributes() -> None:
    jar = CookieJar()
    jar["c"] = "v"
    cookie = jar["c"]
    cookie["expires"] = datetime(2017, 3, 5, 8, 9, 10, tzinfo=timezone.utc)
    cookie["path"] = "/app"
    cookie["comment"] = "just a test"
    cookie["domain"] = ".example.com"
    cookie["max-age"] = "60"
    cookie["secure"] = True
    cookie["httponly"] = 1
    cookie["samesite"] = "strict"
    cookie["Partitioned"] = True
    assert set_cookies(jar) == [
        "c=v; Path=/app; Domain=.example.com; Max-Age=60; "
        "Expires=Sun, 05 Mar 2017 08:09:10 GMT; Secure; HttpOnly; SameSite=Strict; "
        "Partitioned; Comment=just a test"
    ]
    assert cookie["max-age"] == 60
    assert "secure" in cookie and len(cookie) == 9
    assert cookie.get("comment") == "just a test"


def test_false_flags_and_removed_attributes_are_not_written() -> None:
    jar = CookieJar()
    jar["c"] = "v"
    jar["c"]["secure"] = False
    jar["c"]["domain"] = None
    jar["c"]["comment"] = "x"
    del jar["c"]["comment"]
    del jar["c"]["path"]
    assert set_cookies(jar) == ["c=v"]


def test_unknown_attribute_raises_key_error() -> None:
    cookie = Cookie("a", "b")
    with pytest.raises(KeyError):
        cookie["colour"] = "blue"
    with pytest.raises(KeyError):
        _ = cookie["colour"]
    with pytest.raises(KeyError):
        cookie.get("colour")


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        ("max-age", "soon", ValueError),
        ("max-age", 1.5, TypeError),
        ("max-age", True, TypeError),
        ("expires", 12345, TypeError),
        ("samesite", "sometimes", ValueError),
        ("domain", "a.com\r\nX-Evil: 1", ValueError),
        ("path", "/a;b", ValueError),
        ("comment", "line\nbreak", ValueError),
    ],
)
def test_invalid_attribute_values_are_refused(
    key: str, value: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        Cookie("a", "b")[key] = value


@pytest.mark.parametrize("name", ["", "a b", "a;b", "a=b", "a\r\nb", "é", 'a"'])
def test_invalid_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        CookieJar()[name] = "v"
    with pytest.raises(ValueError):
        del CookieJar()[name]


def test_jar_mapping_behaviour() -> None:
    jar = CookieJar()
    assert not jar and len(jar) == 0
    jar["a"] = "1"
    jar["b"] = "2"
    assert "a" in jar and "z" not in jar
    assert list(jar) == ["a", "b"]
    assert [cookie.key for cookie in jar.values()] == ["a", "b"]
    assert jar.get("z") is None
    with pytest.raises(KeyError):
        _ = jar["z"]
    assert repr(jar["a"]) == "<Cookie 'a=1; Path=/'>"


def test_expires_naive_is_utc_and_aware_is_converted() -> None:
    naive = datetime(1994, 11, 6, 8, 49, 37)
    assert format_http_date(naive) == "Sun, 06 Nov 1994 08:49:37 GMT"
    aware = naive.replace(tzinfo=timezone(timedelta(hours=2)))
    assert format_http_date(aware) == "Sun, 06 Nov 1994 06:49:37 GMT"


def test_expires_string_is_written_as_given() -> None:
    cookie = Cookie("a", "b")
    cookie["expires"] = "Thu, 01 Jan 1970 00:00:00 GMT"
    assert cookie.output() == "a=b; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        ("plain", "plain"),
        ("", ""),
        ("with space", '"with space"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("a;b,c", '"a\\073b\\054c"'),
        ("back\\slash", '"back\\\\slash"'),
        ("cr\r\nlf", '"cr\\015\\012lf"'),
    ],
)
def test_values_are_quoted_when_needed(value: str, wire: str) -> None:
    assert Cookie("k", value).output() == f"k={wire}; Path=/"


@given(st.text())
def test_any_value_round_trips_and_stays_on_one_line(value: str) -> None:
    jar = CookieJar()
    jar["k"] = value
    (line,) = set_cookies(jar)
    assert not any(c in line for c in "\r\n\x00")
    # What a server-side cookie parser reads back is the value that was set.
    if value.isascii():
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(line)
        assert parsed["k"].value == value


@given(st.text(), st.sampled_from(["path", "domain", "comment"]))
def test_attribute_values_never_break_the_line(value: str, key: str) -> None:
    cookie = Cookie("k", "v")
    try:
        cookie[key] = value
    except ValueError:
        assert any(c in value for c in ";\x7f") or any(ord(c) < 0x20 for c in value)
        return
    assert not any(c in cookie.output() for c in "\r\n\x00")


def test_encode_is_the_set_cookie_value_in_bytes() -> None:
    cookie = Cookie("name", "café au lait")
    cookie["max-age"] = 60
    value = 'name="café au lait"; Path=/; Max-Age=60'
    assert cookie.output() == value
    assert cookie.encode() == value.encode("utf-8")
    assert cookie.encode("utf-8") == value.encode("utf-8")
    assert cookie.encode("latin-1") == value.encode("latin-1")
    with pytest.raises(UnicodeEncodeError):
        cookie.encode("ascii")
    # What encode() gives is what the response head carries.
    response = text("x")
    response.cookies["name"] = "café au lait"
    response.cookies["name"]["max-age"] = 60
    assert b"\r\nSet-Cookie: " + cookie.encode() + b"\r\n" in response.output()
