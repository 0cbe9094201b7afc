"""Exceptions: the guide's "Exceptions" section and the default error answers."""

from __future__ import annotations

import inspect
import socket
from html import escape

import pytest
from sanic_test_helpers import parse_response

from sanic import Sanic
from sanic.exceptions import (
    INTERNAL_SERVER_ERROR_HTML,
    TRACEBACK_BORDER,
    TRACEBACK_LINE_HTML,
    TRACEBACK_STYLE,
    TRACEBACK_WRAPPER_HTML,
    TRACEBACK_WRAPPER_INNER_HTML,
    Forbidden,
    HeaderTooLarge,
    InvalidUsage,
    NotFound,
    PayloadTooLarge,
    RequestTimeout,
    SanicException,
    ServerError,
    URITooLong,
)
from sanic.response import json, text
from sanic.views import HTTPMethodView


@pytest.fixture
def app() -> Sanic:
    app = Sanic("errors")

    @app.route("/killme")
    def i_am_ready_to_die(request):
        raise ServerError("Something bad happened", status_code=500)

    @app.route("/forbidden")
    async def forbidden(request):
        raise Forbidden("Keep out")

    @app.route("/crash")
    async def crash(request):
        raise KeyError("database password is hunter2")

    @app.route("/not-a-response")
    async def not_a_response(request):
        return "string"

    @app.route("/json", methods=["POST"])
    async def parse(request):
        try:
            return json({"got": request.json})
        except InvalidUsage as exc:
            return text("caught: " + str(exc), status=422)

    @app.route("/json-uncaught", methods=["POST"])
    async def parse_uncaught(request):
        return json(request.json)

    return app


def test_raised_exceptions_answer_with_their_status(serve, app):
    with serve(app) as server:
        killed = server.get("/killme")
        forbidden = server.get("/forbidden")
    assert (killed.status, killed.text) == (500, "Error: Something bad happened")
    assert (forbidden.status, forbidden.text) == (403, "Error: Keep out")


def test_unexpected_errors_leak_nothing(serve, app):
    with serve(app) as server:
        crashed = server.get("/crash")
        html = server.get("/crash", headers={"Accept": "text/html"})
    assert crashed.status == 500
    assert "hunter2" not in crashed.text
    assert "Traceback" not in crashed.text
    assert "hunter2" not in html.text


def test_debug_shows_the_traceback(serve, app):
    with serve(app, debug=True) as server:
        crashed = server.get("/crash")
    assert crashed.status == 500
    assert crashed.text.startswith("Error: Internal Server Error\n\n")
    assert "Traceback" in crashed.text
    assert "hunter2" in crashed.text


def test_format_follows_accept(serve, app):
    with serve(app) as server:
        as_json = server.get("/forbidden", headers={"Accept": "application/json"})
        as_html = server.get("/forbidden", headers={"Accept": "text/html,*/*"})
        as_text = server.get("/forbidden", headers={"Accept": "*/*"})
    assert as_json.json == {"status": 403, "message": "Keep out"}
    assert as_json.headers["Content-Type"].startswith("application/json")
    assert as_html.headers["Content-Type"].startswith("text/html")
    assert "<h1>" in as_html.text and "Keep out" in as_html.text
    assert as_text.text == "Error: Keep out"


def test_non_response_is_500(serve, app):
    with serve(app) as server:
        reply = server.get("/not-a-response")
    assert reply.status == 500


def test_guide_handler_for_not_found(serve, app):
    @app.exception(NotFound)
    def ignore_404s(request, exception):
        return text("Yep, I totally found the page: {}".format(request.url))

    with serve(app) as server:
        reply = server.get("/somewhere?x=1")
    assert reply.status == 200
    assert reply.text == (
        f"Yep, I totally found the page: http://127.0.0.1:{server.port}/somewhere?x=1"
    )


def test_sanic_exception_catches_all_http_errors(serve, app):
    @app.exception(SanicException)
    async def everything(request, exception):
        return text(f"handled {exception.status_code}", status=exception.status_code)

    with serve(app) as server:
        assert server.get("/forbidden").text == "handled 403"
        assert server.get("/missing").text == "handled 404"
        assert server.request("POST", "/forbidden").text == "handled 405"
        assert server.get("/crash").status == 500


