"""Routing: parameters, types, methods, hosts, shorthands, add_route, url_for."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def routing(example):
    return example("routing.py")


def test_basic_route_returns_json(routing):
    assert routing.get("/").json() == {"hello": "world"}


def test_request_parameter_is_a_keyword_argument(routing):
    assert routing.get("/tag/python").text == "Tag - python"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/number/12", "Integer - 12"),
        ("/number/-3", "Integer - -3"),
        ("/number/1.5", "Number - 1.5"),
        ("/person/a", "Person - a"),
        ("/folder/ab12", "Folder - ab12"),
    ],
)
def test_typed_parameters_match(routing, path, body):
    reply = routing.get(path)
    assert (reply.status, reply.text) == (200, body)


@pytest.mark.parametrize(
    "path", ["/number/abc", "/number/1e", "/person/ab", "/person/1", "/folder/abcde"]
)
def test_type_mismatch_is_404(routing, path):
    reply = routing.get(path)
    assert reply.status == 404
    assert "not found" in reply.text.lower()


def test_post_route_reads_json(routing):
    reply = routing.request(
        "POST",
        "/post",
        body=json.dumps({"key": "value"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert reply.text == "POST request - {'key': 'value'}"


def test_get_route_shows_args(routing):
    reply = routing.get("/get?key1=value1")
    assert reply.text == "GET request - {'key1': ['value1']}"


def test_method_not_in_methods_is_405_with_allow(routing):
    reply = routing.request("POST", "/get")
    assert reply.status == 405
    assert "GET" in reply.headers["Allow"]
    reply = routing.get("/post")
    assert reply.status == 405
    assert "POST" in reply.headers["Allow"]


@pytest.fixture(scope="module")
def hosts(example):
    return example("routing_hosts.py")


def test_host_route_answers_for_its_host(hosts):
    reply = hosts.get("/get?a=1", headers={"Host": "example.com"})
    assert reply.text == "GET request - {'a': ['1']}"


@pytest.mark.parametrize("host", ["other.example", "127.0.0.1", "example.com.evil"])
def test_other_hosts_use_the_default_route(hosts, host):
    reply = hosts.get("/get?a=1", headers={"Host": host})
    assert reply.text == "GET request in default - {'a': ['1']}"


@pytest.fixture(scope="module")
def shorthand(example):
    return example("routing_shorthand.py")


def test_shorthand_post(shorthand):
    reply = shorthand.request(
        "POST", "/post", body=b"[1, 2]", headers={"Content-Type": "application/json"}
    )
    assert reply.text == "POST request - [1, 2]"
    assert shorthand.get("/post").status == 405


def test_shorthand_get(shorthand):
    assert shorthand.get("/get?x=y").text == "GET request - {'x': ['y']}"
    assert shorthand.request("POST", "/get").status == 405


@pytest.fixture(scope="module")
def add_route(example):
    return example("add_route.py")


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/test", 200, "OK"),
        ("/folder/docs", 200, "Folder - docs"),
        ("/person/Z", 200, "Person - Z"),
    ],
)
def test_add_route_registers_handlers(add_route, path, status, body):
    reply = add_route.get(path)
    assert (reply.status, reply.text) == (status, body)


def test_add_route_keeps_types_and_methods(add_route):
    assert add_route.get("/person/zz").status == 404
    assert add_route.request("POST", "/person/Z").status == 405
    assert add_route.request("POST", "/test").status == 405


@pytest.fixture(scope="module")
def url_for(example):
    return example("url_for.py")


def test_index_redirects_to_the_built_url(url_for):
    reply = url_for.get("/")
    assert reply.status == 302
    assert reply.headers["Location"] == "/posts/5"
    assert url_for.get(reply.headers["Location"]).text == "Post - 5"


def test_url_for_outputs_are_the_guides(url_for):
    built = url_for.get("/url_for").json()
    assert isinstance(built, dict)
    assert len(built) == 7
    for expected, actual in built.items():
        assert actual == expected


@pytest.mark.parametrize("path", ["/url_for/missing", "/url_for/mistyped"])
def test_url_for_without_a_valid_parameter_raises_url_build_error(url_for, path):
    reply = url_for.get(path)
    assert reply.status == 500
    assert reply.text.startswith("URLBuildError: ")


def test_url_for_typed_route_is_served(url_for):
    assert url_for.get("/number/3").text == "Integer - 3"
