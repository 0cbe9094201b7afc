from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from sanic_http import MethodNotSupported
from sanic_views import HTTPMethodView, is_stream, stream

ALL = ("get", "post", "put", "patch", "delete", "head", "options")


def _answers(name: str) -> Callable[..., Any]:
    def method(self: Any, request: Any, **params: Any) -> Any:
        return (name, request.method, params)

    method.__name__ = name
    return method


# A class defining every method, each answering with its own name.
EveryMethod: type[HTTPMethodView] = type(
    "EveryMethod", (HTTPMethodView,), {name: _answers(name) for name in ALL}
)


class SimpleView(HTTPMethodView):
    """The guide's SimpleView."""

    def get(self, request: Any) -> str:
        return "I am get method"

    def post(self, request: Any) -> str:
        return "I am post method"


class AsyncView(HTTPMethodView):
    async def get(self, request: Any, name: str) -> str:
        await asyncio.sleep(0)
        return f"Hello {name}"

    def post(self, request: Any, name: str) -> str:
        return f"posted {name}"


@pytest.mark.parametrize("name", ALL)
def test_dispatches_every_method(make_request: Any, name: str) -> None:
    handler = EveryMethod.as_view()
    method = name.upper()
    assert handler(make_request(method), id=7) == (name, method, {"id": 7})


def test_guide_simple_view(make_request: Any) -> None:
    handler = SimpleView.as_view()
    assert handler(make_request("GET")) == "I am get method"
    assert handler(make_request("POST")) == "I am post method"


def test_route_params_arrive_as_keyword_arguments(make_request: Any) -> None:
    class NameView(HTTPMethodView):
        def get(self, request: Any, name: str, page: int) -> str:
            return f"Hello {name} page {page}"

    handler = NameView.as_view()
    assert handler(make_request("GET"), name="ann", page=2) == "Hello ann page 2"


def test_async_method_returns_an_unawaited_coroutine(make_request: Any) -> None:
    handler = AsyncView.as_view()
    assert not inspect.iscoroutinefunction(handler)
    result = handler(make_request("GET"), name="bob")
    assert inspect.iscoroutine(result)
    assert asyncio.run(result) == "Hello bob"
    # Sync and async methods mix in one class.
    assert handler(make_request("POST"), name="bob") == "posted bob"


def test_head_uses_get_unless_head_is_defined(make_request: Any) -> None:
    assert SimpleView.as_view()(make_request("HEAD")) == "I am get method"
    handler = EveryMethod.as_view()
    assert handler(make_request("HEAD"))[0] == "head"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_undefined_method_is_405_with_allow(make_request: Any, method: str) -> None:
    handler = SimpleView.as_view()
    with pytest.raises(MethodNotSupported) as info:
        handler(make_request(method, "/simple"))
    assert info.value.status_code == 405
    assert info.value.headers["Allow"] == "GET, HEAD, POST"
    assert method in str(info.value)
    assert "/simple" in str(info.value)


@pytest.mark.parametrize("method", ["get", "DISPATCH_REQUEST", "AS_VIEW", "__INIT__"])
def test_only_upper_case_http_methods_reach_the_class(
    make_request: Any, method: str
) -> None:
    # Methods are case-sensitive (RFC 9110 section 9.1), and an attribute that is not
    # an HTTP method handler must never be callable through the request method.
    with pytest.raises(MethodNotSupported):
        SimpleView.as_view()(make_request(method))


def test_options_is_allowed_only_when_defined() -> None:
    assert SimpleView.allowed_methods() == frozenset({"GET", "HEAD", "POST"})
    assert EveryMethod.allowed_methods() == frozenset(m.upper() for m in ALL)

    class PostOnly(HTTPMethodView):
        def post(self, request: Any) -> str:
            return "p"

    assert PostOnly.allowed_methods() == frozenset({"POST"})
    assert HTTPMethodView.allowed_methods() == frozenset()


def test_405_does_not_build_the_view(make_request: Any) -> None:
    built: list[int] = []

    class Counted(SimpleView):
        def __init__(self) -> None:
            built.append(1)

    handler = Counted.as_view()
    with pytest.raises(MethodNotSupported):
        handler(make_request("PUT"))
    assert built == []
    handler(make_request("GET"))
    assert built == [1]


def test_a_new_view_per_request_with_as_view_arguments(make_request: Any) -> None:
    class Greeter(HTTPMethodView):
        def __init__(self, greeting: str, *, punct: str = ".") -> None:
            self.greeting = greeting
            self.punct = punct
            self.calls = 0

        def get(self, request: Any) -> tuple[int, str]:
            self.calls += 1
            return id(self), f"{self.greeting}{self.punct}"

        def delete(self, request: Any) -> int:
            self.calls += 1
            return self.calls

    handler = Greeter.as_view("hi", punct="!")
    assert handler(make_request("GET"))[1] == "hi!"
    # The instance is not reused: each call starts from a fresh one.
    assert handler(make_request("DELETE")) == 1
    assert handler(make_request("DELETE")) == 1


