from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sanic_http import InvalidUsage, MethodNotSupported, SanicException
from sanic_views import HTTP_METHODS, CompositionView, is_stream, stream


def get_handler(request: Any) -> str:
    return "I am a get method"


@pytest.fixture
def guide_view() -> CompositionView:
    """The guide's example: a function and a lambda."""
    view = CompositionView()
    view.add(["GET"], get_handler)
    view.add(["POST", "PUT"], lambda request: "I am a post/put method")
    return view


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("GET", "I am a get method"),
        ("HEAD", "I am a get method"),
        ("POST", "I am a post/put method"),
        ("PUT", "I am a post/put method"),
    ],
)
def test_guide_example_dispatches(
    guide_view: CompositionView, make_request: Any, method: str, expected: str
) -> None:
    assert guide_view(make_request(method)) == expected


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "OPTIONS", "get"])
def test_unhandled_method_is_405_with_allow(
    guide_view: CompositionView, make_request: Any, method: str
) -> None:
    with pytest.raises(MethodNotSupported) as info:
        guide_view(make_request(method, "/comp"))
    assert info.value.status_code == 405
    assert info.value.headers["Allow"] == "GET, HEAD, POST, PUT"
    assert "/comp" in str(info.value)


def test_handlers_and_allowed_methods(guide_view: CompositionView) -> None:
    assert guide_view.handlers["GET"] is get_handler
    assert guide_view.handlers["POST"] is guide_view.handlers["PUT"]
    assert set(guide_view.handlers) == {"GET", "POST", "PUT"}
    expected = frozenset({"GET", "HEAD", "POST", "PUT"})
    assert guide_view.allowed_methods() == expected
    assert guide_view.view_methods == expected


def test_route_params_and_async_handlers(make_request: Any) -> None:
    async def show(request: Any, name: str) -> str:
        await asyncio.sleep(0)
        return f"show {name}"

    view = CompositionView()
    view.add(["GET"], show)
    view.add(["DELETE"], lambda request, name: f"delete {name}")
    assert asyncio.run(view(make_request("GET"), name="a")) == "show a"
    assert view(make_request("DELETE"), name="b") == "delete b"


def test_method_names_are_upper_cased(make_request: Any) -> None:
    view = CompositionView()
    view.add(["get", "Post"], lambda request: request.method)
    assert set(view.handlers) == {"GET", "POST"}
    assert view(make_request("POST")) == "POST"


def test_explicit_head_overrides_the_get_fallback(make_request: Any) -> None:
    view = CompositionView()
    view.add(["GET"], get_handler)
    view.add(["HEAD"], lambda request: "head")
    assert view(make_request("HEAD")) == "head"
    assert view(make_request("GET")) == "I am a get method"


def test_adding_a_method_twice_is_an_error_and_changes_nothing(
    guide_view: CompositionView,
) -> None:
    before = dict(guide_view.handlers)
    with pytest.raises(InvalidUsage, match="PUT is already registered") as info:
        guide_view.add(["DELETE", "put"], get_handler)
    assert isinstance(info.value, SanicException)
    assert info.value.status_code == 400
    assert guide_view.handlers == before


def test_duplicate_within_one_add_is_an_error() -> None:
    view = CompositionView()
    with pytest.raises(InvalidUsage, match="GET"):
        view.add(["GET", "get"], get_handler)
    assert view.handlers == {}


@pytest.mark.parametrize("method", ["FOO", "PROPFIND", "CONNECT", "TRACE", "GETT"])
def test_unknown_method_names_are_invalid_usage(method: str) -> None:
    view = CompositionView()
    with pytest.raises(InvalidUsage, match="not a valid HTTP method") as info:
        view.add(["GET", method], get_handler)
    assert info.value.status_code == 400
    assert view.handlers == {}


@pytest.mark.parametrize("method", HTTP_METHODS)
def test_every_known_method_can_be_added_in_any_case(method: str) -> None:
    view = CompositionView()
    view.add([method.lower()], get_handler)
    assert view.handlers == {method: get_handler}


@pytest.mark.parametrize(
    ("methods", "handler", "error"),
    [
        ("GET", get_handler, TypeError),
        (b"GET", get_handler, TypeError),
        (["GET"], "not callable", TypeError),
        ([], get_handler, InvalidUsage),
        (["GE T"], get_handler, InvalidUsage),
        ([""], get_handler, InvalidUsage),
        ([1], get_handler, InvalidUsage),
    ],
)
def test_invalid_add_arguments(methods: Any, handler: Any, error: type) -> None:
    view = CompositionView()
    with pytest.raises(error):
        view.add(methods, handler)
    assert view.handlers == {}


def test_empty_view_answers_405(make_request: Any) -> None:
    view = CompositionView()
    assert view.allowed_methods() == frozenset()
    with pytest.raises(MethodNotSupported):
        view(make_request("GET"))


def test_add_method_is_an_alias(make_request: Any) -> None:
    view = CompositionView()
    view.add_method(["PATCH"], lambda request: "patched")
    assert view(make_request("PATCH")) == "patched"


def test_stream_marked_handlers_are_called_as_any_other(make_request: Any) -> None:
    view = CompositionView()
    view.add(["POST"], stream(lambda request: "streamed"))
    view.add(["GET"], get_handler)
    assert is_stream(view.handlers["POST"]) and not is_stream(view.handlers["GET"])
    assert view(make_request("POST")) == "streamed"


def test_add_with_stream_marks_the_handler() -> None:
    def upload(request: Any) -> str:
        return "uploaded"

    view = CompositionView()
    view.add(["POST"], upload, stream=True)
    view.add(["GET"], get_handler, stream=False)
    assert is_stream(upload) and not is_stream(get_handler)
    assert view.handlers["POST"] is upload


def test_repr_lists_methods(guide_view: CompositionView) -> None:
    assert repr(guide_view) == "<CompositionView ['GET', 'POST', 'PUT']>"
