"""``request.ctx`` (the user's namespace) and ``request.id`` (X-Request-ID or a
generated id): both made on first access only."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanic_request import Request

HEX32 = re.compile(r"[0-9a-f]{32}")


def make(headers: list[tuple[bytes, bytes]] | None = None) -> Request:
    return Request(b"/", headers or [], "1.1", "GET")


def test_ctx_is_made_on_first_access_and_kept() -> None:
    request = make()
    assert "ctx" not in vars(request)  # nothing made for a request that never asks
    request.ctx.user = "ann"
    assert isinstance(request.ctx, SimpleNamespace)
    assert request.ctx.user == "ann"
    assert vars(request)["ctx"] is request.ctx


def test_ctx_is_per_request_and_apart_from_item_storage() -> None:
    first, second = make(), make()
    first.ctx.n = 1
    first["n"] = 2
    assert not hasattr(second.ctx, "n")
    assert (first.ctx.n, first["n"]) == (1, 2)
    assert "n" not in second


def test_id_is_the_x_request_id_header() -> None:
    request = make([(b"x-request-id", b"abc-123_DEF.4:5")])
    assert "id" not in vars(request)
    assert request.id == "abc-123_DEF.4:5"
    assert "id" in vars(request)


def test_id_is_generated_without_the_header_and_then_fixed() -> None:
    request = make([(b"Host", b"example.com")])
    first = request.id
    assert HEX32.fullmatch(first)
    assert request.id == first
    assert make().id != first


@pytest.mark.parametrize(
    "value",
    [b"", b"a" * 129, b"has space", b"tab\there", b"new\nline", b"back\\slash",
     "é".encode(), b"<script>"],
)  # fmt: skip
def test_an_invalid_or_oversized_header_is_replaced(value: bytes) -> None:
    request = make([(b"X-Request-ID", value)])
    assert HEX32.fullmatch(request.id)


def test_the_longest_accepted_value_and_a_subclass_limit() -> None:
    longest = "a" * 128
    assert make([(b"X-Request-ID", longest.encode())]).id == longest

    class Short(Request):
        request_id_header = "X-Trace"
        max_request_id_length = 4

    request = Short(b"/", [(b"X-Trace", b"abcd")], "1.1", "GET")
    assert request.id == "abcd"
    request = Short(b"/", [(b"X-Trace", b"abcde")], "1.1", "GET")
    assert HEX32.fullmatch(request.id)


@given(st.text(max_size=200))
def test_an_id_is_always_safe_to_log(value: str) -> None:
    request = Request(b"/", {"X-Request-ID": value}, "1.1", "GET")
    assert re.fullmatch(r"[A-Za-z0-9._:+/=@-]{1,128}", request.id)
    assert request.id == value or HEX32.fullmatch(request.id)
