"""Messages that name the fix: a mistyped parameter type, an unknown url_for name."""

from __future__ import annotations

import logging

import pytest

from sanic_router import BuildError, NotFound, Router

TYPES = "alpha, float, int, number, path, str, string, uuid"


def handler() -> None:
    """A route's handler."""


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "sanic_router" and record.levelno == logging.WARNING
    ]


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        ("integer", "; did you mean 'int'?"),
        ("String", "; did you mean 'string' or 'str'?"),
        ("UUID", "; did you mean 'uuid'?"),
        ("slug", ""),
    ],
)
def test_a_plain_word_type_logs_a_warning_naming_the_types(
    caplog: pytest.LogCaptureFixture, kind: str, hint: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="sanic_router"):
        Router().add(f"/users/<id:{kind}>", None, handler)
    assert warnings_of(caplog) == [
        f"route '/users/<id:{kind}>': '{kind}' is not a parameter type, so"
        f" <id:{kind}> is a regular expression matching only the text"
        f" '{kind}'{hint} (the types: {TYPES})"
    ]


def test_a_plain_word_type_keeps_the_guides_meaning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    router = Router()
    with caplog.at_level(logging.WARNING, logger="sanic_router"):
        router.add("/users/<id:integer>", None, handler)
    assert router.get("/users/integer", "GET").params == {"id": "integer"}
    with pytest.raises(NotFound):
        router.get("/users/5", "GET")


def test_custom_converters_count_as_types(caplog: pytest.LogCaptureFixture) -> None:
    from sanic_router import Converter

    router = Router(converters={"slug": Converter("slug", "[a-z-]+")})
    with caplog.at_level(logging.WARNING, logger="sanic_router"):
        router.add("/a/<x:slug>", None, handler)
        router.add("/b/<x:slugs>", None, handler)
    [message] = warnings_of(caplog)
    assert "did you mean 'slug'?" in message
    assert "slug, str, string, uuid)" in message


@pytest.mark.parametrize(
    "template",
    [
        "/a/<x>",
        "/a/<x:int>",
        "/a/<x:uuid>",
        "/a/<x:str>",
        "/a/<x:path>",
        "/a/<x:[a-z]+>",
        r"/a/<x:\d+>",
        "/a/<x:integer|int>",
    ],
)
def test_types_and_expressions_log_nothing(
    caplog: pytest.LogCaptureFixture, template: str
) -> None:
    with caplog.at_level(logging.DEBUG, logger="sanic_router"):
        Router().add(template, None, handler)
    assert warnings_of(caplog) == []


def test_the_warning_is_logged_at_registration_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    router = Router()
    with caplog.at_level(logging.WARNING, logger="sanic_router"):
        router.add("/users/<id:integer>", None, handler)
        caplog.clear()
        router.get("/users/integer", "GET")
        router.copy().remove("/users/<id:integer>")
    assert warnings_of(caplog) == []


def get_todo() -> None:
    """A route's handler."""


def list_todos() -> None:
    """A route's handler."""


@pytest.fixture
def named() -> Router:
    router = Router()
    router.add("/todos/<todo_id:int>", None, get_todo, name="api.get_todo")
    router.add("/todos", None, list_todos, name="api.list_todos")
    router.add("/", None, handler, name="index")
    return router


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        (
            "get_todo",
            "url_for: no route named 'get_todo'; did you mean 'api.get_todo'?",
        ),
        (
            "api.get_todos",
            "url_for: no route named 'api.get_todos';"
            " did you mean 'api.get_todo' or 'api.list_todos'?",
        ),
        ("Index", "url_for: no route named 'Index'; did you mean 'index'?"),
        ("logout", "url_for: no route named 'logout'"),
    ],
)
def test_an_unknown_url_for_name_suggests_the_closest_names(
    named: Router, asked: str, message: str
) -> None:
    with pytest.raises(BuildError) as info:
        named.url_for(asked)
    assert str(info.value) == message
    assert info.value.name == asked
    assert info.value.parameter is None
