"""Router.remove and Router.copy."""

from __future__ import annotations

import pytest

from sanic_router import (
    Converter,
    NotFound,
    ParameterNameConflicts,
    RouteDoesNotExist,
    RouteExists,
    Router,
    RouterError,
)


@pytest.mark.parametrize(
    ("template", "path", "removed_as"),
    [
        ("/static", "/static", "/static"),
        ("/user/<name>", "/user/ann", "/user/<name>"),
        ("/user/<name>", "/user/ann", "/user/<other>"),  # names do not matter
        ("/n/<n:int>", "/n/5", "n/<n:int>"),
        ("/re/<x:[a-z]{2}>", "/re/ab", "/re/<x:[a-z]{2}>"),
        ("/folder/<name:[a-z/]+>/end/", "/folder/a/b/end/", "/folder/<n:[a-z/]+>/end/"),
        ("/files/<p:path>", "/files/a/b", "/files/<p:path>"),
        ("/slash/", "/slash", "/slash"),  # the other slash form as a fallback
    ],
)
def test_removed_routes_answer_not_found(
    template: str, path: str, removed_as: str
) -> None:
    router = Router()
    route = router.add(template, ["GET", "POST"], "h", name="h")
    router.add("/keep", None, "keep")
    assert router.remove(removed_as) == (route,)
    assert [r.handler for r in router.routes] == ["keep"]
    assert router.by_name("h") is None
    for method in ("GET", "POST", "HEAD"):
        with pytest.raises(NotFound):
            router.get(path, method)
    assert router.get("/keep", "GET").route.handler == "keep"


def test_remove_takes_every_route_of_the_template() -> None:
    router = Router()
    router.add("/a", ["GET"], "get", name="a")
    router.add("/a", ["POST"], "post", name="a")
    router.add("/a/", ["PUT"], "other form", strict_slashes=True)
    assert [r.handler for r in router.remove("/a")] == ["get", "post"]
    assert [r.handler for r in router.routes] == ["other form"]
    # The methods are free again.
    router.add("/a", ["GET", "POST"], "again", name="a")
    assert router.by_name("a") is router.routes[-1]
    assert router.get("/a", "POST").route.handler == "again"


def test_an_unknown_template_raises_route_does_not_exist() -> None:
    router = Router()
    router.add("/a/<x:int>", None, "h")
    for template in ("/b", "/a/<x>", "/a/<x:int>/c"):
        with pytest.raises(RouteDoesNotExist) as info:
            router.remove(template)
        assert info.value.path == template
        assert isinstance(info.value, RouterError)
    assert len(router.routes) == 1


def test_hosts_are_removed_one_by_one() -> None:
    router = Router()
    router.add("/h", None, "ab", host=["a.com", "b.com"], name="ab")
    router.add("/h", None, "default")
    with pytest.raises(RouteDoesNotExist, match=r"on host 'c\.com'"):
        router.remove("/h", host="c.com")
    router.remove("/h", host="A.com")
    assert router.by_name("ab").hosts == ("b.com",)  # type: ignore[union-attr]
    # a.com is free again; b.com is still taken.
    router.add("/h", None, "a again", host="a.com")
    with pytest.raises(RouteExists):
        router.add("/h", None, "b again", host="b.com")
    router.remove("/h", host="a.com")
    assert router.get("/h", "GET", "a.com").route.handler == "default"
    assert router.get("/h", "GET", "b.com").route.handler == "ab"
    clone = router.copy()
    clone.remove("/h")  # the default route only
    assert clone.get("/h", "GET", "b.com").route.handler == "ab"
    with pytest.raises(NotFound):
        clone.get("/h", "GET", "other.com")


def test_a_finalized_router_changes_through_a_copy() -> None:
    even = Converter("even", r"[0-9]*[02468]", int)
    router = Router(converters={"even": even})
    router.add("/n/<n:even>", None, "even", name="even")
    router.add("/gone", None, "gone")
    assert router.get("/gone", "GET").route.handler == "gone"
    with pytest.raises(RouterError, match="finalized"):
        router.remove("/gone")
    clone = router.copy()
    assert not clone.finalized
    clone.remove("/gone")
    clone.add("/new/<n:even>", None, "new")
    # The original is untouched; the copy keeps the custom converter.
    assert router.get("/gone", "GET").route.handler == "gone"
    with pytest.raises(NotFound):
        clone.get("/gone", "GET")
    assert clone.get("/new/4", "GET").params == {"n": 4}
    with pytest.raises(NotFound):
        clone.get("/new/3", "GET")
    assert clone.url_for("even", n=2) == "/n/2"
    assert clone.finalized and router.finalized


def test_repeated_parameter_names_raise_parameter_name_conflicts() -> None:
    with pytest.raises(ParameterNameConflicts) as info:
        Router().add("/a/<x>/<x:int>", None, "h")
    assert info.value.name == "x"
    assert isinstance(info.value, RouterError)
