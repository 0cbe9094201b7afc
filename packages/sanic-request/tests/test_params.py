from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanic_request import File, RequestParameters, RequestParseError
from sanic_request._params import group_pairs, parse_urlencoded


def test_guide_get_and_getlist() -> None:
    args = RequestParameters()
    args["titles"] = ["Post 1", "Post 2"]
    assert args.get("titles") == "Post 1"
    assert args.getlist("titles") == ["Post 1", "Post 2"]


def test_get_and_getlist_defaults() -> None:
    args = RequestParameters({"empty": []})
    assert args.get("missing") is None
    assert args.get("missing", "d") == "d"
    assert args.get("empty", "d") == "d"
    assert args.getlist("missing") is None
    assert args.getlist("missing", []) == []


def test_is_a_plain_dict_for_json_encoders() -> None:
    params = group_pairs([("a", "1"), ("b", "2"), ("a", "3")])
    assert isinstance(params, dict)
    assert json.dumps(params) == '{"a": ["1", "3"], "b": ["2"]}'
    assert orjson.loads(orjson.dumps(params)) == {"a": ["1", "3"], "b": ["2"]}


def test_lone_blank_value_is_stored_as_empty_string() -> None:
    params = group_pairs([("x", ""), ("y", ""), ("y", ""), ("z", ""), ("z", "v")])
    assert dict(params) == {"x": "", "y": ["", ""], "z": ["", "v"]}
    assert params.get("x") == ""
    assert params.getlist("x") == [""]
    assert params.get("z") == ""
    assert params.getlist("z") == ["", "v"]


def test_file_is_a_named_tuple() -> None:
    upload = File(type="image/png", body=b"\x89PNG", name="a.png")
    assert (upload.type, upload.body, upload.name) == ("image/png", b"\x89PNG", "a.png")
    assert upload == ("image/png", b"\x89PNG", "a.png")
    assert upload._fields == ("type", "body", "name")


@pytest.mark.parametrize(
    ("data", "options", "expected"),
    [
        (b"", {}, []),
        (b"a=1&b=2&a=3", {}, [("a", "1"), ("b", "2"), ("a", "3")]),
        (b"a=&b", {}, []),
        (b"a=&b", {"keep_blank_values": True}, [("a", ""), ("b", "")]),
        (b"a+b=c+d&e%20f=%C3%A9", {}, [("a b", "c d"), ("e f", "é")]),
        (b"a=1&&b=2&", {}, [("a", "1"), ("b", "2")]),
        (b"a=%zz", {}, [("a", "%zz")]),
        (b"a=%ff", {}, [("a", "\ufffd")]),
        (b"a=%e9", {"encoding": "latin-1"}, [("a", "é")]),
        (b"a=b=c", {}, [("a", "b=c")]),
        (b"=v", {}, [("", "v")]),
        (b"a;b=1", {}, [("a;b", "1")]),
    ],
)
def test_parse_urlencoded(
    data: bytes, options: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    assert parse_urlencoded(data, **options) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data", [b"a=1&&b=2", b"a=1&b", b"a=%zz", b"a=%4", b"a=1&", b"&"]
)
def test_strict_parsing_rejects_malformed_fields(data: bytes) -> None:
    with pytest.raises(RequestParseError) as info:
        parse_urlencoded(data, strict_parsing=True, keep_blank_values=True)
    assert info.value.status == 400


def test_strict_errors_reject_undecodable_bytes() -> None:
    with pytest.raises(RequestParseError, match="Cannot decode"):
        parse_urlencoded(b"a=%ff", errors="strict")


def test_unknown_charset_is_a_parse_error() -> None:
    with pytest.raises(RequestParseError, match="no-such-charset"):
        parse_urlencoded(b"a=b", encoding="no-such-charset")
    with pytest.raises(RequestParseError):
        parse_urlencoded(b"a=b", encoding="base64")  # not a text encoding


def test_max_fields_counts_separators_with_the_given_status() -> None:
    assert len(parse_urlencoded(b"&".join([b"a=1"] * 3), max_fields=3)) == 3
    with pytest.raises(RequestParseError) as info:
        parse_urlencoded(b"&".join([b"a=1"] * 4), max_fields=3)
    assert info.value.status == 413
    with pytest.raises(RequestParseError) as info:
        parse_urlencoded(b"a&b", max_fields=1, limit_status=400)
    assert info.value.status == 400


_text = st.text(st.characters(codec="utf-8"), max_size=12)


@given(st.lists(st.tuples(_text, _text), max_size=8))
def test_round_trips_what_urlencode_produces(pairs: list[tuple[str, str]]) -> None:
    data = urlencode(pairs).encode("ascii")
    parsed = parse_urlencoded(data, keep_blank_values=True, strict_parsing=True)
    assert parsed == pairs


@given(
    st.text(st.characters(codec="ascii"), max_size=40),
    st.booleans(),
)
def test_agrees_with_parse_qsl_on_ascii(query: str, keep_blank_values: bool) -> None:
    expected = parse_qsl(query, keep_blank_values=keep_blank_values)
    parsed = parse_urlencoded(query.encode(), keep_blank_values=keep_blank_values)
    assert parsed == expected


@given(
    st.binary(max_size=200),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["utf-8", "latin-1", "ascii", "utf-16", "idna"]),
    st.sampled_from(["strict", "replace", "ignore"]),
)
def test_arbitrary_bytes_raise_only_parse_errors(
    data: bytes, keep: bool, strict: bool, encoding: str, errors: str
) -> None:
    try:
        pairs = parse_urlencoded(
            data,
            keep_blank_values=keep,
            strict_parsing=strict,
            encoding=encoding,
            errors=errors,
            max_fields=20,
        )
    except RequestParseError as err:
        assert err.status in (400, 413)
    else:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in pairs)


@given(
    st.binary(max_size=60),
    st.booleans(),
    st.sampled_from(["replace", "ignore", "strict"]),
)
def test_fast_and_general_decoding_paths_agree(
    data: bytes, keep_blank_values: bool, errors: str
) -> None:
    # "utf-8" takes the fast path for ASCII input, the alias "utf_8" does not.
    def parse(encoding: str) -> object:
        try:
            return parse_urlencoded(
                data,
                keep_blank_values=keep_blank_values,
                encoding=encoding,
                errors=errors,
            )
        except RequestParseError:
            return "error"

    assert parse("utf-8") == parse("utf_8")


@given(
    st.text(st.sampled_from("ab=&+ "), max_size=20),
    st.booleans(),
)
def test_strict_parsing_fails_where_parse_qsl_does(
    query: str, keep_blank_values: bool
) -> None:
    # Without "%" (whose checks are stricter here) both must agree exactly,
    # and a failure must be one that `except ValueError` catches. An empty
    # query is no query: no error (Python 3.10's parse_qsl refused it, 3.11+
    # returns no fields).
    if not query:
        assert parse_urlencoded(b"", strict_parsing=True) == []
        return
    try:
        expected = parse_qsl(
            query, keep_blank_values=keep_blank_values, strict_parsing=True
        )
    except ValueError:
        with pytest.raises(ValueError) as info:
            parse_urlencoded(
                query.encode(), keep_blank_values=keep_blank_values, strict_parsing=True
            )
        assert isinstance(info.value, RequestParseError)
        assert info.value.status == 400
        return
    parsed = parse_urlencoded(
        query.encode(), keep_blank_values=keep_blank_values, strict_parsing=True
    )
    assert parsed == expected
