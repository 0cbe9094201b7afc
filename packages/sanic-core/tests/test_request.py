"""``sanic.request``: parse failures as HTTP exceptions that are also ValueErrors."""

from __future__ import annotations

import pytest

import sanic_request
from sanic import Sanic
from sanic.exceptions import InvalidUsage, PayloadTooLarge, SanicException
from sanic.request import DEFAULT_HTTP_CONTENT_TYPE, Request
from sanic.response import json, text

MALFORMED = "/q?a&b=1&&"


@pytest.fixture
def app() -> Sanic:
    app = Sanic(__name__)

    @app.route("/q")
    async def strict(request):
        try:
            request.get_args(strict_parsing=True)
        except ValueError as args_error:
            try:
                request.get_query_args(strict_parsing=True)
            except ValueError as pairs_error:
                return text(f"caught {args_error.status_code} {pairs_error}")
        return json(request.get_args(strict_parsing=True))

    @app.route("/q-invalid-usage")
    async def invalid_usage(request):
        try:
            request.get_args(strict_parsing=True)
        except InvalidUsage:
            return text("caught as InvalidUsage")
        return text("parsed")

    @app.route("/q-uncaught")
    async def uncaught(request):
        return json(request.get_args(strict_parsing=True))

    @app.route("/body", methods=["POST"])
    async def body(request):
        return json({"content_type": request.content_type, "form": request.form})

    return app


def test_strict_parsing_errors_are_caught_with_except_value_error(serve, app):
    with serve(app) as server:
        caught = server.get(MALFORMED)
        as_http = server.get("/q-invalid-usage?a&b=1&&")
        fine = server.get("/q?a=1&b=2")
    assert caught.status == 200
    assert caught.text.startswith("caught 400 ")
    assert as_http.text == "caught as InvalidUsage"
    assert fine.json == {"a": ["1"], "b": ["2"]}


@pytest.mark.parametrize("query", ["a&b=1&&", "a=%zz", "&", "a=1&"])
def test_an_uncaught_strict_parsing_error_answers_400(serve, app, query):
    with serve(app) as server:
        reply = server.get("/q-uncaught?" + query)
    assert reply.status == 400
    assert b"Traceback" not in reply.body


def test_parse_failures_keep_their_http_class_and_are_value_errors():
    request = Request(b"/?a=%zz", {}, "1.1", "GET")
    with pytest.raises(InvalidUsage) as info:
        request.get_query_args(strict_parsing=True)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value.__cause__, sanic_request.RequestParseError)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    crowded = Request(b"/", form, "1.1", "POST")
    crowded.body = b"&".join([b"a=1"] * (Request.max_fields + 1))
    with pytest.raises(PayloadTooLarge) as too_large:
        _ = crowded.form
    assert isinstance(too_large.value, ValueError)
    assert isinstance(too_large.value, SanicException)
    assert too_large.value.status_code == 413


def test_default_http_content_type_is_the_one_constant():
    assert DEFAULT_HTTP_CONTENT_TYPE == "application/octet-stream"
    assert DEFAULT_HTTP_CONTENT_TYPE is sanic_request.DEFAULT_HTTP_CONTENT_TYPE
    assert Request.default_content_type is DEFAULT_HTTP_CONTENT_TYPE


def test_a_body_without_content_type_is_octet_stream_not_a_form(serve, app):
    with serve(app) as server:
        untyped = server.request("POST", "/body", body=b"a=1&b=2")
        typed = server.request(
            "POST",
            "/body",
            body=b"a=1&b=2",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert untyped.json == {"content_type": DEFAULT_HTTP_CONTENT_TYPE, "form": {}}
    assert typed.json["form"] == {"a": ["1"], "b": ["2"]}


def test_parse_multipart_form_of_sanic_0_4() -> None:
    from sanic.request import File, parse_multipart_form

    body = (
        b"--B\r\n"
        b'Content-Disposition: form-data; name="field"\r\n\r\n'
        b"value\r\n"
        b"--B\r\n"
        b'Content-Disposition: form-data; name="up"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
        b"data\r\n"
        b"--B--\r\n"
    )
    fields, files = parse_multipart_form(body, b"B")
    assert fields.get("field") == "value"
    assert files.get("up") == File("text/plain", b"data", "a.txt")
    with pytest.raises(InvalidUsage) as info:
        parse_multipart_form(b"garbage", b"B")
    assert isinstance(info.value, ValueError)
    assert info.value.status_code == 400


def test_match_info_is_the_route_parameters(serve) -> None:
    app = Sanic("match_info")

    @app.route("/users/<user_id:int>/<slug>")
    async def user(request, user_id, slug):
        return json({"match_info": request.match_info, "args": [user_id, slug]})

    @app.route("/plain", host="example.com")
    async def plain(request):
        return json(request.match_info)

    with serve(app) as server:
        reply = server.get("/users/7/hello%20there")
        assert reply.json == {
            "match_info": {"user_id": 7, "slug": "hello there"},
            "args": [7, "hello there"],
        }
        assert server.get("/plain", headers={"Host": "example.com"}).json == {}
    orphan = Request(b"/users/7/x", {}, "1.1", "GET")
    assert orphan.match_info == {}
    orphan.app = app
    assert orphan.match_info == {"user_id": 7, "slug": "x"}
