"""Request Data, both chapters: json, args, query_args, get_args, files, form,
body, request.app, get/getlist, the other properties and request.endpoint."""

from __future__ import annotations

import json

import pytest

BOUNDARY = "integration-boundary-7f3a"


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]):
    """A multipart/form-data body (RFC 7578) and its Content-Type."""
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content_type, body) in files.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + body
            + b"\r\n"
        )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture(scope="module")
def data(example):
    return example("request_data.py")


def test_json_body_is_echoed(data):
    message = {"key": ["value", 1, None, True]}
    reply = data.request(
        # The guide's routes take the default methods (GET); a GET may carry a body.
        "GET",
        "/json",
        body=json.dumps(message).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert reply.json() == {"received": True, "message": message}


def test_args_are_lists_per_the_later_chapter(data):
    reply = data.get("/query_string?key1=value1&key2=value2")
    assert reply.json() == {
        "parsed": True,
        "args": {"key1": ["value1"], "key2": ["value2"]},
        "url": f"http://127.0.0.1:{data.port}/query_string?key1=value1&key2=value2",
        "query_string": "key1=value1&key2=value2",
    }


def test_files_have_name_body_and_type(data):
    body, content_type = multipart(
        {}, {"test": ("notes.txt", "text/plain", b"file contents")}
    )
    reply = data.request(
        "GET", "/files", body=body, headers={"Content-Type": content_type}
    )
    assert reply.json() == {
        "received": True,
        "file_names": ["test"],
        "test_file_parameters": {
            "body": "file contents",
            "name": "notes.txt",
            "type": "text/plain",
        },
    }


def test_multipart_form_fields(data):
    body, content_type = multipart({"test": "one", "other": "two"}, {})
    reply = data.request(
        "GET", "/form", body=body, headers={"Content-Type": content_type}
    )
    assert reply.json() == {
        "received": True,
        "form_data": {"test": ["one"], "other": ["two"]},
        "test": "one",
    }


def test_urlencoded_form_fields(data):
    reply = data.request(
        "GET",
        "/form",
        body=b"test=hello+world&test=again",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.json() == {
        "received": True,
        "form_data": {"test": ["hello world", "again"]},
        "test": "hello world",
    }


def test_raw_body(data):
    reply = data.request("POST", "/users", body=b"name=ada&admin=no")
    assert reply.text == (
        "You are trying to create a user with the following POST: b'name=ada&admin=no'"
    )


def test_request_app_reads_the_config(data):
    assert data.get("/").json() == {"status": "production"}


def test_get_and_getlist(data):
    assert data.get("/getlist").json() == {
        "get": "Post 1",
        "getlist": ["Post 1", "Post 2"],
    }


@pytest.fixture(scope="module")
def properties(example):
    return example("request_properties.py")


def test_request_properties(properties):
    port = properties.port
    reply = properties.get(
        "/posts/1/?foo=bar",
        headers={"User-Agent": "guide/1.0", "Authorization": "Basic YWRtaW46YWRtaW4="},
    )
    got = reply.json()
    assert isinstance(got, dict)
    client_port = got.pop("port")
    assert isinstance(client_port, int) and client_port != port
    assert got.pop("socket") == ["127.0.0.1", client_port]
    assert got == {
        "id": "1",
        "user_agent": "guide/1.0",
        "method": "GET",
        "ip": "127.0.0.1",
        "url": f"http://127.0.0.1:{port}/posts/1/?foo=bar",
        "scheme": "http",
        "host": f"127.0.0.1:{port}",
        "server_name": "127.0.0.1",
        "server_port": port,
        "path": "/posts/1/",
        "query_string": "foo=bar",
        "uri_template": "/posts/<id>/",
        "token": "Basic YWRtaW46YWRtaW4=",
        "url_for": f"http://127.0.0.1:{port}/posts/2/",
    }


def test_query_string_is_blank_without_a_query(properties):
    got = properties.get("/posts/7/").json()
    assert got["query_string"] == ""
    assert got["url"] == f"http://127.0.0.1:{properties.port}/posts/7/"


@pytest.fixture(scope="module")
def request_args(example):
    return example("request_args.py")


def test_args_versus_query_args_output(request_args):
    query = "key1=value1&key2=value2&key1=value3"
    reply = request_args.get(f"/test_request_args?{query}")
    assert reply.json() == {
        "parsed": True,
        "url": f"http://127.0.0.1:{request_args.port}/test_request_args?{query}",
        "query_string": query,
        "args": {"key1": ["value1", "value3"], "key2": ["value2"]},
        "query_args": [["key1", "value1"], ["key2", "value2"], ["key1", "value3"]],
    }


def test_default_parsing_drops_blank_values(request_args):
    got = request_args.get("/test_request_args?test1=value1&test2=&test3=value3").json()
    assert got["args"] == {"test1": ["value1"], "test3": ["value3"]}
    assert got["query_args"] == [["test1", "value1"], ["test3", "value3"]]


@pytest.fixture(scope="module")
def get_args(example):
    return example("request_get_args.py")


def test_get_args_keep_blank_values_output(get_args):
    query = "test1=value1&test2=&test3=value3"
    reply = get_args.get(f"/query_string?{query}")
    assert reply.json() == {
        "parsed": True,
        "url": f"http://127.0.0.1:{get_args.port}/query_string?{query}",
        "args_with_blank_values": {
            "test1": ["value1"],
            "test2": "",
            "test3": ["value3"],
        },
        "query_string": query,
    }


@pytest.fixture(scope="module")
def endpoint(example):
    return example("request_endpoint.py")


@pytest.fixture(scope="module")
def endpoint_blueprint(example):
    return example("request_endpoint_blueprint.py")


def test_request_endpoint_is_the_handler_name(endpoint):
    assert endpoint.get("/").text == "hello"


def test_request_endpoint_in_a_blueprint_is_dotted(endpoint_blueprint):
    assert endpoint_blueprint.get("/").text == "foo.bar"