def test_json_errors_are_invalid_usage(serve, app):
    headers = {"Content-Type": "application/json"}
    with serve(app) as server:
        good = server.request("POST", "/json", body='{"a": [1]}', headers=headers)
        caught = server.request("POST", "/json", body="{nope", headers=headers)
        uncaught = server.request(
            "POST", "/json-uncaught", body="{nope", headers=headers
        )
    assert good.json == {"got": {"a": [1]}}
    assert caught.status == 422
    assert caught.text.startswith("caught: ")
    assert uncaught.status == 400


def test_failing_exception_handler_falls_back_to_500(serve, app):
    @app.exception(Forbidden)
    def broken(request, exception):
        raise RuntimeError("handler bug")

    with serve(app) as server:
        reply = server.get("/forbidden")
    assert reply.status == 500
    assert "handler bug" not in reply.text


# -- the default text answer: "Error: <message>", whatever raised it ------------------


def status_and_body(raw: bytes) -> tuple[int, str]:
    """The status code and body of the one response in ``raw`` (parsed strictly)."""
    response = parse_response(raw)
    return response.status, response.body.decode("utf-8")


def test_default_text_is_error_and_the_message_whatever_raised_it(serve, app):
    class OnlyGet(HTTPMethodView):
        def get(self, request):
            return text("got")

    app.add_route(OnlyGet.as_view(), "/view")
    app.config.REQUEST_MAX_SIZE = 10
    with serve(app) as server:
        replies = {
            "router 404": server.get("/missing"),
            "router 405": server.request("POST", "/killme"),
            "view 405": server.request("POST", "/view"),
            "user code": server.get("/forbidden"),
            "not an HTTP error": server.get("/crash"),
        }
        limit = server.raw(
            b"POST /json HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n"
        )
    assert {name: (reply.status, reply.text) for name, reply in replies.items()} == {
        "router 404": (404, "Error: Requested URL /missing not found"),
        "router 405": (405, "Error: Method POST not allowed for URL /killme"),
        "view 405": (405, "Error: Method POST not allowed for URL /view"),
        "user code": (403, "Error: Keep out"),
        "not an HTTP error": (500, "Error: Internal Server Error"),
    }
    assert status_and_body(limit) == (413, "Error: Payload Too Large")


# -- errors found before any handler runs go through the app's handlers ---------------

PRE_HANDLER = {
    "413 content-length": (
        b"POST /json HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n",
        PayloadTooLarge,
        "POST /json",
    ),
    "413 chunked": (
        b"POST /json HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"6\r\nabcdef\r\n6\r\nghijkl\r\n",
        PayloadTooLarge,
        "POST /json",
    ),
    "408 head": (b"GET /killme HTTP/1.1\r\nHost: t\r\n", RequestTimeout, None),
    "408 body": (
        b"POST /json HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nab",
        RequestTimeout,
        "POST /json",
    ),
    "400": (b"NOT HTTP AT ALL\r\n\r\n", InvalidUsage, None),
    "414": (b"GET /" + b"a" * 300 + b" HTTP/1.1\r\nHost: t\r\n\r\n", URITooLong, None),
    "431": (
        b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"v" * 1200 + b"\r\n\r\n",
        HeaderTooLarge,
        None,
    ),
}


def limited(app: Sanic) -> Sanic:
    app.config.REQUEST_MAX_SIZE = 10
    app.config.REQUEST_TIMEOUT = 0.3
    app.config.REQUEST_MAX_URL_SIZE = 200
    app.config.REQUEST_MAX_HEADER_SIZE = 1000
    return app


@pytest.mark.parametrize("case", sorted(PRE_HANDLER))
def test_exception_handlers_answer_errors_found_before_any_handler(serve, app, case):
    payload, kind, seen = PRE_HANDLER[case]
    requests = []

    @app.exception(kind)
    def mine(request, exception):
        # request is None when the request line and headers never completed.
        requests.append(request)
        where = "no request" if request is None else f"{request.method} {request.path}"
        return text(f"mine {exception.status_code}: {where}", exception.status_code)

    with serve(limited(app)) as server:
        raw = server.raw(payload)
    status = kind.status_code
    assert status_and_body(raw) == (status, f"mine {status}: {seen or 'no request'}")
    assert len(requests) == 1


@pytest.mark.parametrize("case", sorted(PRE_HANDLER))
def test_without_a_handler_errors_before_any_handler_get_the_default(serve, app, case):
    payload, kind, _ = PRE_HANDLER[case]
    with serve(limited(app)) as server:
        status, body = status_and_body(server.raw(payload))
    assert status == kind.status_code
    # The parser's 400 says what was wrong after "Bad Request".
    assert body.startswith(f"Error: {MESSAGES[kind]}")


