"""``sanic.handlers.ContentRangeHandler``: a request's byte range of a file."""

from __future__ import annotations

import os

import pytest

from sanic import Sanic
from sanic.exceptions import HeaderNotFound
from sanic.handlers import ContentRangeHandler
from sanic.response import file, json

CONTENT = b"0123456789abcdefghij"


@pytest.fixture
def app(tmp_path) -> Sanic:
    path = tmp_path / "data.bin"
    path.write_bytes(CONTENT)
    app = Sanic("ranges")

    @app.route("/static")
    async def static(request):
        # The way Sanic 0.4's static handler answered a range.
        stats = os.stat(path)
        headers = {}
        try:
            _range = ContentRangeHandler(request, stats)
            headers.update(_range.headers)
        except HeaderNotFound:
            _range = None
        return await file(path, headers=headers, _range=_range)

    @app.route("/range")
    async def describe(request):
        _range = ContentRangeHandler(request, os.stat(path))
        return json(
            {
                "start": _range.start,
                "end": _range.end,
                "size": _range.size,
                "total": _range.total,
                "headers": _range.headers,
            }
        )

    return app


def test_a_range_is_answered_with_206_and_that_part_of_the_file(serve, app):
    with serve(app) as server:
        middle = server.get("/static", headers={"Range": "bytes=2-5"})
        suffix = server.get("/static", headers={"Range": "bytes=-3"})
        open_ended = server.get("/static", headers={"Range": "bytes=15-"})
    assert (middle.status, middle.body) == (206, b"2345")
    assert middle.headers["Content-Range"] == "bytes 2-5/20"
    assert (suffix.status, suffix.body) == (206, b"hij")
    assert suffix.headers["Content-Range"] == "bytes 17-19/20"
    assert (open_ended.status, open_ended.body) == (206, b"fghij")


def test_attributes(serve, app):
    with serve(app) as server:
        reply = server.get("/range", headers={"Range": "bytes=4-100"})
    assert reply.json == {
        "start": 4,
        "end": 19,
        "size": 16,
        "total": 20,
        "headers": {"Content-Range": "bytes 4-19/20"},
    }


@pytest.mark.parametrize("headers", [{}, {"Range": "bytes=0-1,4-5"}])
def test_no_single_range_raises_header_not_found(serve, app, headers):
    with serve(app) as server:
        whole = server.get("/static", headers=headers)
        uncaught = server.get("/range", headers=headers)
    assert (whole.status, whole.body) == (200, CONTENT)
    assert "Content-Range" not in whole.headers
    assert uncaught.status == 400


@pytest.mark.parametrize("value", ["bytes=20-", "bytes=-0", "items=0-1", "bytes=5-2"])
def test_unsatisfiable_or_unsupported_ranges_are_416(serve, app, value):
    with serve(app) as server:
        reply = server.get("/static", headers={"Range": value})
    assert reply.status == 416
    assert reply.headers["Content-Range"] == "bytes */20"
