"""Matching: static and dynamic paths, priorities, slashes, methods, decoding."""

from __future__ import annotations

import pytest

from sanic_router import MethodNotAllowed, NotFound, Router


def build(*routes: tuple[str, str, list[str] | None], **kw: object) -> Router:
    router = Router()
    for path, name, methods in routes:
        router.add(path, methods, name, name=name, **kw)  # type: ignore[arg-type]
    router.finalize()
    return router


def handler(router: Router, path: str, method: str = "GET") -> object:
    return router.get(path, method).route.handler


def test_guide_typed_parameters() -> None:
    router = build(
        ("/number/<integer_arg:int>", "integer", None),
        ("/number/<number_arg:number>", "number", None),
        ("/person/<name:[A-z]>", "person", None),
        ("/folder/<folder_id:[A-z0-9]{0,4}>", "folder", None),
        ("/tag/<tag>", "tag", None),
    )
    assert router.get("/number/5", "GET").params == {"integer_arg": 5}
    assert handler(router, "/number/5") == "integer"
    match = router.get("/number/5.5", "GET")
    assert (match.route.handler, match.params) == ("number", {"number_arg": 5.5})
    assert router.get("/person/a", "GET").params == {"name": "a"}
    assert router.get("/folder/ab12", "GET").params == {"folder_id": "ab12"}
    assert router.get("/tag/python", "GET").params == {"tag": "python"}
    for miss in ["/number/five", "/person/ab", "/folder/abcde", "/tag", "/tag/a/b"]:
        with pytest.raises(NotFound):
            router.get(miss, "GET")


def test_more_specific_converter_wins_regardless_of_order() -> None:
    router = build(
        ("/v/<s>", "string", None),
        ("/v/<n:number>", "number", None),
        ("/v/<i:int>", "int", None),
    )
    assert handler(router, "/v/5") == "int"
    assert handler(router, "/v/5.5") == "number"
    assert handler(router, "/v/five") == "string"


def test_static_beats_dynamic_and_earlier_literal_position_wins() -> None:
    router = build(
        ("/<a>/<b>", "both", None),
        ("/<a>/b", "second", None),
        ("/a/<b>", "first", None),
        ("/a/b", "static", None),
    )
    assert handler(router, "/a/b") == "static"
    assert handler(router, "/a/x") == "first"
    assert handler(router, "/x/b") == "second"
    assert handler(router, "/x/y") == "both"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/user/5/post/s", "user"),  # indexed by "user"
        ("/user/abc/post/s", "any"),  # int refused: on to a parameter-first shape
        ("/other/1/post/s", "any"),  # no literal "other": parameter-first only
        ("/api/1/items/2", "api"),
        ("/api/1/post/2", "any"),
        ("/user/x/y/z", "user-literal"),  # literal first and later positions win
        ("/about", "about"),
        ("/someone", "name"),
        ("/user", "name"),
    ],
)
def test_shapes_are_tried_per_first_segment_in_priority_order(
    path: str, expected: str
) -> None:
    router = build(
        ("/<a>/<b>/post/<c>", "any", None),
        ("/user/<id:int>/post/<slug>", "user", None),
        ("/api/<v>/items/<i>", "api", None),
        ("/user/x/<b>/<c>", "user-literal", None),
        ("/<name>", "name", None),
        ("/about", "about", None),
    )
    assert handler(router, path) == expected


def test_registration_order_breaks_ties() -> None:
    router = build(("/r/<x:[a-c]+>", "abc", None), ("/r/<y:[b-d]+>", "bcd", None))
    assert handler(router, "/r/b") == "abc"
    assert handler(router, "/r/d") == "bcd"
    assert router.get("/r/d", "GET").params == {"y": "d"}


def test_same_shape_with_other_names_dispatches_by_method() -> None:
    router = build(("/u/<uid:int>", "get", ["GET"]), ("/u/<user:int>", "put", ["PUT"]))
    assert router.get("/u/1", "GET").params == {"uid": 1}
    assert router.get("/u/1", "PUT").params == {"user": 1}


def test_values_are_percent_decoded_and_encoded_slash_stays_in_segment() -> None:
    router = build(("/tag/<tag>", "tag", None), ("/café", "cafe", None))
    assert router.get("/tag/a%20b", "GET").params == {"tag": "a b"}
    assert router.get("/tag/a%2Fb", "GET").params == {"tag": "a/b"}
    assert router.get("/tag/%E2%9C%93", "GET").params == {"tag": "\u2713"}
    assert router.get("/tag/a+b", "GET").params == {"tag": "a+b"}
    assert handler(router, "/caf%C3%A9") == "cafe"
    assert handler(router, "/caf%c3%a9") == "cafe"
    assert handler(router, "/café") == "cafe"


