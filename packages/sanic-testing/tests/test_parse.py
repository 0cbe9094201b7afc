from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanic.response import HTTPResponse
from sanic_testing._parse import WireMessage, dechunk, parse_response


def chunked(pieces: list[bytes]) -> bytes:
    return b"".join(b"%x\r\n%b\r\n" % (len(p), p) for p in pieces if p) + b"0\r\n\r\n"


@given(st.lists(st.binary(max_size=64), max_size=10))
def test_dechunk_inverts_chunking(pieces: list[bytes]) -> None:
    assert dechunk(chunked(pieces)) == b"".join(pieces)


@given(
    st.binary(max_size=200),
    st.sampled_from([200, 201, 404, 500]),
    st.text(alphabet="abcdefgh", min_size=1, max_size=8),
)
def test_parse_reads_what_output_writes(body: bytes, status: int, value: str) -> None:
    original = HTTPResponse(body_bytes=body, status=status, headers={"X-V": value})
    parsed = parse_response(original.output("1.1", True, 5))
    assert (parsed.status, parsed.body) == (status, body)
    assert parsed.headers["X-V"] == value
    assert parsed.headers["Content-Length"] == str(len(body))


def test_chunk_extensions_are_ignored() -> None:
    assert dechunk(b"3;name=x\r\nabc\r\n0\r\n\r\n") == b"abc"


@pytest.mark.parametrize("data", [b"3\r\nab", b"3\r\nabc", b"3\r\nabcd\r\n"])
def test_truncated_chunks_are_errors(data: bytes) -> None:
    with pytest.raises(ValueError):
        dechunk(data)


def test_not_a_response_is_an_error() -> None:
    with pytest.raises(ValueError, match="header section"):
        parse_response(b"HTTP/1.1 200 OK\r\n")


def test_body_without_length_runs_to_the_end() -> None:
    parsed = parse_response(b"HTTP/1.0 200 OK\r\nX: y\r\n\r\nall of it")
    assert parsed.body == b"all of it"
    assert parsed.reason == "OK"


def reading(message: WireMessage, full: bool) -> bytes | str:
    try:
        return message.body(message.headers() if full else None)
    except ValueError:
        return "error"


@given(st.binary(max_size=40), st.data())
def test_the_quick_body_reading_agrees_with_the_full_one(
    rest: bytes, data: st.DataObject
) -> None:
    size = len(rest)
    lines = data.draw(
        st.lists(
            st.sampled_from(
                [
                    f"Content-Length: {size}",
                    f"content-length:{size}",
                    f"Content-Length: {max(size - 1, 0)}",
                    f"Content-Length: 0{size}",
                    f"X-Content-Length: {size}",
                    "Transfer-Encoding: chunked",
                    "Transfer-Encoding: gzip",
                    "X-A: b",
                ]
            ),
            max_size=4,
        )
    )
    message = WireMessage("\r\n".join(lines).encode(), rest)
    assert reading(message, full=False) == reading(message, full=True)


def test_headers_and_body_are_read_on_first_use() -> None:
    data = HTTPResponse("hi", headers={"X-V": "1"}).output("1.1", True, 5)
    parsed = parse_response(data)
    assert (parsed.status, parsed.reason) == (200, "OK")
    assert "headers" not in vars(parsed)
    assert parsed.json is None and parsed.body == b"hi"
    assert "headers" not in vars(parsed)
    assert parsed.headers["X-V"] == "1"
    assert parsed.text == "hi"