MESSAGES = {
    PayloadTooLarge: "Payload Too Large",
    RequestTimeout: "Request Timeout",
    InvalidUsage: "Bad Request",
    URITooLong: "URI Too Long",
    HeaderTooLarge: "Request Header Fields Too Large",
}


def test_a_client_gone_before_its_timeout_reaches_no_handler(serve, app):
    requests = []

    @app.exception(RequestTimeout)
    async def timed_out(request, exception):
        requests.append(request)
        return text("too slow", 408)

    with serve(limited(app)) as server:
        with socket.create_connection((server.host, server.port)) as gone:
            gone.sendall(b"GET /killme HTTP/1.1\r\nHost: t\r\n")
        # Opened later, so its 408 comes after the first connection's deadline.
        raw = server.raw(b"GET /killme HTTP/1.1\r\nHost: t\r\n")
    assert status_and_body(raw) == (408, "too slow")
    assert requests == [None]


# -- the HTML error pages: sanic.exceptions' templates ---------------------------------


def test_html_500_without_debug_is_the_internal_server_error_page(serve, app):
    with serve(app) as server:
        reply = server.get("/crash", headers={"Accept": "text/html"})
    assert reply.status == 500
    assert reply.headers["Content-Type"].startswith("text/html")
    assert reply.text == INTERNAL_SERVER_ERROR_HTML
    assert "hunter2" not in reply.text and "KeyError" not in reply.text


def _chained(request):
    try:
        {}["<missing>"]
    except KeyError as error:
        raise RuntimeError("<b>boom</b> & more") from error


def test_debug_html_page_shows_the_chain_of_tracebacks(serve, app):
    app.add_route(_chained, "/chained")
    with serve(app, debug=True) as server:
        page = server.get("/chained", headers={"Accept": "text/html"})
        as_text = server.get("/chained")
    assert page.status == 500
    body = page.text
    # Everything interpolated is escaped.
    assert "<b>boom</b>" not in body and "<missing>" not in body
    message = escape("<b>boom</b> & more")
    # The wrapper around everything, with the style and the raised exception.
    before_tracebacks, _, after_tracebacks = TRACEBACK_WRAPPER_HTML.partition(
        "{tracebacks}"
    )
    assert body.startswith(
        before_tracebacks.format(
            style=TRACEBACK_STYLE,
            title="500 — Internal Server Error",
            exc_name="RuntimeError",
            exc_value=message,
        )
    )
    assert body.endswith(after_tracebacks)
    # One block per exception, the cause first, a border between them.
    cause_at = body.index(
        TRACEBACK_WRAPPER_INNER_HTML.partition("{frames}")[0].format(
            exc_name="KeyError", exc_value=escape(repr("<missing>"))
        )
    )
    border_at = body.index(TRACEBACK_BORDER.partition("{note}")[0])
    raised_at = body.index(
        TRACEBACK_WRAPPER_INNER_HTML.partition("{frames}")[0].format(
            exc_name="RuntimeError", exc_value=message
        )
    )
    assert cause_at < border_at < raised_at
    # Each frame through TRACEBACK_LINE_HTML: where, which function, which line.
    lines, first = inspect.getsourcelines(_chained)
    for offset in (2, 4):  # the lookup that failed, then the raise
        frame = TRACEBACK_LINE_HTML.format(
            path=escape(__file__),
            line=first + offset,
            name="_chained",
            code=escape(lines[offset].strip()),
        )
        assert frame in body
    # The text form is unchanged: the message line, then Python's traceback.
    assert as_text.text.startswith("Error: Internal Server Error\n\nTraceback")
    assert "<b>boom</b> & more" in as_text.text


def test_html_page_of_an_http_error_escapes_its_message(serve, app):
    @app.route("/markup")
    async def markup(request):
        raise Forbidden("<script>alert(1)</script>")

    with serve(app, debug=True) as server:
        reply = server.get("/markup", headers={"Accept": "text/html"})
    assert reply.status == 403
    assert "<script>" not in reply.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.text
    assert "Traceback" not in reply.text


def test_cached_handlers_remember_each_lookup(serve, app):
    @app.exception(Forbidden)
    def refused(request, exception):
        return text("refused", 403)

    with serve(app) as server:
        assert server.get("/forbidden").text == "refused"
        assert server.get("/crash").status == 500
    cache = app.error_handler.cached_handlers
    assert cache == {Forbidden: refused, KeyError: None}
    app.error_handler.add(KeyError, refused)
    assert app.error_handler.cached_handlers == {}
