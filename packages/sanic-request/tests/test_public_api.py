from __future__ import annotations

import sanic_request


def test_public_surface_is_exactly_this() -> None:
    assert sorted(sanic_request.__all__) == [
        "DEFAULT_HTTP_CONTENT_TYPE",
        "File",
        "JSON_BACKEND",
        "Request",
        "RequestParameters",
        "RequestParseError",
        "parse_multipart_form",
    ]
    for name in sanic_request.__all__:
        assert getattr(sanic_request, name) is not None
