"""The same tests against all three clients must give the same results."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from yarl import URL

from sanic import Sanic
from sanic.exceptions import NotFound
from sanic.response import json, redirect, stream, text
from sanic.testing import PORT
from sanic_testing import InProcessClient, ReusableClient, SanicTestResponse
from sanic_testing.plugin import CLIENT_KINDS, open_client

KINDS = list(CLIENT_KINDS)


def make_app() -> Sanic:
    app = Sanic("clients")
    app.ctx_started = 0  # type: ignore[attr-defined]

    @app.listener("before_server_start")
    async def setup(app: Sanic, loop: Any) -> None:
        app.ctx_started += 1  # type: ignore[attr-defined]

    @app.route("/echo", methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    async def echo(request: Any) -> Any:
        form = "form" in request.headers.get("Content-Type", "")
        response = json(
            {
                "method": request.method,
                "args": request.args,
                "form": request.form,
                "json": request.json if request.body and not form else None,
                "body": request.body.decode(),
                "cookies": request.cookies,
                "x": request.headers.get("X-Test"),
                "type": request.headers.get("Content-Type"),
                "started": request.app.ctx_started > 0,
                "ip": request.ip,
            }
        )
        response.cookies["flavour"] = "ginger"
        response.cookies["flavour"]["httponly"] = True
        return response

    @app.route("/head")
    async def head(request: Any) -> Any:
        return text("not sent for HEAD")

    @app.route("/files", methods=["POST"])
    async def files(request: Any) -> Any:
        upload = request.files.get("upload")
        return json({"name": upload.name, "body": upload.body.decode()})

    @app.route("/stream")
    async def streamed(request: Any) -> Any:
        async def body(response: Any) -> None:
            for piece in ("one ", "two ", "three"):
                await response.write(piece)

        return stream(body, content_type="text/plain")

    @app.route("/moved", methods=["GET", "POST"])
    async def moved(request: Any) -> Any:
        return redirect("/echo?from=moved")

    @app.route("/missing")
    async def missing(request: Any) -> Any:
        raise NotFound("nothing here")

    @app.route("/broken")
    async def broken(request: Any) -> Any:
        return "not a response"

    @app.route("/fails")
    async def fails(request: Any) -> Any:
        raise RuntimeError("boom")

    @app.middleware("request")
    async def early(request: Any) -> Any:
        if request.path == "/early":
            return text("from middleware", status=201)
        return None

    return app


@pytest.fixture
def app() -> Sanic:
    return make_app()


@pytest.fixture
def client(sanic_client: Any) -> Any:
    """The plugin's ``sanic_client``: each test here runs on all three clients."""
    return sanic_client


def comparable(response: SanicTestResponse) -> tuple[Any, ...]:
    cookies = {name: morsel.value for name, morsel in response.cookies.items()}
    history = [(earlier.status, earlier.url.path_qs) for earlier in response.history]
    return (
        response.status,
        response.reason,
        response.content_type,
        response.charset,
        response.body,
        response.text,
        response.json,
        cookies,
        response.url.path_qs,
        history,
    )


def port_of(client: Any, request: Any) -> int:
    """The port the server ran on (in-process: the one requests appear to use)."""
    if isinstance(client, InProcessClient):
        return PORT  # its default port: no socket, so no port of its own
    return int(request.transport.get_extra_info("sockname")[1])


def test_the_response_has_what_aiohttp_responses_had(client: Any) -> None:
    """The attributes tests written for Sanic 0.4 to 18.12 read."""
    request, response = client.get("/echo", params={"a": "1"})
    assert (response.status, response.reason) == (200, "OK")
    assert response.headers["content-type"] == "application/json"
    assert response.cookies["flavour"].value == "ginger"
    assert isinstance(response.url, URL)
    assert response.url.scheme == "http"
    assert response.url.host == "127.0.0.1"
    assert response.url.path_qs == "/echo?a=1"
    assert response.url.port == port_of(client, request)
    assert response.content_type == "application/json"
    assert response.charset is None
    assert response.history == ()
    assert response.json["args"] == {"a": ["1"]}
    assert response.text == response.body.decode()

    _, plain = client.get("/head")
    assert (plain.content_type, plain.charset) == ("text/plain", "utf-8")
    assert plain.json is None  # not JSON: a value, not an error
    assert plain.text == "not sent for HEAD"


def test_history_holds_the_redirects(client: Any) -> None:
    request, response = client.get("/moved")
    assert response.url.path_qs == "/echo?from=moved"
    assert response.url.port == port_of(client, request)
    (moved,) = response.history
    assert isinstance(moved, SanicTestResponse)
    assert (moved.status, moved.reason) == (302, "Found")
    assert moved.headers["Location"] == "/echo?from=moved"
    assert moved.url.path == "/moved"
    assert moved.url.port == response.url.port
    assert moved.body == b""  # as aiohttp: a followed redirect's body is not read


def test_get_with_params(client: Any) -> None:
    request, response = client.get("/echo", params={"key1": "value1", "n": 2})
    assert request.args.get("key1") == "value1"
    assert response.status == 200
    assert response.json["args"] == {"key1": ["value1"], "n": ["2"]}
    assert response.json["started"] is True
    assert response.json["ip"] == "127.0.0.1"
    assert response.cookies["flavour"].value == "ginger"
    assert "HttpOnly" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "patch", "options"])
def test_every_method(client: Any, method: str) -> None:
    request, response = getattr(client, method)("/echo")
    assert request.method == method.upper()
    assert response.json["method"] == method.upper()


