from __future__ import annotations

import pytest

from sanic_router import (
    BuildError,
    MethodNotAllowed,
    NotFound,
    ParameterNameConflicts,
    RouteDoesNotExist,
    RouteExists,
    RouterError,
)


@pytest.mark.parametrize(
    "cls",
    [
        NotFound,
        MethodNotAllowed,
        RouteExists,
        RouteDoesNotExist,
        ParameterNameConflicts,
        BuildError,
    ],
)
def test_every_error_is_a_router_error(cls: type[Exception]) -> None:
    assert issubclass(cls, RouterError)
    assert not issubclass(cls, (LookupError, ValueError))


def test_not_found_carries_the_request() -> None:
    exc = NotFound("/x", "GET", "example.com")
    assert (exc.path, exc.method, exc.host) == ("/x", "GET", "example.com")
    assert "/x" in str(exc)
    assert exc.message == str(exc)


def test_method_not_allowed_lists_allowed_methods_sorted() -> None:
    exc = MethodNotAllowed("/x", "PUT", frozenset({"POST", "GET"}))
    assert exc.allowed == frozenset({"GET", "POST"})
    assert exc.method == "PUT"
    assert "GET, POST" in str(exc)


def test_route_exists_names_method_path_and_host() -> None:
    assert str(RouteExists("/a", "GET", None)) == "route already registered: GET /a"
    assert "on host 'h'" in str(RouteExists("/a", "GET", "h"))


def test_build_error_names_route_and_parameter() -> None:
    exc = BuildError("boom", "post", "post_id")
    assert (exc.name, exc.parameter, exc.message) == ("post", "post_id", "boom")


def test_route_does_not_exist_names_path_and_host() -> None:
    assert str(RouteDoesNotExist("/a")) == "no route registered for /a"
    exc = RouteDoesNotExist("/a", "h")
    assert (exc.path, exc.host) == ("/a", "h")
    assert "on host 'h'" in str(exc)


def test_parameter_name_conflicts_names_the_parameter() -> None:
    exc = ParameterNameConflicts("/a/<x>/<x>", "x")
    assert (exc.path, exc.name) == ("/a/<x>/<x>", "x")
    assert str(exc) == "in '/a/<x>/<x>': parameter 'x' repeats"
