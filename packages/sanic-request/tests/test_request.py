from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict

from sanic_request import (
    DEFAULT_HTTP_CONTENT_TYPE,
    Request,
    RequestParameters,
    RequestParseError,
)

MakeRequest = Callable[..., Request]
GUIDE_HOST = {"Host": "0.0.0.0:8000"}


def test_guide_args_and_query_args(make_request: MakeRequest) -> None:
    request = make_request(
        b"/test_request_args?key1=value1&key2=value2&key1=value3", GUIDE_HOST
    )
    output = {
        "parsed": True,
        "url": request.url,
        "query_string": request.query_string,
        "args": request.args,
        "query_args": request.query_args,
    }
    expected = {
        "parsed": True,
        "url": "http://0.0.0.0:8000/test_request_args?key1=value1&key2=value2&key1=value3",
        "query_string": "key1=value1&key2=value2&key1=value3",
        "args": {"key1": ["value1", "value3"], "key2": ["value2"]},
        "query_args": [["key1", "value1"], ["key2", "value2"], ["key1", "value3"]],
    }
    assert json.loads(json.dumps(output)) == expected
    assert orjson.loads(orjson.dumps(output)) == expected
    assert request.query_args == [
        ("key1", "value1"),
        ("key2", "value2"),
        ("key1", "value3"),
    ]
    assert isinstance(request.args, RequestParameters)
    assert request.args.get("key1") == "value1"
    assert request.args.getlist("key1") == ["value1", "value3"]


def test_guide_keep_blank_values(make_request: MakeRequest) -> None:
    request = make_request(
        b"/query_string?test1=value1&test2=&test3=value3", GUIDE_HOST
    )
    args_with_blank_values = request.get_args(keep_blank_values=True)
    output = {
        "parsed": True,
        "url": request.url,
        "args_with_blank_values": args_with_blank_values,
        "query_string": request.query_string,
    }
    expected = (
        '{"parsed": true, '
        '"url": "http://0.0.0.0:8000/query_string?test1=value1&test2=&test3=value3", '
        '"args_with_blank_values": {"test1": ["value1"], "test2": "", '
        '"test3": ["value3"]}, '
        '"query_string": "test1=value1&test2=&test3=value3"}'
    )
    assert json.dumps(output) == expected
    assert orjson.loads(orjson.dumps(output)) == json.loads(expected)
    assert args_with_blank_values.get("test2") == ""
    assert args_with_blank_values.getlist("test2") == [""]
    assert request.args == {"test1": ["value1"], "test3": ["value3"]}
    assert request.get_query_args(keep_blank_values=True)[1] == ("test2", "")


def test_get_args_options(make_request: MakeRequest) -> None:
    request = make_request(b"/?a=%E9&b")
    assert request.args == {"a": ["\ufffd"]}
    assert request.get_args(encoding="latin-1") == {"a": ["é"]}
    with pytest.raises(RequestParseError) as info:
        request.get_args(strict_parsing=True)
    assert info.value.status == 400
    with pytest.raises(ValueError, match="Cannot decode"):
        request.get_query_args(errors="strict")


@pytest.mark.parametrize("query", [b"a&b=1&&", b"a=%zz", b"&", b"a=1&", b"a"])
def test_strict_parsing_raises_a_value_error_as_the_guide_says(
    make_request: MakeRequest, query: bytes
) -> None:
    request = make_request(b"/?" + query)
    for parse in (request.get_args, request.get_query_args):
        try:
            parse(strict_parsing=True)
        except ValueError as err:
            assert isinstance(err, RequestParseError) and err.status == 400
        else:
            pytest.fail(f"{parse.__name__} accepted {query!r}")
    # Without strict_parsing the same query is parsed leniently.
    assert isinstance(request.get_args(), RequestParameters)


def test_too_many_query_fields_is_400(make_request: MakeRequest) -> None:
    request = make_request(b"/?" + b"&".join([b"a=1"] * (Request.max_fields + 1)))
    with pytest.raises(RequestParseError) as info:
        _ = request.args
    assert info.value.status == 400


def test_args_are_parsed_once(make_request: MakeRequest) -> None:
    request = make_request(b"/?a=1")
    assert request.args is request.args
    assert request.query_args is request.query_args