def test_handler_carries_the_class_name_and_doc() -> None:
    handler: Any = SimpleView.as_view()
    assert handler.view_class is SimpleView
    assert handler.__name__ == "SimpleView"
    assert handler.__qualname__ == "SimpleView"
    assert handler.__module__ == __name__
    assert handler.__doc__ == "The guide's SimpleView."
    assert handler.view_methods == frozenset({"GET", "HEAD", "POST"})


def _tracing(label: str, trace: list[str]) -> Callable[..., Any]:
    """A decorator that records ``label`` before calling through, without wraps()."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(request: Any, **params: Any) -> Any:
            trace.append(label)
            return func(request, **params)

        return wrapper

    return decorator


def test_decorators_apply_in_list_order_first_innermost(make_request: Any) -> None:
    trace: list[str] = []

    class Decorated(HTTPMethodView):
        """Docs survive decoration."""

        decorators = [_tracing("first", trace), _tracing("second", trace)]

        def get(self, request: Any, name: str) -> str:
            trace.append("view")
            return f"Hello {name}"

    handler: Any = Decorated.as_view()
    assert handler(make_request("GET"), name="x") == "Hello x"
    # The last decorator is the outermost, so it runs first.
    assert trace == ["second", "first", "view"]
    # The attributes are set again on the outermost wrapper.
    assert handler.view_class is Decorated
    assert handler.__name__ == "Decorated"
    assert handler.__doc__ == "Docs survive decoration."
    assert handler.view_methods == frozenset({"GET", "HEAD"})


def test_decorator_can_short_circuit(make_request: Any) -> None:
    def deny(func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(request: Any, **params: Any) -> str:
            return "denied" if request.path == "/secret" else func(request, **params)

        return wrapper

    class Guarded(SimpleView):
        decorators = [deny]

    handler = Guarded.as_view()
    assert handler(make_request("GET", "/secret")) == "denied"
    assert handler(make_request("GET", "/open")) == "I am get method"


def test_decorator_returning_an_unlabelable_object_is_a_clear_error() -> None:
    class Bad(SimpleView):
        decorators = [lambda func: "I am not a function".upper]

    with pytest.raises(TypeError, match="decorators must return a function"):
        Bad.as_view()


def test_subclasses_inherit_extend_and_remove_methods(make_request: Any) -> None:
    class Extended(SimpleView):
        def delete(self, request: Any) -> str:
            return "deleted"

    class NoGet(SimpleView):
        get = None  # type: ignore[assignment]

    # The parent was scanned first; the children still see their own methods.
    assert SimpleView.allowed_methods() == frozenset({"GET", "HEAD", "POST"})
    assert Extended.allowed_methods() == frozenset({"GET", "HEAD", "POST", "DELETE"})
    assert Extended.as_view()(make_request("DELETE")) == "deleted"
    assert NoGet.allowed_methods() == frozenset({"POST"})
    with pytest.raises(MethodNotSupported) as info:
        NoGet.as_view()(make_request("GET"))
    assert info.value.headers["Allow"] == "POST"


def test_static_methods_and_callable_objects_are_views(make_request: Any) -> None:
    class Answer:
        def __call__(self, request: Any) -> str:
            return f"callable {request.method}"

    class Odd(HTTPMethodView):
        put = Answer()

        @staticmethod
        def get(request: Any) -> str:
            return "static"

        @classmethod
        def post(cls, request: Any) -> str:
            return cls.__name__

    handler = Odd.as_view()
    assert handler(make_request("GET")) == "static"
    assert handler(make_request("HEAD")) == "static"
    assert handler(make_request("POST")) == "Odd"
    assert handler(make_request("PUT")) == "callable PUT"


def test_overridden_dispatch_request_is_used(make_request: Any) -> None:
    class Wrapped(SimpleView):
        def dispatch_request(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            return ("wrapped", super().dispatch_request(request, *args, **kwargs))

    handler = Wrapped.as_view()
    assert handler(make_request("POST")) == ("wrapped", "I am post method")
    assert handler(make_request("HEAD")) == ("wrapped", "I am get method")
    with pytest.raises(MethodNotSupported) as info:
        handler(make_request("PATCH"))
    assert info.value.headers["Allow"] == "GET, HEAD, POST"


def test_stream_marked_methods_are_dispatched_as_usual(make_request: Any) -> None:
    class Upload(HTTPMethodView):
        @stream
        async def post(self, request: Any) -> str:
            return "streamed"

        def put(self, request: Any) -> str:
            return "buffered"

    handler: Any = Upload.as_view()
    assert is_stream(Upload.post) and not is_stream(Upload.put)
    # The marker changes nothing about the call itself.
    assert asyncio.run(handler(make_request("POST"))) == "streamed"
