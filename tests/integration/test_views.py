"""Class-Based Views and CompositionView."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def views(example):
    return example("class_views.py")


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_simple_view_dispatches_on_method(views, method):
    reply = views.request(method, "/")
    assert reply.status == 200
    assert reply.text == f"I am {method.lower()} method"


def test_url_parameters_reach_the_view_method(views):
    assert views.get("/Ada").text == "Hello Ada"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_missing_view_method_is_405_with_allow(views, method):
    reply = views.request(method, "/Ada")
    assert reply.status == 405
    allowed = {m.strip() for m in reply.headers["Allow"].split(",")}
    assert "GET" in allowed
    assert not allowed & {"POST", "PUT", "PATCH", "DELETE"}


def test_decorators_are_applied(views):
    reply = views.get("/url/anyone")
    assert reply.text == "Hello I have a decorator"
    assert reply.headers["X-Decorated"] == "yes"
    # Other views are not decorated.
    assert "X-Decorated" not in views.get("/Ada").headers


@pytest.fixture(scope="module")
def special(example):
    return example("class_view_url_for.py")


def test_url_for_names_a_class_view_by_its_class(special):
    reply = special.get("/")
    assert reply.status == 302
    assert reply.headers["Location"] == "/special_class_view"
    assert special.get("/special_class_view").text == (
        "Hello from the Special Class View!"
    )


@pytest.fixture(scope="module")
def composition(example):
    return example("composition_view.py")


@pytest.mark.parametrize(
    ("method", "text"),
    [
        ("GET", "I am a get method"),
        ("POST", "I am a post/put method"),
        ("PUT", "I am a post/put method"),
    ],
)
def test_composition_view_dispatches(composition, method, text):
    reply = composition.request(method, "/")
    assert (reply.status, reply.text) == (200, text)


@pytest.mark.parametrize("method", ["DELETE", "PATCH"])
def test_composition_view_unhandled_method_is_405(composition, method):
    reply = composition.request(method, "/")
    assert reply.status == 405
    allowed = {m.strip() for m in reply.headers["Allow"].split(",")}
    assert {"GET", "POST", "PUT"} <= allowed
    assert method not in allowed