@pytest.mark.parametrize(
    ("url", "path", "query"),
    [
        (b"/", "/", ""),
        (b"/posts/1/?foo=bar", "/posts/1/", "foo=bar"),
        (b"/a?", "/a", ""),
        (b"/a?b?c", "/a", "b?c"),
        (b"/a#frag", "/a", ""),
        (b"/a?q=1#frag", "/a", "q=1"),
        (b"http://example.com/p?q=1", "/p", "q=1"),
        (b"http://example.com?q=1", "/", "q=1"),
        (b"https://example.com", "/", ""),
        (b"*", "*", ""),
        (b"/caf\xc3\xa9/%20", "/café/%20", ""),
        (b"/\xff", "/\ufffd", ""),
    ],
)
def test_path_and_query_string(
    make_request: MakeRequest, url: bytes, path: str, query: str
) -> None:
    request = make_request(url)
    assert (request.path, request.query_string, request.raw_url) == (path, query, url)


def test_constructor_keeps_what_the_server_gave() -> None:
    headers = CIMultiDict([("X-A", "1")])
    transport = object()
    app = object()
    request = Request(b"/x", headers, "1.0", "PATCH", transport, app)  # type: ignore[arg-type]
    assert request.headers is headers
    assert (request.version, request.method) == ("1.0", "PATCH")
    assert request.transport is transport and request.app is app
    assert request.body == b""
    assert request.stream is None
    assert request.endpoint is None and request.uri_template is None
    assert repr(request) == "<Request: PATCH /x>"


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain", "x-multi": "1"},
        [("content-type", "text/plain"), ("X-Multi", "1"), ("x-multi", "2")],
        CIMultiDict([("CONTENT-TYPE", "text/plain"), ("x-multi", "1")]),
        [(b"Content-Type", b"text/plain"), (b"X-Multi", b"1"), (b"x-multi", b"2")],
    ],
)
def test_headers_are_case_insensitive_and_multi_valued(headers: Any) -> None:
    request = Request(b"/", headers, "1.1", "GET")
    assert isinstance(request.headers, CIMultiDict)
    assert request.headers["content-type"] == "text/plain"
    assert request.headers["CONTENT-TYPE"] == "text/plain"
    assert request.headers.getall("X-MULTI")[0] == "1"


def test_raw_headers_are_decoded_once_on_first_access() -> None:
    raw = [(b"Host", b"example.com"), (b"X-Name", "J\u00fcrgen".encode())]
    request = Request(b"/", raw, "1.1", "GET")
    assert request._headers is raw  # nothing decoded until a handler asks
    headers = request.headers
    assert isinstance(headers, CIMultiDict)
    assert list(headers.items()) == [("Host", "example.com"), ("X-Name", "J\u00fcrgen")]
    assert request.headers is headers


def test_raw_header_values_that_are_not_utf8_are_latin1() -> None:
    raw = [(b"X-A", b"caf\xe9"), (b"X-B", b"plain")]
    request = Request(b"/", raw, "1.1", "GET")
    assert request.headers["x-a"] == "caf\u00e9"
    assert request.headers["x-b"] == "plain"
    assert Request(b"/", [], "1.1", "GET").headers == CIMultiDict()


@pytest.mark.parametrize(
    "value",
    [{"X-A": "1"}, [("X-A", "1")], [(b"X-A", b"1")], CIMultiDict([("X-A", "1")])],
)
def test_headers_can_be_assigned(value: Any) -> None:
    request = Request(b"/", [(b"X-Old", b"1")], "1.1", "GET")
    request.headers = value
    assert list(request.headers.items()) == [("X-A", "1")]
    assert "x-old" not in request.headers


def test_urlencoded_form(make_request: MakeRequest) -> None:
    request = make_request(
        b"/form",
        {"Content-Type": "application/x-www-form-urlencoded"},
        body=b"test=OK&test=again&name=J%C3%BCrgen+M&blank=",
        method="POST",
    )
    output = {
        "received": True,
        "form_data": request.form,
        "test": request.form.get("test"),
    }
    assert json.loads(json.dumps(output)) == {
        "received": True,
        "form_data": {"test": ["OK", "again"], "name": ["Jürgen M"], "blank": ""},
        "test": "OK",
    }
    assert request.files == {}
    assert request.form is request.form


