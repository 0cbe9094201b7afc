from __future__ import annotations

from typing import Any

from sanic_views import CompositionView, HTTPMethodView, is_stream, stream


def test_stream_returns_the_same_function_marked() -> None:
    def handler(request: Any) -> str:
        return "body"

    assert not is_stream(handler)
    assert stream(handler) is handler
    assert handler.is_stream is True  # type: ignore[attr-defined]
    assert is_stream(handler)
    assert handler(None) == "body"


def test_stream_marks_async_functions_and_lambdas() -> None:
    async def handler(request: Any) -> str:
        return "body"

    assert is_stream(stream(handler))
    assert is_stream(stream(lambda request: "x"))


def test_is_stream_looks_through_static_and_class_methods() -> None:
    marked = staticmethod(stream(lambda request: "x"))
    assert is_stream(marked)
    assert not is_stream(staticmethod(lambda request: "x"))
    assert not is_stream(object())


def test_a_method_view_lists_its_marked_methods_head_following_get() -> None:
    class Upload(HTTPMethodView):
        @stream
        async def post(self, request: Any) -> str:
            return "post"

        @staticmethod
        @stream
        def put(request: Any) -> str:
            return "put"

        def patch(self, request: Any) -> str:
            return "patch"

    assert Upload.stream_methods() == {"POST", "PUT"}

    class Download(HTTPMethodView):
        @stream
        def get(self, request: Any) -> str:
            return "get"

    assert Download.stream_methods() == {"GET", "HEAD"}

    class OwnHead(Download):
        def head(self, request: Any) -> str:
            return ""

    assert OwnHead.stream_methods() == {"GET"}
    assert HTTPMethodView.stream_methods() == frozenset()


def test_a_composition_view_lists_its_marked_methods() -> None:
    view = CompositionView()
    view.add(["GET"], stream(lambda request: "get"))
    view.add(["POST", "PUT"], lambda request: "post", stream=True)
    view.add(["DELETE"], lambda request: "delete")
    assert view.stream_methods() == {"GET", "HEAD", "POST", "PUT"}
    assert CompositionView().stream_methods() == frozenset()
