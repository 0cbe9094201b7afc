"""Registration, finalize, names and hosts."""

from __future__ import annotations

import pytest

from sanic_router import (
    Converter,
    MethodNotAllowed,
    NotFound,
    Route,
    RouteExists,
    RouteMatch,
    Router,
    RouterError,
)


def post_handler() -> None:
    """A handler whose __name__ becomes the route name."""


def test_add_defaults() -> None:
    router = Router()
    route = router.add("/posts/<post_id>", None, post_handler)
    assert isinstance(route, Route)
    assert route.methods == frozenset({"GET"})
    assert route.name == "post_handler"
    assert route.hosts == ()
    assert route.strict_slashes is False
    assert route.parameters == ("post_id",)
    assert route.handler is post_handler


def test_methods_are_upper_cased_and_names_explicit() -> None:
    router = Router()
    route = router.add("/a", ["get", "Post "], object(), name="bp.handler")
    assert route.methods == frozenset({"GET", "POST"})
    assert route.name == "bp.handler"
    assert router.by_name("bp.handler") is route
    assert router.by_name("missing") is None
    assert router.add("/b", None, object()).name is None


@pytest.mark.parametrize("methods", [[], [""], ["GET", " "]])
def test_empty_methods_are_refused(methods: list[str]) -> None:
    with pytest.raises(RouterError, match="invalid methods"):
        Router().add("/a", methods, post_handler)


def test_routes_keep_registration_order() -> None:
    router = Router()
    first = router.add("/b", None, "b")
    second = router.add("/a", None, "a")
    assert router.routes == (first, second)


def test_finalize_is_idempotent_and_freezes() -> None:
    router = Router()
    router.add("/a", None, "a")
    assert not router.finalized
    router.finalize()
    router.finalize()
    assert router.finalized
    with pytest.raises(RouterError, match="finalized"):
        router.add("/b", None, "b")


def test_get_finalizes_on_first_use() -> None:
    router = Router()
    router.add("/a", None, "a")
    assert router.get("/a", "GET").route.handler == "a"
    assert router.finalized
    assert router.get("/a", "GET").route.handler == "a"


class CountingRouter(Router):
    """A subclass that wraps get(), as an app's router may."""

    calls = 0

    def get(self, path: str, method: str, host: str | None = None) -> RouteMatch:
        self.calls += 1
        return super().get(path, method, host)


def test_a_subclass_get_keeps_answering_after_finalize() -> None:
    # finalize() must not shadow a subclass's get() with the compiled matcher.
    router = CountingRouter()
    router.add("/a", None, "a")
    for _ in range(3):
        assert router.get("/a", "GET").route.handler == "a"
    assert router.calls == 3


def test_matcher_is_get_without_its_call() -> None:
    router = Router()
    router.add("/a/<n:int>", ["GET"], "a")
    router.add("/h", None, "h", host="example.com")
    match = router.matcher()
    assert router.finalized
    assert match("/a/5", "GET", None).params == {"n": 5}
    assert match("/h", "GET", "example.com:8000").route.handler == "h"
    with pytest.raises(MethodNotAllowed) as info:
        match("/a/5", "POST", None)
    assert info.value.allowed == {"GET", "HEAD"}
    with pytest.raises(NotFound):
        match("/h", "GET", "other.org")
    # A copy compiles its own matcher; the original's keeps its routes.
    clone = router.copy()
    clone.add("/b", None, "b")
    assert clone.matcher()("/b", "GET", None).route.handler == "b"
    with pytest.raises(NotFound):
        match("/b", "GET", None)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/a", "/a"),
        ("/a/<x>", "/a/<y>"),
        ("/a/<x:int>", "/a/<y:int>"),
        ("a", "/a"),
    ],
)
def test_duplicates_are_refused(first: str, second: str) -> None:
    router = Router()
    router.add(first, ["GET", "POST"], "one")
    with pytest.raises(RouteExists) as info:
        router.add(second, ["post"], "two")
    assert info.value.method == "POST"
    assert len(router.routes) == 1


@pytest.mark.parametrize(
    ("first", "second", "kw"),
    [
        ("/a", "/a", {"methods": ["POST"]}),
        ("/a/<x>", "/a/<x:int>", {}),
        ("/a", "/a/", {}),
        ("/a", "/a", {"host": "example.com"}),
    ],
)
def test_distinct_routes_coexist(
    first: str, second: str, kw: dict[str, object]
) -> None:
    router = Router()
    router.add(first, None, "one")
    methods = kw.pop("methods", None)
    router.add(second, methods, "two", **kw)  # type: ignore[arg-type]
    assert len(router.routes) == 2


def test_same_host_duplicate_is_refused() -> None:
    router = Router()
    router.add("/a", None, "one", host=["a.com", "b.com"])
    with pytest.raises(RouteExists) as info:
        router.add("/a", None, "two", host="B.com")
    assert info.value.host == "b.com"


def test_guide_host_example() -> None:
    router = Router()
    router.add("/get", ["GET"], "host", host="example.com")
    router.add("/get", ["GET"], "default")
    assert router.get("/get", "GET", "example.com").route.handler == "host"
    assert router.get("/get", "GET", "example.com:8000").route.handler == "host"
    assert router.get("/get", "GET", "EXAMPLE.com").route.handler == "host"
    assert router.get("/get", "GET", "other.com").route.handler == "default"
    assert router.get("/get", "GET", None).route.handler == "default"
    assert router.get("/get", "GET", "").route.handler == "default"


def test_host_list_and_port_specific_host() -> None:
    router = Router()
    router.add("/", None, "ab", host=["a.com", "b.com"])
    router.add("/", None, "port", host="c.com:81")
    router.add("/", None, "v6", host="[::1]")
    assert router.get("/", "GET", "b.com").route.handler == "ab"
    assert router.get("/", "GET", "c.com:81").route.handler == "port"
    assert router.get("/", "GET", "[::1]:8000").route.handler == "v6"
    with pytest.raises(NotFound) as info:
        router.get("/", "GET", "c.com")
    assert info.value.host == "c.com"


def test_host_routes_fall_back_to_default_routes() -> None:
    router = Router()
    router.add("/only-host", None, "h", host="h.com")
    router.add("/shared", ["POST"], "h-post", host="h.com")
    router.add("/shared", ["GET"], "default-get")
    router.add("/default", None, "d")
    assert router.get("/default", "GET", "h.com").route.handler == "d"
    assert router.get("/shared", "GET", "h.com").route.handler == "default-get"
    assert router.get("/shared", "POST", "h.com").route.handler == "h-post"
    with pytest.raises(NotFound):
        router.get("/only-host", "GET", "other.com")
    with pytest.raises(MethodNotAllowed) as info:
        router.get("/shared", "PUT", "h.com")
    assert info.value.allowed == frozenset({"POST", "GET", "HEAD"})
    with pytest.raises(MethodNotAllowed) as info:
        router.get("/only-host", "PUT", "h.com")
    assert info.value.allowed == frozenset({"GET", "HEAD"})


@pytest.mark.parametrize("host", ["", [], ["a.com", " "]])
def test_invalid_hosts_are_refused(host: object) -> None:
    with pytest.raises(RouterError, match="invalid host"):
        Router().add("/", None, "x", host=host)  # type: ignore[arg-type]


def test_custom_converters() -> None:
    router = Router(converters={"even": Converter("even", r"[0-9]*[02468]", int)})
    router.add("/n/<n:even>", None, "even", name="even")
    assert router.get("/n/12", "GET").params == {"n": 12}
    with pytest.raises(NotFound):
        router.get("/n/13", "GET")
    assert router.url_for("even", n=4) == "/n/4"