def test_urlencoded_form_charset(make_request: MakeRequest) -> None:
    request = make_request(
        b"/",
        {"Content-Type": "application/x-www-form-urlencoded; charset=ISO-8859-1"},
        body=b"a=%E9",
    )
    assert request.form.get("a") == "é"
    bad = make_request(
        b"/",
        {"Content-Type": "application/x-www-form-urlencoded; charset=nope"},
        body=b"a=b",
    )
    with pytest.raises(RequestParseError):
        _ = bad.form


def test_too_many_form_fields_is_413(make_request: MakeRequest) -> None:
    request = make_request(
        b"/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        body=b"&".join([b"a=1"] * (Request.max_fields + 1)),
    )
    with pytest.raises(RequestParseError) as info:
        _ = request.form
    assert info.value.status == 413


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json"])
def test_other_bodies_have_empty_form_and_files(
    make_request: MakeRequest, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    request = make_request(b"/", headers, body=b"a=1")
    assert request.form == {} and request.files == {}
    assert isinstance(request.form, RequestParameters)
    assert request.body == b"a=1"


def test_content_type(make_request: MakeRequest) -> None:
    assert DEFAULT_HTTP_CONTENT_TYPE == "application/octet-stream"
    assert make_request(b"/").content_type == DEFAULT_HTTP_CONTENT_TYPE
    typed = make_request(b"/", {"content-type": "text/html; charset=utf-8"})
    assert typed.content_type == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("authorization", "token"),
    [
        (None, None),
        ("Basic YWRtaW46YWRtaW4=", "Basic YWRtaW46YWRtaW4="),
        ("Bearer abc.def", "abc.def"),
        ("bearer  abc", "abc"),
        ("Token 123", "123"),
        ("Bearer", "Bearer"),
        ("opaque", "opaque"),
    ],
)
def test_token(
    make_request: MakeRequest, authorization: str | None, token: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    assert make_request(b"/", headers).token == token


def test_cookies(make_request: MakeRequest) -> None:
    request = make_request(
        b"/cookie", [("Cookie", "test=It worked!; a=1"), ("cookie", "b=2")]
    )
    assert request.cookies == {"test": "It worked!", "a": "1", "b": "2"}
    assert request.cookies.get("test") == "It worked!"
    assert request.cookies is request.cookies
    assert make_request(b"/").cookies == {}


def test_per_request_storage(make_request: MakeRequest) -> None:
    request = make_request(b"/")
    assert "session" not in request
    assert request.get("session", "none") == "none"
    with pytest.raises(KeyError):
        _ = request["session"]
    with pytest.raises(KeyError):
        del request["session"]
    request["session"] = {"user": 1}
    assert "session" in request
    assert request["session"] == {"user": 1}
    assert request.get("session") == {"user": 1}
    del request["session"]
    assert "session" not in request
    request.user = "free attributes work too"  # type: ignore[attr-defined]
    assert request.user == "free attributes work too"  # type: ignore[attr-defined]


class _App:
    def __init__(self) -> None:
        self.config: dict[str, Any] = {"DEBUG": True}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def url_for(self, view_name: str, **kwargs: Any) -> str:
        self.calls.append((view_name, kwargs))
        return "built"


def test_url_for_delegates_with_scheme_and_host(make_request: MakeRequest) -> None:
    app = _App()
    request = make_request(b"/", {"Host": "example.com:8080"}, app=app)
    assert request.app.config["DEBUG"] is True
    assert request.url_for("post_handler", post_id=5) == "built"
    assert app.calls == [
        (
            "post_handler",
            {
                "_external": True,
                "_scheme": "http",
                "_server": "example.com:8080",
                "post_id": 5,
            },
        )
    ]
    with pytest.raises(RuntimeError, match="app"):
        make_request(b"/").url_for("x")


def test_endpoint_and_uri_template_are_assigned_by_the_router(
    make_request: MakeRequest,
) -> None:
    request = make_request(b"/posts/1/")
    request.endpoint = "foo.bar"
    request.uri_template = "/posts/<id>/"
    assert (request.endpoint, request.uri_template) == ("foo.bar", "/posts/<id>/")


class _HTTPError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class _FrameworkRequest(Request):
    def parse_error(self, error: RequestParseError) -> BaseException:
        return _HTTPError(error.message, error.status)


@pytest.mark.parametrize(
    ("url", "headers", "body", "attribute", "status"),
    [
        (b"/", {}, b"{", "json", 400),
        (b"/", {"Content-Type": "multipart/form-data"}, b"", "form", 400),
        (b"/", {"Content-Type": "multipart/form-data"}, b"", "files", 400),
        (
            b"/",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"&" * 1000,
            "form",
            413,
        ),
        (b"/?" + b"&" * 1000, {}, b"", "args", 400),
        (b"/?" + b"&" * 1000, {}, b"", "query_args", 400),
    ],
)
def test_every_parse_failure_goes_through_parse_error(
    url: bytes, headers: dict[str, str], body: bytes, attribute: str, status: int
) -> None:
    request = _FrameworkRequest(url, headers, "1.1", "POST")
    request.body = body
    with pytest.raises(_HTTPError) as info:
        getattr(request, attribute)
    assert info.value.status == status
    assert isinstance(info.value.__cause__, RequestParseError)


def test_parse_error_also_wraps_get_args() -> None:
    request = _FrameworkRequest(b"/?a=%zz", {}, "1.1", "GET")
    with pytest.raises(_HTTPError):
        request.get_args(strict_parsing=True)
    with pytest.raises(_HTTPError):
        request.get_query_args(strict_parsing=True)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=200))
