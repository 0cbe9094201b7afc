from __future__ import annotations

import pytest

from sanic_router import CONVERTERS, Route, RouteMatch, RouterError
from sanic_router._route import Param, parse_template


def test_template_gains_a_leading_slash_and_records_trailing_slash() -> None:
    assert parse_template("a/b") == ("/a/b", ("a", "b"), False)
    assert parse_template("/a/b/") == ("/a/b/", ("a", "b"), True)
    assert parse_template("/") == ("/", (), False)


def test_parameters_are_parsed_with_their_converters() -> None:
    _, segments, _ = parse_template("/a/<x>/<y:int>/<z:[a-z]{2}>")
    assert segments[0] == "a"
    x, y, z = segments[1:]
    assert isinstance(x, Param) and x.converter is CONVERTERS["string"]
    assert isinstance(y, Param) and y.converter is CONVERTERS["int"]
    assert isinstance(z, Param) and z.converter.pattern == "[a-z]{2}"
    assert repr(y) == "<y:int>"


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("/a/<x>/<x:int>", "repeats"),
        ("/a/pre<x>", "whole segment"),
        ("/a/<1x>", "invalid parameter name"),
        ("/a/<x:[a-z>", "invalid pattern"),
        ("/a/<x:(>", "invalid pattern"),
    ],
)
def test_invalid_templates_are_refused(template: str, fragment: str) -> None:
    with pytest.raises(RouterError, match=fragment):
        parse_template(template)


def test_route_exposes_its_registration() -> None:
    path, segments, trailing = parse_template("/posts/<post_id:int>")
    route = Route(path, segments, trailing, ["GET"], "h", ("a.com",), True, "p")
    assert route.path == "/posts/<post_id:int>"
    assert route.parameters == ("post_id",)
    assert route.methods == frozenset({"GET"})
    assert route.hosts == ("a.com",)
    assert route.strict_slashes is True
    assert "name='p'" in repr(route) and "a.com" in repr(route)


def test_route_match_exposes_handler() -> None:
    path, segments, trailing = parse_template("/x")
    route = Route(path, segments, trailing, ["GET"], "h", (), False, None)
    match = RouteMatch(route, {})
    assert match.handler == "h"
    assert route.parameters == ()
    assert "RouteMatch" in repr(match)
