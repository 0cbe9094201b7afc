"""Routes with a spanning ``path`` parameter."""

from __future__ import annotations

import pytest

from sanic_router import MethodNotAllowed, NotFound, Router, RouterError


def make(*paths: str, methods: list[str] | None = None) -> Router:
    router = Router()
    for path in paths:
        router.add(path, methods, path)
    return router


def test_path_parameter_spans_segments() -> None:
    router = make("/static/<rest:path>")
    assert router.get("/static/a", "GET").params == {"rest": "a"}
    assert router.get("/static/a/b/c.txt", "GET").params == {"rest": "a/b/c.txt"}
    assert router.get("/static/a%2Fb/c%20d", "GET").params == {"rest": "a/b/c d"}
    with pytest.raises(NotFound):
        router.get("/static", "GET")
    with pytest.raises(NotFound):
        router.get("/static/", "GET")


def test_path_parameter_in_the_middle_spans_what_the_rest_leaves() -> None:
    router = make("/files/<rest:path>/edit/<n:int>")
    match = router.get("/files/a/b/edit/1", "GET")
    assert match.params == {"rest": "a/b", "n": 1}
    assert router.get("/files/a/edit/edit/2", "GET").params == {
        "rest": "a/edit",
        "n": 2,
    }
    assert router.get("/files/edit/edit/3", "GET").params == {"rest": "edit", "n": 3}


def test_two_spanning_parameters_are_refused() -> None:
    # "/g/x/y/z" could split either way, and url_for could not round-trip.
    with pytest.raises(RouterError, match="only one spanning parameter"):
        make("/g/<a:path>/<b:path>")


def test_backtracks_past_a_short_span_that_fails_later() -> None:
    router = make("/f/<rest:path>/edit/<n:int>")
    # "a" then "edit/b" fails (b is not an int), so the span grows to "a/edit/b".
    assert router.get("/f/a/edit/b/edit/2", "GET").params == {
        "rest": "a/edit/b",
        "n": 2,
    }


def test_fixed_length_routes_are_tried_before_spanning_ones() -> None:
    router = make("/s/<rest:path>", "/s/<name>", "/s/a/b")
    assert router.get("/s/x", "GET").route.path == "/s/<name>"
    assert router.get("/s/a/b", "GET").route.path == "/s/a/b"
    assert router.get("/s/a/c", "GET").route.path == "/s/<rest:path>"


def test_spanning_literals_and_typed_parameters() -> None:
    router = make("/a/<n:int>/<rest:path>", "/a/x/<rest:path>")
    assert router.get("/a/1/q/r", "GET").params == {"n": 1, "rest": "q/r"}
    assert router.get("/a/x/q", "GET").route.path == "/a/x/<rest:path>"
    with pytest.raises(NotFound):
        router.get("/a/y/q", "GET")


def test_spanning_slash_rules_and_methods() -> None:
    router = Router()
    router.add("/d/<p:path>", ["POST"], "lenient")
    router.add("/e/<p:path>", ["GET"], "strict", strict_slashes=True)
    assert router.get("/d/a/b/", "POST").params == {"p": "a/b"}
    with pytest.raises(MethodNotAllowed) as info:
        router.get("/d/a/b", "GET")
    assert info.value.allowed == frozenset({"POST"})
    assert router.get("/e/a", "HEAD").params == {"p": "a"}
    with pytest.raises(NotFound):
        router.get("/e/a/", "GET")
