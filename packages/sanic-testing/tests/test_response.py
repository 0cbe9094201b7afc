from __future__ import annotations

from multidict import CIMultiDict
from yarl import URL

from sanic_testing import SanicTestResponse


def response(body: bytes, *headers: tuple[str, str]) -> SanicTestResponse:
    return SanicTestResponse(200, CIMultiDict(headers), body, "OK")


def test_text_uses_the_charset() -> None:
    latin = response(
        "é".encode("latin-1"), ("Content-Type", "text/plain; charset=latin-1")
    )
    assert latin.text == "é"
    assert response("é".encode()).text == "é"
    unknown = response(b"x", ("Content-Type", 'text/plain; charset="nope"'))
    assert unknown.text == "x"
    assert response(b"\xff").text == "\ufffd"


def test_json_is_parsed_or_none() -> None:
    assert response(b'{"a": [1]}').json == {"a": [1]}
    assert response(b"not json").json is None
    assert response(b"").json is None


def test_cookies_from_set_cookie_headers() -> None:
    result = response(
        b"",
        ("Set-Cookie", "a=1; Path=/"),
        ("Set-Cookie", 'b="two words"; HttpOnly'),
        ("Set-Cookie", "bad cookie here=; ="),
    )
    assert result.cookies["a"].value == "1"
    assert result.cookies["b"].value == "two words"
    assert result.cookies["b"]["httponly"] is True


def test_headers_are_read_only_and_case_insensitive() -> None:
    result = response(b"", ("Content-Type", "text/html"))
    assert result.headers["content-type"] == result.content_type == "text/html"
    assert not hasattr(result.headers, "add")
    assert repr(result) == "<SanicTestResponse: 200 text/html>"
    assert (result.status, result.reason) == (200, "OK")


def test_content_type_and_charset_as_aiohttp_gives_them() -> None:
    typed = response(b"x", ("Content-Type", 'Text/Plain; Charset="UTF-8"'))
    assert (typed.content_type, typed.charset) == ("text/plain", "UTF-8")
    assert typed.text == "x"
    untyped = response(b"x")
    assert (untyped.content_type, untyped.charset) == (
        "application/octet-stream",
        None,
    )
    assert untyped.text == "x"  # UTF-8 without a charset


def test_url_is_a_yarl_url_and_history_a_tuple() -> None:
    earlier = SanicTestResponse(302, CIMultiDict(), b"", "Found", url="http://h:1/a")
    final = SanicTestResponse(
        200, CIMultiDict(), b"", "OK", url=URL("http://h:1/b?c=d"), history=(earlier,)
    )
    assert final.url == URL("http://h:1/b?c=d")
    assert isinstance(earlier.url, URL)
    assert (earlier.url.port, earlier.url.path) == (1, "/a")
    assert final.history == (earlier,)
    assert earlier.history == ()
    assert response(b"").url == URL("")
