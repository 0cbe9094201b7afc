from __future__ import annotations

from typing import Any

from sanic_views import is_stream, stream


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
