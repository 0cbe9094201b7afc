from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanic_request import Request, RequestParseError

MakeRequest = Callable[..., Request]


def json_request(make_request: MakeRequest, body: bytes) -> Request:
    return make_request(
        b"/json", {"Content-Type": "application/json"}, body=body, method="POST"
    )


@pytest.mark.usefixtures("json_backend")
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b'{"received": true, "n": [1, 2.5, null]}',
            {"received": True, "n": [1, 2.5, None]},
        ),
        (b'"\xc3\xa9"', "é"),
        (b" 3 ", 3),
        (b"null", None),
    ],
)
def test_decodes_json(make_request: MakeRequest, body: bytes, expected: object) -> None:
    assert json_request(make_request, body).json == expected


@pytest.mark.usefixtures("json_backend")
def test_empty_body_is_none(make_request: MakeRequest) -> None:
    assert json_request(make_request, b"").json is None


@pytest.mark.usefixtures("json_backend")
def test_parsed_once(make_request: MakeRequest) -> None:
    request = json_request(make_request, b'{"a": [1]}')
    assert request.json is request.json


@pytest.mark.usefixtures("json_backend")
@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"a": 1} trailing',
        b'"\xff"',
        b"\xef\xbb\xbf{}",  # byte-order mark, RFC 8259 section 8.1
        b"NaN",
        b"[Infinity]",
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_invalid_json_is_a_400(make_request: MakeRequest, body: bytes) -> None:
    request = json_request(make_request, body)
    with pytest.raises(RequestParseError, match="parsing body as json") as info:
        _ = request.json
    assert info.value.status == 400
    assert info.value.__cause__ is not None


@pytest.mark.usefixtures("json_backend")
def test_nesting_beyond_max_json_depth_is_a_400(make_request: MakeRequest) -> None:
    class Shallow(Request):
        max_json_depth = 3

    ok = Shallow(b"/", {}, "1.1", "POST")
    ok.body = b'[{"a": [1]}, {"b": "[[[[[[[["}]'
    assert ok.json == [{"a": [1]}, {"b": "[[[[[[[["}]
    deep = Shallow(b"/", {}, "1.1", "POST")
    deep.body = b'[{"a": [[1]]}]'
    with pytest.raises(RequestParseError, match="deeper than 3") as info:
        _ = deep.json
    assert info.value.status == 400
    scalar = Shallow(b"/", {}, "1.1", "POST")
    scalar.body = b'"[[[[[[["'
    assert scalar.json == "[[[[[[["


@pytest.mark.usefixtures("json_backend")
def test_default_depth_limit(make_request: MakeRequest) -> None:
    depth = Request.max_json_depth
    ok = json_request(make_request, b"[" * depth + b"]" * depth)
    assert isinstance(ok.json, list)
    deep = json_request(make_request, b"[" * (depth + 1) + b"]" * (depth + 1))
    with pytest.raises(RequestParseError):
        _ = deep.json


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
@pytest.mark.usefixtures("json_backend")
def test_arbitrary_bodies_raise_only_parse_errors(
    make_request: MakeRequest, body: bytes
) -> None:
    try:
        _ = json_request(make_request, body).json
    except RequestParseError as err:
        assert err.status == 400


nested_json = st.recursive(
    st.integers(0, 9) | st.just("[{"),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from("ab"), children, max_size=2)
    ),
    max_leaves=12,
)


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@given(nested_json, st.integers(1, 6), st.sampled_from([(",", ":"), (", ", ": ")]))
@pytest.mark.usefixtures("json_backend")
def test_depth_limit_holds_at_every_body_length(
    value: object, limit: int, separators: tuple[str, str]
) -> None:
    # Bodies short enough to skip the bracket count can never nest too deep;
    # the limit is exact for all the others.
    class Limited(Request):
        max_json_depth = limit

    request = Limited(b"/", {}, "1.1", "POST")
    request.body = json.dumps(value, separators=separators).encode()
    if _depth(value) > limit:
        with pytest.raises(RequestParseError, match=f"deeper than {limit}"):
            _ = request.json
    else:
        assert request.json == value