def test_encoded_int_is_decoded_before_checking() -> None:
    router = build(("/n/<i:int>", "n", None))
    assert router.get("/n/%31%32", "GET").params == {"i": 12}


def test_empty_segment_never_fills_a_parameter() -> None:
    router = build(("/a/<x>/b", "x", None), ("/a//b", "literal", None))
    assert handler(router, "/a//b") == "literal"
    assert handler(router, "/a/1/b") == "x"


@pytest.mark.parametrize("path", ["", "*", "get", "/nothing", "/get/extra"])
def test_unknown_paths_are_not_found(path: str) -> None:
    router = build(("/get", "get", None))
    with pytest.raises(NotFound) as info:
        router.get(path, "GET")
    assert info.value.path == path


def test_default_slashes_are_lenient_both_ways() -> None:
    router = build(("/get", "get", None), ("/dir/", "dir", None), ("/p/<x>", "p", None))
    for path in ["/get", "/get/"]:
        assert handler(router, path) == "get"
    for path in ["/dir", "/dir/"]:
        assert handler(router, path) == "dir"
    assert router.get("/p/1/", "GET").params == {"x": "1"}


def test_strict_slashes_tell_forms_apart() -> None:
    router = build(("/get", "get", None), ("/dir/", "dir", None), strict_slashes=True)
    assert handler(router, "/get") == "get"
    assert handler(router, "/dir/") == "dir"
    for path in ["/get/", "/dir"]:
        with pytest.raises(NotFound):
            router.get(path, "GET")


def test_exact_slash_form_beats_lenient_route() -> None:
    router = Router()
    router.add("/x", None, "plain")
    router.add("/x/", None, "slash", strict_slashes=True)
    router.add("/y/<v>", None, "plain-y")
    router.add("/y/<v>/", None, "slash-y")
    assert handler(router, "/x") == "plain"
    assert handler(router, "/x/") == "slash"
    assert handler(router, "/y/1") == "plain-y"
    assert handler(router, "/y/1/") == "slash-y"


def test_root_route() -> None:
    router = build(("/", "root", None))
    assert handler(router, "/") == "root"
    with pytest.raises(NotFound):
        router.get("/x", "GET")


def test_methods_default_to_get_which_answers_head() -> None:
    router = build(("/a", "a", None), ("/d/<x>", "d", None))
    assert handler(router, "/a", "HEAD") == "a"
    assert handler(router, "/d/1", "HEAD") == "d"
    with pytest.raises(MethodNotAllowed) as info:
        router.get("/a", "POST")
    assert info.value.allowed == frozenset({"GET", "HEAD"})
    with pytest.raises(MethodNotAllowed) as info:
        router.get("/d/1/", "DELETE")
    assert info.value.allowed == frozenset({"GET", "HEAD"})


def test_explicit_head_route_beats_implicit_head() -> None:
    router = build(("/a", "get", ["GET"]), ("/a", "head", ["HEAD"]))
    assert handler(router, "/a", "HEAD") == "head"
    assert handler(router, "/a", "GET") == "get"


def test_methods_are_case_sensitive_at_lookup() -> None:
    router = build(("/a", "a", ["post"]))
    assert handler(router, "/a", "POST") == "a"
    with pytest.raises(MethodNotAllowed):
        router.get("/a", "post")


def test_allowed_is_the_union_of_every_matching_route() -> None:
    router = build(
        ("/v/<i:int>", "int", ["PUT"]),
        ("/v/<s>", "string", ["POST"]),
        ("/v/5", "static", ["PATCH"]),
    )
    with pytest.raises(MethodNotAllowed) as info:
        router.get("/v/5", "GET")
    assert info.value.allowed == frozenset({"PUT", "POST", "PATCH"})
    # A less specific route that has the method still answers.
    assert handler(router, "/v/5", "POST") == "string"
    assert handler(router, "/v/5", "PUT") == "int"
    with pytest.raises(MethodNotAllowed) as info:
        router.get("/v/x", "PUT")
    assert info.value.allowed == frozenset({"POST"})


def test_static_match_is_shared_and_dynamic_match_is_fresh() -> None:
    router = build(("/s", "s", None), ("/d/<x>", "d", None))
    assert router.get("/s", "GET") is router.get("/s", "GET")
    first, second = router.get("/d/1", "GET"), router.get("/d/1", "GET")
    assert first is not second and first.params is not second.params
