"""Cookies: reading, writing (domain, httponly) and deleting (expiry, max-age)."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest


def set_cookies(reply) -> dict[str, str]:
    """Each Set-Cookie header by cookie name (one header per cookie, RFC 6265)."""
    cookies = {}
    for header in reply.header_list("Set-Cookie"):
        name = header.split("=", 1)[0]
        assert name not in cookies, f"two Set-Cookie headers for {name}"
        cookies[name] = header
    return cookies


def attributes(header: str) -> dict[str, str]:
    """The cookie's attributes, lower-cased names (RFC 6265 section 5.2)."""
    found = {}
    for part in header.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        found[name.lower()] = value
    return found


@pytest.fixture(scope="module")
def reader(example):
    return example("cookies_read.py")


def test_reading_a_cookie(reader):
    reply = reader.get("/cookie", headers={"Cookie": "test=yummy; other=1"})
    assert reply.text == "Test cookie set to: yummy"


def test_reading_a_missing_cookie(reader):
    assert reader.get("/cookie").text == "Test cookie set to: None"


@pytest.fixture(scope="module")
def writer(example):
    return example("cookies_write.py")


def test_writing_a_cookie_with_domain_and_httponly(writer):
    reply = writer.get("/cookie")
    assert reply.text == "There's a cookie up in this response"
    header = set_cookies(reply)["test"]
    parsed = SimpleCookie(header)
    assert parsed["test"].value == "It worked!"
    attrs = attributes(header)
    assert attrs["domain"] == ".gotta-go-fast.com"
    assert "httponly" in attrs
    assert attrs.get("path") == "/"


@pytest.fixture(scope="module")
def deleter(example):
    return example("cookies_delete.py")


def test_deleted_cookies_expire_now(deleter):
    reply = deleter.get("/cookie")
    assert reply.text == "Time to eat some cookies muahaha"
    cookies = set_cookies(reply)
    attrs = attributes(cookies["kill_me"])
    assert attrs["max-age"] == "0"
    assert SimpleCookie(cookies["kill_me"])["kill_me"].value == ""


def test_short_life_cookie_has_max_age_5(deleter):
    header = set_cookies(deleter.get("/cookie"))["short_life"]
    assert SimpleCookie(header)["short_life"].value == "Glad to be here"
    assert attributes(header)["max-age"] == "5"


def test_cookie_set_then_deleted_on_the_same_response_remains_unchanged(deleter):
    cookies = set_cookies(deleter.get("/cookie"))
    # favorite_color: deleted, set twice, deleted again: the last deletion undoes
    # the cookie this response set, so nothing is sent for it ("This cookie will
    # remain unchanged" in the browser).
    assert sorted(cookies) == ["kill_me", "short_life"]