def test_head_has_headers_but_no_body(client: Any) -> None:
    request, response = client.head("/head")
    assert request.method == "HEAD"
    assert response.status == 200
    assert response.body == b""
    assert response.headers["Content-Length"] == str(len("not sent for HEAD"))


def test_post_data_json_form_and_headers(client: Any) -> None:
    _, as_text = client.post("/echo", data='{"a": 1}', headers={"X-Test": "yes"})
    assert as_text.json["json"] == {"a": 1}
    assert as_text.json["type"] == "text/plain; charset=utf-8"
    assert as_text.json["x"] == "yes"
    _, as_json = client.post("/echo", json={"b": [1, 2]})
    assert as_json.json["json"] == {"b": [1, 2]}
    assert as_json.json["type"] == "application/json"
    _, as_form = client.post("/echo", data={"field": "a value", "other": "x"})
    assert as_form.json["form"] == {"field": ["a value"], "other": ["x"]}


def test_multipart_upload(client: Any) -> None:
    form = aiohttp.FormData()
    form.add_field("upload", b"file body", filename="notes.txt")
    _, response = client.post("/files", data=form)
    assert response.json == {"name": "notes.txt", "body": "file body"}


def test_cookies_are_sent(client: Any) -> None:
    _, response = client.get("/echo", cookies={"session": "abc", "theme": "dark"})
    assert response.json["cookies"] == {"session": "abc", "theme": "dark"}


def test_streaming_response_is_collected(client: Any) -> None:
    response = client.get("/stream", gather_request=False)
    assert isinstance(response, SanicTestResponse)
    assert response.text == "one two three"
    assert response.headers["Transfer-Encoding"] == "chunked"


def test_redirects_are_followed_unless_told_not_to(client: Any) -> None:
    request, response = client.get("/moved")
    assert response.status == 200
    assert request.path == "/echo"
    assert response.json["args"] == {"from": ["moved"]}
    _, posted = client.post("/moved", data="x")
    assert posted.json["method"] == "GET"
    _, raw = client.get("/moved", allow_redirects=False)
    assert raw.status == 302
    assert raw.headers["Location"] == "/echo?from=moved"


@pytest.mark.parametrize(
    ("uri", "status"),
    [("/nowhere", 404), ("/missing", 404), ("/broken", 500), ("/fails", 500)],
)
def test_errors_are_responses(client: Any, uri: str, status: int) -> None:
    request, response = client.get(uri)
    assert response.status == status
    assert request is not None
    assert request.path == uri


def test_method_not_allowed(client: Any) -> None:
    _, response = client.post("/head")
    assert response.status == 405
    assert "GET" in response.headers["Allow"]


def test_request_middleware_may_answer(client: Any) -> None:
    request, response = client.get("/early")
    assert (response.status, response.text) == (201, "from middleware")
    assert request.path == "/early"


def _results(kind: str) -> list[tuple[Any, ...]]:
    app = make_app()
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("get", "/echo", {"params": {"a": "1"}}),
        ("post", "/echo", {"json": {"k": "v"}}),
        ("post", "/echo", {"data": {"f": "1"}}),
        ("put", "/head", {}),
        ("get", "/stream", {}),
        ("get", "/missing", {}),
        ("get", "/broken", {}),
        ("get", "/moved", {}),
        ("head", "/head", {}),
        ("get", "/early", {}),
    ]
    if kind == "one-shot":
        target: Any = app.test_client
        return [comparable(getattr(target, m)(u, **k)[1]) for m, u, k in calls]
    opened = ReusableClient(app) if kind == "reusable" else InProcessClient(app)
    with opened as target:
        return [comparable(getattr(target, m)(u, **k)[1]) for m, u, k in calls]


def test_the_three_clients_agree() -> None:
    one_shot, reusable, in_process = (_results(kind) for kind in KINDS)
    assert one_shot == reusable == in_process


def _lifecycle_app() -> tuple[Sanic, list[str]]:
    app = Sanic("lifecycle")
    seen: list[str] = []
    for name in ("first", "second"):
        for event in app.listeners:

            def record(app: Sanic, loop: Any, label: str = f"{event}:{name}") -> None:
                seen.append(label)

            app.register_listener(record, event)

    async def background(app_arg: Sanic) -> None:
        seen.append("task started")
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("task cancelled")
            raise

    app.add_task(background)

    @app.route("/")
    async def index(request: Any) -> Any:
        while "task started" not in seen:  # scheduled right after the start
            await asyncio.sleep(0.001)
        return text("ok")

    return app, seen


@pytest.mark.parametrize("kind", KINDS)
def test_stop_listeners_mirror_the_start_and_tasks_are_cancelled(kind: str) -> None:
    app, seen = _lifecycle_app()
    if kind == "one-shot":
        assert app.test_client.get("/", gather_request=False).text == "ok"
    else:
        opened = ReusableClient(app) if kind == "reusable" else InProcessClient(app)
        with opened as client:
            assert client.get("/", gather_request=False).text == "ok"
    assert seen == [
        "before_server_start:first",
        "before_server_start:second",
        "after_server_start:first",
        "after_server_start:second",
        "task started",
        "before_server_stop:second",
        "before_server_stop:first",
        "task cancelled",
        "after_server_stop:second",
        "after_server_stop:first",
    ]


def test_open_client_names_the_kinds() -> None:
    with (
        pytest.raises(ValueError, match="in-process"),
        open_client("socketless", make_app()),
    ):
        pass
    app = make_app()
    with open_client("one-shot", app) as default:
        assert default is app.test_client
    with open_client("one-shot", app, port=None) as own:
        assert own is not app.test_client
        assert own.port is None