def test_a_body_without_content_type_is_never_a_form(
    make_request: MakeRequest, body: bytes
) -> None:
    request = make_request(b"/", {}, body=body, method="POST")
    assert request.content_type == DEFAULT_HTTP_CONTENT_TYPE
    assert request.form == {} and request.files == {}
    assert request.body == body


def test_default_content_type_is_overridable_per_subclass() -> None:
    class FormByDefault(Request):
        default_content_type = "application/x-www-form-urlencoded"

    request = FormByDefault(b"/", {}, "1.1", "POST")
    request.body = b"a=1"
    assert request.form == {"a": ["1"]}
    assert Request.default_content_type == DEFAULT_HTTP_CONTENT_TYPE


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(
    url=st.binary(max_size=60).map(lambda b: b"/" + b),
    content_type=st.one_of(
        st.text(max_size=60),
        st.sampled_from(
            [
                "multipart/form-data; boundary=b",
                "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=utf-16",
                "multipart/form-data; boundary=b; charset=idna",
            ]
        ),
    ),
    body=st.binary(max_size=200),
    cookie=st.text(max_size=40),
    strict=st.booleans(),
)
def test_arbitrary_requests_raise_only_parse_errors(
    make_request: MakeRequest,
    url: bytes,
    content_type: str,
    body: bytes,
    cookie: str,
    strict: bool,
) -> None:
    request = make_request(
        url, {"Content-Type": content_type, "Cookie": cookie}, body=body
    )
    for read in (
        lambda: request.args,
        lambda: request.query_args,
        lambda: request.get_args(keep_blank_values=True, strict_parsing=strict),
        lambda: request.form,
        lambda: request.files,
        lambda: request.json,
        lambda: request.cookies,
        lambda: request.url,
        lambda: request.token,
    ):
        try:
            read()
        except RequestParseError as err:
            assert err.status in (400, 413)


def test_raw_args_keep_the_first_value_of_each_name(
    make_request: MakeRequest,
) -> None:
    request = make_request(b"/p?a=1&b=2&a=3&c=")
    assert request.raw_args == {"a": "1", "b": "2"}
    assert make_request(b"/p").raw_args == {}


def test_load_json_with_another_decoder_is_cached_as_json(
    make_request: MakeRequest,
) -> None:
    import json as stdlib_json
    from decimal import Decimal

    request = make_request(b"/p", method="POST")
    request.body = b'{"price": 1.10}'

    def loads(data: bytes) -> object:
        return stdlib_json.loads(data, parse_float=Decimal)

    assert request.load_json(loads=loads) == {"price": Decimal("1.10")}
    assert request.json == {"price": Decimal("1.10")}
    plain = make_request(b"/p", method="POST")
    plain.body = b"[1, 2]"
    assert plain.load_json() == [1, 2]
    broken = make_request(b"/p", method="POST")
    broken.body = b"{"
    with pytest.raises(RequestParseError) as info:
        broken.load_json(loads=stdlib_json.loads)
    assert info.value.status == 400
