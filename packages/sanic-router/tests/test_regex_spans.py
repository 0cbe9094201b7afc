"""Custom patterns that may match ``/`` span segments, in matching and url_for."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanic_router import BuildError, NotFound, Router, RouterError
from sanic_router._converters import regex_converter
from sanic_router._route import Param, parse_template


def test_a_template_splits_on_slashes_outside_parameters_only() -> None:
    path, segments, trailing = parse_template("/folder/<name:[A-Za-z0-9/]+>/end/")
    assert path == "/folder/<name:[A-Za-z0-9/]+>/end/"
    assert trailing
    assert len(segments) == 3
    assert segments[0] == "folder" and segments[2] == "end"
    param = segments[1]
    assert isinstance(param, Param)
    assert param.name == "name"
    assert param.converter.pattern == "[A-Za-z0-9/]+"
    assert param.converter.spans


@pytest.mark.parametrize(
    ("pattern", "spans"),
    [
        ("[A-Za-z0-9/]+", True),
        (r"\d+/\d+", True),
        (r"[a-z]+\/[a-z]+", True),
        (".+", True),
        (r"\S+", True),
        ("[^.]+", True),
        ("[^/]+", False),
        (r"[^a\/]+", False),
        ("[]/]+", True),  # "]" first in a class is literal: "/" is in the class
        ("[A-z]", False),
        ("[A-z0-9]{0,4}", False),
        (r"\w+", False),
    ],
)
def test_a_pattern_spans_if_it_may_match_a_slash(pattern: str, spans: bool) -> None:
    assert regex_converter(pattern).spans is spans


@pytest.mark.parametrize(
    ("pattern", "slashes"),
    [
        ("[^/].*", True),
        (r".+\.txt", True),
        (r"[a-z]+.[a-z]+", True),
        (r"\S+?\.html", True),
        (r"[\w\W]{2}", True),
        (r"[!-~]+\.txt", True),  # the range holds "/"
        (r"x\x2fy", True),
        (r"\w+", False),
        (r"[^/]+\.txt", False),
        (r"[a-z.]+", False),
        (r"\.\d+", False),
    ],
)
def test_a_pattern_that_can_match_a_slash_anywhere_may_hold_one(
    pattern: str, slashes: bool
) -> None:
    converter = regex_converter(pattern)
    assert converter.slashes is slashes
    assert not converter.spans  # tried as one segment first, as before


def test_a_pattern_with_a_dot_matches_across_slashes_too() -> None:
    router = Router()
    router.add("/files/<name:[^/].*>", None, "files", name="files")
    router.add(r"/docs/<page:.+\.html>", None, "page", name="page")
    router.add("/docs/<other>", None, "other")
    router.add("/docs/<a>/<b>", None, "pair")
    assert router.get("/files/a/b/c.txt", "GET").params == {"name": "a/b/c.txt"}
    assert router.get("/files/a", "GET").params == {"name": "a"}
    assert router.get("/docs/a/b/c.html", "GET").params == {"page": "a/b/c.html"}
    # One segment: the pattern still comes before an untyped parameter.
    assert router.get("/docs/x.html", "GET").route.handler == "page"
    assert router.get("/docs/x", "GET").route.handler == "other"
    # Two segments that fit a two-parameter route keep going there.
    assert router.get("/docs/x/y.html", "GET").route.handler == "pair"
    with pytest.raises(NotFound):
        router.get("/docs/a/b/c.txt", "GET")
    assert router.url_for("page", page="a/b.html") == "/docs/a/b.html"
    assert router.url_for("files", name="a/b") == "/files/a/b"


def test_two_parameters_that_may_hold_a_slash_are_still_allowed() -> None:
    router = Router()
    router.add(r"/two/<a:.+\.x>/<b:.+\.y>", None, "two")
    assert router.get("/two/q.x/r.y", "GET").params == {"a": "q.x", "b": "r.y"}
    assert router.get("/two/p/q.x/r.y", "GET").params == {"a": "p/q.x", "b": "r.y"}


def test_an_unclosed_parameter_is_still_refused() -> None:
    with pytest.raises(RouterError, match="whole segment"):
        parse_template("/a/<x:[a/b]+>tail")


def test_a_slash_pattern_matches_across_segments() -> None:
    router = Router()
    router.add("/folder/<name:[A-Za-z0-9/]+>/end/", None, "span", name="folder")
    router.add("/one/<name:[^/]+>", None, "one")
    match = router.get("/folder/a/b/c/end/", "GET")
    assert match.route.handler == "span"
    assert match.params == {"name": "a/b/c"}
    assert router.get("/folder/a/end", "GET").params == {"name": "a"}
    for path in ("/folder/a/b-c/end/", "/folder/end/", "/folder/a/b/c/"):
        with pytest.raises(NotFound):
            router.get(path, "GET")
    assert router.get("/one/x", "GET").route.handler == "one"
    with pytest.raises(NotFound):
        router.get("/one/x/y", "GET")


def test_a_one_segment_route_still_wins_over_a_spanning_one() -> None:
    router = Router()
    router.add("/f/<rest:.+>", None, "span")
    router.add("/f/<one>", None, "one")
    assert router.get("/f/x", "GET").route.handler == "one"
    assert router.get("/f/x/y", "GET").params == {"rest": "x/y"}


def test_url_for_builds_a_spanning_pattern_value_that_fits() -> None:
    router = Router()
    router.add("/folder/<name:[A-Za-z0-9/]+>/end/", None, "span", name="folder")
    assert router.url_for("folder", name="a/b/c") == "/folder/a/b/c/end/"
    with pytest.raises(BuildError, match="does not fit") as info:
        router.url_for("folder", name="a b")
    assert info.value.parameter == "name"


def test_two_spanning_parameters_are_refused() -> None:
    with pytest.raises(RouterError, match="only one spanning"):
        Router().add("/<a:[a/]+>/x/<b:path>", None, "h")


_SPAN = "[a-z0-9/]+"


@settings(max_examples=200, deadline=None)
@given(
    value=st.from_regex(_SPAN, fullmatch=True),
    before=st.lists(st.sampled_from(["a", "b"]), max_size=2),
    after=st.lists(st.sampled_from(["end", "<tail>"]), max_size=2, unique=True),
    trailing=st.booleans(),
)
def test_url_for_then_match_round_trips_a_spanning_pattern(
    value: str, before: list[str], after: list[str], trailing: bool
) -> None:
    template = "/" + "/".join([*before, f"<name:{_SPAN}>", *after])
    template += "/" if trailing else ""
    router = Router()
    router.add(template, None, "h", name="r")
    values = {"name": value, **({"tail": "t"} if "<tail>" in after else {})}
    url = router.url_for("r", **values)
    match = router.get(url, "GET")
    assert match.route.handler == "h"
    assert match.params == values


@settings(max_examples=200, deadline=None)
@given(value=st.from_regex(r"[a-z/]{0,6}[a-z]\.txt", fullmatch=True))
def test_url_for_then_match_round_trips_a_pattern_with_a_dot(value: str) -> None:
    router = Router()
    router.add(r"/files/<name:.+\.txt>", None, "h", name="r")
    router.add("/files/<other>", None, "other")
    url = router.url_for("r", name=value)
    match = router.get(url, "GET")
    assert (match.route.handler, match.params) == ("h", {"name": value})
