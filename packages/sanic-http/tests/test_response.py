"""HTTPResponse, StreamingHTTPResponse and the response helpers, read back as bytes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from multidict import CIMultiDict
from sanic_test_helpers import parse_response as parse
from sanic_test_helpers import split_response as split

from sanic_http import (
    HTTPResponse,
    InvalidHeaderError,
    StreamingHTTPResponse,
    empty,
    html,
    json,
    raw,
    redirect,
    stream,
    text,
)


def test_text_output_is_a_complete_response() -> None:
    parsed = parse(text("héllo").output())
    assert parsed.version == "1.1"
    assert (parsed.status, parsed.reason) == (200, "OK")
    assert parsed.get("Content-Type") == "text/plain; charset=utf-8"
    assert parsed.get("Content-Length") == str(len("héllo".encode()))
    assert parsed.get("Connection") == "close"
    assert parsed.get("Date").endswith(" GMT")  # type: ignore[union-attr]
    assert parsed.body == "héllo".encode()
    assert parsed.complete


def test_seed_custom_protocol_call_with_version_only() -> None:
    # The guide's CustomHttpProtocol calls response.output(self.request.version).
    assert text("response").output("1.0").startswith(b"HTTP/1.0 200 OK\r\n")


def test_unknown_version_is_answered_as_1_1() -> None:
    assert text("x").output("2.7").startswith(b"HTTP/1.1 200 OK\r\n")


def test_status_line_for_unregistered_code_has_empty_reason() -> None:
    assert HTTPResponse(status=299).output().startswith(b"HTTP/1.1 299 \r\n")


@pytest.mark.parametrize("status", [0, 99, 1000, -1])
def test_out_of_range_status_is_refused(status: int) -> None:
    with pytest.raises(InvalidHeaderError):
        HTTPResponse(status=status).output()


def test_keep_alive_headers() -> None:
    parsed = parse(text("x").output("1.1", keep_alive=True, keep_alive_timeout=5))
    assert parsed.get("Connection") == "keep-alive"
    assert parsed.get("Keep-Alive") == "timeout=5"
    parsed = parse(text("x").output("1.0", keep_alive=True))
    assert parsed.get("Connection") == "keep-alive"
    assert parsed.get("Keep-Alive") is None


def test_head_output_keeps_length_but_drops_body() -> None:
    data = text("twelve bytes").output(include_body=False)
    parsed = parse(data, head=True)
    assert parsed.get("Content-Length") == "12"
    assert data.endswith(b"\r\n\r\n")


@pytest.mark.parametrize("status", [100, 101, 204, 304])
def test_no_body_statuses(status: int) -> None:
    data = HTTPResponse("ignored", status=status).output()
    parsed = split(data)
    assert parsed.status == status
    assert parsed.body == b""
    assert parsed.get("Content-Length") is None
    assert parsed.get("Content-Type") is None


def test_body_kinds() -> None:
    assert HTTPResponse().body == b""
    assert HTTPResponse(body_bytes=b"raw").body == b"raw"
    assert HTTPResponse(bytearray(b"ba")).body == b"ba"
    assert text(42).body == b"42"


@pytest.mark.parametrize(
    ("value", "body"),
    [(902, b"902"), (1.5, b"1.5"), (True, b"True"), ({"a": 1}, b"{'a': 1}")],
)
def test_bodies_that_are_not_text_or_bytes_are_their_str(
    value: object, body: bytes
) -> None:
    for response in (text(value), html(value), HTTPResponse(body=value)):
        assert response.body == body
        assert parse(response.output()).body == body


def test_bytes_like_bodies_are_sent_as_they_are() -> None:
    for value in (b"raw", bytearray(b"raw"), memoryview(b"raw")):
        assert text(value).body == html(value).body == b"raw"
        assert HTTPResponse(value).body == b"raw"
    assert text(None).body == html(None).body == b"None"
    assert HTTPResponse(None).body == b""


def test_headers_are_case_insensitive_and_mutable() -> None:
    response = text("x", headers={"x-one": "1"})
    assert isinstance(response.headers, CIMultiDict)
    response.headers["Server"] = "Fake-Server"
    response.headers["x-xss-protection"] = "1; mode=block"
    assert response.headers["X-ONE"] == "1"
    parsed = parse(response.output())
    assert parsed.get("server") == "Fake-Server"
    assert parsed.get("X-XSS-Protection") == "1; mode=block"


def test_non_string_header_values_are_converted() -> None:
    response = text("x", headers={"X-Answer": 42})
    response.headers["X-Float"] = 1.5
    parsed = parse(response.output())
    assert parsed.get("X-Answer") == "42"
    assert parsed.get("X-Float") == "1.5"


def test_repeated_headers_are_each_written() -> None:
    response = text("x", headers=[("Vary", "Accept"), ("Vary", "Cookie")])
    assert parse(response.output()).get_all("vary") == ["Accept", "Cookie"]


def test_content_type_header_overrides_attribute() -> None:
    response = text("x", headers={"content-type": "text/csv"})
    assert parse(response.output()).get_all("Content-Type") == ["text/csv"]


def test_server_owned_headers_set_by_handler_are_ignored() -> None:
    response = text(
        "abc",
        headers={
            "Content-Length": "999",
            "Transfer-Encoding": "chunked",
            "Connection": "upgrade",
            "Keep-Alive": "timeout=1",
        },
    )
    parsed = parse(response.output())
    assert parsed.get("Content-Length") == "3"
    assert parsed.get("Transfer-Encoding") is None
    assert parsed.get("Connection") == "close"
    assert parsed.get("Keep-Alive") is None


def test_handler_date_header_is_kept() -> None:
    response = text("x", headers={"Date": "Sun, 06 Nov 1994 08:49:37 GMT"})
    assert parse(response.output()).get("Date") == "Sun, 06 Nov 1994 08:49:37 GMT"


@pytest.mark.parametrize(
    "value", ["a\r\nSet-Cookie: evil=1", "a\rb", "a\nb", "a\x00b", "\x1f", "\x7f"]
)
def test_header_value_with_cr_lf_nul_is_refused(value: str) -> None:
    response = text("x", headers={"X-Bad": value})
    with pytest.raises(InvalidHeaderError):
        response.output()


@pytest.mark.parametrize("name", ["X Bad", "X:Bad", "X\r\nBad", "", "Ünï"])
def test_invalid_header_name_is_refused(name: str) -> None:
    response = text("x")
    response.headers[name] = "v"
    for _ in range(2):  # a refused name is not remembered as good
        with pytest.raises(InvalidHeaderError):
            response.output()


def test_content_type_with_newline_is_refused() -> None:
    with pytest.raises(InvalidHeaderError):
        text("x", content_type="text/plain\r\nX-Evil: 1").output()


_CONTROLS = {chr(c) for c in [*range(0x09), *range(0x0A, 0x20), 0x7F]}


@given(
    st.one_of(
        st.text(),
        st.sampled_from(["Content-Length", "TRANSFER-ENCODING", "Date", "Server"]),
    ),
    st.text(),
)
def test_no_cr_or_lf_reaches_the_wire(name: str, value: str) -> None:
    response = text("body")
    response.headers[name] = value
    try:
        data = response.output()
    except InvalidHeaderError:
        assert (
            any(c in value for c in _CONTROLS)
            or not name
            or any(
                not (c.isascii() and (c.isalnum() or c in "!#$%&'*+-.^_`|~"))
                for c in name
            )
        )
        return
    head = data[: data.index(b"\r\n\r\n")]
    for line in head.split(b"\r\n"):
        assert b"\r" not in line and b"\n" not in line and b"\x00" not in line
    parsed = parse(data)
    # Parsers drop optional whitespace around a value (RFC 9110 §5.5).
    server_values = {
        "content-length": ["4"],
        "connection": ["close"],
        "transfer-encoding": [],
        "keep-alive": [],
    }
    if name.lower() in server_values:
        # The server writes these itself; a handler's value is never copied.
        assert parsed.get_all(name) == server_values[name.lower()]
    else:
        assert (name, value.strip(" \t")) in parsed.fields
    assert parsed.body == b"body"


def test_html_raw_json_content_types() -> None:
    assert html("<b>x</b>").content_type == "text/html; charset=utf-8"
    assert raw(b"\x00\x01").content_type == "application/octet-stream"
    assert raw(b"\x00\x01").body == b"\x00\x01"
    response = json({"a": [1, 2]}, status=201, headers={"X-A": "1"})
    assert (response.status, response.content_type) == (201, "application/json")
    assert response.body == b'{"a":[1,2]}'
    assert response.headers["X-A"] == "1"


def test_json_with_kwargs_and_custom_dumps() -> None:
    assert json({"b": 1, "a": 2}, sort_keys=True).body == b'{"a":2,"b":1}'
    assert json([1], indent=2).body == b"[\n  1\n]"
    assert json([1], dumps=lambda value: b"custom").body == b"custom"
    assert json([1], dumps=lambda value, **kw: str(kw), x=1).body == b"{'x': 1}"


def test_redirect_location_and_status() -> None:
    response = redirect("/new place?q=ü&x=%20")
    parsed = parse(response.output())
    assert parsed.status == 302
    assert parsed.get("Location") == "/new%20place?q=%C3%BC&x=%20"
    assert parse(redirect("https://e.com/a", status=301).output()).status == 301


@pytest.mark.parametrize(
    "target", ["/a\r\nSet-Cookie: x=1", "/a\nb", "/a\x00", "/\x7f"]
)
def test_redirect_refuses_control_characters(target: str) -> None:
    with pytest.raises(ValueError):
        redirect(target)


def test_cookies_are_created_lazily_and_written() -> None:
    response = text("x")
    assert response._cookies is None
    response.cookies["a"] = "1"
    response.cookies["b"] = "2"
    assert parse(response.output()).get_all("Set-Cookie") == [
        "a=1; Path=/",
        "b=2; Path=/",
    ]


def test_repr() -> None:
    assert (
        repr(text("x", status=404)) == "<HTTPResponse: 404 text/plain; charset=utf-8>"
    )


def _run(coro: Awaitable[bool]) -> bool:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def _send(
    response: HTTPResponse, version: str = "1.1", **kwargs: object
) -> tuple[bytes, bool]:
    pieces: list[bytes] = []
    keep = await response.send(pieces.append, version, **kwargs)  # type: ignore[arg-type]
    return b"".join(pieces), keep


def test_plain_response_send_matches_output() -> None:
    data, keep = asyncio.run(_send(text("x"), keep_alive=True))
    assert keep is True
    assert split(data).body == b"x"
    assert split(data).get("Connection") == "keep-alive"


def _chunks(*pieces: str | bytes) -> Callable[[StreamingHTTPResponse], Awaitable[None]]:
    async def streaming_fn(response: StreamingHTTPResponse) -> None:
        for piece in pieces:
            await response.write(piece)

    return streaming_fn


def test_stream_is_chunked_on_http_1_1() -> None:
    response = stream(_chunks("foo", b"", b"barbaz"), headers={"X-S": 1})
    data, keep = asyncio.run(_send(response, keep_alive=True))
    assert keep is True
    parsed = parse(data)
    assert parsed.get("Transfer-Encoding") == "chunked"
    assert parsed.get("Content-Length") is None
    assert parsed.get("X-S") == "1"
    assert parsed.body == b"foobarbaz"
    assert parsed.complete
    assert data.endswith(b"3\r\nfoo\r\n6\r\nbarbaz\r\n0\r\n\r\n")


def test_stream_on_http_1_0_closes_to_end_the_body() -> None:
    data, keep = asyncio.run(_send(stream(_chunks("abc")), "1.0", keep_alive=True))
    assert keep is False
    parsed = split(data)
    assert parsed.get("Connection") == "close"
    assert parsed.get("Transfer-Encoding") is None
    assert parsed.body == b"abc"


def test_stream_head_does_not_run_the_function() -> None:
    async def explode(response: StreamingHTTPResponse) -> None:
        raise AssertionError("must not run")

    data, _ = asyncio.run(_send(stream(explode), include_body=False))
    assert data.endswith(b"\r\n\r\n")
    assert split(data).get("Transfer-Encoding") == "chunked"


def test_stream_with_no_body_status_sends_only_the_head() -> None:
    data, _ = asyncio.run(_send(stream(_chunks("x"), status=204)))
    assert split(data).body == b""


def test_stream_write_awaits_drain() -> None:
    drained = []

    async def drain() -> None:
        drained.append(True)

    async def main() -> bytes:
        pieces: list[bytes] = []
        await stream(_chunks("a", "b")).send(pieces.append, drain=drain)
        return b"".join(pieces)

    assert parse(asyncio.run(main())).body == b"ab"
    assert drained == [True, True]


def test_stream_accepts_old_style_unawaited_write() -> None:
    async def old_style(response: StreamingHTTPResponse) -> None:
        response.write("sync")  # old code did not await; no warning, data sent

    data, _ = asyncio.run(_send(stream(old_style)))
    assert parse(data).body == b"sync"


def test_stream_with_content_length_is_not_chunked() -> None:
    response = StreamingHTTPResponse(_chunks("ab", "cd"), content_length=4)
    data, _ = asyncio.run(_send(response))
    parsed = parse(data)
    assert parsed.get("Content-Length") == "4"
    assert parsed.body == b"abcd"


@pytest.mark.parametrize("pieces", [("abc",), ("abcdef",)])
def test_stream_content_length_mismatch_raises(pieces: tuple[str]) -> None:
    response = StreamingHTTPResponse(_chunks(*pieces), content_length=4)
    with pytest.raises(RuntimeError):
        asyncio.run(_send(response))


def test_stream_invalid_header_refused_before_anything_is_written() -> None:
    pieces: list[bytes] = []
    response = stream(_chunks("x"), headers={"X-Bad": "a\nb"})
    with pytest.raises(InvalidHeaderError):
        asyncio.run(response.send(pieces.append))
    assert pieces == []


def test_stream_write_outside_send_and_output_are_errors() -> None:
    response = stream(_chunks("x"))
    with pytest.raises(RuntimeError):
        response.write("x")
    with pytest.raises(TypeError):
        response.output()


def test_stream_is_an_http_response() -> None:
    assert isinstance(stream(_chunks()), HTTPResponse)


def test_tab_and_non_printable_unicode_values_are_allowed() -> None:
    response = text("x", headers={"X-Tab": "a\tb", "X-Sep": "a\u2028b"})
    data = response.output()
    assert b"X-Tab: a\tb\r\n" in data
    assert "X-Sep: a\u2028b\r\n".encode() in data


@pytest.mark.parametrize(
    ("version", "line"),
    [
        ("1.0", b"HTTP/1.0 404 Not Found\r\n"),
        ("1.1", b"HTTP/1.1 404 Not Found\r\n"),
        ("2.0", b"HTTP/1.1 404 Not Found\r\n"),
        ("0.9", b"HTTP/1.1 404 Not Found\r\n"),
    ],
)
@pytest.mark.parametrize("headers", [None, {"X-A": "1"}])
def test_status_line_answers_1_0_as_1_0_and_the_rest_as_1_1(
    version: str, line: bytes, headers: dict[str, str] | None
) -> None:
    response = text("x", status=404, headers=headers)
    for _ in range(2):  # computed, then cached
        assert response.output(version).startswith(line)


def test_header_name_cache_is_bounded() -> None:
    from sanic_http import _head

    for index in range(_head._CACHE_MAX + 10):
        response = text("x", headers={f"X-{index}": "v"})
        response.output()
    assert _head._name_kind.cache_info().currsize == _head._CACHE_MAX


def test_body_replaced_by_middleware_with_text_is_encoded() -> None:
    response = text("old")
    response.body = "nëw"  # type: ignore[assignment]
    parsed = parse(response.output())
    assert parsed.body == "nëw".encode()
    assert parsed.get("Content-Length") == "4"
    response.body = 12345  # type: ignore[assignment]
    assert parse(response.output()).body == b"12345"


@given(
    version=st.sampled_from(["1.0", "1.1"]),
    status=st.sampled_from([200, 201, 404, 418, 500, 599]),
    content_type=st.sampled_from(["text/plain; charset=utf-8", "a/b; x=%d%s", ""]),
    keep_alive=st.booleans(),
    timeout=st.sampled_from([None, 0, 5]),
    body=st.binary(max_size=64),
    include_body=st.booleans(),
)
def test_plain_fast_path_equals_the_general_head(
    version: str,
    status: int,
    content_type: str,
    keep_alive: bool,
    timeout: int | None,
    body: bytes,
    include_body: bool,
) -> None:
    # A response with headers takes the general path; one without takes the
    # cached template. Apart from the extra header they must be the same bytes.
    plain = HTTPResponse(body, status, content_type=content_type)
    general = HTTPResponse(body, status, {"X-A": "1"}, content_type=content_type)
    args = (version, keep_alive, timeout)
    fast = plain.output(*args, include_body=include_body)
    expected = general.output(*args, include_body=include_body).replace(
        b"X-A: 1\r\n", b"", 1
    )
    if fast != expected:  # the clock may have ticked into a new Date in between
        fast = plain.output(*args, include_body=include_body)
    assert fast == expected


def test_headers_are_created_on_demand_and_assignable() -> None:
    response = text("x")
    assert response.headers == CIMultiDict()
    response.headers["X-One"] = "1"
    assert b"X-One: 1\r\n" in response.output()
    response.headers = {"X-Two": "2"}
    assert isinstance(response.headers, CIMultiDict)
    output = response.output()
    assert b"X-Two: 2\r\n" in output and b"X-One" not in output
    response.headers = None
    assert b"X-Two" not in response.output()


def test_unsafe_content_type_is_refused_on_the_fast_path() -> None:
    with pytest.raises(InvalidHeaderError):
        text("x", content_type="text/plain\r\nX-Evil: 1").output()


def test_empty_is_204_without_body_length_or_type() -> None:
    parsed = parse(empty().output())
    assert (parsed.status, parsed.body) == (204, b"")
    assert parsed.get("Content-Length") is None
    assert parsed.get("Content-Type") is None


def test_empty_with_another_status_and_headers() -> None:
    parsed = parse(empty(status=202, headers={"X-Queued": "3"}).output())
    assert (parsed.status, parsed.body) == (202, b"")
    assert parsed.get("Content-Length") == "0"
    assert parsed.get("Content-Type") is None
    assert parsed.get("X-Queued") == "3"


@given(st.integers(min_value=0, max_value=253402300799))  # up to 9999-12-31
def test_http_date_is_the_imf_fixdate_of_the_standard_library(seconds: int) -> None:
    from email.utils import formatdate

    from sanic_http._head import http_date

    assert http_date(seconds) == formatdate(seconds, usegmt=True)


def test_http_date_ignores_the_locale() -> None:
    import locale

    from sanic_http._head import http_date

    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            assert http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT"
    finally:
        locale.setlocale(locale.LC_TIME, before)
