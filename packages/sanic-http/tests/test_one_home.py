"""Rules more than one module needs are defined once, in sanic-http."""

from __future__ import annotations

import logging

import pytest

from sanic_http import (
    Cookie,
    CookieJar,
    InvalidHeaderError,
    _cookies,
    _head,
    _syntax,
    _writing,
    text,
)
from sanic_http import log as http_log


def test_the_token_pattern_is_one_object() -> None:
    # Header names and cookie names follow RFC 9110's token rule through one pattern.
    assert _head._TOKEN is _syntax.TOKEN
    assert _cookies._TOKEN is _syntax.TOKEN


@pytest.mark.parametrize("name", ["a b", "x:y", "é", "", "a\r\nb"])
def test_header_and_cookie_names_refuse_the_same_non_tokens(name: str) -> None:
    assert _syntax.TOKEN.fullmatch(name) is None
    response = text("x", headers={name: "v"})
    with pytest.raises(InvalidHeaderError):
        response.output()
    with pytest.raises(ValueError, match="invalid cookie name"):
        CookieJar()[name] = "v"


def test_a_token_is_a_valid_header_and_cookie_name() -> None:
    name = "!#$%&'*+-.^_`|~09azAZ"
    assert _syntax.TOKEN.fullmatch(name)
    assert f"{name}: v\r\n".encode() in text("x", headers={name: "v"}).output()
    assert isinstance(Cookie(name, "v"), Cookie)


def test_the_loggers_are_created_once_in_sanic_http_log() -> None:
    assert http_log.logger is logging.getLogger("sanic.root")
    assert http_log.error_logger is logging.getLogger("sanic.error")
    assert http_log.access_logger is logging.getLogger("sanic.access")
    assert _writing.error_logger is http_log.error_logger
    assert _writing.access_logger is http_log.access_logger
