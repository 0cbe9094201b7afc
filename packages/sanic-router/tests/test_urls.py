"""url_for: every example of the guide, plus errors and encoding."""

from __future__ import annotations

import uuid

import pytest

from sanic_router import BuildError, Router


async def post_handler() -> None:
    """Named like the guide's handler."""


@pytest.fixture
def router() -> Router:
    router = Router()
    router.add("/posts/<post_id>", None, post_handler)
    return router


@pytest.mark.parametrize(
    ("kwargs", "url"),
    [
        ({"post_id": 5}, "/posts/5"),
        (
            {"post_id": 5, "arg_one": "one", "arg_two": "two"},
            "/posts/5?arg_one=one&arg_two=two",
        ),
        ({"post_id": 5, "arg_one": ["one", "two"]}, "/posts/5?arg_one=one&arg_one=two"),
        (
            {"post_id": 5, "arg_one": "one", "_anchor": "anchor"},
            "/posts/5?arg_one=one#anchor",
        ),
        ({"post_id": 5, "arg_one": "one", "_external": True}, "/posts/5?arg_one=one"),
        (
            {"post_id": 5, "arg_one": "one", "_external": True, "_server": "server"},
            "//server/posts/5?arg_one=one",
        ),
        (
            {
                "post_id": 5,
                "arg_one": "one",
                "_scheme": "http",
                "_external": True,
                "_server": "server",
            },
            "http://server/posts/5?arg_one=one",
        ),
        (
            {
                "post_id": 5,
                "arg_one": ["one", "two"],
                "arg_two": 2,
                "_anchor": "anchor",
                "_scheme": "http",
                "_external": True,
                "_server": "another_server:8888",
            },
            "http://another_server:8888/posts/5?arg_one=one&arg_one=two&arg_two=2#anchor",
        ),
        ({"post_id": 5, "_method": "POST"}, "/posts/5"),
    ],
)
def test_guide_examples(router: Router, kwargs: dict[str, object], url: str) -> None:
    assert router.url_for("post_handler", **kwargs) == url  # type: ignore[arg-type]


def test_scheme_without_external_is_an_error(router: Router) -> None:
    with pytest.raises(BuildError, match="_external") as info:
        router.url_for("post_handler", post_id=5, _scheme="http")
    assert info.value.name == "post_handler"
    assert info.value.parameter is None


def test_unknown_name_is_a_build_error(router: Router) -> None:
    with pytest.raises(BuildError, match="no route named 'nope'") as info:
        router.url_for("nope")
    assert info.value.name == "nope"


def test_missing_parameter_is_named(router: Router) -> None:
    with pytest.raises(BuildError, match="missing parameter 'post_id'") as info:
        router.url_for("post_handler", other=1)
    assert info.value.parameter == "post_id"


@pytest.mark.parametrize(
    ("template", "value"),
    [
        ("/n/<v:int>", "five"),
        ("/n/<v:int>", 1.5),
        ("/n/<v:number>", "x"),
        ("/n/<v:[A-z]>", "ab"),
        ("/n/<v:[A-z0-9]{0,4}>", "abcde"),
        ("/n/<v:[A-z0-9]{0,4}>", ""),
        ("/n/<v>", ""),
        ("/n/<v:alpha>", "a1"),
        ("/n/<v:uuid>", "nope"),
        ("/n/<v:path>", ""),
    ],
)
def test_mistyped_parameter_is_named(template: str, value: object) -> None:
    router = Router()
    router.add(template, None, "h", name="n")
    with pytest.raises(BuildError, match="'v' does not fit") as info:
        router.url_for("n", v=value)
    assert info.value.parameter == "v"


def test_values_use_the_converters_and_are_percent_encoded() -> None:
    router = Router()
    router.add("/a/<i:int>/<f:number>/<s>/<u:uuid>", None, "h", name="typed")
    router.add("/files/<p:path>", None, "h", name="files")
    router.add("/café/<s>/", None, "h", name="cafe")
    uid = uuid.UUID(int=3)
    assert router.url_for("typed", i=1, f=2.5, s="a b/c?d#e%", u=uid) == (
        f"/a/1/2.5/a%20b%2Fc%3Fd%23e%25/{uid}"
    )
    assert router.url_for("files", p="a b/c.txt") == "/files/a%20b/c.txt"
    assert router.url_for("files", p="dir/") == "/files/dir%2F"
    assert router.url_for("cafe", s="x:y@z") == "/caf%C3%A9/x:y@z/"


def test_query_and_anchor_are_encoded() -> None:
    router = Router()
    router.add("/q", None, "h", name="q")
    assert router.url_for("q", a="x y&z", b=("1", 2), _anchor="top part") == (
        "/q?a=x+y%26z&b=1&b=2#top%20part"
    )


def test_external_url_defaults_to_the_route_host() -> None:
    router = Router()
    router.add("/h", None, "h", host=["example.com", "b.com"], name="h")
    assert router.url_for("h") == "/h"
    assert router.url_for("h", _external=True) == "//example.com/h"
    assert (
        router.url_for("h", _external=True, _scheme="https") == "https://example.com/h"
    )
    assert router.url_for("h", _external=True, _server="x.org") == "//x.org/h"


@pytest.mark.parametrize(
    ("server", "scheme", "url"),
    [
        ("http://example.com:8000", None, "http://example.com:8000/h"),
        ("https://example.com/", None, "https://example.com/h"),
        ("http://example.com:8000", "https", "https://example.com:8000/h"),
        ("example.com:8000", None, "//example.com:8000/h"),
    ],
)
def test_a_server_with_a_scheme_supplies_it(
    server: str, scheme: str | None, url: str
) -> None:
    router = Router()
    router.add("/h", None, "h", name="h")
    assert router.url_for("h", _external=True, _server=server, _scheme=scheme) == url


def test_dotted_and_class_names() -> None:
    class SpecialClassView:
        pass

    router = Router()
    router.add("/v1/post/<post_id>", None, "h", name="v1.post_handler")
    router.add("/special_class_view", None, SpecialClassView)
    assert router.url_for("v1.post_handler", post_id=5) == "/v1/post/5"
    assert router.url_for("SpecialClassView") == "/special_class_view"


def test_a_name_for_several_methods_builds_one_url() -> None:
    router = Router()
    router.add("/item/<i:int>", ["GET"], "get", name="item")
    router.add("/item/<i:int>", ["PUT"], "put", name="item")
    assert router.url_for("item", i=3) == "/item/3"
    assert router.get("/item/3", "PUT").route.handler == "put"


def test_a_parameter_may_be_called_name() -> None:
    router = Router()
    router.add("/person/<name:[A-z]>", None, "h", name="person_handler")
    assert router.url_for("person_handler", name="a") == "/person/a"
