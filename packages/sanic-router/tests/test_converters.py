from __future__ import annotations

import math
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanic_router import CONVERTERS, Converter
from sanic_router._converters import regex_converter


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("string", ["a", "a b", "5", "é"], [""]),
        (
            "int",
            ["0", "-12", "007"],
            ["", "1.5", "+1", " 1", "1_0", "\u00b2", "\u0661", "a"],
        ),
        (
            "number",
            ["1", "-1.5", ".5", "5.", "1e10", "2.5E-3"],
            ["", "1.2.3", "e5", "."],
        ),
        ("alpha", ["abc", "XyZ"], ["", "ab1", "é", "a-b"]),
        ("uuid", [str(uuid.UUID(int=7))], ["", "1234", str(uuid.UUID(int=7)) + "0"]),
        ("path", ["a", "a/b/c"], [""]),
    ],
)
def test_converters_accept_only_their_segments(
    name: str, good: list[str], bad: list[str]
) -> None:
    conv = CONVERTERS[name]
    for text in good:
        assert conv.accepts(text), text
        conv.parse(text)  # whatever matches must parse
    for text in bad:
        assert not conv.accepts(text), text


def test_parsed_values_have_their_types() -> None:
    assert CONVERTERS["int"].parse("-12") == -12
    assert CONVERTERS["number"].parse("5.5") == 5.5
    assert CONVERTERS["uuid"].parse(str(uuid.UUID(int=7))) == uuid.UUID(int=7)
    assert CONVERTERS["string"].parse("x") == "x"


def test_aliases_share_converters() -> None:
    assert CONVERTERS["str"] is CONVERTERS["string"]
    assert CONVERTERS["float"] is CONVERTERS["number"]
    with pytest.raises(TypeError):
        CONVERTERS["new"] = CONVERTERS["int"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("int", 5, "5"),
        ("int", "5", "5"),
        ("number", 5, "5"),
        ("number", 0.1, "0.1"),
        ("number", "2.5", "2.5"),
        ("string", 5, "5"),
        ("string", "a/b", "a/b"),
        ("uuid", uuid.UUID(int=1), str(uuid.UUID(int=1))),
        ("alpha", "abc", "abc"),
    ],
)
def test_to_url_formats_values(name: str, value: object, text: str) -> None:
    assert CONVERTERS[name].to_url(value) == text


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("int", True),
        ("int", 1.5),
        ("int", "x"),
        ("number", math.inf),
        ("number", math.nan),
        ("number", False),
        ("number", "1.2.3"),
        ("number", None),
        ("string", ""),
        ("string", None),
        ("string", True),
        ("alpha", "a1"),
        ("uuid", 5),
    ],
)
def test_to_url_refuses_values_that_would_not_match(name: str, value: object) -> None:
    with pytest.raises(ValueError):
        CONVERTERS[name].to_url(value)


def test_regex_converter_matches_whole_segments() -> None:
    conv = regex_converter("[A-z0-9]{0,4}")
    assert conv.accepts("ab12")
    assert not conv.accepts("abcde")
    assert not conv.accepts("")  # an empty segment never matches
    assert conv.to_url("ab") == "ab"
    with pytest.raises(ValueError):
        conv.to_url("abcde")


def test_custom_converter_defaults() -> None:
    conv = Converter("even", r"[0-9]*[02468]", int)
    assert conv.key == ("even", r"[0-9]*[02468]")
    assert conv.accepts("12") and not conv.accepts("13")
    assert conv.to_url(4) == "4"
    assert "even" in repr(conv)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_round_trips_every_finite_float(value: float) -> None:
    conv = CONVERTERS["number"]
    assert conv.parse(conv.to_url(value)) == value


@given(st.integers())
def test_int_round_trips(value: int) -> None:
    conv = CONVERTERS["int"]
    assert conv.parse(conv.to_url(value)) == value


@given(st.text(st.sampled_from("0123456789-+_ e\u0661"), max_size=6))
def test_fast_checks_plus_parse_agree_with_the_patterns(text: str) -> None:
    for conv in CONVERTERS.values():
        assert conv.check is not None or conv.pattern is None
        if conv.check is None:
            continue
        try:
            fits = (
                bool(text) and bool(conv.check(text)) and conv.parse(text) is not None
            )
        except ValueError:
            fits = False
        assert fits == conv.accepts(text), (conv, text)
